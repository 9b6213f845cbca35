package ingest

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"lnvedash/seeds"
)

// Identity sources stored in files.identity_source, strongest first: the order in which evidence is
// ranked when sources disagree.
const (
	IdentityTemplate     = "template"      // the template's embedded name (defined name or hidden sheet)
	IdentityUnit         = "unit"          // the 单位 cell
	IdentityHeaderFooter = "header_footer" // the print header or footer (页眉/页脚)
	IdentityTitle        = "title"         // a title cell above the checklist's header
	IdentityCover        = "cover"         // a cover sheet (封面) or another sheet that is not the checklist
	IdentitySheetName    = "sheet_name"    // the sheet tab
	IdentityFileName     = "file_name"     // the file name
	IdentityFolder       = "folder"        // the folder of an uploaded zip the file was in
	IdentityLink         = "link"          // nothing in the file names a unit; the unit's upload link does
)

var identityLabels = map[string]string{IdentityTemplate: "模板内置的单位名", IdentityUnit: "“单位”栏",
	IdentityHeaderFooter: "页眉/页脚", IdentityTitle: "表头上方的标题", IdentityCover: "封面等其他工作表",
	IdentitySheetName: "工作表名", IdentityFileName: "文件名", IdentityFolder: "压缩包内的文件夹名", IdentityLink: "上传链接"}

// evidence is one text that may name the sender, and where it was seen.
type evidence struct {
	kind, text string
}

// gatherEvidence lists every text that may name the sender, strongest source first.
func gatherEvidence(f *excelize.File, read, others []*sheetData, fileName, folder string) []evidence {
	var ev []evidence
	if t := embeddedIdentity(f); t != "" {
		ev = append(ev, evidence{IdentityTemplate, t})
	}
	all := append(append([]*sheetData{}, read...), others...)
	for _, sd := range all {
		if sd.unitName != "" {
			ev = append(ev, evidence{IdentityUnit, sd.unitName})
		}
	}
	for _, sd := range read {
		if sd.tail != nil {
			for _, t := range sd.tail.HeaderFooter {
				ev = append(ev, evidence{IdentityHeaderFooter, t})
			}
		}
	}
	for _, sd := range read {
		for _, t := range sd.names {
			ev = append(ev, evidence{IdentityTitle, t})
		}
	}
	for _, sd := range others {
		for _, t := range sd.names {
			ev = append(ev, evidence{IdentityCover, t})
		}
		if sd.tail != nil {
			for _, t := range sd.tail.HeaderFooter {
				ev = append(ev, evidence{IdentityCover, t})
			}
		}
	}
	for _, sd := range all {
		ev = append(ev, evidence{IdentitySheetName, sd.name})
	}
	ev = append(ev, evidence{IdentityFileName, fileNameStem(fileName)})
	if folder != "" {
		ev = append(ev, evidence{IdentityFolder, folder})
	}
	return ev
}

// identify decides the submitter from the strongest evidence that names one; weaker evidence naming
// another unit is a finding, and nothing at all is a verdict that lists what was seen.
func (rd *Reader) identify(f *excelize.File, p *Parsed, read, others []*sheetData, fileName, folder string) error {
	var seen []string
	conflicts := map[string]bool{}
	unitName := ""
	for _, sd := range read {
		if unitName == "" {
			unitName = sd.unitName
		}
	}
	for _, e := range gatherEvidence(f, read, others, fileName, folder) {
		if e.kind != IdentityTitle && e.kind != IdentityCover || len(seen) < 12 {
			seen = append(seen, fmt.Sprintf("%s“%s”", identityLabels[e.kind], clip(e.text)))
		}
		sub, ok := rd.Names.Resolve(e.text)
		if !ok {
			continue
		}
		if p.Submitter == nil {
			p.Submitter, p.IdentitySource = sub, e.kind
			continue
		}
		if sub.Name != p.Submitter.Name && !conflicts[sub.Name] {
			conflicts[sub.Name] = true
			p.Findings = append(p.Findings, Finding{Sheet: read[0].name, Severity: SevWarning, Code: "submitter_conflict",
				Message: fmt.Sprintf("%s指向“%s”，但%s“%s”指向“%s”；已按%s认定为“%s”，请核对", identityLabels[p.IdentitySource],
					p.Submitter.Name, identityLabels[e.kind], clip(e.text), sub.Name, identityLabels[p.IdentitySource], p.Submitter.Name)})
		}
	}
	if rd.Unit != nil { // uploaded through a unit's personal link: credited to it, or refused
		if p.Submitter == nil {
			p.Submitter, p.IdentitySource = rd.Unit, IdentityLink
			p.Findings = append(p.Findings, Finding{Sheet: read[0].name, Severity: SevInfo, Code: "unit_from_link",
				Message: fmt.Sprintf("文件未写明可识别的单位，已按上传链接认定为“%s”，请补填单位名称", rd.Unit.Name)})
			return nil
		}
		if p.Submitter.Name != rd.Unit.Name {
			return reject(CodeWrongUnit, fmt.Sprintf("文件的%s写的是“%s”，不是本单位“%s”：未入库。请上传本单位的清单", identityLabels[p.IdentitySource], p.Submitter.Name, rd.Unit.Name), nil)
		}
	}
	if p.Submitter == nil {
		return reject(CodeUnknownSubmitter, fmt.Sprintf("无法识别报送单位（看到：%s），请在“单位”栏填写本单位全称后重新报送", strings.Join(seen, "，")), nil)
	}
	if p.IdentitySource != IdentityTemplate && unitName == "" {
		p.Findings = append(p.Findings, Finding{Sheet: read[0].name, Severity: SevInfo, Code: "unit_missing",
			Message: fmt.Sprintf("“单位”栏未填写，已按%s认定为“%s”，请补填单位名称", identityLabels[p.IdentitySource], p.Submitter.Name)})
	}
	return nil
}

// SubmitterIndex resolves what people write for a city or college to the roster's canonical name.
type SubmitterIndex struct {
	exact map[string]*seeds.Submitter // normalised name or alias → submitter
	long  []nameEntry                 // names long enough to be looked for inside a longer text
}

type nameEntry struct {
	key string
	sub *seeds.Submitter
}

// minContained is the shortest name looked for inside longer text: two-character aliases like "大连"
// would otherwise claim "大连职业技术学院".
const minContained = 3

// NewSubmitterIndex indexes the roster.
func NewSubmitterIndex(set *seeds.Set) *SubmitterIndex {
	ix := &SubmitterIndex{exact: map[string]*seeds.Submitter{}}
	for i := range set.Submitters {
		s := &set.Submitters[i]
		for _, n := range append([]string{s.Name}, s.Aliases...) {
			k := submitterKey(n)
			if k == "" {
				continue
			}
			ix.exact[k] = s
			if utf8.RuneCountInString(k) >= minContained {
				ix.long = append(ix.long, nameEntry{k, s})
			}
		}
	}
	return ix
}

// submitterKey strips what varies around a name: full-width forms, spaces, punctuation, the "单位"
// label and the seal note.
func submitterKey(s string) string {
	k := normKey(s)
	k = strings.TrimPrefix(k, "填报单位")
	k = strings.TrimPrefix(k, "报送单位")
	k = strings.TrimPrefix(k, "单位")
	for _, suf := range []string{"公章", "盖章", "章"} {
		k = strings.TrimSuffix(k, suf)
	}
	return k
}

// Resolve finds the submitter a text names: an exact name or alias, else the longest roster name
// contained in it (so "辽宁职业学院" does not claim a longer college name that contains it).
func (ix *SubmitterIndex) Resolve(text string) (*seeds.Submitter, bool) {
	k := submitterKey(text)
	if k == "" {
		return nil, false
	}
	if s, ok := ix.exact[k]; ok {
		return s, true
	}
	for _, suf := range []string{"教育局", "人民政府", "政府", "教委"} {
		if s, ok := ix.exact[strings.TrimSuffix(k, suf)]; ok && strings.HasSuffix(k, suf) {
			return s, true
		}
	}
	var best *seeds.Submitter
	bestLen := 0
	for _, e := range ix.long {
		if len(e.key) > bestLen && strings.Contains(k, e.key) {
			best, bestLen = e.sub, len(e.key)
		}
	}
	return best, best != nil
}

// fileNameStem is the part of a file name that may carry the submitter.
func fileNameStem(name string) string {
	base := filepath.Base(name)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// zipFolder is the folder inside an uploaded zip that a member was in ("upload.zip/锦州师专/清单.xlsx"
// → "锦州师专"), "" for a file not from a zip.
func zipFolder(display, name string) string {
	i := strings.LastIndex(strings.ToLower(display), ".zip/")
	if i < 0 {
		return ""
	}
	inner := display[i+len(".zip/"):]
	dir := strings.TrimSuffix(strings.TrimSuffix(inner, name), "/")
	return strings.ReplaceAll(dir, "/", " ")
}
