package organizations_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	orgs "github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

const sso = "sso.amazonaws.com"

func TestADelegatedAdministratorIsRegisteredListedAndDeregistered(t *testing.T) {
	f := newFixture(t)
	acct := f.account(t, "security")
	register := func(id string) error {
		_, err := f.c.RegisterDelegatedAdministrator(f.ctx, &orgs.RegisterDelegatedAdministratorInput{AccountId: aws.String(id), ServicePrincipal: aws.String(sso)})
		return err
	}
	e := wantErr[*types.ConstraintViolationException](t, register(acct))
	equal(t, "reason before trusted access", types.ConstraintViolationExceptionReasonServiceAccessNotEnabled, e.Reason)
	if _, err := f.c.EnableAWSServiceAccess(f.ctx, &orgs.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(sso)}); err != nil {
		t.Fatal(err)
	}
	access, err := f.c.ListAWSServiceAccessForOrganization(f.ctx, &orgs.ListAWSServiceAccessForOrganizationInput{})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "trusted services", sso, aws.ToString(access.EnabledServicePrincipals[0].ServicePrincipal))
	if err := register(acct); err != nil {
		t.Fatal(err)
	}
	wantErr[*types.AccountAlreadyRegisteredException](t, register(acct))
	e = wantErr[*types.ConstraintViolationException](t, register(f.account(t, "second")))
	equal(t, "reason for a second Identity Center administrator", types.ConstraintViolationExceptionReasonDelegatedAdministratorExistsForThisService, e.Reason)
	e = wantErr[*types.ConstraintViolationException](t, register(mgmtID))
	equal(t, "reason for the management account", types.ConstraintViolationExceptionReasonCannotRegisterMasterAsDelegatedAdministrator, e.Reason)
	wantErr[*types.AccountNotFoundException](t, register("999999999999"))

	admins, err := f.c.ListDelegatedAdministrators(f.ctx, &orgs.ListDelegatedAdministratorsInput{ServicePrincipal: aws.String(sso)})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "admin", acct+" security", aws.ToString(admins.DelegatedAdministrators[0].Id)+" "+aws.ToString(admins.DelegatedAdministrators[0].Name))
	if admins.DelegatedAdministrators[0].DelegationEnabledDate == nil {
		t.Error("DelegationEnabledDate is missing")
	}
	services, err := f.c.ListDelegatedServicesForAccount(f.ctx, &orgs.ListDelegatedServicesForAccountInput{AccountId: aws.String(acct)})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "services", sso, aws.ToString(services.DelegatedServices[0].ServicePrincipal))
	if _, err := f.c.DeregisterDelegatedAdministrator(f.ctx, &orgs.DeregisterDelegatedAdministratorInput{AccountId: aws.String(acct), ServicePrincipal: aws.String(sso)}); err != nil {
		t.Fatal(err)
	}
	_, err = f.c.DeregisterDelegatedAdministrator(f.ctx, &orgs.DeregisterDelegatedAdministratorInput{AccountId: aws.String(acct), ServicePrincipal: aws.String(sso)})
	wantErr[*types.AccountNotRegisteredException](t, err)
	_, err = f.c.ListDelegatedServicesForAccount(f.ctx, &orgs.ListDelegatedServicesForAccountInput{AccountId: aws.String(acct)})
	wantErr[*types.AccountNotRegisteredException](t, err)
	if _, err := f.c.DisableAWSServiceAccess(f.ctx, &orgs.DisableAWSServiceAccessInput{ServicePrincipal: aws.String(sso)}); err != nil {
		t.Fatal(err)
	}
	access, err = f.c.ListAWSServiceAccessForOrganization(f.ctx, &orgs.ListAWSServiceAccessForOrganizationInput{})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "trusted services after disabling", 0, len(access.EnabledServicePrincipals))
}

func TestTagsOnAccountsRootsAndPolicies(t *testing.T) {
	f := newFixture(t)
	acct := f.account(t, "dev")
	for _, id := range []string{acct, f.rootID, f.scp(t, "Deny")} {
		t.Run("a tag on "+id+" is added, listed and removed", func(t *testing.T) {
			if _, err := f.c.TagResource(f.ctx, &orgs.TagResourceInput{ResourceId: aws.String(id),
				Tags: []types.Tag{{Key: aws.String("owner"), Value: aws.String("platform")}}}); err != nil {
				t.Fatal(err)
			}
			out, err := f.c.ListTagsForResource(f.ctx, &orgs.ListTagsForResourceInput{ResourceId: aws.String(id)})
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "tags", []types.Tag{{Key: aws.String("owner"), Value: aws.String("platform")}}, out.Tags)
			if _, err := f.c.UntagResource(f.ctx, &orgs.UntagResourceInput{ResourceId: aws.String(id), TagKeys: []string{"owner"}}); err != nil {
				t.Fatal(err)
			}
			out, err = f.c.ListTagsForResource(f.ctx, &orgs.ListTagsForResourceInput{ResourceId: aws.String(id)})
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "tags after untagging", 0, len(out.Tags))
		})
	}
	t.Run("tagging a missing resource is a TargetNotFoundException", func(t *testing.T) {
		_, err := f.c.TagResource(f.ctx, &orgs.TagResourceInput{ResourceId: aws.String("ou-zzzz-00000000"),
			Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
		wantErr[*types.TargetNotFoundException](t, err)
	})
	t.Run("a reserved aws: key is an InvalidInputException INVALID_SYSTEM_TAGS_PARAMETER", func(t *testing.T) {
		_, err := f.c.TagResource(f.ctx, &orgs.TagResourceInput{ResourceId: aws.String(acct),
			Tags: []types.Tag{{Key: aws.String("aws:owner"), Value: aws.String("v")}}})
		equal(t, "reason", types.InvalidInputExceptionReasonInvalidSystemTagsParameter, wantErr[*types.InvalidInputException](t, err).Reason)
	})
	t.Run("tags given at CreateAccount are stored", func(t *testing.T) {
		out, err := f.c.CreateAccount(f.ctx, &orgs.CreateAccountInput{AccountName: aws.String("tagged"), Email: aws.String("tagged@example.com"),
			Tags: []types.Tag{{Key: aws.String("cost-center"), Value: aws.String("42")}}})
		if err != nil {
			t.Fatal(err)
		}
		tags, err := f.c.ListTagsForResource(f.ctx, &orgs.ListTagsForResourceInput{ResourceId: out.CreateAccountStatus.AccountId})
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "tags", []types.Tag{{Key: aws.String("cost-center"), Value: aws.String("42")}}, tags.Tags)
	})
}
