package iamapi

import (
	"context"
	"regexp"
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

var accessKeyIDRe = regexp.MustCompile(`^\w{16,128}$`)

func noSuchKey(id string) error {
	return errs.E(errs.NotFound, "The Access Key with id %.128s cannot be found.", id)
}

// credentials is the minter, or a service failure when none was given.
func (s *Service) credentials() (Credentials, error) {
	if s.creds == nil {
		return nil, errs.E(errs.Internal, "iamapi: no Credentials (see WithCredentials)")
	}
	return s.creds, nil
}

type userNameOptional struct{ UserName string }

type wireAccessKey struct {
	UserName        string
	AccessKeyID     string `xml:"AccessKeyId"`
	Status          string
	SecretAccessKey string
	CreateDate      time.Time
}

type createAccessKeyResult struct{ AccessKey wireAccessKey }

// createAccessKey hands out the secret once; only its sealed form is kept.
func (s *Service) createAccessKey(ctx context.Context, in *userNameOptional) (*createAccessKeyResult, error) {
	creds, err := s.credentials()
	if err != nil {
		return nil, err
	}
	u, err := s.userOrCaller(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	k, secret := creds.NewUserKey(u.AccountID, u.ID)
	switch err := s.store.CreateIAMAccessKey(ctx, k); {
	case errs.Is(err, errs.Conflict):
		return nil, errs.E(errs.Conflict, "Cannot exceed quota for AccessKeysPerUser: %d", iam.MaxAccessKeysPerUser).WithCode("LimitExceeded")
	case errs.Is(err, errs.NotFound):
		return nil, noSuchUser(u.Name)
	case err != nil:
		return nil, err
	}
	return &createAccessKeyResult{AccessKey: wireAccessKey{UserName: u.Name, AccessKeyID: k.ID, Status: k.Status,
		SecretAccessKey: secret, CreateDate: wireTime(k.CreatedAt)}}, nil
}

type listAccessKeysInput struct {
	UserName string
	Marker   string
	MaxItems *int
}

type accessKeyMetadata struct {
	UserName    string
	AccessKeyID string `xml:"AccessKeyId"`
	Status      string
	CreateDate  time.Time
}

type listAccessKeysResult struct {
	AccessKeyMetadata []accessKeyMetadata `xml:"AccessKeyMetadata>member"`
	truncation
}

// listAccessKeys pages a user's keys (two at most) by MaxItems.
func (s *Service) listAccessKeys(ctx context.Context, in *listAccessKeysInput) (*listAccessKeysResult, error) {
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	if in.UserName == "" {
		if rootCaller(ctx) {
			return &listAccessKeysResult{AccessKeyMetadata: []accessKeyMetadata{}}, nil // root keys are not listed here
		}
	}
	u, err := s.userOrCaller(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	all, err := s.store.ListIAMAccessKeys(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	keys, next, err := pageSlice(all, p)
	if err != nil {
		return nil, err
	}
	out := &listAccessKeysResult{AccessKeyMetadata: make([]accessKeyMetadata, len(keys)), truncation: truncated(next)}
	for i, k := range keys {
		out.AccessKeyMetadata[i] = accessKeyMetadata{UserName: u.Name, AccessKeyID: k.ID, Status: k.Status, CreateDate: wireTime(k.CreatedAt)}
	}
	return out, nil
}

type updateAccessKeyInput struct {
	UserName    string
	AccessKeyID string `query:"AccessKeyId"`
	Status      string
}

func (s *Service) updateAccessKey(ctx context.Context, in *updateAccessKeyInput) (*empty, error) {
	if in.Status != iam.KeyActive && in.Status != iam.KeyInactive {
		return nil, errs.E(errs.Invalid, "1 validation error detected: Value '%.32s' at 'status' failed to satisfy constraint: "+
			"Member must satisfy enum value set: [Active, Inactive]", in.Status)
	}
	u, err := s.keyOwner(ctx, in.UserName, in.AccessKeyID)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetIAMAccessKeyStatus(ctx, u.ID, in.AccessKeyID, in.Status); err != nil {
		return nil, wordKeyErr(err, in.AccessKeyID)
	}
	s.forget(in.AccessKeyID)
	return &empty{}, nil
}

// forget ends a changed key at once on this replica.
func (s *Service) forget(id string) {
	if s.creds != nil {
		s.creds.Forget(id)
	}
}

func wordKeyErr(err error, id string) error {
	if errs.Is(err, errs.NotFound) {
		return noSuchKey(id)
	}
	return err
}

// keyOwner is the named user (or the caller) after checking the key id.
func (s *Service) keyOwner(ctx context.Context, userName, id string) (iam.User, error) {
	if !accessKeyIDRe.MatchString(id) {
		return iam.User{}, errs.E(errs.Invalid, "1 validation error detected: Value '%.128s' at 'accessKeyId' failed to satisfy constraint: "+
			"Member must satisfy regular expression pattern: [\\w]+ and have length between 16 and 128", id)
	}
	return s.userOrCaller(ctx, userName)
}

type accessKeyInput struct {
	UserName    string
	AccessKeyID string `query:"AccessKeyId"`
}

func (s *Service) deleteAccessKey(ctx context.Context, in *accessKeyInput) (*empty, error) {
	u, err := s.keyOwner(ctx, in.UserName, in.AccessKeyID)
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteIAMAccessKey(ctx, u.ID, in.AccessKeyID); err != nil {
		return nil, wordKeyErr(err, in.AccessKeyID)
	}
	s.forget(in.AccessKeyID)
	return &empty{}, nil
}

type lastUsedResult struct {
	UserName          string
	AccessKeyLastUsed wireLastUsed
}

type wireLastUsed struct {
	LastUsedDate *time.Time `xml:",omitempty"`
	ServiceName  string
	Region       string
}

// getAccessKeyLastUsed reports "N/A" for a key never used, as AWS does.
func (s *Service) getAccessKeyLastUsed(ctx context.Context, in *accessKeyInput) (*lastUsedResult, error) {
	acct, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	if !accessKeyIDRe.MatchString(in.AccessKeyID) {
		return nil, noSuchKey(in.AccessKeyID)
	}
	k, u, err := s.store.IAMAccessKey(ctx, in.AccessKeyID)
	if errs.Is(err, errs.NotFound) || (err == nil && k.AccountID != acct) {
		return nil, noSuchKey(in.AccessKeyID)
	}
	if err != nil {
		return nil, err
	}
	out := &lastUsedResult{UserName: u.Name, AccessKeyLastUsed: wireLastUsed{ServiceName: "N/A", Region: "N/A"}}
	if use := k.LastUsed; !use.At.IsZero() {
		at := wireTime(use.At)
		out.AccessKeyLastUsed = wireLastUsed{LastUsedDate: &at, ServiceName: use.Service, Region: use.Region}
	}
	return out, nil
}
