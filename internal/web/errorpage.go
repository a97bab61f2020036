package web

import (
	"github.com/keyward/keyward/internal/web/look"
	"log/slog"
	"net/http"
	"strings"

	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// requestIDHeader carries the request id that the AWS endpoint gives every
// request (see aws/protocol.WithRequestID).
const requestIDHeader = "x-amzn-RequestId"

// errNoPage is the answer to a path under the pages' prefixes that is no page.
var errNoPage = errs.E(errs.NotFound, "There is no page at this address.")

// errorData fills the error page: the request id to quote when reporting our
// failure, or "".
type errorData struct {
	RequestID string
}

// errorPage is the one renderer of a page's error. A refusal (an
// *errs.Error of a client kind) shows its message with its status; anything
// else is our failure: logged with its cause and shown as a 500 page that
// names the request id and hides the cause. u, when known, is the signed-in
// user the page header names.
func (p *Pages) errorPage(w http.ResponseWriter, r *http.Request, u *ic.User, err error) {
	status, data := look.StatusFor(err), errorData{}
	if !look.IsRefusal(err) {
		data.RequestID = w.Header().Get(requestIDHeader)
		p.logger().ErrorContext(r.Context(), "page failed", "method", r.Method, "path", r.URL.Path,
			"request_id", data.RequestID, "err", err)
	}
	p.render(w, r, status, "error.html", view{Title: look.Titles[status], User: u, Error: look.Message(err), Data: data})
}

// methodNotAllowed is the error page for a method the address does not
// take; allow is the mux's Allow header, such as "GET, HEAD".
func (p *Pages) methodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	msg := "This address accepts only " + orList(strings.Split(allow, ", ")) + " requests."
	p.render(w, r, http.StatusMethodNotAllowed, "error.html", view{Title: look.Titles[http.StatusMethodNotAllowed], Error: msg, Data: errorData{}})
}

// orList joins words as a sentence does: "A", "A or B", "A, B or C".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// logger is where failures are logged.
func (p *Pages) logger() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}
