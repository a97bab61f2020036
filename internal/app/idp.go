package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/httpx"
	"github.com/keyward/keyward/internal/idp/awsroles"
	"github.com/keyward/keyward/internal/idp/oidc"
	"github.com/keyward/keyward/internal/idp/oktaapi"
	"github.com/keyward/keyward/internal/idp/samlidp"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/web/orgpages"
)

// IdPProfile is the section of the bootstrap credentials file holding the
// identity provider's org URL and the super administrator's API token.
const IdPProfile = "keyward-idp"

// idpBackend is a store that also serves the identity provider.
type idpBackend interface {
	IdP() store.IdP
}

// buildIdP builds the identity provider's org URL: the management API
// for now; sign-in pages join it.
func (m *Main) buildIdP(ctx context.Context, master []byte, opt Options) error {
	b, ok := m.Store.(idpBackend)
	if !ok {
		return errors.New("this store cannot serve the identity provider")
	}
	m.IdP = b.IdP()
	if err := m.bootstrapIdP(ctx); err != nil {
		return err
	}
	hasher := NewHasher(opt.PasswordParams, m.random)
	samlKeys, err := keys.NewSigningKeys(master, keys.SigningKeysConfig{Store: m.IdP, Clock: m.clock, Random: m.random,
		Use: directory.KeyUseSAML, Overlap: SAMLKeyOverlap, Subject: m.OrgURL})
	if err != nil {
		return err
	}
	signIn, err := orgsignin.New(orgsignin.Config{Store: m.IdP, Hasher: hasher, Clock: m.clock, Random: m.random,
		Master: master, Issuer: issuer(m.OrgURL), OrgURL: m.OrgURL, Limits: m.signInLimits()})
	if err != nil {
		return err
	}
	oidcKeys, err := keys.NewSigningKeys(master, keys.SigningKeysConfig{Store: m.IdP, Clock: m.clock, Random: m.random,
		Use: directory.KeyUseOIDC, Overlap: OIDCKeyOverlap, Subject: m.OrgURL})
	if err != nil {
		return err
	}
	provider, err := m.oidcProvider(master, signIn, oidcKeys)
	if err != nil {
		return err
	}
	awsRoles, err := awsroles.New(master, m.random, m.IdP, nil)
	if err != nil {
		return err
	}
	api := oktaapi.New(oktaapi.Config{Store: m.IdP, Clock: m.clock, Random: m.random, Log: m.Log,
		Hasher: hasher, OrgURL: m.OrgURL, SigningKeyID: activeKeyID(samlKeys), AWSRoles: awsRoles, AccessTokens: provider,
		AuthServerKeys: oidcKeys})
	saml, err := samlidp.New(samlidp.Config{OrgURL: m.OrgURL, Master: master, Apps: m.IdP, Directory: m.IdP, SignIn: signIn,
		Keys: samlKeys, WebSSO: provider, Clock: m.clock, Random: m.random, SecureCookies: isHTTPS(m.OrgURL), Log: m.Log})
	if err != nil {
		return err
	}
	if m.Provisioning, err = m.provisioning(master); err != nil {
		return err
	}
	pages := &orgpages.Pages{SignIn: signIn, Directory: m.IdP, Devices: provider, SecureCookies: isHTTPS(m.OrgURL), Log: m.Log}
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", pokeAfterWrites(api, m.Provisioning.Poke))
	saml.Routes(mux)     // outside the pages' cross-origin protection: service providers post AuthnRequests here
	provider.Routes(mux) // and relying parties call these
	m.health(mux)
	mux.Handle("/", pages.Handler())
	m.IdPHTTP = m.server(mux, func(h http.Handler) http.Handler { return httpx.WithRequestID(httpx.OrgRequestIDHeader, h) },
		httpx.FramingServingChunked)
	return nil
}

// oidcProvider is the OpenID Connect provider, signing with the OIDC keys
// (the management API rotates the same keys, so this replica sees its own
// rotation at once).
func (m *Main) oidcProvider(master []byte, signIn *orgsignin.Service, signing *keys.SigningKeys) (*oidc.Provider, error) {
	l := m.Config.Limits
	return oidc.New(oidc.Config{OrgURL: m.OrgURL, Master: master, Apps: m.IdP, Directory: m.IdP, Store: m.IdP,
		SignIn: signIn, Keys: signing, Clock: m.clock, Random: m.random, SecureCookies: isHTTPS(m.OrgURL), Log: m.Log,
		Limits: oidc.Limits{DeviceStartsPerClient: l.DeviceStartsPerClient, PendingPerClient: l.PendingPerClient,
			CodeLookupsPerAddress: l.CodeLookupsPerAddress, CodeLookupsPerUser: l.CodeLookupsPerUser}})
}

// OIDCKeyOverlap is how long a rotated OIDC key is published before it
// signs (and after it stopped): relying parties cache a JWKS for hours.
const OIDCKeyOverlap = 24 * time.Hour

// SAMLKeyOverlap is how long a rotated SAML key is published before it
// signs (and after it stopped): time for service providers to fetch the
// metadata again.
const SAMLKeyOverlap = 7 * 24 * time.Hour

// activeKeyID names the key apps' assertions are signed with now, for the
// management API's credentials.signing.kid.
func activeKeyID(k *keys.SigningKeys) func(directory.App) string {
	return func(directory.App) string {
		s, err := k.Active(context.Background())
		if err != nil {
			return ""
		}
		return s.Key.ID
	}
}

// signInLimits are the org sign-in's limits from the configuration.
func (m *Main) signInLimits() orgsignin.Limits {
	l := orgsignin.DefaultLimits
	l.MaxFailures, l.LockoutDuration = m.Config.SignIn.MaxFailures, time.Duration(m.Config.SignIn.LockoutDuration)
	l.AttemptsPerAddress, l.AttemptsPerUser = m.Config.Limits.SignInsPerAddress, m.Config.Limits.SignInsPerUser
	return l
}

// issuer is the name authenticator apps show for the org: its host.
func issuer(orgURL string) string {
	u, err := url.Parse(orgURL)
	if err != nil || u.Hostname() == "" {
		return "keyward"
	}
	return "keyward " + u.Hostname()
}

// server wraps a mux as every listener is: framing checks (the AWS side's
// refuse chunked bodies, the org URL's serve them on a closing
// connection), the client's real address, a request id (each side's own,
// from withID) and metrics.
func (m *Main) server(mux *http.ServeMux, withID, framing func(http.Handler) http.Handler) *http.Server {
	return &http.Server{
		Handler:           framing(httpx.RealIP(trustedProxies(m.Config.AWS.TrustedProxies), withID(m.observe(mux)))), // observe must see the request the mux routes
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// bootstrapIdP creates the super administrator and an API token for them
// on the identity provider's first start, and adds the token to the
// bootstrap credentials file (0600) before the store commits, as the AWS
// side's bootstrap does; on a later start nothing is written, but the file
// a first start crashed before moving into place is moved.
func (m *Main) bootstrapIdP(ctx context.Context) error {
	final := filepath.Join(m.Config.DataDir, BootstrapCredentialsFile)
	tmp := final + ".idp"
	if n, err := m.IdP.CountRoles(ctx, directory.SuperAdmin); err == nil && n > 0 { // a later start
		if line := m.storedToken(ctx, tmp); line != "" {
			m.placeLeftover(tmp, final, line)
		}
		return nil
	}
	now := m.clock.Now()
	secret := "00" + clock.Token(m.random, 30)
	admin := directory.User{ID: directory.NewUserID(m.random), Status: directory.Active, Created: now,
		Activated: now, StatusChanged: now, Profile: directory.Profile{
			"login": m.Config.IdP.AdminLogin, "email": m.Config.IdP.AdminLogin,
			"firstName": "keyward", "lastName": "Administrator"}}
	b := store.IdPBootstrap{Admin: admin,
		Role:      directory.Role{UserID: admin.ID, Type: directory.SuperAdmin, Created: now, LastUpdated: now},
		Token:     directory.APIToken{Name: "bootstrap", UserID: admin.ID, ClientName: "keyward", Created: now},
		TokenHash: keys.HashSecret(secret), AuthServer: oktaapi.DefaultServer(m.random, now)}
	old, err := os.ReadFile(final)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read bootstrap credentials: %w", err)
	}
	content := fmt.Sprintf("%s\n[%s]\nokta_org_url = %s\nokta_api_token = %s\n", old, IdPProfile, m.OrgURL, secret)
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		return fmt.Errorf("write bootstrap credentials: %w", err)
	}
	created, err := m.IdP.BootstrapIdP(ctx, b)
	if err != nil || !created {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("write bootstrap credentials: %w", err)
	}
	m.Log.Info("bootstrapped the identity provider; the super administrator's API token is in the credentials file",
		"admin", m.Config.IdP.AdminLogin, "credentials_file", final, "profile", IdPProfile)
	return nil
}

// storedToken is the okta_api_token line of the credentials file at path
// when the store holds that token, else "".
func (m *Main) storedToken(ctx context.Context, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	_, token, _ := strings.Cut(string(b), "\nokta_api_token = ")
	token, _, _ = strings.Cut(token, "\n")
	if token == "" {
		return ""
	}
	if _, err := m.IdP.APITokenByHash(ctx, keys.HashSecret(token)); err != nil {
		return ""
	}
	return "okta_api_token = " + token + "\n"
}
