package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"lnvedash/queries"
)

// stampedKinds are the kinds a stamped copy is served as, by what its bytes are (never by the name it
// was sent under), with the extension of the name it is downloaded as.
var stampedKinds = map[string]string{"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

// stampedCopy serves /stamped/:id, a stamped copy from the archive, as a download. Whoever may see
// the returns page may open it.
func (s *Server) stampedCopy(c *fiber.Ctx) error {
	id, err := strconv.Atoi(c.Params("id"))
	if err != nil || id <= 0 {
		return fiber.NewError(fiber.StatusNotFound, "没有这个盖章扫描件")
	}
	ctx, cancel := qctx()
	defer cancel()
	f, err := s.cfg.DB.Stamped(ctx, id)
	if err != nil {
		return err
	}
	b, err := readArchived(s.cfg.DataDir, f.ArchivePath)
	if err != nil {
		return err
	}
	ctype := http.DetectContentType(b)
	ext, ok := stampedKinds[ctype]
	if !ok {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "该文件不是 PDF、JPEG 或 PNG，无法打开")
	}
	return sendArchived(c, b, ctype, "stamped-"+strconv.Itoa(id)+ext, f.FileName, ext, "盖章扫描件")
}

// sendArchived answers b, a file of the archive, as a download: ascii is the fallback name, and the
// name it was sent under (made safe, its extension replaced by ext; empty becomes fallback) the
// RFC 5987 one. nosniff: the browser takes ctype as given, never guesses from bytes a submitter chose.
func sendArchived(c *fiber.Ctx, b []byte, ctype, ascii, sentName, ext, fallback string) error {
	stem := strings.TrimSuffix(sentName, filepath.Ext(sentName))
	attach(c, ctype, ascii, safeFileName(stem, fallback)+ext)
	c.Set("X-Content-Type-Options", "nosniff")
	return c.Send(b)
}

// readArchived reads a file of the archive; rel comes from the database and must stay inside
// <dataDir>/archive.
func readArchived(dataDir, rel string) ([]byte, error) {
	root := filepath.Join(dataDir, "archive")
	p := filepath.Join(dataDir, filepath.FromSlash(rel))
	if rel == "" || !strings.HasPrefix(p, root+string(filepath.Separator)) {
		return nil, fiber.NewError(fiber.StatusNotFound, "档案中没有该文件")
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fiber.NewError(fiber.StatusNotFound, "档案中没有该文件（可能已被移走）")
	}
	if err != nil {
		return nil, fmt.Errorf("archived file %s: %w", rel, err)
	}
	return b, nil
}

// safeFileName keeps a submitted name fit for a download header: no control characters, quotes or
// path separators, at most 80 characters; empty becomes fallback.
func safeFileName(s, fallback string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029':
			return -1
		case strings.ContainsRune(`"\/:*?<>|;`, r):
			return '_'
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80])
	}
	if s == "" || strings.Trim(s, ".") == "" {
		return fallback
	}
	return s
}

// rfc5987 percent-encodes s as an RFC 5987 ext-value's value-chars: UTF-8 bytes, every byte outside
// attr-char encoded (url.PathEscape leaves ':', '@', '=' and such bare, which a strict parser refuses).
func rfc5987(s string) string {
	const attr = "!#$&+-.^_`|~"
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(attr, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// stampedView is every rostered unit's checklist and stamped copy with the complete-return rate, and
// the universities' returns, shown apart and counted in no denominator.
type stampedView struct {
	Completions  []queries.Completion
	Units        []queries.UnitReturn
	Universities []queries.UniversityReturn
}

// loadStamped reads the stampedView.
func loadStamped(ctx context.Context, db *queries.DB) (v stampedView, err error) {
	err = parallel(
		func() (err error) { v.Units, err = db.UnitReturns(ctx, ""); return },
		func() (err error) { v.Universities, err = db.UniversityReturns(ctx); return },
	)
	v.Completions = queries.CompletionsOf(v.Units) // the same rows: one statement fewer
	return v, err
}
