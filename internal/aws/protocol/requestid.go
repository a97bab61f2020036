package protocol

import (
	"context"
	"net/http"

	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

type requestIDKey struct{}

// WithRequestID gives every request an AWS-style request id, available to
// handlers through RequestID and returned in x-amzn-RequestId.
func WithRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := ic.NewUUID(clock.Random)
		w.Header().Set("x-amzn-RequestId", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// RequestID returns the request's id, or a fresh one outside WithRequestID.
func RequestID(ctx context.Context) string {
	if id, ok := ctx.Value(requestIDKey{}).(string); ok {
		return id
	}
	return ic.NewUUID(clock.Random)
}
