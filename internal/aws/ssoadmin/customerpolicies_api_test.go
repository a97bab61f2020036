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
	"github.com/keyward/keyward/internal/iam"
)

// createIAMPolicy stores a customer managed policy in account, as IAM's
// CreatePolicy would.
func (s *server) createIAMPolicy(t *testing.T, account, path, name string) {
	t.Helper()
	now := time.Now().UTC()
	p := iam.Policy{AccountID: account, ID: "ANPA" + clock.Hex(clock.Random, 8), Name: name, Path: path,
		DefaultVersion: "v1", CreatedAt: now, UpdatedAt: now}
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`
	must(t, s.db.CreateIAMPolicy(s.ctx, p, iam.PolicyVersion{VersionID: "v1", Document: doc, IsDefault: true, CreatedAt: now}))
}

func ref(name, path string) *types.CustomerManagedPolicyReference {
	r := &types.CustomerManagedPolicyReference{Name: aws.String(name)}
	if path != "" {
		r.Path = aws.String(path)
	}
	return r
}

func (s *server) attachRef(ps *string, r *types.CustomerManagedPolicyReference) error {
	_, err := s.admin.AttachCustomerManagedPolicyReferenceToPermissionSet(s.ctx, &sdk.AttachCustomerManagedPolicyReferenceToPermissionSetInput{
		InstanceArn: s.inst, PermissionSetArn: ps, CustomerManagedPolicyReference: r})
	return err
}

func (s *server) listRefs(t *testing.T, ps *string) []types.CustomerManagedPolicyReference {
	t.Helper()
	out, err := s.admin.ListCustomerManagedPolicyReferencesInPermissionSet(s.ctx, &sdk.ListCustomerManagedPolicyReferencesInPermissionSetInput{
		InstanceArn: s.inst, PermissionSetArn: ps})
	must(t, err)
	return out.CustomerManagedPolicyReferences
}

var refOpts = cmpopts.IgnoreUnexported(types.CustomerManagedPolicyReference{})

func TestCustomerManagedPolicyReferencesAreAttachedListedAndDetached(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Deployers")
	must(t, s.attachRef(ps, ref("Deploy", "/ci/")))
	must(t, s.attachRef(ps, ref("Billing", "")))
	want := []types.CustomerManagedPolicyReference{*ref("Deploy", "/ci/"), *ref("Billing", "/")}
	if diff := cmp.Diff(want, s.listRefs(t, ps), refOpts); diff != "" {
		t.Errorf("references (-want +got):\n%s", diff)
	}
	t.Run("attaching the same reference again is a conflict", func(t *testing.T) {
		refused(t, s.attachRef(ps, ref("Billing", "/")), conflict("already attached"))
	})
	t.Run("detaching one leaves the other", func(t *testing.T) {
		_, err := s.admin.DetachCustomerManagedPolicyReferenceFromPermissionSet(s.ctx, &sdk.DetachCustomerManagedPolicyReferenceFromPermissionSetInput{
			InstanceArn: s.inst, PermissionSetArn: ps, CustomerManagedPolicyReference: ref("Deploy", "/ci/")})
		must(t, err)
		if diff := cmp.Diff(want[1:], s.listRefs(t, ps), refOpts); diff != "" {
			t.Errorf("references (-want +got):\n%s", diff)
		}
	})
	t.Run("detaching a reference that is not attached is not found", func(t *testing.T) {
		_, err := s.admin.DetachCustomerManagedPolicyReferenceFromPermissionSet(s.ctx, &sdk.DetachCustomerManagedPolicyReferenceFromPermissionSetInput{
			InstanceArn: s.inst, PermissionSetArn: ps, CustomerManagedPolicyReference: ref("Deploy", "/ci/")})
		refused(t, err, notFound("is not attached"))
	})
	t.Run("a reference with a bad path is refused", func(t *testing.T) {
		refused(t, s.attachRef(ps, ref("Deploy", "ci")), validation("must start and end with /"))
	})
}

func TestAPermissionSetHoldsAtMost20AWSAndCustomerManagedPoliciesTogether(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Many")
	for i := range 20 {
		must(t, s.attachRef(ps, ref("P"+string(rune('a'+i)), "")))
	}
	refused(t, s.attachRef(ps, ref("OneTooMany", "")), quotaExceeded)
	_, err := s.admin.AttachManagedPolicyToPermissionSet(s.ctx, &sdk.AttachManagedPolicyToPermissionSetInput{InstanceArn: s.inst,
		PermissionSetArn: ps, ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")})
	refused(t, err, quotaExceeded)
	out, err := s.admin.ListCustomerManagedPolicyReferencesInPermissionSet(s.ctx, &sdk.ListCustomerManagedPolicyReferencesInPermissionSetInput{
		InstanceArn: s.inst, PermissionSetArn: ps, MaxResults: aws.Int32(15)})
	must(t, err)
	next, err := s.admin.ListCustomerManagedPolicyReferencesInPermissionSet(s.ctx, &sdk.ListCustomerManagedPolicyReferencesInPermissionSetInput{
		InstanceArn: s.inst, PermissionSetArn: ps, MaxResults: aws.Int32(15), NextToken: out.NextToken})
	must(t, err)
	if len(out.CustomerManagedPolicyReferences) != 15 || len(next.CustomerManagedPolicyReferences) != 5 || next.NextToken != nil {
		t.Errorf("pages of %d and %d (next token %v), want 15 and 5 and no token",
			len(out.CustomerManagedPolicyReferences), len(next.CustomerManagedPolicyReferences), next.NextToken)
	}
}

func TestProvisioningFailsWhenAReferencedPolicyIsMissingInTheAccount(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Deployers")
	must(t, s.attachRef(ps, ref("Deploy", "/ci/")))
	failed := func(t *testing.T, st types.StatusValues, reason *string) {
		t.Helper()
		want := "Received a 404 status error: Not supported policy arn:aws:iam::" + s.account + ":policy/ci/Deploy."
		if st != types.StatusValuesFailed || aws.ToString(reason) != want {
			t.Errorf("status %s, reason %q; want FAILED, %q", st, aws.ToString(reason), want)
		}
	}
	t.Run("an assignment fails and assigns nothing", func(t *testing.T) {
		st, err := s.assign(s.userGrant(ps))
		must(t, err)
		failed(t, st.Status, st.FailureReason)
		polled, err := s.admin.DescribeAccountAssignmentCreationStatus(s.ctx, &sdk.DescribeAccountAssignmentCreationStatusInput{
			InstanceArn: s.inst, AccountAssignmentCreationRequestId: st.RequestId})
		must(t, err)
		failed(t, polled.AccountAssignmentCreationStatus.Status, polled.AccountAssignmentCreationStatus.FailureReason)
		if got := s.provisionedTo(t, s.account, ""); len(got) != 0 {
			t.Errorf("provisioned to the account: %v", got)
		}
	})
	t.Run("provisioning into the account fails", func(t *testing.T) {
		out, err := s.admin.ProvisionPermissionSet(s.ctx, &sdk.ProvisionPermissionSetInput{InstanceArn: s.inst, PermissionSetArn: ps,
			TargetType: types.ProvisionTargetTypeAwsAccount, TargetId: &s.account})
		must(t, err)
		failed(t, out.PermissionSetProvisioningStatus.Status, out.PermissionSetProvisioningStatus.FailureReason)
	})
	t.Run("a policy of the same name on another path does not do", func(t *testing.T) {
		s.createIAMPolicy(t, s.account, "/", "Deploy")
		st, err := s.assign(s.userGrant(ps))
		must(t, err)
		failed(t, st.Status, st.FailureReason)
	})
	t.Run("once the policy exists on its path, the assignment succeeds", func(t *testing.T) {
		ps2 := s.createPS(t, "Builders")
		must(t, s.attachRef(ps2, ref("Build", "/ci/")))
		s.createIAMPolicy(t, s.account, "/ci/", "Build")
		st, err := s.assign(s.userGrant(ps2))
		must(t, err)
		if st.Status != types.StatusValuesSucceeded || st.FailureReason != nil {
			t.Errorf("status %s (%s), want SUCCEEDED", st.Status, aws.ToString(st.FailureReason))
		}
	})
}
