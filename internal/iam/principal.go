package iam

import "strings"

// Principal is who makes a request, as policy evaluation needs to know it.
type Principal struct {
	// ARN is the caller's own ARN, the one access denied messages name: a
	// user's, a role session's (arn:aws:sts::ACCT:assumed-role/R/S) or the
	// account root's. Empty for an anonymous or web identity caller.
	ARN string
	// RoleARN is, for a role session, the role's ARN with its path. A
	// resource policy naming the role grants to all its sessions, and it is
	// the session's aws:PrincipalArn.
	RoleARN string
	// Account is the caller's account id (aws:PrincipalAccount).
	Account string
	// Type is aws:PrincipalType: PrincipalTypeUser, PrincipalTypeAssumedRole…
	Type string
	// UserID is aws:userid: a user's AIDA id, a session's "AROA…:session",
	// the account id for root.
	UserID string
	// Username is aws:username, set for IAM users only.
	Username string
	// Tags are the principal's tags (aws:PrincipalTag/…): a user's or
	// role's tags, overridden by session tags.
	Tags []Tag
	// OrgID is the organization of the caller's account (aws:PrincipalOrgID).
	OrgID string
	// SourceIdentity is the session's source identity (aws:SourceIdentity).
	SourceIdentity string
	// Federated is, for AssumeRoleWithSAML and AssumeRoleWithWebIdentity,
	// the identity provider a trust policy's "Federated" principal names:
	// a SAML provider ARN, an OIDC provider ARN or a built-in provider's
	// host such as "accounts.google.com".
	Federated string
	// Service is an AWS service principal ("ec2.amazonaws.com") calling on
	// its own behalf.
	Service string
}

// grant is how specifically a resource policy's Allow named the caller;
// AWS lets a more specific grant bypass more of the caller's own policies.
type grant int

const (
	grantNone    grant = iota
	grantAccount       // the caller's account: its identity policies must allow too
	grantRole          // the caller's role: boundary and session policies still limit
	grantSelf          // the caller itself, its provider or service, or everyone
)

// principalGrant reports how a statement's Principal element names p.
func principalGrant(elem map[string][]string, p *Principal) grant {
	best := grantNone
	for typ, vals := range elem {
		for _, v := range vals {
			if g := valueGrant(typ, v, p); g > best {
				best = g
			}
		}
	}
	return best
}

func valueGrant(typ, v string, p *Principal) grant {
	switch typ {
	case "*":
		return grantSelf
	case "AWS":
		switch {
		case v == "*" || (p.ARN != "" && v == p.ARN):
			return grantSelf
		case p.RoleARN != "" && v == p.RoleARN:
			return grantRole
		case namesAccount(v, p.Account):
			return grantAccount
		}
	case "Federated":
		if p.Federated != "" && sameProvider(v, p.Federated) {
			return grantSelf
		}
	case "Service":
		if p.Service != "" && strings.EqualFold(v, p.Service) {
			return grantSelf
		}
	}
	return grantNone
}

// namesAccount reports whether a principal value is the account: its
// 12-digit id or its root ARN, both meaning every principal in it.
func namesAccount(v, account string) bool {
	return account != "" && (v == account || v == RootARN(account))
}

// sameProvider compares a trust policy's Federated value with the caller's
// provider; an OIDC provider may be named by its ARN or its host.
func sameProvider(v, provider string) bool {
	return strings.EqualFold(v, provider) || strings.EqualFold(oidcHost(v), oidcHost(provider))
}

func oidcHost(s string) string {
	if _, host, ok := strings.Cut(s, ":oidc-provider/"); ok {
		return host
	}
	return s
}

// excludedBy reports whether a NotPrincipal element excludes p. As AWS
// may check the account first, then the role, then the session, the
// caller escapes a NotPrincipal only when every identity it has is listed:
// its own ARN, its role's ARN and its account (or its provider or
// service).
func excludedBy(elem map[string][]string, p *Principal) bool {
	if _, all := elem["*"]; all {
		return true
	}
	listed := func(typ string, ok func(string) bool) bool {
		for _, v := range elem[typ] {
			if v == "*" || ok(v) {
				return true
			}
		}
		return false
	}
	var identities int
	check := func(present bool, typ string, ok func(string) bool) bool {
		if !present {
			return true
		}
		identities++
		return listed(typ, ok)
	}
	excluded := check(p.ARN != "", "AWS", func(v string) bool { return v == p.ARN }) &&
		check(p.RoleARN != "", "AWS", func(v string) bool { return v == p.RoleARN }) &&
		check(p.Account != "", "AWS", func(v string) bool { return namesAccount(v, p.Account) }) &&
		check(p.Federated != "", "Federated", func(v string) bool { return sameProvider(v, p.Federated) }) &&
		check(p.Service != "", "Service", func(v string) bool { return strings.EqualFold(v, p.Service) })
	return excluded && identities > 0
}
