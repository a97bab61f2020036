package e2e

import (
	"strings"
	"testing"
)

// jsonCase is one bad awsJson request and what a client must see.
type jsonCase struct {
	name         string
	op           string // operation, without the target prefix
	body         string // with {store}, {user}, ... placeholders
	code         string
	msg          string // the message must contain this
	reason       string
	resourceType string
}

// runJSONCases sends each case to the service with prefix and checks the
// error and that the administrable state did not change.
func runJSONCases(t *testing.T, s *server, st story, prefix string, cases []jsonCase) {
	c := s.caller()
	before := c.snapshot(st)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := c.withT(t)
			e := awsJSONError(t, c.json(prefix+"."+tc.op, st.ids(tc.body)), tc.code, tc.msg)
			if e.Reason != tc.reason {
				t.Errorf("Reason = %q, want %q", e.Reason, tc.reason)
			}
			if e.ResourceType != tc.resourceType {
				t.Errorf("ResourceType = %q, want %q", e.ResourceType, tc.resourceType)
			}
			c.unchanged(st, before)
		})
	}
}

// withT returns a copy of c reporting to t.
func (c *caller) withT(t *testing.T) *caller {
	cp := *c
	cp.t = t
	return &cp
}

const (
	validUserID = "0123456789-11111111-2222-4333-8444-555555555555"
	otherStore  = "d-0000000000"
)

// newUser is a complete CreateUser body for userName.
func newUser(userName string) string {
	return `{"IdentityStoreId":"{store}","UserName":"` + userName + `","DisplayName":"Bob Example",` +
		`"Name":{"GivenName":"Bob","FamilyName":"Example"}}`
}

func TestIdentityStoreRefusesBadInputAndChangesNothing(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	big := `{"IdentityStoreId":"{store}","UserName":"` + strings.Repeat("x", 300<<10) + `"}`
	runJSONCases(t, s, st, "AWSIdentityStore", []jsonCase{
		{name: "malformed JSON is a SerializationException", op: "CreateUser", body: `{"IdentityStoreId":`,
			code: "SerializationException", msg: "malformed JSON"},
		{name: "a JSON array instead of an object is a SerializationException", op: "CreateUser", body: `[{"IdentityStoreId":"{store}"}]`,
			code: "SerializationException", msg: "must be a JSON object"},
		{name: "a JSON string instead of an object is a SerializationException", op: "ListUsers", body: `"{store}"`,
			code: "SerializationException", msg: "must be a JSON object"},
		{name: "a number where a string belongs names the field", op: "CreateUser", body: `{"IdentityStoreId":"{store}","UserName":42}`,
			code: "SerializationException", msg: "UserName must be a string"},
		{name: "an object where a list belongs names the field", op: "CreateUser", body: `{"IdentityStoreId":"{store}","UserName":"bob","Emails":{"Value":"b@example.com"}}`,
			code: "SerializationException", msg: "Emails must be a list"},
		{name: "a fractional MaxResults names the field", op: "ListUsers", body: `{"IdentityStoreId":"{store}","MaxResults":1.5}`,
			code: "SerializationException", msg: "MaxResults must be an integer"},
		{name: "data after the JSON object is a SerializationException", op: "CreateUser", body: newUser("bob") + `{}`,
			code: "SerializationException", msg: "data after the JSON object"},
		{name: "a body over 256 KiB is refused before it is parsed", op: "CreateUser", body: big,
			code: "SerializationException", msg: "exceeds 262144 bytes"},
		{name: "a missing IdentityStoreId is a ValidationException", op: "CreateUser", body: `{"UserName":"bob"}`,
			code: "ValidationException", msg: "identityStoreId"},
		{name: "a user without a display name is a ValidationException", op: "CreateUser",
			body: `{"IdentityStoreId":"{store}","UserName":"bob","Name":{"GivenName":"Bob","FamilyName":"Example"}}`,
			code: "ValidationException", msg: "displayname"},
		{name: "a user name with surrounding spaces is a ValidationException", op: "CreateUser", body: newUser(" bob "),
			code: "ValidationException", msg: "userName"},
		{name: "a user name with a space inside is a ValidationException", op: "CreateUser", body: newUser("bob smith"),
			code: "ValidationException", msg: "no spaces"},
		{name: "GetUserId with an empty ExternalId is a ValidationException", op: "GetUserId",
			body: `{"IdentityStoreId":"{store}","AlternateIdentifier":{"ExternalId":{"Issuer":"","Id":""}}}`,
			code: "ValidationException", msg: "Value at 'alternateIdentifier.externalId.issuer' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{name: "a user name with a NUL character is a ValidationException", op: "CreateUser", body: newUser(`bob\u0000`),
			code: "ValidationException", msg: "userName: must not contain control characters"},
		{name: "a display name with a terminal escape is a ValidationException", op: "UpdateGroup",
			body: `{"IdentityStoreId":"{store}","GroupId":"{group}","Operations":[{"AttributePath":"displayName","AttributeValue":"\u001b[2JDevs"}]}`,
			code: "ValidationException", msg: "displayName: must not contain control characters"},
		{name: "a user with two email addresses is a ValidationException", op: "CreateUser",
			body: strings.TrimSuffix(newUser("bob"), "}") + `,"Emails":[{"Value":"a@example.com"},{"Value":"b@example.com"}]}`,
			code: "ValidationException", msg: "at most one value"},
		{name: "a duplicate user name is a uniqueness conflict", op: "CreateUser", body: newUser("ALICE"),
			code: "ConflictException", msg: "Duplicate UserName", reason: "UNIQUENESS_CONSTRAINT_VIOLATION"},
		{name: "a duplicate group name is a uniqueness conflict", op: "CreateGroup", body: `{"IdentityStoreId":"{store}","DisplayName":"developers"}`,
			code: "ConflictException", msg: "Duplicate GroupDisplayName", reason: "UNIQUENESS_CONSTRAINT_VIOLATION"},
		{name: "an existing membership is a uniqueness conflict", op: "CreateGroupMembership",
			body: `{"IdentityStoreId":"{store}","GroupId":"{group}","MemberId":{"UserId":"{user}"}}`,
			code: "ConflictException", msg: "already", reason: "UNIQUENESS_CONSTRAINT_VIOLATION"},
		{name: "a membership for a user who does not exist is not found", op: "CreateGroupMembership",
			body: `{"IdentityStoreId":"{store}","GroupId":"{group}","MemberId":{"UserId":"` + validUserID + `"}}`,
			code: "ResourceNotFoundException", msg: "USER", resourceType: "USER"},
		{name: "a membership without a MemberId is a ValidationException", op: "CreateGroupMembership",
			body: `{"IdentityStoreId":"{store}","GroupId":"{group}"}`, code: "ValidationException", msg: "memberId"},
		{name: "a malformed user id is a ValidationException", op: "DescribeUser", body: `{"IdentityStoreId":"{store}","UserId":"not-an-id"}`,
			code: "ValidationException", msg: "not a valid identifier"},
		{name: "a user who does not exist is not found", op: "DescribeUser", body: `{"IdentityStoreId":"{store}","UserId":"` + validUserID + `"}`,
			code: "ResourceNotFoundException", msg: "USER not found", resourceType: "USER"},
		{name: "deleting a group that does not exist is not found", op: "DeleteGroup", body: `{"IdentityStoreId":"{store}","GroupId":"` + validUserID + `"}`,
			code: "ResourceNotFoundException", msg: "GROUP not found", resourceType: "GROUP"},
		{name: "another identity store is not found", op: "ListUsers", body: `{"IdentityStoreId":"` + otherStore + `"}`,
			code: "ResourceNotFoundException", msg: "IDENTITY_STORE", resourceType: "IDENTITY_STORE"},
		{name: "an identity store id of the UUID shape that is not ours is not found", op: "ListGroups",
			body: `{"IdentityStoreId":"01234567-89ab-cdef-0123-456789abcdef"}`, code: "ResourceNotFoundException", msg: "IDENTITY_STORE", resourceType: "IDENTITY_STORE"},
		{name: "a malformed identity store id is a ValidationException", op: "ListUsers", body: `{"IdentityStoreId":"store"}`,
			code: "ValidationException", msg: "not a valid identity store id"},
		{name: "an identity store id with capitals is a ValidationException", op: "CreateUser", body: strings.Replace(newUser("bob"), "{store}", "d-ABCDEF0123", 1),
			code: "ValidationException", msg: "not a valid identity store id"},
		{name: "creating a user in another identity store is not found", op: "CreateUser", body: strings.Replace(newUser("bob"), "{store}", otherStore, 1),
			code: "ResourceNotFoundException", msg: "IDENTITY_STORE", resourceType: "IDENTITY_STORE"},
		{name: "MaxResults of 0 is a ValidationException", op: "ListUsers", body: `{"IdentityStoreId":"{store}","MaxResults":0}`,
			code: "ValidationException", msg: "MaxResults must be between 1 and 100"},
		{name: "MaxResults of 101 is a ValidationException", op: "ListGroups", body: `{"IdentityStoreId":"{store}","MaxResults":101}`,
			code: "ValidationException", msg: "MaxResults must be between 1 and 100"},
		{name: "a forged NextToken is a ValidationException", op: "ListUsers", body: `{"IdentityStoreId":"{store}","NextToken":"forged"}`,
			code: "ValidationException", msg: "NextToken"},
		{name: "a filter on an attribute other than UserName is a ValidationException", op: "ListUsers",
			body: `{"IdentityStoreId":"{store}","Filters":[{"AttributePath":"DisplayName","AttributeValue":"x"}]}`,
			code: "ValidationException", msg: "UserName"},
		{name: "GetUserId without an identifier is a ValidationException", op: "GetUserId", body: `{"IdentityStoreId":"{store}","AlternateIdentifier":{}}`,
			code: "ValidationException", msg: "AlternateIdentifier"},
		{name: "GetUserId for an unknown name is not found", op: "GetUserId",
			body: `{"IdentityStoreId":"{store}","AlternateIdentifier":{"UniqueAttribute":{"AttributePath":"userName","AttributeValue":"nobody"}}}`,
			code: "ResourceNotFoundException", msg: "USER not found", resourceType: "USER"},
		{name: "an update of an unknown attribute changes nothing", op: "UpdateUser",
			body: `{"IdentityStoreId":"{store}","UserId":"{user}","Operations":[{"AttributePath":"displayName","AttributeValue":"New"},{"AttributePath":"shoeSize","AttributeValue":"44"}]}`,
			code: "ValidationException", msg: "shoeSize"},
		{name: "an update that blanks a required attribute changes nothing", op: "UpdateUser",
			body: `{"IdentityStoreId":"{store}","UserId":"{user}","Operations":[{"AttributePath":"displayName","AttributeValue":""}]}`,
			code: "ValidationException", msg: "displayname"},
		{name: "an update without operations is a ValidationException", op: "UpdateGroup",
			body: `{"IdentityStoreId":"{store}","GroupId":"{group}","Operations":[]}`, code: "ValidationException", msg: "Operations"},
		{name: "an unknown operation is an UnknownOperationException", op: "FrobnicateUser", body: `{}`,
			code: "UnknownOperationException", msg: "FrobnicateUser"},
	})
}
