package authz_test

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/aws/authz"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// icFixture is an Identity Center role in the member account whose
// permission set refers to the customer managed policies Reader (s3
// reads) and Guard (s3 and ec2 reads), both in the account.
type icFixture struct {
	db   *sqlite.DB
	auth *authz.Authority
	ps   ic.PermissionSet
	sess awsauth.Principal
}

func newICFixture(t *testing.T) icFixture {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	ctx, now := t.Context(), clk.Now()
	must(t, db.CreateAccount(ctx, ic.Account{ID: member, Name: "Member", Email: "m@example.com", Status: ic.AccountActive,
		JoinedMethod: ic.JoinedCreated, JoinedAt: now}, ic.CreateAccountStatus{ID: "car-" + clock.Hex(clock.Random, 16),
		State: ic.StateSucceeded, AccountID: member, RequestedAt: now, CompletedAt: now}))
	u := ic.User{ID: ic.NewPrincipalID(clock.Random, "d-0123456789"), Status: ic.UserEnabled, Profile: ic.Profile{UserName: "alice"}, CreatedAt: now, UpdatedAt: now}
	must(t, db.CreateUser(ctx, u))
	for name, doc := range map[string]string{
		"Reader": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`,
		"Guard":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","ec2:Describe*"],"Resource":"*"}]}`,
	} {
		p := iam.Policy{AccountID: member, ID: "ANPA" + clock.Hex(clock.Random, 8), Name: name, Path: "/", DefaultVersion: "v1", CreatedAt: now, UpdatedAt: now}
		must(t, db.CreateIAMPolicy(ctx, p, iam.PolicyVersion{VersionID: "v1", Document: doc, IsDefault: true, CreatedAt: now}))
	}
	ps := ic.PermissionSet{ID: ic.NewPermissionSetID(clock.Random), InstanceID: "ssoins-0123456789abcdef", Name: "Ops",
		SessionDuration: "PT1H", Version: 1, CreatedAt: now, CustomerPolicies: []ic.PolicyRef{{Name: "Reader", Path: "/"}},
		ManagedPolicies: []string{"arn:aws:iam::aws:policy/AdministratorAccess"}}
	must(t, db.CreatePermissionSet(ctx, ps))
	role := ic.Role{Name: ic.ReservedRoleName(ps.Name, "0123456789abcdef"), ID: "AROAOPSROLE", Path: ic.RolePath, CreatedAt: now}
	a := ic.Assignment{AccountID: member, PermissionSetID: ps.ID, PrincipalType: ic.PrincipalUser, PrincipalID: u.ID, CreatedAt: now}
	must(t, db.CreateAssignment(ctx, a, role, ic.Request{ID: ic.NewUUID(clock.Random), Kind: ic.RequestAssignmentCreate,
		Status: ic.StateSucceeded, AccountID: member, PermissionSetID: ps.ID, CreatedAt: now}))
	s := iam.Session{Kind: iam.KindAssumedRole, AccountID: member, RoleID: role.ID, RoleName: role.Name, RolePath: ic.RolePath,
		SessionName: "alice", Expires: now.Add(time.Hour)}
	return icFixture{db: db, auth: authz.New(db, clk, mgmt, "o-exampleorg1"), ps: ps,
		sess: awsauth.Principal{Type: awsauth.AssumedRole, AccountID: member, ARN: s.ARN(), UserID: s.UserID(), Session: s}}
}

// change edits the permission set.
func (f icFixture) change(t *testing.T, fn func(*ic.PermissionSet)) {
	t.Helper()
	_, err := f.db.UpdatePermissionSet(t.Context(), f.ps.ID, func(ps ic.PermissionSet) (ic.PermissionSet, error) {
		fn(&ps)
		return ps, nil
	})
	must(t, err)
}

func (f icFixture) allowed(t *testing.T, action string) bool {
	t.Helper()
	err := f.auth.Authorize(t.Context(), f.sess, gateway.Request{Action: action, Resource: "*"})
	if err != nil && !errs.Is(err, errs.Denied) {
		t.Fatalf("%s: %v", action, err)
	}
	return err == nil
}

func TestAPermissionSetsCustomerManagedPoliciesAndBoundaryApplyToItsRoleSessions(t *testing.T) {
	f := newICFixture(t)
	f.change(t, func(ps *ic.PermissionSet) { ps.ManagedPolicies = nil })
	if !f.allowed(t, "s3:GetObject") || f.allowed(t, "ec2:DescribeInstances") {
		t.Errorf("with only Reader referred to: s3:GetObject must be allowed and ec2:DescribeInstances not")
	}
	f.change(t, func(ps *ic.PermissionSet) {
		ps.ManagedPolicies = []string{"arn:aws:iam::aws:policy/AdministratorAccess"}
		ps.Boundary = &ic.PermissionsBoundary{CustomerPolicy: &ic.PolicyRef{Name: "Guard", Path: "/"}}
	})
	for action, want := range map[string]bool{"s3:GetObject": true, "ec2:DescribeInstances": true, "iam:CreateRole": false} {
		if got := f.allowed(t, action); got != want {
			t.Errorf("under the Guard boundary, %s allowed = %v, want %v", action, got, want)
		}
	}
	f.change(t, func(ps *ic.PermissionSet) {
		ps.Boundary = &ic.PermissionsBoundary{CustomerPolicy: &ic.PolicyRef{Name: "Missing", Path: "/"}}
	})
	if f.allowed(t, "s3:GetObject") {
		t.Error("a boundary whose policy is missing in the account must allow nothing")
	}
}
