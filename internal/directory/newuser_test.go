package directory

import (
	"testing"
	"time"
)

func TestNewUserStartsWhereOktaCreatesStartUsers(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	withPassword := Password{Hash: "$argon2id$...", Changed: now}
	cases := map[string]struct {
		pw       Password
		activate bool
		want     Status
	}{
		"not activated, no password":   {Password{}, false, Staged},
		"not activated, with password": {withPassword, false, Staged},
		"activated with a password":    {withPassword, true, Active},
		"activated without a password": {Password{}, true, Provisioned},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			u, err := NewUser(Profile{"login": "a@example.com", "title": nil}, c.pw, c.activate, now)
			if err != nil {
				t.Fatal(err)
			}
			if u.Status != c.want {
				t.Errorf("status %s, want %s", u.Status, c.want)
			}
			if _, ok := u.Profile["title"]; ok {
				t.Error("a null attribute was kept")
			}
			if c.activate && !u.Activated.Equal(now) {
				t.Errorf("activated at %v, want %v", u.Activated, now)
			}
		})
	}
}
