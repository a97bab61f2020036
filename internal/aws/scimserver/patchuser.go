package scimserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// The attributes PatchUser may change, lowercased to their SCIM names.
var (
	userAttrs = canonical("userName", "active", "externalId", "displayName", "nickName", "profileUrl",
		"title", "userType", "preferredLanguage", "locale", "timezone", "name", "emails", "addresses",
		"phoneNumbers")
	enterpriseAttrs = canonical("employeeNumber", "costCenter", "organization", "division", "department", "manager")
	subAttrs        = canonical("formatted", "familyName", "givenName", "middleName", "honorificPrefix",
		"honorificSuffix", "value", "type", "primary", "display", "streetAddress", "locality", "region",
		"postalCode", "country", "displayName")
	multiValued = map[string]bool{"emails": true, "addresses": true, "phoneNumbers": true}
)

func canonical(names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[strings.ToLower(n)] = n
	}
	return m
}

// patchUser applies the operations to the user's SCIM form and reads the
// result back as a PUT would, so one set of checks covers both.
func (s *Server) patchUser(w http.ResponseWriter, r *http.Request, id string) error {
	ops, err := readPatch(r)
	if err != nil {
		return err
	}
	if err := checkUserOps(ops); err != nil {
		return err
	}
	if !ic.ValidPrincipalID(id) {
		return notFound(id)
	}
	_, by := s.stamp(r.Context())
	u, err := s.Store.UpdateUser(r.Context(), id, func(u ic.User) (ic.User, error) {
		in, err := patchedUser(toSCIMUser(u, s.Issuer), ops)
		if err != nil {
			return u, err
		}
		return u, s.apply(&u, in, by)
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toSCIMUser(u, s.Issuer))
	return nil
}

// checkUserOps refuses removing userName or active and more than one
// operation on either.
func checkUserOps(ops []patchOp) error {
	count := map[string]int{}
	for _, op := range ops {
		attrs, err := opAttrs(op)
		if err != nil {
			return err
		}
		for _, a := range attrs {
			if a != "username" && a != "active" {
				continue
			}
			if op.Op == "remove" {
				return invalid("%s cannot be removed", userAttrs[a])
			}
			if count[a]++; count[a] > 1 {
				return invalid("only one operation on %s is allowed per request", userAttrs[a])
			}
		}
	}
	return nil
}

// opAttrs is the top-level attributes an operation touches.
func opAttrs(op patchOp) ([]string, error) {
	if op.path != nil {
		return []string{op.path.Attr}, nil
	}
	m, err := op.valueObject()
	if err != nil {
		return nil, err
	}
	var out []string
	for k := range m {
		name, _, _ := strings.Cut(strings.ToLower(k), ".")
		out = append(out, name)
	}
	return out, nil
}

// patchedUser applies ops to u's SCIM form and reads it back, checked.
func patchedUser(u scimUser, ops []patchOp) (scimUser, error) {
	root, err := toMap(u)
	if err != nil {
		return scimUser{}, err
	}
	for _, op := range ops {
		if err := applyUserOp(root, op); err != nil {
			return scimUser{}, err
		}
	}
	b, err := json.Marshal(root)
	if err != nil {
		return scimUser{}, invalid("the patched user cannot be encoded")
	}
	var out scimUser
	if err := json.Unmarshal(b, &out); err != nil {
		return scimUser{}, invalid("the patched user is not valid: %s", describe(err))
	}
	return out, out.check()
}

func describe(err error) string {
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return fmt.Sprintf("%s must be a %s", te.Field, strings.TrimPrefix(te.Type.String(), "*"))
	}
	return "wrong type"
}

func toMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

func applyUserOp(root map[string]any, op patchOp) error {
	if op.path != nil {
		v, err := op.value()
		if err != nil {
			return err
		}
		if strings.EqualFold(op.Path, urnEnterprise) {
			return applyKey(root, op.Op, urnEnterprise, v)
		}
		return applyPath(root, op.Op, *op.path, v)
	}
	m, err := op.valueObject()
	if err != nil {
		return err
	}
	for k, v := range m {
		if err := applyKey(root, op.Op, k, v); err != nil {
			return err
		}
	}
	return nil
}

// applyKey applies one member of a path-less operation's value: an
// attribute path, or the enterprise extension's object.
func applyKey(root map[string]any, op, k string, v any) error {
	if strings.EqualFold(k, "schemas") {
		return nil
	}
	if strings.EqualFold(k, urnEnterprise) {
		ext, ok := v.(map[string]any)
		if !ok {
			return invalid("%s must be an object", urnEnterprise)
		}
		for ek, ev := range ext {
			p, err := parsePatchPath(ek)
			if err != nil {
				return err
			}
			p.URN = schemaEnterprise
			if err := applyPath(root, op, p, ev); err != nil {
				return err
			}
		}
		return nil
	}
	p, err := parsePatchPath(k)
	if err != nil {
		return err
	}
	return applyPath(root, op, p, v)
}

// applyPath applies one operation at p within the user's map.
func applyPath(root map[string]any, op string, p patchPath, v any) error {
	obj, attrs := root, userAttrs
	if p.URN != "" {
		if p.URN != schemaEnterprise {
			return invalid("schema %.100q is not supported", p.URN)
		}
		obj, attrs = child(root, urnEnterprise, op != "remove"), enterpriseAttrs
		if obj == nil {
			return nil
		}
	}
	key, ok := attrs[p.Attr]
	if !ok {
		return invalid("the attribute %.64q cannot be patched", p.Attr)
	}
	if p.Sub != "" {
		if _, ok := subAttrs[p.Sub]; !ok {
			return invalid("the sub-attribute %.64q is not supported", p.Sub)
		}
	}
	switch {
	case p.Filter != nil:
		if !multiValued[key] {
			return invalid("a value filter applies only to emails, addresses and phoneNumbers")
		}
		return applyFiltered(obj, key, op, p, v)
	case p.Sub != "" && multiValued[key]:
		return applyFiltered(obj, key, op, p, v)
	case p.Sub != "":
		sub := child(obj, key, op != "remove")
		setOrDelete(sub, subAttrs[p.Sub], op, v)
	default:
		m, isObject := v.(map[string]any)
		old, wasObject := obj[key].(map[string]any)
		switch {
		case multiValued[key] && isObject:
			v = []any{m}
		case isObject && wasObject && op != "remove":
			// RFC 7644 §3.5.2.1 and .3: the sub-attributes given replace
			// theirs (named in any case); the others stay.
			for k, sv := range m {
				if name, ok := subAttrs[strings.ToLower(k)]; ok {
					k = name
				}
				old[k] = sv
			}
			return nil
		}
		setOrDelete(obj, key, op, v)
	}
	return nil
}

// child returns obj[key] as an object, creating it when create is set;
// nil when it is absent and not created.
func child(obj map[string]any, key string, create bool) map[string]any {
	if m, ok := obj[key].(map[string]any); ok {
		return m
	}
	if !create {
		return nil
	}
	m := map[string]any{}
	obj[key] = m
	return m
}

func setOrDelete(obj map[string]any, key, op string, v any) {
	if obj == nil {
		return
	}
	if op == "remove" {
		delete(obj, key)
		return
	}
	obj[key] = v
}

// applyFiltered applies an operation to the values of a multi-valued
// attribute that match p's filter (all of them without one). Adding or
// replacing where nothing matches creates the value, primary when it is
// the only one.
func applyFiltered(obj map[string]any, key, op string, p patchPath, v any) error {
	list, _ := obj[key].([]any)
	var kept []any
	matched := false
	for _, e := range list {
		el, ok := e.(map[string]any)
		if !ok || !matches(el, p.Filter) {
			kept = append(kept, e)
			continue
		}
		matched = true
		if next := patchValue(el, op, p.Sub, v); next != nil {
			kept = append(kept, next)
		}
	}
	if !matched && op != "remove" {
		el := map[string]any{}
		if p.Filter != nil {
			el[subAttrs[p.Filter.Attr]] = p.Filter.Value
		}
		if len(list) == 0 {
			el["primary"] = true
		}
		if next := patchValue(el, op, p.Sub, v); next != nil {
			kept = append(kept, next)
		}
	}
	obj[key] = kept
	if len(kept) == 0 {
		delete(obj, key)
	}
	return nil
}

// patchValue is one value after the operation, or nil when it is removed.
func patchValue(el map[string]any, op, sub string, v any) map[string]any {
	if sub == "" {
		if op == "remove" {
			return nil
		}
		m, ok := v.(map[string]any)
		if !ok {
			return el
		}
		return m
	}
	setOrDelete(el, subAttrs[sub], op, v)
	return el
}

// matches reports whether a value's sub-attribute equals the filter's
// value (strings case-insensitively, booleans by their text).
func matches(el map[string]any, f *cond) bool {
	if f == nil {
		return true
	}
	name, ok := subAttrs[f.Attr]
	if !ok {
		return false
	}
	return strings.EqualFold(fmt.Sprint(el[name]), f.Value)
}
