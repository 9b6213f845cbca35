package dashboard

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"os"
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
	return s.runIngestAs(ctx, source, "", paths...)
}

// runIngestAs is runIngest for files that come through unit's personal link ("" = anyone's).
func (s *Server) runIngestAs(ctx context.Context, source, unit string, paths ...string) (*ingest.Result, error) {
	s.ingestMu.Lock()
	defer s.ingestMu.Unlock()
	res, err := ingest.Run(ctx, s.cfg.DB, ingest.Options{DataDir: s.cfg.DataDir, Source: source, Unit: unit}, paths...)
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

// ingestUpload saves the files of the multipart field "files" into a temporary folder under the data
// folder and ingests them as one run. The folder is removed afterwards: ingest archives every file by
// its content hash.
func (s *Server) ingestUpload(c *fiber.Ctx) (*ingest.Result, error) {
	return s.ingestUploadAs(c, "upload", "")
}

// ingestUploadAs is ingestUpload crediting every file to unit ("" = whoever the files name).
func (s *Server) ingestUploadAs(c *fiber.Ctx, source, unit string) (*ingest.Result, error) {
	form, err := c.MultipartForm()
	if err != nil {
		return nil, fiber.NewError(fiber.StatusBadRequest, "请以 multipart/form-data 上传文件（字段名 files）")
	}
	files := form.File["files"]
	if len(files) == 0 {
		return nil, fiber.NewError(fiber.StatusBadRequest, "没有收到文件：请选择一个或多个 xlsx 文件或一个 zip 压缩包")
	}
	base := s.cfg.DataDir
	if base != "" {
		base = filepath.Join(base, "uploads")
		if err := os.MkdirAll(base, 0o755); err != nil {
			return nil, fmt.Errorf("upload: %w", err)
		}
	}
	dir, err := os.MkdirTemp(base, "upload-")
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	defer os.RemoveAll(dir)
	var paths []string
	used := map[string]int{}
	for _, fh := range files {
		name := safeName(fh.Filename)
		if n := used[name]; n > 0 {
			ext := filepath.Ext(name)
			name = fmt.Sprintf("%s(%d)%s", strings.TrimSuffix(name, ext), n+1, ext)
		}
		used[safeName(fh.Filename)]++
		p := filepath.Join(dir, name)
		if err := saveUpload(fh, p); err != nil {
			return nil, fmt.Errorf("upload %s: %w", name, err)
		}
		paths = append(paths, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), ingestTimeout)
	defer cancel()
	res, err := s.runIngestAs(ctx, source, unit, paths...)
	if err != nil {
		return nil, err
	}
	// Report the names as uploaded, not the temporary paths.
	for i := range res.Files {
		res.Files[i].Path = strings.TrimPrefix(strings.TrimPrefix(res.Files[i].Path, dir), string(filepath.Separator))
	}
	return res, nil
}

// safeName keeps the base name of an uploaded file; a name that is empty or only dots becomes "upload".
func safeName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = filepath.Base(name)
	if strings.Trim(name, ".") == "" || name == "/" {
		return "upload"
	}
	return name
}

func saveUpload(fh *multipart.FileHeader, dst string) error {
	src, err := fh.Open()
	if err != nil {
		return err
	}
	defer src.Close()
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
