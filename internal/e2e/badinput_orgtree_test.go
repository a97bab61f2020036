package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// orgFixture is the organization the bad-input cases of the OU, policy and
// delegation operations run against: the story's account moved into the
// Workloads OU, which has the NoRoleDeletion SCP attached, and registered
// as IAM Identity Center's delegated administrator.
type orgFixture struct {
	story
	root, ou, other, policy, mgmt string
}

func (s *server) setUpOrgTree(t *testing.T) orgFixture {
	t.Helper()
	f := orgFixture{story: s.setUpStory()}
	c := s.caller().withT(t)
	const op = "AWSOrganizationsV20161128."
	var roots struct{ Roots []struct{ Id string } }
	decode(t, c.mustJSON(op+"ListRoots", `{}`), &roots)
	f.root = roots.Roots[0].Id
	var org struct {
		Organization struct{ MasterAccountId string }
	}
	decode(t, c.mustJSON(op+"DescribeOrganization", `{}`), &org)
	f.mgmt = org.Organization.MasterAccountId
	c.mustJSON(op+"EnablePolicyType", `{"RootId":"`+f.root+`","PolicyType":"SERVICE_CONTROL_POLICY"}`)
	var ou struct{ OrganizationalUnit struct{ Id string } }
	decode(t, c.mustJSON(op+"CreateOrganizationalUnit", `{"ParentId":"`+f.root+`","Name":"Workloads"}`), &ou)
	f.ou = ou.OrganizationalUnit.Id
	decode(t, c.mustJSON(op+"CreateOrganizationalUnit", `{"ParentId":"`+f.root+`","Name":"Other"}`), &ou)
	f.other = ou.OrganizationalUnit.Id
	var pol struct {
		Policy struct{ PolicySummary struct{ Id string } }
	}
	body, _ := json.Marshal(map[string]string{"Name": "NoRoleDeletion", "Description": "", "Type": "SERVICE_CONTROL_POLICY", "Content": denyDeleteRoleSCP})
	decode(t, c.mustJSON(op+"CreatePolicy", string(body)), &pol)
	f.policy = pol.Policy.PolicySummary.Id
	c.mustJSON(op+"AttachPolicy", `{"PolicyId":"`+f.policy+`","TargetId":"`+f.ou+`"}`)
	c.mustJSON(op+"MoveAccount", `{"AccountId":"`+f.AccountID+`","SourceParentId":"`+f.root+`","DestinationParentId":"`+f.ou+`"}`)
	c.mustJSON(op+"EnableAWSServiceAccess", `{"ServicePrincipal":"sso.amazonaws.com"}`)
	c.mustJSON(op+"RegisterDelegatedAdministrator", `{"AccountId":"`+f.AccountID+`","ServicePrincipal":"sso.amazonaws.com"}`)
	return f
}

func decode(t *testing.T, m map[string]any, v any) {
	t.Helper()
	b, err := json.Marshal(m)
	must(t, err)
	must(t, json.Unmarshal(b, v))
}

// ids fills {root}, {ou}, {other}, {policy} and {mgmt}, then the story's own.
func (f orgFixture) ids(body string) string {
	return f.story.ids(strings.NewReplacer("{root}", f.root, "{ou}", f.ou, "{other}", f.other,
		"{policy}", f.policy, "{mgmt}", f.mgmt).Replace(body))
}

// orgState is everything Organizations lists about the fixture, as raw bodies.
func (c *caller) orgState(f orgFixture) map[string]string {
	c.t.Helper()
	reads := []string{
		`DescribeOrganization {}`, `ListRoots {}`, `ListAccounts {}`,
		`ListOrganizationalUnitsForParent {"ParentId":"{root}"}`, `ListAccountsForParent {"ParentId":"{root}"}`,
		`ListAccountsForParent {"ParentId":"{ou}"}`, `DescribeOrganizationalUnit {"OrganizationalUnitId":"{ou}"}`,
		`ListPolicies {"Filter":"SERVICE_CONTROL_POLICY"}`, `DescribePolicy {"PolicyId":"{policy}"}`,
		`ListTargetsForPolicy {"PolicyId":"{policy}"}`, `ListTargetsForPolicy {"PolicyId":"p-FullAWSAccess"}`,
		`ListTagsForResource {"ResourceId":"{root}"}`, `ListTagsForResource {"ResourceId":"{ou}"}`,
		`ListTagsForResource {"ResourceId":"{account}"}`, `ListTagsForResource {"ResourceId":"{policy}"}`,
		`ListDelegatedAdministrators {}`, `ListAWSServiceAccessForOrganization {}`,
	}
	out := map[string]string{}
	for _, r := range reads {
		op, body, _ := strings.Cut(r, " ")
		w := c.json("AWSOrganizationsV20161128."+op, f.ids(body))
		if w.Status != http.StatusOK {
			c.t.Fatalf("%s: status %d: %s", r, w.Status, w.Body)
		}
		out[r] = string(w.Body)
	}
	return out
}

// runOrgCases sends each case and checks its error and that neither the
// story's state nor the organization changed.
func runOrgCases(t *testing.T, s *server, f orgFixture, cases []jsonCase) {
	c := s.caller().withT(t)
	before, beforeOrg := c.snapshot(f.story), c.orgState(f)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := c.withT(t)
			e := awsJSONError(t, c.json("AWSOrganizationsV20161128."+tc.op, f.ids(tc.body)), tc.code, tc.msg)
			if e.Reason != tc.reason {
				t.Errorf("Reason = %q, want %q", e.Reason, tc.reason)
			}
			c.unchanged(f.story, before)
			for k, v := range c.orgState(f) {
				if beforeOrg[k] != v {
					t.Errorf("the refused request changed %s:\nbefore %s\nafter  %s", k, beforeOrg[k], v)
				}
			}
		})
	}
}

// fiftyOneTags is a Tags list one over the limit.
func fiftyOneTags() string {
	var b strings.Builder
	for i := range 51 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"Key":"k%d","Value":"v"}`, i)
	}
	return "[" + b.String() + "]"
}

func TestOrganizationsTreeRefusesBadInputAndChangesNothing(t *testing.T) {
	s := start(t)
	f := s.setUpOrgTree(t)
	long := strings.Repeat("n", 129)
	runOrgCases(t, s, f, []jsonCase{
		{name: "CreateOrganization with an unknown feature set is an InvalidInputException", op: "CreateOrganization", body: `{"FeatureSet":"HALF"}`,
			code: "InvalidInputException", msg: "ALL or CONSOLIDATED_BILLING", reason: "INVALID_ENUM"},
		{name: "CreateOrganization is an AlreadyInOrganizationException", op: "CreateOrganization", body: `{"FeatureSet":"ALL"}`,
			code: "AlreadyInOrganizationException", msg: "already a member of an organization"},
		{name: "ListRoots with MaxResults 0 is an InvalidInputException", op: "ListRoots", body: `{"MaxResults":0}`,
			code: "InvalidInputException", msg: "MaxResults must be between 1 and 20"},
		{name: "ListRoots with a forged NextToken is an InvalidInputException", op: "ListRoots", body: `{"NextToken":"x"}`,
			code: "InvalidInputException", msg: "NextToken", reason: "INVALID_NEXT_TOKEN"},
		{name: "an OU without a parent is an InvalidInputException", op: "CreateOrganizationalUnit", body: `{"Name":"X"}`,
			code: "InvalidInputException", msg: "parentId", reason: "INPUT_REQUIRED"},
		{name: "an OU under a malformed parent id is an InvalidInputException", op: "CreateOrganizationalUnit", body: `{"ParentId":"root","Name":"X"}`,
			code: "InvalidInputException", msg: "ParentId", reason: "INVALID_PATTERN"},
		{name: "an OU under a missing parent is a ParentNotFoundException", op: "CreateOrganizationalUnit", body: `{"ParentId":"ou-zzzz-00000000","Name":"X"}`,
			code: "ParentNotFoundException", msg: "ParentId"},
		{name: "an OU without a name is an InvalidInputException", op: "CreateOrganizationalUnit", body: `{"ParentId":"{root}"}`,
			code: "InvalidInputException", msg: "Name must be 1 to 128 characters", reason: "MIN_LENGTH_EXCEEDED"},
		{name: "an OU name of 129 characters is an InvalidInputException", op: "CreateOrganizationalUnit", body: `{"ParentId":"{root}","Name":"` + long + `"}`,
			code: "InvalidInputException", msg: "Name must be 1 to 128 characters", reason: "MAX_LENGTH_EXCEEDED"},
		{name: "a second Workloads under the root is a DuplicateOrganizationalUnitException", op: "CreateOrganizationalUnit",
			body: `{"ParentId":"{root}","Name":"Workloads"}`, code: "DuplicateOrganizationalUnitException", msg: "same name"},
		{name: "an OU with a reserved tag key is an InvalidInputException", op: "CreateOrganizationalUnit",
			body: `{"ParentId":"{root}","Name":"X","Tags":[{"Key":"aws:x","Value":"v"}]}`, code: "InvalidInputException", msg: "aws:", reason: "INVALID_SYSTEM_TAGS_PARAMETER"},
		{name: "an OU with 51 tags is a ConstraintViolationException", op: "CreateOrganizationalUnit",
			body: `{"ParentId":"{root}","Name":"X","Tags":` + fiftyOneTags() + `}`, code: "ConstraintViolationException", msg: "number of tags", reason: "MAX_TAG_LIMIT_EXCEEDED"},
		{name: "a number for an OU name is a SerializationException", op: "CreateOrganizationalUnit", body: `{"ParentId":"{root}","Name":7}`,
			code: "SerializationException", msg: "Name must be a string"},
		{name: "a malformed OU id is an InvalidInputException", op: "DescribeOrganizationalUnit", body: `{"OrganizationalUnitId":"ou-1"}`,
			code: "InvalidInputException", msg: "OrganizationalUnitId", reason: "INVALID_PATTERN"},
		{name: "a missing OU is an OrganizationalUnitNotFoundException", op: "DescribeOrganizationalUnit", body: `{"OrganizationalUnitId":"ou-zzzz-00000000"}`,
			code: "OrganizationalUnitNotFoundException", msg: "OrganizationalUnitId"},
		{name: "renaming an OU onto a sibling's name is a DuplicateOrganizationalUnitException", op: "UpdateOrganizationalUnit",
			body: `{"OrganizationalUnitId":"{other}","Name":"Workloads"}`, code: "DuplicateOrganizationalUnitException", msg: "same name"},
		{name: "renaming an OU to 129 characters is an InvalidInputException", op: "UpdateOrganizationalUnit",
			body: `{"OrganizationalUnitId":"{other}","Name":"` + long + `"}`, code: "InvalidInputException", msg: "Name", reason: "MAX_LENGTH_EXCEEDED"},
		{name: "renaming a missing OU is an OrganizationalUnitNotFoundException", op: "UpdateOrganizationalUnit",
			body: `{"OrganizationalUnitId":"ou-zzzz-00000000","Name":"X"}`, code: "OrganizationalUnitNotFoundException", msg: "OrganizationalUnitId"},
		{name: "deleting an OU holding an account is an OrganizationalUnitNotEmptyException", op: "DeleteOrganizationalUnit",
			body: `{"OrganizationalUnitId":"{ou}"}`, code: "OrganizationalUnitNotEmptyException", msg: "not empty"},
		{name: "deleting without an OU id is an InvalidInputException", op: "DeleteOrganizationalUnit", body: `{}`,
			code: "InvalidInputException", msg: "organizationalUnitId", reason: "INPUT_REQUIRED"},
		{name: "listing OUs under a missing parent is a ParentNotFoundException", op: "ListOrganizationalUnitsForParent",
			body: `{"ParentId":"r-zzzz"}`, code: "ParentNotFoundException", msg: "ParentId"},
		{name: "listing OUs with MaxResults 21 is an InvalidInputException", op: "ListOrganizationalUnitsForParent",
			body: `{"ParentId":"{root}","MaxResults":21}`, code: "InvalidInputException", msg: "MaxResults must be between 1 and 20"},
		{name: "listing OUs with a forged NextToken is an InvalidInputException", op: "ListOrganizationalUnitsForParent",
			body: `{"ParentId":"{root}","NextToken":"forged"}`, code: "InvalidInputException", msg: "NextToken", reason: "INVALID_NEXT_TOKEN"},
		{name: "ListChildren with an unknown child type is an InvalidInputException", op: "ListChildren",
			body: `{"ParentId":"{root}","ChildType":"USER"}`, code: "InvalidInputException", msg: "ACCOUNT or ORGANIZATIONAL_UNIT", reason: "INVALID_ENUM"},
		{name: "ListChildren without a child type is an InvalidInputException", op: "ListChildren",
			body: `{"ParentId":"{root}"}`, code: "InvalidInputException", msg: "childType", reason: "INPUT_REQUIRED"},
		{name: "ListParents of the root is an InvalidInputException", op: "ListParents", body: `{"ChildId":"{root}"}`,
			code: "InvalidInputException", msg: "ChildId", reason: "INVALID_PATTERN"},
		{name: "ListParents of a missing account is a ChildNotFoundException", op: "ListParents", body: `{"ChildId":"999999999999"}`,
			code: "ChildNotFoundException", msg: "ChildId"},
		{name: "ListAccountsForParent of a missing OU is a ParentNotFoundException", op: "ListAccountsForParent",
			body: `{"ParentId":"ou-zzzz-00000000"}`, code: "ParentNotFoundException", msg: "ParentId"},
		{name: "moving from a parent the account is not under is a SourceParentNotFoundException", op: "MoveAccount",
			body: `{"AccountId":"{account}","SourceParentId":"{root}","DestinationParentId":"{other}"}`, code: "SourceParentNotFoundException", msg: "source"},
		{name: "moving to a missing parent is a DestinationParentNotFoundException", op: "MoveAccount",
			body: `{"AccountId":"{account}","SourceParentId":"{ou}","DestinationParentId":"ou-zzzz-00000000"}`, code: "DestinationParentNotFoundException", msg: "destination"},
		{name: "moving to where the account is is a DuplicateAccountException", op: "MoveAccount",
			body: `{"AccountId":"{account}","SourceParentId":"{ou}","DestinationParentId":"{ou}"}`, code: "DuplicateAccountException", msg: "already present"},
		{name: "moving a missing account is an AccountNotFoundException", op: "MoveAccount",
			body: `{"AccountId":"999999999999","SourceParentId":"{root}","DestinationParentId":"{ou}"}`, code: "AccountNotFoundException", msg: "doesn't exist"},
		{name: "moving without a destination is an InvalidInputException", op: "MoveAccount",
			body: `{"AccountId":"{account}","SourceParentId":"{ou}"}`, code: "InvalidInputException", msg: "destinationParentId", reason: "INPUT_REQUIRED"},
	})
}
