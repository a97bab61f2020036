// Package httpx holds the small HTTP helpers every endpoint family shares:
// the client's address and the audit context of a request. It knows no
// protocol and no service.
package httpx

import (
	"context"
	"net"
	"net/http"

	"github.com/keyward/keyward/internal/audit"
)

// ClientIP returns the address of the peer that sent r. Forwarded headers are
// not trusted: keyward has no list of trusted proxies yet.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// AuditContext returns r's context carrying the client for the system log.
func AuditContext(r *http.Request) context.Context {
	return audit.WithClient(r.Context(), audit.Client{IP: ClientIP(r), UserAgent: r.UserAgent()})
}
