// Package identitycenter holds the AWS side's domain: the organization and its
// accounts, the Identity Center instance with its identity store (users, groups,
// memberships), permission sets, account assignments and the roles provisioning
// creates. It owns the identifier formats and the validation rules AWS applies,
// and imports only the standard library. It must not know about wires,
// storage or the IdP side.
package identitycenter
