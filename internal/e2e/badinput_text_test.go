package e2e

import "testing"

// TestNamesRefuseInvisibleCharactersAndChangeNothing sends names carrying
// format characters (a right-to-left override makes "admin\u202Egnp.exe"
// display as "adminexe.png") and invalid UTF-8 to every API that takes a
// name. Each is refused, naming the field; nothing is stored or rewritten.
func TestNamesRefuseInvisibleCharactersAndChangeNothing(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	runJSONCases(t, s, st, "AWSIdentityStore", []jsonCase{
		{name: "a user display name with a right-to-left override", op: "CreateUser",
			body: `{"IdentityStoreId":"{store}","UserName":"mallory","DisplayName":"admin\u202Egnp.exe","Name":{"GivenName":"M","FamilyName":"X"}}`,
			code: "ValidationException", msg: "displayName: must not contain invisible format characters"},
		{name: "a user name with a zero-width space", op: "CreateUser", body: newUser(`al\u200Bice`),
			code: "ValidationException", msg: "userName"},
		{name: "a given name with a byte order mark", op: "CreateUser",
			body: `{"IdentityStoreId":"{store}","UserName":"mallory","DisplayName":"M","Name":{"GivenName":"\uFEFFAlice","FamilyName":"X"}}`,
			code: "ValidationException", msg: "givenName: must not contain invisible format characters"},
		{name: "a group display name with a zero-width joiner", op: "CreateGroup",
			body: `{"IdentityStoreId":"{store}","DisplayName":"Develop\u200Ders"}`,
			code: "ValidationException", msg: "displayName: must not contain invisible format characters"},
		{name: "a group renamed with a word joiner", op: "UpdateGroup",
			body: `{"IdentityStoreId":"{store}","GroupId":"{group}","Operations":[{"AttributePath":"displayName","AttributeValue":"Dev\u2060s"}]}`,
			code: "ValidationException", msg: "displayName: must not contain invisible format characters"},
		{name: "a group display name with invalid UTF-8", op: "CreateGroup",
			body: "{\"IdentityStoreId\":\"{store}\",\"DisplayName\":\"Dev\xffs\"}",
			code: "SerializationException", msg: "not valid UTF-8"},
	})
	runJSONCases(t, s, st, "SWBExternalService", []jsonCase{
		{name: "a permission set name with a right-to-left override", op: "CreatePermissionSet",
			body: `{"InstanceArn":"{instance}","Name":"Admin\u202E"}`, code: "ValidationException", msg: "Name"},
		{name: "a permission set description with a zero-width space", op: "CreatePermissionSet",
			body: `{"InstanceArn":"{instance}","Name":"Ops","Description":"read\u200Bonly"}`, code: "ValidationException", msg: "Description"},
	})
	runJSONCases(t, s, st, "AWSOrganizationsV20161128", []jsonCase{
		{name: "an account name with a right-to-left override", op: "CreateAccount",
			body: `{"AccountName":"Prod\u202Eved","Email":"prod@example.com"}`,
			code: "InvalidInputException", msg: "AccountName: must not contain invisible format characters", reason: "INVALID_PATTERN"},
		{name: "an account name with a control character", op: "CreateAccount",
			body: `{"AccountName":"Prod\u0007","Email":"prod@example.com"}`,
			code: "InvalidInputException", msg: "AccountName: must not contain control characters", reason: "INVALID_PATTERN"},
	})
}
