package dashboard

import (
	"context"
	"path"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"lnvedash/queries"
)

// originalTypes are the content types an original is served as, by the extension ingest archived it
// under (sanitised there); anything else is application/octet-stream. Always as an attachment.
var originalTypes = map[string]string{
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
	".xls":  "application/vnd.ms-excel",
	".pdf":  "application/pdf",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".zip":  "application/zip",
}

// onlyPrefix reports whether the archive holds only the first 64 KB of a file (ingest keeps no more
// of one refused for its size, as <sha256>.prefix): that is not the original and is never served as it.
func onlyPrefix(archivePath string) bool {
	return strings.HasSuffix(archivePath, ".prefix")
}

// submissionOf is the file /submissions/:id names (any status), or a 404 in Chinese.
func (s *Server) submissionOf(ctx context.Context, c *fiber.Ctx) (queries.Submission, error) {
	id, err := strconv.Atoi(c.Params("id"))
	if err != nil || id <= 0 {
		return queries.Submission{}, fiber.NewError(fiber.StatusNotFound, "没有这个文件")
	}
	subs, err := s.cfg.DB.Submissions(ctx, queries.SubmissionFilter{SubmissionID: id})
	if err != nil {
		return queries.Submission{}, err
	}
	if len(subs) != 1 {
		return queries.Submission{}, fiber.NewError(fiber.StatusNotFound, "没有这个文件")
	}
	return subs[0], nil
}

// originalFile serves /submissions/:id/original: the file as it was received, from the archive, for
// whoever may see its page.
func (s *Server) originalFile(c *fiber.Ctx) error {
	ctx, cancel := qctx()
	defer cancel()
	f, err := s.submissionOf(ctx, c)
	if err != nil {
		return err
	}
	if onlyPrefix(f.ArchivePath) {
		return fiber.NewError(fiber.StatusNotFound, "该文件因过大被拒收，档案只保留了开头 64 KB，不是原件，不提供下载")
	}
	b, err := readArchived(s.cfg.DataDir, f.ArchivePath)
	if err != nil {
		return err
	}
	ext := path.Ext(f.ArchivePath)
	ctype, ok := originalTypes[ext]
	if !ok {
		ctype = "application/octet-stream"
	}
	return sendArchived(c, b, ctype, "file-"+strconv.Itoa(f.SubmissionID)+ext, f.FileName, ext, "原件")
}
