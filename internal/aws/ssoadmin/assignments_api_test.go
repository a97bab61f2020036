package ssoadmin_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// grant names one account assignment.
type grant struct {
	account       string
	ps            *string
	principalType types.PrincipalType
	principalID   string
}

func (s *server) groupGrant(ps *string) grant {
	return grant{account: s.account, ps: ps, principalType: types.PrincipalTypeGroup, principalID: s.group}
}

func (s *server) userGrant(ps *string) grant {
	return grant{account: s.account, ps: ps, principalType: types.PrincipalTypeUser, principalID: s.user}
}

func (s *server) assign(g grant) (*types.AccountAssignmentOperationStatus, error) {
	return s.assignAs(s.admin, g)
}

func (s *server) assignAs(c *sdk.Client, g grant) (*types.AccountAssignmentOperationStatus, error) {
	out, err := c.CreateAccountAssignment(s.ctx, &sdk.CreateAccountAssignmentInput{InstanceArn: s.inst,
		TargetId: &g.account, TargetType: types.TargetTypeAwsAccount, PermissionSetArn: g.ps,
		PrincipalType: g.principalType, PrincipalId: &g.principalID})
	if err != nil {
		return nil, err
	}
	return out.AccountAssignmentCreationStatus, nil
}

func (s *server) unassign(g grant) (*types.AccountAssignmentOperationStatus, error) {
	return s.unassignAs(s.admin, g)
}

func (s *server) unassignAs(c *sdk.Client, g grant) (*types.AccountAssignmentOperationStatus, error) {
	out, err := c.DeleteAccountAssignment(s.ctx, &sdk.DeleteAccountAssignmentInput{InstanceArn: s.inst,
		TargetId: &g.account, TargetType: types.TargetTypeAwsAccount, PermissionSetArn: g.ps,
		PrincipalType: g.principalType, PrincipalId: &g.principalID})
	if err != nil {
		return nil, err
	}
	return out.AccountAssignmentDeletionStatus, nil
}

func (s *server) creationStatus(t *testing.T, id *string) *types.AccountAssignmentOperationStatus {
	t.Helper()
	out, err := s.admin.DescribeAccountAssignmentCreationStatus(s.ctx, &sdk.DescribeAccountAssignmentCreationStatusInput{
		InstanceArn: s.inst, AccountAssignmentCreationRequestId: id})
	must(t, err)
	return out.AccountAssignmentCreationStatus
}

func (s *server) deletionStatus(t *testing.T, id *string) *types.AccountAssignmentOperationStatus {
	t.Helper()
	out, err := s.admin.DescribeAccountAssignmentDeletionStatus(s.ctx, &sdk.DescribeAccountAssignmentDeletionStatusInput{
		InstanceArn: s.inst, AccountAssignmentDeletionRequestId: id})
	must(t, err)
	return out.AccountAssignmentDeletionStatus
}

// assignments lists the assignments of ps on the member account.
func (s *server) assignments(t *testing.T, ps *string) []types.AccountAssignment {
	t.Helper()
	out, err := s.admin.ListAccountAssignments(s.ctx, &sdk.ListAccountAssignmentsInput{InstanceArn: s.inst, AccountId: &s.account, PermissionSetArn: ps})
	must(t, err)
	return out.AccountAssignments
}

// accountsOf lists the accounts ps is provisioned to.
func (s *server) accountsOf(t *testing.T, ps *string) []string {
	t.Helper()
	out, err := s.admin.ListAccountsForProvisionedPermissionSet(s.ctx, &sdk.ListAccountsForProvisionedPermissionSetInput{InstanceArn: s.inst, PermissionSetArn: ps})
	must(t, err)
	return out.AccountIds
}

// succeeded is the status a request for g reports: SUCCEEDED at once.
func succeeded(g grant) types.AccountAssignmentOperationStatus {
	return types.AccountAssignmentOperationStatus{Status: types.StatusValuesSucceeded, TargetId: &g.account,
		TargetType: types.TargetTypeAwsAccount, PermissionSetArn: g.ps, PrincipalType: g.principalType, PrincipalId: &g.principalID}
}

func checkStatus(t *testing.T, what string, want, got types.AccountAssignmentOperationStatus) {
	t.Helper()
	opts := cmp.Options{cmpopts.IgnoreUnexported(types.AccountAssignmentOperationStatus{}),
		cmpopts.IgnoreFields(types.AccountAssignmentOperationStatus{}, "RequestId", "CreatedDate")}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
	if !ic.ValidUUID(aws.ToString(got.RequestId)) || got.CreatedDate == nil {
		t.Errorf("%s: RequestId %q is not a UUID, or CreatedDate %v is missing", what, aws.ToString(got.RequestId), got.CreatedDate)
	}
}

// sameStatus fails t unless polling answered exactly what the call did.
func sameStatus(t *testing.T, answered, polled *types.AccountAssignmentOperationStatus) {
	t.Helper()
	if diff := cmp.Diff(answered, polled, cmpopts.IgnoreUnexported(types.AccountAssignmentOperationStatus{})); diff != "" {
		t.Errorf("the polled status differs from the call's answer (-answered +polled):\n%s", diff)
	}
}

func TestAccountAssignmentsAreCreatedAtOnceAndTheirStatusSaysSo(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "DevOps")
	for _, g := range []grant{s.userGrant(ps), s.groupGrant(ps)} {
		t.Run("assigning a "+string(g.principalType)+" succeeds at once", func(t *testing.T) {
			created, err := s.assign(g)
			must(t, err)
			checkStatus(t, "CreateAccountAssignment", succeeded(g), *created)
			sameStatus(t, created, s.creationStatus(t, created.RequestId))
		})
	}
	t.Run("both are listed, and the permission set is provisioned to the account", func(t *testing.T) {
		want := []types.AccountAssignment{
			{AccountId: &s.account, PermissionSetArn: ps, PrincipalType: types.PrincipalTypeGroup, PrincipalId: &s.group},
			{AccountId: &s.account, PermissionSetArn: ps, PrincipalType: types.PrincipalTypeUser, PrincipalId: &s.user},
		}
		if diff := cmp.Diff(want, s.assignments(t, ps), cmpopts.IgnoreUnexported(types.AccountAssignment{})); diff != "" {
			t.Errorf("ListAccountAssignments (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{s.account}, s.accountsOf(t, ps)); diff != "" {
			t.Errorf("ListAccountsForProvisionedPermissionSet (-want +got):\n%s", diff)
		}
	})
	t.Run("assigning the same group again succeeds and keeps one assignment", func(t *testing.T) {
		again, err := s.assign(s.groupGrant(ps))
		must(t, err)
		checkStatus(t, "CreateAccountAssignment again", succeeded(s.groupGrant(ps)), *again)
		if got := len(s.assignments(t, ps)); got != 2 {
			t.Errorf("%d assignments after assigning the group twice, want 2", got)
		}
	})
}

func TestDeletingAnAccountAssignmentRemovesTheRoleWithTheLastOne(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "DevOps")
	for _, g := range []grant{s.userGrant(ps), s.groupGrant(ps)} {
		_, err := s.assign(g)
		must(t, err)
	}
	for _, tc := range []struct {
		name     string
		g        grant
		accounts []string
	}{
		{name: "unassigning the user keeps the role the group still uses", g: s.userGrant(ps), accounts: []string{s.account}},
		{name: "unassigning the group, the last one, removes the role", g: s.groupGrant(ps), accounts: []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			deleted, err := s.unassign(tc.g)
			must(t, err)
			checkStatus(t, "DeleteAccountAssignment", succeeded(tc.g), *deleted)
			sameStatus(t, deleted, s.deletionStatus(t, deleted.RequestId))
			for _, a := range s.assignments(t, ps) {
				if a.PrincipalType == tc.g.principalType {
					t.Errorf("ListAccountAssignments still lists %s %s", a.PrincipalType, aws.ToString(a.PrincipalId))
				}
			}
			if diff := cmp.Diff(tc.accounts, s.accountsOf(t, ps), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ListAccountsForProvisionedPermissionSet (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCreateAccountAssignmentRefusesAndChangesNothing(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "DevOps")
	missingPS := aws.String("arn:aws:sso:::permissionSet/" + s.boot.Instance.ID + "/ps-0000000000000000")
	with := func(change func(*grant)) grant { g := s.groupGrant(ps); change(&g); return g }
	for _, tc := range []struct {
		name string
		g    grant
		want refusal
	}{
		{name: "a group that does not exist is a ResourceNotFoundException",
			g: with(func(g *grant) { g.principalID = ic.NewPrincipalID(clock.Random, s.boot.Instance.IdentityStoreID) }), want: notFound("GROUP not found")},
		{name: "a user's id sent as a GROUP is a ResourceNotFoundException",
			g: with(func(g *grant) { g.principalID = s.user }), want: notFound("GROUP not found")},
		{name: "a group's id sent as a USER is a ResourceNotFoundException",
			g: with(func(g *grant) { g.principalType = types.PrincipalTypeUser }), want: notFound("USER not found")},
		{name: "an account outside the organization is a ResourceNotFoundException naming it",
			g: with(func(g *grant) { g.account = "999999999999" }), want: notFound("ACCOUNT 999999999999 not found")},
		{name: "a permission set that does not exist is a ResourceNotFoundException",
			g: with(func(g *grant) { g.ps = missingPS }), want: notFound("PERMISSION_SET not found")},
		{name: "an account id that is not 12 digits is a ValidationException",
			g: with(func(g *grant) { g.account = "12345678901" }), want: validation("must be a 12-digit account id")},
		{name: "a principal type other than USER or GROUP is a ValidationException",
			g: with(func(g *grant) { g.principalType = "ROLE" }), want: validation("PrincipalType must be USER or GROUP")},
		{name: "a principal id that is not an identity store id is a ValidationException",
			g: with(func(g *grant) { g.principalID = "alice" }), want: validation(`PrincipalId "alice" is not a valid identity store id`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.state(t)
			_, err := s.assign(tc.g)
			refused(t, err, tc.want)
			s.unchanged(t, before)
		})
	}
}

func TestDeleteAccountAssignmentOfNothingIsNotFoundAndChangesNothing(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "DevOps")
	_, err := s.assign(s.groupGrant(ps))
	must(t, err)
	before := s.state(t)
	_, err = s.unassign(s.userGrant(ps))
	refused(t, err, notFound("ACCOUNT_ASSIGNMENT not found"))
	s.unchanged(t, before)
}

func TestAssignmentStatusRequestsAreFoundOnlyByTheirOwnKind(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "DevOps")
	created, err := s.assign(s.groupGrant(ps))
	must(t, err)
	deleted, err := s.unassign(s.groupGrant(ps))
	must(t, err)
	provisioned := s.provision(t, ps, s.account)
	creation := func(id string) error {
		_, err := s.admin.DescribeAccountAssignmentCreationStatus(s.ctx, &sdk.DescribeAccountAssignmentCreationStatusInput{
			InstanceArn: s.inst, AccountAssignmentCreationRequestId: &id})
		return err
	}
	deletion := func(id string) error {
		_, err := s.admin.DescribeAccountAssignmentDeletionStatus(s.ctx, &sdk.DescribeAccountAssignmentDeletionStatusInput{
			InstanceArn: s.inst, AccountAssignmentDeletionRequestId: &id})
		return err
	}
	const unknown = "11111111-2222-4333-8444-555555555555"
	for _, tc := range []struct {
		name     string
		describe func(string) error
		id       string
		want     refusal
	}{
		{name: "a deletion request asked for as a creation is a ResourceNotFoundException", describe: creation,
			id: *deleted.RequestId, want: notFound("Request " + *deleted.RequestId + " does not exist")},
		{name: "a creation request asked for as a deletion is a ResourceNotFoundException", describe: deletion,
			id: *created.RequestId, want: notFound("Request " + *created.RequestId + " does not exist")},
		{name: "a provisioning request asked for as a creation is a ResourceNotFoundException", describe: creation,
			id: *provisioned.RequestId, want: notFound("does not exist")},
		{name: "a request id never issued is a ResourceNotFoundException", describe: deletion,
			id: unknown, want: notFound("Request " + unknown + " does not exist")},
		{name: "a request id that is not a UUID is a ValidationException", describe: creation,
			id: "req-1", want: validation("is not a valid request id")},
	} {
		t.Run(tc.name, func(t *testing.T) { refused(t, tc.describe(tc.id), tc.want) })
	}
}
