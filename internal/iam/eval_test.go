package iam

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The evaluation tables: each case is named after the rule of AWS's
// documented policy evaluation logic it checks, and asserts the decision
// (allowed, explicit, by which kind of policy) and, where it matters, the
// exact access denied message.

const (
	acct      = "111122223333"
	otherAcct = "444455556666"
	sessARN   = "arn:aws:sts::111122223333:assumed-role/R/s"
	roleARN   = "arn:aws:iam::111122223333:role/R"
	aliceARN  = "arn:aws:iam::111122223333:user/alice"
	targetARN = "arn:aws:iam::111122223333:role/X"
)

// A role session, the usual caller: keyward's permission sets sign calls
// with one.
var session = Principal{ARN: sessARN, RoleARN: roleARN, Account: acct, Type: PrincipalTypeAssumedRole,
	UserID: "AROAEXAMPLEID:s", Tags: []Tag{{"team", "blue"}, {"CostCenter", "42"}}, OrgID: "o-abc123", SourceIdentity: "alice@example.com"}

// An IAM user.
var alice = Principal{ARN: aliceARN, Account: acct, Type: PrincipalTypeUser, Username: "alice", UserID: "AIDAEXAMPLEID"}

// A role session in another account.
var outsider = Principal{ARN: "arn:aws:sts::444455556666:assumed-role/Ext/e", RoleARN: "arn:aws:iam::444455556666:role/Ext",
	Account: otherAcct, Type: PrincipalTypeAssumedRole, UserID: "AROAOTHER:e"}

// evalCase is one row of an evaluation table.
type evalCase struct {
	rule     string
	req      Request
	pol      Policies
	allowed  bool
	explicit bool
	by       PolicyKind
	msg      string // the exact access denied message, when the case checks it
}

// outcome is the part of a Decision the tables compare.
type outcome struct {
	Allowed, Explicit bool
	By                string
}

func runCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			req := c.req
			if req.Action == "" {
				req.Action = "iam:DeleteRole"
			}
			if req.Resource == "" {
				req.Resource = targetARN
			}
			if req.Principal.ARN == "" && req.Principal.Federated == "" && req.Principal.Service == "" {
				req.Principal = session
			}
			d := Evaluate(req, c.pol)
			want := outcome{c.allowed, c.explicit, c.by.String()}
			if diff := cmp.Diff(want, outcome{d.Allowed, d.Explicit, d.By.String()}); diff != "" {
				t.Errorf("decision (-want +got):\n%s", diff)
			}
			if c.msg != "" {
				if diff := cmp.Diff(c.msg, d.Message(req.Principal.ARN, req.Action, req.Resource)); diff != "" {
					t.Errorf("message (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// policy parses a document of the given statements with parse, panicking
// on a mistake in the table itself.
func policy(parse func([]byte) (Document, error), version string, stmts ...string) Document {
	doc := `{"Version":"` + version + `","Statement":[` + strings.Join(stmts, ",") + `]}`
	d, err := parse([]byte(doc))
	if err != nil {
		panic(err.Error() + "\n" + doc)
	}
	return d
}

func idp(stmts ...string) Document   { return policy(ParseIdentityPolicy, "2012-10-17", stmts...) }
func rbp(stmts ...string) Document   { return policy(ParseResourcePolicy, "2012-10-17", stmts...) }
func trust(stmts ...string) Document { return policy(ParseTrustPolicy, "2012-10-17", stmts...) }
func list(d ...Document) []Document  { return d }

// ctx builds a Context from key, values pairs: ctx("k", "v1", "v2", "", "k2", "v").
// An empty string separates keys.
func ctx(kv ...string) Context {
	var c Context
	for len(kv) > 0 {
		end := len(kv)
		for i, v := range kv[1:] {
			if v == "" {
				end = i + 1
				break
			}
		}
		c.Set(kv[0], kv[1:end]...)
		if end < len(kv) {
			end++
		}
		kv = kv[end:]
	}
	return c
}

const (
	allowAll      = `{"Effect":"Allow","Action":"*","Resource":"*"}`
	denyAll       = `{"Effect":"Deny","Action":"*","Resource":"*"}`
	allowIAM      = `{"Effect":"Allow","Action":"iam:*","Resource":"*"}`
	denyDelete    = `{"Sid":"NoDelete","Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"}`
	allowS3       = `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`
	allowDelete   = `{"Effect":"Allow","Action":"iam:DeleteRole","Resource":"arn:aws:iam::111122223333:role/X"}`
	allowGetRole  = `{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"}`
	implicitIDMsg = "User: " + sessARN + " is not authorized to perform: iam:DeleteRole on resource: " + targetARN +
		" because no identity-based policy allows the iam:DeleteRole action"
)

func TestEvaluationLogic(t *testing.T) {
	runCases(t, []evalCase{
		{rule: "with no policy at all a request is implicitly denied", allowed: false, by: PolicyKindIdentity, msg: implicitIDMsg},
		{rule: "an identity-based Allow grants", pol: Policies{Identity: list(idp(allowIAM))}, allowed: true, by: PolicyKindIdentity},
		{rule: "an Allow for another action does not grant", pol: Policies{Identity: list(idp(allowS3))}, by: PolicyKindIdentity, msg: implicitIDMsg},
		{rule: "deny wins over allow in the same policy", pol: Policies{Identity: list(idp(allowAll, denyDelete))}, explicit: true, by: PolicyKindIdentity,
			msg: "User: " + sessARN + " is not authorized to perform: iam:DeleteRole on resource: " + targetARN + " with an explicit deny in an identity-based policy"},
		{rule: "deny wins over allow in another policy", pol: Policies{Identity: list(idp(allowAll), idp(denyDelete))}, explicit: true, by: PolicyKindIdentity},
		{rule: "deny wins whatever the order of the statements", pol: Policies{Identity: list(idp(denyDelete, allowAll))}, explicit: true, by: PolicyKindIdentity},
		{rule: "a Deny for another action leaves the Allow in force", pol: Policies{Identity: list(idp(allowAll, `{"Effect":"Deny","Action":"s3:*","Resource":"*"}`))}, allowed: true, by: PolicyKindIdentity},
		{rule: "a Deny alone is still a denial, explicit", pol: Policies{Identity: list(idp(denyAll))}, explicit: true, by: PolicyKindIdentity},
		{rule: "an Allow on another resource does not grant", pol: Policies{Identity: list(idp(`{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::111122223333:role/Y"}`))}, by: PolicyKindIdentity},
		{rule: "an Allow on the exact resource grants", pol: Policies{Identity: list(idp(allowDelete))}, allowed: true, by: PolicyKindIdentity},

		// Service control policies.
		{rule: "SCP limits even an administrator", pol: Policies{SCPs: [][]Document{{idp(allowS3)}}, Identity: list(idp(allowAll))}, by: PolicyKindSCP,
			msg: "User: " + sessARN + " is not authorized to perform: iam:DeleteRole on resource: " + targetARN + " because no service control policy allows the iam:DeleteRole action"},
		{rule: "an SCP Allow does not grant by itself", pol: Policies{SCPs: [][]Document{{idp(allowAll)}}}, by: PolicyKindIdentity, msg: implicitIDMsg},
		{rule: "SCP and identity policy both allowing grants", pol: Policies{SCPs: [][]Document{{idp(allowAll)}}, Identity: list(idp(allowIAM))}, allowed: true, by: PolicyKindIdentity},
		{rule: "an explicit deny in an SCP beats an administrator", pol: Policies{SCPs: [][]Document{{idp(allowAll, denyDelete)}}, Identity: list(idp(allowAll))}, explicit: true, by: PolicyKindSCP,
			msg: "User: " + sessARN + " is not authorized to perform: iam:DeleteRole on resource: " + targetARN + " with an explicit deny in a service control policy"},
		{rule: "every SCP level must allow: root allows, OU does not", pol: Policies{SCPs: [][]Document{{idp(allowAll)}, {idp(allowS3)}, {idp(allowAll)}}, Identity: list(idp(allowAll))}, by: PolicyKindSCP},
		{rule: "every SCP level must allow: account level does not", pol: Policies{SCPs: [][]Document{{idp(allowAll)}, {idp(allowAll)}, {idp(allowS3)}}, Identity: list(idp(allowAll))}, by: PolicyKindSCP},
		{rule: "every SCP level allowing grants", pol: Policies{SCPs: [][]Document{{idp(allowAll)}, {idp(allowIAM)}, {idp(allowDelete)}}, Identity: list(idp(allowAll))}, allowed: true, by: PolicyKindIdentity},
		{rule: "an allow at one SCP level and a deny at another denies", pol: Policies{SCPs: [][]Document{{idp(allowAll)}, {idp(allowAll, denyDelete)}}, Identity: list(idp(allowAll))}, explicit: true, by: PolicyKindSCP},
		{rule: "an SCP level with no policy allows nothing", pol: Policies{SCPs: [][]Document{{idp(allowAll)}, {}}, Identity: list(idp(allowAll))}, by: PolicyKindSCP},
		{rule: "nil SCPs: the management account is not limited by SCPs", pol: Policies{SCPs: nil, Identity: list(idp(allowAll))}, allowed: true, by: PolicyKindIdentity},
		{rule: "a nil SCP level is skipped", pol: Policies{SCPs: [][]Document{nil, {idp(allowAll)}}, Identity: list(idp(allowAll))}, allowed: true, by: PolicyKindIdentity},
		{rule: "SCPs limit even a same-account resource policy grant", pol: Policies{SCPs: [][]Document{{idp(allowS3)}},
			Resource: list(rbp(`{"Effect":"Allow","Principal":{"AWS":"` + sessARN + `"},"Action":"*","Resource":"*"}`))}, by: PolicyKindSCP},
		{rule: "an SCP deny is reported before an identity deny", pol: Policies{SCPs: [][]Document{{idp(denyAll)}}, Identity: list(idp(denyAll))}, explicit: true, by: PolicyKindSCP},
		{rule: "an SCP NotAction deny exempts what it lists", pol: Policies{SCPs: [][]Document{{idp(allowAll, `{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}`)}}, Identity: list(idp(allowAll))}, allowed: true, by: PolicyKindIdentity},

		// Permissions boundaries.
		{rule: "boundary intersects: identity allows, boundary does not", pol: Policies{Identity: list(idp(allowAll)), Boundary: list(idp(allowS3))}, by: PolicyKindBoundary,
			msg: "User: " + sessARN + " is not authorized to perform: iam:DeleteRole on resource: " + targetARN + " because no permissions boundary allows the iam:DeleteRole action"},
		{rule: "boundary intersects: boundary allows, identity does not", pol: Policies{Identity: list(idp(allowS3)), Boundary: list(idp(allowAll))}, by: PolicyKindIdentity, msg: implicitIDMsg},
		{rule: "boundary intersects: both allow", pol: Policies{Identity: list(idp(allowIAM)), Boundary: list(idp(allowDelete))}, allowed: true, by: PolicyKindIdentity},
		{rule: "an explicit deny in a boundary denies", pol: Policies{Identity: list(idp(allowAll)), Boundary: list(idp(allowAll, denyDelete))}, explicit: true, by: PolicyKindBoundary,
			msg: "User: " + sessARN + " is not authorized to perform: iam:DeleteRole on resource: " + targetARN + " with an explicit deny in a permissions boundary"},
		{rule: "an empty boundary allows nothing", pol: Policies{Identity: list(idp(allowAll)), Boundary: []Document{}}, by: PolicyKindBoundary},
		{rule: "a boundary never grants on its own", pol: Policies{Boundary: list(idp(allowAll))}, by: PolicyKindIdentity},

		// Session policies.
		{rule: "session policy narrows", pol: Policies{Identity: list(idp(allowAll)), Session: list(idp(allowS3))}, by: PolicyKindSession,
			msg: "User: " + sessARN + " is not authorized to perform: iam:DeleteRole on resource: " + targetARN + " because no session policy allows the iam:DeleteRole action"},
		{rule: "session policy cannot widen the role's permissions", pol: Policies{Identity: list(idp(allowS3)), Session: list(idp(allowAll))}, by: PolicyKindIdentity},
		{rule: "session policy and role both allowing grants", pol: Policies{Identity: list(idp(allowAll)), Session: list(idp(allowIAM))}, allowed: true, by: PolicyKindIdentity},
		{rule: "an explicit deny in a session policy denies", pol: Policies{Identity: list(idp(allowAll)), Session: list(idp(allowAll, denyDelete))}, explicit: true, by: PolicyKindSession,
			msg: "User: " + sessARN + " is not authorized to perform: iam:DeleteRole on resource: " + targetARN + " with an explicit deny in a session policy"},
		{rule: "any one of several session policies allowing is enough", pol: Policies{Identity: list(idp(allowAll)), Session: list(idp(allowS3), idp(allowIAM))}, allowed: true, by: PolicyKindIdentity},
		{rule: "boundary is checked before the session policy", pol: Policies{Identity: list(idp(allowAll)), Boundary: list(idp(allowS3)), Session: list(idp(allowS3))}, by: PolicyKindBoundary},
		{rule: "identity, boundary and session all allowing grants", pol: Policies{Identity: list(idp(allowAll)), Boundary: list(idp(allowIAM)), Session: list(idp(allowDelete))}, allowed: true, by: PolicyKindIdentity},
	})
}

func TestAMessageWithoutAResourceLeavesItOut(t *testing.T) {
	d := Evaluate(Request{Action: "sts:GetCallerIdentity", Resource: "*", Principal: alice}, Policies{})
	want := "User: " + aliceARN + " is not authorized to perform: codecommit:ListRepositories because no identity-based policy allows the codecommit:ListRepositories action"
	if got := d.Message(aliceARN, "codecommit:ListRepositories", ""); got != want {
		t.Errorf("message:\n got %s\nwant %s", got, want)
	}
	if got := (Decision{Allowed: true}).Message(aliceARN, "s3:GetObject", "*"); got != "" {
		t.Errorf("an allowed decision has message %q", got)
	}
}

func TestADecisionNamesTheDecidingStatement(t *testing.T) {
	d := Evaluate(Request{Action: "iam:DeleteRole", Resource: targetARN, Principal: session},
		Policies{Identity: list(idp(allowS3), idp(allowAll, denyDelete))})
	want := Decision{Explicit: true, By: PolicyKindIdentity, Policy: 1, Statement: 1, Sid: "NoDelete"}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	d = Evaluate(Request{Action: "iam:DeleteRole", Resource: targetARN, Principal: session},
		Policies{SCPs: [][]Document{{idp(allowAll)}, {idp(allowS3)}}, Identity: list(idp(allowAll))})
	want = Decision{By: PolicyKindSCP, Level: 1, Policy: -1, Statement: -1}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
