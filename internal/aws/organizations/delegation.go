package organizations

import (
	"context"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

type delegationInput struct {
	AccountID        string `json:"AccountId"`
	ServicePrincipal string
}

func (in *delegationInput) check() error {
	if err := checkID("accountId", in.AccountID, ic.ValidAccountID, "INVALID_PATTERN", "12 digits"); err != nil {
		return err
	}
	return checkServicePrincipal(in.ServicePrincipal)
}

func checkServicePrincipal(sp string) error {
	if err := protocol.Required("servicePrincipal", sp); err != nil {
		return inputRequired(err)
	}
	return ic.ValidateServicePrincipal(sp)
}

func (s *Service) registerDelegatedAdministrator(ctx context.Context, in *delegationInput) (*struct{}, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	if in.AccountID == o.ManagementAccountID {
		return nil, constraintViolation("CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
			"You can designate only a member account as a delegated administrator; %s is the management account.", in.AccountID)
	}
	if _, err := s.store.Account(ctx, in.AccountID); err != nil {
		return nil, err
	}
	if _, err := s.store.ServiceAccess(ctx, in.ServicePrincipal); errs.Is(err, errs.NotFound) {
		return nil, constraintViolation("SERVICE_ACCESS_NOT_ENABLED",
			"You attempted to register a delegated administrator before you enabled service access. Call the EnableAWSServiceAccess API first.")
	} else if err != nil {
		return nil, err
	}
	d := ic.DelegatedAdmin{AccountID: in.AccountID, ServicePrincipal: in.ServicePrincipal, EnabledAt: s.clock.Now()}
	return done(s.store.RegisterDelegatedAdmin(ctx, d, ic.MaxDelegatedAdmins(in.ServicePrincipal)))
}

func (s *Service) deregisterDelegatedAdministrator(ctx context.Context, in *delegationInput) (*struct{}, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	if _, err := s.store.Account(ctx, in.AccountID); err != nil {
		return nil, err
	}
	return done(s.store.DeregisterDelegatedAdmin(ctx, in.AccountID, in.ServicePrincipal))
}

type listDelegatedAdminsInput struct {
	ServicePrincipal string
	pageArgs
}

type delegatedAdmin struct {
	account
	DelegationEnabledDate protocol.Time
}

type listDelegatedAdminsOutput struct {
	DelegatedAdministrators []delegatedAdmin
	NextToken               string `json:",omitempty"`
}

func (s *Service) listDelegatedAdministrators(ctx context.Context, in *listDelegatedAdminsInput) (*listDelegatedAdminsOutput, error) {
	if in.ServicePrincipal != "" {
		if err := ic.ValidateServicePrincipal(in.ServicePrincipal); err != nil {
			return nil, err
		}
	}
	limit, err := protocol.Limit(in.MaxResults, defaultPage, maxPage)
	if err != nil {
		return nil, err
	}
	ds, next, err := s.store.ListDelegatedAdmins(ctx, in.ServicePrincipal, store.Page{Limit: limit, Token: in.NextToken})
	if err != nil {
		return nil, invalidToken(err)
	}
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	out := &listDelegatedAdminsOutput{DelegatedAdministrators: []delegatedAdmin{}, NextToken: next}
	for _, d := range ds {
		a, err := s.store.Account(ctx, d.AccountID)
		if err != nil {
			return nil, err
		}
		w, err := s.accountOut(ctx, o, a)
		if err != nil {
			return nil, err
		}
		w.Paths = nil // DelegatedAdministrator has no Paths member
		out.DelegatedAdministrators = append(out.DelegatedAdministrators,
			delegatedAdmin{account: w, DelegationEnabledDate: protocol.Time(d.EnabledAt)})
	}
	return out, nil
}

type listDelegatedServicesInput struct {
	AccountID string `json:"AccountId"`
	pageArgs
}

type delegatedService struct {
	ServicePrincipal      string
	DelegationEnabledDate protocol.Time
}

type listDelegatedServicesOutput struct {
	DelegatedServices []delegatedService
	NextToken         string `json:",omitempty"`
}

func (s *Service) listDelegatedServicesForAccount(ctx context.Context, in *listDelegatedServicesInput) (*listDelegatedServicesOutput, error) {
	if err := checkID("accountId", in.AccountID, ic.ValidAccountID, "INVALID_PATTERN", "12 digits"); err != nil {
		return nil, err
	}
	limit, err := protocol.Limit(in.MaxResults, defaultPage, maxPage)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.Account(ctx, in.AccountID); err != nil {
		return nil, err
	}
	ds, next, err := s.store.ListDelegatedServices(ctx, in.AccountID, store.Page{Limit: limit, Token: in.NextToken})
	if err != nil {
		return nil, invalidToken(err)
	}
	if len(ds) == 0 && in.NextToken == "" {
		return nil, notFoundWire[store.ResourceDelegation].err(errs.NotFound)
	}
	out := &listDelegatedServicesOutput{DelegatedServices: []delegatedService{}, NextToken: next}
	for _, d := range ds {
		out.DelegatedServices = append(out.DelegatedServices,
			delegatedService{ServicePrincipal: d.ServicePrincipal, DelegationEnabledDate: protocol.Time(d.EnabledAt)})
	}
	return out, nil
}

type servicePrincipalInput struct{ ServicePrincipal string }

func (s *Service) enableAWSServiceAccess(ctx context.Context, in *servicePrincipalInput) (*struct{}, error) {
	if err := checkServicePrincipal(in.ServicePrincipal); err != nil {
		return nil, err
	}
	return done(s.store.EnableServiceAccess(ctx, ic.ServiceAccess{ServicePrincipal: in.ServicePrincipal, EnabledAt: s.clock.Now()}))
}

func (s *Service) disableAWSServiceAccess(ctx context.Context, in *servicePrincipalInput) (*struct{}, error) {
	if err := checkServicePrincipal(in.ServicePrincipal); err != nil {
		return nil, err
	}
	return done(s.store.DisableServiceAccess(ctx, in.ServicePrincipal))
}

type enabledServicePrincipal struct {
	ServicePrincipal string
	DateEnabled      protocol.Time
}

type listServiceAccessOutput struct {
	EnabledServicePrincipals []enabledServicePrincipal
	NextToken                string `json:",omitempty"`
}

func (s *Service) listAWSServiceAccessForOrganization(ctx context.Context, in *pageArgs) (*listServiceAccessOutput, error) {
	limit, err := protocol.Limit(in.MaxResults, defaultPage, maxPage)
	if err != nil {
		return nil, err
	}
	as, next, err := s.store.ListServiceAccess(ctx, store.Page{Limit: limit, Token: in.NextToken})
	if err != nil {
		return nil, invalidToken(err)
	}
	out := &listServiceAccessOutput{EnabledServicePrincipals: []enabledServicePrincipal{}, NextToken: next}
	for _, a := range as {
		out.EnabledServicePrincipals = append(out.EnabledServicePrincipals,
			enabledServicePrincipal{ServicePrincipal: a.ServicePrincipal, DateEnabled: protocol.Time(a.EnabledAt)})
	}
	return out, nil
}
