package iam

import "testing"

// Action, NotAction, Resource and NotResource matching with wildcards.

func on(action, resource string) Request { return Request{Action: action, Resource: resource} }

func allowOn(field, values string) Policies {
	return Policies{Identity: list(idp(`{"Effect":"Allow","Action":"*","` + field + `":` + values + `}`))}
}

func allowAction(field, values string) Policies {
	return Policies{Identity: list(idp(`{"Effect":"Allow","` + field + `":` + values + `,"Resource":"*"}`))}
}

func TestActionMatching(t *testing.T) {
	runCases(t, []evalCase{
		{rule: "an action wildcard matches a prefix", pol: allowAction("Action", `"iam:Delete*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "actions match case-insensitively", pol: allowAction("Action", `"IAM:deleterole"`), allowed: true, by: PolicyKindIdentity},
		{rule: "a request action in another case matches", req: on("IAM:DELETEROLE", targetARN), pol: allowAction("Action", `"iam:DeleteRole"`), allowed: true, by: PolicyKindIdentity},
		{rule: "an action wildcard does not match another prefix", pol: allowAction("Action", `"iam:Get*"`), by: PolicyKindIdentity},
		{rule: "? in an action matches one character", pol: allowAction("Action", `"iam:DeleteRol?"`), allowed: true, by: PolicyKindIdentity},
		{rule: "? in an action does not match nothing", pol: allowAction("Action", `"iam:DeleteRole?"`), by: PolicyKindIdentity},
		{rule: "a wildcard in the middle of an action matches", pol: allowAction("Action", `"iam:*Role"`), allowed: true, by: PolicyKindIdentity},
		{rule: "* alone matches every action", pol: allowAction("Action", `"*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "an action list matches any of its entries", pol: allowAction("Action", `["s3:GetObject","iam:DeleteRole"]`), allowed: true, by: PolicyKindIdentity},
		{rule: "the service prefix must match", pol: allowAction("Action", `"sts:DeleteRole"`), by: PolicyKindIdentity},
		{rule: "NotAction with Allow grants every other action", pol: allowAction("NotAction", `"s3:*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "NotAction with Allow does not grant what it lists", pol: allowAction("NotAction", `["s3:*","iam:*"]`), by: PolicyKindIdentity},
		{rule: "NotAction with deny denies every action it does not list", req: on("s3:GetObject", "arn:aws:s3:::b/k"),
			pol: Policies{Identity: list(idp(allowAll, `{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}`))}, explicit: true, by: PolicyKindIdentity},
		{rule: "NotAction with deny spares the actions it lists", pol: Policies{Identity: list(idp(allowAll, `{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}`))}, allowed: true, by: PolicyKindIdentity},
		{rule: "NotAction with deny matches its list case-insensitively", pol: Policies{Identity: list(idp(allowAll, `{"Effect":"Deny","NotAction":"IAM:DELETE*","Resource":"*"}`))}, allowed: true, by: PolicyKindIdentity},
		{rule: "NotAction with deny limited to a resource leaves other resources alone", req: on("s3:GetObject", "arn:aws:s3:::b/k"),
			pol: Policies{Identity: list(idp(allowAll, `{"Effect":"Deny","NotAction":"iam:*","Resource":"arn:aws:s3:::secret/*"}`))}, allowed: true, by: PolicyKindIdentity},
	})
}

func TestResourceMatching(t *testing.T) {
	runCases(t, []evalCase{
		{rule: "a wildcard in the resource part matches", pol: allowOn("Resource", `"arn:aws:iam::111122223333:role/*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "a wildcard in the account segment matches any account", pol: allowOn("Resource", `"arn:aws:iam::*:role/X"`), allowed: true, by: PolicyKindIdentity},
		{rule: "a wildcard within the account segment matches", pol: allowOn("Resource", `"arn:aws:iam::1111*:role/X"`), allowed: true, by: PolicyKindIdentity},
		{rule: "a wildcard does not span ARN segments", pol: allowOn("Resource", `"arn:aws:*:role/X"`), by: PolicyKindIdentity},
		{rule: "a wildcard in the resource part spans slashes", req: on("s3:GetObject", "arn:aws:s3:::bucket/a/b/c.txt"), pol: allowOn("Resource", `"arn:aws:s3:::bucket/*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "a wildcard in the resource part spans its colons", req: on("logs:PutLogEvents", "arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:s1"),
			pol: allowOn("Resource", `"arn:aws:logs:us-east-1:111122223333:log-group:app:*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "resource matching is case-sensitive", pol: allowOn("Resource", `"arn:aws:iam::111122223333:role/x"`), by: PolicyKindIdentity},
		{rule: "? in a resource matches one character", pol: allowOn("Resource", `"arn:aws:iam::111122223333:role/?"`), allowed: true, by: PolicyKindIdentity},
		{rule: "a region wildcard matches a global service's empty region", pol: allowOn("Resource", `"arn:aws:iam:*:111122223333:role/X"`), allowed: true, by: PolicyKindIdentity},
		{rule: "Resource * matches an action without a resource", req: on("sts:GetCallerIdentity", "*"), pol: allowOn("Resource", `"*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "a specific ARN does not match an action without a resource", req: on("iam:ListRoles", "*"), pol: allowOn("Resource", `"arn:aws:iam::111122223333:role/*"`), by: PolicyKindIdentity},
		{rule: "a resource list matches any of its entries", pol: allowOn("Resource", `["arn:aws:s3:::b","arn:aws:iam::111122223333:role/X"]`), allowed: true, by: PolicyKindIdentity},
		{rule: "NotResource with Allow grants every other resource", pol: allowOn("NotResource", `"arn:aws:iam::111122223333:role/Admin*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "NotResource with Allow does not grant what it lists", pol: allowOn("NotResource", `"arn:aws:iam::111122223333:role/*"`), by: PolicyKindIdentity},
		{rule: "NotResource with deny denies everything outside its list", req: on("s3:GetObject", "arn:aws:s3:::other/k"),
			pol: Policies{Identity: list(idp(allowAll, `{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::mine","arn:aws:s3:::mine/*"]}`))}, explicit: true, by: PolicyKindIdentity},
		{rule: "NotResource with deny spares what it lists", req: on("s3:GetObject", "arn:aws:s3:::mine/k"),
			pol: Policies{Identity: list(idp(allowAll, `{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::mine","arn:aws:s3:::mine/*"]}`))}, allowed: true, by: PolicyKindIdentity},
		{rule: "NotAction and NotResource together in a deny", req: on("s3:GetObject", "arn:aws:s3:::other/k"),
			pol: Policies{Identity: list(idp(allowAll, `{"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:s3:::mine/*"}`))}, explicit: true, by: PolicyKindIdentity},
	})
}

func TestPolicyVariables(t *testing.T) {
	own := func(resource string) Request {
		return Request{Action: "iam:ChangePassword", Resource: resource, Principal: alice}
	}
	userRes := allowOn("Resource", `"arn:aws:iam::111122223333:user/${aws:username}"`)
	tagged := func(key string) Request {
		return Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/" + key}
	}
	v2008 := Policies{Identity: list(policy(ParseIdentityPolicy, "2008-10-17", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*"}`))}
	literal := Principal{ARN: sessARN, RoleARN: roleARN, Account: acct, Tags: []Tag{{"team", "*"}}}
	runCases(t, []evalCase{
		{rule: "variables: ${aws:username} lets a user act on itself", req: own(aliceARN), pol: userRes, allowed: true, by: PolicyKindIdentity},
		{rule: "variables: ${aws:username} does not reach another user", req: own("arn:aws:iam::111122223333:user/bob"), pol: userRes, by: PolicyKindIdentity},
		{rule: "variables: a missing variable makes the element not match", req: Request{Action: "iam:ChangePassword", Resource: "arn:aws:iam::111122223333:user/"}, pol: userRes, by: PolicyKindIdentity},
		{rule: "variables: variable names are case-insensitive", req: own(aliceARN), pol: allowOn("Resource", `"arn:aws:iam::111122223333:user/${AWS:UserName}"`), allowed: true, by: PolicyKindIdentity},
		{rule: "variables: ${aws:PrincipalTag/…} in a resource", req: tagged("blue/report.csv"), pol: allowOn("Resource", `"arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "variables: ${aws:PrincipalTag/…} does not reach another team's prefix", req: tagged("red/report.csv"), pol: allowOn("Resource", `"arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*"`), by: PolicyKindIdentity},
		{rule: "variables: ${aws:PrincipalAccount} in a resource", pol: allowOn("Resource", `"arn:aws:iam::${aws:PrincipalAccount}:role/*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "variables: ${aws:userid} in a resource", req: tagged("home/AROAEXAMPLEID:s/x"), pol: allowOn("Resource", `"arn:aws:s3:::bucket/home/${aws:userid}/*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "variables: ${aws:SourceIdentity} in a resource", req: tagged("alice@example.com/x"), pol: allowOn("Resource", `"arn:aws:s3:::bucket/${aws:SourceIdentity}/*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "variables: any context key can be a variable", req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/prod/x", Context: ctx("aws:RequestTag/env", "prod")},
			pol: allowOn("Resource", `"arn:aws:s3:::bucket/${aws:RequestTag/env}/*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "variables: the default stands in for a missing key", req: tagged("shared/x"), pol: allowOn("Resource", `"arn:aws:s3:::bucket/${aws:PrincipalTag/project, 'shared'}/*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "variables: the default is not used when the key is present", req: tagged("blue/x"), pol: allowOn("Resource", `"arn:aws:s3:::bucket/${aws:PrincipalTag/team,'shared'}/*"`), allowed: true, by: PolicyKindIdentity},
		{rule: "variables: ${*} is a literal star", req: tagged("*"), pol: allowOn("Resource", `"arn:aws:s3:::bucket/${*}"`), allowed: true, by: PolicyKindIdentity},
		{rule: "variables: ${*} is no wildcard", req: tagged("x"), pol: allowOn("Resource", `"arn:aws:s3:::bucket/${*}"`), by: PolicyKindIdentity},
		{rule: "variables: ${?} is a literal question mark", req: tagged("x"), pol: allowOn("Resource", `"arn:aws:s3:::bucket/${?}"`), by: PolicyKindIdentity},
		{rule: "variables: ${$} is a literal dollar", req: tagged("$x"), pol: allowOn("Resource", `"arn:aws:s3:::bucket/${$}x"`), allowed: true, by: PolicyKindIdentity},
		{rule: "variables: a variable's value is literal, not a wildcard", req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/red/x", Principal: literal},
			pol: allowOn("Resource", `"arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*"`), by: PolicyKindIdentity},
		{rule: "variables: a 2008-10-17 document has no variables", req: tagged("blue/x"), pol: v2008, by: PolicyKindIdentity},
		{rule: "variables: a missing variable in NotResource excludes nothing", req: own(aliceARN),
			pol: Policies{Identity: list(idp(allowAll, `{"Effect":"Deny","Action":"*","NotResource":"arn:aws:iam::111122223333:user/${aws:PrincipalTag/none}"}`))}, explicit: true, by: PolicyKindIdentity},
		{rule: "variables: a multi-valued key is no variable", req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/a/x", Context: ctx("aws:TagKeys", "a", "b")},
			pol: allowOn("Resource", `"arn:aws:s3:::bucket/${aws:TagKeys}/*"`), by: PolicyKindIdentity},
		cond("variables: in a StringEquals condition value", `{"StringEquals":{"aws:ResourceTag/owner":"${aws:PrincipalTag/team}"}}`, ctx("aws:ResourceTag/owner", "blue"), true),
		cond("variables: a StringLike pattern keeps its own wildcards", `{"StringLike":{"sts:RoleSessionName":"${aws:PrincipalTag/team}-*"}}`, ctx("sts:RoleSessionName", "blue-42"), true),
		cond("variables: in an ArnLike condition value", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:${aws:PrincipalAccount}:*"}}`, ctx("aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:t"), true),
		cond("variables: a missing variable in a condition value matches nothing", `{"StringEquals":{"aws:ResourceTag/owner":"${aws:PrincipalTag/none}"}}`, ctx("aws:ResourceTag/owner", ""), false),
		cond("variables: an unterminated ${ is literal text", `{"StringEquals":{"aws:ResourceTag/owner":"${aws:username"}}`, ctx("aws:ResourceTag/owner", "${aws:username"), true),
		cond("variables: numeric operators take no variables", `{"NumericEquals":{"aws:MultiFactorAuthAge":"${aws:RequestTag/n}"}}`, ctx("aws:MultiFactorAuthAge", "5", "", "aws:RequestTag/n", "5"), false),
	})
}
