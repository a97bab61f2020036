package gateway

import (
	"net/http"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/httpx"
)

// runUnsigned runs an action that needs no signature: anonymous when the
// request carries none, else as the verified signer.
func (g *Gateway) runUnsigned(r *http.Request, body []byte, q *QueryService, run QueryAction, params map[string]string, presigned bool) (any, error) {
	ctx := audit.WithActor(httpx.AuditContext(r), audit.Actor{Type: "anonymous"})
	if presigned || r.Header.Get("Authorization") != "" {
		var err error
		if ctx, err = g.authenticate(r, body, q.SigningName, presigned); err != nil {
			return nil, queryError(err)
		}
	}
	return run(ctx, params, func(any) error { return nil })
}
