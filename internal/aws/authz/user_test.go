package authz_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/aws/authz"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// TestAnIAMUserHasItsOwnAndItsGroupsPolicies: a group's Allow and the
// user's own Deny both apply; a boundary caps what the group grants.
func TestAnIAMUserHasItsOwnAndItsGroupsPolicies(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	u := iam.User{AccountID: member, ID: iam.NewUserID(clock.Random), Name: "carol", Path: "/", CreatedAt: clk.Now()}
	g := iam.Group{AccountID: member, ID: iam.NewGroupID(clock.Random), Name: "ops", Path: "/", CreatedAt: clk.Now()}
	must(t, db.CreateIAMUser(ctx, u))
	must(t, db.CreateIAMGroup(ctx, g))
	must(t, db.AddIAMGroupMember(ctx, g.ID, u.ID))
	must(t, db.PutIAMInlinePolicy(ctx, g.ID, iam.InlinePolicy{Name: "ops", Document: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}`}))
	must(t, db.PutIAMInlinePolicy(ctx, u.ID, iam.InlinePolicy{Name: "self", Document: `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"}}`}))
	must(t, db.AttachIAMPolicy(ctx, u.ID, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"))

	auth := authz.New(db, clk, mgmt, "o-exampleorg1")
	p := awsauth.Principal{Type: awsauth.User, AccountID: member, ARN: u.ARN(), UserID: u.ID}
	decide := func(action string) error {
		return auth.Authorize(ctx, p, gateway.Request{Action: action, Resource: "arn:aws:iam::" + member + ":user/dave"})
	}
	for _, action := range []string{"iam:CreateUser", "s3:GetObject"} {
		if err := decide(action); err != nil {
			t.Errorf("%s, allowed by the group's or an attached policy: %v", action, err)
		}
	}
	if err := decide("iam:DeleteUser"); !errs.Is(err, errs.Denied) || !strings.Contains(err.Error(), "User: arn:aws:iam::222222222222:user/carol is not authorized to perform: iam:DeleteUser") {
		t.Errorf("DeleteUser under the user's own deny: %v", err)
	}

	_, err := db.UpdateIAMUser(ctx, u.ID, func(u iam.User) (iam.User, error) {
		u.PermissionsBoundary = "arn:aws:iam::aws:policy/ReadOnlyAccess"
		return u, nil
	})
	must(t, err)
	// A change applies within a second (policies read for one call are
	// reused that long, IAM being eventually consistent too).
	if err := decide("iam:CreateUser"); err != nil {
		t.Errorf("CreateUser at once after the change, within the read's second: %v", err)
	}
	clk.Advance(time.Second)
	if err := decide("iam:CreateUser"); !errs.Is(err, errs.Denied) || !strings.Contains(err.Error(), "because no permissions boundary allows") {
		t.Errorf("CreateUser outside the boundary: %v", err)
	}
}

// TestAFederatedUserHasTheIntersectionOfItsParentAndItsSessionPolicy: a
// GetFederationToken session of an IAM user may do what both the user's
// policies and the session policy allow, and never call IAM or STS.
func TestAFederatedUserHasTheIntersectionOfItsParentAndItsSessionPolicy(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	u := iam.User{AccountID: member, ID: iam.NewUserID(clock.Random), Name: "broker", Path: "/", CreatedAt: clk.Now()}
	must(t, db.CreateIAMUser(ctx, u))
	must(t, db.PutIAMInlinePolicy(ctx, u.ID, iam.InlinePolicy{Name: "s3", Document: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:*","iam:*"],"Resource":"*"}}`}))
	s := iam.Session{Kind: iam.KindFederatedUser, AccountID: member, SessionName: "bob", UserName: u.Name, UserPath: "/", IAMUserID: u.ID,
		Policy: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:Get*","ec2:*"],"Resource":"*"}}`, Expires: clk.Now().Add(time.Hour)}
	p := awsauth.Principal{Type: awsauth.FederatedUser, AccountID: member, ARN: s.ARN(), UserID: s.UserID(), Session: s}
	auth := authz.New(db, clk, mgmt, "o-exampleorg1")
	decide := func(action string) error {
		return auth.Authorize(ctx, p, gateway.Request{Action: action, Resource: "*"})
	}
	if err := decide("s3:GetObject"); err != nil {
		t.Errorf("GetObject, allowed by both: %v", err)
	}
	for action, why := range map[string]string{"s3:PutObject": "session policy", "ec2:RunInstances": "identity-based policy", "iam:ListRoles": "federated user"} {
		if err := decide(action); !errs.Is(err, errs.Denied) || !strings.Contains(err.Error(), why) {
			t.Errorf("%s: %v, want a denial naming the %s", action, err, why)
		}
	}
}

// TestPrincipalTagsAreTheRolesTagsWithTheSessionsWinning: aws:PrincipalTag
// reads an IAM role's tags, and a session tag of the same key wins.
func TestPrincipalTagsAreTheRolesTagsWithTheSessionsWinning(t *testing.T) {
	f := newFixture(t)
	_, err := f.db.UpdateIAMRole(f.ctx, member, "Deployer", func(r iam.Role) (iam.Role, error) {
		r.Tags = []iam.Tag{{Key: "team", Value: "infra"}, {Key: "env", Value: "prod"}}
		return r, nil
	})
	must(t, err)
	f.inline(t, "Deployer", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
		"Condition":{"StringEquals":{"aws:PrincipalTag/team":"infra","aws:PrincipalTag/env":"prod"}}}]}`)
	role := session("")
	if err := f.decide(role, "s3:GetObject", "*"); err != nil {
		t.Errorf("with the role's own tags: %v", err)
	}
	role.Session.Tags = []iam.Tag{{Key: "ENV", Value: "dev"}}
	if err := f.decide(role, "s3:GetObject", "*"); !errs.Is(err, errs.Denied) {
		t.Errorf("a session tag env=dev did not win over the role's env=prod: %v", err)
	}
}

// TestAStoredPolicyThatNoLongerParsesDeniesEverything: a document stored
// before the grammar grew stricter (here, two statements with one Sid,
// which keyward once accepted) must not lose its Deny by being skipped; it
// denies everything until it is replaced.
func TestAStoredPolicyThatNoLongerParsesDeniesEverything(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	u := iam.User{AccountID: member, ID: iam.NewUserID(clock.Random), Name: "carol", Path: "/", CreatedAt: clk.Now()}
	must(t, db.CreateIAMUser(ctx, u))
	must(t, db.PutIAMInlinePolicy(ctx, u.ID, iam.InlinePolicy{Name: "admin", Document: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}`}))
	must(t, db.PutIAMInlinePolicy(ctx, u.ID, iam.InlinePolicy{Name: "guard", Document: `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"Keep","Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"},{"Sid":"Keep","Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"}]}`}))
	auth := authz.New(db, clk, mgmt, "o-exampleorg1")
	p := awsauth.Principal{Type: awsauth.User, AccountID: member, ARN: u.ARN(), UserID: u.ID}
	for _, action := range []string{"iam:DeleteUser", "iam:CreateUser"} {
		err := auth.Authorize(ctx, p, gateway.Request{Action: action, Resource: "arn:aws:iam::" + member + ":user/dave"})
		if !errs.Is(err, errs.Denied) || !strings.Contains(err.Error(), "explicit deny") {
			t.Errorf("%s with a stored policy that no longer parses: %v, want an explicit deny", action, err)
		}
	}
}

// TestAFederatedUsersPrincipalTagsAreItsUsersWithTheSessionsWinning: the
// principal tags of GetFederationToken's credentials are the calling
// user's tags and the session tags passed, a session tag winning, as in
// AWS.
func TestAFederatedUsersPrincipalTagsAreItsUsersWithTheSessionsWinning(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	u := iam.User{AccountID: member, ID: iam.NewUserID(clock.Random), Name: "broker", Path: "/", CreatedAt: clk.Now(),
		Tags: []iam.Tag{{Key: "team", Value: "data"}, {Key: "env", Value: "prod"}}}
	must(t, db.CreateIAMUser(ctx, u))
	must(t, db.PutIAMInlinePolicy(ctx, u.ID, iam.InlinePolicy{Name: "s3", Document: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*",
		"Condition":{"StringEquals":{"aws:PrincipalTag/team":"data","aws:PrincipalTag/env":"prod","aws:PrincipalTag/project":"x"}}}}`}))
	auth := authz.New(db, clk, mgmt, "o-exampleorg1")
	decide := func(tags ...iam.Tag) error {
		s := iam.Session{Kind: iam.KindFederatedUser, AccountID: member, SessionName: "bob", UserName: u.Name, UserPath: "/", IAMUserID: u.ID,
			Policy: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, Tags: tags, Expires: clk.Now().Add(time.Hour)}
		p := awsauth.Principal{Type: awsauth.FederatedUser, AccountID: member, ARN: s.ARN(), UserID: s.UserID(), Session: s}
		return auth.Authorize(ctx, p, gateway.Request{Action: "s3:GetObject", Resource: "*"})
	}
	if err := decide(iam.Tag{Key: "project", Value: "x"}); err != nil {
		t.Errorf("with the user's team and env and the session's project: %v", err)
	}
	if err := decide(iam.Tag{Key: "project", Value: "x"}, iam.Tag{Key: "ENV", Value: "dev"}); !errs.Is(err, errs.Denied) {
		t.Errorf("a session tag env=dev did not win over the user's env=prod: %v", err)
	}
}
