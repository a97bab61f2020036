package ssoadmin_test

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/keyward/keyward/internal/iam"
)

const (
	readOnlyARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	viewOnlyARN = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
	denyIAM     = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}`
)

var quotaExceeded = refusal{http.StatusBadRequest, "ServiceQuotaExceededException", "at most 20 managed policies"}

func (s *server) attach(ps *string, arn string) error {
	_, err := s.admin.AttachManagedPolicyToPermissionSet(s.ctx, &sdk.AttachManagedPolicyToPermissionSetInput{
		InstanceArn: s.inst, PermissionSetArn: ps, ManagedPolicyArn: aws.String(arn)})
	return err
}

func (s *server) detach(ps *string, arn string) error {
	_, err := s.admin.DetachManagedPolicyFromPermissionSet(s.ctx, &sdk.DetachManagedPolicyFromPermissionSetInput{
		InstanceArn: s.inst, PermissionSetArn: ps, ManagedPolicyArn: aws.String(arn)})
	return err
}

// managedPolicies lists what a client sees attached to ps, in one page.
func (s *server) managedPolicies(t *testing.T, ps *string) []types.AttachedManagedPolicy {
	t.Helper()
	out, err := s.admin.ListManagedPoliciesInPermissionSet(s.ctx, &sdk.ListManagedPoliciesInPermissionSetInput{
		InstanceArn: s.inst, PermissionSetArn: ps})
	must(t, err)
	if out.NextToken != nil {
		t.Errorf("ListManagedPoliciesInPermissionSet gave a NextToken with all %d policies on one page", len(out.AttachedManagedPolicies))
	}
	return out.AttachedManagedPolicies
}

func attached(nameARN ...string) []types.AttachedManagedPolicy {
	var out []types.AttachedManagedPolicy
	for i := 0; i+1 < len(nameARN); i += 2 {
		out = append(out, types.AttachedManagedPolicy{Name: aws.String(nameARN[i]), Arn: aws.String(nameARN[i+1])})
	}
	return out
}

func checkAttached(t *testing.T, got, want []types.AttachedManagedPolicy) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(types.AttachedManagedPolicy{}), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("attached managed policies (-want +got):\n%s", diff)
	}
}

func TestAttachedManagedPoliciesAreListedByNameInAttachmentOrder(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Reader")
	must(t, s.attach(ps, viewOnlyARN))
	must(t, s.attach(ps, readOnlyARN))
	checkAttached(t, s.managedPolicies(t, ps), attached("ViewOnlyAccess", viewOnlyARN, "ReadOnlyAccess", readOnlyARN))
	must(t, s.detach(ps, viewOnlyARN))
	checkAttached(t, s.managedPolicies(t, ps), attached("ReadOnlyAccess", readOnlyARN))
}

func TestAttachManagedPolicyRefusesAndChangesNothing(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Reader")
	must(t, s.attach(ps, readOnlyARN))
	missing := aws.String("arn:aws:sso:::permissionSet/" + s.boot.Instance.ID + "/ps-0000000000000000")
	for _, tc := range []struct {
		name string
		ps   *string
		arn  string
		want refusal
	}{
		{name: "a well-formed ARN AWS does not publish is a ResourceNotFoundException naming it", ps: ps,
			arn: "arn:aws:iam::aws:policy/NoSuchPolicy", want: notFound("Could not find AWS managed policy arn:aws:iam::aws:policy/NoSuchPolicy")},
		{name: "a customer managed policy ARN is a ValidationException", ps: ps,
			arn: "arn:aws:iam::111122223333:policy/Mine", want: validation("not a valid AWS managed policy ARN")},
		{name: "a policy name without its ARN is a ValidationException", ps: ps,
			arn: "ReadOnlyAccess", want: validation("not a valid AWS managed policy ARN")},
		{name: "an empty ARN is a ValidationException naming the field", ps: ps,
			arn: "", want: validation("managedPolicyArn")},
		{name: "a policy that is already attached is a ConflictException", ps: ps,
			arn: readOnlyARN, want: conflict("is already attached")},
		{name: "a permission set that does not exist is a ResourceNotFoundException", ps: missing,
			arn: viewOnlyARN, want: notFound("PERMISSION_SET")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.state(t)
			refused(t, s.attach(tc.ps, tc.arn), tc.want)
			s.unchanged(t, before)
		})
	}
}

func TestDetachManagedPolicyRefusesAndChangesNothing(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Reader")
	must(t, s.attach(ps, readOnlyARN))
	for _, tc := range []struct {
		name string
		arn  string
		want refusal
	}{
		{name: "a published policy that is not attached is a ResourceNotFoundException", arn: viewOnlyARN,
			want: notFound("is not attached to the permission set")},
		{name: "a policy AWS does not publish is a ResourceNotFoundException", arn: "arn:aws:iam::aws:policy/NoSuchPolicy",
			want: notFound("is not attached to the permission set")},
		{name: "a malformed ARN is a ValidationException", arn: "arn:aws:iam::aws:policy/Read Only",
			want: validation("not a valid AWS managed policy ARN")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.state(t)
			refused(t, s.detach(ps, tc.arn), tc.want)
			s.unchanged(t, before)
		})
	}
}

func TestAPermissionSetHoldsAtMostTwentyManagedPolicies(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Many")
	catalog := iam.ManagedPolicies()
	for _, p := range catalog[:20] {
		must(t, s.attach(ps, p.ARN))
	}
	before := s.state(t)
	t.Run("the 21st is a ServiceQuotaExceededException and changes nothing", func(t *testing.T) {
		refused(t, s.attach(ps, catalog[20].ARN), quotaExceeded)
		s.unchanged(t, before)
	})
	t.Run("one already attached is still a ConflictException at the quota", func(t *testing.T) {
		refused(t, s.attach(ps, catalog[0].ARN), conflict("is already attached"))
		s.unchanged(t, before)
	})
	t.Run("detaching one makes room for another", func(t *testing.T) {
		must(t, s.detach(ps, catalog[3].ARN))
		must(t, s.attach(ps, catalog[20].ARN))
		if got := len(s.managedPolicies(t, ps)); got != 20 {
			t.Errorf("%d managed policies attached, want 20", got)
		}
	})
}

func (s *server) putInline(ps *string, policy string) error {
	_, err := s.admin.PutInlinePolicyToPermissionSet(s.ctx, &sdk.PutInlinePolicyToPermissionSetInput{
		InstanceArn: s.inst, PermissionSetArn: ps, InlinePolicy: aws.String(policy)})
	return err
}

func (s *server) inline(t *testing.T, ps *string) string {
	t.Helper()
	out, err := s.admin.GetInlinePolicyForPermissionSet(s.ctx, &sdk.GetInlinePolicyForPermissionSetInput{InstanceArn: s.inst, PermissionSetArn: ps})
	must(t, err)
	return aws.ToString(out.InlinePolicy)
}

func (s *server) deleteInline(t *testing.T, ps *string) {
	t.Helper()
	_, err := s.admin.DeleteInlinePolicyFromPermissionSet(s.ctx, &sdk.DeleteInlinePolicyFromPermissionSetInput{InstanceArn: s.inst, PermissionSetArn: ps})
	must(t, err)
}

func TestInlinePolicyIsKeptAsSentUntilDeleted(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Guarded")
	if got := s.inline(t, ps); got != "" {
		t.Errorf("a new permission set's inline policy = %q, want none", got)
	}
	spaced := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:Get*\", \"Resource\": \"*\"}\n}\n"
	for _, policy := range []string{denyIAM, spaced} {
		must(t, s.putInline(ps, policy))
		if got := s.inline(t, ps); got != policy {
			t.Errorf("GetInlinePolicyForPermissionSet = %q, want what was put, byte for byte: %q", got, policy)
		}
	}
	s.deleteInline(t, ps)
	if got := s.inline(t, ps); got != "" {
		t.Errorf("inline policy after delete = %q, want none", got)
	}
	before := s.state(t)
	s.deleteInline(t, ps)
	if diff := cmp.Diff(before.PermissionSets, s.state(t).PermissionSets); diff != "" {
		t.Errorf("deleting an inline policy that is not there changed the permission set:\n%s", diff)
	}
}

func TestPutInlinePolicyRefusesMalformedPoliciesAndKeepsTheOldOne(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Guarded")
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` +
		strings.Repeat("b", 32<<10) + `/*"}]}`
	for _, tc := range []struct {
		name, policy string
		want         refusal
	}{
		{name: "JSON cut short is a ValidationException", policy: `{"Version":"2012-10-17","Statement":[`,
			want: validation("The policy document is malformed")},
		{name: "a sentence instead of JSON is a ValidationException", policy: "allow everything",
			want: validation("The policy document is malformed: expected a JSON object")},
		{name: "a list of statements without the document is a ValidationException", policy: `[{"Effect":"Allow","Action":"*","Resource":"*"}]`,
			want: validation("expected a JSON object")},
		{name: "a document followed by a second one is a ValidationException", policy: denyIAM + denyIAM,
			want: validation("data after the policy document")},
		{name: "a document followed by a stray closing brace is a ValidationException", policy: denyIAM + "}",
			want: validation("data after the policy document")},
		{name: "a document followed by a stray closing bracket is a ValidationException", policy: denyIAM + "]",
			want: validation("data after the policy document")},
		{name: "an unknown policy version is a ValidationException", policy: strings.Replace(denyIAM, "2012-10-17", "2020-01-01", 1),
			want: validation("Version must be 2012-10-17 or 2008-10-17")},
		{name: "an effect other than Allow or Deny is a ValidationException", policy: strings.Replace(denyIAM, "Deny", "Maybe", 1),
			want: validation("Effect must be Allow or Deny")},
		{name: "a statement naming a principal is a ValidationException",
			policy: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`,
			want:   validation("should not specify a principal")},
		{name: "a character above U+00FF, which the service model's pattern excludes, is a ValidationException",
			policy: strings.Replace(denyIAM, `"Resource":"*"`, `"Resource":"arn:aws:s3:::日本/*"`, 1), want: validation("InlinePolicy")},
		{name: "an empty policy is a ValidationException", policy: "", want: validation("InlinePolicy must be 1 to 32768 characters")},
		{name: "a policy over 32768 characters is a ValidationException", policy: big, want: validation("InlinePolicy must be 1 to 32768 characters")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			must(t, s.putInline(ps, denyIAM)) // whatever an earlier case left
			before := s.state(t)
			refused(t, s.putInline(ps, tc.policy), tc.want)
			s.unchanged(t, before)
			if got := s.inline(t, ps); got != denyIAM {
				t.Errorf("inline policy after a refused put = %q, want the old one", got)
			}
		})
	}
}

// TestTheInlinePolicyLimitCountsCharactersNotBytes: the service model bounds
// PermissionSetPolicyDocument at 32768 characters, and é is one character
// (two bytes in UTF-8) that its pattern allows.
func TestTheInlinePolicyLimitCountsCharactersNotBytes(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Accented")
	head, tail := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::`, `/*"}]}`
	fill := func(n int) string { return head + strings.Repeat("é", n-len(head)-len(tail)) + tail }
	t.Run("32768 characters are accepted", func(t *testing.T) {
		policy := fill(32768)
		must(t, s.putInline(ps, policy))
		if got := s.inline(t, ps); got != policy {
			t.Errorf("GetInlinePolicyForPermissionSet gave %d characters back, want the %d put", utf8.RuneCountInString(got), utf8.RuneCountInString(policy))
		}
	})
	t.Run("32769 characters are a ValidationException", func(t *testing.T) {
		refused(t, s.putInline(ps, fill(32769)), validation("InlinePolicy must be 1 to 32768 characters"))
	})
}
