package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"lnvedash/queries"
)

// Options for Run.
type Options struct {
	DataDir  string                // archive root; "" = directory of db.Path, or a temp dir for in-memory
	Source   string                // "cli", "inbox", "upload"
	Workers  int                   // 0 = runtime.NumCPU()
	Progress func(done, total int) // may be nil
	Round    string                // progress returns without an embedded round go to this round (number or name); "" = the latest
	// Unit is the roster name of the unit whose personal link uploads these files ("" = anyone's):
	// every file is credited to it or refused (Reader.Unit).
	Unit string
	// Names gives, for a path in the run, the name the file was received under (the upload stores
	// files under short generated names; the name may be longer than the file system allows).
	Names map[string]string
}

// FileResult is the outcome for one received file.
type FileResult struct {
	FileName, Path, SHA256, Submitter, Kind, Status, ReasonCode, Message string // Status: current/superseded/rejected/duplicate
	SubmissionID, Measures, Warnings, Errors                             int
}

// Result is the outcome of one run.
type Result struct {
	RunID int
	Files []FileResult
}

// Statuses of FileResult beyond those of the submissions view.
const StatusDuplicate = "duplicate"

// input is one file to ingest.
type input struct {
	path    string // where to read it
	display string // where it came from, for people (a zip member is "upload.zip/name.xlsx")
	name    string // base name as received
	mtime   time.Time
	// refused is a verdict given before the file is read (an archive over its budgets, a member over
	// its size): only a bounded prefix of it is archived.
	refused *Rejection
}

// job is an input after archiving and parsing.
type job struct {
	in      input
	sha     string
	key     string // what duplicates are recognised by: the sha256, or for an empty file sha256#name
	size    int64
	archive string // relative to the data folder
	parsed  *Parsed
	stamped *Stamped // the unit's stamped copy (stamped.go); parsed is nil then
	rej     *Rejection
	dup     bool // already in the database before the run
	// rejSubmitter is the submitter a rejected file's name points at, if any.
	rejSubmitter, rejKind string
	rejByLink             bool // rejSubmitter is the uploading unit's link, not the file name
}

// Run ingests the files and folders in paths (recursively; .zip files are expanded) as one run in one
// transaction: every file is archived, then parsed in parallel, and each result is appended, in input
// order, as soon as it is ready, so memory holds a few workbooks' rows rather than the whole run.
// Rejected files are a normal outcome (see FileResult.Status); an error means nothing was written.
func Run(ctx context.Context, db *queries.DB, opt Options, paths ...string) (*Result, error) {
	defer db.LockIngest()()
	started := time.Now().UTC().Truncate(time.Microsecond)
	removeStaleTmpDirs()
	dataDir, err := resolveDataDir(db, opt.DataDir)
	if err != nil {
		return nil, err
	}
	SweepOrphans(dataDir)
	tmp, err := newTmpDir()
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	defer os.RemoveAll(tmp)
	rd := NewReader(db.Seeds)
	if opt.Unit != "" {
		for i := range db.Seeds.Submitters {
			if db.Seeds.Submitters[i].Name == opt.Unit {
				rd.Unit = &db.Seeds.Submitters[i]
			}
		}
		if rd.Unit == nil {
			return nil, fmt.Errorf("ingest: unit %q is not on the roster", opt.Unit)
		}
	}
	inputs, err := collect(paths, tmp, rd.Limits, opt.Names)
	if err != nil {
		return nil, err
	}
	return store(ctx, db, rd, dataDir, opt, started, inputs)
}

// resolveDataDir is the archive root of the run: the folder asked for, else the database's (DataDir).
func resolveDataDir(db *queries.DB, dir string) (string, error) {
	if dir == "" {
		if db.Path == "" {
			return db.DataDir()
		}
		dir = filepath.Dir(db.Path)
	}
	if err := os.MkdirAll(filepath.Join(dir, "archive"), 0o755); err != nil {
		return "", fmt.Errorf("ingest: data folder: %w", err)
	}
	return dir, nil
}
