package scimserver

import (
	"context"
	"net/http"

	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// maxMembers bounds the members of a CreateGroup and the membership
// changes of a PatchGroup, as AWS does.
const maxMembers = 100

type scimMember struct {
	Value string `json:"value"`
}

// scimGroup is a Group resource. AWS never lists members: GetGroup and
// ListGroups always answer "members": [].
type scimGroup struct {
	ID          string       `json:"id,omitempty"`
	ExternalID  string       `json:"externalId,omitempty"`
	Meta        *meta        `json:"meta,omitempty"`
	Schemas     []string     `json:"schemas"`
	DisplayName string       `json:"displayName"`
	Members     []scimMember `json:"members"`
}

func toSCIMGroup(g ic.Group, issuer string) scimGroup {
	return scimGroup{
		ID: g.ID, ExternalID: externalID(g.ExternalIDs, issuer), Schemas: []string{urnGroup},
		Meta:        &meta{ResourceType: "Group", Created: scimTime(g.CreatedAt), LastModified: scimTime(g.UpdatedAt)},
		DisplayName: g.DisplayName, Members: []scimMember{},
	}
}

func (s *Server) createGroup(w http.ResponseWriter, r *http.Request) error {
	var in scimGroup
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if err := ic.ValidateGroup(in.DisplayName, ""); err != nil {
		return err
	}
	if len(in.Members) > maxMembers {
		return invalid("a group is created with at most %d members", maxMembers)
	}
	users, err := s.memberIDs(r.Context(), in.Members)
	if err != nil {
		return err
	}
	now, by := s.stamp(r.Context())
	g := ic.Group{ID: ic.NewPrincipalID(s.Random, s.Tenant), DisplayName: in.DisplayName,
		ExternalIDs: withExternalID(nil, s.Issuer, in.ExternalID),
		CreatedAt:   now, UpdatedAt: now, CreatedBy: by, UpdatedBy: by}
	if err := ic.ValidateExternalIDs("externalIds", g.ExternalIDs); err != nil {
		return err
	}
	if err := s.Store.CreateGroup(r.Context(), g); err != nil {
		return err
	}
	if err := s.addMembers(r.Context(), g.ID, users); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toSCIMGroup(g, s.Issuer))
	return nil
}

// memberIDs checks that each member names an existing user and returns
// their ids, without repeats.
func (s *Server) memberIDs(ctx context.Context, ms []scimMember) ([]string, error) {
	seen := map[string]bool{}
	var ids []string
	for _, m := range ms {
		if seen[m.Value] {
			continue
		}
		if _, err := s.user(ctx, m.Value); err != nil {
			if errs.Is(err, errs.NotFound) {
				return nil, invalid("member %.64q is not a user", m.Value)
			}
			return nil, err
		}
		seen[m.Value] = true
		ids = append(ids, m.Value)
	}
	return ids, nil
}

// addMembers adds users to the group; one already in it is kept.
func (s *Server) addMembers(ctx context.Context, groupID string, users []string) error {
	now, by := s.stamp(ctx)
	for _, u := range users {
		m := ic.Membership{ID: ic.NewPrincipalID(s.Random, s.Tenant), GroupID: groupID, UserID: u,
			CreatedAt: now, CreatedBy: by}
		if err := s.Store.CreateMembership(ctx, m); err != nil && !errs.Is(err, errs.Conflict) {
			return err
		}
	}
	return nil
}

// removeMembers takes users out of the group; one not in it is no error.
func (s *Server) removeMembers(ctx context.Context, groupID string, users []string) error {
	for _, u := range users {
		m, err := s.Store.MembershipOf(ctx, groupID, u)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err == nil {
			err = s.Store.DeleteMembership(ctx, m.ID)
		}
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
	}
	return nil
}

func (s *Server) group(ctx context.Context, id string) (ic.Group, error) {
	if !ic.ValidPrincipalID(id) {
		return ic.Group{}, notFound(id)
	}
	return s.Store.Group(ctx, id)
}

func (s *Server) getGroup(w http.ResponseWriter, r *http.Request, id string) error {
	g, err := s.group(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toSCIMGroup(g, s.Issuer))
	return nil
}

// putGroup replaces the display name and externalId. Members are changed
// only by PATCH: replacing them all at once is what AWS refuses, in the
// words below (as mitodl/keycloak-scim#73 quotes AWS's answer).
func (s *Server) putGroup(w http.ResponseWriter, r *http.Request, id string) error {
	var in scimGroup
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if len(in.Members) > 0 {
		return invalid("Replacing group memberships is not supported.")
	}
	if err := ic.ValidateGroup(in.DisplayName, ""); err != nil {
		return err
	}
	if !ic.ValidPrincipalID(id) {
		return notFound(id)
	}
	_, by := s.stamp(r.Context())
	g, err := s.Store.UpdateGroup(r.Context(), id, func(g ic.Group) (ic.Group, error) {
		g.DisplayName, g.ExternalIDs = in.DisplayName, withExternalID(g.ExternalIDs, s.Issuer, in.ExternalID)
		g.UpdatedAt, g.UpdatedBy = s.Clock.Now(), by
		return g, ic.ValidateExternalIDs("externalIds", g.ExternalIDs)
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toSCIMGroup(g, s.Issuer))
	return nil
}

func (s *Server) deleteGroup(w http.ResponseWriter, r *http.Request, id string) error {
	if !ic.ValidPrincipalID(id) {
		return notFound(id)
	}
	if err := s.Store.DeleteGroup(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
