package scimclient

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseError: any error body a target sends becomes an Error that
// keeps the answer's status and prints as valid text, never a panic.
func FuzzParseError(f *testing.F) {
	f.Add(409, []byte(`{"schema":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"Refused to create a new, duplicate resource.","status":"409"}`))
	f.Add(400, []byte(`{"scimType":"invalidValue","detail":"x","status":400}`))
	f.Add(429, []byte(`{"status":"4x9","detail":null}`))
	f.Add(500, []byte("<html>\xff\x00oops"))
	f.Add(401, []byte(`{"message":"Unauthorized"}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			return
		}
		e := parseError(status, body)
		if e.Status != status {
			t.Fatalf("status %d became %d", status, e.Status)
		}
		if msg := e.Error(); !utf8.ValidString(msg) || msg == "" {
			t.Fatalf("message %q is not valid text", msg)
		}
		if !json0(body) && len(e.Detail) > 204 {
			t.Fatalf("excerpt of %d bytes", len(e.Detail))
		}
	})
}

func json0(b []byte) bool { b = bytes.TrimSpace(b); return len(b) > 0 && b[0] == '{' }

// FuzzDecodeResponses: list responses and resources are read within the
// size bound and never panic; what is read back is what a second read
// of the same bytes gives.
func FuzzDecodeResponses(f *testing.F) {
	f.Add([]byte(`{"totalResults":1,"itemsPerPage":1,"startIndex":1,"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"Resources":[{"id":"90677c608a-ef9cb2da","displayName":"Group Foo","members":[]}]}`))
	f.Add([]byte(`{"itemsPerPage":2,"nextCursor":"Q3Vy","Resources":[{"id":"a","userName":"bjensen","emails":[{"value":"b@example.com","primary":true}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"x"}}]}`))
	f.Add([]byte(`{"Resources":null}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"Resources":[{"active":"yes"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		const limit = 4096
		var users ListResponse[User]
		err := decode(bytes.NewReader(body), limit, &users)
		if len(body) > limit && err == nil {
			t.Fatalf("a %d-byte body passed a %d-byte limit", len(body), limit)
		}
		var groups ListResponse[Group]
		_ = decode(bytes.NewReader(body), limit, &groups)
		var u User
		_ = decode(bytes.NewReader(body), limit, &u)
		if err == nil {
			var again ListResponse[User]
			if decode(strings.NewReader(string(body)), limit, &again) != nil || len(again.Resources) != len(users.Resources) {
				t.Fatal("the same bytes read differently")
			}
		}
	})
}
