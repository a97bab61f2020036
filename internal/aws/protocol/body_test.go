package protocol

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/errs"
)

// wantErr checks err is an Invalid *errs.Error with code whose message
// contains msg.
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok {
		t.Fatalf("err = %v, want an *errs.Error", err)
	}
	if e.Kind != errs.Invalid || e.Code != code || !strings.Contains(e.Message, msg) {
		t.Errorf("err = {%s %q %q}, want {invalid %q containing %q}", e.Kind, e.Code, e.Message, code, msg)
	}
}

// errReader fails every read.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestReadBody(t *testing.T) {
	const max = 16
	request := func(body io.Reader, contentLength int64) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/", body)
		r.ContentLength = contentLength
		return r
	}
	t.Run("a body of exactly the limit is read whole", func(t *testing.T) {
		b, err := ReadBody(request(strings.NewReader(strings.Repeat("a", max)), max), max)
		if err != nil || len(b) != max {
			t.Fatalf("ReadBody = %d bytes, %v", len(b), err)
		}
	})
	t.Run("a request without a body reads as empty", func(t *testing.T) {
		r := request(nil, 0)
		r.Body = nil
		if b, err := ReadBody(r, max); err != nil || b != nil {
			t.Fatalf("ReadBody = %q, %v", b, err)
		}
	})
	cases := []struct {
		name          string
		body          io.Reader
		contentLength int64
		code, msg     string
	}{
		{"a body one byte over the limit is refused", strings.NewReader(strings.Repeat("a", max+1)), max + 1,
			"SerializationException", "exceeds 16 bytes"},
		{"a Content-Length over the limit is refused before reading", strings.NewReader("{}"), 1 << 30,
			"SerializationException", "exceeds 16 bytes"},
		{"a Content-Length that understates the body does not lift the limit", strings.NewReader(strings.Repeat("a", 1000)), 2,
			"SerializationException", "exceeds 16 bytes"},
		{"a chunked body over the limit is refused", strings.NewReader(strings.Repeat("a", 1000)), -1,
			"SerializationException", "exceeds 16 bytes"},
		{"a body that fails to read is a client error that hides the cause", errReader{}, -1,
			"SerializationException", "could not read the request body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := ReadBody(request(tc.body, tc.contentLength), max)
			if b != nil {
				t.Errorf("ReadBody returned %d bytes with its error", len(b))
			}
			wantErr(t, err, tc.code, tc.msg)
			if strings.Contains(err.Error(), "connection reset") {
				t.Errorf("the message %q leaks the cause", err.Error())
			}
		})
	}
}

func TestLimit(t *testing.T) {
	ptr := func(n int) *int { return &n }
	cases := []struct {
		name string
		in   *int
		want int
		ok   bool
	}{
		{"an absent MaxResults is the default", nil, 20, true},
		{"1 is the smallest allowed", ptr(1), 1, true},
		{"the maximum is allowed", ptr(100), 100, true},
		{"0 is refused", ptr(0), 0, false},
		{"a negative number is refused", ptr(-5), 0, false},
		{"one over the maximum is refused", ptr(101), 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Limit(tc.in, 20, 100)
			if tc.ok {
				if err != nil || got != tc.want {
					t.Fatalf("Limit = %d, %v, want %d", got, err, tc.want)
				}
				return
			}
			wantErr(t, err, "", "MaxResults must be between 1 and 100")
		})
	}
}

func TestRequiredNamesTheFirstMissingField(t *testing.T) {
	if err := Required("a", "x", "b", "y"); err != nil {
		t.Fatalf("Required with every field set = %v", err)
	}
	wantErr(t, Required("a", "x", "b", "", "c", ""), "", "Value null at 'b' failed to satisfy constraint: Member must not be null")
	wantErr(t, MaxLen("startUrl", strings.Repeat("u", 9), 8), "", "Value at 'startUrl' failed to satisfy constraint: Member must have length less than or equal to 8")
	if err := MaxLen("startUrl", "12345678", 8); err != nil {
		t.Errorf("MaxLen at the limit = %v", err)
	}
}

type decoded struct {
	Name       string
	MaxResults *int
	Tags       []struct{ Key, Value string }
	Member     *struct {
		UserID string `json:"UserId"`
	} `json:"MemberId"`
}

func TestDecodeJSON(t *testing.T) {
	three := 3
	good := []struct {
		name, body string
		want       decoded
	}{
		{"an empty body is an empty object", "", decoded{}},
		{"whitespace around the object is fine", " \t\r\n{\"Name\":\"a\"}\n ", decoded{Name: "a"}},
		{"unknown members are ignored, as AWS services do", `{"Name":"a","Extra":[1,{"x":null}]}`, decoded{Name: "a"}},
		{"null leaves a member unset", `{"Name":null,"MaxResults":null}`, decoded{}},
		{"an escaped surrogate pair is one character", `{"Name":"\ud83d\ude80 \u00e9"}`, decoded{Name: "🚀 é"}},
		{"an escaped backslash before a u is not an escape", `{"Name":"\\ud800"}`, decoded{Name: `\ud800`}},
		{"nested members decode", `{"MaxResults":3,"MemberId":{"UserId":"u"}}`,
			decoded{MaxResults: &three, Member: &struct {
				UserID string `json:"UserId"`
			}{UserID: "u"}}},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			var got decoded
			if err := DecodeJSON([]byte(tc.body), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("decoded (-want +got):\n%s", diff)
			}
		})
	}
	bad := []struct{ name, body, msg string }{
		{"invalid UTF-8 in a string", "{\"Name\":\"ad\xffmin\"}", "not valid UTF-8 (byte 11)"},
		{"a truncated UTF-8 sequence", "{\"Name\":\"admin\xe2\x80\"}", "not valid UTF-8"},
		{"an escaped lone high surrogate", `{"Name":"ad\ud800min"}`, "unpaired UTF-16 surrogate at byte 11"},
		{"an escaped lone low surrogate", `{"Name":"\uDC00"}`, "unpaired UTF-16 surrogate at byte 9"},
		{"a high surrogate at the end of a string", `{"Name":"a\uD83D"}`, "unpaired UTF-16 surrogate"},
		{"a high surrogate followed by another high one", `{"Name":"\ud83d\ud83d"}`, "unpaired UTF-16 surrogate"},
		{"an escaped backslash does not hide a lone surrogate", `{"Name":"\\\udc00"}`, "unpaired UTF-16 surrogate at byte 11"},
		{"truncated JSON", `{"Name":`, "malformed JSON"},
		{"a syntax error names the byte", `{"Name" "a"}`, "malformed JSON at byte 9"},
		{"an array", `[{}]`, "must be a JSON object"},
		{"a string", `"{}"`, "must be a JSON object"},
		{"null", `null`, "must be a JSON object"},
		{"a byte-order mark", "\ufeff{}", "must be a JSON object"},
		{"a non-breaking space before the object", "\u00a0{}", "must be a JSON object"},
		{"a second object", `{}{}`, "data after the JSON object"},
		{"a stray closing bracket", `{}]`, "data after the JSON object"},
		{"a word after the object", `{} x`, "data after the JSON object"},
		{"a number for a string", `{"Name":1}`, "field Name must be a string, not number"},
		{"a fraction for an integer", `{"MaxResults":2.5}`, "field MaxResults must be an integer, not number 2.5"},
		{"an integer too large", `{"MaxResults":1e30}`, "field MaxResults must be an integer"},
		{"an object for a list", `{"Tags":{}}`, "field Tags must be a list, not object"},
		{"a string for an object", `{"MemberId":"u"}`, "field MemberId must be an object, not string"},
		{"a nested wrong type names the path", `{"MemberId":{"UserId":true}}`, "field MemberId.UserId must be a string, not bool"},
		{"nesting past the decoder's depth limit", strings.Repeat("[", 20000) + strings.Repeat("]", 20000), "must be a JSON object"},
		{"deep nesting inside the object", `{"X":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, "malformed JSON"},
	}
	for _, tc := range bad {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			var got decoded
			wantErr(t, DecodeJSON([]byte(tc.body), &got), "SerializationException", tc.msg)
		})
	}
}

func TestDecodeForm(t *testing.T) {
	got, err := DecodeForm([]byte("Action=GetCallerIdentity&Version=2011-06-15&Policy=%7B%22a%22%3A1%7D&Empty="))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Action": "GetCallerIdentity", "Version": "2011-06-15", "Policy": `{"a":1}`, "Empty": ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("form (-want +got):\n%s", diff)
	}
	bad := []struct{ name, body, msg string }{
		{"a malformed escape", "Action=%zz", "not a valid form"},
		{"a semicolon separator", "Action=GetCallerIdentity;Version=2011-06-15", "not a valid form"},
		{"a repeated parameter", "Action=A&Action=B", "parameter Action appears more than once"},
		{"too many parameters", manyKeys(MaxFormKeys + 1), "more than 512 parameters"},
	}
	for _, tc := range bad {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			_, err := DecodeForm([]byte(tc.body))
			wantErr(t, err, "MalformedQueryString", tc.msg)
		})
	}
	if _, err := DecodeForm([]byte(manyKeys(MaxFormKeys))); err != nil {
		t.Errorf("a form with exactly %d parameters: %v", MaxFormKeys, err)
	}
}

// manyKeys is a form with n distinct parameters.
func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString("P")
		b.WriteString(strings.Repeat("x", i/26))
		b.WriteByte(byte('a' + i%26))
		b.WriteString("=1")
	}
	return b.String()
}
