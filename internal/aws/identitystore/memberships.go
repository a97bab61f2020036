package identitystore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// memberID is the MemberId union; users are the only members.
type memberID struct {
	UserID string `json:"UserId"`
}

func (m *memberID) check() error {
	if m == nil {
		return protocol.Required("memberId", "")
	}
	return checkID("memberId.userId", m.UserID)
}

type membershipInput struct {
	IdentityStoreID string    `json:"IdentityStoreId"`
	GroupID         string    `json:"GroupId"`
	MemberID        *memberID `json:"MemberId"`
}

func (s *Service) checkMembershipInput(ctx context.Context, in *membershipInput) error {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return err
	}
	if err := checkID("groupId", in.GroupID); err != nil {
		return err
	}
	return in.MemberID.check()
}

func (s *Service) createMembership(ctx context.Context, in *membershipInput) (*idOutput, error) {
	if err := s.checkMembershipInput(ctx, in); err != nil {
		return nil, err
	}
	m := ic.Membership{
		ID: ic.NewPrincipalID(s.random, in.IdentityStoreID), GroupID: in.GroupID, UserID: in.MemberID.UserID,
		CreatedAt: s.clock.Now(), CreatedBy: audit.ActorFrom(ctx).Name,
	}
	if err := s.store.CreateMembership(ctx, m); err != nil {
		return nil, err
	}
	return &idOutput{IdentityStoreID: in.IdentityStoreID, MembershipID: m.ID}, nil
}

type membershipOut struct {
	IdentityStoreID string   `json:"IdentityStoreId"`
	MembershipID    string   `json:"MembershipId"`
	GroupID         string   `json:"GroupId"`
	MemberID        memberID `json:"MemberId"`
	CreatedAt       protocol.Time
	CreatedBy       string `json:",omitempty"`
}

func toMembershipOut(storeID string, m ic.Membership) membershipOut {
	return membershipOut{IdentityStoreID: storeID, MembershipID: m.ID, GroupID: m.GroupID,
		MemberID: memberID{UserID: m.UserID}, CreatedAt: protocol.Time(m.CreatedAt), CreatedBy: m.CreatedBy}
}

type membershipRef struct {
	IdentityStoreID string `json:"IdentityStoreId"`
	MembershipID    string `json:"MembershipId"`
}

func (s *Service) describeMembership(ctx context.Context, in *membershipRef) (*membershipOut, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	if err := checkID("membershipId", in.MembershipID); err != nil {
		return nil, err
	}
	m, err := s.store.Membership(ctx, in.MembershipID)
	if err != nil {
		return nil, err
	}
	out := toMembershipOut(in.IdentityStoreID, m)
	return &out, nil
}

func (s *Service) deleteMembership(ctx context.Context, in *membershipRef) (*struct{}, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	if err := checkID("membershipId", in.MembershipID); err != nil {
		return nil, err
	}
	return &struct{}{}, s.store.DeleteMembership(ctx, in.MembershipID)
}

func (s *Service) getMembershipID(ctx context.Context, in *membershipInput) (*idOutput, error) {
	if err := s.checkMembershipInput(ctx, in); err != nil {
		return nil, err
	}
	m, err := s.store.MembershipOf(ctx, in.GroupID, in.MemberID.UserID)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.NotFound, "GROUP_MEMBERSHIP not found.").WithResource("GROUP_MEMBERSHIP", "")
	}
	if err != nil {
		return nil, err
	}
	return &idOutput{IdentityStoreID: in.IdentityStoreID, MembershipID: m.ID}, nil
}

type listMembershipsInput struct {
	IdentityStoreID string    `json:"IdentityStoreId"`
	GroupID         string    `json:"GroupId"`
	MemberID        *memberID `json:"MemberId"`
	MaxResults      *int
	NextToken       string
}

type listMembershipsOutput struct {
	GroupMemberships []membershipOut
	NextToken        string `json:",omitempty"`
}

func (s *Service) listMemberships(ctx context.Context, in *listMembershipsInput) (*listMembershipsOutput, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	if err := checkID("groupId", in.GroupID); err != nil {
		return nil, err
	}
	p, err := page(in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	ms, next, err := s.store.ListMemberships(ctx, in.GroupID, p)
	return membershipsOut(in.IdentityStoreID, ms, next, err)
}

func (s *Service) listMembershipsForMember(ctx context.Context, in *listMembershipsInput) (*listMembershipsOutput, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	if err := in.MemberID.check(); err != nil {
		return nil, err
	}
	p, err := page(in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	ms, next, err := s.store.ListMembershipsForUser(ctx, in.MemberID.UserID, p)
	return membershipsOut(in.IdentityStoreID, ms, next, err)
}

func membershipsOut(storeID string, ms []ic.Membership, next string, err error) (*listMembershipsOutput, error) {
	if err != nil {
		return nil, err
	}
	out := &listMembershipsOutput{GroupMemberships: []membershipOut{}, NextToken: next}
	for _, m := range ms {
		out.GroupMemberships = append(out.GroupMemberships, toMembershipOut(storeID, m))
	}
	return out, nil
}

type isMemberInput struct {
	IdentityStoreID string    `json:"IdentityStoreId"`
	MemberID        *memberID `json:"MemberId"`
	GroupIDs        []string  `json:"GroupIds"`
}

type memberResult struct {
	GroupID          string   `json:"GroupId"`
	MemberID         memberID `json:"MemberId"`
	MembershipExists bool
}

type isMemberOutput struct{ Results []memberResult }

func (s *Service) isMemberInGroups(ctx context.Context, in *isMemberInput) (*isMemberOutput, error) {
	if err := s.checkStore(ctx, in.IdentityStoreID); err != nil {
		return nil, err
	}
	if err := in.MemberID.check(); err != nil {
		return nil, err
	}
	if len(in.GroupIDs) < 1 || len(in.GroupIDs) > 100 {
		return nil, errs.E(errs.Invalid, "GroupIds must hold 1 to 100 group ids")
	}
	for _, id := range in.GroupIDs {
		if err := checkID("groupIds", id); err != nil {
			return nil, err
		}
	}
	member, err := s.store.MemberOf(ctx, in.MemberID.UserID, in.GroupIDs)
	if err != nil {
		return nil, err
	}
	out := &isMemberOutput{Results: []memberResult{}}
	for _, id := range in.GroupIDs {
		out.Results = append(out.Results, memberResult{GroupID: id, MemberID: *in.MemberID, MembershipExists: member[id]})
	}
	return out, nil
}
