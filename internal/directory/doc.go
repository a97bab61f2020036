// Package directory holds the identity provider's domain: the people and
// groups it is the source of truth for, Okta's user lifecycle, the
// administrator roles that decide who may change what, and the change feed
// provisioning follows. Its names and rules are Okta's (statuses, profile
// attributes, role types), so an Okta client sees what it expects.
//
// It owns validation, status transitions, authorization decisions and id
// formats. It does not own storage, wires, sessions or credentials checking:
// it imports only the standard library and the errs and clock packages.
package directory
