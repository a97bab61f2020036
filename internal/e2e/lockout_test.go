package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
)

// startBehindProxy runs keyward on a fake clock with 127.0.0.1 as a trusted
// proxy, so a test can sign in "from" any address with X-Forwarded-For.
func startBehindProxy(t *testing.T) (*server, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(time.Now())
	dir := t.TempDir()
	m := launch(t, dir, clk, func(c *config.Config) { c.AWS.TrustedProxies = []string{"127.0.0.1/32"} })
	s := &server{t: t, main: m, url: m.AWSURL, dataDir: dir}
	s.setUpStory()
	return s, clk
}

// signInFrom submits the sign-in form from address with a fresh cookie jar.
func (s *server) signInFrom(address, user, pw string) (wire, bool) {
	return s.browser().form("/start/signin", signInForm(user, pw, "/start"), map[string]string{"X-Forwarded-For": address})
}

func TestALockedAccountAndAnUnknownNameGetTheSameAnswer(t *testing.T) {
	s, _ := startBehindProxy(t)
	answers := map[string]wire{}
	for _, user := range []string{aliceName, "nobody"} {
		for range 5 {
			s.signInFrom("203.0.113.9", user, "wrong-password")
		}
		w, _ := s.signInFrom("198.51.100.7", user, alicePassword) // alice's right password, from elsewhere
		answers[user] = w
	}
	locked, unknown := answers[aliceName], answers["nobody"]
	if locked.Status != unknown.Status || pageError(string(locked.Body)) != pageError(string(unknown.Body)) {
		t.Errorf("locked alice: %d %q; unknown name: %d %q: the answers tell them apart",
			locked.Status, pageError(string(locked.Body)), unknown.Status, pageError(string(unknown.Body)))
	}
	wantPage(t, locked.Status, string(locked.Body), http.StatusUnauthorized, "Incorrect username or password.")
}

func TestAnAttackerCannotKeepTheOwnerLockedOut(t *testing.T) {
	s, clk := startBehindProxy(t)
	const attacker, owner = "203.0.113.9", "198.51.100.7"
	for range 5 {
		s.signInFrom(attacker, aliceName, "wrong-password")
	}
	if w, session := s.signInFrom(owner, aliceName, alicePassword); session {
		t.Fatalf("the owner got in while the account is locked (%d)", w.Status)
	}
	clk.Advance(15*time.Minute + time.Second) // the lock has run out
	for range 5 {
		w, _ := s.signInFrom(attacker, aliceName, "wrong-password") // trying to lock it again
		wantPage(t, w.Status, string(w.Body), http.StatusUnauthorized, "Incorrect username or password.")
	}
	if w, session := s.signInFrom(owner, aliceName, alicePassword); w.Status != http.StatusSeeOther || !session {
		t.Fatalf("the owner, from another address after the lock: %d (session %v), want signed in", w.Status, session)
	}
	if _, session := s.signInFrom(attacker, aliceName, alicePassword); session {
		t.Error("the attacker's address, still throttled, got in even with the right password")
	}
}

func TestAnOfficeBehindOneAddressDoesNotLockItselfOut(t *testing.T) {
	s, _ := startBehindProxy(t)
	const office = "192.0.2.10"
	for i := range 40 { // forty colleagues, one typo each
		w, _ := s.signInFrom(office, "colleague"+strings.Repeat("x", i%3)+string(rune('a'+i%26))+string(rune('a'+i/26)), "typo")
		if w.Status == http.StatusTooManyRequests {
			t.Fatalf("sign-in %d from one office address was throttled: %s", i+1, pageError(string(w.Body)))
		}
	}
	if w, session := s.signInFrom(office, aliceName, alicePassword); !session {
		t.Fatalf("alice, from the same office: %d %s", w.Status, pageError(string(w.Body)))
	}
	var last wire
	for range 11 { // but one name from one address is limited
		last, _ = s.signInFrom(office, "bob", "guess")
	}
	wantPage(t, last.Status, string(last.Body), http.StatusTooManyRequests, "Too many sign-in attempts")
}
