package ingest

import (
	"path/filepath"
	"strings"
	"unicode/utf8"

	"lnvedash/seeds"
)

// Identity sources stored in files.identity_source.
const (
	IdentityTemplate = "template"  // the template's embedded name (defined name or hidden sheet)
	IdentityUnit     = "unit"      // the 单位 cell
	IdentityFileName = "file_name" // the file name
	IdentityLink     = "link"      // nothing in the file names a unit; the unit's upload link does
)

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
