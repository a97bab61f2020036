package iamapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	stssdk "github.com/aws/aws-sdk-go-v2/service/sts"
)

func TestAUsersNewKeySignsAsTheUser(t *testing.T) {
	a := newUserAPI(t)
	_, err := a.admin.CreateUser(a.ctx, &sdk.CreateUserInput{UserName: aws.String("alice"), Path: aws.String("/eng/")})
	must(t, err)
	creds := a.newKey(t, "alice")
	alice := a.client(creds)
	me, err := alice.GetUser(a.ctx, &sdk.GetUserInput{})
	must(t, err)
	if *me.User.UserName != "alice" {
		t.Errorf("GetUser with no name = %s, want alice herself", *me.User.UserName)
	}
	who, err := a.stsClient(creds).GetCallerIdentity(a.ctx, &stssdk.GetCallerIdentityInput{})
	must(t, err)
	if want := "arn:aws:iam::" + a.acct + ":user/eng/alice"; *who.Arn != want || *who.UserId != *me.User.UserId {
		t.Errorf("caller = %s %s, want %s %s", *who.Arn, *who.UserId, want, *me.User.UserId)
	}
	used, err := a.admin.GetAccessKeyLastUsed(a.ctx, &sdk.GetAccessKeyLastUsedInput{AccessKeyId: &creds.AccessKeyID})
	must(t, err)
	if *used.UserName != "alice" || *used.AccessKeyLastUsed.ServiceName != "iam" || used.AccessKeyLastUsed.LastUsedDate == nil {
		t.Errorf("last used = %+v, want alice's first use, on iam", used.AccessKeyLastUsed)
	}
}

func TestAKeyNeverUsedReportsNotApplicable(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	creds := a.newKey(t, "alice")
	used, err := a.admin.GetAccessKeyLastUsed(a.ctx, &sdk.GetAccessKeyLastUsedInput{AccessKeyId: &creds.AccessKeyID})
	must(t, err)
	if *used.AccessKeyLastUsed.ServiceName != "N/A" || *used.AccessKeyLastUsed.Region != "N/A" || used.AccessKeyLastUsed.LastUsedDate != nil {
		t.Errorf("last used = %+v, want N/A and no date", used.AccessKeyLastUsed)
	}
}

func TestADeactivatedOrDeletedKeyIsRefusedAtOnce(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	creds := a.newKey(t, "alice")
	alice := a.client(creds)
	_, err := alice.GetUser(a.ctx, &sdk.GetUserInput{})
	must(t, err)
	_, err = a.admin.UpdateAccessKey(a.ctx, &sdk.UpdateAccessKeyInput{UserName: aws.String("alice"),
		AccessKeyId: &creds.AccessKeyID, Status: types.StatusTypeInactive})
	must(t, err)
	_, err = alice.GetUser(a.ctx, &sdk.GetUserInput{})
	refusedCode(t, err, "InvalidClientTokenId", "The security token included in the request is invalid.")
	keys, err := a.admin.ListAccessKeys(a.ctx, &sdk.ListAccessKeysInput{UserName: aws.String("alice")})
	must(t, err)
	if len(keys.AccessKeyMetadata) != 1 || keys.AccessKeyMetadata[0].Status != types.StatusTypeInactive {
		t.Errorf("keys = %+v, want one inactive key", keys.AccessKeyMetadata)
	}
	_, err = a.admin.UpdateAccessKey(a.ctx, &sdk.UpdateAccessKeyInput{UserName: aws.String("alice"),
		AccessKeyId: &creds.AccessKeyID, Status: types.StatusTypeActive})
	must(t, err)
	_, err = alice.GetUser(a.ctx, &sdk.GetUserInput{})
	must(t, err)
	_, err = a.admin.DeleteAccessKey(a.ctx, &sdk.DeleteAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: &creds.AccessKeyID})
	must(t, err)
	_, err = alice.GetUser(a.ctx, &sdk.GetUserInput{})
	refusedCode(t, err, "InvalidClientTokenId", "The security token included in the request is invalid.")
}

func TestAccessKeyRequestsThatAreRefused(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	a.createUser(t, "bob")
	first := a.newKey(t, "alice")
	a.newKey(t, "alice")
	runCases(t, []apiCase{
		{"a third key is over the quota", func() error {
			_, err := a.admin.CreateAccessKey(a.ctx, &sdk.CreateAccessKeyInput{UserName: aws.String("alice")})
			return err
		}, func(t *testing.T, err error) {
			refusedAs[*types.LimitExceededException](t, err, "Cannot exceed quota for AccessKeysPerUser: 2")
		}},
		{"a user with keys is not deleted", func() error {
			_, err := a.admin.DeleteUser(a.ctx, &sdk.DeleteUserInput{UserName: aws.String("alice")})
			return err
		}, func(t *testing.T, err error) {
			refusedAs[*types.DeleteConflictException](t, err, "Cannot delete entity, must delete access keys first.")
		}},
		{"another user's key is not found under bob", func() error {
			_, err := a.admin.DeleteAccessKey(a.ctx, &sdk.DeleteAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: &first.AccessKeyID})
			return err
		}, func(t *testing.T, err error) {
			refusedAs[*types.NoSuchEntityException](t, err, "The Access Key with id "+first.AccessKeyID+" cannot be found.")
		}},
		{"a status other than Active or Inactive is a validation error", func() error {
			_, err := a.admin.UpdateAccessKey(a.ctx, &sdk.UpdateAccessKeyInput{UserName: aws.String("alice"),
				AccessKeyId: &first.AccessKeyID, Status: "Paused"})
			return err
		}, func(t *testing.T, err error) { refusedCode(t, err, "ValidationError", "[Active, Inactive]") }},
		{"the root user must name a user to create a key for", func() error {
			_, err := a.admin.CreateAccessKey(a.ctx, &sdk.CreateAccessKeyInput{})
			return err
		}, func(t *testing.T, err error) { refusedCode(t, err, "ValidationError", "Must specify userName") }},
		{"an unknown key has no last use (the SDK models no error for it: the code is NoSuchEntity)", func() error {
			_, err := a.admin.GetAccessKeyLastUsed(a.ctx, &sdk.GetAccessKeyLastUsedInput{AccessKeyId: aws.String("AKIAAAAAAAAAAAAAAAAA")})
			return err
		}, func(t *testing.T, err error) { refusedCode(t, err, "NoSuchEntity", "cannot be found") }},
	})
}

func TestAccessKeysArePagedByMaxItems(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	first, second := a.newKey(t, "alice"), a.newKey(t, "alice")
	page1, err := a.admin.ListAccessKeys(a.ctx, &sdk.ListAccessKeysInput{UserName: aws.String("alice"), MaxItems: aws.Int32(1)})
	must(t, err)
	if len(page1.AccessKeyMetadata) != 1 || !page1.IsTruncated || page1.Marker == nil {
		t.Fatalf("first page = %d keys, truncated %v, want 1 and a Marker", len(page1.AccessKeyMetadata), page1.IsTruncated)
	}
	page2, err := a.admin.ListAccessKeys(a.ctx, &sdk.ListAccessKeysInput{UserName: aws.String("alice"), Marker: page1.Marker})
	must(t, err)
	if len(page2.AccessKeyMetadata) != 1 || page2.IsTruncated {
		t.Fatalf("second page = %d keys, truncated %v, want the other key alone", len(page2.AccessKeyMetadata), page2.IsTruncated)
	}
	got := map[string]bool{*page1.AccessKeyMetadata[0].AccessKeyId: true, *page2.AccessKeyMetadata[0].AccessKeyId: true}
	if !got[first.AccessKeyID] || !got[second.AccessKeyID] {
		t.Errorf("pages listed %v, want %s and %s", got, first.AccessKeyID, second.AccessKeyID)
	}
}
