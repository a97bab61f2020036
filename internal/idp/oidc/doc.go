// Package oidc is the identity provider's OpenID Connect provider, laid
// out as Okta's: the org authorization server at /oauth2/v1/... (issuer:
// the org URL) and custom authorization servers at /oauth2/{id}/v1/...
// (issuer: <org URL>/oauth2/{id}), each with discovery, a JWKS and a token
// endpoint; device authorization (RFC 8628) with its verification page at
// /activate; client credentials with a client secret or private_key_jwt;
// token exchange (RFC 8693) of an ID token and an access token for Okta's
// web-SSO token, which the SAML IdP trades for the AWS Account Federation
// app's assertion at /login/token/sso; and /.well-known/okta-organization.
//
// It owns the OAuth wire: bounded form parsing, client authentication,
// grant checks, the access-policy decision of custom authorization
// servers, JWT access and ID tokens (RS256 with the OIDC signing keys,
// verified with an explicit algorithm list), refresh-token rotation and
// the OAuth error shapes. It does not own apps, people, sessions or
// signing keys (the store, authn/orgsignin and keys, asked through the
// small interfaces below), the SAML assertion (samlidp), or the sign-in
// pages (web/orgpages, entered through orgsignin's return address).
//
// Every grant hangs off the person's current state: the device approval
// records the IdP session; token exchange and web-SSO redemption check
// that session is live, the person is active and still assigned to the
// app, so deactivating, suspending, unassigning or signing out ends the
// next exchange with invalid_grant.
//
// A grant signs its tokens first and then stores the token record and its
// system-log event (app.oauth2.token.grant.access_token, or .as. for a
// custom server) in one transaction, so a signing failure spends nothing
// and no token is issued unlogged.
//
// Why not zitadel/oidc's op: keyward must answer okta-aws-cli's exact
// sequence (Okta's paths and custom authorization servers, the web-SSO
// token type that op refuses as an unknown requested_token_type, Okta's
// error bodies), and op's storage contract would sit beside keyward's own
// store rather than in it. The protocol pieces here are small, each
// checked by tests against independent clients (openid-client, go-oidc,
// x/oauth2) and the attack corpus.
package oidc
