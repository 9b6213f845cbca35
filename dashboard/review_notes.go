package dashboard

import (
	"context"

	"lnvedash/exports"
)

// reviewNotes are the decisions and comments on submitter's versions, for its correction list:
// decisions first (newest first), then the comments by version and position.
func (s *Server) reviewNotes(ctx context.Context, submitter string) ([]exports.ReviewNote, error) {
	ds, err := s.id.reviews.Decisions(ctx, submitter)
	if err != nil {
		return nil, err
	}
	cs, err := s.id.reviews.Comments(ctx, submitter, 0)
	if err != nil {
		return nil, err
	}
	var out []exports.ReviewNote
	for _, d := range ds {
		out = append(out, exports.ReviewNote{Submitter: d.Submitter, FileName: d.FileName, Reviewer: d.Reviewer,
			Kind: "审核结论：" + d.Decision, Text: d.Reasons, At: d.At})
	}
	for _, cm := range cs {
		out = append(out, exports.ReviewNote{Submitter: cm.Submitter, FileName: cm.FileName, Sheet: cm.Sheet, Row: cm.Row,
			Measure: cm.Measure, Reviewer: cm.Reviewer, Kind: "逐条意见", Text: cm.Comment, At: cm.At})
	}
	return out, nil
}
