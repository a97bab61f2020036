package oidc_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
)

func TestACustomServersClaimsCarryTheProfileAndGroupsInTheirTokens(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.s.UpdateUser(ctx, f.alice.ID, "user.lifecycle.update", func(u directory.User) (directory.User, error) {
		u.Profile["department"] = "Engineering"
		return u, nil
	})
	must(t, err)
	for _, name := range []string{"aws-dev", "aws-prod", "wiki"} {
		g, err := f.s.CreateGroup(ctx, directory.Group{Type: directory.OktaGroup, Name: name})
		must(t, err)
		_, err = f.s.AddMember(ctx, g.ID, f.alice.ID)
		must(t, err)
	}
	_, err = f.s.UpdateAuthServer(ctx, directory.DefaultAuthServer, "oauth2.claim.created", func(as directory.AuthServer) (directory.AuthServer, error) {
		as.Claims = []directory.AuthClaim{
			{ID: "ocl1", Name: "department", Status: directory.AppActive, ClaimType: directory.ClaimResource,
				ValueType: directory.ClaimExpression, Value: "user.department"},
			{ID: "ocl2", Name: "groups", Status: directory.AppActive, ClaimType: directory.ClaimIdentity,
				ValueType: directory.ClaimGroups, GroupFilter: directory.FilterStartsWith, Value: "aws-"},
			{ID: "ocl3", Name: "sub", Status: directory.AppActive, ClaimType: directory.ClaimResource,
				ValueType: directory.ClaimExpression, Value: "user.department"}, // reserved: never replaces sub
			{ID: "ocl4", Name: "off", Status: directory.AppInactive, ClaimType: directory.ClaimResource,
				ValueType: directory.ClaimExpression, Value: "user.department"},
		}
		return as, nil
	})
	must(t, err)

	status, body := f.post(t, "/oauth2/default/v1/device/authorize", url.Values{"client_id": {f.cli.ID}, "scope": {"openid"}})
	if status != 200 {
		t.Fatalf("device authorize: %d %v", status, body)
	}
	f.approve(t, str(body, "user_code"), true)
	status, tokens := f.post(t, "/oauth2/default/v1/token", url.Values{"client_id": {f.cli.ID},
		"device_code": {str(body, "device_code")}, "grant_type": {directory.GrantDeviceCode}})
	if status != 200 {
		t.Fatalf("device token: %d %v", status, tokens)
	}
	var access, id map[string]any
	claimsOf(t, str(tokens, "access_token"), &access)
	claimsOf(t, str(tokens, "id_token"), &id)
	if access["department"] != "Engineering" || access["sub"] != "alice@example.com" || access["off"] != nil || access["groups"] != nil {
		t.Errorf("access token claims: %v", access)
	}
	if diff := cmp.Diff([]any{"aws-dev", "aws-prod"}, id["groups"]); diff != "" || id["department"] != nil {
		t.Errorf("ID token groups (-want +got):\n%s\nclaims: %v", diff, id)
	}
}
