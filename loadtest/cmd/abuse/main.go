// Command abuse is `make abuse`: the probes of issue 16, run as an anonymous client on the intranet
// would, against a real `lnvedash serve` on a random loopback port, each bounded in requests, bytes
// and time. It generates a small corpus, ingests it, starts the server (admin token set, an inbox,
// orphans of a dead process planted in the data folder), runs every probe, checks each answer, and
// prints per probe the requests sent, refused (503/429) and failed (5xx other than 503), the server's
// RSS and the data folder's size before and after. Any failed check makes the exit status 1. Every
// target is loopback; everything it made is removed.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"lnvedash/bench"
)

const token = "abuse-admin-token"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "abuse:", err)
		os.Exit(1)
	}
}

// probe is one line of the report.
type probe struct {
	Name      string
	Sent      int
	Status    map[int]int
	Refused   int // 503 and 429
	Failed    int // 5xx other than 503, transport errors
	RSSBefore float64
	RSSAfter  float64
	DiskMB    [2]float64 // data folder before, after
	Seconds   float64
	Checks    []string // failed checks; empty = pass
	Note      string
}

type env struct {
	url, data, inbox string
	pid              int
	client           *http.Client
}

func (e *env) rss() float64 {
	v, err := bench.ProcStatus(e.pid, "VmRSS")
	if err != nil {
		return -1
	}
	return float64(v) / (1 << 20)
}

// archiveMB is the size of what the server keeps of received files: the archive and upload folders.
func archiveMB(e *env) float64 {
	return dirMB(filepath.Join(e.data, "archive")) + dirMB(filepath.Join(e.data, "uploads"))
}

func dirMB(dir string) float64 {
	var n int64
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return float64(n) / (1 << 20)
}

func run() error {
	bin := flag.String("bin", "", "lnvedash binary (default: $LNVEDASH_BIN, else go build)")
	files := flag.Int("files", 200, "checklists in the generated corpus")
	conc := flag.Int("c", 1000, "concurrent requests of the page probes (at most 1000)")
	jsonOut := flag.String("json", "", "also write the results as JSON to this file")
	flag.Parse()
	if *conc > 1000 || *files > 2000 {
		return fmt.Errorf("-c at most 1000 and -files at most 2000")
	}
	tmp, err := os.MkdirTemp("", "lnvedash-abuse-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if *bin != "" {
		os.Setenv("LNVEDASH_BIN", *bin)
	}
	exe, err := bench.Binary(tmp)
	if err != nil {
		return err
	}
	fmt.Println("machine:", bench.Machine())
	c, err := bench.Generate(filepath.Join(tmp, "corpus"), *files)
	if err != nil {
		return err
	}
	corpusDir = c.Dir
	data := filepath.Join(tmp, "data")
	db := filepath.Join(data, "lnvedash.duckdb")
	inbox := filepath.Join(tmp, "inbox")
	for _, d := range []string{data, inbox} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if _, err := bench.RunChild(exec.Command(exe, "ingest", "--db", db, c.Dir)); err != nil {
		return err
	}
	orphans, err := plantOrphans(data)
	if err != nil {
		return err
	}
	srv, err := bench.Serve(context.Background(), exe, db, "--admin-token", token, "--inbox", inbox)
	if err != nil {
		return err
	}
	defer srv.Stop()
	if _, err := srv.WaitIdle(3*time.Second, 15*time.Minute); err != nil {
		return err
	}
	u, _ := url.Parse(srv.URL)
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s is not loopback", srv.URL)
	}
	e := &env{url: srv.URL, data: data, inbox: inbox, pid: srv.Pid(),
		client: &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}}
	fmt.Printf("server pid %d at %s, RSS %.1f MiB, data folder %.1f MB\n\n", e.pid, e.url, e.rss(), dirMB(data))

	probes := []struct {
		name string
		fn   func(*env, *probe)
	}{
		{"orphans swept at start", func(e *env, p *probe) { checkOrphans(p, orphans) }},
		{fmt.Sprintf("%d × GET /?u=N", *conc), func(e *env, p *probe) { flood(e, p, *conc, func(i int) string { return "/?u=" + strconv.Itoa(i) }) }},
		{fmt.Sprintf("%d × GET /report", *conc), func(e *env, p *probe) { flood(e, p, *conc, func(int) string { return "/report" }) }},
		{"60 × 60 MB upload, no token", unauthUploads},
		{"200 wrong tokens", guessing},
		{"zip: 9 members × 60 MB", zipNineBig},
		{"200 MB file in the inbox", inboxBig},
		{"zip: 8 workbooks × 50 MB cell", inlineStrings},
		{"zip: overlapping entries", overlapping},
		{"zip: 100,000 entries", manyEntries},
		{"SQL: plan/serialise", sqlPlan},
		{"SQL: 200 runaway + 1 other client", sqlFair},
		{"SQL: result types", sqlTypes},
		{"names: 300-byte, bidi, empty ×2", names},
		{"Origin/Host, UTF-8, token in URL", origins},
	}
	var results []*probe
	failed := 0
	for _, pr := range probes {
		p := &probe{Name: pr.name, Status: map[int]int{}, RSSBefore: e.rss()}
		p.DiskMB[0] = dirMB(data)
		start := time.Now()
		pr.fn(e, p)
		p.Seconds = time.Since(start).Seconds()
		p.RSSAfter, p.DiskMB[1] = e.rss(), dirMB(data)
		if !health(e) {
			p.Checks = append(p.Checks, "/healthz did not answer after the probe")
		}
		results = append(results, p)
		verdict := "pass"
		if len(p.Checks) > 0 {
			verdict, failed = "FAIL: "+strings.Join(p.Checks, "; "), failed+1
		}
		fmt.Printf("%-36s %s\n", p.Name, verdict)
	}
	hwm, _ := bench.ProcStatus(e.pid, "VmHWM")
	fmt.Println()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "probe\tsent\trefused\tfailed\tstatuses\tRSS MiB before→after\tdata MB before→after\ts\tnote")
	for _, p := range results {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%v\t%.0f→%.0f\t%.1f→%.1f\t%.1f\t%s\n", p.Name, p.Sent, p.Refused, p.Failed, p.Status,
			p.RSSBefore, p.RSSAfter, p.DiskMB[0], p.DiskMB[1], p.Seconds, p.Note)
	}
	tw.Flush()
	fmt.Printf("\nserver peak RSS (VmHWM) %.1f MiB\n", float64(hwm)/(1<<20))
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(map[string]any{"machine": bench.Machine(), "files": *files, "probes": results,
			"server_vmhwm_mib": float64(hwm) / (1 << 20)}, "", "  ")
		if err := os.WriteFile(*jsonOut, b, 0o644); err != nil {
			return err
		}
	}
	if failed > 0 {
		fmt.Fprintln(os.Stderr, srv.Logs())
		return fmt.Errorf("%d probes failed", failed)
	}
	return nil
}

func (p *probe) count(code int, err error) {
	p.Sent++
	switch {
	case err != nil:
		p.Failed++
		p.Status[-1]++
		return
	case code == 503 || code == 429:
		p.Refused++
	case code >= 500:
		p.Failed++
	}
	p.Status[code]++
}

func (p *probe) check(ok bool, format string, args ...any) {
	if !ok {
		p.Checks = append(p.Checks, fmt.Sprintf(format, args...))
	}
}

func health(e *env) bool {
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(e.url + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == 200
}

// get returns status and body of one request; req may carry headers.
func (e *env) do(req *http.Request) (int, string, error) {
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	return resp.StatusCode, string(b), nil
}

// flood sends n requests at once and, meanwhile, /healthz every 200 ms: every answer must be 200 or a
// fast refusal, and /healthz must answer each time.
func flood(e *env, p *probe, n int, path func(int) string) {
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: n}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var healthOK, healthN atomic.Int64
	healthDone := make(chan struct{})
	go func() {
		defer close(healthDone)
		for {
			ok := health(e) // at once, then every 200 ms until the flood is over
			healthN.Add(1)
			if ok {
				healthOK.Add(1)
			}
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
			}
		}
	}()
	var slowest time.Duration
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			t := time.Now()
			resp, err := client.Get(e.url + path(i))
			code := 0
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				code = resp.StatusCode
				if code == 503 && resp.Header.Get("Retry-After") == "" {
					code = 599 // a 503 without Retry-After is not ours
				}
			}
			mu.Lock()
			p.count(code, err)
			slowest = max(slowest, time.Since(t))
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	close(stop)
	<-healthDone
	p.check(p.Failed == 0, "%d requests failed (5xx or transport)", p.Failed)
	p.check(p.Status[200] > 0, "no request answered 200")
	p.check(healthOK.Load() == healthN.Load(), "/healthz answered %d of %d times during the flood", healthOK.Load(), healthN.Load())
	p.check(e.rss() < 1024, "RSS %.0f MiB", e.rss())
	p.Note = fmt.Sprintf("/healthz %d/%d during; slowest %v", healthOK.Load(), healthN.Load(), slowest.Round(time.Millisecond))
}

// unauthUploads: 60 clients each announce a 60 MB upload and send it without a token. Each must be
// answered 401 after the first few KB, the rest of its body unread.
func unauthUploads(e *env, p *probe) {
	host := strings.TrimPrefix(e.url, "http://")
	var mu sync.Mutex
	var wg sync.WaitGroup
	var sent atomic.Int64
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, n, err := rawUpload(host, "127.0.0.3", 60<<20, "")
			sent.Add(n)
			mu.Lock()
			p.count(code, err)
			mu.Unlock()
		}()
	}
	wg.Wait()
	p.check(p.Status[401]+p.Status[429] == 60 && p.Status[401] <= 10, "answers %v, want at most 10 × 401, then 429", p.Status)
	p.check(sent.Load() < 60*(8<<20), "clients got %d MB into the server", sent.Load()>>20)
	p.check(e.rss()-p.RSSBefore < 200, "RSS grew %.0f MiB", e.rss()-p.RSSBefore)
	p.Note = fmt.Sprintf("%.1f MB of 3600 MB accepted before the 401s", float64(sent.Load())/(1<<20))
}

// rawUpload announces size bytes of multipart body and writes them in 64 KB pieces until the server
// answers or closes; it returns the status and the bytes written.
func rawUpload(host, from string, size int, tok string) (int, int64, error) {
	d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	conn, err := d.Dial("tcp", host)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	auth := ""
	if tok != "" {
		auth = "Authorization: Bearer " + tok + "\r\n"
	}
	fmt.Fprintf(conn, "POST /api/ingest HTTP/1.1\r\nHost: %s\r\n%sContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n", host, auth, size)
	answered := make(chan int, 1)
	go func() {
		_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	chunk := make([]byte, 64<<10)
	copy(chunk, "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"x.xlsx\"\r\n\r\n")
	var n int64
	for n < int64(size) {
		select {
		case code := <-answered:
			return code, n, nil
		default:
		}
		_ = conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		k, err := conn.Write(chunk)
		n += int64(k)
		if err != nil {
			break
		}
	}
	code := <-answered
	return code, n, nil
}

// guessing: 200 wrong tokens from a fresh client (127.0.0.4); the right token is then refused too, and
// the main client (127.0.0.1) is not affected.
func guessing(e *env, p *probe) {
	c := fromClient("127.0.0.4")
	for i := 0; i <= 200; i++ {
		req, _ := http.NewRequest("POST", e.url+"/api/ingest", strings.NewReader("x"))
		tok := "guess-" + strconv.Itoa(i)
		if i == 200 {
			tok = token
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := c.Do(req)
		code := 0
		if err == nil {
			resp.Body.Close()
			code = resp.StatusCode
		}
		p.count(code, err)
	}
	p.check(p.Status[401] == 10 && p.Status[429] == 191, "answers %v, want 10 × 401 then 429 (the right token included)", p.Status)
}

// fromClient is an HTTP client whose connections come from the loopback address ip.
func fromClient(ip string) *http.Client {
	return &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}).DialContext}}
}

// upload posts files (name → bytes) with the token and returns the verdicts.
type verdict struct{ FileName, Status, ReasonCode, Message, Submitter string }

func upload(e *env, p *probe, files [][2]string, bodies [][]byte) ([]verdict, int) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i, f := range files {
		fw, _ := w.CreateFormFile("files", f[0])
		_, _ = fw.Write(bodies[i])
	}
	_ = w.Close()
	req, _ := http.NewRequest("POST", e.url+"/api/ingest", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	code, body, err := e.do(req)
	p.count(code, err)
	var res struct{ Files []verdict }
	_ = json.Unmarshal([]byte(body), &res)
	if code != 200 {
		p.Note = fmt.Sprintf("%.200s", body)
	}
	return res.Files, code
}

func deflated(members []struct {
	name string
	r    io.Reader
}) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		w, _ := zw.Create(m.name)
		_, _ = io.Copy(w, m.r)
	}
	_ = zw.Close()
	return buf.Bytes()
}

type repeatReader struct {
	b byte
	n int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), r.n)
	for i := range p[:k] {
		p[i] = r.b
	}
	r.n -= k
	return int(k), nil
}

func zipNineBig(e *env, p *probe) {
	var ms []struct {
		name string
		r    io.Reader
	}
	for i := 0; i < 9; i++ {
		ms = append(ms, struct {
			name string
			r    io.Reader
		}{fmt.Sprintf("%d.xlsx", i), &repeatReader{b: byte('a' + i), n: 60 << 20}})
	}
	z := deflated(ms)
	archived := archiveMB(e)
	v, code := upload(e, p, [][2]string{{"nine.zip"}}, [][]byte{z})
	// Each member is over the 50 MB member limit, and together they are over the zip's 256 MB: the zip
	// is refused as a whole (or, under a larger budget, each member would be).
	ok := code == 200 && len(v) > 0
	for _, f := range v {
		ok = ok && f.ReasonCode == "too_large"
	}
	p.check(ok, "HTTP %d, verdicts %+v", code, v)
	grew := archiveMB(e) - archived
	p.check(grew < 1, "archive grew %.2f MB", grew)
	if len(v) > 0 {
		p.Note = fmt.Sprintf("zip %d KB; %d verdict(s): %s; archive +%.3f MB", len(z)>>10, len(v), v[0].Message, grew)
	}
}

func inboxBig(e *env, p *probe) {
	name := "大连市-超大文件.xlsx"
	archived := archiveMB(e)
	f, err := os.Create(filepath.Join(e.inbox, name))
	if err == nil {
		_, err = io.Copy(f, &repeatReader{b: 'x', n: 200 << 20})
		f.Close()
	}
	p.check(err == nil, "write: %v", err)
	done := filepath.Join(e.inbox, "已处理", name)
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(done); err == nil {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	_, err = os.Stat(done)
	p.check(err == nil, "not ingested from the inbox in 2 min")
	_ = os.Remove(done)
	grew := archiveMB(e) - archived
	p.check(grew < 1, "archive grew %.2f MB", grew)
	p.Sent = 1
	p.Note = fmt.Sprintf("archive +%.3f MB", grew)
}

// inlineStrings: eight workbooks, each a real checklist with one 50 MB inline-string cell spliced in.
func inlineStrings(e *env, p *probe) {
	good, err := os.ReadFile(firstChecklist(e))
	if err != nil {
		p.check(false, "no checklist: %v", err)
		return
	}
	var ms []struct {
		name string
		r    io.Reader
	}
	for i := 0; i < 8; i++ {
		ms = append(ms, struct {
			name string
			r    io.Reader
		}{fmt.Sprintf("大连市-%d.xlsx", i), bytes.NewReader(spliceCell(good, 50<<20, byte('a'+i)))})
	}
	z := deflated(ms)
	v, code := upload(e, p, [][2]string{{"cells.zip"}}, [][]byte{z})
	tooLarge := 0
	for _, f := range v {
		if f.ReasonCode == "too_large" {
			tooLarge++
		}
	}
	p.check(code == 200 && tooLarge == 8, "HTTP %d, %d × too_large of %d", code, tooLarge, len(v))
	hwm, _ := bench.ProcStatus(e.pid, "VmHWM")
	p.check(e.rss()-p.RSSBefore < 300, "RSS grew %.0f MiB", e.rss()-p.RSSBefore)
	p.Note = fmt.Sprintf("zip %d KB; peak RSS so far %.0f MiB", len(z)>>10, float64(hwm)/(1<<20))
}

var corpusDir string

func firstChecklist(e *env) string {
	var found string
	_ = filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && found == "" && strings.HasSuffix(p, ".xlsx") {
			found = p
		}
		return nil
	})
	return found
}

// spliceCell adds an inline-string cell of n bytes to the first row of sheet1.
func spliceCell(xlsx []byte, n int, fill byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		return xlsx
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		w, _ := zw.Create(f.Name)
		if f.Name == "xl/worksheets/sheet1.xml" {
			if i := bytes.Index(body, []byte("</row>")); i > 0 {
				_, _ = w.Write(body[:i])
				_, _ = io.WriteString(w, `<c r="ZZ1" t="inlineStr"><is><t>`)
				_, _ = io.Copy(w, &repeatReader{b: fill, n: int64(n)})
				_, _ = io.WriteString(w, `</t></is></c>`)
				_, _ = w.Write(body[i:])
				continue
			}
		}
		_, _ = w.Write(body)
	}
	_ = zw.Close()
	return buf.Bytes()
}

// overlapping builds a zip whose 40 central-directory entries all point at one 50 MB member.
func overlapping(e *env, p *probe) {
	one := deflated([]struct {
		name string
		r    io.Reader
	}{{"000000.xlsx", &repeatReader{b: 0, n: 50 << 20}}})
	z, err := overlap(one, 40)
	if err != nil {
		p.check(false, "build: %v", err)
		return
	}
	archived := archiveMB(e)
	v, code := upload(e, p, [][2]string{{"overlap.zip"}}, [][]byte{z})
	ok := code == 200 && len(v) == 1 && v[0].ReasonCode == "too_large" && strings.Contains(v[0].Message, "压缩包解压后超过")
	p.check(ok, "HTTP %d, verdicts %+v", code, v)
	grew := archiveMB(e) - archived
	p.check(grew < 1, "archive grew %.2f MB", grew)
	p.Note = fmt.Sprintf("zip %d KB, 40 entries × 50 MB; archive +%.3f MB", len(z)>>10, grew)
}

// overlap rewrites a one-member zip so its central directory lists the member n times.
func overlap(z []byte, n int) ([]byte, error) {
	eocd := bytes.LastIndex(z, []byte("PK\x05\x06"))
	if eocd < 0 {
		return nil, fmt.Errorf("no end record")
	}
	cdOff := binary.LittleEndian.Uint32(z[eocd+16:])
	cd := z[cdOff:eocd]
	var out bytes.Buffer
	out.Write(z[:cdOff])
	for i := 0; i < n; i++ {
		entry := append([]byte{}, cd...)
		nameLen := binary.LittleEndian.Uint16(entry[28:])
		name := []byte(fmt.Sprintf("%06d", i))[:min(6, int(nameLen))] // "000007.xlsx": the digits only
		copy(entry[46:46+len(name)], name)
		out.Write(entry)
	}
	end := append([]byte{}, z[eocd:eocd+22]...)
	binary.LittleEndian.PutUint16(end[8:], uint16(n))
	binary.LittleEndian.PutUint16(end[10:], uint16(n))
	binary.LittleEndian.PutUint32(end[12:], uint32(len(cd)*n))
	binary.LittleEndian.PutUint32(end[16:], cdOff)
	out.Write(end)
	return out.Bytes(), nil
}

func manyEntries(e *env, p *probe) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < 100000; i++ {
		_, _ = zw.CreateHeader(&zip.FileHeader{Name: strconv.Itoa(i) + ".xlsx", Method: zip.Store})
	}
	_ = zw.Close()
	v, code := upload(e, p, [][2]string{{"many.zip"}}, [][]byte{buf.Bytes()})
	ok := code == 200 && len(v) == 1 && v[0].ReasonCode == "too_large" && strings.Contains(v[0].Message, "条目")
	p.check(ok, "HTTP %d, %d verdicts %.200v", code, len(v), v)
	p.Note = fmt.Sprintf("zip %.1f MB", float64(buf.Len())/(1<<20))
}

func sqlPost(e *env, from, q string) (int, string, error) {
	b, _ := json.Marshal(map[string]string{"sql": q})
	client := e.client
	if from != "" {
		client = fromClient(from)
	}
	req, _ := http.NewRequest("POST", e.url+"/api/sql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), nil
}

func sqlPlan(e *env, p *probe) {
	for _, q := range []string{
		"SELECT json_serialize_plan('SELECT current_setting(''secret_directory'')', optimize := true)",
		"SELECT json_serialize_plan('SELECT current_setting(''memory_limit'')', optimize := true)",
		"SELECT json_serialize_plan('SELECT source_path FROM files', optimize := true)",
		"SELECT json_serialize_sql('SELECT getenv(''HOME'')')",
		"EXPLAIN SELECT * FROM files",
	} {
		code, body, err := sqlPost(e, "", q)
		p.count(code, err)
		p.check(code == 400 || code == 403 || code == 422, "%q answered %d: %.120s", q, code, body)
	}
}

// sqlFair: 200 runaway queries from 127.0.0.1, then one query from 127.0.0.2 must answer within
// about one statement timeout, not after the whole queue.
func sqlFair(e *env, p *probe) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, _, err := sqlPost(e, "", "SELECT sum(a.range * b.range) FROM range(1000000) a CROSS JOIN range(1000000) b")
			mu.Lock()
			p.count(code, err)
			mu.Unlock()
		}()
	}
	time.Sleep(time.Second)
	start := time.Now()
	code, body, err := sqlPost(e, "127.0.0.2", "SELECT count(*) AS n FROM tasks")
	took := time.Since(start)
	p.check(err == nil && code == 200, "the other client: %d %v %.100s", code, err, body)
	p.check(took < 30*time.Second, "the other client waited %v", took)
	wg.Wait()
	p.check(p.Status[400] > 0 && p.Status[429] > 0, "runaways: %v, want timeouts (400) and refusals (429)", p.Status)
	p.Note = fmt.Sprintf("other client answered in %v", took.Round(time.Millisecond))
}

func sqlTypes(e *env, p *probe) {
	code, body, err := sqlPost(e, "", "SELECT TIMETZ '12:34:56+05:30' AS tz, 'infinity'::TIMESTAMP AS inf, '550e8400-e29b-41d4-a716-446655440000'::UUID AS u, 42::VARIANT AS v")
	p.count(code, err)
	for _, want := range []string{"12:34:56+05:30", `"infinity"`, "550e8400-e29b-41d4-a716-446655440000", `"42"`} {
		p.check(strings.Contains(body, want), "result lacks %s: %.200s", want, body)
	}
}

func names(e *env, p *probe) {
	long := strings.Repeat("辽宁省职业教育改革任务落实举措清单", 6) + "大连市.xlsx"
	bidi := "营口市\u202Excod.xlsx"
	src, _ := os.ReadFile(firstChecklist(e))
	v, code := upload(e, p, [][2]string{{long}, {bidi}, {"沈阳市.xlsx"}, {"鞍山市.xlsx"}},
		[][]byte{append(append([]byte{}, src...), 1), append(append([]byte{}, src...), 2), nil, nil})
	p.check(code == 200 && len(v) == 4, "HTTP %d, %d verdicts", code, len(v))
	if len(v) == 4 {
		p.check(v[0].FileName == long, "long name came back as %q", v[0].FileName)
		p.check(v[2].ReasonCode == "empty" && v[3].ReasonCode == "empty" && v[3].Submitter == "鞍山市",
			"empty files: %+v %+v", v[2], v[3])
	}
	code, page, err := e.do(mustReq("GET", e.url+"/returns", nil))
	p.count(code, err)
	p.check(!strings.ContainsRune(page, '\u202E') && strings.Contains(page, "[U+202E]"), "bidi control shown raw on /returns")
}

func mustReq(method, u string, body io.Reader) *http.Request {
	r, _ := http.NewRequest(method, u, body)
	return r
}

func origins(e *env, p *probe) {
	try := func(want int, req *http.Request) {
		code, body, err := e.do(req)
		p.count(code, err)
		p.check(code == want, "%s %s (Host %s, Origin %s): %d, want %d: %.100s", req.Method, req.URL.Path, req.Host, req.Header.Get("Origin"), code, want, body)
	}
	r := mustReq("POST", e.url+"/api/sql", strings.NewReader(`{"sql":"SELECT 1"}`))
	r.Host = "attacker.example"
	try(403, r)
	r = mustReq("POST", e.url+"/api/sql", strings.NewReader("sql=SELECT+1"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Origin", "http://attacker.example")
	try(403, r)
	r = mustReq("POST", e.url+"/upload?token="+token, strings.NewReader("x"))
	try(401, r)
	try(400, mustReq("GET", e.url+"/cities/%FF%FE", nil))
	try(400, mustReq("GET", e.url+"/search?q=%E4%B8", nil))
}

// plantOrphans leaves what a process killed with -9 leaves in the data folder.
func plantOrphans(data string) ([]string, error) {
	child := exec.Command("true")
	if err := child.Run(); err != nil {
		return nil, err
	}
	if err := syscall.Kill(child.Process.Pid, 0); err != syscall.ESRCH {
		return nil, fmt.Errorf("pid %d still there", child.Process.Pid)
	}
	pid := strconv.Itoa(child.Process.Pid)
	paths := []string{filepath.Join(data, "archive", ".incoming-"+pid+"-1"), filepath.Join(data, "uploads", "upload-"+pid+"-2", "00001.xlsx")}
	for _, p := range paths {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, make([]byte, 1<<20), 0o644); err != nil {
			return nil, err
		}
	}
	return paths, nil
}

func checkOrphans(p *probe, paths []string) {
	for _, o := range paths {
		_, err := os.Stat(o)
		p.check(os.IsNotExist(err), "%s still there", o)
	}
}
