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
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// TestServiceControlPoliciesLimitEveryoneInAMemberAccount: an SCP denying
// iam:DeleteRole on the member account stops its root and an administrator
// role alike, while the management account's principals are never limited.
func TestServiceControlPoliciesLimitEveryoneInAMemberAccount(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	db := sqlitetest.Open(t, clk)
	now := clk.Now()
	org := ic.Organization{ID: "o-exampleorg1", ManagementAccountID: mgmt, ManagementEmail: "m@example.com", CreatedAt: now}
	mgmtAcct := ic.Account{ID: mgmt, Name: "Management", Email: "m@example.com", Status: ic.AccountActive, JoinedMethod: ic.JoinedCreated, JoinedAt: now}
	_, _, err := db.Bootstrap(ctx, store.Bootstrap{Organization: org, ManagementAccount: mgmtAcct,
		Instance: ic.Instance{ID: "ssoins-0123456789abcdef", IdentityStoreID: "d-0123456789", OwnerAccountID: mgmt, Name: "keyward", CreatedAt: now},
		RootKey:  ic.AccessKey{ID: iam.NewAccessKeyID(clock.Random), AccountID: mgmt, SealedSecret: []byte("x"), CreatedAt: now}})
	must(t, err)
	must(t, db.CreateAccount(ctx, ic.Account{ID: member, Name: "Dev", Email: "dev@example.com", Status: ic.AccountActive, JoinedMethod: ic.JoinedCreated, JoinedAt: now},
		ic.CreateAccountStatus{ID: "car-0123456789abcdef", AccountName: "Dev", State: ic.StateSucceeded, AccountID: member, RequestedAt: now, CompletedAt: now}))
	root, err := db.Root(ctx)
	must(t, err)
	_, err = db.SetPolicyType(ctx, root.ID, ic.SCP, true)
	must(t, err)
	scp := ic.OrgPolicy{ID: "p-denydel1", Type: ic.SCP, Name: "deny-delete", CreatedAt: now,
		Content: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"}]}`}
	must(t, db.CreateOrgPolicy(ctx, scp, nil))
	must(t, db.AttachPolicy(ctx, scp.ID, member))

	auth := authz.New(db, clk, mgmt, org.ID)
	admin := iam.Session{Kind: iam.KindAssumedRole, AccountID: member, RoleID: "AROAADMIN", RoleName: "Admin", RolePath: "/",
		SessionName: "alice", Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, Expires: now.Add(time.Hour)}
	target := "arn:aws:iam::" + member + ":role/Target"
	for name, p := range map[string]awsauth.Principal{
		"the member account's root": {Type: awsauth.Root, AccountID: member, ARN: iam.RootARN(member), UserID: member},
		"a role session":            {Type: awsauth.AssumedRole, AccountID: member, ARN: admin.ARN(), UserID: admin.UserID(), Session: admin},
	} {
		err := auth.Authorize(ctx, p, gateway.Request{Action: "iam:DeleteRole", Resource: target})
		if !errs.Is(err, errs.Denied) || !strings.Contains(err.Error(), "with an explicit deny in a service control policy") {
			t.Errorf("%s: %v, want the SCP's explicit deny", name, err)
		}
	}
	if err := auth.Authorize(ctx, awsauth.Principal{Type: awsauth.Root, AccountID: member, ARN: iam.RootARN(member), UserID: member},
		gateway.Request{Action: "iam:ListRoles", Resource: "*"}); err != nil {
		t.Errorf("FullAWSAccess still allows the rest: %v", err)
	}
	if err := auth.Authorize(ctx, awsauth.Principal{Type: awsauth.Root, AccountID: mgmt, ARN: iam.RootARN(mgmt), UserID: mgmt},
		gateway.Request{Action: "iam:DeleteRole", Resource: "arn:aws:iam::" + mgmt + ":role/Target"}); err != nil {
		t.Errorf("the management root was limited: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
