package iamapi

import "github.com/keyward/keyward/internal/aws/gateway"

// roleStore is what roles and policies need from storage.
type roleStore interface{}

// roleActions are the role and policy operations.
func (s *Service) roleActions() map[string]gateway.QueryAction { return nil }
