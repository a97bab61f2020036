package iamapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestAGroupHoldsUsersAndPoliciesUntilTheyAreRemoved(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	g, err := a.admin.CreateGroup(a.ctx, &sdk.CreateGroupInput{GroupName: aws.String("admins")})
	must(t, err)
	if want := "arn:aws:iam::" + a.acct + ":group/admins"; *g.Group.Arn != want || (*g.Group.GroupId)[:4] != "AGPA" {
		t.Errorf("group = %s %s, want %s and an AGPA id", *g.Group.Arn, *g.Group.GroupId, want)
	}
	name, user := aws.String("admins"), aws.String("alice")
	_, err = a.admin.AddUserToGroup(a.ctx, &sdk.AddUserToGroupInput{GroupName: name, UserName: user})
	must(t, err)
	got, err := a.admin.GetGroup(a.ctx, &sdk.GetGroupInput{GroupName: name})
	must(t, err)
	if len(got.Users) != 1 || *got.Users[0].UserName != "alice" {
		t.Errorf("members = %+v, want alice", got.Users)
	}
	mine, err := a.admin.ListGroupsForUser(a.ctx, &sdk.ListGroupsForUserInput{UserName: user})
	must(t, err)
	if len(mine.Groups) != 1 || *mine.Groups[0].GroupName != "admins" {
		t.Errorf("alice's groups = %+v, want admins", mine.Groups)
	}
	_, err = a.admin.DeleteGroup(a.ctx, &sdk.DeleteGroupInput{GroupName: name})
	refusedAs[*types.DeleteConflictException](t, err, "Cannot delete entity, must remove users from group first.")
	_, err = a.admin.DeleteUser(a.ctx, &sdk.DeleteUserInput{UserName: user})
	refusedAs[*types.DeleteConflictException](t, err, "Cannot delete entity")
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	_, err = a.admin.PutGroupPolicy(a.ctx, &sdk.PutGroupPolicyInput{GroupName: name, PolicyName: aws.String("all"), PolicyDocument: &doc})
	must(t, err)
	names, err := a.admin.ListGroupPolicies(a.ctx, &sdk.ListGroupPoliciesInput{GroupName: name})
	must(t, err)
	if len(names.PolicyNames) != 1 || names.PolicyNames[0] != "all" {
		t.Errorf("group policies = %v, want [all]", names.PolicyNames)
	}
	arn := aws.String("arn:aws:iam::aws:policy/AdministratorAccess")
	_, err = a.admin.AttachGroupPolicy(a.ctx, &sdk.AttachGroupPolicyInput{GroupName: name, PolicyArn: arn})
	must(t, err)
	_, err = a.admin.RemoveUserFromGroup(a.ctx, &sdk.RemoveUserFromGroupInput{GroupName: name, UserName: user})
	must(t, err)
	_, err = a.admin.DeleteGroup(a.ctx, &sdk.DeleteGroupInput{GroupName: name})
	refusedAs[*types.DeleteConflictException](t, err, "must delete policies first")
	_, err = a.admin.DeleteGroupPolicy(a.ctx, &sdk.DeleteGroupPolicyInput{GroupName: name, PolicyName: aws.String("all")})
	must(t, err)
	_, err = a.admin.DetachGroupPolicy(a.ctx, &sdk.DetachGroupPolicyInput{GroupName: name, PolicyArn: arn})
	must(t, err)
	_, err = a.admin.UpdateGroup(a.ctx, &sdk.UpdateGroupInput{GroupName: name, NewGroupName: aws.String("ops"), NewPath: aws.String("/x/")})
	must(t, err)
	list, err := a.admin.ListGroups(a.ctx, &sdk.ListGroupsInput{PathPrefix: aws.String("/x/")})
	must(t, err)
	if len(list.Groups) != 1 || *list.Groups[0].GroupName != "ops" {
		t.Errorf("groups under /x/ = %+v, want ops", list.Groups)
	}
	_, err = a.admin.DeleteGroup(a.ctx, &sdk.DeleteGroupInput{GroupName: aws.String("ops")})
	must(t, err)
	_, err = a.admin.GetGroup(a.ctx, &sdk.GetGroupInput{GroupName: aws.String("ops")})
	refusedAs[*types.NoSuchEntityException](t, err, "The group with name ops cannot be found.")
}

func TestGroupRequestsThatAreRefused(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	_, err := a.admin.CreateGroup(a.ctx, &sdk.CreateGroupInput{GroupName: aws.String("admins")})
	must(t, err)
	runCases(t, []apiCase{
		{"a taken group name is refused", func() error {
			_, err := a.admin.CreateGroup(a.ctx, &sdk.CreateGroupInput{GroupName: aws.String("Admins")})
			return err
		}, func(t *testing.T, err error) {
			refusedAs[*types.EntityAlreadyExistsException](t, err, "Group with name Admins already exists.")
		}},
		{"adding an unknown user is not found", func() error {
			_, err := a.admin.AddUserToGroup(a.ctx, &sdk.AddUserToGroupInput{GroupName: aws.String("admins"), UserName: aws.String("zed")})
			return err
		}, func(t *testing.T, err error) {
			refusedAs[*types.NoSuchEntityException](t, err, "The user with name zed cannot be found.")
		}},
		{"removing a non-member succeeds, as in AWS", func() error {
			_, err := a.admin.RemoveUserFromGroup(a.ctx, &sdk.RemoveUserFromGroupInput{GroupName: aws.String("admins"), UserName: aws.String("alice")})
			return err
		}, func(t *testing.T, err error) { must(t, err) }},
		{"removing an unknown user is not found", func() error {
			_, err := a.admin.RemoveUserFromGroup(a.ctx, &sdk.RemoveUserFromGroupInput{GroupName: aws.String("admins"), UserName: aws.String("zed")})
			return err
		}, func(t *testing.T, err error) {
			refusedAs[*types.NoSuchEntityException](t, err, "The user with name zed cannot be found.")
		}},
		{"an unknown group policy is not found", func() error {
			_, err := a.admin.GetGroupPolicy(a.ctx, &sdk.GetGroupPolicyInput{GroupName: aws.String("admins"), PolicyName: aws.String("nope")})
			return err
		}, func(t *testing.T, err error) {
			refusedAs[*types.NoSuchEntityException](t, err, "The group policy with name nope cannot be found.")
		}},
	})
}

func TestUsersAndGroupsUsingACustomerManagedPolicyCountAndHoldIt(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	_, err := a.admin.CreateGroup(a.ctx, &sdk.CreateGroupInput{GroupName: aws.String("admins")})
	must(t, err)
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`
	p, err := a.admin.CreatePolicy(a.ctx, &sdk.CreatePolicyInput{PolicyName: aws.String("list"), PolicyDocument: &doc})
	must(t, err)
	arn := p.Policy.Arn
	_, err = a.admin.AttachUserPolicy(a.ctx, &sdk.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: arn})
	must(t, err)
	_, err = a.admin.AttachGroupPolicy(a.ctx, &sdk.AttachGroupPolicyInput{GroupName: aws.String("admins"), PolicyArn: arn})
	must(t, err)
	got, err := a.admin.GetPolicy(a.ctx, &sdk.GetPolicyInput{PolicyArn: arn})
	must(t, err)
	if aws.ToInt32(got.Policy.AttachmentCount) != 2 {
		t.Errorf("AttachmentCount = %d, want 2 (alice and admins)", aws.ToInt32(got.Policy.AttachmentCount))
	}
	entities, err := a.admin.ListEntitiesForPolicy(a.ctx, &sdk.ListEntitiesForPolicyInput{PolicyArn: arn})
	must(t, err)
	if len(entities.PolicyUsers) != 1 || *entities.PolicyUsers[0].UserName != "alice" ||
		len(entities.PolicyGroups) != 1 || *entities.PolicyGroups[0].GroupName != "admins" {
		t.Errorf("entities = users %+v, groups %+v", entities.PolicyUsers, entities.PolicyGroups)
	}
	_, err = a.admin.DeletePolicy(a.ctx, &sdk.DeletePolicyInput{PolicyArn: arn})
	refusedAs[*types.DeleteConflictException](t, err, "")
	_, err = a.admin.DetachUserPolicy(a.ctx, &sdk.DetachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: arn})
	must(t, err)
	_, err = a.admin.DetachGroupPolicy(a.ctx, &sdk.DetachGroupPolicyInput{GroupName: aws.String("admins"), PolicyArn: arn})
	must(t, err)
	_, err = a.admin.DeletePolicy(a.ctx, &sdk.DeletePolicyInput{PolicyArn: arn})
	must(t, err)
}

func TestAuthorizationDetailsDescribeUsersAndGroups(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	_, err := a.admin.CreateGroup(a.ctx, &sdk.CreateGroupInput{GroupName: aws.String("admins")})
	must(t, err)
	_, err = a.admin.AddUserToGroup(a.ctx, &sdk.AddUserToGroupInput{GroupName: aws.String("admins"), UserName: aws.String("alice")})
	must(t, err)
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	_, err = a.admin.PutUserPolicy(a.ctx, &sdk.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("s3"), PolicyDocument: &doc})
	must(t, err)
	arn := aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")
	_, err = a.admin.AttachGroupPolicy(a.ctx, &sdk.AttachGroupPolicyInput{GroupName: aws.String("admins"), PolicyArn: arn})
	must(t, err)
	out, err := a.admin.GetAccountAuthorizationDetails(a.ctx, &sdk.GetAccountAuthorizationDetailsInput{
		Filter: []types.EntityType{types.EntityTypeUser, types.EntityTypeGroup}})
	must(t, err)
	if len(out.UserDetailList) != 1 || len(out.GroupDetailList) != 1 || len(out.RoleDetailList) != 0 {
		t.Fatalf("details: %d users, %d groups, %d roles; want alice and admins only", len(out.UserDetailList), len(out.GroupDetailList), len(out.RoleDetailList))
	}
	u, g := out.UserDetailList[0], out.GroupDetailList[0]
	if *u.UserName != "alice" || len(u.GroupList) != 1 || u.GroupList[0] != "admins" || len(u.UserPolicyList) != 1 || *u.UserPolicyList[0].PolicyName != "s3" {
		t.Errorf("alice = %+v", u)
	}
	if *g.GroupName != "admins" || len(g.AttachedManagedPolicies) != 1 || *g.AttachedManagedPolicies[0].PolicyArn != *arn {
		t.Errorf("admins = %+v", g)
	}
}
