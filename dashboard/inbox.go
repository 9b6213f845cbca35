package dashboard

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The inbox: a folder staff drop returned files into. A file is ingested once its size and
// modification time are the same on two consecutive polls (a copy still in progress is left alone),
// then moved into the 已处理 subfolder. Nothing is ever deleted; a file that could not be moved stays
// and is not ingested again (ingest recognises byte-identical files anyway).

// InboxPoll is how often the inbox is looked at.
var InboxPoll = 3 * time.Second

const inboxDone = "已处理"

type fileState struct {
	size int64
	mod  time.Time
}

// watchInbox polls dir until ctx is done.
func (s *Server) watchInbox(ctx context.Context, dir string) {
	if err := os.MkdirAll(filepath.Join(dir, inboxDone), 0o755); err != nil {
		s.log.Error("inbox", "dir", dir, "err", err)
		return
	}
	s.log.Info("inbox watching", "dir", dir)
	seen := map[string]fileState{}
	t := time.NewTicker(InboxPoll)
	defer t.Stop()
	for {
		seen = s.pollInbox(ctx, dir, seen)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// pollInbox ingests the files that did not change since the previous poll and returns the new state.
func (s *Server) pollInbox(ctx context.Context, dir string, prev map[string]fileState) map[string]fileState {
	entries, err := os.ReadDir(dir)
	if err != nil {
		s.log.Error("inbox", "dir", dir, "err", err)
		return prev
	}
	now := map[string]fileState{}
	var ready []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		st := fileState{size: info.Size(), mod: info.ModTime()}
		now[name] = st
		if p, ok := prev[name]; ok && p == st && st.size > 0 {
			ready = append(ready, filepath.Join(dir, name))
		}
	}
	if len(ready) == 0 || ctx.Err() != nil {
		return now
	}
	// Cancelled with the server: a run is atomic, so an interrupted one leaves nothing half-written
	// and its files stay in the inbox for the next start.
	ictx, cancel := context.WithTimeout(ctx, ingestTimeout)
	defer cancel()
	res, err := s.runIngest(ictx, "inbox", ready...)
	if err != nil {
		s.log.Error("inbox ingest", "files", len(ready), "err", err)
		return now // retried on the next poll
	}
	s.log.Info("inbox ingested", "run", res.RunID, "files", len(res.Files))
	for _, p := range ready {
		dst, err := moveAside(p, filepath.Join(dir, inboxDone))
		if err != nil {
			s.log.Error("inbox move", "file", p, "err", err)
			continue
		}
		delete(now, filepath.Base(p))
		s.log.Info("inbox moved", "file", filepath.Base(p), "to", dst)
	}
	return now
}

// moveAside moves p into dir, never overwriting: a name already there gets a numbered suffix.
func moveAside(p, dir string) (string, error) {
	base := filepath.Base(p)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	dst := filepath.Join(dir, base)
	for i := 2; ; i++ {
		if _, err := os.Lstat(dst); os.IsNotExist(err) {
			break
		}
		if i > 1000 {
			return "", fmt.Errorf("too many files named %s", base)
		}
		dst = filepath.Join(dir, fmt.Sprintf("%s(%d)%s", stem, i, ext))
	}
	return dst, os.Rename(p, dst)
}
