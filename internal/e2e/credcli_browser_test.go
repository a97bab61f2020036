package e2e

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestCredentialCLILoginInTheBrowser: with a browser to open, keyward login
// signs in with authorization code and PKCE: the browser ($BROWSER, here
// Chromium driven by the test) lands on the consent page, the person
// allows, and the loopback listener finishes the sign-in. --device-code
// still forces the device flow.
func TestCredentialCLILoginInTheBrowser(t *testing.T) {
	s := start(t)
	c := newAWSCLI(t, s)
	st := s.setUpStory()
	k := newCredCLI(t, s, c)
	script, opened := recordingBrowser(t)
	k.env = append(k.env, "BROWSER="+script)
	ch := newChrome(t)

	// loginOpening runs keyward login with args and returns the URL it
	// opened (after skip earlier ones) and a wait for its end.
	loginOpening := func(skip int, args ...string) (string, func() string) {
		ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
		var errOut bytes.Buffer
		cmd := k.command(ctx, nil, append([]string{"login"}, args...)...)
		cmd.Stderr = &errOut
		must(t, cmd.Start())
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		wait := func() string {
			defer cancel()
			if err := <-exited; err != nil {
				t.Fatalf("keyward login: %v\n%s", err, errOut.String())
			}
			return errOut.String()
		}
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if urls := opened(); len(urls) > skip {
				return strings.TrimSpace(urls[skip]), wait
			}
		}
		cancel()
		<-exited
		t.Fatalf("keyward login opened nothing\nstderr:\n%s", errOut.String())
		return "", nil
	}

	authorize, wait := loginOpening(0, "--start-url", s.main.StartURL, "--region", "us-east-1", "--sso-session", "kw")
	if !strings.HasPrefix(authorize, s.url+"/authorize?response_type=code&") || !strings.Contains(authorize, "code_challenge_method=S256") {
		t.Fatalf("keyward login opened %q, want %s/authorize with PKCE", authorize, s.url)
	}
	ch.do("sign in and allow", chromedp.Navigate(authorize), chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), aliceName), chromedp.SendKeys(chromedp.CSS("#password"), alicePassword),
		chromedp.Click(chromedp.CSS("#signin-submit")), chromedp.WaitVisible(chromedp.CSS("#allow")),
		chromedp.Click(chromedp.CSS("#allow")), chromedp.WaitVisible(chromedp.CSS("#message")))
	if printed := wait(); !strings.Contains(printed, "Signed in to "+s.main.StartURL+" as sso-session kw") {
		t.Errorf("login printed:\n%s", printed)
	}
	k.mustRun(t, "profiles", "sync")
	if who := k.mustRun(t, "whoami", "Dev-DevOps"); !strings.Contains(who, st.AccountID) || !strings.Contains(who, "/alice\n") {
		t.Errorf("whoami after the browser sign-in:\n%s", who)
	}

	// --device-code: the device flow, even with a browser to open.
	verification, wait := loginOpening(1, "--device-code", "--sso-session", "kw")
	if !strings.HasPrefix(verification, s.url+"/device?user_code=") {
		t.Fatalf("login --device-code opened %q, want the device verification page", verification)
	}
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	b.approve(verification, true)
	if printed := wait(); !strings.Contains(printed, "Signed in to") {
		t.Errorf("login --device-code printed:\n%s", printed)
	}
}
