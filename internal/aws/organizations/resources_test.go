package organizations_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	orgs "github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/keyward/keyward/internal/aws/authz"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// withIAM serves the fixture behind IAM policy evaluation (authz), as
// internal/app does.
func withIAM(t *testing.T) *fixture {
	t.Helper()
	return serve(t, func(db store.AWS, clk clock.Clock) gateway.Authorizer {
		return authz.New(db, clk, mgmtID, orgID).Authorize
	})
}

// role creates a role in the management account with one inline policy
// and returns a client signing as a session of it.
func (f *fixture) role(t *testing.T, name, policy string) *orgs.Client {
	t.Helper()
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + mgmtID + `:root"},"Action":"sts:AssumeRole"}]}`
	r := iam.Role{AccountID: mgmtID, ID: "AROA" + strings.ToUpper(name), Name: name, Path: "/", TrustPolicy: trust, MaxSessionDuration: 3600}
	if err := f.s.CreateIAMRole(f.ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := f.s.PutRolePolicy(f.ctx, mgmtID, name, store.RolePolicy{Name: "p", Document: policy}); err != nil {
		t.Fatal(err)
	}
	return f.client(roleKey(name))
}

// wantIAMDenied fails t unless err is an access denial by IAM policy
// evaluation on resource.
func wantIAMDenied(t *testing.T, err error, action, resource string) {
	t.Helper()
	e := wantErr[*types.AccessDeniedException](t, err)
	want := "is not authorized to perform: organizations:" + action + " on resource: " + resource
	if !strings.Contains(aws.ToString(e.Message), want) {
		t.Errorf("message = %q, want it to contain %q", aws.ToString(e.Message), want)
	}
}

// arnPrefix begins the ARN of every resource of the organization.
const arnPrefix = "arn:aws:organizations::" + mgmtID + ":"

// A least-privilege policy names Organizations' resources by ARN, as the
// Service Authorization Reference lists them; keyward must evaluate it on
// the resource the call names, not on "*".
func TestPoliciesOnOrganizationsResourcesDecideOnTheResourceTheCallNames(t *testing.T) {
	f := withIAM(t)
	member := f.account(t, "workload")
	ou := f.ou(t, f.rootID, "Workloads")

	t.Run("an Allow on the organization's accounts lets a role describe an account and nothing else", func(t *testing.T) {
		c := f.role(t, "AccountReader", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"organizations:Describe*","Resource":"`+arnPrefix+`account/`+orgID+`/*"}]}`)
		out, err := c.DescribeAccount(f.ctx, &orgs.DescribeAccountInput{AccountId: aws.String(member)})
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "account", member, aws.ToString(out.Account.Id))
		_, err = c.DescribeOrganizationalUnit(f.ctx, &orgs.DescribeOrganizationalUnitInput{OrganizationalUnitId: aws.String(ou)})
		wantIAMDenied(t, err, "DescribeOrganizationalUnit", arnPrefix+"ou/"+orgID+"/"+ou)
	})

	t.Run("a Deny on one OU refuses changing that OU only", func(t *testing.T) {
		other := f.ou(t, f.rootID, "Sandbox")
		c := f.role(t, "OUAdmin", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"organizations:*","Resource":"*"},
			{"Effect":"Deny","Action":"organizations:UpdateOrganizationalUnit","Resource":"`+arnPrefix+`ou/`+orgID+`/`+ou+`"}]}`)
		_, err := c.UpdateOrganizationalUnit(f.ctx, &orgs.UpdateOrganizationalUnitInput{OrganizationalUnitId: aws.String(ou), Name: aws.String("Renamed")})
		wantIAMDenied(t, err, "UpdateOrganizationalUnit", arnPrefix+"ou/"+orgID+"/"+ou)
		if _, err := c.UpdateOrganizationalUnit(f.ctx, &orgs.UpdateOrganizationalUnitInput{OrganizationalUnitId: aws.String(other), Name: aws.String("Renamed")}); err != nil {
			t.Errorf("UpdateOrganizationalUnit of the other OU: %v", err)
		}
	})

	t.Run("attaching a policy needs both the policy and the target allowed", func(t *testing.T) {
		f.enableSCPs(t)
		scp := f.scp(t, "NoRoleDeletion")
		policyARN := arnPrefix + "policy/" + orgID + "/service_control_policy/" + scp
		onlyPolicy := f.role(t, "PolicyOnly", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"organizations:AttachPolicy","Resource":"`+policyARN+`"}]}`)
		_, err := onlyPolicy.AttachPolicy(f.ctx, &orgs.AttachPolicyInput{PolicyId: aws.String(scp), TargetId: aws.String(member)})
		wantIAMDenied(t, err, "AttachPolicy", arnPrefix+"account/"+orgID+"/"+member)
		onlyTarget := f.role(t, "TargetOnly", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"organizations:AttachPolicy","Resource":"`+arnPrefix+`account/`+orgID+`/*"}]}`)
		_, err = onlyTarget.AttachPolicy(f.ctx, &orgs.AttachPolicyInput{PolicyId: aws.String(scp), TargetId: aws.String(member)})
		wantIAMDenied(t, err, "AttachPolicy", policyARN)
		both := f.role(t, "Both", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"organizations:AttachPolicy","Resource":["`+policyARN+`","`+arnPrefix+`account/`+orgID+`/*"]}]}`)
		if _, err := both.AttachPolicy(f.ctx, &orgs.AttachPolicyInput{PolicyId: aws.String(scp), TargetId: aws.String(member)}); err != nil {
			t.Fatalf("AttachPolicy with both allowed: %v", err)
		}
		want := []string{"p-FullAWSAccess", scp}
		slices.Sort(want)
		equal(t, "policies on the member", want, f.policiesFor(t, member))
	})

	t.Run("moving an account needs the account and both parents allowed", func(t *testing.T) {
		c := f.role(t, "Mover", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"organizations:MoveAccount","Resource":["`+arnPrefix+`account/`+orgID+`/*","`+arnPrefix+`root/`+orgID+`/*"]}]}`)
		_, err := c.MoveAccount(f.ctx, &orgs.MoveAccountInput{AccountId: aws.String(member), SourceParentId: aws.String(f.rootID), DestinationParentId: aws.String(ou)})
		wantIAMDenied(t, err, "MoveAccount", arnPrefix+"ou/"+orgID+"/"+ou)
	})

	// The ARNs name the management account, yet IAM evaluates the call as
	// in the caller's account: Organizations' own rule (callers) decides
	// which member accounts may call, with no resource policy.
	t.Run("a delegated administrator in a member account still reads an account", func(t *testing.T) {
		if _, err := f.c.EnableAWSServiceAccess(f.ctx, &orgs.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(sso)}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.c.RegisterDelegatedAdministrator(f.ctx, &orgs.RegisterDelegatedAdministratorInput{AccountId: aws.String(member), ServicePrincipal: aws.String(sso)}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.client(memberKey(member)).DescribeAccount(f.ctx, &orgs.DescribeAccountInput{AccountId: aws.String(mgmtID)}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("the AWS managed policy has AWS's ARN", func(t *testing.T) {
		c := f.role(t, "ManagedReader", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"organizations:DescribePolicy","Resource":"arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"}]}`)
		if _, err := c.DescribePolicy(f.ctx, &orgs.DescribePolicyInput{PolicyId: aws.String("p-FullAWSAccess")}); err != nil {
			t.Fatal(err)
		}
	})
}
