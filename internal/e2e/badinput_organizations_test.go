package e2e

import (
	"strings"
	"testing"
)

func TestOrganizationsRefusesBadInputAndChangesNothing(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	runJSONCases(t, s, st, "AWSOrganizationsV20161128", []jsonCase{
		{name: "malformed JSON is a SerializationException", op: "CreateAccount", body: `{"AccountName":"Prod","Email":`,
			code: "SerializationException", msg: "malformed JSON"},
		{name: "a JSON array instead of an object is a SerializationException", op: "DescribeOrganization", body: `[]`,
			code: "SerializationException", msg: "must be a JSON object"},
		{name: "a JSON string instead of an object is a SerializationException", op: "DescribeAccount", body: `"{account}"`,
			code: "SerializationException", msg: "must be a JSON object"},
		{name: "a number where a string belongs names the field", op: "DescribeAccount", body: `{"AccountId":{account}}`,
			code: "SerializationException", msg: "AccountId must be a string"},
		{name: "data after the JSON object is a SerializationException", op: "ListAccounts", body: `{}{}`,
			code: "SerializationException", msg: "data after the JSON object"},
		{name: "a body over 256 KiB is refused before it is parsed", op: "CreateAccount",
			body: `{"AccountName":"` + strings.Repeat("n", 257<<10) + `","Email":"big@example.com"}`,
			code: "SerializationException", msg: "exceeds 262144 bytes"},
		{name: "CreateAccount without an email is an InvalidInputException", op: "CreateAccount", body: `{"AccountName":"Prod"}`,
			code: "InvalidInputException", msg: "email"},
		{name: "CreateAccount with a malformed email is an InvalidInputException", op: "CreateAccount", body: `{"AccountName":"Prod","Email":"not-an-email"}`,
			code: "InvalidInputException", msg: "mail"},
		{name: "CreateAccount with an unknown billing access is an InvalidInputException", op: "CreateAccount",
			body: `{"AccountName":"Prod","Email":"prod@example.com","IamUserAccessToBilling":"MAYBE"}`,
			code: "InvalidInputException", msg: "ALLOW or DENY"},
		{name: "an account id that is not 12 digits is an InvalidInputException", op: "DescribeAccount", body: `{"AccountId":"12345"}`,
			code: "InvalidInputException", msg: "12 digits", reason: "INVALID_PATTERN"},
		{name: "an account that does not exist is an AccountNotFoundException", op: "DescribeAccount", body: `{"AccountId":"999999999999"}`,
			code: "AccountNotFoundException", msg: "doesn't exist"},
		{name: "an unknown CreateAccount request is a CreateAccountStatusNotFoundException", op: "DescribeCreateAccountStatus",
			body: `{"CreateAccountRequestId":"car-00000000000000000000000000000000"}`,
			code: "CreateAccountStatusNotFoundException", msg: "can't find a create account request"},
		{name: "DescribeCreateAccountStatus without an id is an InvalidInputException", op: "DescribeCreateAccountStatus", body: `{}`,
			code: "InvalidInputException", msg: "createAccountRequestId"},
		{name: "a malformed CreateAccount request id is an InvalidInputException", op: "DescribeCreateAccountStatus",
			body: `{"CreateAccountRequestId":"req-1"}`, code: "InvalidInputException", msg: "car-", reason: "INVALID_PATTERN"},
		{name: "MaxResults of 0 is an InvalidInputException", op: "ListAccounts", body: `{"MaxResults":0}`,
			code: "InvalidInputException", msg: "MaxResults must be between 1 and 20"},
		{name: "MaxResults of 21 is an InvalidInputException", op: "ListAccounts", body: `{"MaxResults":21}`,
			code: "InvalidInputException", msg: "MaxResults must be between 1 and 20"},
		{name: "a forged NextToken is an InvalidInputException", op: "ListAccounts", body: `{"NextToken":"not-a-token"}`,
			code: "InvalidInputException", msg: "NextToken", reason: "INVALID_NEXT_TOKEN"},
		{name: "an unknown operation is an UnknownOperationException", op: "LeaveOrganization", body: `{}`,
			code: "UnknownOperationException", msg: "LeaveOrganization"},
	})

	t.Run("a CreateAccount with a taken email reports FAILED and creates nothing", func(t *testing.T) {
		c := s.caller().withT(t)
		before := c.snapshot(st)
		out := c.mustJSON("AWSOrganizationsV20161128.CreateAccount", `{"AccountName":"Again","Email":"DEV@example.com"}`)
		status, _ := out["CreateAccountStatus"].(map[string]any)
		if status["State"] != "FAILED" || status["FailureReason"] != "EMAIL_ALREADY_EXISTS" || status["AccountId"] != nil {
			t.Errorf("CreateAccountStatus = %v, want FAILED with EMAIL_ALREADY_EXISTS and no AccountId", status)
		}
		c.unchanged(st, before)
	})
}

func TestAnUnknownTargetIsAnUnknownOperationException(t *testing.T) {
	s := start(t)
	c := s.caller()
	for _, tc := range []struct{ target, msg string }{
		{"AmazonDynamoDBv2.ListTables", `unknown service target "AmazonDynamoDBv2"`},
		{"AWSIdentityStoreX.ListUsers", `unknown service target "AWSIdentityStoreX"`},
		{"SWBExternalService", `operation "" is not supported`},
	} {
		t.Run(tc.target, func(t *testing.T) {
			awsJSONError(t, c.withT(t).json(tc.target, `{}`), "UnknownOperationException", tc.msg)
		})
	}
}
