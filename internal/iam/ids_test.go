package iam

import (
	"regexp"
	"testing"

	"github.com/keyward/keyward/internal/clock"
)

func TestGeneratedIdentifiersHaveAWSShapes(t *testing.T) {
	cases := []struct {
		name  string
		gen   func() string
		shape *regexp.Regexp
	}{
		{"a role id", func() string { return NewRoleID(clock.Random) }, regexp.MustCompile(`^AROA[A-Z2-7]{17}$`)},
		{"a long-term access key id", func() string { return NewAccessKeyID(clock.Random) }, regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`)},
		{"a session access key id", func() string { return NewTemporaryAccessKeyID(clock.Random) }, regexp.MustCompile(`^ASIA[A-Z2-7]{16}$`)},
		{"a secret access key", func() string { return NewSecretAccessKey(clock.Random) }, regexp.MustCompile(`^[A-Za-z0-9+/]{40}$`)},
	}
	for _, tc := range cases {
		t.Run(tc.name+" has its shape and does not repeat", func(t *testing.T) {
			seen := map[string]bool{}
			for range 200 {
				id := tc.gen()
				if !tc.shape.MatchString(id) || seen[id] {
					t.Fatalf("%q: shape %v, repeated %v", id, tc.shape, seen[id])
				}
				seen[id] = true
			}
		})
	}
}

func TestARNs(t *testing.T) {
	cases := []struct{ name, got, want string }{
		{"a root user", RootARN("111122223333"), "arn:aws:iam::111122223333:root"},
		{"a role under a path", RoleARN("111122223333", "/aws-reserved/sso.amazonaws.com/", "AWSReservedSSO_A_0123456789abcdef"),
			"arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_A_0123456789abcdef"},
		{"a role with the default path", RoleARN("111122223333", "", "deploy"), "arn:aws:iam::111122223333:role/deploy"},
		{"a role session, without the role's path", AssumedRoleARN("111122223333", "deploy", "alice"), "arn:aws:sts::111122223333:assumed-role/deploy/alice"},
		{"a role session's user id", AssumedRoleUserID("AROAABCDEFGHIJKLMNOPQ", "alice"), "AROAABCDEFGHIJKLMNOPQ:alice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %s, want %s", tc.got, tc.want)
			}
		})
	}
}

func TestASessionNamesItsPrincipal(t *testing.T) {
	s := Session{Kind: KindAssumedRole, AccountID: "111122223333", RoleID: "AROAABCDEFGHIJKLMNOPQ", RoleName: "deploy",
		RolePath: "/ci/", SessionName: "alice"}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	if s.ARN() != "arn:aws:sts::111122223333:assumed-role/deploy/alice" || s.UserID() != "AROAABCDEFGHIJKLMNOPQ:alice" ||
		s.RoleARN() != "arn:aws:iam::111122223333:role/ci/deploy" {
		t.Errorf("ARN %s, UserId %s, role %s", s.ARN(), s.UserID(), s.RoleARN())
	}
	for name, broken := range map[string]func(*Session){
		"no kind":         func(s *Session) { s.Kind = "" },
		"an unknown kind": func(s *Session) { s.Kind = "space-alien" },
		"no account":      func(s *Session) { s.AccountID = "" },
		"no role id":      func(s *Session) { s.RoleID = "" },
		"no role name":    func(s *Session) { s.RoleName = "" },
		"no session name": func(s *Session) { s.SessionName = "" },
	} {
		b := s
		broken(&b)
		if b.Check() == nil {
			t.Errorf("a session with %s passed Check", name)
		}
	}
}
