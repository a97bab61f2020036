package directory

import (
	"reflect"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/errs"
)

// rec is a Record of single values.
type rec map[string]string

func (r rec) Value(path string) (string, bool) {
	v, ok := r[path]
	return v, ok
}

// multi is a MultiRecord.
type multi map[string][]string

func (m multi) Value(path string) (string, bool) {
	if vs := m[path]; len(vs) > 0 {
		return vs[0], true
	}
	return "", false
}

func (m multi) Values(path string) []string { return m[path] }

var alice = rec{
	"id": "00u1", "status": "ACTIVE", "lastUpdated": "2014-01-01T00:00:00Z",
	"profile.login": "Isaac.Brock@example.com", "profile.email": "isaac@example.com",
	"profile.firstName": "Isaac", "profile.lastName": "Smith",
	"profile.department": "Engineering", "profile.age": "42", "profile.nickname": "",
}

func TestParseAndMatch(t *testing.T) {
	tests := []struct {
		name string
		g    Grammar
		expr string
		r    Record
		want bool
	}{
		{"a department eq matches the same department", UserSearch(), `profile.department eq "Engineering"`, alice, true},
		{"a department eq ignores case", UserSearch(), `profile.department eq "engineering"`, alice, true},
		{"a department eq does not match another department", UserSearch(), `profile.department eq "Sales"`, alice, false},
		{"a login eq ignores case but not diacritics", UserSearch(), `profile.login eq "isaac.brock@example.com"`, alice, true},
		{"a login with diacritics does not match one without", UserSearch(), `profile.login eq "isáàc.bröck@example.com"`, alice, false},
		{"upper-case operators work", UserSearch(), `profile.department EQ "Engineering" AND status Eq "ACTIVE"`, alice, true},
		{"and binds tighter than or", UserSearch(), `status eq "STAGED" and id eq "x" or id eq "00u1"`, alice, true},
		{"parentheses override precedence", UserSearch(), `status eq "STAGED" and (id eq "x" or id eq "00u1")`, alice, false},
		{"status with a starts-with group matches", UserSearch(), `status eq "ACTIVE" and (profile.lastName sw "S" or profile.firstName co "an")`, alice, true},
		{"status with a failing group does not match", UserSearch(), `status eq "ACTIVE" and (profile.lastName sw "T" or profile.firstName co "an")`, alice, false},
		{"co finds a substring in any case", UserSearch(), `profile.firstName co "SAA"`, alice, true},
		{"lastUpdated gt compares instants", UserFilter(), `lastUpdated gt "2013-06-01T00:00:00.000Z"`, alice, true},
		{"lastUpdated lt compares instants", UserFilter(), `lastUpdated lt "2013-06-01T00:00:00.000Z"`, alice, false},
		{"lastUpdated eq matches the same instant in another zone", UserFilter(), `lastUpdated eq "2014-01-01T01:00:00+01:00"`, alice, true},
		{"a time that does not parse matches nothing", UserFilter(), `lastUpdated gt "2013-06-01T00:00:00Z"`, rec{"lastUpdated": "yesterday"}, false},
		{"pr matches a present value", UserSearch(), `profile.email pr`, alice, true},
		{"pr does not match an empty value", UserSearch(), `profile.nickname pr`, alice, false},
		{"pr does not match an absent value", UserSearch(), `profile.mobilePhone pr`, alice, false},
		{"the ne workaround excludes the status", UserSearch(), `(status lt "STAGED" or status gt "STAGED")`, rec{"status": "STAGED"}, false},
		{"the ne workaround keeps other statuses", UserSearch(), `(status lt "STAGED" or status gt "STAGED")`, alice, true},
		{"underscores order after upper-case letters", UserSearch(), `status gt "LOCKED"`, rec{"status": "LOCKED_OUT"}, true},
		{"an escaped quote is part of the value", UserSearch(), `profile.nickname eq "say \"hi\" \\o/"`, rec{"profile.nickname": `Say "hi" \o/`}, true},
		{"eq does not match an absent attribute", UserSearch(), `profile.title eq "x"`, alice, false},
		{"a bare true compares as text", UserSearch(), `profile.admin eq true`, rec{"profile.admin": "TRUE"}, true},
		{"a bare integer orders numerically", UserSearch(), `profile.age gt 9`, alice, true},
		{"a quoted integer orders as text", UserSearch(), `profile.age gt "9"`, alice, false},
		{"ne matches a different value", LogFilter(), `eventType ne "user.session.start"`, rec{"eventType": "user.session.end"}, true},
		{"ne does not match the same value", LogFilter(), `eventType ne "user.session.start"`, rec{"eventType": "User.Session.Start"}, false},
		{"ne matches an absent attribute", LogFilter(), `outcome.reason ne "x"`, rec{}, true},
		{"ne on a time that does not parse does not match", LogFilter(), `published ne "2020-01-01T00:00:00Z"`, rec{"published": "soon"}, false},
		{"published ge compares instants", LogFilter(), `published ge "2020-01-01T00:00:00Z"`, rec{"published": "2020-01-01T00:00:00.001Z"}, true},
		{"any target id may match", LogFilter(), `target.id eq "00g2"`, multi{"target.id": {"00u1", "00g2"}}, true},
		{"no target id matches", LogFilter(), `target.id eq "00g3"`, multi{"target.id": {"00u1", "00g2"}}, false},
		{"ne is false when any target id equals", LogFilter(), `target.id ne "00g2"`, multi{"target.id": {"00u1", "00g2"}}, false},
		{"ne is true when no target id equals", LogFilter(), `target.id ne "00g3"`, multi{"target.id": {"00u1", "00g2"}}, true},
		{"a group type filter matches", GroupFilter(), `type eq "OKTA_GROUP"`, rec{"type": "OKTA_GROUP"}, true},
		{"a group name contains", GroupSearch(), `profile.name co "eng"`, rec{"profile.name": "Engineering"}, true},
		{"whitespace around tokens is optional", GroupSearch(), `(profile.name sw"Eng")and(id pr)`, rec{"profile.name": "Engineering", "id": "00g1"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.expr, tt.g)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.expr, err)
			}
			if got := e.Match(tt.r); got != tt.want {
				t.Errorf("Parse(%q).Match(%v) = %v, want %v", tt.expr, tt.r, got, tt.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name string
		g    Grammar
		expr string
		want string // part of the message
	}{
		{"an attribute the grammar does not know", UserFilter(), `profile.department eq "x"`, `unknown attribute "profile.department" at position 1`},
		{"a nested profile path", UserSearch(), `profile.a.b eq "x"`, `unknown attribute "profile.a.b"`},
		{"a malformed attribute path", LogFilter(), `actor..id eq "x"`, `invalid attribute path "actor..id"`},
		{"an unknown operator", UserSearch(), `profile.login xx "a"`, `unknown operator "xx" at position 15`},
		{"sw in a users filter", UserFilter(), `status sw "A"`, `operator sw is not supported`},
		{"gt on a text attribute in a users filter", UserFilter(), `id gt "a"`, `attribute "id" cannot be used with gt`},
		{"co on profile.department in a users search", UserSearch(), `profile.department co "eng"`, `attribute "profile.department" cannot be used with co at position 20`},
		{"co on a group id", GroupSearch(), `id co "00g"`, `attribute "id" cannot be used with co`},
		{"ne in a users search, with the workaround", UserSearch(), `status ne "STAGED"`, `operator ne is not supported in this expression at position 8; use (status lt "STAGED" or status gt "STAGED")`},
		{"sw on a time", LogFilter(), `published sw "2020"`, `attribute "published" is a time and cannot be used with sw`},
		{"a missing value", UserSearch(), `status eq`, `missing value after eq at position 10`},
		{"a missing value before and", UserSearch(), `status eq and id pr`, `expected a quoted value after eq but found "and"`},
		{"a missing operator", UserSearch(), `status`, `expected an operator after "status" but found the end of the expression`},
		{"a value after pr", UserSearch(), `id pr "x"`, `unexpected the value "x"`},
		{"null", UserSearch(), `profile.email eq null`, `null is not supported at position 18; use "profile.email pr"`},
		{"an unterminated string", UserSearch(), `status eq "ACTIVE`, `unterminated string at position 11`},
		{"a string ending in a backslash", UserSearch(), `status eq "ACTIVE\`, `unterminated string`},
		{"an unsupported escape", UserSearch(), `status eq "a\nb"`, `unsupported escape "\n" at position 13; only \" and \\ are allowed`},
		{"trailing garbage", UserSearch(), `status eq "ACTIVE" foo`, `unexpected "foo" at position 20; expected and, or, or the end`},
		{"a dangling and", UserSearch(), `status eq "ACTIVE" and`, `expected an attribute or ( but found the end of the expression`},
		{"an unclosed parenthesis", UserSearch(), `(status eq "ACTIVE"`, `( is never closed at position 1`},
		{"an extra closing parenthesis", UserSearch(), `status eq "ACTIVE")`, `) without a matching ( at position 19`},
		{"empty parentheses", UserSearch(), `()`, `expected an attribute or ( but found )`},
		{"not", LogFilter(), `not eventType eq "x"`, `not is not supported at position 1`},
		{"a value filter", LogFilter(), `target[type eq "User"]`, `value filters ([ ]) are not supported at position 7`},
		{"an unexpected character", LogFilter(), `eventType = "x"`, `unexpected character '=' at position 11`},
		{"an empty expression", LogFilter(), ``, `empty expression`},
		{"a blank expression", LogFilter(), " \t ", `empty expression`},
		{"a too long expression", LogFilter(), `eventType eq "` + strings.Repeat("a", MaxExprBytes) + `"`, `at most 4096 are allowed`},
		{"parentheses nested too deep", LogFilter(), strings.Repeat("(", MaxExprDepth+1) + `a pr` + strings.Repeat(")", MaxExprDepth+1), `parentheses nested deeper than 32 at position 33`},
		{"too many comparisons", LogFilter(), strings.Repeat(`a pr or `, MaxExprComparisons) + `a pr`, `more than 64 comparisons`},
		{"a bad time", UserFilter(), `lastUpdated gt "2013-06-01"`, `"2013-06-01" is not a time at position 16; lastUpdated needs an RFC 3339 time`},
		{"a bare number as a time", GroupFilter(), `lastUpdated gt 2013`, `"2013" is not a time at position 16`},
		{"a NUL byte", LogFilter(), "eventType eq \"a\x00\"", `control character U+0000 at position 16`},
		{"invalid UTF-8", LogFilter(), "eventType eq \"a\xff\"", `invalid UTF-8 at position 16`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.expr, tt.g)
			if err == nil {
				t.Fatalf("Parse(%.80q) succeeded, want an error containing %q", tt.expr, tt.want)
			}
			if !errs.Is(err, errs.Invalid) {
				t.Errorf("Parse(%.80q) error %v has kind %s, want %s", tt.expr, err, errs.KindOf(err), errs.Invalid)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%.80q) error = %q, want it to contain %q", tt.expr, err, tt.want)
			}
		})
	}
}

func TestStringIsCanonical(t *testing.T) {
	tests := []struct {
		name, expr, want string
	}{
		{"operators become lower case", `status EQ "ACTIVE" AND id PR`, `status eq "ACTIVE" and id pr`},
		{"redundant parentheses go", `((status eq "ACTIVE"))`, `status eq "ACTIVE"`},
		{"parentheses around an or inside an and stay", `status eq "A" and (id pr or id eq "1")`, `status eq "A" and (id pr or id eq "1")`},
		{"an and inside an or needs none", `(status eq "A" and id pr) or id eq "1"`, `status eq "A" and id pr or id eq "1"`},
		{"quotes and backslashes are escaped again", `id eq "a\"b\\c"`, `id eq "a\"b\\c"`},
		{"bare literals stay bare", `profile.age ge -3 or profile.admin eq true`, `profile.age ge -3 or profile.admin eq true`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.expr, UserSearch())
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.expr, err)
			}
			if got := e.String(); got != tt.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.expr, got, tt.want)
			}
		})
	}
}

func TestTheZeroExprMatchesEveryRecord(t *testing.T) {
	var e Expr
	if !e.Match(rec{}) || !e.Match(alice) || e.String() != "" {
		t.Errorf("zero Expr: Match = %v, %v; String = %q; want true, true, \"\"", e.Match(rec{}), e.Match(alice), e.String())
	}
}

func TestAGrammarWithoutAttrRefusesEveryAttribute(t *testing.T) {
	_, err := Parse(`id eq "1"`, Grammar{Ops: map[Kind][]Comparison{KindString: {CmpEq}}})
	if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), `unknown attribute "id"`) {
		t.Errorf("Parse with no Attr: %v, want an Invalid unknown attribute error", err)
	}
}

func TestChangingOneGrammarLeavesTheOthersAlone(t *testing.T) {
	g := UserSearch()
	g.Ops[KindString][0] = CmpNe
	if _, err := Parse(`status eq "ACTIVE"`, UserSearch()); err != nil {
		t.Errorf("a fresh UserSearch refuses eq after another copy changed: %v", err)
	}
	if _, err := Parse(`eventType eq "x"`, LogFilter()); err != nil {
		t.Errorf("LogFilter refuses eq after a UserSearch copy changed: %v", err)
	}
}

func TestAHugeExpressionIsRefusedBeforeItIsRead(t *testing.T) {
	_, err := Parse(strings.Repeat("(", 1<<20), LogFilter())
	if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "at most 4096") {
		t.Errorf("Parse of 1 MiB: %v, want an Invalid length error", err)
	}
}

func TestRequiredListsTheTopLevelTextEqualities(t *testing.T) {
	for _, c := range []struct {
		expr string
		want []Condition
	}{
		{`profile.department eq "Sales"`, []Condition{{"profile.department", CmpEq, fold("Sales")}}},
		{`status eq "ACTIVE" and profile.title eq "Émile" and (profile.a eq "x" or profile.b eq "y")`,
			[]Condition{{"status", CmpEq, fold("ACTIVE")}, {"profile.title", CmpEq, fold("Émile")}}},
		{`profile.department eq "Sales" or status eq "ACTIVE"`, nil},
		{`profile.department sw "Sa"`, nil},
		{`profile.employeeNumber eq 42`, nil},
		{`lastUpdated eq "2026-01-01T00:00:00Z"`, nil},
	} {
		e, err := Parse(c.expr, UserSearch())
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := e.Required(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: Required = %+v, want %+v", c.expr, got, c.want)
		}
	}
}
