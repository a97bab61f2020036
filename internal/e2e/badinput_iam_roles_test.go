package e2e

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestIAMRoleAndPolicyOperationsRefuseBadInputInIAMsXMLShape sends every
// role and policy operation something wrong and checks the answer is an
// IAM ErrorResponse with a 4xx that says what to fix, and that nothing
// changed.
func TestIAMRoleAndPolicyOperationsRefuseBadInputInIAMsXMLShape(t *testing.T) {
	s := start(t)
	c := s.caller()
	policyARN := seedIAM(t, s)
	big := url.QueryEscape(strings.Replace(iamAllowS3, `"Action"`, `"Sid":"`+strings.Repeat("a", 6200)+`","Action"`, 1))
	other := "arn:aws:iam::999988887777:policy/reader"
	cases := []struct{ name, form, code, msg string }{
		{"CreateRole without a name", "Action=CreateRole&AssumeRolePolicyDocument=" + url.QueryEscape(iamTrustEC2), "ValidationError", "'roleName'"},
		{"CreateRole with a malformed trust policy", "Action=CreateRole&RoleName=x&AssumeRolePolicyDocument=%7B", "MalformedPolicyDocument", ""},
		{"CreateRole with a taken name", "Action=CreateRole&RoleName=APP&AssumeRolePolicyDocument=" + url.QueryEscape(iamTrustEC2), "EntityAlreadyExists", "Role with name APP already exists."},
		{"CreateRole with a non-numeric session", "Action=CreateRole&RoleName=x&MaxSessionDuration=long&AssumeRolePolicyDocument=" + url.QueryEscape(iamTrustEC2), "ValidationError", "MaxSessionDuration"},
		{"CreateRole with a gap in its tags", "Action=CreateRole&RoleName=x&Tags.member.3.Key=k&AssumeRolePolicyDocument=" + url.QueryEscape(iamTrustEC2), "MalformedQueryString", "Tags"},
		{"GetRole with a slash in the name", "Action=GetRole&RoleName=a%2Fb", "ValidationError", "regular expression pattern"},
		{"GetRole of a missing role", "Action=GetRole&RoleName=ghost", "NoSuchEntity", "The role with name ghost cannot be found."},
		{"ListRoles with MaxItems 0", "Action=ListRoles&MaxItems=0", "ValidationError", "'maxItems'"},
		{"ListRoles with a forged Marker", "Action=ListRoles&Marker=forged", "ValidationError", "Invalid Marker"},
		{"ListRoles with a relative path prefix", "Action=ListRoles&PathPrefix=team", "ValidationError", "'pathPrefix'"},
		{"UpdateRole with a 100-second session", "Action=UpdateRole&RoleName=app&MaxSessionDuration=100", "ValidationError", "greater than or equal to 3600"},
		{"UpdateRoleDescription over 1000 characters", "Action=UpdateRoleDescription&RoleName=app&Description=" + strings.Repeat("d", 1001), "ValidationError", "'description'"},
		{"UpdateAssumeRolePolicy with an identity policy", "Action=UpdateAssumeRolePolicy&RoleName=app&PolicyDocument=" + url.QueryEscape(iamAllowS3), "MalformedPolicyDocument", ""},
		{"DeleteRole while it has policies", "Action=DeleteRole&RoleName=app", "DeleteConflict", "must delete policies first"},
		{"TagRole with keys differing in case", "Action=TagRole&RoleName=app&Tags.member.1.Key=a&Tags.member.1.Value=1&Tags.member.2.Key=A&Tags.member.2.Value=2", "InvalidInput", "case insensitive"},
		{"UntagRole with no keys", "Action=UntagRole&RoleName=app", "ValidationError", "'tagKeys'"},
		{"ListRoleTags of a missing role", "Action=ListRoleTags&RoleName=ghost", "NoSuchEntity", "cannot be found"},
		{"PutRolePermissionsBoundary with a name for an ARN", "Action=PutRolePermissionsBoundary&RoleName=app&PermissionsBoundary=ReadOnlyAccess", "InvalidInput", "is not valid"},
		{"DeleteRolePermissionsBoundary of a missing role", "Action=DeleteRolePermissionsBoundary&RoleName=ghost", "NoSuchEntity", "cannot be found"},
		{"PutRolePolicy with a principal", "Action=PutRolePolicy&RoleName=app&PolicyName=p&PolicyDocument=" + url.QueryEscape(iamTrustEC2), "MalformedPolicyDocument", ""},
		{"GetRolePolicy of a missing policy", "Action=GetRolePolicy&RoleName=app&PolicyName=ghost", "NoSuchEntity", "The role policy with name ghost cannot be found."},
		{"ListRolePolicies with MaxItems 1001", "Action=ListRolePolicies&RoleName=app&MaxItems=1001", "ValidationError", "less than or equal to 1000"},
		{"DeleteRolePolicy of a missing policy", "Action=DeleteRolePolicy&RoleName=app&PolicyName=ghost", "NoSuchEntity", "cannot be found"},
		{"AttachRolePolicy of a missing AWS policy", "Action=AttachRolePolicy&RoleName=app&PolicyArn=arn:aws:iam::aws:policy/Ghost", "NoSuchEntity", "does not exist or is not attachable"},
		{"DetachRolePolicy of a policy not attached", "Action=DetachRolePolicy&RoleName=app&PolicyArn=arn:aws:iam::aws:policy/ReadOnlyAccess", "NoSuchEntity", "was not found"},
		{"ListAttachedRolePolicies of a missing role", "Action=ListAttachedRolePolicies&RoleName=ghost", "NoSuchEntity", "cannot be found"},
		{"CreatePolicy with a space in the name", "Action=CreatePolicy&PolicyName=my+policy&PolicyDocument=" + url.QueryEscape(iamAllowS3), "ValidationError", "'policyName'"},
		{"CreatePolicy with a taken name", "Action=CreatePolicy&PolicyName=READER&PolicyDocument=" + url.QueryEscape(iamAllowS3), "EntityAlreadyExists", "A policy called READER already exists."},
		// IAM resources have no resource-based policies: another account's are out of reach.
		{"GetPolicy of another account's policy", "Action=GetPolicy&PolicyArn=" + other, "AccessDenied", "because no resource-based policy allows the iam:GetPolicy action"},
		{"ListPolicies with an unknown scope", "Action=ListPolicies&Scope=Mine", "ValidationError", "enum value set"},
		{"DeletePolicy while attached", "Action=DeletePolicy&PolicyArn=" + policyARN, "DeleteConflict", "attached to entities"},
		{"CreatePolicyVersion over 6144 characters", "Action=CreatePolicyVersion&PolicyArn=" + policyARN + "&PolicyDocument=" + big, "LimitExceeded", "PolicySize: 6144"},
		{"GetPolicyVersion with a malformed version id", "Action=GetPolicyVersion&PolicyArn=" + policyARN + "&VersionId=1", "ValidationError", "'versionId'"},
		{"ListPolicyVersions without an ARN", "Action=ListPolicyVersions", "ValidationError", "'policyArn'"},
		{"DeletePolicyVersion of the default", "Action=DeletePolicyVersion&PolicyArn=" + policyARN + "&VersionId=v1", "DeleteConflict", "default version"},
		{"SetDefaultPolicyVersion of a missing version", "Action=SetDefaultPolicyVersion&PolicyArn=" + policyARN + "&VersionId=v9", "NoSuchEntity", "version v9"},
		{"TagPolicy of an AWS managed policy", "Action=TagPolicy&PolicyArn=arn:aws:iam::aws:policy/ReadOnlyAccess&Tags.member.1.Key=k&Tags.member.1.Value=v", "InvalidInput", "AWS managed policy"},
		{"UntagPolicy with an empty key", "Action=UntagPolicy&PolicyArn=" + policyARN + "&TagKeys.member.1=", "ValidationError", "'tagKeys.member.key'"},
		{"ListPolicyTags of a malformed ARN", "Action=ListPolicyTags&PolicyArn=arn:aws:s3:::bucket", "InvalidInput", "is not valid"},
		{"ListEntitiesForPolicy with an unknown filter", "Action=ListEntitiesForPolicy&PolicyArn=" + policyARN + "&EntityFilter=Robot", "ValidationError", "enum value set"},
		{"GetAccountAuthorizationDetails with an unknown filter", "Action=GetAccountAuthorizationDetails&Filter.member.1=Robot", "ValidationError", "enum value set"},
	}
	before := iamSnapshot(t, c, policyARN)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			iamError(t, c.withT(t).query(tc.form+"&Version=2010-05-08", scopedTo("iam")), tc.code, tc.msg)
		})
	}
	if after := iamSnapshot(t, c, policyARN); after != before {
		t.Errorf("refused requests changed IAM:\nbefore %s\nafter  %s", before, after)
	}
}

// iamError checks that w is an IAM ErrorResponse (IAM's namespace) with
// code, its status, a request id and a message containing msg.
func iamError(t *testing.T, w wire, code, msg string) {
	t.Helper()
	var e struct {
		XMLName   xml.Name `xml:"https://iam.amazonaws.com/doc/2010-05-08/ ErrorResponse"`
		Type      string   `xml:"Error>Type"`
		Code      string   `xml:"Error>Code"`
		Message   string   `xml:"Error>Message"`
		RequestID string   `xml:"RequestId"`
	}
	if err := xml.Unmarshal(w.Body, &e); err != nil || w.Header.Get("Content-Type") != "text/xml" {
		t.Fatalf("not an IAM ErrorResponse (%v, Content-Type %q): %s", err, w.Header.Get("Content-Type"), w.Body)
	}
	if w.Status != iamStatus[code] || e.Code != code || e.Type != "Sender" || e.RequestID == "" {
		t.Errorf("%d {Type %q, Code %q, RequestId %q}, want %d {Sender, %s, a request id}", w.Status, e.Type, e.Code, e.RequestID, iamStatus[code], code)
	}
	if e.Message == "" || !strings.Contains(e.Message, msg) {
		t.Errorf("Message = %q, want one containing %q", e.Message, msg)
	}
}

// iamStatus is the HTTP status IAM sends with each code.
var iamStatus = map[string]int{"ValidationError": 400, "MalformedPolicyDocument": 400, "MalformedQueryString": 400,
	"InvalidInput": 400, "NoSuchEntity": 404, "EntityAlreadyExists": 409, "DeleteConflict": 409, "LimitExceeded": 409, "AccessDenied": 403}

// seedIAM creates the role app (an inline policy s3, the policy reader
// attached) and returns reader's ARN.
func seedIAM(t *testing.T, s *server) string {
	t.Helper()
	ctx, client := context.Background(), iam.NewFromConfig(s.adminConfig())
	_, err := client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(iamTrustEC2)})
	must(t, err)
	_, err = client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("s3"), PolicyDocument: aws.String(iamAllowS3)})
	must(t, err)
	p, err := client.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("reader"), PolicyDocument: aws.String(iamAllowS3)})
	must(t, err)
	_, err = client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: p.Policy.Arn})
	must(t, err)
	return aws.ToString(p.Policy.Arn)
}

var requestIDRe = regexp.MustCompile(`<RequestId>[^<]*</RequestId>`)

// iamSnapshot is everything IAM holds for the account (roles with their
// policies and tags, policies with their versions) and the policy's tags,
// without the request ids.
func iamSnapshot(t *testing.T, c *caller, policyARN string) string {
	t.Helper()
	var out string
	for _, form := range []string{"Action=GetAccountAuthorizationDetails", "Action=ListPolicyTags&PolicyArn=" + policyARN} {
		w := c.withT(t).query(form+"&Version=2010-05-08", scopedTo("iam"))
		if w.Status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", form, w.Status, w.Body)
		}
		out += requestIDRe.ReplaceAllString(string(w.Body), "")
	}
	return out
}
