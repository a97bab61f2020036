package web

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	defaultNext = "/start"
	maxNextLen  = 1024
)

// safeNext keeps post-sign-in redirects on this site. It returns next only
// when it is a path on this origin as a browser reads it, and defaultNext
// otherwise. Browsers drop tabs and newlines anywhere in a URL and treat
// "\" as "/", so "/\t/evil" and "/\evil" both mean "//evil", another host;
// http.Redirect also cleans the path, turning "/./\evil" into "/\evil". So
// control characters and backslashes anywhere refuse the target outright
// rather than being stripped.
func safeNext(next string) string {
	if len(next) > maxNextLen || !utf8.ValidString(next) ||
		strings.ContainsRune(next, '\\') || strings.ContainsFunc(next, unicode.IsControl) {
		return defaultNext
	}
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return defaultNext
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return defaultNext
	}
	return next
}
