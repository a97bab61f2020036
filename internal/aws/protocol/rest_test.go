package protocol

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/errs"
)

type restAuth struct {
	Token string `http:"header=X-Amz-Sso_bearer_token"`
}

// restInput binds every location: an embedded header, query, path and body.
type restInput struct {
	restAuth
	Account string `http:"query=account_id" json:"-"`
	Item    string `http:"path=item" json:"-"`
	Name    string `json:"name"`
	Count   int    `json:"count"`
}

// boundOnly has no body members: its operations ignore the body.
type boundOnly struct {
	restAuth
	Role string `http:"query=role_name"`
}

type echo struct{ Got any }

// testREST renders errors as "code: message" with the resolved status, so
// the tests see exactly what reached the renderer.
func testREST(decoding func(error) error) *REST {
	return &REST{MaxBody: 64, Decoding: decoding, Render: func(w http.ResponseWriter, r *http.Request, err error) {
		p := JSONCodes.Resolve(r, err)
		w.WriteHeader(p.Status)
		_, _ = w.Write([]byte(p.Code + ": " + p.Message))
	}}
}

func echoOp[I any](_ context.Context, in *I) (*echo, error) { return &echo{Got: in}, nil }

func call(h http.Handler, method, target, body string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func echoed[I any](t *testing.T, w *httptest.ResponseRecorder) I {
	t.Helper()
	var out struct{ Got I }
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != ContentTypeRESTJSON {
		t.Fatalf("got %d %v %s", w.Code, w.Header(), w.Body)
	}
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out.Got
}

func TestRESTBindsEachPartOfTheRequestIntoTheInput(t *testing.T) {
	mux := http.NewServeMux()
	a := testREST(nil)
	a.Mount(mux, http.MethodGet, "/bound", Handle(a, echoOp[boundOnly]))

	t.Run("path, query, embedded header and body all land in their fields; a body cannot stand in for a bound field", func(t *testing.T) {
		var seen restInput
		m := http.NewServeMux()
		a.Mount(m, http.MethodPost, "/items/{item}", Handle(a, func(_ context.Context, in *restInput) (*echo, error) { seen = *in; return &echo{}, nil }))
		w := call(m, http.MethodPost, "/items/i-1?account_id=first&account_id=second", `{"Token":"smuggled","Account":"b","name":"n","count":2}`,
			"X-Amz-Sso_bearer_token", "tok")
		want := restInput{restAuth: restAuth{"tok"}, Account: "first", Item: "i-1", Name: "n", Count: 2}
		if seen != want || w.Code != http.StatusOK {
			t.Errorf("%d: bound %+v, want %+v", w.Code, seen, want)
		}
	})
	t.Run("an input without body members ignores the body", func(t *testing.T) {
		got := echoed[boundOnly](t, call(mux, http.MethodGet, "/bound?role_name=R", `not json at all`, "X-Amz-Sso_bearer_token", "tok"))
		if want := (boundOnly{restAuth{"tok"}, "R"}); got != want {
			t.Errorf("bound %+v, want %+v", got, want)
		}
	})
}

func TestRESTSendsEveryErrorThroughTheServicesRenderer(t *testing.T) {
	restate := func(err error) error {
		return errs.E(errs.Invalid, "restated: %v", err).WithCode("InvalidRequestException")
	}
	fail := func(context.Context, *restInput) (*echo, error) { return nil, errs.E(errs.Denied, "no") }
	none := func(context.Context, *boundOnly) (*echo, error) { return nil, nil }
	type badTag struct {
		N int `http:"query=n"`
	}
	type badPlace struct {
		S string `http:"cookie=s"`
	}
	cases := []struct {
		name    string
		h       http.Handler
		method  string
		target  string
		body    string
		status  int
		content string
	}{
		{"a malformed body, restated by Decoding", Handle(testREST(restate), echoOp[restInput]), http.MethodPost, "/", `[1]`,
			400, "InvalidRequestException: restated: the request body must be a JSON object"},
		{"a malformed body, as decoded without Decoding", Handle(testREST(nil), echoOp[restInput]), http.MethodPost, "/", `{"count":"x"}`,
			400, "SerializationException: field count must be an integer, not string"},
		{"a body over MaxBody", Handle(testREST(nil), echoOp[restInput]), http.MethodPost, "/", `{"name":"` + strings.Repeat("n", 64) + `"}`,
			400, "SerializationException: the request body exceeds 64 bytes"},
		{"a query string over MaxBody", Handle(testREST(nil), echoOp[boundOnly]), http.MethodGet, "/?role_name=" + strings.Repeat("r", MaxBody), "",
			400, "ValidationException: the query string exceeds 262144 bytes"},
		{"the operation's own error", Handle(testREST(restate), fail), http.MethodPost, "/", `{}`,
			400, "AccessDeniedException: no"},
		{"a field bound to a non-string is the server's fault", Handle(testREST(nil), echoOp[badTag]), http.MethodGet, "/?n=1", "",
			500, "InternalServerException: An internal error occurred. Try again later."},
		{"a field bound to an unknown place is the server's fault", Handle(testREST(nil), echoOp[badPlace]), http.MethodGet, "/", "",
			500, "InternalServerException: An internal error occurred. Try again later."},
		{"a nil output is a 200 with no body", Handle(testREST(nil), none), http.MethodGet, "/", "", 200, ""},
	}
	quietLogs(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := call(tc.h, tc.method, tc.target, tc.body)
			if w.Code != tc.status || w.Body.String() != tc.content {
				t.Errorf("got %d %q, want %d %q", w.Code, w.Body, tc.status, tc.content)
			}
		})
	}
}

func TestRESTRefusesAnotherMethodNamingTheOneAllowed(t *testing.T) {
	mux := http.NewServeMux()
	a := testREST(nil)
	a.Mount(mux, http.MethodPost, "/token", Handle(a, echoOp[boundOnly]))
	w := call(mux, http.MethodDelete, "/token", "")
	if w.Code != 400 || w.Header().Get("Allow") != "POST" || w.Body.String() != "ValidationException: DELETE /token is not supported; use POST" {
		t.Errorf("got %d %v %q", w.Code, w.Header(), w.Body)
	}
}

// FuzzRESTDecode: binding never panics, and what it binds is what the
// request says: the first query value, the header, the body's member.
func FuzzRESTDecode(f *testing.F) {
	f.Add("account_id=1&account_id=2", "tok", `{"name":"n","count":1}`)
	f.Add("%zz", "", ``)
	f.Add("account_id=%F0%9F%94%91", "a\tb", `{"count":1e400}`)
	a := testREST(nil)
	f.Fuzz(func(t *testing.T, rawQuery, header, body string) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.URL.RawQuery = rawQuery
		r.Header.Set("X-Amz-Sso_bearer_token", header)
		var in restInput
		err := a.decode(r, reflectElem(&in))
		if err != nil {
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != errs.Invalid {
				t.Fatalf("decode error %v is not a client error", err)
			}
			return
		}
		if in.Account != r.URL.Query().Get("account_id") || in.Token != r.Header.Get("X-Amz-Sso_bearer_token") {
			t.Fatalf("bound %+v from query %q and header %q", in, rawQuery, header)
		}
	})
}

func reflectElem(v any) reflect.Value { return reflect.ValueOf(v).Elem() }
