package e2e

import (
	"context"
	"encoding/base32"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/keyward/keyward/internal/authn/totp"
	"github.com/keyward/keyward/internal/clock"
)

// TestChromiumActivatesEnrolsTOTPAndSignsInWithIt is the person's side of
// issue 6's story in Debian's Chromium: alice opens her activation link,
// sets her password, signs in, enrols an authenticator app because
// Engineering's policy requires MFA (the test computes the code from the
// secret on the page, as her phone would), signs out, and signs in again
// with a fresh code. Then bob, signed in, is deactivated and his session
// ends at once.
func TestChromiumActivatesEnrolsTOTPAndSignsInWithIt(t *testing.T) {
	clk := clock.NewFake(time.Now())
	dir := t.TempDir()
	s := &server{t: t, main: launch(t, dir, clk), dataDir: dir}
	s.url = s.main.AWSURL
	admin := s.oktaAdmin()
	ctx := context.Background()
	org := s.main.OrgURL

	eng := must2[*okta.Group](t, "create Engineering")(admin.GroupAPI.CreateGroup(ctx).Group(newGroup("Engineering", "")).Execute())
	s.runAdmin("signon-policy", "set", "--group", "Engineering", "--mfa", "required", "--idle", "1h", "--max", "8h")
	alice := must2[*okta.User](t, "create alice")(admin.UserAPI.CreateUser(ctx).
		Body(newPerson("alice@example.com", "Alice", "Liddell", eng.GetId())).Activate(false).Execute())
	act := must2[*okta.UserActivationToken](t, "activate alice")(admin.UserAPI.ActivateUser(ctx, alice.GetId()).SendEmail(false).Execute())

	c := newChrome(t)
	const pw = "tea party at four"
	c.do("open the activation link and set a password", chromedp.Navigate(act.GetActivationUrl()),
		chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), pw), chromedp.SendKeys(chromedp.CSS("#confirm"), pw),
		chromedp.Click(chromedp.CSS("#save")), chromedp.WaitVisible(chromedp.CSS("#note")))
	c.do("sign in with the new password", chromedp.Click(chromedp.CSS("#next")),
		chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), pw), chromedp.Click(chromedp.CSS("#verify")),
		chromedp.WaitVisible(chromedp.CSS("#qr svg")))
	secret := c.text("#secret")
	c.do("enrol the authenticator app", chromedp.SendKeys(chromedp.CSS("#code"), phoneCode(t, secret, clk.Now())),
		chromedp.Click(chromedp.CSS("#verify")), chromedp.WaitVisible(chromedp.CSS("#profile-login")))
	equal(t, "signed in as", "alice@example.com", c.text("#signed-in-user"))
	equal(t, "groups", "Engineering", c.text("#groups li.group"))
	fatalIf(t, !strings.HasPrefix(c.text("#factors li.factor"), "Authenticator app"), "factors: %q", c.text("#factors"))
	fatalIf(t, !strings.Contains(c.text("#no-apps"), "no apps yet"), "apps: %q", c.text("#apps"))

	c.do("sign out", chromedp.Click(chromedp.CSS("#signout")), chromedp.WaitVisible(chromedp.CSS("#username")))
	clk.Advance(30 * time.Second) // the enrolment's code is spent; her phone shows the next one
	c.do("sign in again", chromedp.SendKeys(chromedp.CSS("#username"), "alice@example.com"),
		chromedp.Click(chromedp.CSS("#next")), chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), pw), chromedp.Click(chromedp.CSS("#verify")),
		chromedp.WaitVisible(chromedp.CSS("#code")))
	c.do("a wrong code is refused", chromedp.SendKeys(chromedp.CSS("#code"), "000000"),
		chromedp.Click(chromedp.CSS("#verify")), chromedp.WaitVisible(chromedp.CSS("#error")))
	fatalIf(t, !strings.Contains(c.text("#error"), "code is not right"), "after a wrong code: %q", c.text("#error"))
	c.do("the right code signs her in", chromedp.SendKeys(chromedp.CSS("#code"), phoneCode(t, secret, clk.Now())),
		chromedp.Click(chromedp.CSS("#verify")), chromedp.WaitVisible(chromedp.CSS("#profile-login")))

	clk.Advance(time.Second) // the log's until (now) is exclusive, and this clock stands still
	for filter, want := range map[string]int{
		`eventType eq "user.lifecycle.activate" and target.id eq "` + alice.GetId() + `"`:                            2,
		`eventType eq "user.mfa.factor.activate"`:                                                                    1,
		`eventType eq "user.authentication.auth_via_mfa" and outcome.result eq "FAILURE"`:                            1,
		`eventType eq "user.authentication.auth_via_mfa" and outcome.result eq "SUCCESS"`:                            1,
		`eventType eq "user.session.start" and target.id eq "` + alice.GetId() + `" and outcome.result eq "SUCCESS"`: 2,
		`eventType eq "user.session.end" and target.id eq "` + alice.GetId() + `"`:                                   1,
	} {
		if got := len(logTargets(t, admin, filter)); got < want {
			t.Errorf("%s: %d events, want %d", filter, got, want)
		}
	}

	t.Run("deactivating bob ends his session at once", func(t *testing.T) {
		bob := must2[*okta.User](t, "create bob")(admin.UserAPI.CreateUser(ctx).
			Body(withPassword(newPerson("bob@example.com", "Bob", "Builder"), "correct horse battery")).Execute())
		c.do("alice signs out", chromedp.Click(chromedp.CSS("#signout")), chromedp.WaitVisible(chromedp.CSS("#username")))
		c.do("bob signs in", chromedp.SendKeys(chromedp.CSS("#username"), "bob@example.com"),
			chromedp.Click(chromedp.CSS("#next")), chromedp.WaitVisible(chromedp.CSS("#password")),
			chromedp.SendKeys(chromedp.CSS("#password"), "correct horse battery"), chromedp.Click(chromedp.CSS("#verify")),
			chromedp.WaitVisible(chromedp.CSS("#profile-login")))
		mustOK(t, "deactivate bob")(admin.UserAPI.DeactivateUser(ctx, bob.GetId()).Execute())
		c.do("his dashboard asks him to sign in", chromedp.Navigate(org+"/app/UserHome"),
			chromedp.WaitVisible(chromedp.CSS("#username")))
		c.do("and his password no longer works", chromedp.SendKeys(chromedp.CSS("#username"), "bob@example.com"),
			chromedp.Click(chromedp.CSS("#next")), chromedp.WaitVisible(chromedp.CSS("#password")),
			chromedp.SendKeys(chromedp.CSS("#password"), "correct horse battery"), chromedp.Click(chromedp.CSS("#verify")),
			chromedp.WaitVisible(chromedp.CSS("#error")))
	})
}

// phoneCode is what an authenticator app shows at now for the secret a
// person typed from the page (base32 in groups of four).
func phoneCode(t testing.TB, typed string, now time.Time) string {
	t.Helper()
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ReplaceAll(typed, " ", ""))
	if err != nil {
		t.Fatalf("the page's secret %q is not base32: %v", typed, err)
	}
	return totp.Code(secret, now)
}
