package awsauth

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/iam"
)

// TestEachSessionKindOpensAsItsPrincipal: federated users and user
// sessions (of a user and of root) come back with the principal type,
// ARN and user id GetCallerIdentity reports, and their MFA time and
// caller kind survive the token.
func TestEachSessionKindOpensAsItsPrincipal(t *testing.T) {
	mfa := start.Add(-time.Minute)
	cases := []struct {
		name             string
		s                iam.Session
		typ, arn, userID string
	}{
		{"a federated user made by an IAM user", iam.Session{Kind: iam.KindFederatedUser, AccountID: "111122223333", SessionName: "bob",
			UserName: "alice", UserPath: "/", IAMUserID: "AIDAALICE", Policy: `{"Version":"2012-10-17","Statement":[]}`, Expires: start.Add(time.Hour)},
			FederatedUser, "arn:aws:sts::111122223333:federated-user/bob", "111122223333:bob"},
		{"a federated user made by root", iam.Session{Kind: iam.KindFederatedUser, AccountID: "111122223333", SessionName: "carol", Expires: start.Add(time.Hour)},
			FederatedUser, "arn:aws:sts::111122223333:federated-user/carol", "111122223333:carol"},
		{"a user's session token with MFA", iam.Session{Kind: iam.KindUserSession, AccountID: "111122223333", UserName: "alice", UserPath: "/eng/",
			IAMUserID: "AIDAALICE", MFAAuthTime: mfa, Expires: start.Add(time.Hour)},
			User, "arn:aws:iam::111122223333:user/eng/alice", "AIDAALICE"},
		{"root's session token", iam.Session{Kind: iam.KindUserSession, AccountID: "111122223333", Expires: start.Add(time.Hour)},
			Root, "arn:aws:iam::111122223333:root", "111122223333"},
		{"a role session a web identity obtained", iam.Session{Kind: iam.KindAssumedRole, AccountID: "111122223333", RoleID: "AROAX", RoleName: "r",
			SessionName: "s", CallerKind: iam.CallerWebIdentity, Expires: start.Add(time.Hour)},
			AssumedRole, "arn:aws:sts::111122223333:assumed-role/r/s", "AROAX:s"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" opens as "+tc.typ, func(t *testing.T) {
			a, _, _, _ := newAuthority(t)
			c := issue(t, a, tc.s)
			a.keys = nil
			k, err := a.Lookup(context.Background(), c.AccessKeyID, c.SessionToken)
			if err != nil {
				t.Fatal(err)
			}
			p := k.Principal.(Principal)
			want := Principal{Type: tc.typ, AccountID: "111122223333", ARN: tc.arn, UserID: tc.userID, AccessKeyID: c.AccessKeyID, Session: tc.s}
			if diff := cmp.Diff(want, p); diff != "" {
				t.Errorf("principal (-want +got):\n%s", diff)
			}
			if acct, _ := AccountOfKeyID(c.AccessKeyID); acct != "111122223333" {
				t.Errorf("the key id %s carries account %s", c.AccessKeyID, acct)
			}
		})
	}
}

func TestIssueSessionRefusesHalfAUser(t *testing.T) {
	a, _, _, _ := newAuthority(t)
	for name, s := range map[string]iam.Session{
		"a user session with a name but no id":    {Kind: iam.KindUserSession, AccountID: "111122223333", UserName: "alice", Expires: start.Add(time.Hour)},
		"a federated user without a name":         {Kind: iam.KindFederatedUser, AccountID: "111122223333", Expires: start.Add(time.Hour)},
		"a federated user with an id but no name": {Kind: iam.KindFederatedUser, AccountID: "111122223333", SessionName: "bob", IAMUserID: "AIDA", Expires: start.Add(time.Hour)},
	} {
		t.Run(name+" is refused", func(t *testing.T) {
			if _, err := a.IssueSession(s); err == nil {
				t.Error("issued")
			}
		})
	}
}
