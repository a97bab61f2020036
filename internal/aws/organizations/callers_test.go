package organizations_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	orgs "github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// A member account's administrator (whose own policies allow
// organizations:*, as OrganizationAccountAccessRole's AdministratorAccess
// does) must not administer the organization: AWS answers a member
// account AccessDeniedException whatever its policies say. Otherwise it
// could detach the SCPs that limit it.
func TestAMemberAccountCannotAdministerTheOrganization(t *testing.T) {
	f := newFixture(t)
	f.enableSCPs(t)
	member := f.account(t, "workload")
	deny := f.scp(t, "NoRoleDeletion")
	if _, err := f.c.AttachPolicy(f.ctx, &orgs.AttachPolicyInput{PolicyId: aws.String(deny), TargetId: aws.String(member)}); err != nil {
		t.Fatal(err)
	}
	m := f.client(memberKey(member))

	_, err := m.DetachPolicy(f.ctx, &orgs.DetachPolicyInput{PolicyId: aws.String(deny), TargetId: aws.String(member)})
	wantDenied(t, err)
	want := []string{"p-FullAWSAccess", deny}
	slices.Sort(want)
	equal(t, "policies on the member after its refused detach", want, f.policiesFor(t, member))

	_, err = m.DisablePolicyType(f.ctx, &orgs.DisablePolicyTypeInput{RootId: aws.String(f.rootID), PolicyType: types.PolicyTypeServiceControlPolicy})
	wantDenied(t, err)
	_, err = m.CreateAccount(f.ctx, &orgs.CreateAccountInput{AccountName: aws.String("intruder"), Email: aws.String("intruder@example.com")})
	wantDenied(t, err)
	_, err = m.ListAccounts(f.ctx, &orgs.ListAccountsInput{})
	wantDenied(t, err)
	_, err = m.RegisterDelegatedAdministrator(f.ctx, &orgs.RegisterDelegatedAdministratorInput{AccountId: aws.String(member), ServicePrincipal: aws.String(sso)})
	wantDenied(t, err)

	accts, err := f.c.ListAccounts(f.ctx, &orgs.ListAccountsInput{})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "accounts after the refused CreateAccount", 2, len(accts.Accounts))

	t.Run("any account of the organization may describe it", func(t *testing.T) {
		out, err := m.DescribeOrganization(f.ctx, &orgs.DescribeOrganizationInput{})
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "management account", mgmtID, aws.ToString(out.Organization.MasterAccountId))
	})
}

// A delegated administrator of a service may read the organization, as
// AWS lets it, but not change it.
func TestADelegatedAdministratorReadsTheOrganizationButCannotChangeIt(t *testing.T) {
	f := newFixture(t)
	f.enableSCPs(t)
	member := f.account(t, "security")
	if _, err := f.c.EnableAWSServiceAccess(f.ctx, &orgs.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(sso)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.RegisterDelegatedAdministrator(f.ctx, &orgs.RegisterDelegatedAdministratorInput{AccountId: aws.String(member), ServicePrincipal: aws.String(sso)}); err != nil {
		t.Fatal(err)
	}
	m := f.client(memberKey(member))
	accts, err := m.ListAccounts(f.ctx, &orgs.ListAccountsInput{})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "accounts the delegated administrator lists", 2, len(accts.Accounts))
	if _, err := m.ListPoliciesForTarget(f.ctx, &orgs.ListPoliciesForTargetInput{TargetId: aws.String(member), Filter: types.PolicyTypeServiceControlPolicy}); err != nil {
		t.Fatal(err)
	}
	_, err = m.DetachPolicy(f.ctx, &orgs.DetachPolicyInput{PolicyId: aws.String("p-FullAWSAccess"), TargetId: aws.String(f.rootID)})
	wantDenied(t, err)
	_, err = m.CreateOrganizationalUnit(f.ctx, &orgs.CreateOrganizationalUnitInput{ParentId: aws.String(f.rootID), Name: aws.String("Mine")})
	wantDenied(t, err)
	_, err = m.MoveAccount(f.ctx, &orgs.MoveAccountInput{AccountId: aws.String(member), SourceParentId: aws.String(f.rootID),
		DestinationParentId: aws.String(f.rootID)})
	wantDenied(t, err)
}

func wantDenied(t *testing.T, err error) {
	t.Helper()
	e := wantErr[*types.AccessDeniedException](t, err)
	equal(t, "message", "You don't have permissions to access this resource.", aws.ToString(e.Message))
}
