package ssoadmin_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// provision provisions ps to account (every account it has a role in when
// account is empty) and returns the status, checked against its poll.
func (s *server) provision(t *testing.T, ps *string, account string) *types.PermissionSetProvisioningStatus {
	t.Helper()
	in := &sdk.ProvisionPermissionSetInput{InstanceArn: s.inst, PermissionSetArn: ps, TargetType: types.ProvisionTargetTypeAwsAccount, TargetId: &account}
	if account == "" {
		in.TargetType, in.TargetId = types.ProvisionTargetTypeAllProvisionedAccounts, nil
	}
	out, err := s.admin.ProvisionPermissionSet(s.ctx, in)
	must(t, err)
	got := out.PermissionSetProvisioningStatus
	want := types.PermissionSetProvisioningStatus{Status: types.StatusValuesSucceeded, PermissionSetArn: ps}
	if account != "" {
		want.AccountId = &account
	}
	opts := cmp.Options{cmpopts.IgnoreUnexported(types.PermissionSetProvisioningStatus{}),
		cmpopts.IgnoreFields(types.PermissionSetProvisioningStatus{}, "RequestId", "CreatedDate")}
	if diff := cmp.Diff(want, *got, opts); diff != "" {
		t.Errorf("ProvisionPermissionSet (-want +got):\n%s", diff)
	}
	polled, err := s.admin.DescribePermissionSetProvisioningStatus(s.ctx, &sdk.DescribePermissionSetProvisioningStatusInput{
		InstanceArn: s.inst, ProvisionPermissionSetRequestId: got.RequestId})
	must(t, err)
	if diff := cmp.Diff(got, polled.PermissionSetProvisioningStatus, opts[0]); diff != "" {
		t.Errorf("DescribePermissionSetProvisioningStatus differs from the call's answer (-answered +polled):\n%s", diff)
	}
	return got
}

// provisionedTo lists the permission sets provisioned to account with status.
func (s *server) provisionedTo(t *testing.T, account string, status types.ProvisioningStatus) []string {
	t.Helper()
	out, err := s.admin.ListPermissionSetsProvisionedToAccount(s.ctx, &sdk.ListPermissionSetsProvisionedToAccountInput{
		InstanceArn: s.inst, AccountId: &account, ProvisioningStatus: status})
	must(t, err)
	return out.PermissionSets
}

const (
	outdated = types.ProvisioningStatusLatestPermissionSetNotProvisioned
	current  = types.ProvisioningStatusLatestPermissionSetProvisioned
)

// checkOutdated fails t unless ps is listed as outdated (and not as
// current) on account exactly when want is true.
func (s *server) checkOutdated(t *testing.T, ps *string, account string, want bool) {
	t.Helper()
	isOutdated := slices.Contains(s.provisionedTo(t, account, outdated), *ps)
	isCurrent := slices.Contains(s.provisionedTo(t, account, current), *ps)
	if isOutdated != want || isCurrent == want {
		t.Errorf("listed as LATEST_PERMISSION_SET_NOT_PROVISIONED: %v, as LATEST_PERMISSION_SET_PROVISIONED: %v; want outdated %v",
			isOutdated, isCurrent, want)
	}
}

// update sends UpdatePermissionSet for ps with the fields set in in.
func (s *server) update(t *testing.T, ps *string, in sdk.UpdatePermissionSetInput) {
	t.Helper()
	in.InstanceArn, in.PermissionSetArn = s.inst, ps
	_, err := s.admin.UpdatePermissionSet(s.ctx, &in)
	must(t, err)
}

// change is something done to a permission set.
type change func(t *testing.T, s *server, ps *string)

func updating(in sdk.UpdatePermissionSetInput) change {
	return func(t *testing.T, s *server, ps *string) { s.update(t, ps, in) }
}

func attaching(arn string) change {
	return func(t *testing.T, s *server, ps *string) { must(t, s.attach(ps, arn)) }
}

func detaching(arn string) change {
	return func(t *testing.T, s *server, ps *string) { must(t, s.detach(ps, arn)) }
}

func putting(policy string) change {
	return func(t *testing.T, s *server, ps *string) { must(t, s.putInline(ps, policy)) }
}

func deletingInline(t *testing.T, s *server, ps *string) { s.deleteInline(t, ps) }

func TestWhichChangesLeaveTheRoleNotProvisionedUntilProvisionPermissionSet(t *testing.T) {
	s := newServer(t)
	for i, tc := range []struct {
		name     string
		before   change // before the assignment provisions the role
		change   change
		outdated bool
	}{
		{name: "attaching a managed policy", change: attaching(readOnlyARN), outdated: true},
		{name: "detaching a managed policy", before: attaching(readOnlyARN), change: detaching(readOnlyARN), outdated: true},
		{name: "putting an inline policy", change: putting(denyIAM), outdated: true},
		{name: "deleting the inline policy", before: putting(denyIAM), change: deletingInline, outdated: true},
		{name: "deleting an inline policy that is not there", change: deletingInline},
		{name: "changing the session duration", change: updating(sdk.UpdatePermissionSetInput{SessionDuration: aws.String("PT2H")}), outdated: true},
		{name: "sending the same session duration", change: updating(sdk.UpdatePermissionSetInput{SessionDuration: aws.String("PT1H")})},
		{name: "changing the description", change: updating(sdk.UpdatePermissionSetInput{Description: aws.String("new")})},
		{name: "changing the relay state", change: updating(sdk.UpdatePermissionSetInput{RelayState: aws.String("https://example.com/")})},
	} {
		verb := map[bool]string{true: "leaves the role not provisioned", false: "leaves the role provisioned"}[tc.outdated]
		t.Run(tc.name+" "+verb, func(t *testing.T) {
			ps := s.createPS(t, fmt.Sprintf("Set%d", i))
			if tc.before != nil {
				tc.before(t, s, ps)
			}
			_, err := s.assign(s.groupGrant(ps))
			must(t, err)
			s.checkOutdated(t, ps, s.account, false)
			tc.change(t, s, ps)
			s.checkOutdated(t, ps, s.account, tc.outdated)
			s.provision(t, ps, s.account)
			s.checkOutdated(t, ps, s.account, false)
		})
	}
}

func TestProvisioningToAllProvisionedAccountsBringsEveryRoleUpToDate(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "DevOps")
	mgmt := s.boot.Organization.ManagementAccountID
	_, err := s.assign(s.groupGrant(ps))
	must(t, err)
	s.provision(t, ps, mgmt) // a role where nothing is assigned
	want := []string{mgmt, s.account}
	slices.Sort(want)
	if diff := cmp.Diff(want, s.accountsOf(t, ps)); diff != "" {
		t.Errorf("ListAccountsForProvisionedPermissionSet (-want +got):\n%s", diff)
	}
	must(t, s.attach(ps, readOnlyARN))
	s.checkOutdated(t, ps, mgmt, true)
	s.checkOutdated(t, ps, s.account, true)
	s.provision(t, ps, "")
	s.checkOutdated(t, ps, mgmt, false)
	s.checkOutdated(t, ps, s.account, false)
}

func TestProvisionPermissionSetRefusesAndChangesNothing(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "DevOps")
	_, err := s.assign(s.groupGrant(ps))
	must(t, err)
	must(t, s.attach(ps, readOnlyARN)) // so that a wrongly accepted call would change a role
	missing := aws.String("arn:aws:sso:::permissionSet/" + s.boot.Instance.ID + "/ps-0000000000000000")
	for _, tc := range []struct {
		name       string
		ps         *string
		targetType types.ProvisionTargetType
		targetID   *string
		want       refusal
	}{
		{name: "an unknown target type is a ValidationException", ps: ps, targetType: "EVERYWHERE",
			want: validation("TargetType must be AWS_ACCOUNT or ALL_PROVISIONED_ACCOUNTS")},
		{name: "all provisioned accounts with a target id is a ValidationException", ps: ps,
			targetType: types.ProvisionTargetTypeAllProvisionedAccounts, targetID: &s.account,
			want: validation("TargetId must be empty when TargetType is ALL_PROVISIONED_ACCOUNTS")},
		{name: "an account without its id is a ValidationException naming the field", ps: ps,
			targetType: types.ProvisionTargetTypeAwsAccount, want: validation("accountId")},
		{name: "an account id that is not 12 digits is a ValidationException", ps: ps,
			targetType: types.ProvisionTargetTypeAwsAccount, targetID: aws.String("1234"), want: validation(`AccountId "1234" must be 12 digits`)},
		{name: "an account outside the organization is a ResourceNotFoundException", ps: ps,
			targetType: types.ProvisionTargetTypeAwsAccount, targetID: aws.String("999999999999"), want: notFound("ACCOUNT 999999999999 not found")},
		{name: "a permission set that does not exist is a ResourceNotFoundException", ps: missing,
			targetType: types.ProvisionTargetTypeAllProvisionedAccounts, want: notFound("PERMISSION_SET not found")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.state(t)
			_, err := s.admin.ProvisionPermissionSet(s.ctx, &sdk.ProvisionPermissionSetInput{InstanceArn: s.inst,
				PermissionSetArn: tc.ps, TargetType: tc.targetType, TargetId: tc.targetID})
			refused(t, err, tc.want)
			s.unchanged(t, before)
		})
	}
}

func TestListPermissionSetsProvisionedToAccountRefusesBadFilters(t *testing.T) {
	s := newServer(t)
	for _, tc := range []struct {
		name    string
		account string
		status  types.ProvisioningStatus
		want    refusal
	}{
		{name: "a provisioning status AWS does not define is a ValidationException", account: s.account, status: "LATEST",
			want: validation("ProvisioningStatus must be LATEST_PERMISSION_SET_PROVISIONED or LATEST_PERMISSION_SET_NOT_PROVISIONED")},
		{name: "an account id that is not 12 digits is a ValidationException", account: "dev",
			want: validation(`AccountId "dev" must be 12 digits`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.admin.ListPermissionSetsProvisionedToAccount(s.ctx, &sdk.ListPermissionSetsProvisionedToAccountInput{
				InstanceArn: s.inst, AccountId: &tc.account, ProvisioningStatus: tc.status})
			refused(t, err, tc.want)
		})
	}
}

func TestListPermissionSetsProvisionedToAccountPagesThroughTheFilter(t *testing.T) {
	s := newServer(t)
	var stale []string
	for i := range 5 {
		ps := s.createPS(t, fmt.Sprintf("Set%d", i))
		s.provision(t, ps, s.account)
		if i%2 == 0 {
			must(t, s.attach(ps, readOnlyARN))
			stale = append(stale, *ps)
		}
	}
	slices.Sort(stale) // one account: pages run in permission set id order
	var got []string
	pages := sdk.NewListPermissionSetsProvisionedToAccountPaginator(s.admin, &sdk.ListPermissionSetsProvisionedToAccountInput{
		InstanceArn: s.inst, AccountId: &s.account, ProvisioningStatus: outdated, MaxResults: aws.Int32(1)})
	for n := 0; pages.HasMorePages() && n < 10; n++ {
		page, err := pages.NextPage(s.ctx)
		must(t, err)
		if len(page.PermissionSets) > 1 {
			t.Errorf("page %d holds %d permission sets with MaxResults 1", n, len(page.PermissionSets))
		}
		got = append(got, page.PermissionSets...)
	}
	if diff := cmp.Diff(stale, got); diff != "" {
		t.Errorf("paging LATEST_PERMISSION_SET_NOT_PROVISIONED (-want +got):\n%s", diff)
	}
}
