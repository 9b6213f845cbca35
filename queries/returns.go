package queries

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// DefaultReturnsDeadline is the end of 2021-09-20, the last day of the upload window the notice set
// (“于9月1日—20日上传”), in wall-clock time as stored.
var DefaultReturnsDeadline = time.Date(2021, 9, 20, 23, 59, 59, 0, time.UTC)

// ReturnsOptions parameterise Returns.
type ReturnsOptions struct {
	// Deadline for an on-time return; zero: DefaultReturnsDeadline. Timestamps are compared as wall-clock
	// times as stored by ingest (no time zone conversion).
	Deadline time.Time
	// Grace added to Deadline.
	Grace time.Duration
	// AsOf: files ingested after it are ignored, as if not yet received; zero: now.
	AsOf time.Time
	// Basis is the time a return is judged by (of its first accepted file); "" = DefaultBasis. The
	// modified time falls back to ingested_at when the file has none.
	Basis Basis
}

// Returns is the reporting rate, DHIS2-style: per kind, expected (the roster), returned (at least one
// accepted checklist ingested by AsOf) and on time (the first accepted one received by Deadline+Grace).
// Rates use the roster as denominator and so never exceed 100 %.
type Returns struct {
	Deadline time.Time // effective deadline, grace included
	AsOf     time.Time
	Basis    Basis
	Kinds    []KindReturns // city, then school
	Chase    []ChaseItem   // 催报: missing then late submitters, each in roster order
}

// KindReturns are the figures for one kind of submitter.
type KindReturns struct {
	Kind       string
	Expected   int
	Returned   int
	OnTime     int
	Late       int // Returned - OnTime
	Missing    int // Expected - Returned
	Rate       float64
	OnTimeRate float64 // OnTime / Expected
}

// AllLate reports whether every submitter that returned was late: what a folder of files collected
// first and ingested in one go after the deadline looks like when judged by ingest time.
func (r Returns) AllLate() bool {
	returned, onTime := 0, 0
	for _, k := range r.Kinds {
		returned += k.Returned
		onTime += k.OnTime
	}
	return returned > 0 && onTime == 0
}

// ChaseItem is a submitter to chase: Status "missing" (no accepted file; RejectedFiles says whether it sent
// something unreadable) or "late" (first accepted file after the deadline).
type ChaseItem struct {
	Submitter     string
	Kind          string
	City          string
	Status        string
	ReceivedAt    time.Time // the timestamp judged (see ReturnsOptions.Basis); zero when missing
	SubmissionID  int       // first accepted file, 0 when missing
	Late          time.Duration
	RejectedFiles int
}

// Returns computes the reporting rate and the chase list.
func (db *DB) Returns(ctx context.Context, opt ReturnsOptions) (Returns, error) {
	if opt.Deadline.IsZero() {
		opt.Deadline = DefaultReturnsDeadline
	}
	if opt.AsOf.IsZero() {
		opt.AsOf = time.Now().UTC()
	}
	opt.Basis = opt.Basis.OrDefault()
	r := Returns{Deadline: opt.Deadline.Add(opt.Grace), AsOf: opt.AsOf, Basis: opt.Basis}
	type sub struct {
		name, kind, city   string
		id                 int
		ingested, modified sql.NullTime
		accepted, rejected int
	}
	subs, err := querySlice(ctx, db, "returns", func(rows *sql.Rows) (sub, error) {
		var s sub
		return s, rows.Scan(&s.name, &s.kind, &s.city, &s.id, &s.ingested, &s.modified, &s.accepted, &s.rejected)
	}, opt.AsOf)
	if err != nil {
		return Returns{}, err
	}
	kinds := map[string]*KindReturns{KindCity: {Kind: KindCity}, KindSchool: {Kind: KindSchool}}
	var late []ChaseItem
	for _, s := range subs {
		k := kinds[s.kind]
		if k == nil {
			return Returns{}, fmt.Errorf("returns: %s has kind %q", s.name, s.kind)
		}
		k.Expected++
		item := ChaseItem{Submitter: s.name, Kind: s.kind, City: s.city, RejectedFiles: s.rejected}
		if s.accepted == 0 {
			item.Status = "missing"
			r.Chase = append(r.Chase, item)
			continue
		}
		k.Returned++
		item.SubmissionID = s.id
		item.ReceivedAt = receivedAt(opt.Basis, s.ingested.Time, s.modified)
		if item.ReceivedAt.After(r.Deadline) {
			item.Status = "late"
			item.Late = item.ReceivedAt.Sub(r.Deadline)
			late = append(late, item)
			continue
		}
		k.OnTime++
	}
	r.Chase = append(r.Chase, late...)
	// Missing first, then late; each in roster order, the order the 催报 list is read out in.
	order := db.rosterOrder()
	sort.SliceStable(r.Chase, func(i, j int) bool {
		a, b := r.Chase[i], r.Chase[j]
		if a.Status != b.Status {
			return a.Status == "missing"
		}
		return order[a.Submitter] < order[b.Submitter]
	})
	for _, kind := range []string{KindCity, KindSchool} {
		k := kinds[kind]
		k.Late = k.Returned - k.OnTime
		k.Missing = k.Expected - k.Returned
		k.Rate = ratio(k.Returned, k.Expected)
		k.OnTimeRate = ratio(k.OnTime, k.Expected)
		r.Kinds = append(r.Kinds, *k)
	}
	return r, nil
}

// receivedAt is the time a file counts as received on basis b.
func receivedAt(b Basis, ingested time.Time, modified sql.NullTime) time.Time {
	switch {
	case !modified.Valid || b == BasisIngested:
		return ingested
	case b == BasisModified || modified.Time.Before(ingested):
		return modified.Time
	}
	return ingested
}
