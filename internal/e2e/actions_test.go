package e2e

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/keyward/keyward/internal/aws/iamapi"
	"github.com/keyward/keyward/internal/aws/identitystore"
	"github.com/keyward/keyward/internal/aws/organizations"
	"github.com/keyward/keyward/internal/aws/ssoadmin"
	kwsts "github.com/keyward/keyward/internal/aws/sts"
	"github.com/keyward/keyward/internal/clock"
)

var updateActions = flag.Bool("update-actions", false, "rewrite docs/aws-actions.md from what the authorizer is asked")

// actionsDoc is the action table: every operation keyward's AWS endpoint
// serves, with the IAM action and the resource ARN policies are evaluated
// on.
const actionsDoc = "../../docs/aws-actions.md"

// probeJSON and probeQuery fill every identifier an operation might name,
// so that its input names a resource. Placeholders in capitals are the
// run's real values, put back after.
var (
	probeJSON = `{"InstanceArn":"arn:aws:sso:::instance/INSTANCE","PermissionSetArn":"arn:aws:sso:::permissionSet/INSTANCE/ps-0123456789abcdef",
"ResourceArn":"arn:aws:sso:::permissionSet/INSTANCE/ps-0123456789abcdef","TargetId":"ACCOUNT","AccountId":"ACCOUNT","IdentityStoreId":"STORE",
"UserId":"STORE-user","GroupId":"STORE-group","MembershipId":"STORE-membership","PolicyId":"p-examplepolicy","RootId":"r-root",
"OrganizationalUnitId":"ou-root-example1","ParentId":"r-root","ChildId":"ACCOUNT","DestinationParentId":"r-root","SourceParentId":"r-root",
"ResourceId":"ACCOUNT","ServicePrincipal":"sso.amazonaws.com","CreateAccountRequestId":"car-0123456789abcdef","PrincipalId":"STORE-user","PrincipalType":"USER"}`
	probeQuery = "RoleName=Target&UserName=carol&GroupName=ops&PolicyName=Reader&PolicyArn=arn:aws:iam::ACCOUNT:policy/Reader" +
		"&RoleArn=arn:aws:iam::ACCOUNT:role/Target&RoleSessionName=probe&SAMLProviderArn=arn:aws:iam::ACCOUNT:saml-provider/okta" +
		"&OpenIDConnectProviderArn=arn:aws:iam::ACCOUNT:oidc-provider/issuer.example.com&SerialNumber=arn:aws:iam::ACCOUNT:mfa/carol" +
		"&Name=okta&Url=https://issuer.example.com&VirtualMFADeviceName=carol&PolicySourceArn=arn:aws:iam::ACCOUNT:role/Target&AccessKeyId=AKIAEXAMPLEEXAMPLE01" +
		"&EncodedMessage=probe"
	resourceRe = regexp.MustCompile(`is not authorized to perform: (\S+)(?: on resource: (\S+))?`)
)

// probeFor is probeQuery without the names an operation does not take where
// inputs are shared: a user's operations name no group, a group's no user,
// and only SimulatePrincipalPolicy names a principal.
func probeFor(op string) string {
	var keep []string
	for _, p := range strings.Split(probeQuery, "&") {
		name, _, _ := strings.Cut(p, "=")
		user, group := strings.Contains(op, "User"), strings.Contains(op, "Group")
		switch {
		case name == "GroupName" && user && !group, name == "UserName" && group && !user,
			name == "PolicySourceArn" && op != "SimulatePrincipalPolicy":
			continue
		}
		keep = append(keep, p)
	}
	return strings.Join(keep, "&")
}

// TestTheActionTableNamesEveryOperationsActionAndResource signs every
// operation as a role session with no permissions: each denial names the
// action and resource the authorizer evaluated, which docs/aws-actions.md
// must list (go test ./internal/e2e -run TestTheActionTable -update-actions
// rewrites it).
func TestTheActionTableNamesEveryOperationsActionAndResource(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	nobody := s.assumeNobody(t)
	c := s.caller().withT(t).as(nobody)
	org, err := s.main.Store.Organization(context.Background())
	must(t, err)
	instance := strings.TrimPrefix(st.InstanceARN, "arn:aws:sso:::instance/")
	replace := strings.NewReplacer("INSTANCE", instance, "ACCOUNT", org.ManagementAccountID, "STORE", st.IdentityStoreID)
	back := strings.NewReplacer(instance, "INSTANCE", org.ManagementAccountID, "ACCOUNT", st.IdentityStoreID, "STORE", org.ID, "ORG")

	var rows []string
	for prefix, ops := range jsonOperations() {
		for _, op := range ops {
			w := c.json(prefix+"."+op, replace.Replace(probeJSON))
			rows = append(rows, row(op, denied(t, prefix+"."+op, w.Body), back))
		}
	}
	for _, op := range unsignedSTS() {
		rows = append(rows, fmt.Sprintf("| %s | `sts:%s` | unsigned: the role's trust policy decides, for the federated principal |", op, op))
	}
	for _, op := range []string{"GetCallerIdentity", "GetSessionToken"} {
		rows = append(rows, fmt.Sprintf("| %s | `sts:%s` | none needed |", op, op))
	}
	for service, ops := range queryOperations() {
		for _, op := range ops {
			form := "Action=" + op + "&Version=" + map[string]string{"iam": "2010-05-08", "sts": "2011-06-15"}[service] + "&" + replace.Replace(probeFor(op))
			w := c.query(form, scopedTo(service))
			rows = append(rows, row(op, denied(t, service+" "+op, w.Body), back))
		}
	}
	slices.Sort(rows)
	doc := actionsHeader + strings.Join(rows, "\n") + "\n"
	if *updateActions {
		must(t, os.WriteFile(actionsDoc, []byte(doc), 0o644))
	}
	got, err := os.ReadFile(actionsDoc)
	must(t, err)
	if string(got) != doc {
		t.Errorf("%s is not current; run go test ./internal/e2e -run TestTheActionTable -update-actions and review the diff", actionsDoc)
	}
}

const actionsHeader = `# The action table

Every signed operation keyward's AWS endpoint serves is authorized as IAM
authorizes it: the caller's policies are evaluated on the action and the
resource below (see the operator guide's IAM section). A resource of ` + "`*`" + `
means the operation acts on no single resource, so only policies on ` + "`*`" + `
decide; ACCOUNT is the caller's account (in an Organizations ARN, the
management account's: here the caller's), ORG the organization,
INSTANCE the Identity Center instance and STORE the identity store. An
operation on several resources is authorized on each and the table names
the first: AttachPolicy and DetachPolicy also on the target, MoveAccount
also on both parents. GetCallerIdentity and GetSessionToken need no
permission; the unsigned AssumeRoleWith… actions are decided by the role's
trust policy alone. Generated by
TestTheActionTableNamesEveryOperationsActionAndResource from what the
authorizer is asked; do not edit by hand.

| Operation | IAM action | Resource |
|---|---|---|
`

func row(op string, m []string, back *strings.Replacer) string {
	res := "`*`"
	if m[2] != "" {
		res = "`" + back.Replace(m[2]) + "`"
	}
	return fmt.Sprintf("| %s | `%s` | %s |", op, m[1], res)
}

// denied reads the action and resource from an access denied message.
func denied(t *testing.T, what string, body []byte) []string {
	t.Helper()
	var msg string
	var j struct{ Message string }
	var x struct {
		Message string `xml:"Error>Message"`
	}
	if json.Unmarshal(body, &j) == nil && j.Message != "" {
		msg = j.Message
	} else if xml.Unmarshal(body, &x) == nil {
		msg = x.Message
	}
	m := resourceRe.FindStringSubmatch(msg)
	if m == nil {
		t.Errorf("%s was not refused by the authorizer: %s", what, body)
		return []string{"", "?", ""}
	}
	return m
}

// assumeNobody assumes, from the management root, a role with no policies.
func (s *server) assumeNobody(t *testing.T) aws.Credentials {
	t.Helper()
	ctx := context.Background()
	org, err := s.main.Store.Organization(ctx)
	must(t, err)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + org.ManagementAccountID + `:root"},"Action":"sts:AssumeRole"}]}`
	_, err = iam.NewFromConfig(s.adminConfig()).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("Nobody"), AssumeRolePolicyDocument: aws.String(trust)})
	must(t, err)
	out, err := sts.NewFromConfig(s.adminConfig()).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + org.ManagementAccountID + ":role/Nobody"), RoleSessionName: aws.String("probe")})
	must(t, err)
	return aws.Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId), SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey),
		SessionToken: aws.ToString(out.Credentials.SessionToken)}
}

// jsonOperations and queryOperations list the operations of every service
// as internal/app mounts them.
func jsonOperations() map[string][]string {
	out := map[string][]string{}
	for _, s := range []struct {
		prefix string
		ops    []string
	}{
		{"SWBExternalService", slices.Sorted(maps.Keys(ssoadmin.New(nil, clock.Real{}, clock.Random).JSONService(nil).Operations))},
		{"AWSIdentityStore", slices.Sorted(maps.Keys(identitystore.New(nil, clock.Real{}, clock.Random).JSONService(nil).Operations))},
		{"AWSOrganizationsV20161128", slices.Sorted(maps.Keys(organizations.New(nil, clock.Real{}, clock.Random).JSONService(nil).Operations))},
	} {
		out[s.prefix] = s.ops
	}
	return out
}

func queryOperations() map[string][]string {
	iamOps := slices.Sorted(maps.Keys(iamapi.New(nil, clock.Real{}, clock.Random).QueryService(nil).Actions))
	q := kwsts.New(nil, nil, clock.Real{}, clock.Random, "").QueryService(nil)
	stsOps := slices.DeleteFunc(slices.Sorted(maps.Keys(q.Actions)),
		func(op string) bool { return op == "GetCallerIdentity" || op == "GetSessionToken" || q.Unsigned[op] })
	return map[string][]string{"iam": iamOps, "sts": stsOps}
}

// unsignedSTS are the STS actions that take no signature.
func unsignedSTS() []string {
	return slices.Sorted(maps.Keys(kwsts.New(nil, nil, clock.Real{}, clock.Random, "").QueryService(nil).Unsigned))
}
