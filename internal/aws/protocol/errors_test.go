package protocol

import (
	"bytes"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/errs"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// exchange runs fn behind WithRequestID and returns the whole response as
// text: status, headers in order, blank line, body. The random request id
// reads as <request-id>.
func exchange(fn http.HandlerFunc) string {
	rec := httptest.NewRecorder()
	WithRequestID(fn).ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil))
	res := rec.Result()
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d\n", res.StatusCode)
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range res.Header {
			if !yield(k) {
				return
			}
		}
	}) {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(res.Header[k], ", "))
	}
	b.WriteString("\n")
	b.Write(rec.Body.Bytes())
	b.WriteString("\n")
	return strings.ReplaceAll(b.String(), res.Header.Get("X-Amzn-Requestid"), "<request-id>")
}

// golden compares got with testdata/name.golden (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// restCodes are codes like the SSO portal's, to render restJson1 errors.
var restCodes = Codes{
	ByKind:   map[errs.Kind]string{errs.Unauthenticated: "UnauthorizedException", errs.Invalid: "InvalidRequestException"},
	Status:   map[errs.Kind]int{errs.Unauthenticated: http.StatusUnauthorized, errs.Internal: http.StatusInternalServerError},
	Fallback: "InternalServerException",
}

// leak is an internal failure whose details must never reach a client.
var leak = fmt.Errorf("sqlite: open /var/lib/keyward/keyward.db: password=hunter2")

// quietLogs sends slog's default logger to a buffer for the test.
func quietLogs(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return &buf
}

func TestErrorRenderersWriteTheExactWireShapes(t *testing.T) {
	logs := quietLogs(t)
	cases := []struct {
		name string
		fn   http.HandlerFunc
	}{
		{"awsjson_conflict", func(w http.ResponseWriter, r *http.Request) {
			WriteJSONError(w, r, JSONCodes, ContentTypeAWSJSON,
				errs.E(errs.Conflict, "Duplicate UserName").WithReason("UNIQUENESS_CONSTRAINT_VIOLATION"))
		}},
		{"awsjson_not_found", func(w http.ResponseWriter, r *http.Request) {
			WriteJSONError(w, r, JSONCodes, ContentTypeAWSJSON, errs.E(errs.NotFound, "USER not found.").WithResource("USER", "u-1"))
		}},
		{"awsjson_serialization", func(w http.ResponseWriter, r *http.Request) {
			var v struct{}
			WriteJSONError(w, r, JSONCodes, ContentTypeAWSJSON, DecodeJSON([]byte(`[]`), &v))
		}},
		{"awsjson_internal", func(w http.ResponseWriter, r *http.Request) {
			WriteJSONError(w, r, JSONCodes, ContentTypeAWSJSON, leak)
		}},
		{"restjson_unauthorized", func(w http.ResponseWriter, r *http.Request) {
			WriteJSONError(w, r, restCodes, ContentTypeRESTJSON, errs.E(errs.Unauthenticated, "Session token not found or invalid"))
		}},
		{"query_access_denied", func(w http.ResponseWriter, r *http.Request) {
			WriteQueryError(w, r, QueryCodes, QueryNamespace, errs.E(errs.Denied, "User: arn:aws:iam::111122223333:root is not authorized & <sure>"))
		}},
		{"query_expired_token", func(w http.ResponseWriter, r *http.Request) {
			WriteQueryError(w, r, QueryCodes, QueryNamespace,
				errs.E(errs.Unauthenticated, "The security token included in the request is expired").WithCode("ExpiredToken"))
		}},
		{"query_internal", func(w http.ResponseWriter, r *http.Request) {
			WriteQueryError(w, r, QueryCodes, QueryNamespace, leak)
		}},
		{"query_result", func(w http.ResponseWriter, r *http.Request) {
			WriteQueryResult(w, r, QueryNamespace, "GetCallerIdentity", struct {
				Arn     string
				UserID  string `xml:"UserId"`
				Account string
			}{"arn:aws:iam::111122223333:root", "111122223333", "111122223333"})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			logs.Reset()
			got := exchange(tc.fn)
			if strings.HasSuffix(tc.name, "_internal") && !strings.Contains(logs.String(), "password=hunter2") {
				t.Errorf("the internal cause was not logged: %q", logs.String())
			}
			golden(t, tc.name, got)
			if strings.Contains(got, "hunter2") || strings.Contains(got, "sqlite") {
				t.Errorf("the response leaks the internal cause:\n%s", got)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	quietLogs(t)
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	cases := []struct {
		name      string
		codes     Codes
		err       error
		status    int
		code, msg string
	}{
		{"a kind gets the protocol's code", JSONCodes, errs.E(errs.Invalid, "bad"), 400, "ValidationException", "bad"},
		{"an explicit code wins over the kind's", JSONCodes, errs.E(errs.Invalid, "bad").WithCode("SerializationException"), 400, "SerializationException", "bad"},
		{"an explicit code's status wins over the kind's", QueryCodes, errs.E(errs.Unauthenticated, "old").WithCode("ExpiredToken"), 400, "ExpiredToken", "old"},
		{"a kind's status applies without an override", QueryCodes, errs.E(errs.Unauthenticated, "who?"), 403, "InvalidClientTokenId", "who?"},
		{"a kind without a code takes the fallback", Codes{Fallback: "X"}, errs.E(errs.Conflict, "c"), 400, "X", "c"},
		{"a wrapped *errs.Error is found", JSONCodes, fmt.Errorf("ctx: %w", errs.E(errs.NotFound, "gone")), 400, "ResourceNotFoundException", "gone"},
		{"a plain error is internal and says nothing about itself", JSONCodes, leak, 500, "InternalServerException", "An internal error occurred. Try again later."},
		{"an Internal *errs.Error hides its message", QueryCodes, errs.E(errs.Internal, "disk full at /dev/sda1"), 500, "InternalFailure", "An internal error occurred. Try again later."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.codes.Resolve(r, tc.err)
			if p.Status != tc.status || p.Code != tc.code || p.Message != tc.msg {
				t.Errorf("Resolve = {%d %q %q}, want {%d %q %q}", p.Status, p.Code, p.Message, tc.status, tc.code, tc.msg)
			}
		})
	}
}
