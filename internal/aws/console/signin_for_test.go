package console_test

import (
	"context"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/iam"
)

func TestASessionKeywardIssuedSignsInForNoLongerThanItLasts(t *testing.T) {
	f := newFixture(t)
	role := iam.Session{Kind: iam.KindAssumedRole, AccountID: "111122223333", RoleID: "AROAEXAMPLEEXAMPLE1", RoleName: "Reader",
		SessionName: "alice", Expires: f.clk.Now().Add(2 * time.Hour)}
	cases := []struct {
		name  string
		asked time.Duration
		want  time.Duration
	}{
		{"a console session as long as asked", 30 * time.Minute, 30 * time.Minute},
		{"a console session capped by the role session", 4 * time.Hour, 2 * time.Hour},
		{"with no length asked, as long as the role session", 0, 2 * time.Hour},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := f.svc.SigninTokenFor(role, c.asked)
			if err != nil {
				t.Fatal(err)
			}
			_, sess, err := f.svc.Login(context.Background(), tok, "")
			if err != nil {
				t.Fatal(err)
			}
			if got := sess.Expires.Sub(f.clk.Now()); got != c.want || sess.ARN() != role.ARN() {
				t.Errorf("console session of %s for %v, want %s for %v", sess.ARN(), got, role.ARN(), c.want)
			}
		})
	}
	t.Run("an incomplete session is refused", func(t *testing.T) {
		if _, err := f.svc.SigninTokenFor(iam.Session{Kind: iam.KindAssumedRole}, 0); err == nil {
			t.Error("a session with no role signed in")
		}
	})
}

// A SAML sign-in's role session ends with the identity provider's session
// (SessionNotOnOrAfter), which may be minutes away; the console session
// must end with it, not 15 minutes later.
func TestASessionKeywardIssuedEndingSoonSignsInOnlyUntilItEnds(t *testing.T) {
	f := newFixture(t)
	role := iam.Session{Kind: iam.KindAssumedRole, AccountID: "111122223333", RoleID: "AROAEXAMPLEEXAMPLE1", RoleName: "Reader",
		SessionName: "alice", Expires: f.clk.Now().Add(10 * time.Minute)}
	for _, asked := range []time.Duration{0, 30 * time.Minute} {
		tok, err := f.svc.SigninTokenFor(role, asked)
		if err != nil {
			t.Fatal(err)
		}
		_, sess, err := f.svc.Login(context.Background(), tok, "")
		if err != nil {
			t.Fatal(err)
		}
		if !sess.Expires.Equal(role.Expires) {
			t.Errorf("asked %v: console session ends %v after the role session, want when it ends", asked, sess.Expires.Sub(role.Expires))
		}
	}
}
