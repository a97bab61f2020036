package scimserver_test

import (
	"testing"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// SCIM attribute names are case-insensitive (RFC 7643 §2.1), sub-attributes
// of a complex value merged by a PATCH included: a sub-attribute named in
// another case than the stored one replaces it rather than being dropped
// behind a 200.
func TestPatchedSubAttributesMatchTheirNamesCaseInsensitively(t *testing.T) {
	e := newEnv(t)
	id := e.do("POST", "/Users", bjensen).want(t, 201).str("id")
	tests := []struct{ name, ops string }{
		{"a path-less complex value", `{"op":"Replace","value":{"Name":{"GivenName":"Babs"}}}`},
		{"a complex value at its path", `{"op":"replace","path":"NAME","value":{"FamilyName":"Jensen-Smith"}}`},
		{"the enterprise manager", `{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:Manager","value":{"Value":"m-2"}}`},
	}
	for _, tc := range tests {
		e.do("PATCH", "/Users/"+id, patchBody(tc.ops)).want(t, 200)
	}
	u, err := e.db.User(t.Context(), id)
	must(t, err)
	diff(t, "name", ic.Name{GivenName: "Babs", FamilyName: "Jensen-Smith"}, u.Profile.Name)
	diff(t, "manager", "m-2", u.Enterprise.ManagerID)
}
