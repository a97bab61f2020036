// Package identitycenter holds the AWS side's domain: the organization and its
// accounts, the Identity Center instance with its identity store (users, groups,
// memberships), permission sets, account assignments and the roles provisioning
// creates. It owns its identifier formats and the validation rules AWS
// applies; the roles it provisions are IAM roles, so their ids and ARNs come
// from package iam. It imports only the standard library and the clock, errs
// and iam domain packages. It must not know about wires, storage or the IdP side.
package identitycenter
