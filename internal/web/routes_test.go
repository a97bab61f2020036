package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestUnknownPathsAndWrongMethodsGetStyledPages(t *testing.T) {
	f := newFixture(t, nil)
	for _, tt := range []struct {
		method, path string
		status       int
		allow        string
		message      string
	}{
		{"GET", "/start/nowhere", http.StatusNotFound, "", "There is no page at this address."},
		{"GET", "/start/account/111122223333/more", http.StatusNotFound, "", "There is no page at this address."},
		{"GET", "/static/missing.css", http.StatusNotFound, "", "There is no page at this address."},
		{"GET", "/static/", http.StatusNotFound, "", "There is no page at this address."},
		{"DELETE", "/start", http.StatusMethodNotAllowed, "GET, HEAD", "This address accepts only GET or HEAD requests."},
		{"POST", "/start/account/111122223333", http.StatusMethodNotAllowed, "GET, HEAD", "This address accepts only GET or HEAD requests."},
		{"GET", "/start/signin", http.StatusMethodNotAllowed, "POST", "This address accepts only POST requests."},
		{"PUT", "/device", http.StatusMethodNotAllowed, "GET, HEAD, POST", "This address accepts only GET, HEAD or POST requests."},
	} {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			got := f.serve(tt.method, tt.path, "", nil)
			if got.status != tt.status || got.header.Get("Allow") != tt.allow {
				t.Errorf("status %d, Allow %q; want %d, %q", got.status, got.header.Get("Allow"), tt.status, tt.allow)
			}
			if got.shownError() != tt.message {
				t.Errorf("the page says %q, want %q\n%s", got.shownError(), tt.message, got.body)
			}
			if ct := got.header.Get("Content-Type"); ct != "text/html; charset=utf-8" || !strings.Contains(got.body, `href="/static/portal.css"`) {
				t.Errorf("Content-Type %q: not a styled page\n%s", ct, got.body)
			}
			if !strings.HasPrefix(got.header.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Error("the page is served without the pages' CSP")
			}
		})
	}
}

func TestAFormSentFromAnotherSiteIsRefusedWithAPage(t *testing.T) {
	f := newFixture(t, nil)
	for _, path := range []string{"/start/signin", "/start/signout", "/device"} {
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader("username=alice&password=x&user_code=BCDF-GHJK&action=allow"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		r.AddCookie(f.session())
		got := f.do(r)
		if got.status != http.StatusForbidden || !strings.HasPrefix(got.shownError(), "This request came from another website") {
			t.Errorf("a cross-site POST %s = %d %q, want 403 saying it came from another website\n%s", path, got.status, got.shownError(), got.body)
		}
		if c := got.header.Get("Set-Cookie"); c != "" {
			t.Errorf("a cross-site POST %s set a cookie: %s", path, c)
		}
	}
}
