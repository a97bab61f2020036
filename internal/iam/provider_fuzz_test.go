package iam

import (
	"strings"
	"testing"
)

// FuzzNormalizeOIDCURL: an accepted issuer is a bare host[/path] that
// normalizes to itself again (with https:// in front), never with a query,
// fragment, scheme, user or trailing slash.
func FuzzNormalizeOIDCURL(f *testing.F) {
	for _, seed := range []string{"https://token.actions.githubusercontent.com", "https://Issuer.Example.com/a/b/",
		"http://x", "https://x?y", "https://u@x", "https://x:443", "https://x#f", "https://x//y", "", "https://"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := NormalizeOIDCURL(raw)
		if err != nil {
			return
		}
		if strings.ContainsAny(got, "?#@") || strings.HasSuffix(got, "/") || strings.Contains(got, "://") || got == "" {
			t.Fatalf("%q normalized to %q", raw, got)
		}
		again, err := NormalizeOIDCURL("https://" + got)
		if err != nil || again != got {
			t.Fatalf("%q -> %q does not normalize to itself: %q, %v", raw, got, again, err)
		}
	})
}

// FuzzValidThumbprints: accepted thumbprints are at most five of exactly
// 40 hex digits.
func FuzzValidThumbprints(f *testing.F) {
	f.Add("6938fd4d98bab03faadb97b34396831e3780aea1", 1)
	f.Add("xyz", 6)
	f.Fuzz(func(t *testing.T, print string, n int) {
		if n < 0 || n > 10 {
			return
		}
		prints := make([]string, n)
		for i := range prints {
			prints[i] = print
		}
		if ValidThumbprints(prints) != nil {
			return
		}
		if n > MaxThumbprints || (n > 0 && len(print) != ThumbprintHexLen) {
			t.Fatalf("accepted %d of %q", n, print)
		}
	})
}
