// Package httpx holds the small HTTP helpers every endpoint family shares:
// the client's address and the audit context of a request. It knows no
// protocol and no service.
package httpx

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/audit"
)

// ClientIP returns the address of the peer that sent r (after RealIP, the
// client a trusted proxy named).
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// AuditContext returns r's context carrying the client for the system log,
// with the request id of WithRequestID when there is one, and whether r
// came over TLS (SecureFrom).
func AuditContext(r *http.Request) context.Context {
	ctx := context.WithValue(r.Context(), secureKey{}, secure(r))
	return audit.WithClient(ctx, audit.Client{IP: ClientIP(r), UserAgent: UserAgent(r),
		RequestID: RequestIDFrom(r.Context())})
}

type secureKey struct{}

// forwardedProtoKey holds the scheme a trusted proxy said the client used.
type forwardedProtoKey struct{}

// secure reports whether r reached keyward over TLS, or reached a trusted
// proxy over TLS by its X-Forwarded-Proto (RealIP).
func secure(r *http.Request) bool {
	if proto, ok := r.Context().Value(forwardedProtoKey{}).(string); ok {
		return strings.EqualFold(proto, "https")
	}
	return r.TLS != nil
}

// SecureFrom reports whether the request of an AuditContext came over TLS;
// known is false for a context no request made.
func SecureFrom(ctx context.Context) (secure, known bool) {
	secure, known = ctx.Value(secureKey{}).(bool)
	return secure, known
}

// MaxUserAgent bounds, in bytes, the user agent UserAgent returns.
const MaxUserAgent = 1024

// UserAgent returns r's User-Agent as the log and the session store keep
// it: valid UTF-8 (other bytes become U+FFFD, since the store refuses
// them, and the gateway logs a denial best effort) and at most
// MaxUserAgent bytes, cut at a character boundary.
func UserAgent(r *http.Request) string {
	ua := strings.ToValidUTF8(r.UserAgent(), "\uFFFD")
	if len(ua) <= MaxUserAgent {
		return ua
	}
	cut := MaxUserAgent
	for cut > 0 && !utf8.RuneStart(ua[cut]) {
		cut--
	}
	return ua[:cut]
}

// RealIP returns middleware that, for requests whose peer is one of the
// trusted proxies, replaces RemoteAddr with the client named in
// X-Forwarded-For: the rightmost address not itself a trusted proxy (the
// leftmost entries are whatever the client chose to send), and takes the
// scheme the client used from the proxy's X-Forwarded-Proto (its last
// value, the one the nearest proxy added). Requests from anyone else keep
// their peer address and their own transport, so neither header can be
// spoofed.
func RealIP(trusted []netip.Prefix, next http.Handler) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a.Unmap()) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer, err := netip.ParseAddr(ClientIP(r))
		if err == nil && isTrusted(peer) {
			if client, ok := forwardedClient(r.Header.Values("X-Forwarded-For"), isTrusted); ok {
				r2 := r.Clone(r.Context())
				r2.RemoteAddr = net.JoinHostPort(client.String(), "0")
				r = r2
			}
			if protos := r.Header.Values("X-Forwarded-Proto"); len(protos) > 0 {
				last := protos[len(protos)-1]
				last = strings.TrimSpace(last[strings.LastIndex(last, ",")+1:])
				r = r.WithContext(context.WithValue(r.Context(), forwardedProtoKey{}, last))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// forwardedClient walks X-Forwarded-For from the right, skipping trusted
// proxies, and returns the first other address.
func forwardedClient(values []string, trusted func(netip.Addr) bool) (netip.Addr, bool) {
	hops := strings.Split(strings.Join(values, ","), ",")
	for i := len(hops) - 1; i >= 0 && i >= len(hops)-maxHops; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil || a.Zone() != "" { // a zone is free text, no client's address
			return netip.Addr{}, false
		}
		if !trusted(a) {
			return a.Unmap(), true
		}
	}
	return netip.Addr{}, false
}

// maxHops bounds how far back X-Forwarded-For is read.
const maxHops = 16
