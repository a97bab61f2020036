package organizations_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	orgs "github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

func TestAnOUIsCreatedDescribedRenamedAndDeleted(t *testing.T) {
	f := newFixture(t)
	out, err := f.c.CreateOrganizationalUnit(f.ctx, &orgs.CreateOrganizationalUnitInput{ParentId: aws.String(f.rootID),
		Name: aws.String("Workloads"), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.OrganizationalUnit.Id)
	equal(t, "OU", types.OrganizationalUnit{Id: aws.String(id), Name: aws.String("Workloads"),
		Arn:  aws.String("arn:aws:organizations::" + mgmtID + ":ou/" + orgID + "/" + id),
		Path: aws.String(orgID + "/" + f.rootID + "/" + id + "/")}, *out.OrganizationalUnit)

	tags, err := f.c.ListTagsForResource(f.ctx, &orgs.ListTagsForResourceInput{ResourceId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "tags", "env=prod", aws.ToString(tags.Tags[0].Key)+"="+aws.ToString(tags.Tags[0].Value))

	renamed, err := f.c.UpdateOrganizationalUnit(f.ctx, &orgs.UpdateOrganizationalUnitInput{OrganizationalUnitId: aws.String(id), Name: aws.String("Apps")})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "new name", "Apps", aws.ToString(renamed.OrganizationalUnit.Name))
	if _, err := f.c.DeleteOrganizationalUnit(f.ctx, &orgs.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = f.c.DescribeOrganizationalUnit(f.ctx, &orgs.DescribeOrganizationalUnitInput{OrganizationalUnitId: aws.String(id)})
	wantErr[*types.OrganizationalUnitNotFoundException](t, err)
}

func TestAnAccountMovesIntoAnOUAndTheTreeFollows(t *testing.T) {
	f := newFixture(t)
	acct := f.account(t, "dev")
	ou := f.ou(t, f.rootID, "Sandbox")
	child := f.ou(t, ou, "Team")
	if _, err := f.c.MoveAccount(f.ctx, &orgs.MoveAccountInput{AccountId: aws.String(acct),
		SourceParentId: aws.String(f.rootID), DestinationParentId: aws.String(child)}); err != nil {
		t.Fatal(err)
	}
	parents, err := f.c.ListParents(f.ctx, &orgs.ListParentsInput{ChildId: aws.String(acct)})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "parent", child+" "+string(types.ParentTypeOrganizationalUnit),
		aws.ToString(parents.Parents[0].Id)+" "+string(parents.Parents[0].Type))
	d, err := f.c.DescribeAccount(f.ctx, &orgs.DescribeAccountInput{AccountId: aws.String(acct)})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "paths", []string{orgID + "/" + f.rootID + "/" + ou + "/" + child + "/" + acct + "/"}, d.Account.Paths)
	kids, err := f.c.ListChildren(f.ctx, &orgs.ListChildrenInput{ParentId: aws.String(ou), ChildType: types.ChildTypeOrganizationalUnit})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "children", []string{child}, []string{aws.ToString(kids.Children[0].Id)})
	under, err := f.c.ListAccountsForParent(f.ctx, &orgs.ListAccountsForParentInput{ParentId: aws.String(child)})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "accounts under the OU", []string{acct}, []string{aws.ToString(under.Accounts[0].Id)})
	ous, err := f.c.ListOrganizationalUnitsForParent(f.ctx, &orgs.ListOrganizationalUnitsForParentInput{ParentId: aws.String(f.rootID)})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "OUs under the root", []string{ou}, []string{aws.ToString(ous.OrganizationalUnits[0].Id)})
	roots, err := f.c.ListRoots(f.ctx, &orgs.ListRootsInput{})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "root", f.rootID+" Root", aws.ToString(roots.Roots[0].Id)+" "+aws.ToString(roots.Roots[0].Name))
}

func TestTheTreeRefusesWhatAWSRefuses(t *testing.T) {
	f := newFixture(t)
	acct := f.account(t, "dev")
	ou := f.ou(t, f.rootID, "Sandbox")
	if _, err := f.c.MoveAccount(f.ctx, &orgs.MoveAccountInput{AccountId: aws.String(acct),
		SourceParentId: aws.String(f.rootID), DestinationParentId: aws.String(ou)}); err != nil {
		t.Fatal(err)
	}
	move := func(src, dst string) error {
		_, err := f.c.MoveAccount(f.ctx, &orgs.MoveAccountInput{AccountId: aws.String(acct),
			SourceParentId: aws.String(src), DestinationParentId: aws.String(dst)})
		return err
	}
	t.Run("a second OU of the same name under one parent is a DuplicateOrganizationalUnitException", func(t *testing.T) {
		_, err := f.c.CreateOrganizationalUnit(f.ctx, &orgs.CreateOrganizationalUnitInput{ParentId: aws.String(f.rootID), Name: aws.String("Sandbox")})
		wantErr[*types.DuplicateOrganizationalUnitException](t, err)
	})
	t.Run("an OU under a missing parent is a ParentNotFoundException", func(t *testing.T) {
		_, err := f.c.CreateOrganizationalUnit(f.ctx, &orgs.CreateOrganizationalUnitInput{ParentId: aws.String("ou-zzzz-00000000"), Name: aws.String("X")})
		wantErr[*types.ParentNotFoundException](t, err)
	})
	t.Run("deleting an OU holding an account is an OrganizationalUnitNotEmptyException", func(t *testing.T) {
		_, err := f.c.DeleteOrganizationalUnit(f.ctx, &orgs.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(ou)})
		wantErr[*types.OrganizationalUnitNotEmptyException](t, err)
	})
	t.Run("moving from a parent the account is not under is a SourceParentNotFoundException", func(t *testing.T) {
		wantErr[*types.SourceParentNotFoundException](t, move(f.rootID, ou))
	})
	t.Run("moving to a missing parent is a DestinationParentNotFoundException", func(t *testing.T) {
		wantErr[*types.DestinationParentNotFoundException](t, move(ou, "ou-zzzz-00000000"))
	})
	t.Run("moving to where the account already is is a DuplicateAccountException", func(t *testing.T) {
		wantErr[*types.DuplicateAccountException](t, move(ou, ou))
	})
	t.Run("the parents of a missing child are a ChildNotFoundException", func(t *testing.T) {
		_, err := f.c.ListParents(f.ctx, &orgs.ListParentsInput{ChildId: aws.String("999999999999")})
		wantErr[*types.ChildNotFoundException](t, err)
	})
	t.Run("creating an organization is an AlreadyInOrganizationException", func(t *testing.T) {
		_, err := f.c.CreateOrganization(f.ctx, &orgs.CreateOrganizationInput{FeatureSet: types.OrganizationFeatureSetAll})
		wantErr[*types.AlreadyInOrganizationException](t, err)
	})
	t.Run("a sixth level of OUs is a ConstraintViolationException OU_DEPTH_LIMIT_EXCEEDED", func(t *testing.T) {
		parent := ou
		for _, name := range []string{"2", "3", "4", "5"} {
			parent = f.ou(t, parent, name)
		}
		_, err := f.c.CreateOrganizationalUnit(f.ctx, &orgs.CreateOrganizationalUnitInput{ParentId: aws.String(parent), Name: aws.String("6")})
		e := wantErr[*types.ConstraintViolationException](t, err)
		equal(t, "reason", types.ConstraintViolationExceptionReasonOuDepthLimitExceeded, e.Reason)
	})
}
