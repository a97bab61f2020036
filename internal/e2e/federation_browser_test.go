package e2e

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/keyward/keyward/internal/config"
)

// TestChromiumSignsInToThePortalThroughTheIdentityProvider is issue 7's
// portal sign-in in Debian's Chromium, scripts, CSP and cookies included:
// the access portal sends alice to the identity provider, where she signs
// in with her password and enrols an authenticator app (Engineering's
// policy requires MFA); the identity provider's page posts the response
// back by itself and the portal lists Dev with DevOps. Signed out of the
// portal only, she opens Identity Center from the identity provider's
// dashboard and lands in the portal with no sign-in page in between.
func TestChromiumSignsInToThePortalThroughTheIdentityProvider(t *testing.T) {
	s, f, _, acsURL := federatedPortal(t)
	c := newChrome(t)
	j := c.record(s)
	sso := "/app/amazon_aws_sso/" + f.appID + "/sso/saml"

	mark := j.len()
	c.do("open the access portal", chromedp.Navigate(s.main.StartURL), chromedp.WaitVisible(chromedp.CSS("#username")))
	if at := c.location(); !strings.HasPrefix(at, s.main.OrgURL+"/login?") {
		t.Fatalf("the access portal sent the browser to %s, want the identity provider's sign-in %s/login", at, s.main.OrgURL)
	}
	equal(t, "the way to the identity provider's sign-in", []string{"GET aws /start", "GET idp " + sso, "GET idp /login"}, j.since(mark))

	c.do("sign in with her username and password", chromedp.SendKeys(chromedp.CSS("#username"), fedAlice),
		chromedp.Click(chromedp.CSS("#next")), chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), fedPassword), chromedp.Click(chromedp.CSS("#verify")),
		chromedp.WaitVisible(chromedp.CSS("#qr svg")))
	secret := c.text("#secret")
	mark = j.len()
	c.do("enrol the authenticator app", chromedp.SendKeys(chromedp.CSS("#code"), phoneCode(t, secret, time.Now())),
		chromedp.Click(chromedp.CSS("#verify")), chromedp.WaitVisible(chromedp.CSS("#accounts")))
	equal(t, "the way back to the portal", []string{"POST idp /login/step", "GET idp " + sso, "POST aws " + urlPath(acsURL),
		"GET aws /start"}, j.since(mark))
	equal(t, "signed in to the portal as", fedAlice, c.text("#signed-in-user"))
	equal(t, "the portal lists", "Dev", c.text("#accounts li.account strong"))
	c.do("open Dev", chromedp.Click(chromedp.Search(`//li[@class="account"]//a[strong="Dev"]`)),
		chromedp.WaitVisible(chromedp.CSS(".role-name")))
	equal(t, "Dev shows the role", "DevOps", c.text(".role-name"))

	mark = j.len()
	c.do("sign out of the portal", chromedp.Click(chromedp.Search(`//button[normalize-space()="Sign out"]`)),
		chromedp.WaitVisible(chromedp.CSS("#signed-out")))
	equal(t, "the way out", []string{"POST aws /start/signout", "GET aws /start/signed-out"}, j.since(mark))
	if n := chromeRead(c, "the header", chromedp.Evaluate[int](`document.querySelectorAll("#signed-in-user").length`)); n != 0 {
		t.Fatal("the signed-out page still names a signed-in user")
	}
	c.do("open the identity provider's dashboard", chromedp.Navigate(s.main.OrgURL+"/app/UserHome"),
		chromedp.WaitVisible(chromedp.CSS("#app-tiles")))
	mark = j.len()
	c.do("open the AWS IAM Identity Center tile",
		chromedp.Click(chromedp.Search(`//a[@class="app-link" and normalize-space()="AWS IAM Identity Center"]`)),
		chromedp.WaitVisible(chromedp.CSS("#accounts")))
	equal(t, "the tile's way to the portal", []string{"GET idp " + sso, "POST aws " + urlPath(acsURL), "GET aws /start"}, j.since(mark))
	equal(t, "signed in to the portal again as", fedAlice, c.text("#signed-in-user"))
	equal(t, "the portal lists", "Dev", c.text("#accounts li.account strong"))
}

// federatedPortal is a cross-site keyward whose identity source is its own
// identity provider, which pushed alice, bob and Engineering; Engineering
// holds DevOps on Dev. It returns the ACS URL too.
func federatedPortal(t *testing.T) (*server, *federation, cliStory, string) {
	t.Helper()
	s := startCrossSite(t)
	cli := newAWSCLI(t, s)
	f := federate(t, s)
	_, acsURL := spMetadata(t, s.runAdmin("identity-source", "sp-metadata"))
	st := cli.setUpOrg(t)
	st.GroupID = pushedEngineering(t, cli, f, st)
	cli.setUpPermissionSet(t, &st)
	cli.assign(t, st)
	return s, f, st, acsURL
}

// startCrossSite is start with the identity provider at localhost, which
// is another site than the AWS side's 127.0.0.1 to a browser, as a real
// identity provider and AWS are: what the browser posts from one to the
// other is cross-site, with SameSite cookies and CSP as in production.
func startCrossSite(t *testing.T) *server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	must(t, l.Close())
	dir := t.TempDir()
	m := launch(t, dir, nil, func(c *config.Config) {
		c.IdP.Addr, c.IdP.URL = fmt.Sprintf("127.0.0.1:%d", port), fmt.Sprintf("http://localhost:%d", port)
	})
	return &server{t: t, main: m, url: m.AWSURL, dataDir: dir}
}

// pushedEngineering waits until the identity provider has pushed alice,
// bob and Engineering with its two members into the identity store, and
// returns the group's id there.
func pushedEngineering(t *testing.T, cli *awsCLI, f *federation, st cliStory) string {
	t.Helper()
	pollUntil(t, "alice in the identity store", func() (bool, string) {
		var users struct{ Users []struct{ UserName string } }
		cli.admin(t, &users, "identitystore", "list-users", "--identity-store-id", st.IdentityStoreID)
		for _, u := range users.Users {
			if u.UserName == fedAlice {
				return true, ""
			}
		}
		return false, "no alice among " + strings.Repeat("x", len(users.Users)) + " users"
	})
	var groups struct {
		Groups []struct{ GroupId, DisplayName string }
	}
	cli.admin(t, &groups, "identitystore", "list-groups", "--identity-store-id", st.IdentityStoreID)
	if len(groups.Groups) != 1 || groups.Groups[0].DisplayName != "Engineering" {
		t.Fatalf("groups in the identity store = %+v, want Engineering", groups.Groups)
	}
	st.GroupID = groups.Groups[0].GroupId
	pollUntil(t, "Engineering's two members", func() (bool, string) {
		n := f.memberCount(t, cli, st)
		return n == 2, strings.Repeat("m", n)
	})
	return st.GroupID
}

// journey is every document the tab requested, redirects included, as
// "METHOD side path" (side is aws or idp), and every navigation the
// browser refused (a CSP form-action shows as "refused: net::ERR_ABORTED"):
// where the browser went, not only where it ended.
type journey struct {
	mu       sync.Mutex
	hops     []string
	aws, idp string
}

// record starts writing the tab's journey between s's two sides.
func (c *chrome) record(s *server) *journey {
	c.t.Helper()
	j := &journey{aws: s.url, idp: s.main.OrgURL}
	err := chromedp.Listen(c.tab, func(ev any) {
		var hop string
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if e.Type == network.ResourceTypeDocument {
				hop = e.Request.Method + " " + j.hop(e.Request.URL)
			}
		case *network.EventLoadingFailed:
			if e.Type == network.ResourceTypeDocument {
				hop = strings.TrimSpace(fmt.Sprintf("refused: %s %s", e.ErrorText, e.BlockedReason))
			}
		}
		if hop != "" {
			j.mu.Lock()
			defer j.mu.Unlock()
			j.hops = append(j.hops, hop)
		}
	})
	if err != nil {
		c.t.Fatalf("listen to the tab: %v", err)
	}
	return j
}

// hop names a URL by its side and path.
func (j *journey) hop(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	switch origin := u.Scheme + "://" + u.Host; origin {
	case j.aws:
		return "aws " + u.Path
	case j.idp:
		return "idp " + u.Path
	}
	return raw
}

// urlPath is the path of a URL.
func urlPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Path
}

func (j *journey) len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.hops)
}

// since is the journey after the first mark hops.
func (j *journey) since(mark int) []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]string(nil), j.hops[mark:]...)
}

// location is where the tab is.
func (c *chrome) location() string {
	c.t.Helper()
	return chromeRead(c, "the location", chromedp.Location())
}
