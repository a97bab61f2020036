package iam

import "testing"

// Condition operators, missing keys, IfExists, set operators and the keys
// derived from the principal. Each case allows everything under one
// Condition block: the request is allowed exactly when the block holds.

func cond(rule, condition string, c Context, holds bool) evalCase {
	return condAs(session, rule, condition, c, holds)
}

func condAs(p Principal, rule, condition string, c Context, holds bool) evalCase {
	return evalCase{rule: rule, req: Request{Principal: p, Context: c},
		pol:     Policies{Identity: list(idp(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":` + condition + `}`))},
		allowed: holds, by: PolicyKindIdentity}
}

// denyIf is a case where an administrator is denied exactly when the
// Condition block holds.
func denyIf(rule, condition string, c Context, denied bool) evalCase {
	return evalCase{rule: rule, req: Request{Context: c},
		pol:     Policies{Identity: list(idp(allowAll, `{"Effect":"Deny","Action":"*","Resource":"*","Condition":`+condition+`}`))},
		allowed: !denied, explicit: denied, by: PolicyKindIdentity}
}

func TestStringConditions(t *testing.T) {
	env := ctx("aws:RequestTag/env", "prod")
	runCases(t, []evalCase{
		cond("StringEquals holds on the exact value", `{"StringEquals":{"aws:RequestTag/env":"prod"}}`, env, true),
		cond("StringEquals is case-sensitive", `{"StringEquals":{"aws:RequestTag/env":"Prod"}}`, env, false),
		cond("several values in one condition are OR'ed", `{"StringEquals":{"aws:RequestTag/env":["dev","prod"]}}`, env, true),
		cond("condition on a missing key fails", `{"StringEquals":{"aws:RequestTag/owner":"alice"}}`, env, false),
		cond("StringNotEquals on a missing key holds", `{"StringNotEquals":{"aws:RequestTag/owner":"alice"}}`, env, true),
		cond("StringNotEquals holds on another value", `{"StringNotEquals":{"aws:RequestTag/env":"dev"}}`, env, true),
		cond("StringNotEquals fails on the value", `{"StringNotEquals":{"aws:RequestTag/env":["dev","prod"]}}`, env, false),
		cond("StringEqualsIgnoreCase ignores case", `{"StringEqualsIgnoreCase":{"aws:RequestTag/env":"PROD"}}`, env, true),
		cond("StringNotEqualsIgnoreCase fails on the value in another case", `{"StringNotEqualsIgnoreCase":{"aws:RequestTag/env":"PROD"}}`, env, false),
		cond("StringLike matches with *", `{"StringLike":{"aws:RequestTag/env":"pr*"}}`, env, true),
		cond("StringLike matches ? with one character", `{"StringLike":{"aws:RequestTag/env":"pro?"}}`, env, true),
		cond("StringLike ? does not match nothing", `{"StringLike":{"aws:RequestTag/env":"prod?"}}`, env, false),
		cond("StringLike is case-sensitive", `{"StringLike":{"aws:RequestTag/env":"PR*"}}`, env, false),
		cond("StringNotLike on a missing key holds", `{"StringNotLike":{"aws:RequestTag/owner":"*"}}`, env, true),
		cond("StringNotLike fails on a matching value", `{"StringNotLike":{"aws:RequestTag/env":"p*"}}`, env, false),
		cond("condition keys are case-insensitive", `{"StringEquals":{"AWS:REQUESTTAG/ENV":"prod"}}`, env, true),
		cond("several keys under one operator are AND'ed: one fails", `{"StringEquals":{"aws:RequestTag/env":"prod","aws:RequestTag/owner":"alice"}}`, env, false),
		cond("several keys under one operator are AND'ed: all hold", `{"StringEquals":{"aws:RequestTag/env":"prod","aws:RequestTag/owner":"alice"}}`,
			ctx("aws:RequestTag/env", "prod", "", "aws:RequestTag/owner", "alice"), true),
		cond("several operators are AND'ed: one fails", `{"StringEquals":{"aws:RequestTag/env":"prod"},"StringLike":{"aws:RequestTag/env":"d*"}}`, env, false),
		cond("IfExists passes on a missing key", `{"StringEqualsIfExists":{"aws:RequestTag/owner":"alice"}}`, env, true),
		cond("IfExists still checks a present key", `{"StringEqualsIfExists":{"aws:RequestTag/env":"dev"}}`, env, false),
		cond("StringNotEqualsIfExists fails on a present equal value", `{"StringNotEqualsIfExists":{"aws:RequestTag/env":"prod"}}`, env, false),
		cond("StringLikeIfExists passes on a missing key", `{"StringLikeIfExists":{"aws:RequestTag/owner":"a*"}}`, env, true),
		cond("a single-valued operator on a multi-valued key holds when any value matches", `{"StringEquals":{"aws:TagKeys":"env"}}`, ctx("aws:TagKeys", "owner", "env"), true),
		cond("a negated operator on a multi-valued key holds only when no value matches", `{"StringNotEquals":{"aws:TagKeys":"env"}}`, ctx("aws:TagKeys", "owner", "env"), false),
	})
}

func TestNumericDateAndBoolConditions(t *testing.T) {
	mfa := ctx("aws:MultiFactorAuthAge", "300", "", "aws:MultiFactorAuthPresent", "true", "", "aws:CurrentTime", "2026-12-02T15:00:00Z", "", "aws:EpochTime", "1796223600")
	runCases(t, []evalCase{
		cond("NumericLessThan holds on a smaller value", `{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, mfa, true),
		cond("NumericLessThan fails on an equal value", `{"NumericLessThan":{"aws:MultiFactorAuthAge":"300"}}`, mfa, false),
		cond("NumericLessThanEquals holds on an equal value", `{"NumericLessThanEquals":{"aws:MultiFactorAuthAge":"300"}}`, mfa, true),
		cond("NumericGreaterThan holds on a larger value", `{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"299"}}`, mfa, true),
		cond("NumericGreaterThanEquals fails on a smaller value", `{"NumericGreaterThanEquals":{"aws:MultiFactorAuthAge":"301"}}`, mfa, false),
		cond("NumericEquals compares numbers, not text", `{"NumericEquals":{"aws:MultiFactorAuthAge":"300.0"}}`, mfa, true),
		cond("NumericEquals accepts a JSON number", `{"NumericEquals":{"aws:MultiFactorAuthAge":300}}`, mfa, true),
		cond("NumericNotEquals on a missing key holds", `{"NumericNotEquals":{"s3:max-keys":"10"}}`, mfa, true),
		cond("a numeric operator on a value that is no number fails", `{"NumericLessThan":{"aws:RequestTag/n":"10"}}`, ctx("aws:RequestTag/n", "ten"), false),
		cond("NumericLessThanIfExists passes on a missing key", `{"NumericLessThanIfExists":{"s3:max-keys":"10"}}`, mfa, true),
		cond("DateGreaterThan holds after an ISO 8601 time", `{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}`, mfa, true),
		cond("DateLessThan fails after the time", `{"DateLessThan":{"aws:CurrentTime":"2026-12-01T00:00:00Z"}}`, mfa, false),
		cond("Date operators take epoch seconds", `{"DateLessThan":{"aws:CurrentTime":"1893456000"}}`, mfa, true),
		cond("Date operators compare instants across time zones", `{"DateEquals":{"aws:CurrentTime":"2026-12-02T16:00:00+01:00"}}`, mfa, true),
		cond("Date operators take a date alone", `{"DateGreaterThanEquals":{"aws:CurrentTime":"2026-12-02"}}`, mfa, true),
		cond("a Date operator on aws:EpochTime compares epoch seconds", `{"DateGreaterThan":{"aws:EpochTime":"2026-11-30T00:00:00Z"}}`, mfa, true),
		cond("DateNotEquals on a missing key holds", `{"DateNotEquals":{"aws:TokenIssueTime":"2026-01-01T00:00:00Z"}}`, mfa, true),
		cond("DateLessThanEquals fails on a missing key", `{"DateLessThanEquals":{"aws:TokenIssueTime":"2030-01-01T00:00:00Z"}}`, mfa, false),
		cond("Bool holds on true", `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, mfa, true),
		cond("Bool accepts a JSON boolean", `{"Bool":{"aws:MultiFactorAuthPresent":true}}`, mfa, true),
		cond("Bool fails on the other value", `{"Bool":{"aws:SecureTransport":"true"}}`, ctx("aws:SecureTransport", "false"), false),
		cond("Bool compares case-insensitively", `{"Bool":{"aws:MultiFactorAuthPresent":"True"}}`, mfa, true),
		cond("Bool fails on a missing key", `{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`, Context{}, false),
		denyIf("BoolIfExists denies long-term keys without MFA: missing key", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, Context{}, true),
		denyIf("BoolIfExists lets an MFA session through", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, mfa, false),
		denyIf("Bool without IfExists does not deny when the key is missing", `{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`, Context{}, false),
		cond("BinaryEquals compares the base64 value", `{"BinaryEquals":{"aws:RequestTag/bin":"QmluYXJ5VmFsdWU="}}`, ctx("aws:RequestTag/bin", "QmluYXJ5VmFsdWU="), true),
		cond("BinaryEquals fails on another value", `{"BinaryEquals":{"aws:RequestTag/bin":"QmluYXJ5VmFsdWU="}}`, ctx("aws:RequestTag/bin", "b3RoZXI="), false),
	})
}

func TestAddressArnAndNullConditions(t *testing.T) {
	ip := ctx("aws:SourceIp", "203.0.113.7")
	v6 := ctx("aws:SourceIp", "2001:db8::1")
	src := ctx("aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:topic")
	runCases(t, []evalCase{
		cond("IpAddress holds inside an IPv4 block", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ip, true),
		cond("IpAddress fails outside the block", `{"IpAddress":{"aws:SourceIp":"198.51.100.0/24"}}`, ip, false),
		cond("IpAddress takes a single address", `{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, ip, true),
		cond("IpAddress holds inside an IPv6 block", `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, v6, true),
		cond("IpAddress does not put IPv6 in an IPv4 block", `{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`, v6, false),
		cond("IpAddress treats an IPv4-mapped IPv6 address as IPv4", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx("aws:SourceIp", "::ffff:203.0.113.7"), true),
		cond("IpAddress takes a block with host bits set", `{"IpAddress":{"aws:SourceIp":"203.0.113.99/24"}}`, ip, true),
		cond("NotIpAddress holds outside the blocks", `{"NotIpAddress":{"aws:SourceIp":["198.51.100.0/24","192.0.2.0/24"]}}`, ip, true),
		cond("NotIpAddress fails inside a block", `{"NotIpAddress":{"aws:SourceIp":["198.51.100.0/24","203.0.113.0/24"]}}`, ip, false),
		cond("IpAddress fails on a value that is no address", `{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`, ctx("aws:SourceIp", "example.com"), false),
		denyIf("a Deny with NotIpAddress applies when aws:SourceIp is missing", `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, Context{}, true),
		cond("ArnLike matches a wildcard in the resource part", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}}`, src, true),
		cond("ArnLike compares each segment: a wildcard does not span a colon", `{"ArnLike":{"aws:SourceArn":"arn:aws:*:topic"}}`, src, false),
		cond("ArnEquals takes wildcards too", `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:t*"}}`, src, true),
		cond("ArnLike is case-sensitive", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:Topic"}}`, src, false),
		cond("ArnNotLike on a missing key holds", `{"ArnNotLike":{"aws:SourceArn":"arn:aws:sns:*"}}`, Context{}, true),
		cond("ArnNotEquals fails on a matching ARN", `{"ArnNotEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:topic"}}`, src, false),
		cond("ArnLike fails on a value that is no ARN", `{"ArnLike":{"aws:SourceArn":"*"}}`, ctx("aws:SourceArn", "topic"), false),
		cond("Null true holds on a missing key", `{"Null":{"aws:RequestTag/owner":"true"}}`, Context{}, true),
		cond("Null true fails on a present key", `{"Null":{"aws:SourceIp":"true"}}`, ip, false),
		cond("Null false holds on a present key", `{"Null":{"aws:SourceIp":"false"}}`, ip, true),
		cond("Null false fails on a missing key", `{"Null":{"aws:SourceIp":"false"}}`, Context{}, false),
		cond("Null true holds on a key present with no values", `{"Null":{"aws:TagKeys":"true"}}`, ctx("aws:TagKeys"), true),
	})
}

func TestSetOperators(t *testing.T) {
	keys := ctx("aws:TagKeys", "env", "owner")
	runCases(t, []evalCase{
		cond("ForAllValues on an empty set is true: missing key", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","owner"]}}`, Context{}, true),
		cond("ForAllValues on an empty set is true: key with no values", `{"ForAllValues:StringEquals":{"aws:TagKeys":"env"}}`, ctx("aws:TagKeys"), true),
		cond("ForAllValues holds when every value is allowed", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","owner","team"]}}`, keys, true),
		cond("ForAllValues fails when one value is not allowed", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}`, keys, false),
		cond("ForAnyValue holds when one value matches", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["owner","team"]}}`, keys, true),
		cond("ForAnyValue fails when no value matches", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]}}`, keys, false),
		cond("ForAnyValue fails on a missing key", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]}}`, Context{}, false),
		cond("ForAnyValue takes StringLike", `{"ForAnyValue:StringLike":{"aws:TagKeys":"own*"}}`, keys, true),
		cond("ForAllValues takes StringLike", `{"ForAllValues:StringLike":{"aws:TagKeys":["e*","o*"]}}`, keys, true),
		cond("ForAllValues:StringNotEquals holds when no value is listed", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["team","cost"]}}`, keys, true),
		cond("ForAllValues:StringNotEquals fails when one value is listed", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["env"]}}`, keys, false),
		cond("ForAnyValue:StringNotEquals holds when one value is not listed", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]}}`, keys, true),
		cond("ForAnyValue:StringNotEquals fails when every value is listed", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["env","owner"]}}`, keys, false),
		cond("ForAnyValue with IfExists passes on a missing key", `{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":"team"}}`, Context{}, true),
		cond("set operators work on sts:TransitiveTagKeys", `{"ForAllValues:StringEquals":{"sts:TransitiveTagKeys":["team","project"]}}`, ctx("sts:TransitiveTagKeys", "team"), true),
		denyIf("a Deny with ForAnyValue blocks a forbidden tag key", `{"ForAnyValue:StringEquals":{"aws:TagKeys":"owner"}}`, keys, true),
		denyIf("a Deny with ForAllValues on an empty set applies (the trap AWS documents)", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":"env"}}`, Context{}, true),
	})
}

func TestKeysDerivedFromThePrincipal(t *testing.T) {
	override := session
	override.Tags = []Tag{{"team", "blue"}}
	runCases(t, []evalCase{
		cond("aws:PrincipalTag reads the principal's tags", `{"StringEquals":{"aws:PrincipalTag/team":"blue"}}`, Context{}, true),
		cond("aws:PrincipalTag matches the tag key case-insensitively", `{"StringEquals":{"aws:PrincipalTag/costcenter":"42"}}`, Context{}, true),
		cond("aws:PrincipalTag of a tag the principal lacks is missing", `{"StringEquals":{"aws:PrincipalTag/project":"x"}}`, Context{}, false),
		cond("aws:PrincipalArn of a role session is the role's ARN", `{"ArnEquals":{"aws:PrincipalArn":"`+roleARN+`"}}`, Context{}, true),
		condAs(alice, "aws:PrincipalArn of a user is the user's ARN", `{"StringEquals":{"aws:PrincipalArn":"`+aliceARN+`"}}`, Context{}, true),
		cond("aws:PrincipalAccount is the caller's account", `{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}`, Context{}, true),
		cond("aws:PrincipalType of a role session is AssumedRole", `{"StringEquals":{"aws:PrincipalType":"AssumedRole"}}`, Context{}, true),
		cond("aws:userid of a role session is role id and session name", `{"StringLike":{"aws:userid":"AROAEXAMPLEID:*"}}`, Context{}, true),
		condAs(alice, "aws:username of a user is its name", `{"StringEquals":{"aws:username":"alice"}}`, Context{}, true),
		cond("aws:username of a role session is missing", `{"Null":{"aws:username":"true"}}`, Context{}, true),
		cond("aws:PrincipalOrgID is the organization", `{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}`, Context{}, true),
		cond("aws:SourceIdentity is the session's source identity", `{"StringEquals":{"aws:SourceIdentity":"alice@example.com"}}`, Context{}, true),
		cond("a context value overrides the principal's", `{"StringEquals":{"aws:PrincipalTag/team":"red"}}`, ctx("aws:PrincipalTag/team", "red"), true),
		condAs(override, "aws:ResourceTag and aws:RequestTag come from the context", `{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}","aws:RequestTag/team":"blue"}}`,
			ctx("aws:ResourceTag/team", "blue", "", "aws:RequestTag/team", "blue"), true),
	})
}

// AWS's grammar lets condition values be JSON numbers and booleans, alone
// or in lists ("Quotation marks are optional for numeric and Boolean
// values"); a number means the text it is written as.
func TestConditionValuesWrittenAsJSONNumbers(t *testing.T) {
	now := ctx("aws:EpochTime", "1796223600", "", "aws:MultiFactorAuthAge", "300")
	runCases(t, []evalCase{
		cond("a 12-digit account id as a number", `{"StringEquals":{"aws:PrincipalAccount":111122223333}}`, Context{}, true),
		cond("epoch seconds as a number in a Date operator", `{"DateLessThan":{"aws:EpochTime":1796223601}}`, now, true),
		denyIf("a Deny after an expiry written as a number applies", `{"DateGreaterThan":{"aws:EpochTime":1700000000}}`, now, true),
		cond("a list of numbers", `{"NumericEquals":{"aws:MultiFactorAuthAge":[60,300]}}`, now, true),
		cond("a list of booleans", `{"Bool":{"aws:SecureTransport":[true]}}`, ctx("aws:SecureTransport", "true"), true),
	})
}
