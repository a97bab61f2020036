package httpx

import (
	"context"
	"net/http"

	"github.com/keyward/keyward/internal/clock"
)

// OrgRequestIDHeader is where the identity provider's org URL returns each
// request's id, as Okta does.
const OrgRequestIDHeader = "X-Okta-Request-Id"

type requestIDKey struct{}

// WithRequestID gives every request a random id, returned in header and
// available to handlers through RequestIDFrom, so a person can quote it
// and an operator find it in the log. (The AWS endpoint has its own, in
// the AWS format: aws/protocol.WithRequestID.)
func WithRequestID(header string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := clock.Token(clock.Random, 15)
		w.Header().Set(header, id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// RequestIDFrom returns the request's id, or "" outside WithRequestID.
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
