package e2e

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	satypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/keyward/keyward/internal/iam"
)

const (
	readOnlyARN  = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	viewOnlyARN  = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
	inlinePolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}`
)

// TestPermissionSetLifecycleThroughTheSDK runs every SSO Admin operation's
// success path with the typed aws-sdk-go-v2 client.
func TestPermissionSetLifecycleThroughTheSDK(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	ctx := context.Background()
	admin := ssoadmin.NewFromConfig(s.adminConfig())
	inst := &st.InstanceARN

	created, err := admin.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: inst, Name: aws.String("ReadOnly"),
		Description: aws.String("look, don't touch"), RelayState: aws.String("https://console.aws.amazon.com/"),
		Tags: []satypes.Tag{{Key: aws.String("team"), Value: aws.String("platform")}}})
	must(t, err)
	ps := created.PermissionSet.PermissionSetArn
	if aws.ToString(created.PermissionSet.SessionDuration) != "PT1H" {
		t.Errorf("default SessionDuration = %q, want PT1H", aws.ToString(created.PermissionSet.SessionDuration))
	}
	_, err = admin.UpdatePermissionSet(ctx, &ssoadmin.UpdatePermissionSetInput{InstanceArn: inst, PermissionSetArn: ps,
		SessionDuration: aws.String("PT8H"), Description: aws.String("read only")})
	must(t, err)
	d, err := admin.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: inst, PermissionSetArn: ps})
	must(t, err)
	if aws.ToString(d.PermissionSet.SessionDuration) != "PT8H" || aws.ToString(d.PermissionSet.Description) != "read only" ||
		aws.ToString(d.PermissionSet.RelayState) != "https://console.aws.amazon.com/" {
		t.Errorf("DescribePermissionSet = %+v", d.PermissionSet)
	}
	tags, err := admin.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{InstanceArn: inst, ResourceArn: ps})
	must(t, err)
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != "platform" {
		t.Errorf("ListTagsForResource = %+v", tags.Tags)
	}
	instTags, err := admin.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{InstanceArn: inst, ResourceArn: inst})
	if err != nil || len(instTags.Tags) != 0 {
		t.Errorf("ListTagsForResource of the instance = %v, %v; want no tags", instTags, err)
	}
	var arns []string
	pages := ssoadmin.NewListPermissionSetsPaginator(admin, &ssoadmin.ListPermissionSetsInput{InstanceArn: inst, MaxResults: aws.Int32(1)})
	for pages.HasMorePages() {
		p, err := pages.NextPage(ctx)
		must(t, err)
		arns = append(arns, p.PermissionSets...)
	}
	if len(arns) != 2 {
		t.Errorf("paging ListPermissionSets found %v, want DevOps and ReadOnly", arns)
	}

	policyLifecycle(t, admin, st, ps)
	provisioningLifecycle(t, admin, st, ps)

	_, err = admin.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: inst, PermissionSetArn: ps})
	must(t, err)
	_, err = admin.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: inst, PermissionSetArn: ps})
	var nf *satypes.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("DescribePermissionSet after delete: %v, want ResourceNotFoundException", err)
	}
}

// policyLifecycle attaches, lists and detaches managed policies and puts,
// reads and deletes the inline policy.
func policyLifecycle(t *testing.T, admin *ssoadmin.Client, st story, ps *string) {
	t.Helper()
	ctx, inst := context.Background(), &st.InstanceARN
	for _, arn := range []string{readOnlyARN, viewOnlyARN} {
		_, err := admin.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{
			InstanceArn: inst, PermissionSetArn: ps, ManagedPolicyArn: aws.String(arn)})
		must(t, err)
	}
	_, err := admin.DetachManagedPolicyFromPermissionSet(ctx, &ssoadmin.DetachManagedPolicyFromPermissionSetInput{
		InstanceArn: inst, PermissionSetArn: ps, ManagedPolicyArn: aws.String(readOnlyARN)})
	must(t, err)
	listed, err := admin.ListManagedPoliciesInPermissionSet(ctx, &ssoadmin.ListManagedPoliciesInPermissionSetInput{InstanceArn: inst, PermissionSetArn: ps})
	must(t, err)
	if len(listed.AttachedManagedPolicies) != 1 || aws.ToString(listed.AttachedManagedPolicies[0].Name) != "ViewOnlyAccess" {
		t.Errorf("managed policies after detach = %+v", listed.AttachedManagedPolicies)
	}
	_, err = admin.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: inst, PermissionSetArn: ps, InlinePolicy: aws.String(inlinePolicy)})
	must(t, err)
	got, err := admin.GetInlinePolicyForPermissionSet(ctx, &ssoadmin.GetInlinePolicyForPermissionSetInput{InstanceArn: inst, PermissionSetArn: ps})
	must(t, err)
	if aws.ToString(got.InlinePolicy) != inlinePolicy {
		t.Errorf("GetInlinePolicy = %q", aws.ToString(got.InlinePolicy))
	}
	_, err = admin.DeleteInlinePolicyFromPermissionSet(ctx, &ssoadmin.DeleteInlinePolicyFromPermissionSetInput{InstanceArn: inst, PermissionSetArn: ps})
	must(t, err)
	got, err = admin.GetInlinePolicyForPermissionSet(ctx, &ssoadmin.GetInlinePolicyForPermissionSetInput{InstanceArn: inst, PermissionSetArn: ps})
	must(t, err)
	if aws.ToString(got.InlinePolicy) != "" {
		t.Errorf("inline policy after delete = %q", aws.ToString(got.InlinePolicy))
	}
}

// provisioningLifecycle assigns the permission set to alice, changes it,
// provisions it again and unassigns it, checking the provisioning views.
func provisioningLifecycle(t *testing.T, admin *ssoadmin.Client, st story, ps *string) {
	t.Helper()
	ctx, inst := context.Background(), &st.InstanceARN
	assign := &ssoadmin.CreateAccountAssignmentInput{InstanceArn: inst, TargetId: &st.AccountID, TargetType: satypes.TargetTypeAwsAccount,
		PermissionSetArn: ps, PrincipalType: satypes.PrincipalTypeUser, PrincipalId: &st.UserID}
	_, err := admin.CreateAccountAssignment(ctx, assign)
	must(t, err)
	provisionedTo := func(status satypes.ProvisioningStatus) int {
		out, err := admin.ListPermissionSetsProvisionedToAccount(ctx, &ssoadmin.ListPermissionSetsProvisionedToAccountInput{
			InstanceArn: inst, AccountId: &st.AccountID, ProvisioningStatus: status})
		must(t, err)
		return len(out.PermissionSets)
	}
	if all, stale := provisionedTo(""), provisionedTo(satypes.ProvisioningStatusLatestPermissionSetNotProvisioned); all != 2 || stale != 0 {
		t.Errorf("after assignment: %d provisioned, %d stale; want 2 and 0", all, stale)
	}
	_, err = admin.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{
		InstanceArn: inst, PermissionSetArn: ps, ManagedPolicyArn: aws.String(readOnlyARN)})
	must(t, err)
	if stale := provisionedTo(satypes.ProvisioningStatusLatestPermissionSetNotProvisioned); stale != 1 {
		t.Errorf("after changing the permission set: %d stale, want 1", stale)
	}
	prov, err := admin.ProvisionPermissionSet(ctx, &ssoadmin.ProvisionPermissionSetInput{InstanceArn: inst, PermissionSetArn: ps,
		TargetType: satypes.ProvisionTargetTypeAllProvisionedAccounts})
	must(t, err)
	polled, err := admin.DescribePermissionSetProvisioningStatus(ctx, &ssoadmin.DescribePermissionSetProvisioningStatusInput{
		InstanceArn: inst, ProvisionPermissionSetRequestId: prov.PermissionSetProvisioningStatus.RequestId})
	must(t, err)
	if polled.PermissionSetProvisioningStatus.Status != satypes.StatusValuesSucceeded || provisionedTo(satypes.ProvisioningStatusLatestPermissionSetNotProvisioned) != 0 {
		t.Errorf("after ProvisionPermissionSet: status %s, stale %d", polled.PermissionSetProvisioningStatus.Status,
			provisionedTo(satypes.ProvisioningStatusLatestPermissionSetNotProvisioned))
	}
	_, err = admin.DeletePermissionSet(ctx, &ssoadmin.DeletePermissionSetInput{InstanceArn: inst, PermissionSetArn: ps})
	var conflict *satypes.ConflictException
	if !errors.As(err, &conflict) {
		t.Errorf("deleting an assigned permission set: %v, want ConflictException", err)
	}
	del, err := admin.DeleteAccountAssignment(ctx, &ssoadmin.DeleteAccountAssignmentInput{InstanceArn: inst, TargetId: &st.AccountID,
		TargetType: satypes.TargetTypeAwsAccount, PermissionSetArn: ps, PrincipalType: satypes.PrincipalTypeUser, PrincipalId: &st.UserID})
	must(t, err)
	ds, err := admin.DescribeAccountAssignmentDeletionStatus(ctx, &ssoadmin.DescribeAccountAssignmentDeletionStatusInput{
		InstanceArn: inst, AccountAssignmentDeletionRequestId: del.AccountAssignmentDeletionStatus.RequestId})
	must(t, err)
	accts, err := admin.ListAccountsForProvisionedPermissionSet(ctx, &ssoadmin.ListAccountsForProvisionedPermissionSetInput{InstanceArn: inst, PermissionSetArn: ps})
	must(t, err)
	if ds.AccountAssignmentDeletionStatus.Status != satypes.StatusValuesSucceeded || len(accts.AccountIds) != 0 {
		t.Errorf("after unassigning: status %s, still provisioned to %v", ds.AccountAssignmentDeletionStatus.Status, accts.AccountIds)
	}
}

func TestOrganizationsListsAndDescribesAccounts(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	ctx := context.Background()
	orgs := organizations.NewFromConfig(s.adminConfig())
	var ids []string
	pages := organizations.NewListAccountsPaginator(orgs, &organizations.ListAccountsInput{MaxResults: aws.Int32(1)})
	for pages.HasMorePages() {
		p, err := pages.NextPage(ctx)
		must(t, err)
		for _, a := range p.Accounts {
			ids = append(ids, aws.ToString(a.Id))
			if a.State != orgtypes.AccountStateActive {
				t.Errorf("ListAccounts: account %s has State %q, want ACTIVE", aws.ToString(a.Id), a.State)
			}
		}
	}
	if len(ids) != 2 {
		t.Errorf("paging ListAccounts found %v, want the management account and Dev", ids)
	}
	d, err := orgs.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: &st.AccountID})
	must(t, err)
	if aws.ToString(d.Account.Name) != "Dev" || d.Account.Status != "ACTIVE" || d.Account.State != orgtypes.AccountStateActive ||
		d.Account.JoinedTimestamp == nil {
		t.Errorf("DescribeAccount = %+v", d.Account)
	}
}

// TestManagedPoliciesStopAtTheQuotaAndPage attaches Identity Center's quota of
// 20 managed policies (most known to keyward by ARN only), is refused the
// 21st, and pages them back in attachment order.
func TestManagedPoliciesStopAtTheQuotaAndPage(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	ctx := context.Background()
	admin := ssoadmin.NewFromConfig(s.adminConfig())
	inst := &st.InstanceARN
	created, err := admin.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: inst, Name: aws.String("Many")})
	must(t, err)
	ps := created.PermissionSet.PermissionSetArn
	catalog := iam.ManagedPolicies()
	var attached []string
	for i := len(catalog) - 1; len(attached) < 20; i -= 70 { // spread over the whole catalog
		_, err := admin.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{
			InstanceArn: inst, PermissionSetArn: ps, ManagedPolicyArn: aws.String(catalog[i].ARN)})
		must(t, err)
		attached = append(attached, catalog[i].Name)
	}
	_, err = admin.AttachManagedPolicyToPermissionSet(ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{
		InstanceArn: inst, PermissionSetArn: ps, ManagedPolicyArn: aws.String(catalog[0].ARN)})
	var quota *satypes.ServiceQuotaExceededException
	if !errors.As(err, &quota) {
		t.Errorf("attaching a 21st managed policy: %v, want ServiceQuotaExceededException", err)
	}

	var listed []string
	pages := ssoadmin.NewListManagedPoliciesInPermissionSetPaginator(admin, &ssoadmin.ListManagedPoliciesInPermissionSetInput{
		InstanceArn: inst, PermissionSetArn: ps, MaxResults: aws.Int32(3)})
	for n := 0; pages.HasMorePages(); n++ {
		p, err := pages.NextPage(ctx)
		must(t, err)
		if len(p.AttachedManagedPolicies) > 3 || n > 7 {
			t.Fatalf("page %d holds %d policies with MaxResults 3", n, len(p.AttachedManagedPolicies))
		}
		for _, pol := range p.AttachedManagedPolicies {
			listed = append(listed, aws.ToString(pol.Name))
		}
	}
	if !slices.Equal(listed, attached) {
		t.Errorf("paging ListManagedPoliciesInPermissionSet found\n%v\nwant, in attachment order,\n%v", listed, attached)
	}
}
