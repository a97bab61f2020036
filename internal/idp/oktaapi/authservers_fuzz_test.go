package oktaapi

import (
	"bytes"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
)

// FuzzDecodeAuthServerBodies runs one body through every authorization
// server reader (server, scope, claim, policy, rule): whatever the body,
// each answers a 400 or a part it can store.
func FuzzDecodeAuthServerBodies(f *testing.F) {
	for _, s := range []string{serverBodyJSON, `{"name":"okta-m2m-access","consent":"REQUIRED"}`,
		`{"name":"team","claimType":"RESOURCE","valueType":"GROUPS","value":"aws-","group_filter_type":"REGEX","conditions":{"scopes":["openid"]}}`,
		`{"name":"P","description":"d","priority":0,"conditions":{"clients":{"include":["ALL_CLIENTS","x"]}}}`,
		`{"name":"r","conditions":{"people":{"users":{"include":["00u1"]},"groups":{"include":["EVERYONE"]}},"grantTypes":{"include":["password"]},"scopes":{"include":["*"]}},"actions":{"token":{"accessTokenLifetimeMinutes":5,"refreshTokenLifetimeMinutes":4,"refreshTokenWindowMinutes":-1}}}`,
		`{}`, `[]`, `{"audiences":[null]}`} {
		f.Add([]byte(s))
	}
	a := fuzzAPI(f)
	s := DefaultServer(clock.Random, time.Now())
	f.Fuzz(func(t *testing.T, body []byte) {
		ctx := t.Context()
		decode := func(v any) bool {
			err := decodeBody(httptest.NewRequest("POST", "/", bytes.NewReader(body)), v, true)
			wantInvalid(t, "decode", err)
			return err == nil
		}
		var sb serverBody
		if decode(&sb) {
			_, err := sb.server()
			wantInvalid(t, "server", err)
		}
		var scope scopeBody
		if decode(&scope) {
			_, err := readScope(ctx, a, s, s.Scopes, scope, nil)
			wantInvalid(t, "scope", err)
		}
		var claim claimBody
		if decode(&claim) {
			_, err := readClaim(ctx, a, s, s.Claims, claim, nil)
			wantInvalid(t, "claim", err)
		}
		var policy policyBody
		if decode(&policy) {
			_, err := readPolicy(ctx, a, s, s.Policies, policy, nil)
			wantInvalid(t, "policy", err)
		}
		var rule ruleBody
		if decode(&rule) {
			_, err := readRule(ctx, a, s, s.Policies[0].Rules, rule, nil)
			wantInvalid(t, "rule", err)
		}
	})
}
