package e2e

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	satypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// story is the administrator story, set up through the real SDK
// clients signed with the bootstrap key.
type story struct {
	AccountID, UserID, GroupID, PermissionSetARN, InstanceARN, IdentityStoreID string
}

const (
	aliceName     = "alice"
	alicePassword = "Correct-Horse-Battery-9"
)

func (s *server) setUpStory() story {
	t := s.t
	t.Helper()
	ctx := context.Background()
	cfg := s.adminConfig()
	orgs, ids, admin := organizations.NewFromConfig(cfg), identitystore.NewFromConfig(cfg), ssoadmin.NewFromConfig(cfg)
	var st story

	acct, err := orgs.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("Dev"), Email: aws.String("dev@example.com")})
	must(t, err)
	status, err := orgs.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: acct.CreateAccountStatus.Id})
	must(t, err)
	if status.CreateAccountStatus.State != "SUCCEEDED" {
		t.Fatalf("create account state = %s", status.CreateAccountStatus.State)
	}
	st.AccountID = aws.ToString(status.CreateAccountStatus.AccountId)

	inst, err := admin.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
	must(t, err)
	st.InstanceARN, st.IdentityStoreID = aws.ToString(inst.Instances[0].InstanceArn), aws.ToString(inst.Instances[0].IdentityStoreId)

	u, err := ids.CreateUser(ctx, &identitystore.CreateUserInput{
		IdentityStoreId: &st.IdentityStoreID, UserName: aws.String(aliceName), DisplayName: aws.String("Alice Example"),
		Name:   &idtypes.Name{GivenName: aws.String("Alice"), FamilyName: aws.String("Example")},
		Emails: []idtypes.Email{{Value: aws.String("alice@example.com"), Type: aws.String("work"), Primary: true}},
	})
	must(t, err)
	st.UserID = aws.ToString(u.UserId)
	g, err := ids.CreateGroup(ctx, &identitystore.CreateGroupInput{IdentityStoreId: &st.IdentityStoreID, DisplayName: aws.String("Developers")})
	must(t, err)
	st.GroupID = aws.ToString(g.GroupId)
	_, err = ids.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &st.IdentityStoreID,
		GroupId: &st.GroupID, MemberId: &idtypes.MemberIdMemberUserId{Value: st.UserID}})
	must(t, err)

	ps, err := admin.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &st.InstanceARN,
		Name: aws.String("DevOps"), SessionDuration: aws.String("PT4H")})
	must(t, err)
	st.PermissionSetARN = aws.ToString(ps.PermissionSet.PermissionSetArn)
	_, err = admin.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: &st.InstanceARN,
		PermissionSetArn: &st.PermissionSetARN, ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
	must(t, err)

	created, err := admin.CreateAccountAssignment(ctx, st.assignment())
	must(t, err)
	polled, err := admin.DescribeAccountAssignmentCreationStatus(ctx, &ssoadmin.DescribeAccountAssignmentCreationStatusInput{
		InstanceArn: &st.InstanceARN, AccountAssignmentCreationRequestId: created.AccountAssignmentCreationStatus.RequestId})
	must(t, err)
	if polled.AccountAssignmentCreationStatus.Status != satypes.StatusValuesSucceeded {
		t.Fatalf("assignment status = %s", polled.AccountAssignmentCreationStatus.Status)
	}
	s.setPassword(aliceName, alicePassword)
	return st
}

func (st story) assignment() *ssoadmin.CreateAccountAssignmentInput {
	return &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &st.InstanceARN, TargetId: &st.AccountID,
		TargetType: satypes.TargetTypeAwsAccount, PermissionSetArn: &st.PermissionSetARN,
		PrincipalType: satypes.PrincipalTypeGroup, PrincipalId: &st.GroupID}
}

// unassign removes the group's assignment.
func (s *server) unassign(st story) {
	s.t.Helper()
	a := st.assignment()
	_, err := ssoadmin.NewFromConfig(s.adminConfig()).DeleteAccountAssignment(context.Background(), &ssoadmin.DeleteAccountAssignmentInput{
		InstanceArn: a.InstanceArn, TargetId: a.TargetId, TargetType: a.TargetType, PermissionSetArn: a.PermissionSetArn,
		PrincipalType: a.PrincipalType, PrincipalId: a.PrincipalId})
	must(s.t, err)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
