// Package samlidp is the identity provider's SAML 2.0 IdP: per-app
// metadata, AuthnRequests over the HTTP-Redirect and HTTP-POST bindings,
// and signed responses posted to the app's assertion consumer service,
// for SP-initiated and IdP-initiated (dashboard tile) sign-in.
//
// It owns the SAML wire: reading an AuthnRequest safely (bounded sizes and
// inflation, no DTD or entities, an XML round-trip check before anything
// reads it, the Issuer, ACS URL, binding and signature checked against the
// app's registered settings), the Response and its one Assertion (NameID
// per the app's format and template, attribute statements, conditions,
// the IdP session's expiry as SessionNotOnOrAfter), RSA-SHA256 signatures
// with exclusive canonicalization and SHA-256 digests, and the HTML pages
// of the SSO endpoint (the auto-posting form and the error pages, in the
// org pages' look). It does not own apps or assignments (the store),
// sessions and the sign-in steps (authn/orgsignin and web/orgpages, whose
// step-up it enters through orgsignin's sealed state), or signing keys
// (keys.SigningKeys, which it asks for the active and published keys).
//
// Choices a service provider sees: the entity id is <org URL>/app/<app
// id> (stable, one per app, as Okta's http://www.okta.com/<externalKey>);
// the SSO URL is <org URL>/app/<name>/<id>/sso/saml for both bindings;
// responses go only to the app's registered ACS URL over HTTP-POST;
// ForceAuthn is honoured (a session older than the request sends the
// person to sign in again, as Okta's default honorForceAuthn does); so is
// IsPassive (where a sign-in or second factor would be needed, the app
// gets a signed Response with the status Responder/NoPassive). A request
// waiting for sign-in is parked in a sealed cookie of its own, so the
// sign-in's return address stays short and any replica resumes it. The
// SSO endpoint must be mounted outside the org pages' cross-origin
// protection: the HTTP-POST binding is another site's form.
//
// Why not crewjam/saml's IdentityProvider: it cannot verify signed
// AuthnRequests (it errors when they are wanted), signs with RSA-SHA1
// unless told otherwise, fills SubjectConfirmation from the peer address
// and panics without an HTTP request, encrypts assertions on its own
// whenever the SP metadata has a certificate, and pins a goxmldsig older
// than the CVE-2026-33487 fix. Building the few SAML elements ourselves on
// goxmldsig v1.6.1 and etree keeps every check above in our hands; gosaml2
// and pysaml2 serve as independent service providers in the tests.
package samlidp
