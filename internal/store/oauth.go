package store

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
)

// What the identity provider's OAuth store errors are about.
const (
	ResourceAuthServer   = "authorization server"
	ResourceOAuthCode    = "authorization code"
	ResourceOAuthDevice  = "device authorization"
	ResourceOAuthToken   = "token"
	ResourceClientSecret = "client secret"
)

// FieldClientSecrets is what a client-secret conflict is about when the
// client already holds directory.MaxClientSecrets.
const FieldClientSecrets = "secrets"

// ClientSecrets are OIDC clients' secrets, stored by hash, oldest first.
// A client (an app) that does not exist is errs.NotFound (ResourceApp); a
// secret that is not the client's is errs.NotFound (ResourceClientSecret).
// Events name the app (target type AppInstance) by its label, as Okta's
// app.oauth2.credentials.lifecycle.* do. CreateApp and UpdateApp replace
// a client's secrets with the one its SecretHash names, in their own
// transaction and with their own event.
type ClientSecrets interface {
	// CreateClientSecret adds s (ClientID, Hash, Status ACTIVE or
	// INACTIVE; the store draws the id and sets the times). A client
	// holding directory.MaxClientSecrets already is errs.Conflict
	// (FieldClientSecrets). Event: "app.oauth2.credentials.lifecycle.create".
	CreateClientSecret(ctx context.Context, s directory.ClientSecret) (directory.ClientSecret, error)
	ClientSecret(ctx context.Context, clientID, id string) (directory.ClientSecret, error)
	// ClientSecrets lists the client's secrets, oldest first.
	ClientSecrets(ctx context.Context, clientID string) ([]directory.ClientSecret, error)
	// SetClientSecretStatus activates or deactivates a secret; the status
	// it has already writes nothing. Deactivating the client's last ACTIVE
	// secret is errs.Conflict (FieldStatus). Event:
	// "app.oauth2.credentials.lifecycle.activate" or ".deactivate".
	SetClientSecretStatus(ctx context.Context, clientID, id string, status directory.AppStatus) (directory.ClientSecret, error)
	// DeleteClientSecret removes an INACTIVE secret; an ACTIVE one is
	// errs.Conflict (FieldStatus). Event: "app.oauth2.credentials.lifecycle.delete".
	DeleteClientSecret(ctx context.Context, clientID, id string) error
}

// AuthServers are the identity provider's custom authorization servers
// (the org authorization server is not stored: it has no settings). Events
// name the server (target type AuthorizationServer) by its name.
type AuthServers interface {
	// CreateAuthServer stores s as given (the caller draws the id; a taken
	// id or name is errs.Conflict). Event:
	// "oauth2.as.created".
	CreateAuthServer(ctx context.Context, s directory.AuthServer) (directory.AuthServer, error)
	AuthServer(ctx context.Context, id string) (directory.AuthServer, error)
	// ListAuthServers lists every server by name.
	ListAuthServers(ctx context.Context) ([]directory.AuthServer, error)
	// UpdateAuthServer is compare-and-swap over the whole server, its
	// scopes, claims and policies included; eventType is what it writes
	// ("oauth2.as.updated", ".activated", ".deactivated",
	// "oauth2.scope.created", "oauth2.claim.updated", "oauth2.policy.rule.created", ...).
	UpdateAuthServer(ctx context.Context, id, eventType string, fn func(directory.AuthServer) (directory.AuthServer, error)) (directory.AuthServer, error)
	// DeleteAuthServer removes an INACTIVE server and every code, device
	// authorization and token it issued; an active one is errs.Conflict
	// (FieldStatus). Event: "oauth2.as.deleted".
	DeleteAuthServer(ctx context.Context, id string) error
}

// OAuthGrants are the identity provider's authorization codes, device
// authorizations and tokens, all stored by hash. Codes and device
// authorizations are not tokens and write no event when issued; a token's
// event is the OpenID Connect provider's (it knows the grant), passed in
// and written in the token's own transaction. The changes a person or an
// administrator causes write their own events.
type OAuthGrants interface {
	// CreateOAuthCode stores an authorization code.
	CreateOAuthCode(ctx context.Context, c directory.OAuthCode) error
	// RedeemOAuthCode spends the code and returns it. A code never issued
	// or expired is errs.NotFound; one already redeemed is errs.NotFound
	// too, and revokes every token of its family (RFC 6749 §4.1.2).
	RedeemOAuthCode(ctx context.Context, codeHash string) (directory.OAuthCode, error)

	// CreateOAuthDevice stores a device authorization; a user code already
	// in use is errs.Conflict (the caller draws another).
	CreateOAuthDevice(ctx context.Context, d directory.OAuthDevice) error
	OAuthDevice(ctx context.Context, codeHash string) (directory.OAuthDevice, error)
	OAuthDeviceByUserCode(ctx context.Context, userCode string) (directory.OAuthDevice, error)
	// UpdateOAuthDevice is compare-and-swap. Event "oauth2.device.approve"
	// or "oauth2.device.deny" when the status moves there (the person is
	// the actor); other changes write none.
	UpdateOAuthDevice(ctx context.Context, codeHash string, fn func(directory.OAuthDevice) (directory.OAuthDevice, error)) (directory.OAuthDevice, error)

	// CreateOAuthToken stores an issued token and, in the same
	// transaction, e: the grant's event (an event without an action is
	// errs.Invalid). A refused token writes neither.
	CreateOAuthToken(ctx context.Context, t directory.OAuthToken, e audit.Event) error
	// OAuthTokenByAccess returns the token whose access token hashes to
	// accessHash; a revoked or rotated-away one whose access token has
	// expired is errs.NotFound.
	OAuthTokenByAccess(ctx context.Context, accessHash string) (directory.OAuthToken, error)
	// OAuthTokenByRefresh returns the token holding refreshHash.
	OAuthTokenByRefresh(ctx context.Context, refreshHash string) (directory.OAuthToken, error)
	// RotateOAuthToken finds the token holding refreshHash and, in one
	// transaction, stores the token fn returns in its place and writes the
	// event fn returns, the grant's (fn keeps FamilyID and may refuse with
	// an error, which aborts with nothing written).
	// The old refresh token is spent; its access token stays valid until
	// it expires. If no token holds refreshHash it returns errs.NotFound
	// and, when refreshHash was spent before (a replay), revokes every
	// token of its family.
	RotateOAuthToken(ctx context.Context, refreshHash string, fn func(old directory.OAuthToken) (directory.OAuthToken, audit.Event, error)) (directory.OAuthToken, error)
	// RevokeOAuthFamily deletes every token of the family whose access or
	// refresh token hashes to hash, and reports whether there was one.
	// Event "oauth2.token.revoke" when there was.
	RevokeOAuthFamily(ctx context.Context, hash string) (bool, error)
	// RevokeUserOAuthTokens deletes every token issued to the user (for
	// every client and server) and reports how many families went.
	// Event "oauth2.token.revoke_all" when any did.
	RevokeUserOAuthTokens(ctx context.Context, userID string) (int, error)
}
