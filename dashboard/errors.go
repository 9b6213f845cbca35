package dashboard

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"lnvedash/queries"
)

// handleError is the one place an error becomes a response. fiber's default handler would send
// err.Error() — database messages and server paths — to the browser; here only *fiber.Error messages
// (written for users) are shown, anything else is logged and answered with a generic message.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	code, msg, known := errorAnswer(c, err)
	if !known {
		s.log.Error("request failed", "path", loggedPath(c.Path()), "err", err)
	}
	if wantsJSON(c) {
		return c.Status(code).JSON(fiber.Map{"error": msg})
	}
	c.Status(code)
	return s.render(c, "error.html", &Page{Title: "出错了", Body: errorView{Code: code, Message: msg}})
}

// errorAnswer is the status and message an error gets; known is false for an unexpected error. The
// request log uses it too, so a page not found is logged 404, not 500.
func errorAnswer(c *fiber.Ctx, err error) (code int, msg string, known bool) {
	var fe *fiber.Error
	var nf *queries.NotFoundError
	switch {
	case errors.As(err, &fe):
		msg = fe.Message
		if fe.Code == fiber.StatusNotFound && msg == "Cannot "+c.Method()+" "+c.Path() {
			msg = "页面不存在"
		}
		return fe.Code, msg, true
	case errors.As(err, &nf):
		return fiber.StatusNotFound, nf.Chinese(), true
	case errors.Is(err, queries.ErrNotFound):
		return fiber.StatusNotFound, "找不到该对象", true
	}
	return fiber.StatusInternalServerError, "服务器内部错误，已记录日志", false
}

type errorView struct {
	Code    int
	Message string
}

func wantsJSON(c *fiber.Ctx) bool {
	p := c.Path()
	return len(p) >= 5 && p[:5] == "/api/" || c.Accepts("text/html", "application/json") == "application/json"
}
