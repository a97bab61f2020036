package identitystore

import (
	"context"
	"encoding/json"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

type createUserInput struct {
	IdentityStoreID string `json:"IdentityStoreId"`
	ic.Profile
}

type idOutput struct {
	IdentityStoreID string `json:"IdentityStoreId"`
	UserID          string `json:"UserId,omitempty"`
	GroupID         string `json:"GroupId,omitempty"`
	MembershipID    string `json:"MembershipId,omitempty"`
}

func (s *Service) createUser(ctx context.Context, in *createUserInput) (*idOutput, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	if err := ic.ValidateProfile(in.Profile); err != nil {
		return nil, err
	}
	now, by := s.clock.Now(), audit.ActorFrom(ctx).Name
	u := ic.User{
		ID: ic.NewPrincipalID(s.random, in.IdentityStoreID), Profile: in.Profile, Status: ic.UserEnabled,
		CreatedAt: now, UpdatedAt: now, CreatedBy: by, UpdatedBy: by,
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return &idOutput{IdentityStoreID: in.IdentityStoreID, UserID: u.ID}, nil
}

// userOut is the identity store's user shape.
type userOut struct {
	IdentityStoreID string `json:"IdentityStoreId"`
	UserID          string `json:"UserId"`
	ic.Profile
	ExternalIDs []ic.ExternalID `json:"ExternalIds,omitempty"`
	UserStatus  string
	CreatedAt   protocol.Time
	CreatedBy   string `json:",omitempty"`
	UpdatedAt   protocol.Time
	UpdatedBy   string `json:",omitempty"`
}

func toUserOut(storeID string, u ic.User) userOut {
	return userOut{
		IdentityStoreID: storeID, UserID: u.ID, Profile: u.Profile, ExternalIDs: u.ExternalIDs,
		UserStatus: u.Status, CreatedAt: protocol.Time(u.CreatedAt), CreatedBy: u.CreatedBy,
		UpdatedAt: protocol.Time(u.UpdatedAt), UpdatedBy: u.UpdatedBy,
	}
}

type userRef struct {
	IdentityStoreID string `json:"IdentityStoreId"`
	UserID          string `json:"UserId"`
}

func (s *Service) describeUser(ctx context.Context, in *userRef) (*userOut, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	if err := checkID("userId", in.UserID); err != nil {
		return nil, err
	}
	u, err := s.store.User(ctx, in.UserID)
	if err != nil {
		return nil, err
	}
	out := toUserOut(in.IdentityStoreID, u)
	return &out, nil
}

type listUsersInput struct {
	IdentityStoreID string `json:"IdentityStoreId"`
	MaxResults      *int
	NextToken       string
	Filters         []filter
}

type listUsersOutput struct {
	Users     []userOut
	NextToken string `json:",omitempty"`
}

func (s *Service) listUsers(ctx context.Context, in *listUsersInput) (*listUsersOutput, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	p, err := page(in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	name, err := onlyFilter(in.Filters, "UserName")
	if err != nil {
		return nil, err
	}
	users, next, err := s.store.ListUsers(ctx, store.UserFilter{UserName: name}, p)
	if err != nil {
		return nil, err
	}
	out := &listUsersOutput{Users: []userOut{}, NextToken: next}
	for _, u := range users {
		out.Users = append(out.Users, toUserOut(in.IdentityStoreID, u))
	}
	return out, nil
}

type operation struct {
	AttributePath  string
	AttributeValue json.RawMessage
}

type updateUserInput struct {
	userRef
	Operations []operation
}

func checkOperations(ops []operation) error {
	if len(ops) == 0 || len(ops) > ic.MaxUpdateOperations {
		return errs.E(errs.Invalid, "Operations must hold 1 to %d operations", ic.MaxUpdateOperations)
	}
	return nil
}

func (s *Service) updateUser(ctx context.Context, in *updateUserInput) (*struct{}, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	if err := checkID("userId", in.UserID); err != nil {
		return nil, err
	}
	if err := checkOperations(in.Operations); err != nil {
		return nil, err
	}
	_, err := s.store.UpdateUser(ctx, in.UserID, func(u ic.User) (ic.User, error) {
		for _, op := range in.Operations {
			if err := ic.ApplyUserUpdate(&u.Profile, op.AttributePath, op.AttributeValue); err != nil {
				return u, err
			}
		}
		u.UpdatedAt, u.UpdatedBy = s.clock.Now(), audit.ActorFrom(ctx).Name
		return u, ic.ValidateProfile(u.Profile)
	})
	return &struct{}{}, err
}

func (s *Service) deleteUser(ctx context.Context, in *userRef) (*struct{}, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	if err := checkID("userId", in.UserID); err != nil {
		return nil, err
	}
	return &struct{}{}, s.store.DeleteUser(ctx, in.UserID)
}

type uniqueAttribute struct {
	AttributePath  string
	AttributeValue json.RawMessage
}

type alternateIdentifier struct {
	UniqueAttribute *uniqueAttribute
	ExternalID      *ic.ExternalID `json:"ExternalId"`
}

type getIDInput struct {
	IdentityStoreID     string `json:"IdentityStoreId"`
	AlternateIdentifier alternateIdentifier
}

// uniqueValue returns the string value of a UniqueAttribute.
func (a alternateIdentifier) uniqueValue() (string, string, error) {
	if (a.UniqueAttribute == nil) == (a.ExternalID == nil) {
		return "", "", errs.E(errs.Invalid, "AlternateIdentifier must hold exactly one of UniqueAttribute and ExternalId")
	}
	if a.UniqueAttribute == nil {
		return "", "", ic.ValidateExternalID("alternateIdentifier.externalId", *a.ExternalID)
	}
	var v string
	if err := json.Unmarshal(a.UniqueAttribute.AttributeValue, &v); err != nil || v == "" {
		return "", "", errs.E(errs.Invalid, "UniqueAttribute.AttributeValue must be a non-empty string")
	}
	return a.UniqueAttribute.AttributePath, v, nil
}

func (s *Service) getUserID(ctx context.Context, in *getIDInput) (*idOutput, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	path, value, err := in.AlternateIdentifier.uniqueValue()
	if err != nil {
		return nil, err
	}
	var u ic.User
	switch {
	case in.AlternateIdentifier.ExternalID != nil:
		u, err = s.store.UserByExternalID(ctx, *in.AlternateIdentifier.ExternalID)
	case path == "userName" || path == "UserName":
		u, err = s.store.UserByName(ctx, value)
	case path == "emails.value":
		u, err = s.store.UserByEmail(ctx, value)
	default:
		return nil, errs.E(errs.Invalid, "AttributePath %q is not a unique user attribute; use userName or emails.value", path)
	}
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.NotFound, "USER not found.").WithResource("USER", "")
	}
	if err != nil {
		return nil, err
	}
	return &idOutput{IdentityStoreID: in.IdentityStoreID, UserID: u.ID}, nil
}
