// Package storetest is the conformance suite of the storage contract in
// package store. Every backend runs it unchanged:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, clk clock.Clock) store.AWS { ... })
//	}
//
// RunIdP is the same for the identity provider's contract, store.IdP.
//
// The suite speaks only to store.AWS and store.IdP. It owns no backend
// code and must not import one; each subtest gets a fresh, empty store
// from open.
package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store"
)

// test is one conformance case.
type test struct {
	name string
	run  func(t *testing.T, h *harness)
}

// suite is the cases of one aggregate.
type suite struct {
	name  string
	tests []test
}

// start is the fake clock's starting time; its nanoseconds check that times
// round-trip exactly.
var start = time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)

// Run runs every conformance case against stores from open, which must
// return a fresh, empty store whose time comes from clk (a *clock.Fake the
// case controls) and register its own cleanup with t.Cleanup. Cases run in
// parallel, each on its own store.
func Run(t *testing.T, open func(t *testing.T, clk clock.Clock) store.AWS) {
	suites := []suite{
		{"organization", orgTests},
		{"accounts", accountTests},
		{"conflicts", conflictTests},
		{"text", textTests},
		{"pagination", paginationTests},
		{"users", userTests},
		{"groups", groupTests},
		{"memberships", membershipTests},
		{"permission sets", permissionSetTests},
		{"assignments", assignmentTests},
		{"roles", roleTests},
		{"cascades", cascadeTests},
		{"entitlements", entitlementTests},
		{"access", accessTests},
		{"passwords", passwordTests},
		{"portal sessions", sessionTests},
		{"oidc clients and devices", deviceTests},
		{"oidc tokens", tokenTests},
		{"oidc authorization codes", codeTests},
		{"rate limits", rateLimitTests},
		{"events", eventTests},
		{"event chain", chainTests},
		{"event queries", queryEventTests},
		{"housekeeping", housekeepingTests},
		{"concurrency", concurrencyTests},
		{"scim tokens", scimTokenTests},
		{"identity source", identitySourceTests},
		{"one-time keys", oneTimeKeyTests},
		{"iam roles", iamRoleTests}, {"iam policies", iamPolicyTests},
		{"organizational units", orgUnitTests}, {"organization policies", orgPolicyTests},
		{"organization tags", orgTagTests}, {"delegated administrators", delegationTests},
		{"iam users", iamUserTests}, {"iam user authorization", iamUserAuthorizationTests},
		{"iam providers", iamProviderTests},
		{"iam users and policies", iamPrincipalPolicyTests},
		{"sso admin", ssoAdminTests},
	}
	for _, s := range suites {
		t.Run(s.name, func(t *testing.T) {
			for _, tc := range s.tests {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					clk := clock.NewFake(start)
					tc.run(t, &harness{s: open(t, clk), clk: clk, ctx: t.Context()})
				})
			}
		})
	}
}
