package queries

import (
	"context"
	"database/sql"
	"sort"
)

// UnitReturn is one rostered unit's return as the notice asks for it: the checklist that counts (its
// current xlsx version) and the stamped copy (纸质版扫描成PDF); complete only with both. Stale: the
// stamped copy is older than the current checklist, so the signed paper no longer matches it.
type UnitReturn struct {
	Submitter, Kind, City string
	ChecklistID           int // current checklist's submission_id, 0 = none
	ChecklistFile         string
	ChecklistModified     sql.NullTime
	StampedID             int // latest stamped copy's submission_id, 0 = none
	StampedFile           string
	StampedPages          int
	StampedModified       sql.NullTime
	StampedCopies         int // stamped copies received in all
	Complete, Stale       bool
}

// Completion is the complete-return rate of one kind: of Roster units, how many sent a checklist, a
// stamped copy, both (Complete), and how many stamped copies are stale. Rate = Complete / Roster.
type Completion struct {
	Kind                                         string
	Roster, Checklists, Stamped, Complete, Stale int
	Rate                                         float64
}

// UniversityReturn is what an undergraduate university sent: shown apart, counted in no denominator.
type UniversityReturn struct {
	University, City string
	ChecklistID      int
	ChecklistFile    string
	StampedID        int
	StampedFile      string
}

// StampedFile is a stamped copy to serve: the name it was sent under and its path in the archive
// (relative to the data folder).
type StampedFile struct {
	FileName, Submitter, ArchivePath string
}

// UnitReturns lists every rostered unit's checklist and stamped copy (submitter "" = all units).
func (db *DB) UnitReturns(ctx context.Context, submitter string) ([]UnitReturn, error) {
	return querySlice(ctx, db, "stamped.units", func(rows *sql.Rows) (UnitReturn, error) {
		var u UnitReturn
		return u, rows.Scan(&u.Submitter, &u.Kind, &u.City, &u.ChecklistID, &u.ChecklistFile, &u.ChecklistModified,
			&u.StampedID, &u.StampedFile, &u.StampedPages, &u.StampedModified, &u.StampedCopies, &u.Complete, &u.Stale)
	}, submitter)
}

// Completions is the complete-return rate per kind: cities, then colleges.
func (db *DB) Completions(ctx context.Context) ([]Completion, error) {
	return querySlice(ctx, db, "stamped.completion", func(rows *sql.Rows) (Completion, error) {
		var c Completion
		err := rows.Scan(&c.Kind, &c.Roster, &c.Checklists, &c.Stamped, &c.Complete, &c.Stale)
		c.Rate = ratio(c.Complete, c.Roster)
		return c, err
	})
}

// CompletionsOf is Completions computed from every unit's return (UnitReturns with submitter ""):
// the same counts per kind (cities, then colleges) without a statement of its own, for a page that
// reads the units anyway. A submission id is never 0, so 0 means none received.
func CompletionsOf(units []UnitReturn) []Completion {
	var out []Completion
	at := map[string]int{}
	for _, u := range units {
		i, ok := at[u.Kind]
		if !ok {
			i = len(out)
			at[u.Kind] = i
			out = append(out, Completion{Kind: u.Kind})
		}
		c := &out[i]
		c.Roster++
		if u.ChecklistID != 0 {
			c.Checklists++
		}
		if u.StampedID != 0 {
			c.Stamped++
		}
		if u.Complete {
			c.Complete++
		}
		if u.Stale {
			c.Stale++
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	for i := range out {
		out[i].Rate = ratio(out[i].Complete, out[i].Roster)
	}
	return out
}

// UniversityReturns lists the universities that sent something.
func (db *DB) UniversityReturns(ctx context.Context) ([]UniversityReturn, error) {
	return querySlice(ctx, db, "stamped.universities", func(rows *sql.Rows) (UniversityReturn, error) {
		var u UniversityReturn
		return u, rows.Scan(&u.University, &u.City, &u.ChecklistID, &u.ChecklistFile, &u.StampedID, &u.StampedFile)
	})
}

// Stamped is the stamped copy with submission id; ErrNotFound when there is none received under it
// (a checklist, a rejected file or no file at all).
func (db *DB) Stamped(ctx context.Context, id int) (StampedFile, error) {
	var f StampedFile
	err := db.QueryRowContext(ctx, mustSQL("stamped.file"), id).Scan(&f.FileName, &f.Submitter, &f.ArchivePath)
	if err == sql.ErrNoRows {
		return f, notFound("盖章扫描件", id)
	}
	return f, err
}
