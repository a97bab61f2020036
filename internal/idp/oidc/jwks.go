package oidc

import (
	"encoding/json"
	"net/http"
)

// serveKeys is the JWKS: every published OIDC key, so relying parties
// learn the next key before it signs and keep the last one while its
// tokens live. Every server shares the org's keys.
func (p *Provider) serveKeys(w http.ResponseWriter, r *http.Request) {
	if _, err := p.server(r); err != nil {
		p.writeError(w, r, err)
		return
	}
	published, err := p.Keys.Published(r.Context())
	if err != nil {
		p.writeError(w, r, err)
		return
	}
	set, err := jwksOf(published)
	if err != nil {
		p.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "max-age=300")
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(set)
}
