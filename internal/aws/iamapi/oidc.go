package iamapi

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

func noSuchOIDC(arn string) error {
	return errs.E(errs.NotFound, "OpenIDConnect Provider not found for arn %.2048s", arn)
}

type createOIDCInput struct {
	URL            string `query:"Url"`
	ClientIDList   []string
	ThumbprintList []string
	Tags           []iam.Tag
}

type createOIDCResult struct {
	OpenIDConnectProviderArn string
	Tags                     *tagList `xml:",omitempty"`
}

func (s *Service) createOIDCProvider(ctx context.Context, in *createOIDCInput) (*createOIDCResult, error) {
	acct, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	url, err := iam.NormalizeOIDCURL(in.URL)
	if err != nil {
		return nil, err
	}
	p := iam.OIDCProvider{AccountID: acct, URL: url, ClientIDs: in.ClientIDList, Thumbprints: lowerAll(in.ThumbprintList),
		Tags: in.Tags, CreatedAt: s.clock.Now()}
	if err := validOIDC(p); err != nil {
		return nil, err
	}
	if err := s.store.CreateIAMOIDCProvider(ctx, p); errs.Is(err, errs.Conflict) {
		return nil, errs.E(errs.Conflict, "Provider with url https://%s already exists.", url)
	} else if err != nil {
		return nil, err
	}
	return &createOIDCResult{OpenIDConnectProviderArn: p.ARN(), Tags: wireTags(p.Tags)}, nil
}

func validOIDC(p iam.OIDCProvider) error {
	if err := iam.ValidClientIDs(p.ClientIDs); err != nil {
		return err
	}
	if err := iam.ValidThumbprints(p.Thumbprints); err != nil {
		return err
	}
	return iam.ValidateTags("tags", p.Tags)
}

func lowerAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strings.ToLower(v)
	}
	return out
}

type oidcARNInput struct {
	OpenIDConnectProviderArn string
	ClientID                 string
	ThumbprintList           []string
}

type getOIDCResult struct {
	URL            string    `xml:"Url"`
	ClientIDList   []string  `xml:"ClientIDList>member"`
	ThumbprintList []string  `xml:"ThumbprintList>member"`
	CreateDate     time.Time `xml:"CreateDate"`
	Tags           *tagList  `xml:",omitempty"`
}

func (s *Service) oidcProvider(ctx context.Context, arn string) (iam.OIDCProvider, error) {
	if err := providerARN(ctx, arn, "oidc-provider", noSuchOIDC); err != nil {
		return iam.OIDCProvider{}, err
	}
	p, err := s.store.IAMOIDCProvider(ctx, arn)
	if errs.Is(err, errs.NotFound) {
		return p, noSuchOIDC(arn)
	}
	return p, err
}

func (s *Service) getOIDCProvider(ctx context.Context, in *oidcARNInput) (*getOIDCResult, error) {
	p, err := s.oidcProvider(ctx, in.OpenIDConnectProviderArn)
	if err != nil {
		return nil, err
	}
	return &getOIDCResult{URL: p.URL, ClientIDList: p.ClientIDs, ThumbprintList: p.Thumbprints,
		CreateDate: wireTime(p.CreatedAt), Tags: wireTags(p.Tags)}, nil
}

type oidcEntry struct{ Arn string }

type listOIDCResult struct {
	OpenIDConnectProviderList []oidcEntry `xml:"OpenIDConnectProviderList>member"`
}

func (s *Service) listOIDCProviders(ctx context.Context, _ *noInput) (*listOIDCResult, error) {
	acct, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.store.ListIAMOIDCProviders(ctx, acct)
	if err != nil {
		return nil, err
	}
	out := &listOIDCResult{OpenIDConnectProviderList: make([]oidcEntry, len(all))}
	for i, p := range all {
		out.OpenIDConnectProviderList[i] = oidcEntry{Arn: p.ARN()}
	}
	return out, nil
}

// changeOIDC applies fn to the provider by compare-and-swap.
func (s *Service) changeOIDC(ctx context.Context, arn string, fn func(iam.OIDCProvider) (iam.OIDCProvider, error)) (*empty, error) {
	if _, err := s.oidcProvider(ctx, arn); err != nil {
		return nil, err
	}
	_, err := s.store.UpdateIAMOIDCProvider(ctx, arn, func(p iam.OIDCProvider) (iam.OIDCProvider, error) {
		p, err := fn(p)
		if err != nil {
			return p, err
		}
		return p, validOIDC(p)
	})
	if errs.Is(err, errs.NotFound) {
		return nil, noSuchOIDC(arn)
	}
	return &empty{}, err
}

// addClientID adds an audience; one already listed is left as it is.
func (s *Service) addClientID(ctx context.Context, in *oidcARNInput) (*empty, error) {
	if in.ClientID == "" || len(in.ClientID) > iam.MaxClientIDLen {
		return nil, errs.E(errs.Invalid, "ClientID must be 1 to %d characters", iam.MaxClientIDLen)
	}
	return s.changeOIDC(ctx, in.OpenIDConnectProviderArn, func(p iam.OIDCProvider) (iam.OIDCProvider, error) {
		if !slices.Contains(p.ClientIDs, in.ClientID) {
			p.ClientIDs = append(p.ClientIDs, in.ClientID)
		}
		return p, nil
	})
}

// removeClientID removes an audience; one not listed is not an error.
func (s *Service) removeClientID(ctx context.Context, in *oidcARNInput) (*empty, error) {
	if in.ClientID == "" || len(in.ClientID) > iam.MaxClientIDLen {
		return nil, errs.E(errs.Invalid, "ClientID must be 1 to %d characters", iam.MaxClientIDLen)
	}
	return s.changeOIDC(ctx, in.OpenIDConnectProviderArn, func(p iam.OIDCProvider) (iam.OIDCProvider, error) {
		p.ClientIDs = slices.DeleteFunc(p.ClientIDs, func(id string) bool { return id == in.ClientID })
		return p, nil
	})
}

func (s *Service) updateThumbprints(ctx context.Context, in *oidcARNInput) (*empty, error) {
	if len(in.ThumbprintList) == 0 {
		return nil, errs.E(errs.Invalid, "ThumbprintList must list at least one thumbprint")
	}
	prints := lowerAll(in.ThumbprintList)
	if err := iam.ValidThumbprints(prints); err != nil {
		return nil, err
	}
	return s.changeOIDC(ctx, in.OpenIDConnectProviderArn, func(p iam.OIDCProvider) (iam.OIDCProvider, error) {
		p.Thumbprints = prints
		return p, nil
	})
}

func (s *Service) deleteOIDCProvider(ctx context.Context, in *oidcARNInput) (*empty, error) {
	if _, err := s.oidcProvider(ctx, in.OpenIDConnectProviderArn); err != nil {
		return nil, err
	}
	if err := s.store.DeleteIAMOIDCProvider(ctx, in.OpenIDConnectProviderArn); errs.Is(err, errs.NotFound) {
		return nil, noSuchOIDC(in.OpenIDConnectProviderArn)
	} else if err != nil {
		return nil, err
	}
	return &empty{}, nil
}
