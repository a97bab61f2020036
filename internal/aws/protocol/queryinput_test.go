package protocol

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/errs"
)

type tag struct{ Key, Value string }

type policyARN struct {
	ARN string `query:"arn"`
}

// assumeRoleInput is shaped like STS AssumeRole's input, plus a map and a
// flattened list, the two shapes STS itself does not use.
type assumeRoleInput struct {
	RoleArn           string
	DurationSeconds   *int32
	PolicyArns        []policyARN
	Tags              []tag
	TransitiveTagKeys []string
	Attributes        map[string]string
	Flat              []string `query:"Flat,flat"`
	Context           *struct{ Name string }
	Enabled           bool
	Ratio             float64
}

func decodeQueryString(t *testing.T, form string) (assumeRoleInput, error) {
	t.Helper()
	params, err := DecodeForm([]byte(form))
	if err != nil {
		t.Fatalf("DecodeForm(%q): %v", form, err)
	}
	var in assumeRoleInput
	return in, DecodeQuery(params, &in)
}

func int32p(n int32) *int32 { return &n }

func TestDecodeQueryReadsBotocoreShapes(t *testing.T) {
	cases := []struct {
		name string
		form string
		want assumeRoleInput
	}{
		{"scalars and an optional integer", "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&DurationSeconds=900&Enabled=true&Ratio=0.5",
			assumeRoleInput{RoleArn: "arn:aws:iam::1:role/r", DurationSeconds: int32p(900), Enabled: true, Ratio: 0.5}},
		{"a list of structs in index order, whatever the parameter order",
			"Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a&Tags.member.1.Value=1",
			assumeRoleInput{Tags: []tag{{"a", "1"}, {"b", "2"}}}},
		{"a list of structs with a lowercase member name", "PolicyArns.member.1.arn=x&PolicyArns.member.2.arn=y",
			assumeRoleInput{PolicyArns: []policyARN{{"x"}, {"y"}}}},
		{"a list of strings", "TransitiveTagKeys.member.1=x&TransitiveTagKeys.member.2=y",
			assumeRoleInput{TransitiveTagKeys: []string{"x", "y"}}},
		{"a map", "Attributes.entry.1.key=k&Attributes.entry.1.value=v&Attributes.entry.2.key=j&Attributes.entry.2.value=",
			assumeRoleInput{Attributes: map[string]string{"k": "v", "j": ""}}},
		{"a flattened list", "Flat.1=a&Flat.2=b", assumeRoleInput{Flat: []string{"a", "b"}}},
		{"an empty list, as botocore sends one", "Tags=&TransitiveTagKeys=",
			assumeRoleInput{Tags: []tag{}, TransitiveTagKeys: []string{}}},
		{"an empty map", "Attributes=", assumeRoleInput{Attributes: map[string]string{}}},
		{"a nested optional struct", "Context.Name=n", assumeRoleInput{Context: &struct{ Name string }{"n"}}},
		{"parameters naming no member are ignored", "Unknown=1&Other.member.1=2", assumeRoleInput{}},
		{"a list member may be the empty string", "TransitiveTagKeys.member.1=", assumeRoleInput{TransitiveTagKeys: []string{""}}},
		{"the last allowed index", many(MaxQueryMembers), assumeRoleInput{TransitiveTagKeys: strings.Split(strings.Repeat("x,", MaxQueryMembers-1)+"x", ",")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeQueryString(t, tc.form)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// many is a form with a list of n strings.
func many(n int) string {
	v := url.Values{}
	for i := 1; i <= n; i++ {
		v.Set("TransitiveTagKeys.member."+strconv.Itoa(i), "x")
	}
	return v.Encode()
}

func TestDecodeQueryRefusesMalformedShapes(t *testing.T) {
	cases := []struct {
		name, form, code, msg string
	}{
		{"a gap in a list", "TransitiveTagKeys.member.1=a&TransitiveTagKeys.member.3=c", "MalformedQueryString", "TransitiveTagKeys.member.2 is missing"},
		{"a list starting at 2", "Tags.member.2.Key=k&Tags.member.2.Value=v", "MalformedQueryString", "Tags.member.1 is missing"},
		{"index zero", "TransitiveTagKeys.member.0=a", "MalformedQueryString", "not a member index"},
		{"a negative index", "TransitiveTagKeys.member.-1=a", "MalformedQueryString", "not a member index"},
		{"a leading zero, which would alias another index", "TransitiveTagKeys.member.1=a&TransitiveTagKeys.member.01=b", "MalformedQueryString", "not a member index"},
		{"a signed index", "TransitiveTagKeys.member.+1=a", "MalformedQueryString", "not a member index"},
		{"a word for an index", "Tags.member.one.Key=k", "MalformedQueryString", "not a member index"},
		{"an empty index", "Tags.member..Key=k", "MalformedQueryString", "not a member index"},
		{"an index past the bound", "TransitiveTagKeys.member." + strconv.Itoa(MaxQueryMembers+1) + "=a", "MalformedQueryString", "out of range"},
		{"a huge index", "TransitiveTagKeys.member.99999999999999999999=a", "MalformedQueryString", "not a member index"},
		{"a repeated map key", "Attributes.entry.1.key=k&Attributes.entry.1.value=1&Attributes.entry.2.key=k&Attributes.entry.2.value=2", "MalformedQueryString", "repeats the map key"},
		{"a map entry without its value", "Attributes.entry.1.key=k", "MalformedQueryString", "Attributes.entry.1.value is missing"},
		{"a map entry without its key", "Attributes.entry.1.value=v", "MalformedQueryString", "Attributes.entry.1.key is missing"},
		{"an unknown member of a list element", "Tags.member.1.Key=k&Tags.member.1.Colour=red", "MalformedQueryString", `"Tags.member.1.Colour" does not fit`},
		{"a scalar where a struct element belongs", "Tags.member.1=k", "MalformedQueryString", `"Tags.member.1" does not fit`},
		{"a value for a list", "Tags=k", "MalformedQueryString", `"Tags" does not fit`},
		{"an empty list sent alongside members", "TransitiveTagKeys=&TransitiveTagKeys.member.1=a", "MalformedQueryString", `"TransitiveTagKeys" does not fit`},
		{"a list element without its value", "TransitiveTagKeys.member.1.x=a", "MalformedQueryString", "TransitiveTagKeys.member.1 has no value"},
		{"a member under a scalar", "RoleArn.member.1=a", "MalformedQueryString", `"RoleArn.member.1" does not fit`},
		{"a wrong-case list marker", "Tags.Member.1.Key=k", "MalformedQueryString", `"Tags.Member.1.Key" does not fit`},
		{"a number that is not", "DurationSeconds=1h", "", "Value \"1h\" at 'DurationSeconds'"},
		{"an integer out of its range", "DurationSeconds=9999999999", "", "must be an integer"},
		{"a boolean that is not", "Enabled=yes", "", "must be a boolean"},
		{"a float that is not a number", "Ratio=NaN", "", "must be a number"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := decodeQueryString(t, tc.form)
			e, ok := errs.As(err)
			if !ok || e.Kind != errs.Invalid || e.Code != tc.code || !strings.Contains(e.Message, tc.msg) {
				t.Errorf("err = %v (code %q), want kind invalid, code %q and a message with %q", err, codeOf(e), tc.code, tc.msg)
			}
		})
	}
}

func codeOf(e *errs.Error) string {
	if e == nil {
		return ""
	}
	return e.Code
}

func TestDecodeQueryNeedsAPointerToAStruct(t *testing.T) {
	var s string
	if err := DecodeQuery(nil, &s); !errs.Is(err, errs.Internal) {
		t.Errorf("DecodeQuery into *string = %v, want an internal error", err)
	}
}
