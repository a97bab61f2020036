package ssoadmin_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/google/go-cmp/cmp"
)

// createPSs creates n permission sets and returns their ARNs in id order,
// the order ListPermissionSets pages them in.
func (s *server) createPSs(t *testing.T, n int) []string {
	t.Helper()
	var arns []string
	for i := range n {
		arns = append(arns, *s.createPS(t, fmt.Sprintf("Set%d", i)))
	}
	slices.Sort(arns) // one instance: the ARNs differ only in the id
	return arns
}

// listPS asks for one page of permission sets.
func (s *server) listPS(maxResults int32, token string) (*sdk.ListPermissionSetsOutput, error) {
	in := &sdk.ListPermissionSetsInput{InstanceArn: s.inst}
	if maxResults != 0 {
		in.MaxResults = aws.Int32(maxResults)
	}
	if token != "" {
		in.NextToken = aws.String(token)
	}
	return s.admin.ListPermissionSets(s.ctx, in)
}

func TestListPermissionSetsPagesInIDOrder(t *testing.T) {
	s := newServer(t)
	want := s.createPSs(t, 5)

	t.Run("MaxResults 2 gives pages of 2, 2 and 1, and no NextToken after the last", func(t *testing.T) {
		var got []string
		var sizes []int
		token := ""
		for len(sizes) < 10 {
			page, err := s.listPS(2, token)
			must(t, err)
			got, sizes = append(got, page.PermissionSets...), append(sizes, len(page.PermissionSets))
			if token = aws.ToString(page.NextToken); token == "" {
				break
			}
		}
		if diff := cmp.Diff([]int{2, 2, 1}, sizes); diff != "" {
			t.Errorf("page sizes (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("paged permission sets (-want +got):\n%s", diff)
		}
	})
	t.Run("without MaxResults every permission set fits on one page", func(t *testing.T) {
		page, err := s.listPS(0, "")
		must(t, err)
		if diff := cmp.Diff(want, page.PermissionSets); diff != "" || page.NextToken != nil {
			t.Errorf("one page (-want +got):\n%s\nNextToken %v, want none", diff, aws.ToString(page.NextToken))
		}
	})
	t.Run("the SDK's paginator walks them one at a time", func(t *testing.T) {
		var got []string
		pages := sdk.NewListPermissionSetsPaginator(s.admin, &sdk.ListPermissionSetsInput{InstanceArn: s.inst, MaxResults: aws.Int32(1)})
		for n := 0; pages.HasMorePages() && n < 10; n++ {
			page, err := pages.NextPage(s.ctx)
			must(t, err)
			got = append(got, page.PermissionSets...)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("paginated permission sets (-want +got):\n%s", diff)
		}
	})
}

func TestListPermissionSetsRefusesBadPaging(t *testing.T) {
	s := newServer(t)
	arns := s.createPSs(t, 2)
	policiesToken := s.managedPoliciesToken(t, &arns[0])
	rolesToken := s.provisionedToken(t, arns)
	for _, tc := range []struct {
		name       string
		maxResults int32
		token      string
		want       refusal
	}{
		{name: "MaxResults of 0 is a ValidationException", maxResults: 0, want: validation("MaxResults must be between 1 and 100")},
		{name: "MaxResults of 101 is a ValidationException", maxResults: 101, want: validation("MaxResults must be between 1 and 100")},
		{name: "a negative MaxResults is a ValidationException", maxResults: -1, want: validation("MaxResults must be between 1 and 100")},
		{name: "a forged NextToken is a ValidationException", token: "AAAA", want: validation("invalid NextToken")},
		{name: "a NextToken that is not base64 is a ValidationException", token: "not a token!", want: validation("invalid NextToken")},
		{name: "a NextToken of ListManagedPoliciesInPermissionSet is a ValidationException", token: policiesToken,
			want: validation("invalid NextToken")},
		{name: "a NextToken of ListPermissionSetsProvisionedToAccount is a ValidationException", token: rolesToken,
			want: validation("invalid NextToken")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &sdk.ListPermissionSetsInput{InstanceArn: s.inst, MaxResults: aws.Int32(tc.maxResults)}
			if tc.token != "" {
				in.MaxResults, in.NextToken = nil, aws.String(tc.token)
			}
			_, err := s.admin.ListPermissionSets(s.ctx, in)
			refused(t, err, tc.want)
		})
	}
}

// managedPoliciesToken attaches two policies to ps and returns the
// NextToken of the first page of one.
func (s *server) managedPoliciesToken(t *testing.T, ps *string) string {
	t.Helper()
	must(t, s.attach(ps, readOnlyARN))
	must(t, s.attach(ps, viewOnlyARN))
	out, err := s.admin.ListManagedPoliciesInPermissionSet(s.ctx, &sdk.ListManagedPoliciesInPermissionSetInput{
		InstanceArn: s.inst, PermissionSetArn: ps, MaxResults: aws.Int32(1)})
	must(t, err)
	if out.NextToken == nil {
		t.Fatal("ListManagedPoliciesInPermissionSet gave no NextToken for 2 policies and MaxResults 1")
	}
	return *out.NextToken
}

// provisionedToken provisions the permission sets to the member account
// and returns the NextToken of the first page of one.
func (s *server) provisionedToken(t *testing.T, arns []string) string {
	t.Helper()
	for _, arn := range arns {
		s.provision(t, &arn, s.account)
	}
	out, err := s.admin.ListPermissionSetsProvisionedToAccount(s.ctx, &sdk.ListPermissionSetsProvisionedToAccountInput{
		InstanceArn: s.inst, AccountId: &s.account, MaxResults: aws.Int32(1)})
	must(t, err)
	if out.NextToken == nil {
		t.Fatalf("ListPermissionSetsProvisionedToAccount gave no NextToken for %d permission sets and MaxResults 1", len(arns))
	}
	return *out.NextToken
}

func TestListManagedPoliciesRefusesANextTokenOfListPermissionSets(t *testing.T) {
	s := newServer(t)
	arns := s.createPSs(t, 2)
	page, err := s.listPS(1, "")
	must(t, err)
	must(t, s.attach(&arns[0], readOnlyARN))
	_, err = s.admin.ListManagedPoliciesInPermissionSet(s.ctx, &sdk.ListManagedPoliciesInPermissionSetInput{
		InstanceArn: s.inst, PermissionSetArn: &arns[0], NextToken: page.NextToken})
	refused(t, err, validation("invalid NextToken"))
}
