package iamapi_test

import (
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"
)

func TestAUserIsCreatedFoundListedRenamedAndDeleted(t *testing.T) {
	a := newUserAPI(t)
	out, err := a.admin.CreateUser(a.ctx, &sdk.CreateUserInput{UserName: aws.String("alice"), Path: aws.String("/eng/"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}})
	must(t, err)
	wantARN := "arn:aws:iam::" + a.acct + ":user/eng/alice"
	if *out.User.Arn != wantARN || (*out.User.UserId)[:4] != "AIDA" {
		t.Errorf("created %s %s, want %s and an AIDA id", *out.User.Arn, *out.User.UserId, wantARN)
	}
	got, err := a.admin.GetUser(a.ctx, &sdk.GetUserInput{UserName: aws.String("ALICE")})
	must(t, err)
	if *got.User.UserName != "alice" || len(got.User.Tags) != 1 {
		t.Errorf("GetUser = %+v, want alice with her tag", got.User)
	}
	a.createUser(t, "bob")
	page1, err := a.admin.ListUsers(a.ctx, &sdk.ListUsersInput{MaxItems: aws.Int32(1)})
	must(t, err)
	page2, err := a.admin.ListUsers(a.ctx, &sdk.ListUsersInput{Marker: page1.Marker})
	must(t, err)
	if !page1.IsTruncated || page2.IsTruncated || *page1.Users[0].UserName != "alice" || *page2.Users[0].UserName != "bob" {
		t.Errorf("pages = %+v then %+v, want alice then bob", page1, page2)
	}
	_, err = a.admin.UpdateUser(a.ctx, &sdk.UpdateUserInput{UserName: aws.String("alice"), NewUserName: aws.String("alicia")})
	must(t, err)
	_, err = a.admin.GetUser(a.ctx, &sdk.GetUserInput{UserName: aws.String("alice")})
	refusedAs[*types.NoSuchEntityException](t, err, "The user with name alice cannot be found.")
	_, err = a.admin.DeleteUser(a.ctx, &sdk.DeleteUserInput{UserName: aws.String("alicia")})
	must(t, err)
}

func TestUserRequestsThatAreRefused(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	a.createUser(t, "bob")
	runCases(t, []apiCase{
		{"a second user with the same name in another case is refused", func() error {
			_, err := a.admin.CreateUser(a.ctx, &sdk.CreateUserInput{UserName: aws.String("ALICE")})
			return err
		}, func(t *testing.T, err error) {
			refusedAs[*types.EntityAlreadyExistsException](t, err, "User with name ALICE already exists.")
		}},
		{"a rename onto a taken name is refused", func() error {
			_, err := a.admin.UpdateUser(a.ctx, &sdk.UpdateUserInput{UserName: aws.String("alice"), NewUserName: aws.String("bob")})
			return err
		}, func(t *testing.T, err error) {
			refusedAs[*types.EntityAlreadyExistsException](t, err, "User with name bob already exists.")
		}},
		{"a name with a space is a validation error", func() error {
			_, err := a.admin.CreateUser(a.ctx, &sdk.CreateUserInput{UserName: aws.String("no spaces")})
			return err
		}, func(t *testing.T, err error) { refusedCode(t, err, "ValidationError", "regular expression pattern") }},
		{"a path without slashes around it is a validation error", func() error {
			_, err := a.admin.CreateUser(a.ctx, &sdk.CreateUserInput{UserName: aws.String("carol"), Path: aws.String("eng")})
			return err
		}, func(t *testing.T, err error) { refusedCode(t, err, "ValidationError", "at 'path'") }},
		{"GetUser with no name from the root user answers the root", func() error {
			out, err := a.admin.GetUser(a.ctx, &sdk.GetUserInput{})
			if err == nil && (*out.User.Arn != "arn:aws:iam::"+a.acct+":root" || out.User.CreateDate.Year() < 2026) {
				t.Errorf("root GetUser = %s created %v, want the root, dated when the account joined", *out.User.Arn, out.User.CreateDate)
			}
			return err
		}, func(t *testing.T, err error) { must(t, err) }},
		{"an unknown boundary policy is not found", func() error {
			_, err := a.admin.PutUserPermissionsBoundary(a.ctx, &sdk.PutUserPermissionsBoundaryInput{UserName: aws.String("alice"),
				PermissionsBoundary: aws.String("arn:aws:iam::aws:policy/NoSuchPolicyAtAll")})
			return err
		}, func(t *testing.T, err error) {
			refusedAs[*types.NoSuchEntityException](t, err, "does not exist or is not attachable")
		}},
		{"a MaxItems of zero is a validation error", func() error {
			_, err := a.admin.ListUsers(a.ctx, &sdk.ListUsersInput{MaxItems: aws.Int32(0)})
			return err
		}, func(t *testing.T, err error) { refusedCode(t, err, "ValidationError", "maxItems") }},
	})
}

func TestTagsAndBoundaryChangeTheUser(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	name := aws.String("alice")
	_, err := a.admin.TagUser(a.ctx, &sdk.TagUserInput{UserName: name, Tags: []types.Tag{
		{Key: aws.String("team"), Value: aws.String("blue")}, {Key: aws.String("cost"), Value: aws.String("42")}}})
	must(t, err)
	_, err = a.admin.UntagUser(a.ctx, &sdk.UntagUserInput{UserName: name, TagKeys: []string{"COST"}})
	must(t, err)
	tags, err := a.admin.ListUserTags(a.ctx, &sdk.ListUserTagsInput{UserName: name})
	must(t, err)
	if len(tags.Tags) != 1 || *tags.Tags[0].Key != "team" {
		t.Errorf("tags = %+v, want team only", tags.Tags)
	}
	boundary := "arn:aws:iam::aws:policy/ReadOnlyAccess"
	_, err = a.admin.PutUserPermissionsBoundary(a.ctx, &sdk.PutUserPermissionsBoundaryInput{UserName: name, PermissionsBoundary: &boundary})
	must(t, err)
	got, err := a.admin.GetUser(a.ctx, &sdk.GetUserInput{UserName: name})
	must(t, err)
	if got.User.PermissionsBoundary == nil || *got.User.PermissionsBoundary.PermissionsBoundaryArn != boundary ||
		got.User.PermissionsBoundary.PermissionsBoundaryType != types.PermissionsBoundaryAttachmentTypePolicy {
		t.Errorf("boundary = %+v, want %s", got.User.PermissionsBoundary, boundary)
	}
	_, err = a.admin.DeleteUserPermissionsBoundary(a.ctx, &sdk.DeleteUserPermissionsBoundaryInput{UserName: name})
	must(t, err)
}

func TestInlineAndAttachedPoliciesOfAUserBlockItsDeletion(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	name := aws.String("alice")
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	_, err := a.admin.PutUserPolicy(a.ctx, &sdk.PutUserPolicyInput{UserName: name, PolicyName: aws.String("read"), PolicyDocument: &doc})
	must(t, err)
	got, err := a.admin.GetUserPolicy(a.ctx, &sdk.GetUserPolicyInput{UserName: name, PolicyName: aws.String("read")})
	must(t, err)
	decoded, err := url.QueryUnescape(*got.PolicyDocument)
	must(t, err)
	if decoded != doc {
		t.Errorf("document = %q, want it URL-encoded as AWS sends it", *got.PolicyDocument)
	}
	_, err = a.admin.PutUserPolicy(a.ctx, &sdk.PutUserPolicyInput{UserName: name, PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Statement":`)})
	refusedAs[*types.MalformedPolicyDocumentException](t, err, "")
	arn := "arn:aws:iam::aws:policy/ReadOnlyAccess"
	_, err = a.admin.AttachUserPolicy(a.ctx, &sdk.AttachUserPolicyInput{UserName: name, PolicyArn: &arn})
	must(t, err)
	attached, err := a.admin.ListAttachedUserPolicies(a.ctx, &sdk.ListAttachedUserPoliciesInput{UserName: name})
	must(t, err)
	if diff := cmp.Diff([]string{"ReadOnlyAccess", arn}, []string{*attached.AttachedPolicies[0].PolicyName, *attached.AttachedPolicies[0].PolicyArn}); diff != "" {
		t.Errorf("attached (-want +got):\n%s", diff)
	}
	_, err = a.admin.DeleteUser(a.ctx, &sdk.DeleteUserInput{UserName: name})
	refusedAs[*types.DeleteConflictException](t, err, "Cannot delete entity, must delete policies first.")
	_, err = a.admin.DeleteUserPolicy(a.ctx, &sdk.DeleteUserPolicyInput{UserName: name, PolicyName: aws.String("read")})
	must(t, err)
	_, err = a.admin.DeleteUser(a.ctx, &sdk.DeleteUserInput{UserName: name})
	refusedAs[*types.DeleteConflictException](t, err, "Cannot delete entity, must detach all policies first.")
	_, err = a.admin.DetachUserPolicy(a.ctx, &sdk.DetachUserPolicyInput{UserName: name, PolicyArn: &arn})
	must(t, err)
	_, err = a.admin.DetachUserPolicy(a.ctx, &sdk.DetachUserPolicyInput{UserName: name, PolicyArn: &arn})
	refusedAs[*types.NoSuchEntityException](t, err, "was not found")
	_, err = a.admin.DeleteUser(a.ctx, &sdk.DeleteUserInput{UserName: name})
	must(t, err)
}
