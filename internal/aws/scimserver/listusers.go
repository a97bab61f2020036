package scimserver

import (
	"context"
	"net/http"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// listUsers answers ListUsers with AWS's filters: userName, externalId,
// id, id and manager, or groups.value (the members of a group).
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	lq, err := readList(r)
	if err != nil {
		return err
	}
	users, next, err := s.findUsers(r.Context(), lq)
	if err != nil {
		return err
	}
	items := make([]any, len(users))
	for i, u := range users {
		items[i] = toSCIMUser(u, s.Issuer)
	}
	writeList(w, lq, items, next)
	return nil
}

func (s *Server) findUsers(ctx context.Context, lq listQuery) ([]ic.User, string, error) {
	switch {
	case len(lq.filter) == 0:
		return s.Store.ListUsers(ctx, store.UserFilter{}, lq.page)
	case lq.is("username"):
		us, err := found(s.Store.UserByName(ctx, lq.value("username")))
		return us, "", err
	case lq.is("externalid"):
		us, err := found(s.Store.UserByExternalID(ctx, ic.ExternalID{Issuer: s.Issuer, ID: lq.value("externalid")}))
		return us, "", err
	case lq.is("id"): // valid, AWS says, though GET /Users/{id} is the way
		us, err := found(s.user(ctx, lq.value("id")))
		return us, "", err
	case lq.is("id", "manager"):
		us, err := found(s.user(ctx, lq.value("id")))
		if len(us) == 1 && us[0].Enterprise.ManagerID != lq.value("manager") {
			us = nil
		}
		return us, "", err
	case lq.is("groups.value"):
		return s.groupMembers(ctx, lq.value("groups.value"), lq.page)
	}
	return nil, "", unsupportedCombination("Users")
}

// groupMembers pages the users in a group (none for an unknown group).
func (s *Server) groupMembers(ctx context.Context, groupID string, p store.Page) ([]ic.User, string, error) {
	if !ic.ValidPrincipalID(groupID) {
		return nil, "", nil
	}
	ms, next, err := s.Store.ListMemberships(ctx, groupID, p)
	if err != nil {
		return nil, "", err
	}
	var users []ic.User
	for _, m := range ms {
		us, err := found(s.Store.User(ctx, m.UserID))
		if err != nil {
			return nil, "", err
		}
		users = append(users, us...)
	}
	return users, next, nil
}
