package iamapi_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// IAM puts a user in at most 10 groups (GroupsPerUser, not adjustable).
func TestAUserIsInAtMostTenGroups(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	add := func(group string) error {
		_, err := a.admin.AddUserToGroup(a.ctx, &sdk.AddUserToGroupInput{GroupName: aws.String(group), UserName: aws.String("alice")})
		return err
	}
	for i := range 11 {
		_, err := a.admin.CreateGroup(a.ctx, &sdk.CreateGroupInput{GroupName: aws.String(fmt.Sprintf("g%02d", i))})
		must(t, err)
	}
	for i := range 10 {
		must(t, add(fmt.Sprintf("g%02d", i)))
	}
	must(t, add("g00")) // already a member: no change, no refusal
	refusedAs[*types.LimitExceededException](t, add("g10"), "Cannot exceed quota for GroupsPerUser: 10")
	groups, err := a.admin.ListGroupsForUser(a.ctx, &sdk.ListGroupsForUserInput{UserName: aws.String("alice")})
	must(t, err)
	if len(groups.Groups) != 10 {
		t.Errorf("alice is in %d groups, want 10", len(groups.Groups))
	}
}
