package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/errs"
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

// FuzzDecodeForm: DecodeForm and DecodeQuery never panic, whatever
// DecodeForm accepts round-trips through url.Values encoding, and whatever
// DecodeQuery accepts survives botocore's serialization (encodeQuery) and a
// second decode unchanged.
func FuzzDecodeForm(f *testing.F) {
	for _, seed := range []string{
		``, `Action=GetCallerIdentity&Version=2011-06-15`, `Action=AssumeRole&Tags.member.1.Key=team&Tags.member.1.Value=a`,
		`a=%zz`, `a=1&a=2`, `a;b=c`, `=x&y&&z=`, `k=%F0%9F%94%91+x`, `Policy=%7B%22Version%22%3A%222012-10-17%22%7D`,
		`PolicyArns.member.2.arn=b&PolicyArns.member.1.arn=a&TransitiveTagKeys.member.1=x&DurationSeconds=900`,
		`Attributes.entry.1.key=k&Attributes.entry.1.value=v&Flat.1=a&Flat.2=b&Context.Name=n&Enabled=true&Ratio=1e3`,
		`Tags=&Attributes=&TransitiveTagKeys.member.01=x`, `Tags.member.3.Key=k`, `Attributes.entry.1.key=k&Attributes.entry.2.key=k`,
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
		roundTripQuery(t, first)
	})
}

// roundTripQuery checks that input DecodeQuery accepts decodes the same
// after encodeQuery writes it back the way botocore would.
func roundTripQuery(t *testing.T, params map[string]string) {
	t.Helper()
	var in assumeRoleInput
	if err := DecodeQuery(params, &in); err != nil {
		if e, ok := errs.As(err); !ok || e.Kind != errs.Invalid {
			t.Fatalf("DecodeQuery(%q) = %v, want a client error", params, err)
		}
		return
	}
	again := map[string]string{}
	encodeQuery("", reflect.ValueOf(in), again)
	var second assumeRoleInput
	if err := DecodeQuery(again, &second); err != nil {
		t.Fatalf("DecodeQuery refused the encoding %q of an accepted input: %v", again, err)
	}
	if diff := cmp.Diff(in, second); diff != "" {
		t.Fatalf("round trip of %q changed the input (-first +second):\n%s", params, diff)
	}
}

// encodeQuery writes v as botocore's QuerySerializer does: lists as
// Name.member.N (flattened: Name.N), an empty list as Name=, maps as
// Name.entry.N.key/value. An empty map is written as Name= too, which is
// how DecodeQuery tells it from an absent one.
func encodeQuery(name string, v reflect.Value, out map[string]string) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			encodeQuery(name, v.Elem(), out)
		}
	case reflect.Struct:
		for _, f := range queryFields(v.Type()) {
			encodeQuery(join(name, f.name, f.flat), v.Field(f.index), out)
		}
	case reflect.Slice:
		encodeList(name, v, out)
	case reflect.Map:
		encodeMap(name, v, out)
	default:
		out[name] = fmt.Sprint(v.Interface())
	}
}

// join names a member; a flat list's elements are named under the list
// itself, which encodeList marks with a trailing "!".
func join(prefix, name string, flat bool) string {
	if prefix != "" {
		name = prefix + "." + name
	}
	if flat {
		name += "!"
	}
	return name
}

func encodeList(name string, v reflect.Value, out map[string]string) {
	if v.IsNil() {
		return
	}
	items, flat := strings.CutSuffix(name, "!")
	if !flat {
		items += ".member"
	}
	if v.Len() == 0 {
		out[strings.TrimSuffix(name, "!")] = ""
	}
	for i := range v.Len() {
		encodeQuery(items+"."+strconv.Itoa(i+1), v.Index(i), out)
	}
}

func encodeMap(name string, v reflect.Value, out map[string]string) {
	if v.IsNil() {
		return
	}
	if v.Len() == 0 {
		out[name] = ""
	}
	for i, k := range v.MapKeys() {
		entry := name + ".entry." + strconv.Itoa(i+1)
		out[entry+".key"] = fmt.Sprint(k.Interface())
		out[entry+".value"] = fmt.Sprint(v.MapIndex(k).Interface())
	}
}
