package scimserver

import (
	"encoding/json"
	"net/http"
	"strings"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// groupPlan is what a PatchGroup changes.
type groupPlan struct {
	displayName *string
	externalID  *string // "" removes it
	add, remove []string
}

func (p *groupPlan) changes() int { return len(p.add) + len(p.remove) }

// patchGroup changes a group's displayName, externalId and members. It
// answers 204, as AWS is reported to (clients accept 200 or 204).
func (s *Server) patchGroup(w http.ResponseWriter, r *http.Request, id string) error {
	ops, err := readPatch(r)
	if err != nil {
		return err
	}
	var plan groupPlan
	for _, op := range ops {
		if err := plan.addOp(op); err != nil {
			return err
		}
	}
	if plan.changes() > maxMembers {
		return invalid("at most %d membership changes are allowed per request", maxMembers)
	}
	g, err := s.group(r.Context(), id)
	if err != nil {
		return err
	}
	add, err := s.memberIDs(r.Context(), members(plan.add))
	if err != nil {
		return err
	}
	if plan.displayName != nil || plan.externalID != nil {
		if err := s.updateGroup(r, g.ID, plan); err != nil {
			return err
		}
	}
	if err := s.removeMembers(r.Context(), g.ID, plan.remove); err != nil {
		return err
	}
	if err := s.addMembers(r.Context(), g.ID, add); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func members(ids []string) []scimMember {
	out := make([]scimMember, len(ids))
	for i, id := range ids {
		out[i] = scimMember{Value: id}
	}
	return out
}

func (s *Server) updateGroup(r *http.Request, id string, plan groupPlan) error {
	_, by := s.stamp(r.Context())
	_, err := s.Store.UpdateGroup(r.Context(), id, func(g ic.Group) (ic.Group, error) {
		if plan.displayName != nil {
			g.DisplayName = *plan.displayName
		}
		if plan.externalID != nil {
			g.ExternalIDs = withExternalID(g.ExternalIDs, s.Issuer, *plan.externalID)
		}
		g.UpdatedAt, g.UpdatedBy = s.Clock.Now(), by
		if err := ic.ValidateExternalIDs("externalIds", g.ExternalIDs); err != nil {
			return g, err
		}
		return g, ic.ValidateGroup(g.DisplayName, "")
	})
	return err
}

// addOp adds one operation to the plan.
func (p *groupPlan) addOp(op patchOp) error {
	if op.path == nil {
		m, err := op.valueObject()
		if err != nil {
			return err
		}
		for k, v := range m {
			raw, _ := json.Marshal(v)
			if err := p.attr(op.Op, strings.ToLower(k), nil, raw); err != nil {
				return err
			}
		}
		return nil
	}
	if op.path.URN != "" || op.path.Sub != "" {
		return invalid("path %.64q: PatchGroup changes only displayName, externalId and members", op.Path)
	}
	return p.attr(op.Op, op.path.Attr, op.path.Filter, op.Value)
}

func (p *groupPlan) attr(op, attr string, filter *cond, raw json.RawMessage) error {
	switch attr {
	case "schemas", "id":
		return nil // a path-less value may restate them
	case "displayname", "externalid":
		if filter != nil {
			return invalid("%s takes no value filter", attr)
		}
		return p.text(op, attr, raw)
	case "members":
		return p.members(op, filter, raw)
	}
	return invalid("the attribute %.64q cannot be patched; PatchGroup changes displayName, externalId and members", attr)
}

func (p *groupPlan) text(op, attr string, raw json.RawMessage) error {
	var v string
	if op == "remove" {
		if attr == "displayname" {
			return invalid("displayName cannot be removed")
		}
	} else if err := json.Unmarshal(raw, &v); err != nil {
		return invalid("%s must be a string", attr)
	}
	if attr == "displayname" {
		p.displayName = &v
	} else {
		p.externalID = &v
	}
	return nil
}

// members adds member changes: add with a list of values, remove with a
// value filter or a list of values. Replacing or removing all members at
// once is refused, as AWS refuses it.
func (p *groupPlan) members(op string, filter *cond, raw json.RawMessage) error {
	if op == "replace" {
		return invalid("replacing all members of a group is not supported; add and remove members instead")
	}
	if filter != nil {
		if op != "remove" || filter.Attr != "value" {
			return invalid("members[value eq \"...\"] is supported only with remove")
		}
		p.remove = append(p.remove, filter.Value)
		return nil
	}
	if op == "remove" && !present(raw) {
		return invalid("removing all members of a group is not supported; remove them by value")
	}
	var ms []scimMember
	if err := json.Unmarshal(raw, &ms); err != nil {
		return invalid("members must be a list of {\"value\": \"<user id>\"}")
	}
	for _, m := range ms {
		if m.Value == "" {
			return invalid("each member needs a value")
		}
		if op == "remove" {
			p.remove = append(p.remove, m.Value)
		} else {
			p.add = append(p.add, m.Value)
		}
	}
	return nil
}
