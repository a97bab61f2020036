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
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

const (
	mgmt   = "111111111111"
	member = "222222222222"
	trust  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/Deployer"},"Action":"sts:AssumeRole"}]}`
)

type fixture struct {
	ctx context.Context
	db  interface {
		store.IAMRoles
		store.IAMPolicies
	}
	auth *authz.Authority
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	f := fixture{ctx: context.Background(), db: db, auth: authz.New(db, clk, mgmt, "o-exampleorg1")}
	for _, name := range []string{"Deployer", "Target"} {
		r := iam.Role{AccountID: member, ID: "AROA" + strings.ToUpper(name), Name: name, Path: "/", TrustPolicy: trust,
			MaxSessionDuration: 3600, CreatedAt: clk.Now()}
		if err := db.CreateIAMRole(f.ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f fixture) inline(t *testing.T, role, doc string) {
	t.Helper()
	if err := f.db.PutRolePolicy(f.ctx, member, role, store.RolePolicy{Name: "p", Document: doc}); err != nil {
		t.Fatal(err)
	}
}

// session is a Deployer role session, with optional session policy.
func session(policy string) awsauth.Principal {
	s := iam.Session{Kind: iam.KindAssumedRole, AccountID: member, RoleID: "AROADEPLOYER", RoleName: "Deployer", RolePath: "/",
		SessionName: "ci", Policy: policy, Expires: time.Date(2026, 12, 2, 11, 0, 0, 0, time.UTC)}
	return awsauth.Principal{Type: awsauth.AssumedRole, AccountID: member, ARN: s.ARN(), UserID: s.UserID(), Session: s}
}

func (f fixture) decide(p awsauth.Principal, action, resource string) error {
	return f.auth.Authorize(f.ctx, p, gateway.Request{Action: action, Resource: resource})
}

func TestARoleSessionMayDoWhatItsRolesPoliciesAllow(t *testing.T) {
	f := newFixture(t)
	f.inline(t, "Deployer", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"},
		{"Effect":"Deny","Action":"iam:DeleteRole","Resource":"arn:aws:iam::222222222222:role/Target"}]}`)
	role := session("")
	if err := f.decide(role, "iam:ListRoles", "*"); err != nil {
		t.Errorf("ListRoles: %v", err)
	}
	err := f.decide(role, "iam:DeleteRole", "arn:aws:iam::222222222222:role/Target")
	want := "User: arn:aws:sts::222222222222:assumed-role/Deployer/ci is not authorized to perform: iam:DeleteRole on resource: arn:aws:iam::222222222222:role/Target with an explicit deny in an identity-based policy"
	if !errs.Is(err, errs.Denied) || !strings.Contains(err.Error(), want) {
		t.Errorf("DeleteRole: %v\nwant %q", err, want)
	}
	err = f.decide(role, "sso:ListInstances", "*")
	if !errs.Is(err, errs.Denied) || !strings.Contains(err.Error(), "because no identity-based policy allows the sso:ListInstances action") {
		t.Errorf("an action no policy names: %v", err)
	}
}

func TestASessionPolicyNarrowsTheRole(t *testing.T) {
	f := newFixture(t)
	f.inline(t, "Deployer", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`)
	role := session(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}`)
	if err := f.decide(role, "iam:ListRoles", "*"); err != nil {
		t.Errorf("ListRoles: %v", err)
	}
	if err := f.decide(role, "iam:CreateRole", "arn:aws:iam::222222222222:role/X"); !errs.Is(err, errs.Denied) ||
		!strings.Contains(err.Error(), "because no session policy allows") {
		t.Errorf("CreateRole outside the session policy: %v", err)
	}
}

func TestAPermissionsBoundaryLimitsTheRole(t *testing.T) {
	f := newFixture(t)
	f.inline(t, "Deployer", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	_, err := f.db.UpdateIAMRole(f.ctx, member, "Deployer", func(r iam.Role) (iam.Role, error) {
		r.PermissionsBoundary = "arn:aws:iam::aws:policy/ReadOnlyAccess"
		return r, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.decide(session(""), "iam:ListRoles", "*"); err != nil {
		t.Errorf("ListRoles within the boundary: %v", err)
	}
	if err := f.decide(session(""), "iam:CreateRole", "*"); !errs.Is(err, errs.Denied) ||
		!strings.Contains(err.Error(), "because no permissions boundary allows") {
		t.Errorf("CreateRole outside the boundary: %v", err)
	}
}

func TestAssumingARoleNeedsItsTrustPolicy(t *testing.T) {
	f := newFixture(t)
	// The trust policy names the Deployer role itself: same account, no
	// identity policy needed.
	if err := f.decide(session(""), "sts:AssumeRole", "arn:aws:iam::222222222222:role/Target"); err != nil {
		t.Errorf("AssumeRole allowed by the trust policy alone: %v", err)
	}
	other := session("")
	other.Session.RoleName, other.Session.RoleID = "Target", "AROATARGET"
	other.ARN = other.Session.ARN()
	if err := f.decide(other, "sts:AssumeRole", "arn:aws:iam::222222222222:role/Deployer"); !errs.Is(err, errs.Denied) ||
		!strings.Contains(err.Error(), "role trust policy") {
		t.Errorf("a principal the trust policy does not name: %v", err)
	}
	if err := f.decide(session(""), "sts:AssumeRole", "arn:aws:iam::222222222222:role/Missing"); !errs.Is(err, errs.Denied) {
		t.Errorf("a missing role: %v", err)
	}
}

func TestRootUsers(t *testing.T) {
	f := newFixture(t)
	mgmtRoot := awsauth.Principal{Type: awsauth.Root, AccountID: mgmt, ARN: iam.RootARN(mgmt), UserID: mgmt}
	memberRoot := awsauth.Principal{Type: awsauth.Root, AccountID: member, ARN: iam.RootARN(member), UserID: member}
	for _, p := range []awsauth.Principal{mgmtRoot, memberRoot} {
		if err := f.decide(p, "iam:DeleteRole", "arn:aws:iam::"+p.AccountID+":role/X"); err != nil {
			t.Errorf("%s: %v", p.ARN, err)
		}
	}
}

func TestADeletedRolesSessionsCanDoNothing(t *testing.T) {
	f := newFixture(t)
	f.inline(t, "Deployer", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	if err := f.db.DeleteRolePolicy(f.ctx, member, "Deployer", "p"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.DeleteIAMRole(f.ctx, member, "Deployer"); err != nil {
		t.Fatal(err)
	}
	if err := f.decide(session(""), "iam:ListRoles", "*"); !errs.Is(err, errs.Denied) {
		t.Errorf("a deleted role's session listed roles: %v", err)
	}
}
