package e2e

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
	"github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
)

// TestChromiumEnrolsAndSignsInWithASecurityKey is issue 6's "WebAuthn
// enrolment and sign-in with Chromium's virtual authenticator": alice,
// whose group requires MFA, signs in with her password and an
// authenticator app, adds a security key from her dashboard, signs out,
// and signs in with her password and the key. Browsers refuse an IP
// address as a WebAuthn RP ID, so the org URL is http://localhost:PORT
// (a secure context for Chromium, like https).
func TestChromiumEnrolsAndSignsInWithASecurityKey(t *testing.T) {
	clk := clock.NewFake(time.Now())
	dir := t.TempDir()
	port := freePort(t)
	s := &server{t: t, dataDir: dir, main: launch(t, dir, clk, func(c *config.Config) {
		c.IdP.Addr, c.IdP.URL = fmt.Sprintf("127.0.0.1:%d", port), fmt.Sprintf("http://localhost:%d", port)
	})}
	s.url = s.main.AWSURL
	org := s.main.OrgURL
	equal(t, "org URL", fmt.Sprintf("http://localhost:%d", port), org)
	admin := s.oktaAdmin()
	ctx := context.Background()
	eng := must2[*okta.Group](t, "create Engineering")(admin.GroupAPI.CreateGroup(ctx).Group(newGroup("Engineering", "")).Execute())
	s.runAdmin("signon-policy", "set", "--group", "Engineering", "--mfa", "required")
	const pw = "through the looking glass"
	alice := must2[*okta.User](t, "create alice")(admin.UserAPI.CreateUser(ctx).
		Body(withPassword(newPerson("alice@example.com", "Alice", "Liddell", eng.GetId()), pw)).Execute())

	c := newChrome(t)
	key := c.virtualAuthenticator()
	signIn := func(step string) {
		t.Helper()
		c.do(step, chromedp.Navigate(org+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")),
			chromedp.SendKeys(chromedp.CSS("#username"), "alice@example.com"),
			chromedp.Click(chromedp.CSS("#next")), chromedp.WaitVisible(chromedp.CSS("#password")),
			chromedp.SendKeys(chromedp.CSS("#password"), pw), chromedp.Click(chromedp.CSS("#verify")))
	}
	signIn("sign in with her password")
	c.do("the policy asks for an authenticator app", chromedp.WaitVisible(chromedp.CSS("#qr svg")))
	c.do("enrol the authenticator app", chromedp.SendKeys(chromedp.CSS("#code"), phoneCode(t, c.text("#secret"), clk.Now())),
		chromedp.Click(chromedp.CSS("#verify")), chromedp.WaitVisible(chromedp.CSS("#profile-login")))

	c.do("add a security key from the dashboard", chromedp.SendKeys(chromedp.CSS("#key-name"), "Alice's YubiKey"),
		chromedp.Click(chromedp.CSS("#add-key-button")), chromedp.WaitVisible(chromedp.CSS("#note")))
	equal(t, "note", "Your security key is added.", c.text("#note"))
	fatalIf(t, !strings.Contains(c.text("#factors"), "Alice's YubiKey (security key)"), "factors: %q", c.text("#factors"))
	creds, err := chromedp.Call(c.tab, webauthn.GetCredentials, webauthn.GetCredentialsParams{AuthenticatorID: key})
	fatalIf(t, err != nil || len(creds.Credentials) != 1, "the virtual authenticator holds %d credentials (%v)", len(creds.Credentials), err)

	c.do("sign out", chromedp.Click(chromedp.CSS("#signout")), chromedp.WaitVisible(chromedp.CSS("#username")))
	signIn("sign in again with her password")
	c.do("the factor step offers the app and the key", chromedp.WaitVisible(chromedp.CSS("#use-key")),
		chromedp.WaitVisible(chromedp.CSS("#code")))
	c.do("the security key signs her in", chromedp.Click(chromedp.CSS("#use-key")),
		chromedp.WaitVisible(chromedp.CSS("#profile-login")))
	equal(t, "signed in as", "alice@example.com", c.text("#signed-in-user"))
	fatalIf(t, !strings.Contains(c.text("#factors"), "Alice's YubiKey (security key)"), "factors: %q", c.text("#factors"))
	creds, err = chromedp.Call(c.tab, webauthn.GetCredentials, webauthn.GetCredentialsParams{AuthenticatorID: key})
	fatalIf(t, err != nil || len(creds.Credentials) != 1 || creds.Credentials[0].SignCount < 1,
		"after sign-in the key's counter is not above 0: %+v (%v)", creds, err)

	clk.Advance(time.Second) // the log's until (now) is exclusive, and this clock stands still
	equal(t, "factor activations", 2, len(logTargets(t, admin, `eventType eq "user.mfa.factor.activate"`)))
	byKey := 0
	for _, e := range must2[[]okta.LogEvent](t, "auth_via_mfa")(admin.SystemLogAPI.ListLogEvents(ctx).
		Filter(`eventType eq "user.authentication.auth_via_mfa" and outcome.result eq "SUCCESS"`).Execute()) {
		dc := e.GetDebugContext()
		if dc.GetDebugData()["factor"] == "webauthn" && len(e.Target) == 1 && e.Target[0].GetId() == alice.GetId() {
			byKey++
		}
	}
	equal(t, "successful security-key checks", 1, byKey)
}

// virtualAuthenticator gives the tab a CTAP2 security key on USB that
// verifies its user and answers presence checks by itself.
func (c *chrome) virtualAuthenticator() webauthn.AuthenticatorID {
	c.t.Helper()
	if _, err := chromedp.Call(c.tab, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		c.t.Fatalf("WebAuthn.enable: %v", err)
	}
	res, err := chromedp.Call(c.tab, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
		Options: &webauthn.VirtualAuthenticatorOptions{Protocol: webauthn.AuthenticatorProtocolCtap2,
			Transport: webauthn.AuthenticatorTransportUsb, HasResidentKey: true, HasUserVerification: true,
			IsUserVerified: true, AutomaticPresenceSimulation: true}})
	if err != nil {
		c.t.Fatalf("WebAuthn.addVirtualAuthenticator: %v", err)
	}
	return res.AuthenticatorID
}

// freePort is a loopback port free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
