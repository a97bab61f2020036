package ssoadmin_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// A NextToken continues the list it came from: sent with other list
// parameters (another permission set's assignments, another principal's,
// another provisioning filter, the other kind of request status) it is a
// ValidationException, as in AWS, not a page of the other list that
// silently starts part-way through.
func TestANextTokenContinuesOnlyTheListItCameFrom(t *testing.T) {
	s := newServer(t)
	a, b := s.createPS(t, "SetA"), s.createPS(t, "SetB")
	for _, ps := range []*string{a, b} {
		for _, g := range []grant{s.userGrant(ps), s.groupGrant(ps)} {
			_, err := s.assign(g)
			must(t, err)
			_, err = s.unassign(g)
			must(t, err)
			_, err = s.assign(g)
			must(t, err)
		}
	}
	one := aws.Int32(1)
	bad := validation("NextToken")

	assignments, err := s.admin.ListAccountAssignments(s.ctx, &sdk.ListAccountAssignmentsInput{InstanceArn: s.inst,
		AccountId: &s.account, PermissionSetArn: a, MaxResults: one})
	must(t, err)
	_, err = s.admin.ListAccountAssignments(s.ctx, &sdk.ListAccountAssignmentsInput{InstanceArn: s.inst,
		AccountId: &s.account, PermissionSetArn: b, NextToken: assignments.NextToken})
	refused(t, err, bad)
	rest, err := s.admin.ListAccountAssignments(s.ctx, &sdk.ListAccountAssignmentsInput{InstanceArn: s.inst,
		AccountId: &s.account, PermissionSetArn: a, NextToken: assignments.NextToken})
	must(t, err)
	if len(rest.AccountAssignments) != 1 {
		t.Errorf("the rest of SetA's assignments: %d, want 1", len(rest.AccountAssignments))
	}

	mine, err := s.admin.ListAccountAssignmentsForPrincipal(s.ctx, &sdk.ListAccountAssignmentsForPrincipalInput{InstanceArn: s.inst,
		PrincipalType: types.PrincipalTypeGroup, PrincipalId: &s.group, MaxResults: one})
	must(t, err)
	_, err = s.admin.ListAccountAssignmentsForPrincipal(s.ctx, &sdk.ListAccountAssignmentsForPrincipalInput{InstanceArn: s.inst,
		PrincipalType: types.PrincipalTypeUser, PrincipalId: &s.user, NextToken: mine.NextToken})
	refused(t, err, bad)

	provisioned, err := s.admin.ListPermissionSetsProvisionedToAccount(s.ctx, &sdk.ListPermissionSetsProvisionedToAccountInput{
		InstanceArn: s.inst, AccountId: &s.account, MaxResults: one})
	must(t, err)
	_, err = s.admin.ListPermissionSetsProvisionedToAccount(s.ctx, &sdk.ListPermissionSetsProvisionedToAccountInput{
		InstanceArn: s.inst, AccountId: &s.account, ProvisioningStatus: types.ProvisioningStatusLatestPermissionSetProvisioned,
		NextToken: provisioned.NextToken})
	refused(t, err, bad)

	created, err := s.admin.ListAccountAssignmentCreationStatus(s.ctx, &sdk.ListAccountAssignmentCreationStatusInput{
		InstanceArn: s.inst, MaxResults: one})
	must(t, err)
	_, err = s.admin.ListAccountAssignmentDeletionStatus(s.ctx, &sdk.ListAccountAssignmentDeletionStatusInput{
		InstanceArn: s.inst, NextToken: created.NextToken})
	refused(t, err, bad)
}
