package organizations_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	orgs "github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

const denyDeleteRole = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"}]}`

func (f *fixture) enableSCPs(t *testing.T) *types.Root {
	t.Helper()
	out, err := f.c.EnablePolicyType(f.ctx, &orgs.EnablePolicyTypeInput{RootId: aws.String(f.rootID), PolicyType: types.PolicyTypeServiceControlPolicy})
	if err != nil {
		t.Fatal(err)
	}
	return out.Root
}

func (f *fixture) scp(t *testing.T, name string) string {
	t.Helper()
	out, err := f.c.CreatePolicy(f.ctx, &orgs.CreatePolicyInput{Name: aws.String(name), Description: aws.String("no role deletion"),
		Content: aws.String(denyDeleteRole), Type: types.PolicyTypeServiceControlPolicy})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.Policy.PolicySummary.Id)
}

func (f *fixture) policiesFor(t *testing.T, target string) []string {
	t.Helper()
	out, err := f.c.ListPoliciesForTarget(f.ctx, &orgs.ListPoliciesForTargetInput{TargetId: aws.String(target), Filter: types.PolicyTypeServiceControlPolicy})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range out.Policies {
		ids = append(ids, aws.ToString(p.Id))
	}
	slices.Sort(ids) // ids are random: the order is not what a test asserts
	return ids
}

func TestEnablingSCPsAttachesFullAWSAccessAndShowsInTheRoot(t *testing.T) {
	f := newFixture(t)
	org, err := f.c.DescribeOrganization(f.ctx, &orgs.DescribeOrganizationInput{})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "policy types before", 0, len(org.Organization.AvailablePolicyTypes))
	root := f.enableSCPs(t)
	equal(t, "root policy types", []types.PolicyTypeSummary{{Type: types.PolicyTypeServiceControlPolicy, Status: types.PolicyTypeStatusEnabled}}, root.PolicyTypes)
	acct := f.account(t, "dev")
	for _, target := range []string{f.rootID, mgmtID, acct, f.ou(t, f.rootID, "New")} {
		equal(t, "policies on "+target, []string{"p-FullAWSAccess"}, f.policiesFor(t, target))
	}
	full, err := f.c.DescribePolicy(f.ctx, &orgs.DescribePolicyInput{PolicyId: aws.String("p-FullAWSAccess")})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "FullAWSAccess", types.PolicySummary{Id: aws.String("p-FullAWSAccess"), Name: aws.String("FullAWSAccess"),
		Arn:         aws.String("arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"),
		Description: aws.String("Allows access to every operation"), Type: types.PolicyTypeServiceControlPolicy, AwsManaged: true},
		*full.Policy.PolicySummary)
	_, err = f.c.EnablePolicyType(f.ctx, &orgs.EnablePolicyTypeInput{RootId: aws.String(f.rootID), PolicyType: types.PolicyTypeServiceControlPolicy})
	wantErr[*types.PolicyTypeAlreadyEnabledException](t, err)
	if _, err := f.c.DisablePolicyType(f.ctx, &orgs.DisablePolicyTypeInput{RootId: aws.String(f.rootID), PolicyType: types.PolicyTypeServiceControlPolicy}); err != nil {
		t.Fatal(err)
	}
	equal(t, "policies after disabling", []string(nil), f.policiesFor(t, acct))
	_, err = f.c.DisablePolicyType(f.ctx, &orgs.DisablePolicyTypeInput{RootId: aws.String(f.rootID), PolicyType: types.PolicyTypeServiceControlPolicy})
	wantErr[*types.PolicyTypeNotEnabledException](t, err)
}

func TestAnSCPIsCreatedAttachedListedDetachedAndDeleted(t *testing.T) {
	f := newFixture(t)
	f.enableSCPs(t)
	acct := f.account(t, "dev")
	id := f.scp(t, "NoRoleDeletion")
	if _, err := f.c.AttachPolicy(f.ctx, &orgs.AttachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String(acct)}); err != nil {
		t.Fatal(err)
	}
	want := []string{"p-FullAWSAccess", id}
	slices.Sort(want)
	equal(t, "policies on the account", want, f.policiesFor(t, acct))
	targets, err := f.c.ListTargetsForPolicy(f.ctx, &orgs.ListTargetsForPolicyInput{PolicyId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "target", types.PolicyTargetSummary{TargetId: aws.String(acct), Name: aws.String("dev"), Type: types.TargetTypeAccount,
		Arn: aws.String("arn:aws:organizations::" + mgmtID + ":account/" + orgID + "/" + acct)}, targets.Targets[0])

	_, err = f.c.AttachPolicy(f.ctx, &orgs.AttachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String(acct)})
	wantErr[*types.DuplicatePolicyAttachmentException](t, err)
	_, err = f.c.DeletePolicy(f.ctx, &orgs.DeletePolicyInput{PolicyId: aws.String(id)})
	wantErr[*types.PolicyInUseException](t, err)

	updated, err := f.c.UpdatePolicy(f.ctx, &orgs.UpdatePolicyInput{PolicyId: aws.String(id), Name: aws.String("Renamed")})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "updated", "Renamed "+denyDeleteRole, aws.ToString(updated.Policy.PolicySummary.Name)+" "+aws.ToString(updated.Policy.Content))
	if _, err := f.c.DetachPolicy(f.ctx, &orgs.DetachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String(acct)}); err != nil {
		t.Fatal(err)
	}
	_, err = f.c.DetachPolicy(f.ctx, &orgs.DetachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String(acct)})
	wantErr[*types.PolicyNotAttachedException](t, err)
	if _, err := f.c.DeletePolicy(f.ctx, &orgs.DeletePolicyInput{PolicyId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = f.c.DescribePolicy(f.ctx, &orgs.DescribePolicyInput{PolicyId: aws.String(id)})
	wantErr[*types.PolicyNotFoundException](t, err)
}

func TestPoliciesRefuseWhatAWSRefuses(t *testing.T) {
	f := newFixture(t)
	id := f.scp(t, "Deny")
	create := func(name, content string) error {
		_, err := f.c.CreatePolicy(f.ctx, &orgs.CreatePolicyInput{Name: aws.String(name), Description: aws.String(""),
			Content: aws.String(content), Type: types.PolicyTypeServiceControlPolicy})
		return err
	}
	constraint := func(t *testing.T, err error, reason types.ConstraintViolationExceptionReason) {
		t.Helper()
		equal(t, "reason", reason, wantErr[*types.ConstraintViolationException](t, err).Reason)
	}
	t.Run("attaching before SCPs are enabled is a PolicyTypeNotEnabledException", func(t *testing.T) {
		_, err := f.c.AttachPolicy(f.ctx, &orgs.AttachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String(f.rootID)})
		wantErr[*types.PolicyTypeNotEnabledException](t, err)
	})
	t.Run("a policy name taken is a DuplicatePolicyException", func(t *testing.T) {
		wantErr[*types.DuplicatePolicyException](t, create("Deny", denyDeleteRole))
	})
	t.Run("a document with a Principal is a MalformedPolicyDocumentException", func(t *testing.T) {
		err := create("P", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}`)
		wantErr[*types.MalformedPolicyDocumentException](t, err)
	})
	t.Run("a document that is not JSON is a MalformedPolicyDocumentException", func(t *testing.T) {
		wantErr[*types.MalformedPolicyDocumentException](t, create("J", `{"Version":`))
	})
	t.Run("a document over 5120 characters is a ConstraintViolationException POLICY_CONTENT_LIMIT_EXCEEDED", func(t *testing.T) {
		big := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Sid":"` + strings.Repeat("a", 5100) + `"}]}`
		constraint(t, create("Big", big), types.ConstraintViolationExceptionReasonPolicyContentLimitExceeded)
	})
	t.Run("changing FullAWSAccess is an InvalidInputException IMMUTABLE_POLICY", func(t *testing.T) {
		_, err := f.c.DeletePolicy(f.ctx, &orgs.DeletePolicyInput{PolicyId: aws.String("p-FullAWSAccess")})
		equal(t, "reason", types.InvalidInputExceptionReasonImmutablePolicy, wantErr[*types.InvalidInputException](t, err).Reason)
	})
	f.enableSCPs(t)
	t.Run("detaching a target's last SCP is a ConstraintViolationException MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", func(t *testing.T) {
		_, err := f.c.DetachPolicy(f.ctx, &orgs.DetachPolicyInput{PolicyId: aws.String("p-FullAWSAccess"), TargetId: aws.String(f.rootID)})
		constraint(t, err, types.ConstraintViolationExceptionReasonMinPolicyTypeAttachmentLimitExceeded)
	})
	t.Run("a sixth SCP on a target is a ConstraintViolationException MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", func(t *testing.T) {
		var err error
		for _, name := range []string{"A", "B", "C", "D", "E"} {
			_, err = f.c.AttachPolicy(f.ctx, &orgs.AttachPolicyInput{PolicyId: aws.String(f.scp(t, name)), TargetId: aws.String(f.rootID)})
		}
		constraint(t, err, types.ConstraintViolationExceptionReasonMaxPolicyTypeAttachmentLimitExceeded)
	})
	t.Run("attaching to a missing target is a TargetNotFoundException", func(t *testing.T) {
		_, err := f.c.AttachPolicy(f.ctx, &orgs.AttachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String("999999999999")})
		wantErr[*types.TargetNotFoundException](t, err)
	})
	t.Run("enabling a policy type keyward does not store is a PolicyTypeNotAvailableForOrganizationException", func(t *testing.T) {
		_, err := f.c.EnablePolicyType(f.ctx, &orgs.EnablePolicyTypeInput{RootId: aws.String(f.rootID), PolicyType: types.PolicyTypeTagPolicy})
		wantErr[*types.PolicyTypeNotAvailableForOrganizationException](t, err)
	})
}

func TestEffectiveSCPsFollowTheAccountsPath(t *testing.T) {
	f := newFixture(t)
	f.enableSCPs(t)
	acct := f.account(t, "dev")
	ou := f.ou(t, f.rootID, "Prod")
	id := f.scp(t, "NoRoleDeletion")
	if _, err := f.c.AttachPolicy(f.ctx, &orgs.AttachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String(ou)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.MoveAccount(f.ctx, &orgs.MoveAccountInput{AccountId: aws.String(acct),
		SourceParentId: aws.String(f.rootID), DestinationParentId: aws.String(ou)}); err != nil {
		t.Fatal(err)
	}
	levels, err := f.s.EffectiveSCPs(f.ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range levels {
		var names []string
		for _, p := range l.Policies {
			names = append(names, p.Name)
		}
		got = append(got, l.TargetID+": "+strings.Join(names, ","))
	}
	ouNames := "FullAWSAccess,NoRoleDeletion"
	if id < "p-FullAWSAccess" {
		ouNames = "NoRoleDeletion,FullAWSAccess"
	}
	equal(t, "levels", []string{f.rootID + ": FullAWSAccess", ou + ": " + ouNames, acct + ": FullAWSAccess"}, got)
}
