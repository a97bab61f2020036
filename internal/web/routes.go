package web

import "net/http"

// styledFallbacks serves mux, except that the mux's own plain-text answers
// to an unknown path (404) or a method the path does not take (405, with
// the mux's Allow header) become the styled error page. Other answers of
// the mux's own, such as the redirect to a cleaned path, pass unchanged.
func (p *Pages) styledFallbacks(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		probe := &probeWriter{header: http.Header{}}
		mux.ServeHTTP(probe, r) // records the mux's answer (and, as for any unmatched request, clears r.Pattern)
		switch probe.status {
		case http.StatusNotFound:
			p.errorPage(w, r, nil, errNoPage)
		case http.StatusMethodNotAllowed:
			p.methodNotAllowed(w, r, probe.header.Get("Allow"))
		default:
			mux.ServeHTTP(w, r)
		}
	})
}

// probeWriter keeps the status and headers a handler writes and drops its
// body.
type probeWriter struct {
	header http.Header
	status int
}

// Header returns the headers written so far.
func (w *probeWriter) Header() http.Header { return w.header }

// WriteHeader keeps the first status written.
func (w *probeWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

// Write drops b, as a body after an implied 200.
func (w *probeWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(b), nil
}
