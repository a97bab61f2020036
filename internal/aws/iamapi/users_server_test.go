package iamapi_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"
	stssdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/keyward/keyward/internal/aws/sdktest"
)

// userAPI is server (server_test.go) with IAM open to every verified
// caller: who may call IAM is not this package's business, and an IAM
// user's own key must reach it.
type userAPI struct {
	*server
	acct string // the management account, the caller's
}

func newUserAPI(t *testing.T) *userAPI {
	t.Helper()
	s := newServerFor(t, false)
	return &userAPI{server: s, acct: s.account()}
}

// client is the real IAM client signing with creds; it retries nothing the
// server answered (sdktest.Retryer).
func (a *userAPI) client(creds aws.Credentials) *sdk.Client {
	return sdk.New(sdk.Options{Region: "us-east-1", BaseEndpoint: aws.String(a.srv.URL), HTTPClient: a.srv.Client(),
		Credentials: credentials.StaticCredentialsProvider{Value: creds}, Retryer: sdktest.Retryer()})
}

// stsClient is the real STS client signing with creds.
func (a *userAPI) stsClient(creds aws.Credentials) *stssdk.Client {
	return stssdk.New(stssdk.Options{Region: "us-east-1", BaseEndpoint: aws.String(a.srv.URL), HTTPClient: a.srv.Client(),
		Credentials: credentials.StaticCredentialsProvider{Value: creds}, Retryer: sdktest.Retryer()})
}

// createUser creates a user at / and returns its name.
func (a *userAPI) createUser(t *testing.T, name string) {
	t.Helper()
	_, err := a.admin.CreateUser(a.ctx, &sdk.CreateUserInput{UserName: aws.String(name)})
	must(t, err)
}

// newKey creates an access key for user and returns it as credentials.
func (a *userAPI) newKey(t *testing.T, user string) aws.Credentials {
	t.Helper()
	out, err := a.admin.CreateAccessKey(a.ctx, &sdk.CreateAccessKeyInput{UserName: aws.String(user)})
	must(t, err)
	return aws.Credentials{AccessKeyID: *out.AccessKey.AccessKeyId, SecretAccessKey: *out.AccessKey.SecretAccessKey}
}

// refusedAs fails t unless err is the modeled error *T with a message
// containing msg.
func refusedAs[T smithy.APIError](t *testing.T, err error, msg string) {
	t.Helper()
	var want T
	if !errors.As(err, &want) {
		t.Fatalf("error = %v (%T), want %T", err, err, want)
	}
	if !strings.Contains(want.ErrorMessage(), msg) {
		t.Errorf("message = %q, want it to contain %q", want.ErrorMessage(), msg)
	}
}

// refusedCode fails t unless err is an API error with code and a message
// containing msg (for codes the SDK does not model, ValidationError).
func refusedCode(t *testing.T, err error, code, msg string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	if !strings.Contains(apiErr.ErrorMessage(), msg) {
		t.Errorf("message = %q, want it to contain %q", apiErr.ErrorMessage(), msg)
	}
}

// apiCase is one call and what its answer must be.
type apiCase struct {
	name  string
	call  func() error
	check func(t *testing.T, err error)
}

// runCases runs each case as a subtest.
func runCases(t *testing.T, cases []apiCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, tc.call()) })
	}
}

// enableDevice enables the device for user with two fresh codes.
func (a *userAPI) enableDevice(t *testing.T, user, serial string, seed []byte) {
	t.Helper()
	c1, c2 := twoCodes(seed)
	_, err := a.admin.EnableMFADevice(a.ctx, &sdk.EnableMFADeviceInput{UserName: aws.String(user), SerialNumber: &serial,
		AuthenticationCode1: c1, AuthenticationCode2: c2})
	must(t, err)
}
