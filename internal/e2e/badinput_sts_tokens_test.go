package e2e

import (
	"strings"
	"testing"
)

// TestSTSTokenActionsRefuseBadInput: every action of session tokens,
// federation tokens, key info, authorization messages and web identity
// answers malformed input with STS's error, changing nothing.
func TestSTSTokenActionsRefuseBadInput(t *testing.T) {
	s := start(t)
	c := s.caller()
	const v = "&Version=2011-06-15"
	const role = "&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2FWeb&RoleSessionName=s1"
	cases := []struct {
		name, form string
		opts       []opt
		status     int
		code, msg  string
	}{
		{"GetSessionToken with a duration under 15 minutes", "Action=GetSessionToken" + v + "&DurationSeconds=899", nil, 400, "ValidationError", "durationSeconds"},
		{"GetSessionToken with a duration that is not a number", "Action=GetSessionToken" + v + "&DurationSeconds=soon", nil, 400, "", ""},
		{"GetSessionToken with a five-digit code", "Action=GetSessionToken" + v + "&SerialNumber=arn%3Aaws%3Aiam%3A%3A111111111111%3Amfa%2Fx&TokenCode=12345", nil, 400, "ValidationError", "tokenCode"},
		{"GetSessionToken with a short serial", "Action=GetSessionToken" + v + "&SerialNumber=abc&TokenCode=123456", nil, 400, "ValidationError", "serialNumber"},
		{"GetSessionToken with a code and no serial", "Action=GetSessionToken" + v + "&TokenCode=123456", nil, 403, "AccessDenied", "must provide both"},
		{"GetSessionToken unsigned", "Action=GetSessionToken" + v, []opt{unsigned()}, 403, "MissingAuthenticationToken", ""},
		{"GetFederationToken without a name", "Action=GetFederationToken" + v, nil, 400, "ValidationError", "name"},
		{"GetFederationToken with a 33-character name", "Action=GetFederationToken" + v + "&Name=" + strings.Repeat("n", 33), nil, 400, "ValidationError", "between 2 and 32"},
		{"GetFederationToken with a malformed policy", "Action=GetFederationToken" + v + "&Name=bob&Policy=%7B", nil, 400, "MalformedPolicyDocument", ""},
		{"GetFederationToken with an aws: tag", "Action=GetFederationToken" + v + "&Name=bob&Tags.member.1.Key=aws%3Ax&Tags.member.1.Value=y", nil, 400, "InvalidParameterValue", "reserved prefix"},
		{"GetFederationToken with a 37-hour duration", "Action=GetFederationToken" + v + "&Name=bob&DurationSeconds=133200", nil, 400, "ValidationError", "129600"},
		{"GetAccessKeyInfo without a key id", "Action=GetAccessKeyInfo" + v, nil, 400, "ValidationError", "accessKeyId"},
		{"GetAccessKeyInfo with punctuation", "Action=GetAccessKeyInfo" + v + "&AccessKeyId=AKIA%2F%2F%2F%2F%2F%2F%2F%2F%2F%2F%2F%2F%2F%2F", nil, 400, "ValidationError", "accessKeyId"},
		{"GetAccessKeyInfo with a key id that is not base32", "Action=GetAccessKeyInfo" + v + "&AccessKeyId=AKIA0000000000000000", nil, 400, "ValidationError", "accessKeyId"},
		{"DecodeAuthorizationMessage without a message", "Action=DecodeAuthorizationMessage" + v, nil, 400, "ValidationError", "encodedMessage"},
		{"DecodeAuthorizationMessage with a made-up message", "Action=DecodeAuthorizationMessage" + v + "&EncodedMessage=bm90LWEtbWVzc2FnZQ", nil, 400, "InvalidAuthorizationMessageException", ""},
		{"AssumeRoleWithWebIdentity without a token", "Action=AssumeRoleWithWebIdentity" + v + role, []opt{unsigned()}, 400, "ValidationError", "webIdentityToken"},
		{"AssumeRoleWithWebIdentity with a token that is not a JWT", "Action=AssumeRoleWithWebIdentity" + v + role + "&WebIdentityToken=not.a.jwt", []opt{unsigned()}, 400, "InvalidIdentityToken", "not a valid JWT"},
		{"AssumeRoleWithWebIdentity with an unsigned JWT", "Action=AssumeRoleWithWebIdentity" + v + role + "&WebIdentityToken=eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.", []opt{unsigned()}, 400, "InvalidIdentityToken", "not a valid JWT"},
		{"AssumeRoleWithWebIdentity with a 20001-character token", "Action=AssumeRoleWithWebIdentity" + v + role + "&WebIdentityToken=" + strings.Repeat("a", 20001), []opt{unsigned()}, 400, "ValidationError", "webIdentityToken"},
		{"AssumeRoleWithWebIdentity with a one-letter session name", "Action=AssumeRoleWithWebIdentity" + v + "&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2FWeb&RoleSessionName=s&WebIdentityToken=abcd", []opt{unsigned()}, 400, "ValidationError", "roleSessionName"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			w := c.withT(t).query(tc.form, tc.opts...)
			if tc.code == "" {
				if w.Status != tc.status {
					t.Errorf("status = %d, want %d: %s", w.Status, tc.status, w.Body)
				}
				return
			}
			queryError(t, w, tc.status, tc.code, tc.msg)
		})
	}
}
