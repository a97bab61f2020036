// Package identitystore serves the AWS Identity Store API for the instance's
// own directory: users, groups and group memberships. The ids it hands out are
// the principal ids SSO Admin assignments name. As in AWS, only the
// management account and Identity Center's delegated administrator may
// call it.
package identitystore

import (
	"context"
	"io"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// Store is what the service needs from storage: besides its own, the
// delegated administrators that may administer the store.
type Store interface {
	Instance(ctx context.Context) (ic.Instance, error)
	store.Users
	store.Groups
	store.Memberships
	ListDelegatedAdmins(ctx context.Context, servicePrincipal string, p store.Page) ([]ic.DelegatedAdmin, string, error)
}

// Service implements the Identity Store operations.
type Service struct {
	store  Store
	clock  clock.Clock
	random io.Reader
}

// New returns the service.
func New(s Store, clk clock.Clock, random io.Reader) *Service {
	return &Service{store: s, clock: clk, random: random}
}

// JSONService describes the service for the gateway.
func (s *Service) JSONService(authorize gateway.Authorizer) *gateway.JSONService {
	return &gateway.JSONService{
		TargetPrefix: "AWSIdentityStore",
		SigningName:  "identitystore",
		Codes:        protocol.JSONCodes,
		Authorize:    s.administrators(authorize),
		Word:         word,
		Operations: map[string]gateway.Operation{
			"CreateUser":                    gateway.Op(s.createUser),
			"DescribeUser":                  gateway.Op(s.describeUser),
			"ListUsers":                     gateway.Op(s.listUsers),
			"UpdateUser":                    gateway.Op(s.updateUser),
			"DeleteUser":                    gateway.Op(s.deleteUser),
			"GetUserId":                     gateway.Op(s.getUserID),
			"CreateGroup":                   gateway.Op(s.createGroup),
			"DescribeGroup":                 gateway.Op(s.describeGroup),
			"ListGroups":                    gateway.Op(s.listGroups),
			"UpdateGroup":                   gateway.Op(s.updateGroup),
			"DeleteGroup":                   gateway.Op(s.deleteGroup),
			"GetGroupId":                    gateway.Op(s.getGroupID),
			"CreateGroupMembership":         gateway.Op(s.createMembership),
			"DescribeGroupMembership":       gateway.Op(s.describeMembership),
			"ListGroupMemberships":          gateway.Op(s.listMemberships),
			"DeleteGroupMembership":         gateway.Op(s.deleteMembership),
			"GetGroupMembershipId":          gateway.Op(s.getMembershipID),
			"ListGroupMembershipsForMember": gateway.Op(s.listMembershipsForMember),
			"IsMemberInGroups":              gateway.Op(s.isMemberInGroups),
		},
	}
}

// administrators returns authorize followed by Identity Center's rule for
// who administers its identity store: a caller from the instance's owner
// (the management account) or from Identity Center's delegated
// administrator account. Any other account is refused, whatever its own
// policies allow: the store belongs to the organization instance.
func (s *Service) administrators(authorize gateway.Authorizer) gateway.Authorizer {
	return func(ctx context.Context, p awsauth.Principal, req gateway.Request) error {
		if authorize != nil {
			if err := authorize(ctx, p, req); err != nil {
				return err
			}
		}
		inst, err := s.store.Instance(ctx)
		if err != nil || p.AccountID == inst.OwnerAccountID {
			return err
		}
		admins, _, err := s.store.ListDelegatedAdmins(ctx, "sso.amazonaws.com", store.Page{Limit: 100})
		if err != nil || slices.ContainsFunc(admins, func(a ic.DelegatedAdmin) bool { return a.AccountID == p.AccountID }) {
			return err
		}
		return errs.E(errs.Denied, "User: %s is not authorized to perform: %s on resource: %s because account %s is neither the management account nor the delegated administrator of IAM Identity Center",
			p.ARN, req.Action, req.Resource, p.AccountID).WithCode("AccessDeniedException")
	}
}

// checkStore validates the IdentityStoreId every operation carries: a
// malformed one is invalid, a well-formed one of another store not found.
func (s *Service) checkStore(ctx context.Context, id string) error {
	if err := protocol.Required("identityStoreId", id); err != nil {
		return err
	}
	if !ic.ValidIdentityStoreID(id) {
		return errs.E(errs.Invalid, "IdentityStoreId %.64q is not a valid identity store id", id)
	}
	inst, err := s.store.Instance(ctx)
	if err != nil {
		return err
	}
	if id != inst.IdentityStoreID {
		return errs.E(errs.NotFound, "IDENTITY_STORE not found.").WithResource("IDENTITY_STORE", id)
	}
	return nil
}

// checkID validates the shape of a user, group or membership id.
func checkID(field, id string) error {
	if err := protocol.Required(field, id); err != nil {
		return err
	}
	if !ic.ValidPrincipalID(id) {
		return errs.E(errs.Invalid, "%s %q is not a valid identifier", field, id)
	}
	return nil
}

// page builds a store page from MaxResults (1-100) and NextToken.
func page(maxResults *int, token string) (store.Page, error) {
	limit, err := protocol.Limit(maxResults, 100, 100)
	return store.Page{Limit: limit, Token: token}, err
}

// filter is the deprecated single-filter list input.
type filter struct {
	AttributePath  string
	AttributeValue string
}

// onlyFilter returns the value of the one allowed filter on path.
func onlyFilter(fs []filter, path string) (string, error) {
	if len(fs) == 0 {
		return "", nil
	}
	if len(fs) > 1 || fs[0].AttributePath != path || fs[0].AttributeValue == "" {
		return "", errs.E(errs.Invalid, "only one filter on %s is supported", path)
	}
	if v := fs[0].AttributeValue; utf8.RuneCountInString(v) > 1024 || !filterValue.MatchString(v) {
		// The value is sensitive: AWS's message leaves it out.
		return "", errs.E(errs.Invalid, "1 validation error detected: Value at 'filters.1.member.attributeValue' failed to satisfy "+
			"constraint: Member must have length less than or equal to 1024 and satisfy regular expression pattern: %s", filterValue)
	}
	return fs[0].AttributeValue, nil
}

// filterValue is the service model's pattern for a filter's value.
var filterValue = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r \x{00A0}\x{3000}]+$`)

// duplicates are the Identity Store's messages for a value the store
// reports taken, by resource and field.
var duplicates = map[[2]string]string{
	{store.ResourceUser, store.FieldName}:         "Duplicate UserName",
	{store.ResourceUser, store.FieldExternalID}:   "Duplicate ExternalId",
	{store.ResourceGroup, store.FieldName}:        "Duplicate GroupDisplayName",
	{store.ResourceGroup, store.FieldExternalID}:  "Duplicate ExternalId",
	{store.ResourceMembership, store.FieldMember}: "Member is already in the group",
}

// word gives the store's errors the Identity Store's wording: a taken value
// is a ConflictException with Reason UNIQUENESS_CONSTRAINT_VIOLATION.
func word(err error) error {
	if e, ok := errs.As(err); ok && e.Kind == errs.Conflict {
		if msg, known := duplicates[[2]string{e.ResourceType, e.Field}]; known {
			return errs.E(errs.Conflict, "%s", msg).WithReason("UNIQUENESS_CONSTRAINT_VIOLATION")
		}
	}
	return protocol.WordStoreError(err)
}
