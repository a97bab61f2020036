package e2e

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var pageErrorRe = regexp.MustCompile(`id="error">([^<]*)<`)

// pageError returns the error a page shows a person, or "".
func pageError(body string) string {
	m := pageErrorRe.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// wantPage checks a page's status and the error it shows.
func wantPage(t *testing.T, status int, body string, wantStatus int, wantError string) {
	t.Helper()
	if status != wantStatus {
		t.Errorf("status = %d, want %d", status, wantStatus)
	}
	if got := pageError(body); !strings.Contains(got, wantError) || got == "" {
		t.Errorf("the page shows the error %q, want one containing %q\n%s", got, wantError, body)
	}
}

// form POSTs a form with b's cookies and extra headers, without following
// redirects, and reports whether a session cookie was set.
func (b *browser) form(path string, f url.Values, header map[string]string) (wire, bool) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	for _, c := range b.c.Jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	w := roundTrip(b.t, req)
	for _, c := range (&http.Response{Header: w.Header}).Cookies() {
		if c.Name == "keyward_session" && c.Value != "" {
			return w, true
		}
	}
	return w, false
}

func signInForm(user, pw, next string) url.Values {
	return url.Values{"username": {user}, "password": {pw}, "next": {next}}
}

func TestSignInRefusesBadInput(t *testing.T) {
	s, clk := startClocked(t)
	s.setUpStory()
	b := s.browser()

	t.Run("an oversized sign-in form is a 400 and signs no one in", func(t *testing.T) {
		f := signInForm(aliceName, alicePassword, "/start")
		f.Set("padding", strings.Repeat("p", 20<<10))
		w, session := b.form("/start/signin", f, nil)
		wantPage(t, w.Status, string(w.Body), http.StatusBadRequest, "The form could not be read.")
		if session {
			t.Error("a session cookie was set")
		}
	})
	for _, next := range []string{"//evil.example", "https://evil.example/", `/\evil.example`, "javascript:alert(1)",
		"/\t/evil.example", "/\n/evil.example", `/./\evil.example`} {
		t.Run(fmt.Sprintf("a next of %q redirects on-site", next), func(t *testing.T) {
			w, session := b.form("/start/signin", signInForm(aliceName, alicePassword, next), nil)
			if w.Status != http.StatusSeeOther || w.Header.Get("Location") != "/start" || !session {
				t.Errorf("sign-in = %d to %q (session %v), want 303 to /start with a session", w.Status, w.Header.Get("Location"), session)
			}
		})
	}
	t.Run("an on-site next is kept", func(t *testing.T) {
		w, _ := b.form("/start/signin", signInForm(aliceName, alicePassword, "/device?user_code=BCDF-GHJK"), nil)
		if w.Header.Get("Location") != "/device?user_code=BCDF-GHJK" {
			t.Errorf("Location = %q", w.Header.Get("Location"))
		}
	})
	t.Run("a cross-site sign-in is refused with 403 and signs no one in", func(t *testing.T) {
		w, session := b.form("/start/signin", signInForm(aliceName, alicePassword, "/start"), map[string]string{"Sec-Fetch-Site": "cross-site"})
		wantPage(t, w.Status, string(w.Body), http.StatusForbidden, "This request came from another website")
		if session {
			t.Error("a session cookie was set")
		}
	})
	for _, user := range []string{aliceName, "nobody"} {
		t.Run("a wrong password for "+user+" is a 401 that says only that", func(t *testing.T) {
			w, session := b.form("/start/signin", signInForm(user, "wrong-password", "/start"), nil)
			wantPage(t, w.Status, string(w.Body), http.StatusUnauthorized, "Incorrect username or password.")
			if session {
				t.Error("a session cookie was set")
			}
		})
	}
	t.Run("a user name with a NUL character is a 400 on either store, never a 500", func(t *testing.T) {
		w, session := b.form("/start/signin", signInForm("ali\x00ce", alicePassword, "/start"), nil)
		wantPage(t, w.Status, string(w.Body), http.StatusBadRequest, "without NUL characters")
		if session {
			t.Error("a session cookie was set")
		}
	})
	t.Run("five failures lock the account, and the right password is then refused too", func(t *testing.T) {
		// A new minute for the per-name attempt limit the cases above used up.
		clk.Advance(time.Minute)
		b.form("/start/signin", signInForm(aliceName, alicePassword, "/start"), nil) // a success resets the count
		for i := 1; i <= 5; i++ {
			w, _ := b.form("/start/signin", signInForm(aliceName, "wrong-password", "/start"), nil)
			wantPage(t, w.Status, string(w.Body), http.StatusUnauthorized, "Incorrect username or password.")
		}
		w, session := b.form("/start/signin", signInForm(aliceName, alicePassword, "/start"), nil)
		wantPage(t, w.Status, string(w.Body), http.StatusUnauthorized, "Incorrect username or password.")
		if session {
			t.Error("a locked account got a session")
		}
		clk.Advance(8*15*time.Minute + time.Second) // past the lock and this address's failure windows
		if w, session := b.form("/start/signin", signInForm(aliceName, alicePassword, "/start"), nil); w.Status != http.StatusSeeOther || !session {
			t.Errorf("after the lockout: %d (session %v), want 303 with a session", w.Status, session)
		}
	})
}

func TestTheDevicePageRefusesBadDecisions(t *testing.T) {
	s := start(t)
	s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	cli := s.registerClient(t, "cli")

	t.Run("an invalid code is refused", func(t *testing.T) {
		status, body := b.post("/device", url.Values{"user_code": {"BCDF-GHJK"}, "action": {"allow"}})
		wantPage(t, status, body, http.StatusNotFound, "That code is not valid.")
	})
	t.Run("a choice other than Allow or Deny is a 400", func(t *testing.T) {
		d := s.startDevice(t, cli)
		status, body := b.post("/device", url.Values{"user_code": {d.UserCode}, "action": {"maybe"}})
		wantPage(t, status, body, http.StatusBadRequest, "Choose Allow or Deny.")
	})
	t.Run("a cross-site approval is refused with 403 and the code stays pending", func(t *testing.T) {
		d := s.startDevice(t, cli)
		w, _ := b.form("/device", url.Values{"user_code": {d.UserCode}, "action": {"allow"}}, map[string]string{"Sec-Fetch-Site": "cross-site"})
		wantPage(t, w.Status, string(w.Body), http.StatusForbidden, "This request came from another website")
		oauthError(t, s.pollToken(t, cli, d.Code), 400, "AuthorizationPendingException", "authorization_pending", "pending")
	})
	t.Run("a code is single-use: approving it twice fails the second time", func(t *testing.T) {
		d := s.startDevice(t, cli)
		b.approve(d.URIComplete, true)
		status, body := b.post("/device", url.Values{"user_code": {d.UserCode}, "action": {"allow"}})
		wantPage(t, status, body, http.StatusNotFound, "That code is not valid.")
		s.pollToken(t, cli, d.Code).ok(t)
	})
	t.Run("a decision without a session asks to sign in again", func(t *testing.T) {
		d := s.startDevice(t, cli)
		status, body := s.browser().post("/device", url.Values{"user_code": {d.UserCode}, "action": {"allow"}})
		wantPage(t, status, body, http.StatusUnauthorized, "Your session has ended.")
	})
}

func TestUnknownPagesAndWrongMethodsAreStyledPages(t *testing.T) {
	s := start(t)
	for _, tt := range []struct {
		method, path string
		status       int
		allow        string
		message      string
	}{
		{http.MethodGet, "/start/nowhere", http.StatusNotFound, "", "There is no page at this address."},
		{http.MethodGet, "/static/nothing.css", http.StatusNotFound, "", "There is no page at this address."},
		{http.MethodDelete, "/start", http.StatusMethodNotAllowed, "GET, HEAD", "This address accepts only GET or HEAD requests."},
		{http.MethodGet, "/start/signout", http.StatusMethodNotAllowed, "POST", "This address accepts only POST requests."},
		{http.MethodPut, "/device", http.StatusMethodNotAllowed, "GET, HEAD, POST", "This address accepts only GET, HEAD or POST requests."},
	} {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, s.url+tt.path, nil)
			w := roundTrip(t, req)
			wantPage(t, w.Status, string(w.Body), tt.status, tt.message)
			if got := w.Header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, want %q", got, tt.allow)
			}
			if ct := w.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" || w.Header.Get("x-amzn-RequestId") == "" {
				t.Errorf("Content-Type %q, request id %q: want an HTML page with a request id", ct, w.Header.Get("x-amzn-RequestId"))
			}
		})
	}
}
