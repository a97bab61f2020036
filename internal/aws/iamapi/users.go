package iamapi

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// userStore is what users, groups, keys, providers and aliases need from
// storage.
type userStore interface {
	store.IAMUsers
	store.IAMProviders
	mfaAttempts
	// Account dates the root user (GetUser with no name).
	Account(ctx context.Context, id string) (ic.Account, error)
}

// Credentials mints IAM users' access keys and seals virtual MFA seeds
// (awsauth.Authority does both, with keys derived from the master key).
type Credentials interface {
	NewUserKey(accountID, userID string) (iam.AccessKey, string)
	// Forget ends a cached key at once on this replica.
	Forget(accessKeyID string)
	SealMFASeed(serial string, seed []byte) []byte
	OpenMFASeed(serial string, sealed []byte) ([]byte, error)
}

// WithCredentials gives the service what it needs for access keys and MFA
// devices; without it those operations fail as a service failure.
func (s *Service) WithCredentials(c Credentials) *Service {
	s.creds = c
	return s
}

// userActions are the user, group, access key, identity provider and
// account alias operations.
func (s *Service) userActions() map[string]gateway.QueryAction {
	return map[string]gateway.QueryAction{
		"CreateUser":                              gateway.QueryOp(s.createUser),
		"GetUser":                                 gateway.QueryOp(s.getUser),
		"ListUsers":                               gateway.QueryOp(s.listUsers),
		"UpdateUser":                              gateway.QueryOp(s.updateUser),
		"DeleteUser":                              gateway.QueryOp(s.deleteUser),
		"TagUser":                                 gateway.QueryOp(s.tagUser),
		"UntagUser":                               gateway.QueryOp(s.untagUser),
		"ListUserTags":                            gateway.QueryOp(s.listUserTags),
		"PutUserPermissionsBoundary":              gateway.QueryOp(s.putUserPermissionsBoundary),
		"DeleteUserPermissionsBoundary":           gateway.QueryOp(s.deleteUserPermissionsBoundary),
		"PutUserPolicy":                           gateway.QueryOp(s.putUserPolicy),
		"GetUserPolicy":                           gateway.QueryOp(s.getUserPolicy),
		"ListUserPolicies":                        gateway.QueryOp(s.listUserPolicies),
		"DeleteUserPolicy":                        gateway.QueryOp(s.deleteUserPolicy),
		"AttachUserPolicy":                        gateway.QueryOp(s.attachUserPolicy),
		"DetachUserPolicy":                        gateway.QueryOp(s.detachUserPolicy),
		"ListAttachedUserPolicies":                gateway.QueryOp(s.listAttachedUserPolicies),
		"CreateGroup":                             gateway.QueryOp(s.createGroup),
		"GetGroup":                                gateway.QueryOp(s.getGroup),
		"ListGroups":                              gateway.QueryOp(s.listGroups),
		"ListGroupsForUser":                       gateway.QueryOp(s.listGroupsForUser),
		"UpdateGroup":                             gateway.QueryOp(s.updateGroup),
		"DeleteGroup":                             gateway.QueryOp(s.deleteGroup),
		"AddUserToGroup":                          gateway.QueryOp(s.addUserToGroup),
		"RemoveUserFromGroup":                     gateway.QueryOp(s.removeUserFromGroup),
		"PutGroupPolicy":                          gateway.QueryOp(s.putGroupPolicy),
		"GetGroupPolicy":                          gateway.QueryOp(s.getGroupPolicy),
		"ListGroupPolicies":                       gateway.QueryOp(s.listGroupPolicies),
		"DeleteGroupPolicy":                       gateway.QueryOp(s.deleteGroupPolicy),
		"AttachGroupPolicy":                       gateway.QueryOp(s.attachGroupPolicy),
		"DetachGroupPolicy":                       gateway.QueryOp(s.detachGroupPolicy),
		"ListAttachedGroupPolicies":               gateway.QueryOp(s.listAttachedGroupPolicies),
		"CreateAccessKey":                         gateway.QueryOp(s.createAccessKey),
		"ListAccessKeys":                          gateway.QueryOp(s.listAccessKeys),
		"UpdateAccessKey":                         gateway.QueryOp(s.updateAccessKey),
		"DeleteAccessKey":                         gateway.QueryOp(s.deleteAccessKey),
		"GetAccessKeyLastUsed":                    gateway.QueryOp(s.getAccessKeyLastUsed),
		"CreateVirtualMFADevice":                  gateway.QueryOp(s.createVirtualMFADevice),
		"EnableMFADevice":                         gateway.QueryOp(s.enableMFADevice),
		"DeactivateMFADevice":                     gateway.QueryOp(s.deactivateMFADevice),
		"DeleteVirtualMFADevice":                  gateway.QueryOp(s.deleteVirtualMFADevice),
		"ListMFADevices":                          gateway.QueryOp(s.listMFADevices),
		"ListVirtualMFADevices":                   gateway.QueryOp(s.listVirtualMFADevices),
		"CreateSAMLProvider":                      gateway.QueryOp(s.createSAMLProvider),
		"GetSAMLProvider":                         gateway.QueryOp(s.getSAMLProvider),
		"ListSAMLProviders":                       gateway.QueryOp(s.listSAMLProviders),
		"UpdateSAMLProvider":                      gateway.QueryOp(s.updateSAMLProvider),
		"DeleteSAMLProvider":                      gateway.QueryOp(s.deleteSAMLProvider),
		"CreateOpenIDConnectProvider":             gateway.QueryOp(s.createOIDCProvider),
		"GetOpenIDConnectProvider":                gateway.QueryOp(s.getOIDCProvider),
		"ListOpenIDConnectProviders":              gateway.QueryOp(s.listOIDCProviders),
		"AddClientIDToOpenIDConnectProvider":      gateway.QueryOp(s.addClientID),
		"RemoveClientIDFromOpenIDConnectProvider": gateway.QueryOp(s.removeClientID),
		"UpdateOpenIDConnectProviderThumbprint":   gateway.QueryOp(s.updateThumbprints),
		"DeleteOpenIDConnectProvider":             gateway.QueryOp(s.deleteOIDCProvider),
		"CreateAccountAlias":                      gateway.QueryOp(s.createAccountAlias),
		"ListAccountAliases":                      gateway.QueryOp(s.listAccountAliases),
		"DeleteAccountAlias":                      gateway.QueryOp(s.deleteAccountAlias),
	}
}

// wireUser is IAM's User shape.
type wireUser struct {
	Path                string       `xml:",omitempty"`
	UserName            string       `xml:",omitempty"`
	UserID              string       `xml:"UserId"`
	Arn                 string       `xml:"Arn"`
	CreateDate          time.Time    `xml:"CreateDate"`
	PermissionsBoundary *boundaryXML `xml:",omitempty"`
	Tags                *tagList     `xml:",omitempty"`
}

func toWireUser(u iam.User) wireUser {
	return wireUser{Path: u.Path, UserName: u.Name, UserID: u.ID, Arn: u.ARN(), CreateDate: wireTime(u.CreatedAt),
		PermissionsBoundary: boundaryOut(u.PermissionsBoundary), Tags: wireTags(u.Tags)}
}

// tagList is a Tags member: absent, not empty, when there are none.
type tagList struct {
	Member []iam.Tag `xml:"member"`
}

func wireTags(tags []iam.Tag) *tagList {
	if len(tags) == 0 {
		return nil
	}
	return &tagList{Member: tags}
}

// wireTime is t as IAM reports it: UTC, whole seconds.
func wireTime(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// empty is the result of an operation that answers nothing but success.
type empty struct{}

// user finds the named user in the caller's account, worded as AWS words
// a missing one.
func (s *Service) user(ctx context.Context, name string) (iam.User, error) {
	acct, err := callerAccount(ctx)
	if err != nil {
		return iam.User{}, err
	}
	if err := iam.ValidateName("userName", name, 128); err != nil {
		return iam.User{}, err
	}
	u, err := s.store.IAMUser(ctx, acct, name)
	if errs.Is(err, errs.NotFound) {
		return iam.User{}, noSuchUser(name)
	}
	return u, err
}

// userOrCaller is the named user, or with no name the calling IAM user.
func (s *Service) userOrCaller(ctx context.Context, name string) (iam.User, error) {
	if name != "" {
		return s.user(ctx, name)
	}
	p, _ := awsauth.PrincipalFrom(ctx)
	if p.Type != awsauth.User {
		return iam.User{}, errs.E(errs.Invalid, "Must specify userName when calling with non-User credentials")
	}
	u, err := s.store.IAMUserByID(ctx, p.UserID)
	if errs.Is(err, errs.NotFound) {
		return iam.User{}, noSuchUser(p.ARN)
	}
	return u, err
}

func noSuchUser(name string) error {
	return errs.E(errs.NotFound, "The user with name %s cannot be found.", name)
}

// updateUser applies fn to the named user by compare-and-swap.
func (s *Service) changeUser(ctx context.Context, name string, fn func(iam.User) (iam.User, error)) (iam.User, error) {
	u, err := s.user(ctx, name)
	if err != nil {
		return iam.User{}, err
	}
	out, err := s.store.UpdateIAMUser(ctx, u.ID, fn)
	if errs.Is(err, errs.NotFound) {
		return iam.User{}, noSuchUser(name)
	}
	return out, err
}
