package scimserver

import (
	"context"
	"net/http"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// listGroups answers ListGroups with AWS's filters: displayName,
// externalId, id, members (the groups a user is in), or id and members
// (is the user in this group).
func (s *Server) listGroups(w http.ResponseWriter, r *http.Request) error {
	lq, err := readList(r)
	if err != nil {
		return err
	}
	groups, next, err := s.findGroups(r.Context(), lq)
	if err != nil {
		return err
	}
	items := make([]any, len(groups))
	for i, g := range groups {
		items[i] = toSCIMGroup(g, s.Issuer)
	}
	writeList(w, lq, items, next)
	return nil
}

func (s *Server) findGroups(ctx context.Context, lq listQuery) ([]ic.Group, string, error) {
	switch {
	case len(lq.filter) == 0:
		return s.Store.ListGroups(ctx, store.GroupFilter{}, lq.page)
	case lq.is("displayname"):
		gs, err := found(s.Store.GroupByName(ctx, lq.value("displayname")))
		return gs, "", err
	case lq.is("externalid"):
		gs, err := found(s.Store.GroupByExternalID(ctx, ic.ExternalID{Issuer: s.Issuer, ID: lq.value("externalid")}))
		return gs, "", err
	case lq.is("id"): // valid, AWS says, though GET /Groups/{id} is the way
		gs, err := found(s.group(ctx, lq.value("id")))
		return gs, "", err
	case lq.is("members"):
		return s.groupsOf(ctx, lq.value("members"), lq.page)
	case lq.is("id", "members"):
		gs, err := found(s.group(ctx, lq.value("id")))
		if err != nil || len(gs) == 0 {
			return nil, "", err
		}
		in, err := found(s.Store.MembershipOf(ctx, gs[0].ID, lq.value("members")))
		if len(in) == 0 {
			gs = nil
		}
		return gs, "", err
	}
	return nil, "", unsupportedCombination("Groups")
}

// groupsOf pages the groups a user is in (none for an unknown user).
func (s *Server) groupsOf(ctx context.Context, userID string, p store.Page) ([]ic.Group, string, error) {
	if !ic.ValidPrincipalID(userID) {
		return nil, "", nil
	}
	ms, next, err := s.Store.ListMembershipsForUser(ctx, userID, p)
	if err != nil {
		return nil, "", err
	}
	var groups []ic.Group
	for _, m := range ms {
		gs, err := found(s.Store.Group(ctx, m.GroupID))
		if err != nil {
			return nil, "", err
		}
		groups = append(groups, gs...)
	}
	return groups, next, nil
}
