package sso

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// callbackPath is where the browser comes back, as for AWS CLI v2.
const callbackPath = "/oauth/callback"

// maxCallbackQuery bounds the query the browser brings back.
const maxCallbackQuery = 8 << 10

// errWrongState is a visit that is not the sign-in being waited for: a
// stale tab, or another page trying its luck. It is answered and ignored.
var errWrongState = errors.New("not the sign-in being waited for")

// readCallback reads the browser's return to the loopback listener: the
// code, or the refusal the server sent back. A visit without the state
// this sign-in sent is errWrongState.
func readCallback(rawQuery, state string) (string, error) {
	if len(rawQuery) > maxCallbackQuery {
		return "", errWrongState
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil || len(q["state"]) != 1 || subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1 {
		return "", errWrongState
	}
	if e := q.Get("error"); e != "" {
		return "", &browserRefusal{Code: e, Description: q.Get("error_description")}
	}
	if code := q.Get("code"); len(q["code"]) == 1 && code != "" {
		return code, nil
	}
	return "", &browserRefusal{Code: "invalid_request", Description: "the browser came back with no code"}
}

// browserRefusal is an OAuth error the browser brought back.
type browserRefusal struct{ Code, Description string }

func (e *browserRefusal) Error() string {
	if e.Description == "" {
		return e.Code
	}
	return e.Code + ": " + e.Description
}

// callback is the listener on 127.0.0.1 the browser is sent back to. It
// answers every visit with a small page and hands the first one that
// belongs to this sign-in to wait.
type callback struct {
	state       string
	redirectURI string
	srv         *http.Server
	once        sync.Once
	result      chan callbackResult
}

type callbackResult struct {
	code string
	err  error
}

// listenForCallback starts the listener on a free port of 127.0.0.1.
func listenForCallback(state string) (*callback, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("cannot listen on 127.0.0.1 for the browser's return: %w", err)
	}
	cb := &callback{state: state, redirectURI: "http://" + ln.Addr().String() + callbackPath,
		result: make(chan callbackResult, 1)}
	cb.srv = &http.Server{Handler: cb, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 16 << 10}
	go func() { _ = cb.srv.Serve(ln) }()
	return cb, nil
}

func (cb *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != callbackPath || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		http.NotFound(w, r)
		return
	}
	code, err := readCallback(r.URL.RawQuery, cb.state)
	switch {
	case errors.Is(err, errWrongState):
		callbackPage(w, http.StatusBadRequest, "This is not the sign-in keyward is waiting for. Close this tab and use the newest one.")
		return
	case err != nil:
		callbackPage(w, http.StatusOK, "The sign-in did not succeed ("+err.Error()+"). You can close this tab; your terminal says what to do next.")
	default:
		callbackPage(w, http.StatusOK, "You are signed in. You can close this tab and return to your terminal.")
	}
	cb.once.Do(func() { cb.result <- callbackResult{code: code, err: err} })
}

// callbackPage answers with a page that loads nothing, keeps nothing and
// sends no Referer: the address holds the code.
func callbackPage(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>keyward</title></head>"+
		"<body><p id=\"message\">%s</p></body></html>\n", html.EscapeString(msg))
}

// wait returns the code the browser brought back, or why there is none.
func (cb *callback) wait(ctx context.Context, timeout time.Duration) (string, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case r := <-cb.result:
		return r.code, r.err
	case <-t.C:
		return "", fmt.Errorf("the browser did not come back within %s: run `keyward login` again, or add --device-code to sign in with a code", timeout)
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (cb *callback) close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = cb.srv.Shutdown(ctx)
}
