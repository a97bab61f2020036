package scimserver

import (
	"context"
	"net/http"

	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// readUser reads and checks a User resource body.
func readUser(r *http.Request) (scimUser, error) {
	var in scimUser
	if err := readJSON(r, &in); err != nil {
		return in, err
	}
	return in, in.check()
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	in, err := readUser(r)
	if err != nil {
		return err
	}
	now, by := s.stamp(r.Context())
	u := ic.User{ID: ic.NewPrincipalID(s.Random, s.Tenant), CreatedAt: now, CreatedBy: by}
	if present(in.Groups) {
		return invalid("groups cannot be set on a user; add the user to a group instead")
	}
	if err := s.apply(&u, in, by); err != nil {
		return err
	}
	if err := s.Store.CreateUser(r.Context(), u); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toSCIMUser(u, s.Issuer))
	return nil
}

// apply makes u what in describes (all of it: PUT replaces), validated as
// the identity store validates.
func (s *Server) apply(u *ic.User, in scimUser, by string) error {
	u.Profile, u.Enterprise = in.profile(), in.enterprise()
	u.ExternalIDs = withExternalID(u.ExternalIDs, s.Issuer, in.ExternalID)
	u.Status = ic.UserEnabled
	if in.Active != nil && !*in.Active {
		u.Status = ic.UserDisabled
	}
	u.UpdatedAt, u.UpdatedBy = s.Clock.Now(), by
	if err := ic.ValidateExternalIDs("externalIds", u.ExternalIDs); err != nil {
		return err
	}
	return ic.ValidateProfile(u.Profile)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request, id string) error {
	u, err := s.user(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toSCIMUser(u, s.Issuer))
	return nil
}

// user reads a user; an id of the wrong shape is simply not found.
func (s *Server) user(ctx context.Context, id string) (ic.User, error) {
	if !ic.ValidPrincipalID(id) {
		return ic.User{}, notFound(id)
	}
	return s.Store.User(ctx, id)
}

func notFound(id string) error {
	return errs.E(errs.NotFound, "resource %s not found", id).WithResource("", id)
}

func (s *Server) putUser(w http.ResponseWriter, r *http.Request, id string) error {
	in, err := readUser(r)
	if err != nil {
		return err
	}
	if !ic.ValidPrincipalID(id) {
		return notFound(id)
	}
	_, by := s.stamp(r.Context())
	u, err := s.Store.UpdateUser(r.Context(), id, func(u ic.User) (ic.User, error) {
		return u, s.apply(&u, in, by)
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toSCIMUser(u, s.Issuer))
	return nil
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request, id string) error {
	if !ic.ValidPrincipalID(id) {
		return notFound(id)
	}
	if err := s.Store.DeleteUser(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
