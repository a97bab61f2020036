package e2e

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
)

// TestIdentityStoreLifecycleThroughTheSDK runs every Identity Store
// operation's success path with the typed aws-sdk-go-v2 client, so every
// output is proven to deserialize in a real client.
func TestIdentityStoreLifecycleThroughTheSDK(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	ctx := context.Background()
	ids := identitystore.NewFromConfig(s.adminConfig())
	store := &st.IdentityStoreID

	bob := createUser(t, ids, st, "bob")
	createUser(t, ids, st, "carol")
	u, err := ids.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: store, UserId: &bob})
	must(t, err)
	if aws.ToString(u.UserName) != "bob" || aws.ToString(u.Name.GivenName) != "Bob" || aws.ToString(u.Emails[0].Value) != "bob@example.com" {
		t.Errorf("DescribeUser = %+v", u)
	}

	var names []string
	pages := identitystore.NewListUsersPaginator(ids, &identitystore.ListUsersInput{IdentityStoreId: store, MaxResults: aws.Int32(1)})
	for pages.HasMorePages() {
		p, err := pages.NextPage(ctx)
		must(t, err)
		for _, u := range p.Users {
			names = append(names, aws.ToString(u.UserName))
		}
	}
	if len(names) != 3 {
		t.Errorf("paging ListUsers one at a time found %v, want alice, bob and carol", names)
	}
	filtered, err := ids.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: store,
		Filters: []idtypes.Filter{{AttributePath: aws.String("UserName"), AttributeValue: aws.String("BOB")}}})
	must(t, err)
	if len(filtered.Users) != 1 || aws.ToString(filtered.Users[0].UserId) != bob {
		t.Errorf("ListUsers filtered on BOB = %d users", len(filtered.Users))
	}

	_, err = ids.UpdateUser(ctx, &identitystore.UpdateUserInput{IdentityStoreId: store, UserId: &bob, Operations: []idtypes.AttributeOperation{
		{AttributePath: aws.String("displayName"), AttributeValue: document.NewLazyDocument("Robert Example")},
		{AttributePath: aws.String("name.givenName"), AttributeValue: document.NewLazyDocument("Robert")},
	}})
	must(t, err)
	u, err = ids.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: store, UserId: &bob})
	must(t, err)
	if aws.ToString(u.DisplayName) != "Robert Example" || aws.ToString(u.Name.GivenName) != "Robert" || aws.ToString(u.Name.FamilyName) != "Example" {
		t.Errorf("after UpdateUser: %q, %+v", aws.ToString(u.DisplayName), u.Name)
	}
	for _, alt := range []idtypes.AlternateIdentifier{
		&idtypes.AlternateIdentifierMemberUniqueAttribute{Value: idtypes.UniqueAttribute{AttributePath: aws.String("userName"), AttributeValue: document.NewLazyDocument("bob")}},
		&idtypes.AlternateIdentifierMemberUniqueAttribute{Value: idtypes.UniqueAttribute{AttributePath: aws.String("emails.value"), AttributeValue: document.NewLazyDocument("bob@example.com")}},
	} {
		got, err := ids.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: store, AlternateIdentifier: alt})
		must(t, err)
		if aws.ToString(got.UserId) != bob {
			t.Errorf("GetUserId = %s, want %s", aws.ToString(got.UserId), bob)
		}
	}

	ops := groupLifecycle(t, ids, st)
	membershipLifecycle(t, ids, st, bob, ops)

	_, err = ids.DeleteUser(ctx, &identitystore.DeleteUserInput{IdentityStoreId: store, UserId: &bob})
	must(t, err)
	_, err = ids.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: store, UserId: &bob})
	var nf *idtypes.ResourceNotFoundException
	if !errors.As(err, &nf) || nf.ResourceType != idtypes.ResourceTypeUser {
		t.Errorf("DescribeUser after DeleteUser: %v, want ResourceNotFoundException for USER", err)
	}
}

func createUser(t *testing.T, ids *identitystore.Client, st story, name string) string {
	t.Helper()
	title := string(name[0]-32) + name[1:]
	out, err := ids.CreateUser(context.Background(), &identitystore.CreateUserInput{IdentityStoreId: &st.IdentityStoreID,
		UserName: aws.String(name), DisplayName: aws.String(title + " Example"),
		Name:   &idtypes.Name{GivenName: aws.String(title), FamilyName: aws.String("Example")},
		Emails: []idtypes.Email{{Value: aws.String(name + "@example.com"), Primary: true}}})
	must(t, err)
	return aws.ToString(out.UserId)
}

// groupLifecycle creates, reads, finds and updates a group "Ops".
func groupLifecycle(t *testing.T, ids *identitystore.Client, st story) string {
	t.Helper()
	ctx, store := context.Background(), &st.IdentityStoreID
	g, err := ids.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: store, DisplayName: aws.String("Ops"), Description: aws.String("on call")})
	must(t, err)
	id := aws.ToString(g.GroupId)
	_, err = ids.UpdateGroup(ctx, &identitystore.UpdateGroupInput{IdentityStoreId: store, GroupId: &id, Operations: []idtypes.AttributeOperation{
		{AttributePath: aws.String("description"), AttributeValue: document.NewLazyDocument("operations")}}})
	must(t, err)
	d, err := ids.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: store, GroupId: &id})
	must(t, err)
	if aws.ToString(d.DisplayName) != "Ops" || aws.ToString(d.Description) != "operations" {
		t.Errorf("DescribeGroup = %q / %q", aws.ToString(d.DisplayName), aws.ToString(d.Description))
	}
	found, err := ids.GetGroupId(ctx, &identitystore.GetGroupIdInput{IdentityStoreId: store, AlternateIdentifier: &idtypes.AlternateIdentifierMemberUniqueAttribute{
		Value: idtypes.UniqueAttribute{AttributePath: aws.String("displayName"), AttributeValue: document.NewLazyDocument("ops")}}})
	must(t, err)
	listed, err := ids.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: store,
		Filters: []idtypes.Filter{{AttributePath: aws.String("DisplayName"), AttributeValue: aws.String("Ops")}}})
	must(t, err)
	if aws.ToString(found.GroupId) != id || len(listed.Groups) != 1 {
		t.Errorf("GetGroupId = %s, ListGroups filtered = %d groups", aws.ToString(found.GroupId), len(listed.Groups))
	}
	return id
}

// membershipLifecycle puts user in group and takes them out again.
func membershipLifecycle(t *testing.T, ids *identitystore.Client, st story, user, group string) {
	t.Helper()
	ctx, store := context.Background(), &st.IdentityStoreID
	member := &idtypes.MemberIdMemberUserId{Value: user}
	m, err := ids.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: store, GroupId: &group, MemberId: member})
	must(t, err)
	mid := aws.ToString(m.MembershipId)
	d, err := ids.DescribeGroupMembership(ctx, &identitystore.DescribeGroupMembershipInput{IdentityStoreId: store, MembershipId: &mid})
	must(t, err)
	got, err := ids.GetGroupMembershipId(ctx, &identitystore.GetGroupMembershipIdInput{IdentityStoreId: store, GroupId: &group, MemberId: member})
	must(t, err)
	if aws.ToString(d.GroupId) != group || aws.ToString(got.MembershipId) != mid {
		t.Errorf("DescribeGroupMembership group %s, GetGroupMembershipId %s", aws.ToString(d.GroupId), aws.ToString(got.MembershipId))
	}
	inGroup, err := ids.ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{IdentityStoreId: store, GroupId: &group})
	must(t, err)
	forUser, err := ids.ListGroupMembershipsForMember(ctx, &identitystore.ListGroupMembershipsForMemberInput{IdentityStoreId: store, MemberId: member})
	must(t, err)
	if len(inGroup.GroupMemberships) != 1 || len(forUser.GroupMemberships) != 1 {
		t.Errorf("memberships: %d in the group, %d for the user; want 1 and 1", len(inGroup.GroupMemberships), len(forUser.GroupMemberships))
	}
	check := func(want bool) {
		t.Helper()
		res, err := ids.IsMemberInGroups(ctx, &identitystore.IsMemberInGroupsInput{IdentityStoreId: store, MemberId: member, GroupIds: []string{group, st.GroupID}})
		must(t, err)
		if len(res.Results) != 2 || res.Results[0].MembershipExists != want || res.Results[1].MembershipExists {
			t.Errorf("IsMemberInGroups = %+v, want %v for Ops and false for Developers", res.Results, want)
		}
	}
	check(true)
	_, err = ids.DeleteGroupMembership(ctx, &identitystore.DeleteGroupMembershipInput{IdentityStoreId: store, MembershipId: &mid})
	must(t, err)
	check(false)
	_, err = ids.DeleteGroup(ctx, &identitystore.DeleteGroupInput{IdentityStoreId: store, GroupId: &group})
	must(t, err)
	_, err = ids.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: store, GroupId: &group})
	var nf *idtypes.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("DescribeGroup after DeleteGroup: %v, want ResourceNotFoundException", err)
	}
}
