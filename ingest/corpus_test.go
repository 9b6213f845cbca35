package ingest

import (
	"archive/zip"
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lnvedash/queries/querytest"
	"lnvedash/seeds"
)

// The corpus of testdata/corpus/ is written by openpyxl, by LibreOffice and by hand-built OOXML
// (gen.py, `make testdata`), never by excelize; the facts each file must yield are written by hand in
// <case>.want beside it:
//
//	submitter NAME            the roster name decided
//	identity SOURCE           files.identity_source
//	verdict CODE              the file is rejected with this code
//	message TEXT              the verdict's message contains TEXT
//	sheets A、B               files.sheet: the sheets read
//	row SHEET!ROW[.ITEM] k=v  one measure, in order; the rows listed are all the rows. Keys: task,
//	                          printed, measure, goal, owner, duetext, due (YYYY-MM-DD, ongoing, none),
//	                          qty (5个,3000人次 or none)
//	finding CODE [TEXT]       a finding with this code (whose message contains TEXT)
//	nofinding CODE            no finding with this code
//
// A line starting [writer] holds for that writer only; a later row line for the same provenance adds
// keys to it.

var corpusWriters = []string{"openpyxl", "libreoffice", "ooxml"}

type wantRow struct {
	at   string // SHEET!ROW[.ITEM]
	keys map[string]string
}

type want struct {
	submitter, identity, verdict, sheets string
	messages                             []string
	rows                                 []*wantRow
	findings                             [][2]string
	nofindings                           []string
}

func readWant(t *testing.T, name, writer string) want {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "corpus", name+".want"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var w want
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			only, rest, _ := strings.Cut(line[1:], "]")
			if only != writer {
				continue
			}
			line = strings.TrimSpace(rest)
		}
		kw, rest, _ := strings.Cut(line, " ")
		switch kw {
		case "submitter":
			w.submitter = rest
		case "identity":
			w.identity = rest
		case "verdict":
			w.verdict = rest
		case "message":
			w.messages = append(w.messages, rest)
		case "sheets":
			w.sheets = rest
		case "finding":
			code, text, _ := strings.Cut(rest, " ")
			w.findings = append(w.findings, [2]string{code, text})
		case "nofinding":
			w.nofindings = append(w.nofindings, rest)
		case "row":
			fields := strings.Fields(rest)
			r := &wantRow{at: fields[0], keys: map[string]string{}}
			for _, kv := range fields[1:] {
				k, v, _ := strings.Cut(kv, "=")
				r.keys[k] = v
			}
			merged := false
			for _, prev := range w.rows {
				if prev.at == r.at {
					for k, v := range r.keys {
						prev.keys[k] = v
					}
					merged = true
				}
			}
			if !merged {
				w.rows = append(w.rows, r)
			}
		default:
			t.Fatalf("%s.want: unknown line %q", name, line)
		}
	}
	return w
}

var corpusReader = NewReader(seeds.MustLoad())

// checkCorpus reads case name as each writer wrote it and compares it with the hand-written facts.
func checkCorpus(t *testing.T, name string) {
	t.Helper()
	checkCorpusIn(t, name, "", "")
}

func checkCorpusIn(t *testing.T, name, folder, wantName string) {
	t.Helper()
	if wantName == "" {
		wantName = name
	}
	for _, writer := range corpusWriters {
		t.Run(writer+"/"+name, func(t *testing.T) {
			w := readWant(t, wantName, writer)
			path := filepath.Join("testdata", "corpus", writer, name+".xlsx")
			p, err := corpusReader.ReadIn(path, name+".xlsx", folder, time.Date(2021, 9, 10, 0, 0, 0, 0, time.UTC))
			if w.verdict != "" {
				rej, ok := AsRejection(err)
				if !ok {
					t.Fatalf("want verdict %s, got %v (parsed: %v)", w.verdict, err, p != nil)
				}
				if rej.Code != w.verdict {
					t.Fatalf("verdict %s (%s), want %s", rej.Code, rej.Message, w.verdict)
				}
				for _, m := range w.messages {
					if !strings.Contains(rej.Message, m) {
						t.Errorf("verdict message %q lacks %q", rej.Message, m)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if w.submitter != "" && p.Submitter.Name != w.submitter {
				t.Errorf("submitter %s, want %s", p.Submitter.Name, w.submitter)
			}
			if w.identity != "" && p.IdentitySource != w.identity {
				t.Errorf("identity source %s, want %s", p.IdentitySource, w.identity)
			}
			if w.sheets != "" && p.Sheet != w.sheets {
				t.Errorf("sheets %q, want %q", p.Sheet, w.sheets)
			}
			if len(p.Rows) != len(w.rows) {
				var got []string
				for _, r := range p.Rows {
					got = append(got, fmt.Sprintf("%s!%d.%d %s", r.Sheet, r.Row, r.Item, clip(r.Measure)))
				}
				t.Fatalf("%d measures, want %d: %v", len(p.Rows), len(w.rows), got)
			}
			for i, wr := range w.rows {
				checkRow(t, p.Rows[i], wr)
			}
			for _, wf := range w.findings {
				found := false
				for _, f := range p.Findings {
					found = found || f.Code == wf[0] && strings.Contains(f.Message, wf[1])
				}
				if !found {
					t.Errorf("no finding %s containing %q; findings: %v", wf[0], wf[1], p.Findings)
				}
			}
			for _, code := range w.nofindings {
				for _, f := range p.Findings {
					if f.Code == code {
						t.Errorf("unwanted finding %s: %s", code, f.Message)
					}
				}
			}
		})
	}
}

func checkRow(t *testing.T, r MeasureRow, w *wantRow) {
	t.Helper()
	at := fmt.Sprintf("%s!%d", r.Sheet, r.Row)
	if r.Item > 0 {
		at += fmt.Sprintf(".%d", r.Item)
	}
	if at != w.at {
		t.Errorf("measure at %s, want %s", at, w.at)
		return
	}
	due := "none"
	switch {
	case r.Ongoing:
		due = "ongoing"
	case !r.DueDate.IsZero():
		due = r.DueDate.Format("2006-01-02")
	}
	var qty []string
	for _, c := range r.Commitments {
		qty = append(qty, fmt.Sprintf("%g%s", c.Value, c.Unit))
	}
	if qty == nil {
		qty = []string{"none"}
	}
	got := map[string]string{"task": fmt.Sprint(r.TaskNo), "printed": r.PrintedNo, "measure": r.Measure, "goal": r.Goal,
		"owner": r.Owner, "duetext": r.Due, "due": due, "qty": strings.Join(qty, ",")}
	for k, v := range w.keys {
		g, ok := got[k]
		if !ok {
			t.Fatalf("%s: unknown key %s", w.at, k)
		}
		if g != v {
			t.Errorf("%s %s = %q, want %q", w.at, k, g, v)
		}
	}
}

// Class 1: who sent it — the print header, the sheet tab, a cover sheet, a zip's folder; disagreeing
// sources; nothing at all.
func TestCorpusWhoSentIt(t *testing.T) {
	for _, c := range []string{"c1_header", "c1_tab", "c1_cover", "c1_conflict", "c1_nobody"} {
		checkCorpus(t, c)
	}
	// The same file that names nobody, received in a zip's folder named after the college.
	checkCorpusIn(t, "c1_nobody", "锦州师专", "c1_folder")
}

// Class 2: header vocabulary and order; a header that cannot be placed is named, not "不是清单".
func TestCorpusHeaderWords(t *testing.T) {
	checkCorpus(t, "c2_vocab")
	checkCorpus(t, "c2_unmapped")
}

// Class 3: the whole workbook — every checklist sheet, not the 汇总 sheet, not 合计 rows.
func TestCorpusWholeWorkbook(t *testing.T) { checkCorpus(t, "c3_split") }

// Class 4: hidden rows and columns are drafts.
func TestCorpusHiddenRowsColumns(t *testing.T) { checkCorpus(t, "c4_hidden") }

// Class 5: 序号 is not the task.
func TestCorpusPrintedNumber(t *testing.T) { checkCorpus(t, "c5_rowno") }

// Class 6: displayed values.
func TestCorpusDisplayedValues(t *testing.T) { checkCorpus(t, "c6_display") }

// Class 7: more 完成时间 forms.
func TestCorpusDueForms(t *testing.T) { checkCorpus(t, "c7_due") }

// Class 8: more 完成目标 forms.
func TestCorpusGoalForms(t *testing.T) { checkCorpus(t, "c8_goal") }

// Class 9: numbered lists in one cell.
func TestCorpusNumberedLists(t *testing.T) {
	checkCorpus(t, "c9_lists")
	checkCorpus(t, "c9_merged")
}

// Class 10: damaged sheet data is corrupt, not "not a checklist".
func TestCorpusDamage(t *testing.T) { checkCorpus(t, "c10_damaged") }

// The folder of an uploaded zip reaches the reader through Run: c1_nobody's file, which names nobody,
// sent as 锦州师专/清单.xlsx inside a zip, is 锦州师范高等专科学校's.
func TestCorpusZipFolderNamesSender(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "corpus", "libreoffice", "c1_nobody.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	zpath := filepath.Join(dir, "upload.zip")
	zf, err := os.Create(zpath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	w, err := zw.Create("锦州师专/清单.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zf.Close()
	db := querytest.Open(t, "")
	res := run(t, db, t.TempDir(), zpath)
	if len(res.Files) != 1 || res.Files[0].Submitter != "锦州师范高等专科学校" || res.Files[0].Status != "current" {
		t.Fatalf("files %+v", res.Files)
	}
	var source string
	if err := db.QueryRow(`SELECT identity_source FROM files`).Scan(&source); err != nil || source != IdentityFolder {
		t.Errorf("identity_source %q (%v), want folder", source, err)
	}
}
