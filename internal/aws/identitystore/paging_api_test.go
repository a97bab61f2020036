package identitystore_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"
)

// A NextToken continues the list it came from: sent with other list
// parameters (another group's memberships, another user's, a ListUsers
// filter it was not issued for) it is a ValidationException, as in AWS,
// not a page of the other list that silently starts part-way through.
func TestANextTokenContinuesOnlyTheListItCameFrom(t *testing.T) {
	s := newServer(t)
	other, err := s.admin.CreateGroup(s.ctx, &sdk.CreateGroupInput{IdentityStoreId: s.storeID, DisplayName: aws.String("Others")})
	must(t, err)
	var users []string
	for _, name := range []string{"bob", "carol", "dave"} {
		u, err := s.admin.CreateUser(s.ctx, &sdk.CreateUserInput{IdentityStoreId: s.storeID, UserName: aws.String(name),
			DisplayName: aws.String(name), Name: &types.Name{GivenName: aws.String(name), FamilyName: aws.String("Example")}})
		must(t, err)
		users = append(users, *u.UserId)
		for _, g := range []*string{&s.group, other.GroupId} {
			_, err = s.admin.CreateGroupMembership(s.ctx, &sdk.CreateGroupMembershipInput{IdentityStoreId: s.storeID,
				GroupId: g, MemberId: &types.MemberIdMemberUserId{Value: *u.UserId}})
			must(t, err)
		}
	}
	one := aws.Int32(1)

	groupPage, err := s.admin.ListGroupMemberships(s.ctx, &sdk.ListGroupMembershipsInput{IdentityStoreId: s.storeID, GroupId: &s.group, MaxResults: one})
	must(t, err)
	_, err = s.admin.ListGroupMemberships(s.ctx, &sdk.ListGroupMembershipsInput{IdentityStoreId: s.storeID, GroupId: other.GroupId, NextToken: groupPage.NextToken})
	refused(t, err, "ValidationException", "NextToken")
	next, err := s.admin.ListGroupMemberships(s.ctx, &sdk.ListGroupMembershipsInput{IdentityStoreId: s.storeID, GroupId: &s.group, NextToken: groupPage.NextToken})
	must(t, err)
	if got := len(next.GroupMemberships); got != 2 {
		t.Errorf("the rest of the group's memberships: %d, want 2", got)
	}

	memberPage, err := s.admin.ListGroupMembershipsForMember(s.ctx, &sdk.ListGroupMembershipsForMemberInput{IdentityStoreId: s.storeID,
		MemberId: &types.MemberIdMemberUserId{Value: users[0]}, MaxResults: one})
	must(t, err)
	_, err = s.admin.ListGroupMembershipsForMember(s.ctx, &sdk.ListGroupMembershipsForMemberInput{IdentityStoreId: s.storeID,
		MemberId: &types.MemberIdMemberUserId{Value: users[1]}, NextToken: memberPage.NextToken})
	refused(t, err, "ValidationException", "NextToken")

	usersPage, err := s.admin.ListUsers(s.ctx, &sdk.ListUsersInput{IdentityStoreId: s.storeID, MaxResults: one})
	must(t, err)
	_, err = s.admin.ListUsers(s.ctx, &sdk.ListUsersInput{IdentityStoreId: s.storeID, NextToken: usersPage.NextToken,
		Filters: []types.Filter{{AttributePath: aws.String("UserName"), AttributeValue: aws.String("dave")}}})
	refused(t, err, "ValidationException", "NextToken")

	groupsPage, err := s.admin.ListGroups(s.ctx, &sdk.ListGroupsInput{IdentityStoreId: s.storeID, MaxResults: one})
	must(t, err)
	_, err = s.admin.ListGroups(s.ctx, &sdk.ListGroupsInput{IdentityStoreId: s.storeID, NextToken: groupsPage.NextToken,
		Filters: []types.Filter{{AttributePath: aws.String("DisplayName"), AttributeValue: aws.String("Others")}}})
	refused(t, err, "ValidationException", "NextToken")
}

// A list filter's value is bounded as the service model bounds it: 1 to
// 1024 characters of letters, marks, symbols, numbers, punctuation and
// spaces. Outside that AWS answers a ValidationException, not an empty
// list that reads as "no such user".
func TestAFilterValueIsCheckedAsTheModelBoundsIt(t *testing.T) {
	s := newServer(t)
	list := func(value string) error {
		_, err := s.admin.ListUsers(s.ctx, &sdk.ListUsersInput{IdentityStoreId: s.storeID,
			Filters: []types.Filter{{AttributePath: aws.String("UserName"), AttributeValue: aws.String(value)}}})
		return err
	}
	must(t, list(strings.Repeat("é", 1024)))
	must(t, list("Ådne Ørsted-Lie, ⌘ 3rd"))
	refused(t, list(strings.Repeat("é", 1025)), "ValidationException", "attributeValue")
	refused(t, list("alice\x00"), "ValidationException", "attributeValue")
	_, err := s.admin.ListGroups(s.ctx, &sdk.ListGroupsInput{IdentityStoreId: s.storeID,
		Filters: []types.Filter{{AttributePath: aws.String("DisplayName"), AttributeValue: aws.String(strings.Repeat("g", 1025))}}})
	refused(t, err, "ValidationException", "attributeValue")
}
