package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"lnvedash/queries"
)

// parsed is one worker's outcome.
type parsed struct {
	i   int
	job *job
	err error
}

// process archives and parses the inputs with bounded parallelism and hands them back in input order
// through next (which blocks until input i is ready). At most window inputs are in flight or waiting
// beyond the one being consumed, which bounds memory whatever the order in which workers finish.
func process(ctx context.Context, rd *Reader, dataDir string, inputs []input, existing map[string]queries.StoredFile, opt Options) (next func(i int) (*job, error), stop func()) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	window := 4 * workers
	ctx, cancel := context.WithCancel(ctx)
	tokens := make(chan struct{}, window)
	todo := make(chan int)
	out := make(chan parsed, window)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range todo {
				j, err := processOne(rd, dataDir, inputs[i], existing)
				mu.Lock()
				done++
				if opt.Progress != nil {
					opt.Progress(done, len(inputs))
				}
				mu.Unlock()
				out <- parsed{i, j, err} // buffered to window: never blocks while tokens bound the flight
			}
		}()
	}
	go func() {
		defer close(todo)
		for i := range inputs {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case todo <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	pending := map[int]parsed{}
	next = func(i int) (*job, error) {
		for {
			if p, ok := pending[i]; ok {
				delete(pending, i)
				<-tokens
				return p.job, p.err
			}
			select {
			case p := <-out:
				pending[p.i] = p
			case <-ctx.Done():
				return nil, fmt.Errorf("ingest: %w", ctx.Err())
			}
		}
	}
	stop = func() {
		cancel()
		go func() {
			for range out { // let workers still holding a result finish
			}
		}()
		wg.Wait()
		close(out)
	}
	return next, stop
}

func processOne(rd *Reader, dataDir string, in input, existing map[string]queries.StoredFile) (*job, error) {
	j := &job{in: in}
	refused := in.refused
	keep := int64(-1)
	if st, err := os.Stat(in.path); err == nil && refused == nil && st.Size() > rd.Limits.MaxFileSize {
		refused = reject(CodeTooLarge, fmt.Sprintf("文件过大（%.1f MB，上限 %d MB），请删除清单以外的内容（如图片）后重新报送", float64(st.Size())/(1<<20), rd.Limits.MaxFileSize>>20), nil)
	}
	if refused != nil {
		keep = refusedPrefix // refused bytes are not archived beyond a prefix; the hash covers all
	}
	sha, size, rel, err := archive(dataDir, in.path, in.name, keep)
	if err != nil {
		return nil, err
	}
	j.sha, j.size, j.archive, j.key = sha, size, rel, sha
	if size == 0 {
		// Every empty file has the same hash: "empty" comes before duplicate detection, or one unit's
		// empty return would be credited to whoever sent an empty file first. An empty file is the same
		// as another only under the same name (the same unit sending it again).
		refused = reject(CodeEmpty, "文件是空的（0 字节），请重新导出并上传清单", nil)
		j.key = emptyKey(sha, in.name)
	}
	if _, ok := existing[j.key]; ok {
		j.dup, j.rej = true, refused
		return j, nil
	}
	var p *Parsed
	if refused != nil {
		err = refused
	} else {
		st, isStamped, serr := rd.ReadStamped(filepath.Join(dataDir, rel), in.name)
		if isStamped || serr != nil {
			if r, ok := AsRejection(serr); ok {
				j.rej = r
				return j, nil
			}
			j.stamped = st
			return j, serr
		}
		p, err = rd.ReadIn(filepath.Join(dataDir, rel), in.name, zipFolder(in.display, in.name), in.mtime)
	}
	if err != nil {
		r, ok := AsRejection(err)
		if !ok {
			return nil, err
		}
		j.rej = r
		if rd.Unit != nil { // the link says who sent it, whatever the file says
			j.rejSubmitter, j.rejKind, j.rejByLink = rd.Unit.Name, rd.Unit.Kind, true
			return j, nil
		}
		// Who sent a rejected file is still worth knowing (the clerk writes back to them): the file
		// name is the only witness left.
		if r.Code != CodeUnknownSubmitter {
			if sub, ok := rd.Names.Resolve(fileNameStem(in.name)); ok {
				j.rejSubmitter, j.rejKind = sub.Name, sub.Kind
			}
		}
		return j, nil
	}
	j.parsed = p
	return j, nil
}
