package identitystore_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// The identity store belongs to the organization instance: like SSO Admin,
// only the management account and Identity Center's delegated
// administrator administer it. A member account's administrator (whose
// own policies allow identitystore:*) must not be able to put a user in a
// group that is assigned access elsewhere.
func TestAMemberAccountThatIsNotTheDelegatedAdministratorCannotUseTheIdentityStore(t *testing.T) {
	s := newServer(t)
	member := s.sessionClient(t, s.account)
	_, err := member.CreateGroupMembership(s.ctx, &sdk.CreateGroupMembershipInput{IdentityStoreId: s.storeID,
		GroupId: &s.group, MemberId: &types.MemberIdMemberUserId{Value: s.user}})
	refused(t, err, "AccessDeniedException", "neither the management account nor the delegated administrator")
	ms, err := s.admin.ListGroupMemberships(s.ctx, &sdk.ListGroupMembershipsInput{IdentityStoreId: s.storeID, GroupId: &s.group})
	must(t, err)
	if len(ms.GroupMemberships) != 0 {
		t.Errorf("the refused call added memberships %+v", ms.GroupMemberships)
	}
	t.Run("nor read it", func(t *testing.T) {
		_, err := member.ListUsers(s.ctx, &sdk.ListUsersInput{IdentityStoreId: s.storeID})
		refused(t, err, "AccessDeniedException", "neither the management account nor the delegated administrator")
	})
	t.Run("nor create a user in it", func(t *testing.T) {
		_, err := member.CreateUser(s.ctx, &sdk.CreateUserInput{IdentityStoreId: s.storeID, UserName: aws.String("mallory"),
			DisplayName: aws.String("Mallory"), Name: &types.Name{GivenName: aws.String("M"), FamilyName: aws.String("X")}})
		refused(t, err, "AccessDeniedException", "neither the management account nor the delegated administrator")
		if _, err := s.db.UserByName(s.ctx, "mallory"); err == nil {
			t.Error("the refused call created the user")
		}
	})
}

func TestTheManagementAccountAndTheDelegatedAdministratorAdministerTheIdentityStore(t *testing.T) {
	s := newServer(t)
	_, err := s.admin.CreateGroupMembership(s.ctx, &sdk.CreateGroupMembershipInput{IdentityStoreId: s.storeID,
		GroupId: &s.group, MemberId: &types.MemberIdMemberUserId{Value: s.user}})
	must(t, err)
	must(t, s.db.RegisterDelegatedAdmin(s.ctx, ic.DelegatedAdmin{AccountID: s.account, ServicePrincipal: "sso.amazonaws.com",
		EnabledAt: time.Now().UTC()}, 1))
	member := s.sessionClient(t, s.account)
	out, err := member.ListGroupMemberships(s.ctx, &sdk.ListGroupMembershipsInput{IdentityStoreId: s.storeID, GroupId: &s.group})
	must(t, err)
	if len(out.GroupMemberships) != 1 {
		t.Errorf("the delegated administrator sees memberships %+v, want alice's", out.GroupMemberships)
	}
}
