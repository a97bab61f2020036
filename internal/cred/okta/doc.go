// Package okta is the credential CLI's Okta source, the okta-aws-cli way:
// a person signs in to an Okta org with the device authorization flow,
// and each role credential is made by trading the sign-in's tokens for a
// web-SSO token of an AWS Account Federation app (token exchange), that
// token for the app's SAML response (/login/token/sso), and the response
// for credentials (STS AssumeRoleWithSAML). It speaks only Okta's and
// AWS's public protocols, so it works the same against Okta and against
// keyward.
//
// It owns: the device flow (RFC 8628, honouring interval and slow_down),
// keeping the tokens fresh with the refresh token (one refresh however
// many processes ask at once: the caller's Keeper serializes them),
// finding the person's AWS Account Federation apps (appLinks), reading
// the roles out of the SAML response (the HTML form, then the assertion
// as namespaced XML), the STS call, and errors a person can act on.
//
// It does not own: where secrets are kept or how processes take turns
// (the Keeper), opening a browser (the command supplies a Prompt), the
// shared config files, or caching the role credentials (cred/provider).
package okta
