package e2e

import (
	"net/url"
	"strings"
	"testing"
)

// TestIAMRefusesBadUserAndProviderInputInItsOwnXMLShape sends malformed IAM
// requests for users, keys, MFA devices and identity providers: each is a
// 4xx in IAM's ErrorResponse shape whose message says what to fix, and none
// changes anything.
func TestIAMRefusesBadUserAndProviderInputInItsOwnXMLShape(t *testing.T) {
	s := start(t)
	c := s.caller()
	iam := func(t *testing.T, form string) wire {
		return c.withT(t).query(form+"&Version=2010-05-08", scopedTo("iam"))
	}
	if w := iam(t, "Action=CreateUser&UserName=alice"); w.Status != 200 {
		t.Fatalf("CreateUser alice = %d: %s", w.Status, w.Body)
	}
	doctype := `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>` + strings.Repeat(" ", 1000)
	cases := []struct {
		name string
		form string
		code string
		msg  string
	}{
		{"a user name with a space is a ValidationError", "Action=CreateUser&UserName=a+b", "ValidationError", "[\\w+=,.@-]+"},
		{"a missing user name is a ValidationError", "Action=CreateUser", "ValidationError", "userName"},
		{"a 65-character user name is a ValidationError", "Action=CreateUser&UserName=" + strings.Repeat("a", 65), "ValidationError", "less than or equal to 64"},
		{"a path without its closing slash is a ValidationError", "Action=CreateUser&UserName=bob&Path=/eng", "ValidationError", "at 'path'"},
		{"a gap in the tag list is MalformedQueryString", "Action=CreateUser&UserName=bob&Tags.member.2.Key=a&Tags.member.2.Value=b", "MalformedQueryString", ""},
		{"a tag key with a comma is a ValidationError", "Action=CreateUser&UserName=bob&Tags.member.1.Key=a,b&Tags.member.1.Value=v", "ValidationError", "tags.member.key"},
		{"MaxItems that is not a number is a ValidationError", "Action=ListUsers&MaxItems=ten", "ValidationError", ""},
		{"MaxItems above 1000 is a ValidationError", "Action=ListUsers&MaxItems=1001", "ValidationError", "less than or equal to 1000"},
		{"a Marker no list returned is a ValidationError", "Action=ListUsers&Marker=forged", "ValidationError", "Invalid Marker"},
		{"an unknown user is NoSuchEntity", "Action=GetUser&UserName=zed", "NoSuchEntity", "The user with name zed cannot be found."},
		{"a policy that is not JSON is MalformedPolicyDocument", "Action=PutUserPolicy&UserName=alice&PolicyName=p&PolicyDocument=" + url.QueryEscape(`{"Version":`), "MalformedPolicyDocument", ""},
		{"an unknown managed policy is NoSuchEntity", "Action=AttachUserPolicy&UserName=alice&PolicyArn=" + url.QueryEscape("arn:aws:iam::aws:policy/NotAPolicyAtAll"), "NoSuchEntity", "does not exist or is not attachable"},
		{"a key status other than Active or Inactive is a ValidationError", "Action=UpdateAccessKey&UserName=alice&AccessKeyId=AKIAAAAAAAAAAAAAAAAA&Status=On", "ValidationError", "[Active, Inactive]"},
		{"a malformed access key id is a ValidationError", "Action=DeleteAccessKey&UserName=alice&AccessKeyId=short", "ValidationError", "accessKeyId"},
		{"an MFA device of another account is NoSuchEntity", "Action=EnableMFADevice&UserName=alice&SerialNumber=arn:aws:iam::000000000000:mfa/x&AuthenticationCode1=abcdef&AuthenticationCode2=123456", "NoSuchEntity", "doesn't exist"},
		{"SAML metadata with a DOCTYPE is InvalidInput", "Action=CreateSAMLProvider&Name=idp&SAMLMetadataDocument=" + url.QueryEscape(doctype), "InvalidInput", "DOCTYPE"},
		{"SAML metadata under 1000 characters is InvalidInput", "Action=CreateSAMLProvider&Name=idp&SAMLMetadataDocument=%3Cx%2F%3E", "InvalidInput", "1000"},
		{"an http OIDC issuer is InvalidInput", "Action=CreateOpenIDConnectProvider&Url=" + url.QueryEscape("http://issuer.example.com"), "InvalidInput", "https://"},
		{"a short thumbprint is InvalidInput", "Action=CreateOpenIDConnectProvider&Url=" + url.QueryEscape("https://issuer.example.com") + "&ThumbprintList.member.1=abc", "InvalidInput", "40 hexadecimal"},
		{"a provider ARN of another account is out of reach", "Action=GetOpenIDConnectProvider&OpenIDConnectProviderArn=" + url.QueryEscape("arn:aws:iam::000000000000:oidc-provider/x"), "AccessDenied", "because no resource-based policy allows"},
		{"an account alias with upper case is a ValidationError", "Action=CreateAccountAlias&AccountAlias=Acme", "ValidationError", "accountAlias"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { iamError(t, iam(t, tc.form), tc.code, tc.msg) })
	}
	t.Run("nothing was created by the refused requests", func(t *testing.T) {
		w := iam(t, "Action=ListUsers")
		if body := string(w.Body); strings.Count(body, "<UserName>") != 1 || !strings.Contains(body, "<UserName>alice</UserName>") {
			t.Errorf("ListUsers = %s, want alice alone", body)
		}
		for _, list := range []string{"ListSAMLProviders", "ListOpenIDConnectProviders", "ListAccountAliases"} {
			if w := iam(t, "Action="+list); strings.Contains(string(w.Body), "<member>") {
				t.Errorf("%s = %s, want nothing", list, w.Body)
			}
		}
	})
}
