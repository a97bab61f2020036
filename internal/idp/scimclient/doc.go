// Package scimclient is the identity provider's SCIM 2.0 provisioning
// client: it pushes the directory's users and groups into an app's SCIM
// target (AWS IAM Identity Center, real or keyward's own AWS side) and
// keeps them there.
//
// It owns the typed SCIM client (Client: users, groups, filters,
// membership PATCHes, retries with backoff on 429, 5xx and network
// errors), the mapping from directory users and groups to SCIM resources
// (MapUser, MapGroup), and the durable Engine that follows the directory's
// change feed into each app's outbox (store.Provisioning), drains it
// applying the current state of each object, and answers Status, Resync
// and Drift. It handles AWS's quirks (aws-wire.md §9): it adopts an
// existing object on 409, never reads membership from GET /Groups (AWS
// returns "members": []) but keeps its own record of what it pushed and
// checks with `members eq` filters, sends at most 100 member changes per
// PATCH and never replaces or removes all members in one request.
//
// It does not own the apps, assignments and group pushes (store.Apps),
// the directory (store.DirectoryUsers, store.DirectoryGroups), the SCIM
// server (internal/aws/scimserver), nor how the status is shown (the CLI
// and the API render Status).
package scimclient
