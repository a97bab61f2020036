package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
)

// signedAPI is one SigV4-signed API, reached with a mutating request so a
// test can also check that a refused request changed nothing.
type signedAPI struct {
	name   string
	target string // "" for STS
	body   string
	action string // IAM's name for the operation
}

var signedAPIs = []signedAPI{
	{name: "Identity Store", target: "AWSIdentityStore.CreateGroup", body: `{"IdentityStoreId":"{store}","DisplayName":"Intruders"}`, action: "identitystore:CreateGroup"},
	{name: "SSO Admin", target: "SWBExternalService.CreatePermissionSet", body: `{"InstanceArn":"{instance}","Name":"Intruder"}`, action: "sso:CreatePermissionSet"},
	{name: "Organizations", target: "AWSOrganizationsV20161128.CreateAccount", body: `{"AccountName":"Intruder","Email":"intruder@example.com"}`, action: "organizations:CreateAccount"},
	{name: "STS", body: "Action=GetCallerIdentity&Version=2011-06-15"},
}

// authCase is a way of getting authentication wrong, and the codes each
// protocol answers with.
type authCase struct {
	name        string
	opts        func(c *caller) []opt
	jsonCode    string
	queryCode   string
	queryStatus int
	msg         string
}

func authCases(role aws.Credentials) []authCase {
	tamperedToken := role
	tamperedToken.SessionToken = flipLast(role.SessionToken)
	keyWithToken := aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "secret", SessionToken: role.SessionToken}
	return []authCase{
		{name: "a request without an Authorization header", opts: func(*caller) []opt { return []opt{unsigned()} },
			jsonCode: "MissingAuthenticationTokenException", queryCode: "MissingAuthenticationToken", queryStatus: 403, msg: "missing Authentication Token"},
		{name: "a malformed Authorization header", opts: func(*caller) []opt { return []opt{unsigned(), withHeader("Authorization", "AWS4-HMAC-SHA256 garbage")} },
			jsonCode: "IncompleteSignatureException", queryCode: "IncompleteSignature", queryStatus: 400, msg: "Authorization header"},
		{name: "an unknown access key", opts: func(*caller) []opt {
			return []opt{signedAs(aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})}
		}, jsonCode: "UnrecognizedClientException", queryCode: "InvalidClientTokenId", queryStatus: 403, msg: "security token included in the request is invalid"},
		{name: "the right key with the wrong secret", opts: func(c *caller) []opt {
			return []opt{signedAs(aws.Credentials{AccessKeyID: c.creds.AccessKeyID, SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})}
		}, jsonCode: "InvalidSignatureException", queryCode: "SignatureDoesNotMatch", queryStatus: 403, msg: "signature we calculated does not match"},
		{name: "a signature scoped to another service", opts: func(*caller) []opt { return []opt{scopedTo("s3")} },
			jsonCode: "InvalidSignatureException", queryCode: "SignatureDoesNotMatch", queryStatus: 403, msg: "Credential should be scoped to correct service"},
		{name: "an X-Amz-Date twenty minutes old", opts: func(c *caller) []opt { return []opt{signedAt(c.now().Add(-20 * time.Minute))} },
			jsonCode: "InvalidSignatureException", queryCode: "SignatureDoesNotMatch", queryStatus: 403, msg: "Signature expired"},
		{name: "an X-Amz-Date twenty minutes ahead", opts: func(c *caller) []opt { return []opt{signedAt(c.now().Add(20 * time.Minute))} },
			jsonCode: "InvalidSignatureException", queryCode: "SignatureDoesNotMatch", queryStatus: 403, msg: "Signature not yet current"},
		{name: "a body changed after signing", opts: func(*caller) []opt { return []opt{tampered} },
			jsonCode: "InvalidSignatureException", queryCode: "SignatureDoesNotMatch", queryStatus: 403, msg: "signature we calculated does not match"},
		{name: "a tampered session token", opts: func(*caller) []opt { return []opt{signedAs(tamperedToken)} },
			jsonCode: "UnrecognizedClientException", queryCode: "InvalidClientTokenId", queryStatus: 403, msg: "security token included in the request is invalid"},
		{name: "a long-term key sent with a session token", opts: func(*caller) []opt { return []opt{signedAs(keyWithToken)} },
			jsonCode: "UnrecognizedClientException", queryCode: "InvalidClientTokenId", queryStatus: 403, msg: "security token included in the request is invalid"},
	}
}

// tampered changes what the request asks for after it was signed: another
// name in a JSON body, one more parameter in a form.
func tampered(r *request) {
	body := strings.Replace(string(r.body), `"Intruder`, `"Tampered`, 1)
	if !strings.HasPrefix(body, "{") {
		body += "&DurationSeconds=900"
	}
	tamperedBody(body)(r)
}

// flipLast changes the last base64 character of a token.
func flipLast(s string) string {
	if strings.HasSuffix(s, "A") {
		return s[:len(s)-1] + "B"
	}
	return s[:len(s)-1] + "A"
}

// send sends api's request with opts.
func (api signedAPI) send(c *caller, st story, opts ...opt) wire {
	c.t.Helper()
	if api.target == "" {
		return c.query(api.body, opts...)
	}
	return c.json(api.target, st.ids(api.body), opts...)
}

// refused checks w is ac's error in api's protocol.
func (api signedAPI) refused(t *testing.T, w wire, jsonCode, queryCode string, queryStatus int, msg string) {
	t.Helper()
	if api.target == "" {
		queryError(t, w, queryStatus, queryCode, msg)
		return
	}
	awsJSONError(t, w, jsonCode, msg)
}

// roleSession signs alice in and returns credentials for her DevOps role.
func (s *server) roleSession(t *testing.T, st story) aws.Credentials {
	t.Helper()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	return s.roleCredentials(t, s.accessToken(t, b), st.AccountID, "DevOps")
}

func TestSignedAPIsRefuseBadAuthenticationAndChangeNothing(t *testing.T) {
	s, clk := startClocked(t)
	st := s.setUpStory()
	role := s.roleSession(t, st)
	admin := s.callerAt(clk)
	before := admin.snapshot(st)
	for _, api := range signedAPIs {
		for _, ac := range authCases(role) {
			t.Run(api.name+" refuses "+ac.name, func(t *testing.T) {
				c := admin.withT(t)
				api.refused(t, api.send(c, st, ac.opts(c)...), ac.jsonCode, ac.queryCode, ac.queryStatus, ac.msg)
				c.unchanged(st, before)
			})
		}
	}

	// DevOps has AdministratorAccess; an inline Deny on the admin APIs
	// takes them away from its sessions at their next call.
	denyAdmin := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["sso:*","identitystore:*","organizations:*"],"Resource":"*"}]}`
	_, err := ssoadmin.NewFromConfig(s.adminConfig()).PutInlinePolicyToPermissionSet(context.Background(), &ssoadmin.PutInlinePolicyToPermissionSetInput{
		InstanceArn: &st.InstanceARN, PermissionSetArn: &st.PermissionSetARN, InlinePolicy: &denyAdmin})
	must(t, err)
	before = admin.snapshot(st)
	for _, api := range signedAPIs[:3] {
		t.Run(api.name+" refuses a role session its permission set denies, with AccessDeniedException", func(t *testing.T) {
			c := admin.withT(t)
			w := api.send(c.as(role), st)
			api.refused(t, w, "AccessDeniedException", "", 0, "is not authorized to perform: "+api.action)
			if !strings.Contains(string(w.Body), "with an explicit deny in an identity-based policy") {
				t.Errorf("the refusal does not say an identity-based policy denied it: %s", w.Body)
			}
			c.unchanged(st, before)
		})
	}
	t.Run("STS answers a role session who it is", func(t *testing.T) {
		w := admin.withT(t).as(role).query("Action=GetCallerIdentity&Version=2011-06-15")
		if w.Status != http.StatusOK || !strings.Contains(string(w.Body), "assumed-role/AWSReservedSSO_DevOps_") {
			t.Fatalf("GetCallerIdentity with the role session: %d %s", w.Status, w.Body)
		}
	})

	clk.Advance(4*time.Hour + time.Minute) // past the permission set's PT4H
	for _, api := range signedAPIs {
		t.Run(api.name+" refuses an expired session token with ExpiredToken", func(t *testing.T) {
			c := admin.withT(t)
			api.refused(t, api.send(c.as(role), st), "ExpiredTokenException", "ExpiredToken", http.StatusBadRequest, "expired")
			c.unchanged(st, before)
		})
	}
}

// targetAddedAfterSigning signs an awsJson request without its X-Amz-Target
// and adds the header afterwards, as a request whose operation was swapped
// in transit would arrive.
func targetAddedAfterSigning(r *request) {
	target := r.header.Get("X-Amz-Target")
	r.header.Del("X-Amz-Target")
	r.afterSigning = func(h *http.Request) { h.Header.Set("X-Amz-Target", target) }
}

func TestAWSJSONRefusesAnUnsignedTargetAndChangesNothing(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	admin := s.caller()
	before := admin.snapshot(st)
	for _, api := range signedAPIs[:3] {
		t.Run(api.name+" refuses an X-Amz-Target left out of SignedHeaders", func(t *testing.T) {
			c := admin.withT(t)
			w := api.send(c, st, targetAddedAfterSigning)
			if w.Status != http.StatusBadRequest {
				t.Errorf("status = %d, want 400", w.Status)
			}
			api.refused(t, w, "IncompleteSignatureException", "", 0, "SignedHeaders must include 'x-amz-target'")
			c.unchanged(st, before)
		})
	}
}
