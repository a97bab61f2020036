package iamapi

import (
	"context"
	"strings"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

type createRoleInput struct {
	Path                     string
	RoleName                 string
	AssumeRolePolicyDocument string
	Description              string
	MaxSessionDuration       *int
	PermissionsBoundary      string
	Tags                     []tagIn
}

type roleResult struct{ Role roleXML }

func (s *Service) createRole(ctx context.Context, in *createRoleInput) (*roleResult, error) {
	account, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	r := iam.Role{AccountID: account, ID: iam.NewRoleID(s.random), Name: in.RoleName, Path: in.Path,
		TrustPolicy: in.AssumeRolePolicyDocument, Description: in.Description, MaxSessionDuration: iam.DefaultRoleSession,
		PermissionsBoundary: in.PermissionsBoundary, Tags: tagsIn(in.Tags), CreatedAt: s.clock.Now()}
	if r.Path == "" {
		r.Path = "/"
	}
	if in.MaxSessionDuration != nil {
		r.MaxSessionDuration = *in.MaxSessionDuration
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if r.PermissionsBoundary, err = s.checkBoundary(ctx, account, r.PermissionsBoundary); err != nil {
		return nil, err
	}
	if _, found, err := s.ssoRoleNamed(ctx, account, r.Name); err != nil || found {
		return nil, wordRoleError(conflictOr(err, found), r.Name)
	}
	if err := s.store.CreateIAMRole(ctx, r); err != nil {
		return nil, wordRoleError(err, r.Name)
	}
	return &roleResult{Role: roleOut(r)}, nil
}

// conflictOr is err, or when there is none but found, the store's
// conflict over a taken role name.
func conflictOr(err error, found bool) error {
	if err != nil || !found {
		return err
	}
	return errs.E(errs.Conflict, "taken").WithResource(store.ResourceIAMRole, "").WithField(store.FieldName)
}

type roleNameInput struct{ RoleName string }

func (s *Service) getRole(ctx context.Context, in *roleNameInput) (*roleResult, error) {
	r, err := s.anyRole(ctx, in.RoleName)
	if err != nil {
		return nil, err
	}
	return &roleResult{Role: roleOut(r)}, nil
}

// anyRole returns one of the caller's roles, IAM's own or Identity
// Center's.
func (s *Service) anyRole(ctx context.Context, name string) (iam.Role, error) {
	account, err := roleCaller(ctx, name)
	if err != nil {
		return iam.Role{}, err
	}
	if r, found, err := s.ssoRoleNamed(ctx, account, name); err != nil || found {
		return r.role, err
	}
	r, err := s.store.IAMRole(ctx, account, name)
	return r, wordRoleError(err, name)
}

// roleCaller checks a role name and returns the caller's account.
func roleCaller(ctx context.Context, name string) (string, error) {
	account, err := callerAccount(ctx)
	if err != nil {
		return "", err
	}
	return account, iam.ValidateName("roleName", name, iam.MaxRoleNameLen)
}

type listRolesInput struct {
	PathPrefix string
	Marker     string
	MaxItems   *int
}

type listRolesResult struct {
	Roles members[roleXML]
	truncation
}

// listRoles pages IAM's own roles, then Identity Center's: a Marker "i..."
// continues the first, "s..." the second.
func (s *Service) listRoles(ctx context.Context, in *listRolesInput) (*listRolesResult, error) {
	account, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	prefix, err := pathPrefix(in.PathPrefix)
	if err != nil {
		return nil, err
	}
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	roles, next, err := s.pageRoles(ctx, account, prefix, p)
	if err != nil {
		return nil, badMarker(err)
	}
	out := make([]roleXML, len(roles))
	for i, r := range roles {
		r.Tags, r.PermissionsBoundary = nil, "" // ListRoles leaves these out
		out[i] = roleOut(r)
		out[i].RoleLastUsed = nil
	}
	return &listRolesResult{Roles: list(out), truncation: truncated(next)}, nil
}

func (s *Service) pageRoles(ctx context.Context, account, prefix string, p store.Page) ([]iam.Role, string, error) {
	var roles []iam.Role
	phase, token := "i", ""
	if p.Token != "" {
		phase, token = p.Token[:1], p.Token[1:]
	}
	if phase == "i" {
		page, next, err := s.store.ListIAMRoles(ctx, account, prefix, store.Page{Limit: p.Limit, Token: token})
		if err != nil || next != "" {
			return page, prefixed("i", next), err
		}
		roles, phase, token = page, "s", ""
	}
	if phase != "s" {
		return nil, "", errs.E(errs.Invalid, "bad marker")
	}
	sso, err := s.ssoRoles(ctx, account)
	if err != nil {
		return nil, "", err
	}
	var under []iam.Role
	for _, r := range sso {
		if strings.HasPrefix(r.role.Path, prefix) {
			under = append(under, r.role)
		}
	}
	more, next, err := pageSlice(under, store.Page{Limit: p.Limit - len(roles), Token: token})
	return append(roles, more...), prefixed("s", next), err
}

func prefixed(phase, token string) string {
	if token == "" {
		return ""
	}
	return phase + token
}

// pathPrefix checks a PathPrefix ("/" when empty).
func pathPrefix(p string) (string, error) {
	if p == "" {
		return "/", nil
	}
	if len(p) > iam.MaxPathLen || !strings.HasPrefix(p, "/") || strings.ContainsFunc(p, func(r rune) bool { return r < 0x21 || r > 0x7f }) {
		return "", iam.Invalid("pathPrefix", p, `Member must satisfy regular expression pattern: \u002F[\u0021-\u007F]*`)
	}
	return p, nil
}
