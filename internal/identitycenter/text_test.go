package identitycenter

import (
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/errs"
)

func validProfile() Profile {
	return Profile{UserName: "bob", DisplayName: "Bob Example", Name: Name{GivenName: "Bob", FamilyName: "Example"}}
}

// TestNamesRefuseInvisibleAndInvalidText checks every name field AWS
// constrains refuses invalid UTF-8 and format characters, naming the field.
func TestNamesRefuseInvisibleAndInvalidText(t *testing.T) {
	bad := map[string]string{
		"a right-to-left override":   "admin\u202Egnp.exe",
		"a zero-width space":         "ad\u200Bmin",
		"a zero-width joiner":        "ad\u200Dmin",
		"a word joiner":              "ad\u2060min",
		"a byte order mark":          "\uFEFFadmin",
		"invalid UTF-8":              "ad\xffmin",
		"a truncated UTF-8 sequence": "admin\xe2\x80",
		"an escape character":        "\x1b[2Jadmin",
	}
	fields := map[string]func(string) error{
		"userName":            func(v string) error { p := validProfile(); p.UserName = v; return ValidateProfile(p) },
		"displayName":         func(v string) error { p := validProfile(); p.DisplayName = v; return ValidateProfile(p) },
		"givenName":           func(v string) error { p := validProfile(); p.Name.GivenName = v; return ValidateProfile(p) },
		"group displayName":   func(v string) error { return ValidateGroup(v, "") },
		"group description":   func(v string) error { return ValidateGroup("Devs", v) },
		"permission set Name": func(v string) error { return PermissionSet{Name: v}.Validate() },
		"permission set Description": func(v string) error {
			return PermissionSet{Name: "Admin", Description: v}.Validate()
		},
		"AccountName": func(v string) error { return ValidateNewAccount(v, "dev@example.com") },
	}
	for field, validate := range fields {
		for what, v := range bad {
			t.Run(field+" refuses "+what, func(t *testing.T) {
				err := validate(v)
				e, ok := errs.As(err)
				if !ok || e.Kind != errs.Invalid {
					t.Fatalf("validate(%q) = %v, want an Invalid error", v, err)
				}
				name := field[strings.LastIndex(field, " ")+1:]
				if !strings.Contains(e.Message, name) {
					t.Errorf("message %q does not name the field %s", e.Message, name)
				}
			})
		}
	}
}

// TestNamesAcceptWhatAWSAccepts keeps the patterns from refusing real names.
func TestNamesAcceptWhatAWSAccepts(t *testing.T) {
	for _, v := range []string{"José Müller-Łukasiewicz", "山田\u3000太郎", "Zoë O'Brien\u00a0Jr.", "עִבְרִית", "🚀 dev"} {
		p := validProfile()
		p.DisplayName, p.Name.GivenName = v, v
		if err := ValidateProfile(p); err != nil {
			t.Errorf("ValidateProfile(displayName %q) = %v", v, err)
		}
	}
	if err := ValidateGroup("Développeurs\u00a0EMEA", "line one\nline two"); err != nil {
		t.Errorf("ValidateGroup = %v", err)
	}
	if err := ValidateNewAccount("Dev (EU) #2 ~ test", "dev@example.com"); err != nil {
		t.Errorf("ValidateNewAccount = %v", err)
	}
	if err := ValidateGroup("山田\u3000チーム", ""); err == nil {
		t.Errorf("ValidateGroup accepted U+3000, which GroupDisplayName's pattern excludes")
	}
}

// TestCheckCharsNamesTheRune checks the message says what to fix.
func TestCheckCharsNamesTheRune(t *testing.T) {
	err := checkChars("displayName", "ab\u202Ec", identityText)
	want := "displayName: must not contain invisible format characters (bidi overrides, zero-width spaces) (found U+202E at character 3)"
	if err == nil || err.Message != want {
		t.Errorf("checkChars = %v, want %q", err, want)
	}
}
