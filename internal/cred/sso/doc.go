// Package sso is the credential CLI's IAM Identity Center source: it signs
// a person in at a start URL and turns that sign-in into role credentials,
// speaking only AWS's public SSO-OIDC and portal APIs, so it works the same
// against AWS and against keyward.
//
// It owns: client registration (kept until it nearly expires), sign-in in
// the browser with the authorization code grant and PKCE where the server
// offers it (a listener on 127.0.0.1 the browser comes back to), the
// device authorization flow otherwise or when asked, keeping the access
// token fresh with its refresh token (one refresh however many processes
// ask at once: the caller's Keeper serializes them), the portal calls
// (accounts, roles, role credentials), errors a person can act on, and the
// copy of the access token in the AWS CLI's own cache (~/.aws/sso/cache),
// so `aws` and the SDKs share the sign-in.
//
// It does not own: where secrets are kept or how processes take turns
// (cred/vault), the shared config files (cred/awsconfig), opening a
// browser or showing a code (the command supplies a Prompt or a
// BrowserPrompt), or role chaining and output formats.
package sso
