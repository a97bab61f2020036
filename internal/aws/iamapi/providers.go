package iamapi

import (
	"context"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// providerARN checks that arn names a provider of kind ("saml-provider" or
// "oidc-provider") in the caller's account; anything else is not found.
func providerARN(ctx context.Context, arn, kind string, notFound func(string) error) error {
	acct, err := callerAccount(ctx)
	if err != nil {
		return err
	}
	if len(arn) < 20 || len(arn) > 2048 {
		return errs.E(errs.Invalid, "ARN %.2048s is not valid: it must be 20 to 2048 characters", arn)
	}
	if !strings.HasPrefix(arn, "arn:"+iam.Partition+":iam::"+acct+":"+kind+"/") {
		return notFound(arn)
	}
	return nil
}

func noSuchSAML(arn string) error {
	return errs.E(errs.NotFound, "SAMLProvider not found for arn %.2048s", arn)
}

type createSAMLInput struct {
	Name                 string
	SAMLMetadataDocument string
	Tags                 []iam.Tag
}

type createSAMLResult struct {
	SAMLProviderArn string
	Tags            *tagList `xml:",omitempty"`
}

func (s *Service) createSAMLProvider(ctx context.Context, in *createSAMLInput) (*createSAMLResult, error) {
	acct, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	if err := iam.ValidSAMLProviderName(in.Name); err != nil {
		return nil, err
	}
	if err := iam.ValidateTags("tags", in.Tags); err != nil {
		return nil, err
	}
	md, err := parseSAMLMetadata(in.SAMLMetadataDocument)
	if err != nil {
		return nil, err
	}
	p := iam.SAMLProvider{AccountID: acct, Name: in.Name, Metadata: in.SAMLMetadataDocument, EntityID: md.EntityID,
		Certificates: md.Certificates, ValidUntil: md.ValidUntil, CreatedAt: s.clock.Now(), Tags: in.Tags}
	if err := s.store.CreateIAMSAMLProvider(ctx, p); errs.Is(err, errs.Conflict) {
		return nil, errs.E(errs.Conflict, "SAMLProvider %s already exists.", in.Name)
	} else if err != nil {
		return nil, err
	}
	return &createSAMLResult{SAMLProviderArn: p.ARN(), Tags: wireTags(p.Tags)}, nil
}

type samlARNInput struct {
	SAMLProviderArn      string
	SAMLMetadataDocument string
}

type getSAMLResult struct {
	SAMLMetadataDocument string
	CreateDate           time.Time
	ValidUntil           *time.Time `xml:",omitempty"`
	Tags                 *tagList   `xml:",omitempty"`
}

func (s *Service) samlProvider(ctx context.Context, arn string) (iam.SAMLProvider, error) {
	if err := providerARN(ctx, arn, "saml-provider", noSuchSAML); err != nil {
		return iam.SAMLProvider{}, err
	}
	p, err := s.store.IAMSAMLProvider(ctx, arn)
	if errs.Is(err, errs.NotFound) {
		return p, noSuchSAML(arn)
	}
	return p, err
}

func (s *Service) getSAMLProvider(ctx context.Context, in *samlARNInput) (*getSAMLResult, error) {
	p, err := s.samlProvider(ctx, in.SAMLProviderArn)
	if err != nil {
		return nil, err
	}
	return &getSAMLResult{SAMLMetadataDocument: p.Metadata, CreateDate: wireTime(p.CreatedAt),
		ValidUntil: optionalTime(p.ValidUntil), Tags: wireTags(p.Tags)}, nil
}

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	w := wireTime(t)
	return &w
}

type samlEntry struct {
	Arn        string
	ValidUntil *time.Time `xml:",omitempty"`
	CreateDate time.Time
}

type listSAMLResult struct {
	SAMLProviderList []samlEntry `xml:"SAMLProviderList>member"`
}

type noInput struct{}

func (s *Service) listSAMLProviders(ctx context.Context, _ *noInput) (*listSAMLResult, error) {
	acct, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.store.ListIAMSAMLProviders(ctx, acct)
	if err != nil {
		return nil, err
	}
	out := &listSAMLResult{SAMLProviderList: make([]samlEntry, len(all))}
	for i, p := range all {
		out.SAMLProviderList[i] = samlEntry{Arn: p.ARN(), ValidUntil: optionalTime(p.ValidUntil), CreateDate: wireTime(p.CreatedAt)}
	}
	return out, nil
}

type updateSAMLResult struct{ SAMLProviderArn string }

func (s *Service) updateSAMLProvider(ctx context.Context, in *samlARNInput) (*updateSAMLResult, error) {
	if _, err := s.samlProvider(ctx, in.SAMLProviderArn); err != nil {
		return nil, err
	}
	md, err := parseSAMLMetadata(in.SAMLMetadataDocument)
	if err != nil {
		return nil, err
	}
	_, err = s.store.UpdateIAMSAMLProvider(ctx, in.SAMLProviderArn, func(p iam.SAMLProvider) (iam.SAMLProvider, error) {
		p.Metadata, p.EntityID, p.Certificates, p.ValidUntil = in.SAMLMetadataDocument, md.EntityID, md.Certificates, md.ValidUntil
		return p, nil
	})
	if errs.Is(err, errs.NotFound) {
		return nil, noSuchSAML(in.SAMLProviderArn)
	}
	return &updateSAMLResult{SAMLProviderArn: in.SAMLProviderArn}, err
}

func (s *Service) deleteSAMLProvider(ctx context.Context, in *samlARNInput) (*empty, error) {
	if _, err := s.samlProvider(ctx, in.SAMLProviderArn); err != nil {
		return nil, err
	}
	if err := s.store.DeleteIAMSAMLProvider(ctx, in.SAMLProviderArn); errs.Is(err, errs.NotFound) {
		return nil, noSuchSAML(in.SAMLProviderArn)
	} else if err != nil {
		return nil, err
	}
	return &empty{}, nil
}
