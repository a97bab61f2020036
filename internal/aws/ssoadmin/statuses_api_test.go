package ssoadmin_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

func TestRequestsAreListedByKindAndFilteredByStatus(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Ops")
	created, err := s.assign(s.userGrant(ps))
	must(t, err)
	deleted, err := s.admin.DeleteAccountAssignment(s.ctx, &sdk.DeleteAccountAssignmentInput{InstanceArn: s.inst, TargetId: &s.account,
		TargetType: types.TargetTypeAwsAccount, PermissionSetArn: ps, PrincipalType: types.PrincipalTypeUser, PrincipalId: &s.user})
	must(t, err)
	provisioned := s.provision(t, ps, "")
	bad := s.createPS(t, "Broken")
	must(t, s.attachRef(bad, ref("Missing", "")))
	failed, err := s.assign(s.userGrant(bad))
	must(t, err)

	ids := func(list []types.AccountAssignmentOperationStatusMetadata) []string {
		var out []string
		for _, m := range list {
			out = append(out, aws.ToString(m.RequestId)+" "+string(m.Status))
		}
		return out
	}
	creations, err := s.admin.ListAccountAssignmentCreationStatus(s.ctx, &sdk.ListAccountAssignmentCreationStatusInput{InstanceArn: s.inst})
	must(t, err)
	want := []string{*created.RequestId + " SUCCEEDED", *failed.RequestId + " FAILED"}
	if diff := cmp.Diff(want, ids(creations.AccountAssignmentsCreationStatus), cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("creation statuses (-want +got):\n%s", diff)
	}
	onlyFailed, err := s.admin.ListAccountAssignmentCreationStatus(s.ctx, &sdk.ListAccountAssignmentCreationStatusInput{InstanceArn: s.inst,
		Filter: &types.OperationStatusFilter{Status: types.StatusValuesFailed}})
	must(t, err)
	if diff := cmp.Diff(want[1:], ids(onlyFailed.AccountAssignmentsCreationStatus)); diff != "" {
		t.Errorf("failed creations (-want +got):\n%s", diff)
	}
	deletions, err := s.admin.ListAccountAssignmentDeletionStatus(s.ctx, &sdk.ListAccountAssignmentDeletionStatusInput{InstanceArn: s.inst})
	must(t, err)
	if diff := cmp.Diff([]string{*deleted.AccountAssignmentDeletionStatus.RequestId + " SUCCEEDED"}, ids(deletions.AccountAssignmentsDeletionStatus)); diff != "" {
		t.Errorf("deletion statuses (-want +got):\n%s", diff)
	}
	provisionings, err := s.admin.ListPermissionSetProvisioningStatus(s.ctx, &sdk.ListPermissionSetProvisioningStatusInput{InstanceArn: s.inst,
		Filter: &types.OperationStatusFilter{Status: types.StatusValuesSucceeded}})
	must(t, err)
	got := provisionings.PermissionSetsProvisioningStatus
	if len(got) != 1 || aws.ToString(got[0].RequestId) != *provisioned.RequestId || got[0].CreatedDate == nil {
		t.Errorf("provisioning statuses %+v, want the one request %s with its date", got, *provisioned.RequestId)
	}
}

func TestAUsersAssignmentsAreListedAcrossPermissionSetsWithItsGroups(t *testing.T) {
	s := newServer(t)
	a, b, c := s.createPS(t, "A"), s.createPS(t, "B"), s.createPS(t, "C")
	for _, g := range []grant{s.userGrant(a), s.userGrant(b), s.groupGrant(c)} {
		_, err := s.assign(g)
		must(t, err)
	}
	listAll := func() []types.AccountAssignmentForPrincipal {
		out, err := s.admin.ListAccountAssignmentsForPrincipal(s.ctx, &sdk.ListAccountAssignmentsForPrincipalInput{InstanceArn: s.inst,
			PrincipalType: types.PrincipalTypeUser, PrincipalId: &s.user})
		must(t, err)
		return out.AccountAssignments
	}
	if got := listAll(); len(got) != 2 {
		t.Errorf("before joining the group: %d assignments, want 2", len(got))
	}
	must(t, s.db.CreateMembership(s.ctx, ic.Membership{ID: ic.NewPrincipalID(clock.Random, s.boot.Instance.IdentityStoreID),
		GroupID: s.group, UserID: s.user, CreatedAt: time.Now().UTC(), CreatedBy: "test"}))
	list := func(filter *types.ListAccountAssignmentsFilter) []types.AccountAssignmentForPrincipal {
		out, err := s.admin.ListAccountAssignmentsForPrincipal(s.ctx, &sdk.ListAccountAssignmentsForPrincipalInput{InstanceArn: s.inst,
			PrincipalType: types.PrincipalTypeUser, PrincipalId: &s.user, Filter: filter})
		must(t, err)
		return out.AccountAssignments
	}
	want := []types.AccountAssignmentForPrincipal{
		{AccountId: &s.account, PermissionSetArn: a, PrincipalType: types.PrincipalTypeUser, PrincipalId: &s.user},
		{AccountId: &s.account, PermissionSetArn: b, PrincipalType: types.PrincipalTypeUser, PrincipalId: &s.user},
		{AccountId: &s.account, PermissionSetArn: c, PrincipalType: types.PrincipalTypeGroup, PrincipalId: &s.group},
	}
	opts := cmp.Options{cmpopts.IgnoreUnexported(types.AccountAssignmentForPrincipal{}),
		cmpopts.SortSlices(func(x, y types.AccountAssignmentForPrincipal) bool { return *x.PermissionSetArn < *y.PermissionSetArn })}
	if diff := cmp.Diff(want, list(nil), opts); diff != "" {
		t.Errorf("assignments (-want +got):\n%s", diff)
	}
	mgmt := s.boot.Organization.ManagementAccountID
	if got := list(&types.ListAccountAssignmentsFilter{AccountId: &mgmt}); len(got) != 0 {
		t.Errorf("on the management account: %v, want none", got)
	}
	t.Run("an unknown principal type is refused", func(t *testing.T) {
		_, err := s.admin.ListAccountAssignmentsForPrincipal(s.ctx, &sdk.ListAccountAssignmentsForPrincipalInput{InstanceArn: s.inst,
			PrincipalType: "ROBOT", PrincipalId: &s.user})
		refused(t, err, validation("PrincipalType must be USER or GROUP"))
	})
}
