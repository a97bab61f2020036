package iam

// Request asks: may Principal perform Action on Resource in Context?
type Request struct {
	// Action is "service:Operation", e.g. "iam:DeleteRole"; policies match
	// it case-insensitively.
	Action string
	// Resource is the ARN the action acts on, or "*" for an action that
	// acts on no resource (iam:ListRoles is on a path ARN; sts:GetCallerIdentity
	// on "*").
	Resource string
	// Principal is who asks.
	Principal Principal
	// ResourceAccount owns the resource. Empty, or equal to the
	// principal's account, or a principal without one makes the request
	// same-account.
	ResourceAccount string
	// Context holds the request's condition keys. The principal's keys are
	// derived from Principal when missing here.
	Context Context
}

// Policies are every policy that applies to a request.
type Policies struct {
	// SCPs has one entry per level of the caller's account in its
	// organization (root, each OU, the account): every non-nil level must
	// allow. A nil SCPs means no SCP limits: the account is in no
	// organization, or it is the management account.
	SCPs [][]Document
	// Identity are the caller's identity-based policies: inline and managed
	// policies of its user (and the user's groups) or role.
	Identity []Document
	// Resource are resource-based policies attached to the resource.
	Resource []Document
	// Trust is the role's trust policy when the action assumes a role
	// (sts:AssumeRole, …WithSAML, …WithWebIdentity, sts:TagSession…). Unlike
	// other resource-based policies it must allow, even in the same account.
	Trust []Document
	// Boundary is the caller's permissions boundary; nil means none (a
	// non-nil empty list allows nothing).
	Boundary []Document
	// Session are the session's policies (inline and PolicyArns); nil
	// means none (a non-nil empty list allows nothing).
	Session []Document
}

// PolicyKind names the kind of policy that decided a request.
type PolicyKind uint8

// Kinds of policy, as access denied messages name them.
const (
	PolicyKindNone PolicyKind = iota
	PolicyKindSCP
	PolicyKindTrust
	PolicyKindResource
	PolicyKindIdentity
	PolicyKindBoundary
	PolicyKindSession
)

var kindPhrases = [...]struct{ explicit, implicit string }{
	PolicyKindSCP:      {"a service control policy", "service control policy"},
	PolicyKindTrust:    {"the role trust policy", "role trust policy"},
	PolicyKindResource: {"a resource-based policy", "resource-based policy"},
	PolicyKindIdentity: {"an identity-based policy", "identity-based policy"},
	PolicyKindBoundary: {"a permissions boundary", "permissions boundary"},
	PolicyKindSession:  {"a session policy", "session policy"},
}

// String is the kind's name as messages use it: "identity-based policy".
func (k PolicyKind) String() string {
	if k == PolicyKindNone || int(k) >= len(kindPhrases) {
		return "none"
	}
	return kindPhrases[k].implicit
}

// Decision is Evaluate's answer and the reason for it.
type Decision struct {
	Allowed bool
	// Explicit is set when a Deny statement decided.
	Explicit bool
	// By is the kind of policy that decided: the one whose Deny matched,
	// whose missing Allow denied, or whose Allow granted.
	By PolicyKind
	// Level is the SCP level (an index into Policies.SCPs) when By is
	// PolicyKindSCP.
	Level int
	// Policy and Statement index the deciding document within its kind's
	// list and the statement within it; Sid is that statement's Sid. All
	// are -1 or empty for an implicit deny, where no statement decided.
	Policy    int
	Statement int
	Sid       string
}

// Message is AWS's access denied message for a denial, e.g. "User:
// arn:aws:sts::111122223333:assumed-role/R/s is not authorized to perform:
// iam:DeleteRole on resource: arn:aws:iam::111122223333:role/X because no
// identity-based policy allows the iam:DeleteRole action". An empty
// resource leaves "on resource: …" out, as AWS does for actions without
// one. An allowed decision has no message.
func (d Decision) Message(principalARN, action, resource string) string {
	if d.Allowed {
		return ""
	}
	msg := "User: " + principalARN + " is not authorized to perform: " + action
	if resource != "" {
		msg += " on resource: " + resource
	}
	switch {
	case d.By == PolicyKindNone || int(d.By) >= len(kindPhrases):
		return msg
	case d.Explicit:
		return msg + " with an explicit deny in " + kindPhrases[d.By].explicit
	}
	return msg + " because no " + kindPhrases[d.By].implicit + " allows the " + action + " action"
}

func implicitDeny(by PolicyKind) Decision {
	return Decision{By: by, Policy: -1, Statement: -1}
}

func (h hit) decision(by PolicyKind, allowed bool) Decision {
	return Decision{Allowed: allowed, Explicit: !allowed, By: by, Policy: h.policy, Statement: h.index, Sid: h.sid}
}
