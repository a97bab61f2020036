package e2e

import (
	"context"
	"slices"
	"testing"

	"github.com/okta/okta-sdk-golang/v5/okta"
)

// TestTheOktaSDKDeclaresCustomProfileAttributes declares costCenterCode
// and contractor through SchemaAPI, creates a person with them, finds
// them with a search on the boolean, and is refused an undeclared
// attribute and a value of the wrong type.
func TestTheOktaSDKDeclaresCustomProfileAttributes(t *testing.T) {
	s := start(t)
	admin := s.oktaAdmin()
	ctx := context.Background()

	cost := okta.UserSchemaAttribute{Title: okta.PtrString("Cost center code"), Type: okta.PtrString("string"),
		Description: okta.PtrString("Finance's code")}
	cost.SetMaxLength(20)
	contractor := okta.UserSchemaAttribute{Title: okta.PtrString("Contractor"), Type: okta.PtrString("boolean")}
	update := okta.UserSchema{Definitions: &okta.UserSchemaDefinitions{Custom: &okta.UserSchemaPublic{
		Properties: &map[string]okta.UserSchemaAttribute{"costCenterCode": cost, "contractor": contractor}}}}
	got := must2[*okta.UserSchema](t, "declare")(admin.SchemaAPI.UpdateUserProfile(ctx, "default").UserSchema(update).Execute())
	equal(t, "declared", []string{"contractor", "costCenterCode"}, customNames(got))

	schema := must2[*okta.UserSchema](t, "get schema")(admin.SchemaAPI.GetUserSchema(ctx, "default").Execute())
	custom := *schema.Definitions.Custom.Properties
	cc, ct := custom["costCenterCode"], custom["contractor"]
	equal(t, "costCenterCode", []any{"Cost center code", "string", "Finance's code", int32(20)},
		[]any{cc.GetTitle(), cc.GetType(), cc.GetDescription(), cc.GetMaxLength()})
	equal(t, "contractor type", "boolean", ct.GetType())
	base := schema.Definitions.Base.Properties
	equal(t, "base login", []any{"Username", "string", int32(100)}, []any{base.Login.GetTitle(), base.Login.GetType(), base.Login.GetMaxLength()})
	equal(t, "base required", []string{"email", "firstName", "lastName", "login"}, schema.Definitions.Base.Required)

	erin := newPerson("erin@example.com", "Erin", "Contractor")
	erin.Profile.AdditionalProperties = map[string]any{"costCenterCode": "CC-7", "contractor": true}
	made := must2[*okta.User](t, "create erin")(admin.UserAPI.CreateUser(ctx).Body(erin).Execute())
	equal(t, "erin's custom attributes", map[string]any{"costCenterCode": "CC-7", "contractor": true},
		made.Profile.AdditionalProperties)
	must2[*okta.User](t, "create frank")(admin.UserAPI.CreateUser(ctx).Body(newPerson("frank@example.com", "Frank", "Staff")).Execute())
	found := must2[[]okta.User](t, "search contractors")(admin.UserAPI.ListUsers(ctx).Search("profile.contractor eq true").Execute())
	equal(t, "contractors", []string{"erin@example.com"}, loginsOf(found))

	undeclared := newPerson("gina@example.com", "Gina", "G")
	undeclared.Profile.AdditionalProperties = map[string]any{"shoeSize": "42"}
	_, resp, err := admin.UserAPI.CreateUser(ctx).Body(undeclared).Execute()
	e := wantOktaError(t, "an undeclared attribute", resp, err, 400, "E0000001")
	fatalIf(t, !hasCause(e, "shoeSize:"), "causes = %+v, want one about shoeSize", e.ErrorCauses)

	wrong := newPerson("hal@example.com", "Hal", "H")
	wrong.Profile.AdditionalProperties = map[string]any{"contractor": "yes"}
	_, resp, err = admin.UserAPI.CreateUser(ctx).Body(wrong).Execute()
	e = wantOktaError(t, "a string for a boolean", resp, err, 400, "E0000001")
	fatalIf(t, !hasCause(e, "contractor:"), "causes = %+v, want one about contractor", e.ErrorCauses)

	long := newPerson("ivy@example.com", "Ivy", "I")
	long.Profile.AdditionalProperties = map[string]any{"costCenterCode": "CC-0123456789012345678"}
	_, resp, err = admin.UserAPI.CreateUser(ctx).Body(long).Execute()
	e = wantOktaError(t, "a value over maxLength", resp, err, 400, "E0000001")
	fatalIf(t, !hasCause(e, "costCenterCode:"), "causes = %+v, want one about costCenterCode", e.ErrorCauses)

	dave := s.oktaPerson(admin, "dave@example.com", "Dave", "Reader", "READ_ONLY_ADMIN")
	_, resp, err = dave.SchemaAPI.UpdateUserProfile(ctx, "default").UserSchema(update).Execute()
	wantOktaError(t, "a read-only administrator changes the schema", resp, err, 403, "E0000006")
	must2[*okta.UserSchema](t, "dave reads the schema")(dave.SchemaAPI.GetUserSchema(ctx, "default").Execute())
}

func customNames(s *okta.UserSchema) []string {
	var out []string
	for name := range *s.Definitions.Custom.Properties {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}
