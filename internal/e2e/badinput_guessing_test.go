package e2e

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
)

// guess is a random user code from RFC 8628's alphabet, as an attacker
// would type it.
func guess(r *rand.Rand) string {
	const alphabet = "BCDFGHJKLMNPQRSTVWXZ"
	var b strings.Builder
	for i := range 8 {
		if i == 4 {
			b.WriteByte('-')
		}
		b.WriteByte(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

// lookUp opens the verification page for code and returns status and body.
func (b *browser) lookUp(code string) (int, string) {
	b.t.Helper()
	return b.get("/device?user_code=" + url.QueryEscape(code))
}

// signedInAs creates a user with a password and signs them in.
func (s *server) signedInAs(t *testing.T, st story, name string) *browser {
	t.Helper()
	s.caller().withT(t).mustJSON("AWSIdentityStore.CreateUser", st.ids(newUser(name)))
	s.setPassword(name, alicePassword)
	b := s.browser()
	b.signIn(name, alicePassword)
	return b
}

func TestGuessingUserCodesIsThrottled(t *testing.T) {
	const perUser, perIP = 10, 20 // the per-address limit, set low so three people reach it
	clk := clock.NewFake(time.Now())
	dir := t.TempDir()
	m := launch(t, dir, clk, func(c *config.Config) { c.Limits.CodeLookupsPerAddress = perIP })
	s := &server{t: t, main: m, url: m.AWSURL, dataDir: dir}
	st := s.setUpStory()
	alice := s.browser()
	alice.signIn(aliceName, alicePassword)
	bob, carol := s.signedInAs(t, st, "bob"), s.signedInAs(t, st, "carol")
	d := s.startDevice(t, s.registerClient(t, "cli"))
	r := rand.New(rand.NewPCG(1, 2))

	t.Run("one person gets ten lookups a minute, then a 429 that says to wait", func(t *testing.T) {
		for range perUser {
			status, body := alice.lookUp(guess(r))
			wantPage(t, status, body, http.StatusNotFound, "That code is not valid.")
		}
		status, body := alice.lookUp(guess(r))
		wantPage(t, status, body, http.StatusTooManyRequests, "Too many codes tried. Wait a minute and try again.")
	})
	t.Run("once throttled, even the right code is refused until the minute passes", func(t *testing.T) {
		status, body := alice.lookUp(d.UserCode)
		wantPage(t, status, body, http.StatusTooManyRequests, "Too many codes tried.")
		clk.Advance(time.Minute)
		if status, body := alice.lookUp(d.UserCode); status != http.StatusOK || !strings.Contains(body, `id="client-name">cli<`) {
			t.Errorf("after a minute: %d\n%s", status, body)
		}
	})
	t.Run("one address gets its configured lookups a minute across people", func(t *testing.T) {
		clk.Advance(time.Minute)
		for _, b := range []*browser{alice, bob} {
			for range perIP / 2 {
				status, body := b.lookUp(guess(r))
				wantPage(t, status, body, http.StatusNotFound, "That code is not valid.")
			}
		}
		status, body := carol.lookUp(guess(r))
		wantPage(t, status, body, http.StatusTooManyRequests, "Too many codes tried.")
	})
}

func TestGuessingUserCodesThroughTheApprovalFormIsThrottled(t *testing.T) {
	s, clk := startClocked(t)
	s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	cli := s.registerClient(t, "cli")
	d := s.startDevice(t, cli)
	r := rand.New(rand.NewPCG(3, 4))
	for range 10 {
		status, body := b.post("/device", url.Values{"user_code": {guess(r)}, "action": {"allow"}})
		wantPage(t, status, body, http.StatusNotFound, "That code is not valid.")
	}
	status, body := b.post("/device", url.Values{"user_code": {guess(r)}, "action": {"allow"}})
	wantPage(t, status, body, http.StatusTooManyRequests, "Too many codes tried.")
	status, body = b.post("/device", url.Values{"user_code": {d.UserCode}, "action": {"allow"}})
	wantPage(t, status, body, http.StatusTooManyRequests, "Too many codes tried.")
	oauthError(t, s.pollToken(t, cli, d.Code), 400, "AuthorizationPendingException", "authorization_pending", "pending")

	clk.Advance(time.Minute)
	b.approve(d.URIComplete, true)
}
