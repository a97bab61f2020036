package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/store"
)

// idpOneTimeKeyTests: the identity provider's store remembers one-time
// keys (a JWT's jti, a SAML request id) as the AWS side's does.
var idpOneTimeKeyTests = []idpTest{
	{"the identity provider's store remembers a key once until it expires", func(t *testing.T, h *idpHarness) {
		ok(t, h.s.RememberKey(h.ctx, "jti:1", h.clk.Now().Add(time.Minute)))
		taken(t, h.s.RememberKey(h.ctx, "jti:1", h.clk.Now().Add(time.Minute)), store.ResourceOneTimeKey, store.FieldID)
		ok(t, h.s.ConsumeKey(h.ctx, "jti:1"))
		notFound(t, h.s.ConsumeKey(h.ctx, "jti:1"), store.ResourceOneTimeKey)
		ok(t, h.s.RememberKey(h.ctx, "jti:2", h.clk.Now().Add(time.Minute)))
		h.clk.Advance(time.Minute)
		notFound(t, h.s.ConsumeKey(h.ctx, "jti:2"), store.ResourceOneTimeKey)
	}},
}
