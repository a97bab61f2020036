package iamapi

import "github.com/keyward/keyward/internal/aws/gateway"

// userStore is what users, groups, keys, providers and aliases need from
// storage.
type userStore interface{}

// userActions are the user, group, access key, identity provider and
// account alias operations.
func (s *Service) userActions() map[string]gateway.QueryAction { return nil }
