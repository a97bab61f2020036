package organizations_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	orgs "github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// TestANextTokenContinuesOnlyItsOwnList: a list's NextToken sent with
// other parameters (another parent, target or policy) is
// InvalidInputException INVALID_NEXT_TOKEN, as in AWS, not the other list
// part-way through; with its own parameters it still continues its list.
func TestANextTokenContinuesOnlyItsOwnList(t *testing.T) {
	f := newFixture(t)
	f.enableSCPs(t)
	ouA := f.ou(t, f.rootID, "A")
	f.ou(t, f.rootID, "B")
	f.ou(t, ouA, "A1")
	f.ou(t, ouA, "A2")
	f.account(t, "root-member") // the root holds it and the management account
	for _, name := range []string{"a-member-1", "a-member-2"} {
		if _, err := f.c.MoveAccount(f.ctx, &orgs.MoveAccountInput{AccountId: aws.String(f.account(t, name)),
			SourceParentId: aws.String(f.rootID), DestinationParentId: aws.String(ouA)}); err != nil {
			t.Fatal(err)
		}
	}
	s1, s2 := f.scp(t, "s1"), f.scp(t, "s2")
	for _, at := range [][2]string{{s1, f.rootID}, {s1, ouA}, {s2, ouA}} {
		if _, err := f.c.AttachPolicy(f.ctx, &orgs.AttachPolicyInput{PolicyId: aws.String(at[0]), TargetId: aws.String(at[1])}); err != nil {
			t.Fatal(err)
		}
	}

	// list returns one page of a list of what it is given: its ids and NextToken.
	type list func(c *orgs.Client, ctx context.Context, of string, token *string) ([]string, *string, error)
	one := aws.Int32(1)
	for _, tc := range []struct {
		op   string
		a, b string // two lists of at least two items each
		list list
	}{
		{"ListChildren", f.rootID, ouA, func(c *orgs.Client, ctx context.Context, of string, token *string) ([]string, *string, error) {
			out, err := c.ListChildren(ctx, &orgs.ListChildrenInput{ParentId: &of, ChildType: types.ChildTypeOrganizationalUnit, MaxResults: one, NextToken: token})
			if err != nil {
				return nil, nil, err
			}
			var ids []string
			for _, c := range out.Children {
				ids = append(ids, aws.ToString(c.Id))
			}
			return ids, out.NextToken, nil
		}},
		{"ListOrganizationalUnitsForParent", ouA, f.rootID, func(c *orgs.Client, ctx context.Context, of string, token *string) ([]string, *string, error) {
			out, err := c.ListOrganizationalUnitsForParent(ctx, &orgs.ListOrganizationalUnitsForParentInput{ParentId: &of, MaxResults: one, NextToken: token})
			if err != nil {
				return nil, nil, err
			}
			var ids []string
			for _, ou := range out.OrganizationalUnits {
				ids = append(ids, aws.ToString(ou.Id))
			}
			return ids, out.NextToken, nil
		}},
		{"ListAccountsForParent", f.rootID, ouA, func(c *orgs.Client, ctx context.Context, of string, token *string) ([]string, *string, error) {
			out, err := c.ListAccountsForParent(ctx, &orgs.ListAccountsForParentInput{ParentId: &of, MaxResults: one, NextToken: token})
			if err != nil {
				return nil, nil, err
			}
			var ids []string
			for _, a := range out.Accounts {
				ids = append(ids, aws.ToString(a.Id))
			}
			return ids, out.NextToken, nil
		}},
		{"ListPoliciesForTarget", ouA, f.rootID, func(c *orgs.Client, ctx context.Context, of string, token *string) ([]string, *string, error) {
			out, err := c.ListPoliciesForTarget(ctx, &orgs.ListPoliciesForTargetInput{TargetId: &of, Filter: types.PolicyTypeServiceControlPolicy, MaxResults: one, NextToken: token})
			if err != nil {
				return nil, nil, err
			}
			var ids []string
			for _, p := range out.Policies {
				ids = append(ids, aws.ToString(p.Id))
			}
			return ids, out.NextToken, nil
		}},
		{"ListTargetsForPolicy", "p-FullAWSAccess", s1, func(c *orgs.Client, ctx context.Context, of string, token *string) ([]string, *string, error) {
			out, err := c.ListTargetsForPolicy(ctx, &orgs.ListTargetsForPolicyInput{PolicyId: &of, MaxResults: one, NextToken: token})
			if err != nil {
				return nil, nil, err
			}
			var ids []string
			for _, tg := range out.Targets {
				ids = append(ids, aws.ToString(tg.TargetId))
			}
			return ids, out.NextToken, nil
		}},
	} {
		t.Run(tc.op, func(t *testing.T) {
			var all []string // list a, one item a page
			var first *string
			for token := (*string)(nil); ; {
				ids, next, err := tc.list(f.c, f.ctx, tc.a, token)
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, ids...)
				if first == nil {
					first = next
				}
				if token = next; token == nil {
					break
				}
			}
			if first == nil || len(all) < 2 {
				t.Fatalf("list of %s: %d items, first NextToken %v: the test needs a second page", tc.a, len(all), first)
			}

			_, _, err := tc.list(f.c, f.ctx, tc.b, first)
			e := wantErr[*types.InvalidInputException](t, err)
			equal(t, "reason for "+tc.a+"'s token sent with "+tc.b, types.InvalidInputExceptionReasonInvalidPaginationToken, e.Reason)

			rest, _, err := tc.list(f.c, f.ctx, tc.a, first)
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "second page of "+tc.a, all[1:2], rest)
		})
	}
}
