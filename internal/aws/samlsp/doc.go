// Package samlsp is IAM Identity Center as a SAML 2.0 service provider:
// the side of Identity Center that lets people sign in to the access portal
// (and to `aws sso login`) through an external identity provider.
//
// It owns the service provider's identity and metadata, reading an
// identity provider's metadata, building SP-initiated AuthnRequests, and
// the assertion consumer service's validation of a Response: signature
// with the identity provider's certificates (SHA-1 and HMAC refused),
// exactly one assertion and only the verified one read, issuer, audience,
// recipient and destination, validity times with a bounded skew,
// InResponseTo, a replay cache of assertion ids, and the match of the NameID
// to an existing, enabled identity-store user (no just-in-time creation).
// Every refusal is an *errs.Error whose message a person understands and a
// "user.signin" event in the system log naming why.
//
// It does not own the HTTP routes, pages, cookies or portal sessions (the
// web and app packages wire Consume into the ACS route and turn a Result
// into a portal session), the identity-source setting (store), or SCIM
// provisioning.
//
// Identifiers. AWS names a service provider for an instance
// https://<region>.signin.aws.amazon.com/platform/saml/<identityStoreId>;
// keyward uses that exact shape as the entity ID (an identifier, never
// fetched), so an identity provider configured for keyward reads as one
// configured for AWS. The ACS URL keeps AWS's path shape on keyward's own
// public AWS URL: <public>/platform/saml/acs/<instanceId>, where the
// instance id (ssoins-...) is the stable per-instance id AWS's <id> stands
// for; the metadata is served at <public>/platform/saml/metadata/<instanceId>.
//
// Reading input. Every document (a Response, a metadata file) is size
// bounded, refused if it has a DTD or processing instruction, checked with
// the XML round-trip validator, and only then parsed for its signature by
// gosaml2 on goxmldsig; claims are read only from the element goxmldsig
// returned as verified.
package samlsp
