package e2e

import (
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/chromedp/chromedp"
)

const (
	// chromiumPath is Debian's chromium package.
	chromiumPath = "/usr/bin/chromium"
	// chromeLifetime bounds the whole browser; chromeStepTimeout one step.
	chromeLifetime    = 60 * time.Second
	chromeStepTimeout = 20 * time.Second
)

// chrome is one headless Chromium tab, closed when the test ends. When the
// test fails it saves a screenshot of the tab and logs the page.
type chrome struct {
	t   *testing.T
	tab context.Context
}

func newChrome(t *testing.T) *chrome {
	t.Helper()
	requireTool(t, chromiumPath, "apt-get install chromium")
	// The defaults already run headless with no-first-run,
	// disable-background-networking and disable-sync.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox, // the tests may run as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	life, cancelLife := context.WithTimeout(context.Background(), chromeLifetime)
	alloc, cancelAlloc := chromedp.NewExecAllocator(life, opts...)
	tab, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelLife()
	})
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	c := &chrome{t: t, tab: tab}
	t.Cleanup(c.captureOnFailure)
	return c
}

// do runs one step of the story, failing the test if any action fails.
func (c *chrome) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.tab, chromeStepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		c.t.Fatalf("%s: %v", step, err)
	}
}

// chromeRead runs one action that reads the page.
func chromeRead[T any](c *chrome, what string, a chromedp.Action[T]) T {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.tab, chromeStepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		c.t.Fatalf("read %s: %v", what, err)
	}
	return v
}

// text is the visible text of the first element matching a CSS selector.
func (c *chrome) text(css string) string {
	c.t.Helper()
	return strings.TrimSpace(chromeRead(c, css, chromedp.Text(chromedp.CSS(css), chromedp.NodeVisible)))
}

// captureOnFailure saves what the person would have seen. The file goes to
// $KEYWARD_E2E_ARTIFACTS or the system temp directory, not t.TempDir(),
// which is deleted before anyone could look at it.
func (c *chrome) captureOnFailure() {
	if !c.t.Failed() {
		return
	}
	ctx, cancel := context.WithTimeout(c.tab, 5*time.Second)
	defer cancel()
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err == nil {
		c.t.Logf("the browser was at %s", loc)
	}
	if body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body"))); err == nil {
		c.t.Logf("the page said:\n%s", body)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		c.t.Logf("no screenshot: %v", err)
		return
	}
	dir := os.Getenv("KEYWARD_E2E_ARTIFACTS")
	if dir == "" {
		dir = os.TempDir()
	}
	f, err := os.CreateTemp(dir, "keyward-"+regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(c.t.Name(), "-")+"-*.png")
	if err == nil {
		_, err = f.Write(png)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		c.t.Logf("no screenshot: %v", err)
		return
	}
	c.t.Logf("screenshot of the page at failure: %s", f.Name())
}

func TestChromiumApprovesADeviceLoginAndShowsRoleCredentials(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	c := newChrome(t)
	ctx := context.Background()
	oidc := ssooidc.New(ssooidc.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.url)})
	reg, err := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("chromedp-client"),
		ClientType: aws.String("public"), Scopes: []string{"sso:account:access"}})
	must(t, err)
	dev, err := oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(s.main.StartURL)})
	must(t, err)

	// The link the device shows asks alice to sign in; she mistypes first.
	c.do("open the verification link", chromedp.Navigate(aws.ToString(dev.VerificationUriComplete)),
		chromedp.WaitVisible(chromedp.CSS("#username")))
	c.do("sign in with a wrong password",
		chromedp.SendKeys(chromedp.CSS("#username"), aliceName),
		chromedp.SendKeys(chromedp.CSS("#password"), "not-"+alicePassword),
		chromedp.Click(chromedp.CSS("#signin-submit")),
		chromedp.WaitVisible(chromedp.CSS("#error")))
	if got := c.text("#error"); !strings.HasPrefix(got, "Incorrect username or password.") {
		t.Errorf("after a wrong password the page says %q", got)
	}
	if got := chromeRead(c, "#username", chromedp.Value(chromedp.CSS("#username"))); got != aliceName {
		t.Errorf("the form kept the username %q, want %q", got, aliceName)
	}

	c.do("sign in", chromedp.SendKeys(chromedp.CSS("#password"), alicePassword),
		chromedp.Click(chromedp.CSS("#signin-submit")),
		chromedp.WaitVisible(chromedp.CSS("#client-name")))
	if got := c.text("#signed-in-user"); got != aliceName {
		t.Errorf("signed in as %q, want %q", got, aliceName)
	}
	if got := c.text("#client-name"); got != "chromedp-client" {
		t.Errorf("the approval page names the client %q, want chromedp-client", got)
	}
	if got := c.text("#user-code"); got != aws.ToString(dev.UserCode) {
		t.Errorf("the approval page shows code %q, the device has %q", got, aws.ToString(dev.UserCode))
	}
	c.do("allow", chromedp.Click(chromedp.CSS("#allow")), chromedp.WaitVisible(chromedp.CSS("#approved")))

	tok, err := oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String(deviceGrant), DeviceCode: dev.DeviceCode})
	must(t, err)
	if aws.ToString(tok.AccessToken) == "" {
		t.Fatal("CreateToken after Allow returned no access token")
	}

	// The same browser session is signed in to the access portal.
	c.do("open the access portal", chromedp.Navigate(s.main.StartURL), chromedp.WaitVisible(chromedp.CSS("#accounts")))
	if got := c.text("#accounts li.account strong"); got != "Dev" {
		t.Errorf("the portal lists %q, want Dev", got)
	}
	c.do("open Dev", chromedp.Click(chromedp.Search(`//li[@class="account"]//a[strong="Dev"]`)),
		chromedp.WaitVisible(chromedp.CSS(".role-name")))
	if got := c.text(".role-name"); got != "DevOps" {
		t.Errorf("Dev shows the role %q, want DevOps", got)
	}
	c.do("open command line access",
		chromedp.Click(chromedp.Search(`//a[normalize-space()="Command line or programmatic access"]`)),
		chromedp.WaitVisible(chromedp.CSS("#env-exports")))
	env := c.text("#env-exports")
	if !strings.Contains(env, `export AWS_ACCESS_KEY_ID="ASIA`) || !strings.Contains(env, `export AWS_SESSION_TOKEN="`) {
		t.Errorf("the credentials page shows\n%s\nwant export lines with ASIA… temporary credentials", env)
	}
	if got := c.text("#configure-sso"); !strings.Contains(got, s.main.StartURL) || !strings.Contains(got, st.AccountID) {
		t.Errorf("the aws configure sso answers are\n%s\nwant the start URL and account %s", got, st.AccountID)
	}

	// The role's Management console link signs her in to the console.
	c.do("open the management console", chromedp.Navigate(s.url+"/start/account/"+st.AccountID),
		chromedp.Click(chromedp.CSS("a.console-link")), chromedp.WaitVisible(chromedp.CSS("#console-arn")))
	if got := c.text("#console-session-name"); got != aliceName {
		t.Errorf("the console shows the session name %q, want %q", got, aliceName)
	}

	// A mistyped address is a page that says so, with the way back.
	c.do("open a page that does not exist", chromedp.Navigate(s.url+"/start/acount/"+st.AccountID),
		chromedp.WaitVisible(chromedp.CSS("#error")))
	if got := c.text("#error"); got != "There is no page at this address." {
		t.Errorf("a mistyped address says %q", got)
	}
	c.do("go back to the portal", chromedp.Click(chromedp.Search(`//a[normalize-space()="Back to the access portal"]`)),
		chromedp.WaitVisible(chromedp.CSS("#accounts")))
}
