package samlidp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/keyward/keyward/internal/directory"
)

const chromiumPath = "/usr/bin/chromium"

// newChromium is one headless Chromium tab, closed when the test ends.
func newChromium(t *testing.T) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI (apt-get install chromium): %v", chromiumPath, err)
		}
		t.Skipf("%s not found; apt-get install chromium", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true), chromedp.UserDataDir(t.TempDir()))
	life, cancelLife := context.WithTimeout(context.Background(), 60*time.Second)
	alloc, cancelAlloc := chromedp.NewExecAllocator(life, opts...)
	tab, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelTab(); cancelAlloc(); cancelLife() })
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	return tab
}

// Service providers answer the posted response with a redirect to another
// site: AWS's sign-in (signin.aws.amazon.com/saml) to the console,
// Identity Center's ACS to the access portal. Browsers check each redirect
// after a form post against the posting page's form-action, so the
// auto-post page must let the browser follow it.
func TestTheBrowserFollowsTheACSRedirectToAnotherSite(t *testing.T) {
	tab := newChromium(t)
	f := newFixture(t)
	landing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>console</title><p id="landed">signed in</p>`))
	}))
	t.Cleanup(landing.Close)
	sp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.FormValue("SAMLResponse") == "" {
			http.Error(w, "no SAMLResponse", http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, landing.URL+"/console", http.StatusFound)
	}))
	t.Cleanup(sp.Close)
	app := f.addApp(func(a *directory.App) { a.Name = "console_saml"; a.SAML.ACSURL = sp.URL + "/acs" })
	f.assign(app, f.alice)
	cookie := f.session(t, f.alice)
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/static/portal.css" {
			return
		}
		r.AddCookie(cookie)
		f.srv.ServeHTTP(w, r)
	}))
	t.Cleanup(idp.Close)

	ctx, cancel := context.WithTimeout(tab, 20*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Navigate(idp.URL+ssoPath(app)))
	must(t, err)
	var loc string
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if loc, err = chromedp.Run(ctx, chromedp.Location()); err == nil && strings.HasPrefix(loc, landing.URL) {
			return
		}
	}
	t.Errorf("the browser stayed at %s; want it to follow the ACS's redirect to %s/console", loc, landing.URL)
}
