package iam

import "strings"

// Evaluate decides a request the way AWS's policy evaluation logic does:
//
//  1. An explicit Deny in any policy denies (SCPs first, then the trust,
//     resource-based, identity-based, boundary and session policies).
//  2. Each SCP level must allow, or the request is implicitly denied.
//  3. A role's trust policy must allow.
//  4. Same account: a resource-based Allow that names the caller itself
//     (its user or session ARN, its provider or service, or everyone)
//     grants, whatever the caller's own policies say. One that names the
//     caller's role grants as an identity Allow would, still limited by
//     the boundary and session policies. One that names only the account
//     delegates to the identity policies.
//  5. Otherwise an identity-based Allow is needed, then the permissions
//     boundary (when there is one) and the session policies (when there
//     are any) must allow too.
//  6. Cross account: the identity side (identity, boundary, session) and a
//     resource-based policy must both allow. A caller with no account (a
//     federated user before it has a session, a service) counts as same
//     account: it has no identity side.
func Evaluate(r Request, p Policies) Decision {
	e := evaluator{r: &r, hasBoundary: p.Boundary != nil}
	s := scans{scps: make([]scan, len(p.SCPs)), trust: e.scan(p.Trust, true), res: e.scan(p.Resource, true),
		id: e.scan(p.Identity, false), boundary: e.scan(p.Boundary, false), session: e.scan(p.Session, false)}
	for i, level := range p.SCPs {
		s.scps[i] = e.scan(level, false)
	}
	if d, ok := s.explicitDeny(); ok {
		return d
	}
	for i, level := range p.SCPs {
		if level != nil && !s.scps[i].allow.ok {
			d := implicitDeny(PolicyKindSCP)
			d.Level = i
			return d
		}
	}
	if p.Trust != nil && !s.trust.allow.ok {
		return implicitDeny(PolicyKindTrust)
	}
	// A caller with no account (a SAML or web identity user, a service)
	// has no identity side: the resource's policy alone decides.
	same := r.ResourceAccount == "" || r.Principal.Account == "" || r.ResourceAccount == r.Principal.Account
	return s.decide(p, same)
}

// scans are what each policy of a request says about it.
type scans struct {
	scps                              []scan
	trust, res, id, boundary, session scan
}

// explicitDeny finds the first Deny that matched, SCPs first.
func (s *scans) explicitDeny() (Decision, bool) {
	for i, level := range s.scps {
		if level.deny.ok {
			d := level.deny.decision(PolicyKindSCP, false)
			d.Level = i
			return d, true
		}
	}
	for _, k := range []struct {
		kind PolicyKind
		scan *scan
	}{{PolicyKindTrust, &s.trust}, {PolicyKindResource, &s.res}, {PolicyKindIdentity, &s.id}, {PolicyKindBoundary, &s.boundary}, {PolicyKindSession, &s.session}} {
		if k.scan.deny.ok {
			return k.scan.deny.decision(k.kind, false), true
		}
	}
	return Decision{}, false
}

// decide combines the resource side and the identity side once no Deny
// matched and the SCPs and trust policy allow (steps 4 to 6).
func (s *scans) decide(p Policies, same bool) Decision {
	byRes, resKind := s.res.allow, PolicyKindResource
	if s.trust.allow.grant > byRes.grant {
		byRes, resKind = s.trust.allow, PolicyKindTrust
	}
	if same && byRes.grant == grantSelf {
		return byRes.decision(resKind, true)
	}
	grantedBy, grantedKind := s.id.allow, PolicyKindIdentity
	if !s.id.allow.ok && same && byRes.grant == grantRole {
		grantedBy, grantedKind = byRes, resKind
	}
	switch {
	case !grantedBy.ok:
		return implicitDeny(PolicyKindIdentity)
	case p.Boundary != nil && !s.boundary.allow.ok:
		return implicitDeny(PolicyKindBoundary)
	case p.Session != nil && !s.session.allow.ok:
		return implicitDeny(PolicyKindSession)
	case !same && byRes.grant == grantNone:
		return implicitDeny(PolicyKindResource)
	}
	return grantedBy.decision(grantedKind, true)
}

// hit is a statement that matched a request.
type hit struct {
	ok            bool
	policy, index int
	sid           string
	grant         grant // resource-based policies: how the Allow named the caller
}

// scan is what one kind of policy says about a request: its first
// matching Deny and its strongest matching Allow.
type scan struct{ deny, allow hit }

// evaluator matches statements against one request.
type evaluator struct {
	r           *Request
	hasBoundary bool
	vars        bool // the current document's version has policy variables
}

func (e *evaluator) scan(docs []Document, resourceBased bool) scan {
	var out scan
	for i := range docs {
		e.vars = docs[i].Version == versionWithVariables
		for j := range docs[i].Statement {
			s := &docs[i].Statement[j]
			deny := s.Effect == "Deny"
			if (deny && out.deny.ok) || (!deny && out.allow.grant == grantSelf) {
				continue
			}
			g, ok := e.matches(s, resourceBased, deny)
			if !ok {
				continue
			}
			h := hit{ok: true, policy: i, index: j, sid: s.Sid, grant: g}
			if deny {
				out.deny = h
			} else if !out.allow.ok || g > out.allow.grant {
				out.allow = h
			}
		}
	}
	return out
}

// matches reports whether a statement applies to the request and, for a
// resource-based policy, how it names the caller.
func (e *evaluator) matches(s *Statement, resourceBased, deny bool) (grant, bool) {
	if !e.actionMatches(s) || !e.resourceMatches(s) {
		return grantNone, false
	}
	g := grantSelf
	if resourceBased {
		if g = e.principalMatches(s, deny); g == grantNone {
			return grantNone, false
		}
	}
	return g, e.conditionsHold(s.Condition)
}

func (e *evaluator) actionMatches(s *Statement) bool {
	if s.Action != nil {
		return anyMatch(s.Action, func(p string) bool { return matchAction(p, e.r.Action) })
	}
	return !anyMatch(s.NotAction, func(p string) bool { return matchAction(p, e.r.Action) })
}

// resourceMatches checks Resource or NotResource; a trust policy's
// statements name neither (the role is the resource).
func (e *evaluator) resourceMatches(s *Statement) bool {
	match := func(p string) bool {
		p, ok := e.resolve(p, true)
		return ok && matchARN(p, e.r.Resource)
	}
	switch {
	case s.Resource != nil:
		return anyMatch(s.Resource, match)
	case s.NotResource != nil:
		return !anyMatch(s.NotResource, match)
	}
	return true
}

// principalMatches checks Principal or NotPrincipal. AWS documents that a
// Deny with NotPrincipal always applies to a principal that has a
// permissions boundary, whatever it lists.
func (e *evaluator) principalMatches(s *Statement, deny bool) grant {
	p := &e.r.Principal
	switch {
	case s.Principal != nil:
		return principalGrant(s.Principal, p)
	case s.NotPrincipal != nil && ((deny && e.hasBoundary) || !excludedBy(s.NotPrincipal, p)):
		return grantSelf
	}
	return grantNone
}

// conditionsHold ANDs every operator and key of a Condition block.
func (e *evaluator) conditionsHold(cond map[string]map[string][]string) bool {
	for name, keys := range cond {
		op, ok := parseOperator(name)
		if !ok {
			return false
		}
		for key, values := range keys {
			ctx, present := e.lookup(key)
			if !conditionHolds(op, ctx, present, values, e.resolve) {
				return false
			}
		}
	}
	return true
}

// lookup finds a condition key in the request's context, then among the
// principal's keys.
func (e *evaluator) lookup(key string) ([]string, bool) {
	if v, ok := e.r.Context.Get(key); ok {
		return v, true
	}
	return principalKey(&e.r.Principal, key)
}

// resolve substitutes policy variables in a policy value when the
// document's version has them.
func (e *evaluator) resolve(s string, pattern bool) (string, bool) {
	if !e.vars || !strings.Contains(s, "${") {
		return s, true
	}
	return substitute(s, e.lookup, pattern)
}

func anyMatch(list []string, f func(string) bool) bool {
	for _, v := range list {
		if f(v) {
			return true
		}
	}
	return false
}
