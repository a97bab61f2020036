package e2e

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/store"
)

// TestBehindATrustedProxyTheClientAddressIsTheForwardedOne signs in through
// a "proxy" on loopback and checks the system log records the address the
// proxy forwarded, not the proxy's.
func TestBehindATrustedProxyTheClientAddressIsTheForwardedOne(t *testing.T) {
	dir := t.TempDir()
	m := launch(t, dir, nil, func(c *config.Config) { c.AWS.TrustedProxies = []string{"127.0.0.1/32"} })
	s := &server{t: t, main: m, url: m.AWSURL, dataDir: dir}
	s.setUpStory()

	form := url.Values{"username": {aliceName}, "password": {"wrong password"}, "next": {"/start"}}
	req, _ := http.NewRequest(http.MethodPost, s.url+"/start/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "198.51.100.1, 203.0.113.7")
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	resp.Body.Close()

	events, _, err := m.Store.ListEvents(context.Background(), store.Page{Limit: 10})
	must(t, err)
	for _, e := range events {
		if e.Action == "user.signin" {
			if e.Client.IP != "203.0.113.7" {
				t.Errorf("the failed sign-in was logged from %q, want the forwarded 203.0.113.7", e.Client.IP)
			}
			return
		}
	}
	t.Fatalf("no user.signin event among %d events", len(events))
}
