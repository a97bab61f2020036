package authz

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

const acct = "222222222222"

var t0 = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

func newAuthority(t *testing.T) (*Authority, *sqlite.DB) {
	t.Helper()
	clk := clock.NewFake(t0)
	db := sqlitetest.Open(t, clk)
	return New(db, clk, "111111111111", "o-exampleorg1"), db
}

func federated(userName, policy string) awsauth.Principal {
	s := iam.Session{Kind: iam.KindFederatedUser, AccountID: acct, SessionName: "bob", Policy: policy, Expires: t0.Add(time.Hour)}
	if userName != "" {
		s.UserName, s.UserPath, s.IAMUserID = userName, "/", "AIDAALICE"
	}
	return awsauth.Principal{Type: awsauth.FederatedUser, AccountID: acct, ARN: s.ARN(), UserID: s.UserID(), Session: s}
}

const (
	readS3 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`
	allS3  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","ec2:*"],"Resource":"*"}]}`
)

// TestAFederatedUserHasTheIntersectionOfItsParentAndItsSessionPolicies:
// what the session policy and the parent both allow, and nothing else.
func TestAFederatedUserHasTheIntersectionOfItsParentAndItsSessionPolicies(t *testing.T) {
	a, _ := newAuthority(t)
	var asked awsauth.Principal
	userPolicies := func(_ context.Context, p awsauth.Principal) (iam.Policies, error) {
		asked = p
		doc, _ := iam.ParseIdentityPolicy([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`))
		return iam.Policies{Identity: []iam.Document{doc}}, nil
	}
	for _, tc := range []struct {
		name   string
		p      awsauth.Principal
		action string
		allow  bool
	}{
		{"root's federated user may do what its session policy allows", federated("", readS3), "s3:GetObject", true},
		{"root's federated user may not do more than its session policy", federated("", readS3), "s3:PutObject", false},
		{"a federated user given no session policy may do nothing", federated("", ""), "s3:GetObject", false},
		{"a user's federated user may do what both allow", federated("alice", allS3), "s3:GetObject", true},
		{"a user's federated user may not do what only the session policy allows", federated("alice", allS3), "ec2:RunInstances", false},
		{"a user's federated user may not do what only the user allows", federated("alice", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}`), "s3:GetObject", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pol, err := a.federatedUserPolicies(context.Background(), tc.p, userPolicies)
			if err != nil {
				t.Fatal(err)
			}
			d := iam.Evaluate(iam.Request{Action: tc.action, Resource: "*", Principal: iam.Principal{ARN: tc.p.ARN, Account: acct}}, pol)
			if d.Allowed != tc.allow {
				t.Errorf("allowed = %v, want %v", d.Allowed, tc.allow)
			}
		})
	}
	if asked.Type != awsauth.User || asked.ARN != "arn:aws:iam::222222222222:user/alice" || asked.UserID != "AIDAALICE" {
		t.Errorf("the parent's policies were asked for %+v, want the user alice", asked)
	}
}

func TestSessionKindsRefuseWhatAWSRefusesThem(t *testing.T) {
	userSession := func(mfa bool) awsauth.Principal {
		s := iam.Session{Kind: iam.KindUserSession, AccountID: acct, UserName: "alice", UserPath: "/", IAMUserID: "AIDAALICE", Expires: t0.Add(time.Hour)}
		if mfa {
			s.MFAAuthTime = t0
		}
		return awsauth.Principal{Type: awsauth.User, AccountID: acct, ARN: s.ARN(), UserID: s.UserID(), Session: s}
	}
	for _, tc := range []struct {
		name    string
		p       awsauth.Principal
		action  string
		refused bool
	}{
		{"a federated user calling IAM is refused", federated("", allS3), "iam:ListRoles", true},
		{"a federated user calling STS is refused", federated("", allS3), "sts:AssumeRole", true},
		{"a federated user calling S3 is left to its policies", federated("", allS3), "s3:GetObject", false},
		{"a user session without MFA calling IAM is refused", userSession(false), "iam:ListRoles", true},
		{"a user session with MFA calling IAM is left to its policies", userSession(true), "iam:ListRoles", false},
		{"a user session calling GetAccessKeyInfo is refused", userSession(true), "sts:GetAccessKeyInfo", true},
		{"a user session assuming a role is left to its policies", userSession(false), "sts:AssumeRole", false},
		{"a long-term key is left to its policies", awsauth.Principal{Type: awsauth.User, ARN: "arn:aws:iam::222222222222:user/alice"}, "iam:ListRoles", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := sessionKindRefusal(tc.p, tc.action)
			if refused := errs.Is(err, errs.Denied); refused != tc.refused || (refused && !strings.Contains(err.Error(), tc.p.ARN)) {
				t.Errorf("err = %v, want refused %v", err, tc.refused)
			}
		})
	}
}

// TestARoleSessionIssuedWithMFASatisfiesAnMFACondition: the context says
// MFA is present, and how long ago, only for a session issued with MFA.
func TestARoleSessionIssuedWithMFASatisfiesAnMFACondition(t *testing.T) {
	a, db := newAuthority(t)
	ctx := context.Background()
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*",
		"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}]}`
	if err := db.CreateIAMRole(ctx, iam.Role{AccountID: acct, ID: "AROAOPS", Name: "Ops", Path: "/", TrustPolicy: `{"Version":"2012-10-17","Statement":[]}`,
		MaxSessionDuration: 3600, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutRolePolicy(ctx, acct, "Ops", store.RolePolicy{Name: "p", Document: doc}); err != nil {
		t.Fatal(err)
	}
	session := func(mfa time.Time) awsauth.Principal {
		s := iam.Session{Kind: iam.KindAssumedRole, AccountID: acct, RoleID: "AROAOPS", RoleName: "Ops", RolePath: "/", SessionName: "s",
			MFAAuthTime: mfa, Expires: t0.Add(time.Hour)}
		return awsauth.Principal{Type: awsauth.AssumedRole, AccountID: acct, ARN: s.ARN(), UserID: s.UserID(), Session: s}
	}
	for _, tc := range []struct {
		name  string
		mfa   time.Time
		allow bool
	}{
		{"a session with MFA a minute ago is allowed", t0.Add(-time.Minute), true},
		{"a session with MFA two hours ago is too old", t0.Add(-2 * time.Hour), false},
		{"a session without MFA is refused", time.Time{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := a.Authorize(ctx, session(tc.mfa), gateway.Request{Action: "iam:ListRoles", Resource: "*"})
			if (err == nil) != tc.allow {
				t.Errorf("err = %v, want allowed %v", err, tc.allow)
			}
		})
	}
}

// TestARootSessionTokenWithoutMFACannotCallIAM: Authorize applies the
// session kind's limits before any policy (root's allow-all included).
func TestARootSessionTokenWithoutMFACannotCallIAM(t *testing.T) {
	a, _ := newAuthority(t)
	s := iam.Session{Kind: iam.KindUserSession, AccountID: "111111111111", Expires: t0.Add(time.Hour)}
	root := awsauth.Principal{Type: awsauth.Root, AccountID: "111111111111", ARN: s.ARN(), UserID: s.UserID(), Session: s}
	if err := a.Authorize(context.Background(), root, gateway.Request{Action: "iam:ListRoles", Resource: "*"}); !errs.Is(err, errs.Denied) {
		t.Errorf("without MFA: %v, want denied", err)
	}
	root.Session.MFAAuthTime = t0
	if err := a.Authorize(context.Background(), root, gateway.Request{Action: "iam:ListRoles", Resource: "*"}); err != nil {
		t.Errorf("with MFA: %v", err)
	}
}
