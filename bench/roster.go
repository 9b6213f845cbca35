package bench

import (
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"lnvedash/seeds"
)

// A national roster for the many-units corpus: Liaoning's real roster (seeds/submitters.csv) is the
// first province, and each further province is a copy of it under another name — its 14 cities
// renamed to invented city names, and each college renamed the same way ("辽宁机电职业技术学院" →
// "河北机电职业技术学院", "沈阳职业技术学院" → "<that province's first city>职业技术学院"), with the
// same kind, level, ownership and the same shape of aliases. The provinces are real, the cities and
// colleges invented (deterministic, from a fixed seed): plausible and unique names, not a list of
// real institutions. Universities are not copied: they are expected of nobody.

// Per province: the roster's 14 cities and 52 colleges.
const unitsPerProvince = 66

// provinceStems are the other 30 provinces' short names, in the order they are added.
var provinceStems = []string{"河北", "山西", "内蒙古", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
	"山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海",
	"宁夏", "新疆", "北京", "天津", "上海", "重庆"}

// Characters invented city names are made of (first, second), two of them per name.
var (
	cityFirst  = []rune("安宝昌承定东丰福广汉和华怀惠吉嘉建江金晋景靖乐临隆茂南宁平清庆瑞泰通同万西咸祥新兴延永玉元云昭肇中")
	citySecond = []rune("安昌城川德丰海和河华化江康陵宁平山顺泰通溪阳源州庄")
)

// Roster is a national roster: the seed set (Liaoning's tasks, targets and departments, every
// province's units) and, per province, how each Liaoning unit is renamed.
type Roster struct {
	Set       *seeds.Set
	Provinces []Province
}

// Province is one province of the roster; the first is Liaoning itself, whose units keep their names.
type Province struct {
	Name   string // short name: 辽宁, 河北, …
	clones map[string]clone
}

// clone is one Liaoning unit's copy in a province: the copy, and the replacer that turns a text of
// the Liaoning unit's (a file name, a workbook's XML) into the copy's, every name and alias of it.
type clone struct {
	sub  seeds.Submitter
	text *strings.Replacer
}

// Units is the number of rostered (expected) units: cities and colleges.
func (r *Roster) Units() int {
	n := 0
	for _, s := range r.Set.Submitters {
		if s.Kind != seeds.KindUniversity {
			n++
		}
	}
	return n
}

// Clone gives a Liaoning unit's copy in province p (p = 0: the unit itself) and the function that
// rewrites the Liaoning unit's texts into the copy's; false for a unit the roster does not copy.
func (r *Roster) Clone(p int, liaoning string) (seeds.Submitter, func(string) string, bool) {
	c, ok := r.Provinces[p].clones[liaoning]
	if !ok {
		return seeds.Submitter{}, nil, false
	}
	if c.text == nil {
		return c.sub, func(s string) string { return s }, true
	}
	return c.sub, c.text.Replace, true
}

// NationalRoster builds a roster of at least units expected units, in whole provinces of 66 (14
// cities, 52 colleges): Liaoning plus up to 30 copies (2,046 units). Two calls with the same argument
// give the same roster.
func NationalRoster(units int) (*Roster, error) {
	base, err := seeds.Load()
	if err != nil {
		return nil, err
	}
	n := max(1, (units+unitsPerProvince-1)/unitsPerProvince)
	if n > 1+len(provinceStems) {
		return nil, fmt.Errorf("bench: %d units: at most %d provinces of %d units (%d)", units, 1+len(provinceStems), unitsPerProvince, (1+len(provinceStems))*unitsPerProvince)
	}
	cities := base.Cities()
	r := &Roster{Set: base, Provinces: []Province{{Name: "辽宁", clones: map[string]clone{}}}}
	for _, s := range base.Submitters {
		if s.Kind != seeds.KindUniversity {
			r.Provinces[0].clones[s.Name] = clone{sub: s}
		}
	}
	if n == 1 {
		return r, nil
	}
	// Every stem taken, so no invented city repeats a province, a Liaoning city or another invention.
	taken := map[string]bool{"辽宁": true}
	for _, p := range provinceStems {
		taken[p] = true
	}
	for _, c := range cities {
		taken[strings.TrimSuffix(c.Name, "市")] = true
	}
	set := *base
	set.Submitters = slices.Clone(base.Submitters)
	set.Fingerprint = "" // not loaded from files: WriteSeeds and seeds.LoadDir give the real one
	for _, pname := range provinceStems[:n-1] {
		rng := rand.New(rand.NewPCG(20210901, fnvHash(pname)))
		stems := []string{"辽宁", pname}
		for _, c := range cities {
			var stem string
			for stem == "" || taken[stem] {
				a, b := cityFirst[rng.IntN(len(cityFirst))], citySecond[rng.IntN(len(citySecond))]
				if a != b {
					stem = string([]rune{a, b})
				} else {
					stem = ""
				}
			}
			taken[stem] = true
			stems = append(stems, strings.TrimSuffix(c.Name, "市"), stem)
		}
		rename := strings.NewReplacer(stems...)
		name := func(s string) string {
			if t := rename.Replace(s); t != s {
				return t
			}
			return pname + s // a name without a place in it: 渤海船舶职业学院, 沈职院
		}
		p := Province{Name: pname, clones: map[string]clone{}}
		for _, s := range base.Submitters {
			if s.Kind == seeds.KindUniversity {
				continue
			}
			c := s
			c.Name, c.City = name(s.Name), name(s.City)
			c.Aliases = make([]string, len(s.Aliases))
			pairs := []string{s.Name, c.Name}
			for i, a := range s.Aliases {
				c.Aliases[i] = name(a)
				pairs = append(pairs, a, c.Aliases[i])
			}
			c.Source = fmt.Sprintf("lnvedash 基准测试生成的名册（虚构单位，非真实名单）：%s仿辽宁名册的“%s”", pname, s.Name)
			p.clones[s.Name] = clone{sub: c, text: longestFirst(pairs)}
			set.Submitters = append(set.Submitters, c)
		}
		r.Provinces = append(r.Provinces, p)
	}
	r.Set = &set
	return r, nil
}

// longestFirst is strings.NewReplacer over old/new pairs with the longer old strings tried first
// (NewReplacer tries them in argument order): "沈阳市教育局" before its prefix "沈阳".
func longestFirst(pairs []string) *strings.Replacer {
	type pair struct{ old, new string }
	ps := make([]pair, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		ps = append(ps, pair{pairs[i], pairs[i+1]})
	}
	slices.SortStableFunc(ps, func(a, b pair) int { return len(b.old) - len(a.old) })
	flat := make([]string, 0, len(pairs))
	for _, p := range ps {
		flat = append(flat, p.old, p.new)
	}
	return strings.NewReplacer(flat...)
}

func fnvHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// WriteSeeds writes the roster's submitters.csv into dir (created if missing), the folder
// `lnvedash --seeds DIR` and seeds.LoadDir take, and returns the set loaded back from it (with its
// fingerprint), which is what the ingest and the served binary then agree on.
func (r *Roster) WriteSeeds(dir string) (*seeds.Set, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(dir, "submitters.csv"))
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(f, "# 基准测试用的全国名册（lnvedash bench 生成，%d 个省份、%d 个应报送单位）：第一个省份是辽宁的真实名册，其余省份的市与院校均为虚构。\n", len(r.Provinces), r.Units())
	w := csv.NewWriter(f)
	_ = w.Write([]string{"submitter", "kind", "city", "level", "ownership", "aliases", "source"})
	for _, s := range r.Set.Submitters {
		_ = w.Write([]string{s.Name, s.Kind, s.City, s.Level, s.Ownership, strings.Join(s.Aliases, "|"), s.Source})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	set, err := seeds.LoadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("bench: the generated roster: %w", err)
	}
	return set, nil
}

// provinces is nil for a nil roster.
func (r *Roster) provinces() []Province {
	if r == nil {
		return nil
	}
	return r.Provinces
}
