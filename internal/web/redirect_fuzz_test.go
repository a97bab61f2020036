package web

import (
	"net/url"
	"path"
	"strings"
	"testing"
)

// FuzzSafeNext: whatever safeNext keeps stays on this site, read the way a
// browser reads a Location (tabs and newlines dropped, "\" as "/") and after
// http.Redirect cleans its path.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/start", "/device?user_code=BCDF-GHJK", "//evil", `/\evil`, "/\t/evil", `/./\evil`, "javascript:x", "/%2F%2Fevil", "/a/../..//evil"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://keyward.example/start/signin")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got == defaultNext {
			return
		}
		if got != next {
			t.Fatalf("safeNext(%q) = %q: a kept target must be kept unchanged", next, got)
		}
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(got)
		ref, err := url.Parse(browser)
		if err != nil || base.ResolveReference(ref).Host != base.Host {
			t.Fatalf("safeNext kept %q, which a browser resolves off-site (%v)", next, err)
		}
		p, _, _ := strings.Cut(got, "?")
		if cleaned := path.Clean(p); strings.HasPrefix(cleaned, "//") || strings.HasPrefix(cleaned, `/\`) {
			t.Fatalf("safeNext kept %q, which http.Redirect cleans to %q", next, cleaned)
		}
	})
}
