package scimserver_test

import (
	"net/http"
	"strings"
	"testing"
)

// An externalId becomes an identity store ExternalId, whose Id is at most
// 256 characters: a longer one is a 400 in SCIM's error shape (as the
// identity store model's limit, not a store failure), and nothing is
// written.
func TestAnExternalIDOver256CharactersIsRefusedAndNothingChanges(t *testing.T) {
	e := newEnv(t)
	long := strings.Repeat("界", 257)
	user := strings.Replace(userBody("dana"), `{`, `{"externalId":"`+long+`",`, 1)
	res := e.do("POST", "/Users", user).want(t, http.StatusBadRequest)
	wantErrorShape(t, res)
	if d := res.str("detail"); !strings.Contains(d, "Member must have length less than or equal to 256") {
		t.Errorf("detail = %q, want the ExternalId limit", d)
	}
	if _, err := e.db.UserByName(t.Context(), "dana"); err == nil {
		t.Error("the refused POST created the user")
	}
	wantErrorShape(t, e.do("POST", "/Groups", `{"displayName":"Ops","externalId":"`+long+`"}`).want(t, http.StatusBadRequest))
	if _, err := e.db.GroupByName(t.Context(), "Ops"); err == nil {
		t.Error("the refused POST created the group")
	}

	id := e.createGroup("Eng")
	wantErrorShape(t, e.do("PUT", "/Groups/"+id, `{"displayName":"Eng","externalId":"`+long+`"}`).want(t, http.StatusBadRequest))
	wantErrorShape(t, e.do("PATCH", "/Groups/"+id, patchBody(`{"op":"replace","path":"externalId","value":"`+long+`"}`)).
		want(t, http.StatusBadRequest))
	if g, err := e.db.GroupByName(t.Context(), "Eng"); err != nil || len(g.ExternalIDs) != 0 {
		t.Errorf("after the refused writes the group has external ids %v (err %v), want none", g.ExternalIDs, err)
	}
	uid := e.createUser("erin")
	wantErrorShape(t, e.do("PATCH", "/Users/"+uid, patchBody(`{"op":"replace","path":"externalId","value":"`+long+`"}`)).
		want(t, http.StatusBadRequest))
	e.do("PATCH", "/Users/"+uid, patchBody(`{"op":"replace","path":"externalId","value":"`+strings.Repeat("界", 256)+`"}`)).
		want(t, http.StatusOK)
}
