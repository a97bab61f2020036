package organizations

import (
	"context"
	"errors"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

type policyType struct{ Type, Status string }

type organization struct {
	ID                   string `json:"Id"`
	Arn                  string
	FeatureSet           string
	MasterAccountArn     string
	MasterAccountID      string `json:"MasterAccountId"`
	MasterAccountEmail   string
	AvailablePolicyTypes []policyType
}

type describeOrganizationOutput struct{ Organization organization }

func (s *Service) describeOrganization(ctx context.Context, _ *struct{}) (*describeOrganizationOutput, error) {
	o, err := s.store.Organization(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.store.Root(ctx)
	if err != nil {
		return nil, err
	}
	// AvailablePolicyTypes is deprecated in favour of the root's
	// PolicyTypes; it lists what is enabled in the root.
	return &describeOrganizationOutput{Organization: organization{
		ID: o.ID, Arn: orgARN(o), FeatureSet: "ALL",
		MasterAccountArn: accountARN(o, o.ManagementAccountID), MasterAccountID: o.ManagementAccountID,
		MasterAccountEmail:   o.ManagementEmail,
		AvailablePolicyTypes: policyTypesOut(r),
	}}, nil
}

func orgARN(o ic.Organization) string {
	return "arn:aws:organizations::" + o.ManagementAccountID + ":organization/" + o.ID
}

func accountARN(o ic.Organization, accountID string) string {
	return "arn:aws:organizations::" + o.ManagementAccountID + ":account/" + o.ID + "/" + accountID
}

type createAccountInput struct {
	AccountName            string
	Email                  string
	RoleName               string
	IamUserAccessToBilling string
	Tags                   []ic.Tag
}

type createAccountStatus struct {
	ID                 string `json:"Id"`
	AccountName        string
	State              string
	RequestedTimestamp protocol.Time
	CompletedTimestamp *protocol.Time `json:",omitempty"`
	AccountID          string         `json:"AccountId,omitempty"`
	FailureReason      string         `json:",omitempty"`
}

type createAccountOutput struct{ CreateAccountStatus createAccountStatus }

func (s *Service) createAccount(ctx context.Context, in *createAccountInput) (*createAccountOutput, error) {
	if err := protocol.Required("accountName", in.AccountName, "email", in.Email); err != nil {
		return nil, err
	}
	if err := ic.ValidateNewAccount(in.AccountName, in.Email); err != nil {
		return nil, err
	}
	if in.IamUserAccessToBilling != "" && in.IamUserAccessToBilling != "ALLOW" && in.IamUserAccessToBilling != "DENY" {
		return nil, errs.E(errs.Invalid, "IamUserAccessToBilling must be ALLOW or DENY")
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	if in.RoleName != "" && !accessRoleNameRe.MatchString(in.RoleName) {
		return nil, errs.E(errs.Invalid, "RoleName must be 1 to 64 letters, digits and +=,.@_-").WithReason("INVALID_PATTERN")
	}
	org, err := s.store.Organization(ctx)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	st := ic.CreateAccountStatus{
		ID: "car-" + clock.Hex(s.random, 16), AccountName: in.AccountName, State: ic.StateSucceeded,
		AccountID: ic.NewAccountID(s.random), RequestedAt: now, CompletedAt: now,
	}
	acct := ic.Account{ID: st.AccountID, Name: in.AccountName, Email: in.Email, Status: ic.AccountActive, JoinedMethod: ic.JoinedCreated, JoinedAt: now}
	err = s.store.CreateAccount(ctx, acct, st)
	if errs.Is(err, errs.Conflict) {
		// Organizations reports a taken email in the request status, not as
		// an error of the call.
		st.State, st.AccountID, st.FailureReason = ic.StateFailed, "", "EMAIL_ALREADY_EXISTS"
		err = s.store.PutCreateAccountStatus(ctx, st)
	} else if err == nil {
		err = s.createAccessRole(ctx, org, acct.ID, in.RoleName)
	}
	if err == nil && st.State == ic.StateSucceeded && len(in.Tags) > 0 {
		err = s.store.TagOrgResource(ctx, acct.ID, in.Tags)
	}
	if err != nil {
		return nil, err
	}
	return &createAccountOutput{CreateAccountStatus: statusOut(st)}, nil
}

func statusOut(st ic.CreateAccountStatus) createAccountStatus {
	out := createAccountStatus{ID: st.ID, AccountName: st.AccountName, State: st.State,
		RequestedTimestamp: protocol.Time(st.RequestedAt), AccountID: st.AccountID, FailureReason: st.FailureReason}
	if !st.CompletedAt.IsZero() {
		t := protocol.Time(st.CompletedAt)
		out.CompletedTimestamp = &t
	}
	return out
}

type describeCreateAccountStatusInput struct {
	CreateAccountRequestID string `json:"CreateAccountRequestId"`
}

func (s *Service) describeCreateAccountStatus(ctx context.Context, in *describeCreateAccountStatusInput) (*createAccountOutput, error) {
	if err := protocol.Required("createAccountRequestId", in.CreateAccountRequestID); err != nil {
		return nil, err
	}
	if !ic.ValidCreateAccountRequestID(in.CreateAccountRequestID) {
		return nil, errs.E(errs.Invalid, "CreateAccountRequestId %.64q must be car- and 8 to 32 lowercase letters or digits",
			in.CreateAccountRequestID).WithReason("INVALID_PATTERN")
	}
	st, err := s.store.CreateAccountStatus(ctx, in.CreateAccountRequestID)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.NotFound, "We can't find a create account request with the ID that you specified.").WithCode("CreateAccountStatusNotFoundException")
	}
	if err != nil {
		return nil, err
	}
	return &createAccountOutput{CreateAccountStatus: statusOut(st)}, nil
}

type account struct {
	ID              string `json:"Id"`
	Arn             string
	Email           string
	Name            string
	Status          string
	State           string
	Paths           []string `json:",omitempty"`
	JoinedMethod    string
	JoinedTimestamp protocol.Time
}

// accountOut describes an account with its path from the root.
func (s *Service) accountOut(ctx context.Context, o ic.Organization, a ic.Account) (account, error) {
	path, err := s.store.PathOf(ctx, a.ID)
	if err != nil {
		return account{}, err
	}
	return account{ID: a.ID, Arn: accountARN(o, a.ID), Email: a.Email, Name: a.Name,
		Status: a.Status, State: a.State(), Paths: []string{pathString(o, path)},
		JoinedMethod: a.JoinedMethod, JoinedTimestamp: protocol.Time(a.JoinedAt)}, nil
}

// accountsOut describes a page of accounts.
func (s *Service) accountsOut(ctx context.Context, accts []ic.Account, next string) (*listAccountsOutput, error) {
	o, err := s.store.Organization(ctx)
	if err != nil {
		return nil, err
	}
	out := &listAccountsOutput{Accounts: []account{}, NextToken: next}
	for _, a := range accts {
		w, err := s.accountOut(ctx, o, a)
		if err != nil {
			return nil, err
		}
		out.Accounts = append(out.Accounts, w)
	}
	return out, nil
}

type describeAccountInput struct {
	AccountID string `json:"AccountId"`
}
type describeAccountOutput struct{ Account account }

func (s *Service) describeAccount(ctx context.Context, in *describeAccountInput) (*describeAccountOutput, error) {
	if err := protocol.Required("accountId", in.AccountID); err != nil {
		return nil, err
	}
	if !ic.ValidAccountID(in.AccountID) {
		return nil, errs.E(errs.Invalid, "AccountId %.64q must be 12 digits", in.AccountID).WithReason("INVALID_PATTERN")
	}
	o, err := s.store.Organization(ctx)
	if err != nil {
		return nil, err
	}
	a, err := s.store.Account(ctx, in.AccountID)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.NotFound, "You specified an account that doesn't exist.").WithCode("AccountNotFoundException")
	}
	if err != nil {
		return nil, err
	}
	w, err := s.accountOut(ctx, o, a)
	if err != nil {
		return nil, err
	}
	return &describeAccountOutput{Account: w}, nil
}

type listAccountsInput struct {
	NextToken  string
	MaxResults *int
}

type listAccountsOutput struct {
	Accounts  []account
	NextToken string `json:",omitempty"`
}

func (s *Service) listAccounts(ctx context.Context, in *listAccountsInput) (*listAccountsOutput, error) {
	limit, err := protocol.Limit(in.MaxResults, 20, 20)
	if err != nil {
		return nil, err
	}
	accts, next, err := s.store.ListAccounts(ctx, store.Page{Limit: limit, Token: in.NextToken})
	if err != nil {
		return nil, invalidToken(err)
	}
	return s.accountsOut(ctx, accts, next)
}

// invalidToken gives a bad NextToken Organizations' reason code, one of the
// model's InvalidInputExceptionReason values.
func invalidToken(err error) error {
	var e *errs.Error
	if errors.As(err, &e) && e.Kind == errs.Invalid {
		return e.WithReason("INVALID_NEXT_TOKEN")
	}
	return err
}
