package e2e

import (
	"testing"

	"github.com/keyward/keyward/internal/aws/webidentity/webidentitytest"
)

// TestTheIAMStory is issue 8's story as one end-to-end test, its steps in
// the order, on one keyward:
//
//	The administrator, with the AWS CLI v2 pointed at keyward, creates an
//	organizational unit and moves an account into it, attaches a service
//	control policy that denies iam:DeleteRole, registers a member account as
//	Identity Center's delegated administrator, creates a customer managed
//	policy in an account and a permission set that references it and has a
//	permissions boundary, and sets attributes for access control
//	(department from the user's profile). Alice, signed in through
//	`aws sso login` with the DevOps permission set, can now use keyward's
//	APIs within exactly what her policies allow: she lists roles in the
//	account, is refused iam:DeleteRole by the SCP with AWS's message,
//	assumes a second role with sts:AssumeRole whose trust policy requires
//	her department session tag, and opens the management console from the
//	portal with one click. Her colleague's CI job assumes a role with
//	AssumeRoleWithWebIdentity using an OIDC token from an identity provider
//	registered in IAM. A contractor federates straight into one account with
//	SAML (the seed's per-account federation): the identity provider's "AWS
//	Account Federation" app posts an assertion to the AWS sign-in endpoint,
//	he picks one of two roles and lands in the console; the same assertion
//	through AssumeRoleWithSAML gives the CLI credentials.
//
// A few checks that are not the story ride along where they cost nothing:
// a session from another department is refused the second role, signing
// out of the console keeps the portal session, a role alice lacks opens no
// console, a twelve-hour federation session is refused when the app is
// configured, and an assertion works once.
func TestTheIAMStory(t *testing.T) {
	is := startIAMStory(t)
	step := steps(t)
	step("the administrator creates an OU, moves Dev into it and attaches an SCP denying iam:DeleteRole", is.adminShapesTheOrganization)
	step("he registers Dev as Identity Center's delegated administrator", is.adminRegistersTheDelegatedAdministrator)
	step("in Dev he creates a customer managed policy, a boundary and a role trusting only the Engineering department", is.adminWritesDevsPolicies)
	step("DevOps references the policy and the boundary and is provisioned to Dev", is.adminExtendsDevOps)
	step("he sets the access control attribute department from the user's profile", is.adminSetsAccessControlAttributes)
	step("alice signs in through aws sso login with DevOps and lists the roles in the account", is.aliceListsRoles)
	step("she is refused iam:DeleteRole by the SCP with AWS's message", is.aliceIsRefusedDeleteRole)
	step("she assumes Deployer with sts:AssumeRole, whose trust policy requires her department session tag", is.aliceAssumesDeployer)
	step("moved to Sales, her next session is refused Deployer by its trust policy", is.salesIsRefusedDeployer)
	step("she opens the management console from the portal with one click and it shows her DevOps session", is.aliceOpensTheConsole)
	step("her colleague's CI job assumes a role with AssumeRoleWithWebIdentity and an OIDC token from a provider registered in IAM", is.ciJobAssumesARoleWithWebIdentity)
	step("the administrator creates the AWS Account Federation app with the Okta SDK, group mapping on", is.adminCreatesTheFederationApp)
	step("in the contractors' account he creates the SAML provider from the app's metadata and two roles trusting it", is.adminTrustsTheFederationApp)
	step("he maps the contractor's two groups and assigns the app", is.adminMapsTheContractorsGroups)
	step("with the API integration's key, a session longer than a mapped role's maximum is refused when configured", is.adminIsRefusedATwelveHourSession)
	step("the contractor signs in at the identity provider, picks the second role and lands in the console", is.contractorLandsInTheConsole)
	step("the same assertion through aws sts assume-role-with-saml gives credentials of that role session, once", is.contractorGetsCLICredentials)
}

// iamStory is the story's shared state, filled in step by step.
type iamStory struct {
	s           *server
	c           *awsCLI
	okta        *oktaAdmin              // the identity provider's administrator
	iss         *webidentitytest.Issuer // the CI job's OIDC identity provider
	st          cliStory                // alice, Developers and DevOps on Dev
	dev         profileCLI              // the administrator in Dev, through its access role
	af          accountFederation       // the contractor's account and app
	contractors profileCLI              // the administrator in the contractors' account
	fed         *fedBrowser             // the contractor's browser
}

// startIAMStory starts keyward with the CI job's OIDC issuer reachable and
// alice, the Developers group and DevOps (AdministratorAccess) on Dev set
// up as the administrator's CLI story left them; the CLI holds her
// `aws configure sso` profile.
func startIAMStory(t *testing.T) *iamStory {
	dir := t.TempDir()
	iss := webidentitytest.New(t)
	webIdentityDials.Store(dir, iss.DialContext)
	t.Cleanup(func() { webIdentityDials.Delete(dir) })
	s := startIn(t, dir)
	is := &iamStory{s: s, c: newAWSCLI(t, s), okta: s.oktaAdmin(), iss: iss}
	sdk := s.setUpStory()
	is.st = cliStory{AccountID: sdk.AccountID, InstanceARN: sdk.InstanceARN, IdentityStoreID: sdk.IdentityStoreID,
		UserID: sdk.UserID, GroupID: sdk.GroupID, PermissionSetARN: sdk.PermissionSetARN}
	is.c.writeDevProfile(t, s, is.st)
	is.dev = is.c.assumedProfile(t, "dev-admin", "arn:aws:iam::"+is.st.AccountID+":role/OrganizationAccountAccessRole")
	return is
}
