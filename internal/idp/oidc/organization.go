package oidc

import (
	"crypto/sha256"
	"encoding/base32"
	"net/http"
	"strings"
)

// serveOrganization is Okta's /.well-known/okta-organization: the org's id
// and its pipeline ("idx": an Identity Engine org, which okta-aws-cli
// requires).
func (p *Provider) serveOrganization(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"id": p.orgID(), "pipeline": "idx",
		"_links": map[string]any{"organization": map[string]string{"href": p.OrgURL}}})
}

// orgID is the org's id, stable for its URL (the idp claim of ID tokens).
func (p *Provider) orgID() string {
	sum := sha256.Sum256([]byte(p.OrgURL))
	return "00o" + strings.ToLower(base32.StdEncoding.EncodeToString(sum[:])[:17])
}
