package protocol

import (
	"bytes"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fuzzInput is a representative operation input: strings, an optional
// integer, a boolean, a float, a list of structs, an optional nested union
// and a map, under AWS-style member names.
type fuzzInput struct {
	IdentityStoreID string `json:"IdentityStoreId"`
	MaxResults      *int
	NextToken       string
	Primary         bool
	Ratio           float64
	Tags            []struct{ Key, Value string }
	MemberID        *struct {
		UserID string `json:"UserId"`
	} `json:"MemberId"`
	Attributes map[string]string
}

// FuzzDecodeJSON: DecodeJSON never panics, and whatever it accepts survives
// a marshal and a second decode unchanged.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `{"IdentityStoreId":"d-1234567890","MaxResults":5,"NextToken":"abc"}`,
		`{"Tags":[{"Key":"team","Value":"a"}],"MemberId":{"UserId":"u"},"Attributes":{"k":"v"}}`,
		`{"Primary":true,"Ratio":-0.5e3,"MaxResults":null}`, `{"identitystoreid":"case"}`, `{"a":1}{}`, `[]`, `"x"`,
		`{"MaxResults":1.5}`, `{"Tags":{}}`, "\ufeff{}", `{"NextToken":"\ud800"}`, `{"MemberId":{"UserId":"a"},"MemberId":{}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var first fuzzInput
		if err := DecodeJSON(body, &first); err != nil {
			return
		}
		again, err := json.Marshal(first)
		if err != nil {
			t.Fatalf("marshal of an accepted input: %v", err)
		}
		if bytes.Contains(again, []byte("\uFFFD")) && !spellsReplacement(body) {
			t.Fatalf("DecodeJSON accepted %q, turning part of it into U+FFFD", body)
		}
		var second fuzzInput
		if err := DecodeJSON(again, &second); err != nil {
			t.Fatalf("DecodeJSON refused its own output %s: %v", again, err)
		}
		if diff := cmp.Diff(first, second); diff != "" {
			t.Fatalf("round trip of %q changed the value (-first +second):\n%s", body, diff)
		}
	})
}

// spellsReplacement reports whether body itself holds U+FFFD, raw or escaped.
func spellsReplacement(body []byte) bool {
	return bytes.Contains(body, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(body), []byte(`\ufffd`))
}

// FuzzDecodeForm: DecodeForm never panics, and whatever it accepts
// round-trips through url.Values encoding.
func FuzzDecodeForm(f *testing.F) {
	for _, seed := range []string{
		``, `Action=GetCallerIdentity&Version=2011-06-15`, `Action=AssumeRole&Tags.member.1.Key=team&Tags.member.1.Value=a`,
		`a=%zz`, `a=1&a=2`, `a;b=c`, `=x&y&&z=`, `k=%F0%9F%94%91+x`, `Policy=%7B%22Version%22%3A%222012-10-17%22%7D`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		first, err := DecodeForm(body)
		if err != nil {
			return
		}
		vals := url.Values{}
		for k, v := range first {
			vals.Set(k, v)
		}
		second, err := DecodeForm([]byte(vals.Encode()))
		if err != nil {
			t.Fatalf("DecodeForm refused the encoding %q of an accepted form: %v", vals.Encode(), err)
		}
		if diff := cmp.Diff(first, second); diff != "" {
			t.Fatalf("round trip of %q changed the form (-first +second):\n%s", body, diff)
		}
	})
}
