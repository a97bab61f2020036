package portal

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

func TestARoleSessionIsDescribedFromTheIdentityCenterRole(t *testing.T) {
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	e := ic.Entitlement{
		PermissionSet: ic.PermissionSet{Name: "DevOps", SessionDuration: "PT4H"},
		Role: ic.Role{AccountID: "111122223333", Name: "AWSReservedSSO_DevOps_0123456789abcdef",
			ID: "AROAABCDEFGHIJKLMNOPQ", Path: ic.RolePath},
	}
	got := roleSession(e, "alice", now)
	want := iam.Session{Kind: iam.KindAssumedRole, AccountID: "111122223333", RoleID: "AROAABCDEFGHIJKLMNOPQ",
		RoleName: "AWSReservedSSO_DevOps_0123456789abcdef", RolePath: ic.RolePath, SessionName: "alice", Expires: now.Add(4 * time.Hour)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("session (-want +got):\n%s", diff)
	}
	if got.ARN() != "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_DevOps_0123456789abcdef/alice" || got.RoleARN() != e.Role.ARN() {
		t.Errorf("ARN %s, role ARN %s (the role's own is %s)", got.ARN(), got.RoleARN(), e.Role.ARN())
	}
}
