package httpx

import (
	"io"
	"net/http"
)

// MaxDrain bounds how much of an unread request body Framing reads and
// discards after the answer, so that a client that sends its whole body
// before reading (Python's http.client, hence boto3) reads the refusal of
// an oversized body instead of a connection reset. Past it, the connection
// is dropped.
const MaxDrain = 64 << 20

// Framing guards request framing in front of every handler:
//   - A body must come with Content-Length. A chunked request is refused
//     with 411 and its connection closed. Go's server would silently prefer
//     Transfer-Encoding over a Content-Length sent beside it, which a proxy
//     in front may have read the other way (request smuggling); every AWS
//     SDK, the AWS CLI and browsers send Content-Length.
//   - If the handler answered without reading the whole body, the answer is
//     flushed and the rest of the body (up to MaxDrain) is read and
//     discarded before the connection is closed or reused.
func Framing(next http.Handler) http.Handler { return framing(next, false) }

// FramingServingChunked is Framing for a listener whose clients send
// chunked bodies (okta-aws-cli's device poll, at the org URL): a chunked
// request is served, but its connection is closed after the answer, so
// no bytes after its body are ever read as another request, whichever
// framing a proxy in front believed.
func FramingServingChunked(next http.Handler) http.Handler { return framing(next, true) }

func framing(next http.Handler, serveChunked bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.TransferEncoding) > 0 {
			w.Header().Set("Connection", "close")
			if !serveChunked {
				http.Error(w, "keyward needs a Content-Length on request bodies; chunked transfer encoding is refused", http.StatusLengthRequired)
				return
			}
		}
		body := r.Body
		next.ServeHTTP(w, r)
		if body == nil || body == http.NoBody {
			return
		}
		var one [1]byte
		if n, _ := body.Read(one[:]); n == 0 {
			return // the handler read it all: the answer keeps its Content-Length
		}
		_ = http.NewResponseController(w).Flush() // the client may read the answer while it still sends
		_, _ = io.CopyN(io.Discard, body, MaxDrain)
	})
}
