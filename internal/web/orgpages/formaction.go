package orgpages

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/keyward/keyward/internal/web/look"
)

// authorizePath is an authorization endpoint: the org server's or a
// custom authorization server's.
var authorizePath = regexp.MustCompile(`^/oauth2/(v1|[A-Za-z0-9]+/v1)/authorize$`)

// originHost is a host (and port) that may stand in a CSP source.
var originHost = regexp.MustCompile(`^[A-Za-z0-9.\-\[\]:]+$`)

// returnOrigin is the other site a sign-in headed for next ends on: the
// redirect URI of an authorization request, where the authorization
// endpoint sends the browser with the code. It is empty when next stays
// on this site. The authorization endpoint still checks the redirect URI
// against the client; this only names it for the CSP.
func returnOrigin(next string) string {
	u, err := url.Parse(next)
	if err != nil || !authorizePath.MatchString(u.Path) {
		return ""
	}
	ru, err := url.Parse(u.Query().Get("redirect_uri"))
	if err != nil || (ru.Scheme != "http" && ru.Scheme != "https") || !originHost.MatchString(ru.Host) {
		return ""
	}
	return ru.Scheme + "://" + ru.Host
}

// allowReturn opens the sign-in page's form-action to the site the
// sign-in returns to. Browsers check every redirect after a form post
// against form-action, so with 'self' alone the last step's post, which
// redirects through the authorization endpoint to the app's redirect URI,
// would be refused and leave the person on the sign-in page.
func allowReturn(w http.ResponseWriter, next string) {
	if o := returnOrigin(next); o != "" {
		w.Header().Set("Content-Security-Policy", strings.Replace(look.CSP, "form-action 'self'", "form-action 'self' "+o, 1))
	}
}
