package exports

import (
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"
)

// ReviewNote is one reviewer's decision or comment on a measure, for the unit to act on.
type ReviewNote struct {
	Submitter, FileName, Sheet string
	Row                        int // 0 for a decision on the whole version
	Measure                    string
	Reviewer, Kind, Text       string // Kind: 审核结论：… / 逐条意见
	At                         time.Time
}

// ReviewSheet is the sheet of the experts' review notes in a unit's correction list.
const ReviewSheet = "专家审核意见"

// writeNotes writes the review notes, header on row 1 and a note a row. Comment text is hostile
// input like everything submitted: it goes into string cells only (SetSheetRow writes a Go string as
// a string cell, never a formula).
func writeNotes(f *excelize.File, name string, notes []ReviewNote) error {
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	header := []any{"报送单位", "文件名", "工作表", "行号", "具体举措", "类别", "审核专家", "意见", "时间"}
	if err := f.SetSheetRow(name, "A1", &header); err != nil {
		return err
	}
	for i, n := range notes {
		var row any = ""
		if n.Row > 0 {
			row = n.Row
		}
		vals := []any{n.Submitter, n.FileName, n.Sheet, row, n.Measure, n.Kind, n.Reviewer, n.Text, n.At.Format("2006-01-02 15:04")}
		if err := setRow(f, name, i+2, vals); err != nil {
			return err
		}
	}
	for i, w := range []float64{18, 30, 12, 7, 40, 14, 12, 50, 17} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, col, col, w); err != nil {
			return err
		}
	}
	return printSetup(f, name, fmt.Sprintf("$A$1:$I$%d", len(notes)+1), "$1:$1")
}
