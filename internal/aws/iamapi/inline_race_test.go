package iamapi_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/keyward/keyward/internal/iam"
)

// Puts racing each other cannot together take a user's inline policies
// past IAM's 2,048 characters: each is checked against what is stored.
func TestRacingInlinePoliciesStayWithinTheUsersQuota(t *testing.T) {
	a := newUserAPI(t)
	for round := range 10 {
		user := fmt.Sprintf("user%d", round)
		a.createUser(t, user)
		racePuts(t, a, user)
	}
}

func racePuts(t *testing.T, a *userAPI, user string) {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` +
		strings.Repeat("b", 800) + `"}]}`
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = a.admin.PutUserPolicy(a.ctx, &sdk.PutUserPolicyInput{UserName: aws.String(user),
				PolicyName: aws.String(fmt.Sprintf("p%d", i)), PolicyDocument: &doc})
		}()
	}
	wg.Wait()
	names, err := a.admin.ListUserPolicies(a.ctx, &sdk.ListUserPoliciesInput{UserName: aws.String(user)})
	must(t, err)
	total := 0
	for _, n := range names.PolicyNames {
		got, err := a.admin.GetUserPolicy(a.ctx, &sdk.GetUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String(n)})
		must(t, err)
		total += iam.PolicySize([]byte(decoded(t, got.PolicyDocument)))
	}
	if total > iam.MaxUserInlinePolicySize {
		t.Errorf("user's %d inline policies hold %d characters, over the quota of %d", len(names.PolicyNames), total, iam.MaxUserInlinePolicySize)
	}
}
