package ingest

import (
	"regexp"
	"strconv"
	"strings"
)

// The statuses a progress return may give a measure (progress_rows.status), as the generated
// workbook's drop-down lists them.
const (
	StatusDone       = "已完成"
	StatusOnTrack    = "按期推进"
	StatusLate       = "滞后"
	StatusNotStarted = "未启动"
	StatusAdjusted   = "已调整"
	StatusCancelled  = "已取消"
)

// statusWords maps what people write in 完成状态 (normalised by normKey) to a status. Longest first
// matters only for prefixes: "基本完成" must not read as "完成".
var statusWords = []struct{ word, status string }{
	{"已全部完成", StatusDone}, {"全部完成", StatusDone}, {"已经完成", StatusDone}, {"已完成", StatusDone}, {"完成", StatusDone},
	{"基本完成", StatusOnTrack}, {"按期推进", StatusOnTrack}, {"正在推进", StatusOnTrack}, {"推进中", StatusOnTrack},
	{"有序推进", StatusOnTrack}, {"稳步推进", StatusOnTrack}, {"持续推进", StatusOnTrack}, {"进行中", StatusOnTrack},
	{"正在实施", StatusOnTrack}, {"正在进行", StatusOnTrack}, {"按计划推进", StatusOnTrack}, {"按进度推进", StatusOnTrack},
	{"未开展", StatusNotStarted}, {"尚未开展", StatusNotStarted}, {"尚未启动", StatusNotStarted}, {"未启动", StatusNotStarted},
	{"未开始", StatusNotStarted}, {"尚未开始", StatusNotStarted},
	{"滞后", StatusLate}, {"进度滞后", StatusLate}, {"已滞后", StatusLate}, {"延期", StatusLate}, {"推迟", StatusLate},
	{"未按期完成", StatusLate}, {"未完成", StatusLate},
	{"已调整", StatusAdjusted}, {"调整", StatusAdjusted}, {"已变更", StatusAdjusted},
	{"已取消", StatusCancelled}, {"取消", StatusCancelled}, {"不再实施", StatusCancelled},
}

var statusExact = func() map[string]string {
	m := map[string]string{}
	for _, w := range statusWords {
		m[normKey(w.word)] = w.status
	}
	return m
}()

// percentRe is a status given as a share: "80%", "完成80%", "进度约 80 %".
var percentRe = regexp.MustCompile(`^(?:已?完成|完成进度|进度|完成率|约|已达)*约?\s*(\d+(?:\.\d+)?)\s*%$`)

// NormaliseStatus reads a 完成状态 cell. ok is false for text it does not recognise (the caller keeps
// it verbatim with a finding). A percentage is kept in percent (hasPercent): 100 % is 已完成, less
// 按期推进. An empty cell gives status "" and ok false.
func NormaliseStatus(text string) (status string, percent float64, hasPercent, ok bool) {
	s := strings.TrimSpace(halfWidth(text))
	if s == "" {
		return "", 0, false, false
	}
	compact := strings.ReplaceAll(stripSpace(s), "％", "%")
	if m := percentRe.FindStringSubmatch(compact); m != nil {
		v, err := strconv.ParseFloat(m[1], 64)
		if err == nil && v >= 0 && v <= 100 {
			if v == 100 {
				return StatusDone, v, true, true
			}
			return StatusOnTrack, v, true, true
		}
	}
	if st, found := statusExact[normKey(s)]; found {
		return st, 0, false, true
	}
	return "", 0, false, false
}

// statusLead reads the status a 完成情况/进展情况 description opens with ("已完成，共建成3个…",
// "正在推进：已完成选址"), for returns in the unit's own layout without a 完成状态 column. Only a
// recognised phrase followed by punctuation or the end counts: a description is not guessed at.
func statusLead(text string) (string, bool) {
	s := strings.TrimSpace(halfWidth(text))
	if st, _, _, ok := NormaliseStatus(s); ok {
		return st, true
	}
	cut := strings.IndexAny(s, "，,。；;：:（( \n")
	if cut <= 0 {
		return "", false
	}
	st, _, _, ok := NormaliseStatus(s[:cut])
	return st, ok
}
