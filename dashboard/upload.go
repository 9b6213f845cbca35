package dashboard

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"lnvedash/ingest"
)

// ingestTimeout bounds one ingest run started from the web or the inbox.
const ingestTimeout = 10 * time.Minute

// runIngest is the one door to ingest for the server: runs are serialised, and after a committed run
// the page cache expires (DataChanged) and AfterIngest runs (e.g. the SQL console's snapshot).
func (s *Server) runIngest(ctx context.Context, source string, paths ...string) (*ingest.Result, error) {
	return s.runIngestAs(ctx, source, "", nil, paths...)
}

// runIngestAs is runIngest for files that come through unit's personal link ("" = anyone's), with the
// names files were received under (path → name; nil = their own), for files stored under generated names.
func (s *Server) runIngestAs(ctx context.Context, source, unit string, names map[string]string, paths ...string) (*ingest.Result, error) {
	s.ingestMu.Lock()
	defer s.ingestMu.Unlock()
	res, err := ingest.Run(ctx, s.cfg.DB, ingest.Options{DataDir: s.cfg.DataDir, Source: source, Unit: unit, Names: names}, paths...)
	if err != nil {
		return nil, err
	}
	s.DataChanged()
	if s.cfg.AfterIngest != nil {
		if err := s.cfg.AfterIngest(ctx); err != nil {
			s.log.Error("after ingest", "err", err)
		}
	}
	if s.serving.Load() {
		s.warmAsync()
	}
	return res, nil
}

// uploadView is the upload form and, after a POST, each file's verdict.
type uploadView struct {
	Enabled bool
	Result  *ingest.Result
}

func (s *Server) uploadPage(c *fiber.Ctx) error {
	return s.render(c, "upload.html", &Page{Title: "上传报送文件", Nav: "upload", Body: uploadView{Enabled: s.cfg.AdminToken != ""}})
}

func (s *Server) uploadPost(c *fiber.Ctx) error {
	res, err := s.ingestUpload(c)
	if err != nil {
		return err
	}
	return s.render(c, "upload.html", &Page{Title: "上传结果", Nav: "upload", Body: uploadView{Enabled: true, Result: res}})
}

// apiIngest answers the ingest Result as JSON (used by `lnvedash ingest --server`).
func (s *Server) apiIngest(c *fiber.Ctx) error {
	res, err := s.ingestUpload(c)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// maxUploadFiles bounds the files of one upload (a zip's members are bounded by ingest).
const maxUploadFiles = 2000

// ingestUpload streams the files of the multipart field "files" into a temporary folder under the data
// folder and ingests them as one run. It runs after the token check (requireAdmin) and reads the body
// itself, part by part, straight to disk: memory stays a few buffers whatever the upload's size, and
// the body is capped at MaxUpload. Files are stored under short generated names (a received name may be
// longer than the file system allows); ingest is told each one's name as received. The folder is
// removed afterwards: ingest archives every file by its content hash.
func (s *Server) ingestUpload(c *fiber.Ctx) (*ingest.Result, error) {
	return s.ingestUploadAs(c, "upload", "")
}

// ingestUploadAs is ingestUpload crediting every file to unit ("" = whoever the files name).
func (s *Server) ingestUploadAs(c *fiber.Ctx, source, unit string) (*ingest.Result, error) {
	boundary := string(c.Request().Header.MultipartFormBoundary())
	if boundary == "" {
		return nil, fiber.NewError(fiber.StatusBadRequest, "请以 multipart/form-data 上传文件（字段名 files）")
	}
	if n := c.Request().Header.ContentLength(); n > 0 && int64(n) > s.cfg.MaxUpload {
		c.Context().SetConnectionClose()
		return nil, tooLargeUpload(s.cfg.MaxUpload)
	}
	var body io.Reader = c.Context().RequestBodyStream()
	if body == nil {
		body = bytes.NewReader(c.Body())
	}
	capped := &io.LimitedReader{R: body, N: s.cfg.MaxUpload + 1}
	base := s.cfg.DataDir
	if base != "" {
		base = filepath.Join(base, "uploads")
		if err := os.MkdirAll(base, 0o755); err != nil {
			return nil, fmt.Errorf("upload: %w", err)
		}
	}
	dir, err := os.MkdirTemp(base, ingest.UploadDirPrefix())
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	defer os.RemoveAll(dir)
	names := map[string]string{}
	var paths []string
	mr := multipart.NewReader(capped, boundary)
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if capped.N <= 0 {
			c.Context().SetConnectionClose()
			return nil, tooLargeUpload(s.cfg.MaxUpload)
		}
		if err != nil {
			c.Context().SetConnectionClose()
			return nil, fiber.NewError(fiber.StatusBadRequest, "上传内容不完整或格式不正确，请重新上传")
		}
		if part.FormName() != "files" || part.FileName() == "" {
			part.Close()
			continue
		}
		if len(paths) == maxUploadFiles {
			return nil, fiber.NewError(fiber.StatusRequestEntityTooLarge, fmt.Sprintf("一次最多上传 %d 个文件，请分批上传", maxUploadFiles))
		}
		name := safeName(part.FileName())
		p := filepath.Join(dir, fmt.Sprintf("%05d%s", len(paths)+1, ingest.StoredExt(name)))
		err = saveUpload(part, p)
		part.Close()
		if capped.N <= 0 {
			c.Context().SetConnectionClose()
			return nil, tooLargeUpload(s.cfg.MaxUpload)
		}
		if err != nil {
			return nil, fmt.Errorf("upload %s: %w", name, err)
		}
		names[p] = name
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		return nil, fiber.NewError(fiber.StatusBadRequest, "没有收到文件：请选择一个或多个 xlsx 文件或一个 zip 压缩包")
	}
	ctx, cancel := context.WithTimeout(context.Background(), ingestTimeout)
	defer cancel()
	res, err := s.runIngestAs(ctx, source, unit, names, paths...)
	if err != nil {
		return nil, err
	}
	// Report the names as uploaded, not the temporary paths.
	for i := range res.Files {
		res.Files[i].Path = strings.TrimPrefix(strings.TrimPrefix(res.Files[i].Path, dir), string(filepath.Separator))
	}
	return res, nil
}

func tooLargeUpload(max int64) error {
	return fiber.NewError(fiber.StatusRequestEntityTooLarge, fmt.Sprintf("上传内容超过 %d MB 上限，请分批上传", max>>20))
}

// safeName keeps the base name of an uploaded file, whole (it goes to the database, not the file
// system); a name that is empty or only dots becomes "upload". Bytes that are not UTF-8 become U+FFFD.
func safeName(name string) string {
	name = strings.ToValidUTF8(name, "\uFFFD")
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	if strings.Trim(name, ".") == "" || name == "/" {
		return "upload"
	}
	return name
}

func saveUpload(src io.Reader, dst string) error {
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, src); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
