package iam

import "testing"

// Resource-based policies, role trust policies, cross-account access and
// the Principal and NotPrincipal elements.

const (
	bucketKey   = "arn:aws:s3:::bucket/key"
	grantToSess = `{"Effect":"Allow","Principal":{"AWS":"` + sessARN + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}`
	grantToRole = `{"Effect":"Allow","Principal":{"AWS":"` + roleARN + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}`
	grantToAcct = `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}`
	grantToUser = `{"Effect":"Allow","Principal":{"AWS":"` + aliceARN + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}`
	grantToAll  = `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}`
	denyAllS3   = `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bucket/*"}`
)

func get(p Principal, resourceAccount string) Request {
	return Request{Action: "s3:GetObject", Resource: bucketKey, Principal: p, ResourceAccount: resourceAccount}
}

func TestResourceBasedPolicies(t *testing.T) {
	runCases(t, []evalCase{
		{rule: "same account: a resource policy naming the session ARN grants without an identity allow", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToSess))}, allowed: true, by: PolicyKindResource},
		{rule: "same account: a resource policy naming the user ARN grants without an identity allow", req: get(alice, acct),
			pol: Policies{Resource: list(rbp(grantToUser))}, allowed: true, by: PolicyKindResource},
		{rule: "same account: a grant to the user ARN is not limited by an implicit deny in its boundary", req: get(alice, acct),
			pol: Policies{Resource: list(rbp(grantToUser)), Boundary: list(idp(allowIAM))}, allowed: true, by: PolicyKindResource},
		{rule: "same account: a grant to the session ARN is not limited by an implicit deny in the session policy", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToSess)), Session: list(idp(allowIAM))}, allowed: true, by: PolicyKindResource},
		{rule: "same account: a grant to the role ARN grants its sessions without an identity allow", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToRole))}, allowed: true, by: PolicyKindResource},
		{rule: "same account: a grant to the role ARN is limited by the boundary", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToRole)), Boundary: list(idp(allowIAM))}, by: PolicyKindBoundary},
		{rule: "same account: a grant to the role ARN is limited by the session policy", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToRole)), Session: list(idp(allowIAM))}, by: PolicyKindSession},
		{rule: "same account: a grant to the account delegates to the identity policies", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToAcct))}, by: PolicyKindIdentity},
		{rule: "same account: a grant to the account plus an identity allow grants", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToAcct)), Identity: list(idp(allowS3))}, allowed: true, by: PolicyKindIdentity},
		{rule: "same account: an identity allow is enough when the resource policy names someone else", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToUser)), Identity: list(idp(allowS3))}, allowed: true, by: PolicyKindIdentity},
		{rule: "same account: a resource policy naming someone else grants nothing", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToUser))}, by: PolicyKindIdentity},
		{rule: "same account: a resource policy allowing another action grants nothing", req: Request{Action: "s3:PutObject", Resource: bucketKey, Principal: session},
			pol: Policies{Resource: list(rbp(grantToSess))}, by: PolicyKindIdentity},
		{rule: "same account: a resource policy for everyone grants", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToAll))}, allowed: true, by: PolicyKindResource},
		{rule: "an explicit deny in a resource-based policy beats an identity allow", req: get(session, acct),
			pol: Policies{Resource: list(rbp(denyAllS3)), Identity: list(idp(allowAll))}, explicit: true, by: PolicyKindResource,
			msg: "User: " + sessARN + " is not authorized to perform: s3:GetObject on resource: " + bucketKey + " with an explicit deny in a resource-based policy"},
		{rule: "an explicit deny in an identity policy beats a resource grant naming the caller", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToSess)), Identity: list(idp(denyAll))}, explicit: true, by: PolicyKindIdentity},
		{rule: "an explicit deny in a boundary beats a resource grant naming the caller", req: get(alice, acct),
			pol: Policies{Resource: list(rbp(grantToUser)), Boundary: list(idp(denyAll))}, explicit: true, by: PolicyKindBoundary},
		{rule: "an explicit deny in a session policy beats a resource grant naming the caller", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToSess)), Session: list(idp(denyAll))}, explicit: true, by: PolicyKindSession},
		{rule: "a resource-based Allow and Deny in one policy: deny wins", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToSess, denyAllS3))}, explicit: true, by: PolicyKindResource},
		{rule: "a resource policy's Resource must match the request", req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::other/key", Principal: session},
			pol: Policies{Resource: list(rbp(grantToSess))}, by: PolicyKindIdentity},

		// Cross account.
		{rule: "cross-account needs both sides: identity allows, resource policy does not", req: get(session, otherAcct),
			pol: Policies{Identity: list(idp(allowS3))}, by: PolicyKindResource,
			msg: "User: " + sessARN + " is not authorized to perform: s3:GetObject on resource: " + bucketKey + " because no resource-based policy allows the s3:GetObject action"},
		{rule: "cross-account needs both sides: resource policy allows, identity does not", req: get(session, otherAcct),
			pol: Policies{Resource: list(rbp(grantToSess))}, by: PolicyKindIdentity},
		{rule: "cross-account: both sides allowing grants", req: get(session, otherAcct),
			pol: Policies{Resource: list(rbp(grantToSess)), Identity: list(idp(allowS3))}, allowed: true, by: PolicyKindIdentity},
		{rule: "cross-account: a resource policy naming the caller's account is enough on the resource side", req: get(session, otherAcct),
			pol: Policies{Resource: list(rbp(grantToAcct)), Identity: list(idp(allowS3))}, allowed: true, by: PolicyKindIdentity},
		{rule: "cross-account: a principal given as a bare account id means the whole account", req: get(outsider, acct),
			pol: Policies{Resource: list(rbp(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"*"}`)), Identity: list(idp(allowS3))}, allowed: true, by: PolicyKindIdentity},
		{rule: "cross-account: the caller's boundary still limits", req: get(session, otherAcct),
			pol: Policies{Resource: list(rbp(grantToSess)), Identity: list(idp(allowS3)), Boundary: list(idp(allowIAM))}, by: PolicyKindBoundary},
		{rule: "cross-account: the caller's session policy still limits", req: get(session, otherAcct),
			pol: Policies{Resource: list(rbp(grantToSess)), Identity: list(idp(allowS3)), Session: list(idp(allowIAM))}, by: PolicyKindSession},
		{rule: "cross-account: a resource policy naming another account grants nothing", req: get(session, otherAcct),
			pol: Policies{Resource: list(rbp(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"s3:*","Resource":"*"}`)), Identity: list(idp(allowS3))}, by: PolicyKindResource},
		{rule: "cross-account: an explicit deny on the resource side denies", req: get(session, otherAcct),
			pol: Policies{Resource: list(rbp(grantToSess, denyAllS3)), Identity: list(idp(allowS3))}, explicit: true, by: PolicyKindResource},
		{rule: "cross-account: SCPs of the caller's account still limit", req: get(session, otherAcct),
			pol: Policies{SCPs: [][]Document{{idp(allowIAM)}}, Resource: list(rbp(grantToSess)), Identity: list(idp(allowS3))}, by: PolicyKindSCP},
	})
}

const (
	assume        = "sts:AssumeRole"
	trustSess     = `{"Effect":"Allow","Principal":{"AWS":"` + roleARN + `"},"Action":"sts:AssumeRole"}`
	trustAcct     = `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}`
	trustOutsider = `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}`
	allowAssume   = `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`
	samlARN       = "arn:aws:iam::111122223333:saml-provider/okta"
	oidcARN       = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
)

func assumeReq(p Principal, action string) Request {
	return Request{Action: action, Resource: targetARN, Principal: p, ResourceAccount: acct}
}

func TestRoleTrustPolicies(t *testing.T) {
	saml := Principal{Federated: samlARN, Type: "SAMLUser"}
	samlCtx := assumeReq(saml, "sts:AssumeRoleWithSAML")
	samlCtx.Context = ctx("saml:aud", "https://signin.aws.amazon.com/saml")
	oidc := func(sub string) Request {
		r := assumeReq(Principal{Federated: oidcARN, Type: "WebIdentityUser"}, "sts:AssumeRoleWithWebIdentity")
		r.Context = ctx("token.actions.githubusercontent.com:sub", sub, "", "token.actions.githubusercontent.com:aud", "sts.amazonaws.com")
		return r
	}
	oidcTrust := trust(`{"Effect":"Allow","Principal":{"Federated":"` + oidcARN + `"},"Action":"sts:AssumeRoleWithWebIdentity",
		"Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/*"}}}`)
	withExternalID := assumeReq(outsider, assume)
	withExternalID.Context = ctx("sts:ExternalId", "secret-42")
	extTrust := trust(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"secret-42"}}}`)
	runCases(t, []evalCase{
		{rule: "the trust policy must allow even in the same account", req: assumeReq(session, assume),
			pol: Policies{Trust: list(trust(trustOutsider)), Identity: list(idp(allowAll))}, by: PolicyKindTrust,
			msg: "User: " + sessARN + " is not authorized to perform: sts:AssumeRole on resource: " + targetARN + " because no role trust policy allows the sts:AssumeRole action"},
		{rule: "same account: a trust policy naming the caller's role grants without an identity allow", req: assumeReq(session, assume),
			pol: Policies{Trust: list(trust(trustSess))}, allowed: true, by: PolicyKindTrust},
		{rule: "same account: a trust policy naming the account needs an identity allow", req: assumeReq(session, assume),
			pol: Policies{Trust: list(trust(trustAcct))}, by: PolicyKindIdentity},
		{rule: "same account: a trust policy naming the account and an identity allow grant", req: assumeReq(session, assume),
			pol: Policies{Trust: list(trust(trustAcct)), Identity: list(idp(allowAssume))}, allowed: true, by: PolicyKindIdentity},
		{rule: "cross-account trust needs both sides: trust allows, identity does not", req: assumeReq(outsider, assume),
			pol: Policies{Trust: list(trust(trustOutsider))}, by: PolicyKindIdentity},
		{rule: "cross-account trust needs both sides: identity allows, trust does not", req: assumeReq(outsider, assume),
			pol: Policies{Trust: list(trust(trustAcct)), Identity: list(idp(allowAssume))}, by: PolicyKindTrust},
		{rule: "cross-account trust needs both sides: both allow", req: assumeReq(outsider, assume),
			pol: Policies{Trust: list(trust(trustOutsider)), Identity: list(idp(allowAssume))}, allowed: true, by: PolicyKindIdentity},
		{rule: "an explicit deny in the trust policy denies", req: assumeReq(session, assume),
			pol: Policies{Trust: list(trust(trustSess, `{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}`))}, explicit: true, by: PolicyKindTrust,
			msg: "User: " + sessARN + " is not authorized to perform: sts:AssumeRole on resource: " + targetARN + " with an explicit deny in the role trust policy"},
		{rule: "a trust policy allowing sts:AssumeRole does not allow sts:TagSession", req: assumeReq(session, "sts:TagSession"),
			pol: Policies{Trust: list(trust(trustSess))}, by: PolicyKindTrust},
		{rule: "SAML trust: the Federated provider may assume with SAML", req: samlCtx,
			pol:     Policies{Trust: list(trust(`{"Effect":"Allow","Principal":{"Federated":"` + samlARN + `"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}`))},
			allowed: true, by: PolicyKindTrust},
		{rule: "SAML trust: another audience is refused", req: samlCtx,
			pol: Policies{Trust: list(trust(`{"Effect":"Allow","Principal":{"Federated":"` + samlARN + `"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"saml:aud":"https://other.example/saml"}}}`))},
			by:  PolicyKindTrust},
		{rule: "SAML trust: another provider is refused", req: samlCtx,
			pol: Policies{Trust: list(trust(`{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:saml-provider/other"},"Action":"sts:AssumeRoleWithSAML"}`))},
			by:  PolicyKindTrust},
		{rule: "OIDC trust: a sub matching the pattern may assume", req: oidc("repo:acme/app:ref:refs/heads/main"), pol: Policies{Trust: list(oidcTrust)}, allowed: true, by: PolicyKindTrust},
		{rule: "OIDC trust: a sub outside the pattern is refused", req: oidc("repo:evil/app:ref:refs/heads/main"), pol: Policies{Trust: list(oidcTrust)}, by: PolicyKindTrust},
		{rule: "OIDC trust: a provider named by its host matches one known by its ARN", req: oidc("repo:acme/x"),
			pol: Policies{Trust: list(trust(`{"Effect":"Allow","Principal":{"Federated":"token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity"}`))}, allowed: true, by: PolicyKindTrust},
		{rule: "service trust: the named service may assume", req: assumeReq(Principal{Service: "ec2.amazonaws.com"}, assume),
			pol: Policies{Trust: list(trust(`{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com","ec2.amazonaws.com"]},"Action":"sts:AssumeRole"}`))}, allowed: true, by: PolicyKindTrust},
		{rule: "service trust: another service may not", req: assumeReq(Principal{Service: "ecs-tasks.amazonaws.com"}, assume),
			pol: Policies{Trust: list(trust(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`))}, by: PolicyKindTrust},
		{rule: "trust with sts:ExternalId: the right external id grants", req: withExternalID,
			pol: Policies{Trust: list(extTrust), Identity: list(idp(allowAssume))}, allowed: true, by: PolicyKindIdentity},
		{rule: "trust with sts:ExternalId: a missing external id is refused", req: assumeReq(outsider, assume),
			pol: Policies{Trust: list(extTrust), Identity: list(idp(allowAssume))}, by: PolicyKindTrust},
	})
}

func TestPrincipalAndNotPrincipal(t *testing.T) {

	deny := func(listed string) string {
		return `{"Effect":"Deny","NotPrincipal":{"AWS":[` + listed + `]},"Action":"s3:*","Resource":"*"}`
	}
	all3 := `"` + sessARN + `","` + roleARN + `","arn:aws:iam::111122223333:root"`
	pathRole := session
	pathRole.RoleARN = "arn:aws:iam::111122223333:role/team/R"
	runCases(t, []evalCase{
		{rule: "NotPrincipal with Deny denies everyone not listed", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToSess, deny(`"`+aliceARN+`"`)))}, explicit: true, by: PolicyKindResource},
		{rule: "NotPrincipal with Deny exempts a session whose session, role and account are listed", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToSess, deny(all3)))}, allowed: true, by: PolicyKindResource},
		{rule: "NotPrincipal with Deny listing only the session still denies it: its account is not listed", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToSess, deny(`"`+sessARN+`"`)))}, explicit: true, by: PolicyKindResource},
		{rule: "NotPrincipal with Deny exempts a user listed with its account", req: get(alice, acct),
			pol: Policies{Resource: list(rbp(grantToUser, deny(`"`+aliceARN+`","111122223333"`)))}, allowed: true, by: PolicyKindResource},
		{rule: "NotPrincipal with Deny always denies a principal with a permissions boundary", req: get(session, acct),
			pol: Policies{Resource: list(rbp(grantToSess, deny(all3))), Boundary: list(idp(allowAll))}, explicit: true, by: PolicyKindResource},
		{rule: "NotPrincipal with Allow grants everyone not listed", req: get(session, acct),
			pol: Policies{Resource: list(rbp(`{"Effect":"Allow","NotPrincipal":{"AWS":"` + aliceARN + `"},"Action":"s3:*","Resource":"*"}`))}, allowed: true, by: PolicyKindResource},
		{rule: "NotPrincipal with Allow grants nothing to a caller it lists", req: get(alice, acct),
			pol: Policies{Resource: list(rbp(`{"Effect":"Allow","NotPrincipal":{"AWS":["` + aliceARN + `","` + acct + `"]},"Action":"s3:*","Resource":"*"}`))}, by: PolicyKindIdentity},
		{rule: "Principal AWS * names every principal", req: get(session, acct),
			pol: Policies{Resource: list(rbp(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}`))}, allowed: true, by: PolicyKindResource},
		{rule: "a role is named by its ARN with its path", req: get(pathRole, acct),
			pol: Policies{Resource: list(rbp(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/team/R"},"Action":"s3:*","Resource":"*"}`))}, allowed: true, by: PolicyKindResource},
		{rule: "a role ARN without the role's path does not name it", req: get(pathRole, acct),
			pol: Policies{Resource: list(rbp(grantToRole))}, by: PolicyKindIdentity},
		{rule: "another session of the same role is not the caller", req: get(session, acct),
			pol: Policies{Resource: list(rbp(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/R/other"},"Action":"s3:*","Resource":"*"}`))}, by: PolicyKindIdentity},
		{rule: "a deny naming the role denies all its sessions", req: get(session, acct),
			pol: Policies{Resource: list(rbp(`{"Effect":"Deny","Principal":{"AWS":"` + roleARN + `"},"Action":"s3:*","Resource":"*"}`)), Identity: list(idp(allowAll))}, explicit: true, by: PolicyKindResource},
		{rule: "a deny naming the account denies everyone in it", req: get(alice, acct),
			pol: Policies{Resource: list(rbp(`{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}`)), Identity: list(idp(allowAll))}, explicit: true, by: PolicyKindResource},
		{rule: "a deny naming another account leaves the caller alone", req: get(alice, acct),
			pol: Policies{Resource: list(rbp(`{"Effect":"Deny","Principal":{"AWS":"444455556666"},"Action":"s3:*","Resource":"*"}`)), Identity: list(idp(allowAll))}, allowed: true, by: PolicyKindIdentity},
		{rule: "a CanonicalUser principal never names a keyward caller", req: get(session, acct),
			pol: Policies{Resource: list(rbp(`{"Effect":"Allow","Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:*","Resource":"*"}`))}, by: PolicyKindIdentity},
	})

}

func TestAnAnonymousCallerIsNeverExemptedByNotPrincipal(t *testing.T) {
	anonymous := Principal{Type: PrincipalTypeAnonymous}
	pol := Policies{Resource: list(rbp(grantToAll, `{"Effect":"Deny","NotPrincipal":{"AWS":"`+aliceARN+`"},"Action":"s3:*","Resource":"*"}`))}
	d := Evaluate(get(anonymous, acct), pol)
	if d.Allowed || !d.Explicit || d.By != PolicyKindResource {
		t.Errorf("an anonymous caller got %+v, want an explicit deny by the resource-based policy", d)
	}
	pol.Resource = list(rbp(grantToAll))
	if d := Evaluate(get(anonymous, acct), pol); !d.Allowed {
		t.Errorf("Principal * did not grant an anonymous caller: %+v", d)
	}
}
