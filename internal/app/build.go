package app

import (
	"context"
	"net/http"
	"net/netip"
	"time"

	"github.com/keyward/keyward/internal/authn/signin"
	"github.com/keyward/keyward/internal/aws/authz"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/console"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/iamapi"
	"github.com/keyward/keyward/internal/aws/identitystore"
	"github.com/keyward/keyward/internal/aws/organizations"
	"github.com/keyward/keyward/internal/aws/portal"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/aws/scimserver"
	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/aws/ssoadmin"
	"github.com/keyward/keyward/internal/aws/ssooidc"
	"github.com/keyward/keyward/internal/aws/sts"
	"github.com/keyward/keyward/internal/aws/webidentity"
	"github.com/keyward/keyward/internal/httpx"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/web"
)

// build bootstraps and assembles the HTTP handler.
func (m *Main) build(ctx context.Context, master []byte, opt Options) error {
	auth, err := awsauth.New(master, m.Store, m.clock, m.random)
	if err != nil {
		return err
	}
	b, err := m.bootstrap(ctx, auth)
	if err != nil {
		return err
	}
	if err := checkMasterKey(ctx, auth, b, m.Config.MasterKeyPath()); err != nil {
		return err
	}
	if m.Config.AWS.Enabled() {
		if err := m.buildAWS(master, auth, b, opt); err != nil {
			return err
		}
	}
	if m.Config.IdP.Enabled() {
		return m.buildIdP(ctx, master, opt)
	}
	return nil
}

// buildAWS assembles the AWS endpoint: the gateway, SSO-OIDC, the portal
// API and the pages.
func (m *Main) buildAWS(master []byte, auth *awsauth.Authority, b store.Bootstrap, opt Options) error {
	lifetime := time.Duration(m.Config.Portal.SessionLifetime)
	lim := m.Config.Limits
	policy := signin.Policy{MaxFailures: m.Config.SignIn.MaxFailures, LockoutDuration: time.Duration(m.Config.SignIn.LockoutDuration),
		SessionLifetime: lifetime, AttemptsPerAddress: lim.SignInsPerAddress, AttemptsPerUser: lim.SignInsPerUser}
	signIn, err := signin.New(m.Store, NewHasher(opt.PasswordParams, m.random), m.clock, m.random, policy)
	if err != nil {
		return err
	}
	oidc := ssooidc.New(m.Store, ssooidc.Config{VerificationURI: m.AWSURL + "/device", PublicURL: m.AWSURL, SessionLifetime: lifetime,
		Limits: ssooidc.Limits{RegistrationsPerAddress: lim.RegistrationsPerAddress, DeviceStartsPerAddress: lim.DeviceStartsPerAddress,
			DeviceStartsPerClient: lim.DeviceStartsPerClient, PendingPerClient: lim.PendingPerClient,
			CodeLookupsPerAddress: lim.CodeLookupsPerAddress, CodeLookupsPerUser: lim.CodeLookupsPerUser}}, m.clock, m.random)
	portalAPI := portal.New(m.Store, auth, m.clock)

	gw := gateway.New(&sigv4.Verifier{Lookup: auth.Lookup, Verified: auth.Verified, Clock: m.clock}, m.Store)
	// Every signed call is evaluated against the caller's policies; the
	// management account's root may do anything.
	policies := authz.New(m.Store, m.clock, b.Organization.ManagementAccountID, b.Organization.ID)
	admin := policies.Authorize
	gw.AddJSON(organizations.New(m.Store, m.clock, m.random).JSONService(admin))
	gw.AddJSON(identitystore.New(m.Store, m.clock, m.random).JSONService(admin))
	gw.AddJSON(ssoadmin.New(m.Store, m.clock, m.random).JSONService(admin))
	iamSvc := iamapi.New(m.Store, m.clock, m.random).WithCredentials(auth).WithSimulator(policies)
	messages, err := sts.NewMessages(master, m.random)
	if err != nil {
		return err
	}
	stsSvc := sts.New(m.Store, auth, m.clock, m.random, m.Config.AWS.Region).WithFederation(iamSvc.Federation()).WithMessages(messages)
	if opt.WebIdentityDial != nil {
		stsSvc.WithWebIdentity(&webidentity.Verifier{Keys: &webidentity.Fetcher{Clock: m.clock, DialContext: opt.WebIdentityDial}, Clock: m.clock})
	}
	stsSvc.WithSAML(sts.SAMLConfig{Providers: iamSvc.Federation(), Keys: m.Store, Recipients: []string{m.AWSURL + "/saml"}})
	gw.AddQuery(stsSvc.QueryService(admin))
	// IAM acts on the caller's own account.
	gw.AddQuery(iamSvc.QueryService(admin))

	sp, err := samlsp.New(m.Store, samlsp.Config{Region: m.Config.AWS.Region, PublicURL: m.AWSURL, Instance: b.Instance,
		Clock: m.clock, Random: m.random})
	if err != nil {
		return err
	}
	consoleSignIn, err := console.New(master, auth, m.Store, m.clock, m.random)
	if err != nil {
		return err
	}
	choices, err := keys.NewSealer(master, "saml role choice", m.random)
	if err != nil {
		return err
	}
	accountFed := &web.AccountFederation{SignIn: stsSvc, Aliases: m.Store, Choices: choices, Console: consoleSignIn, Clock: m.clock}
	pages := &web.Pages{Log: m.Log, SignIn: signIn, Devices: oidc, Authorizations: oidc, Credentials: portalAPI, Directory: m.Store, Federation: sp, Console: consoleSignIn,
		AccountFederation: accountFed, StartURL: m.StartURL, Region: m.Config.AWS.Region, SecureCookies: isHTTPS(m.AWSURL), SessionLifetime: lifetime}

	mux := http.NewServeMux()
	mux.Handle("POST /{$}", gw)
	oidc.Register(mux)
	portalAPI.Register(mux)
	tenant := b.Instance.IdentityStoreID
	scim := &scimserver.Server{Store: m.Store, Clock: m.clock, Random: m.random, Tenant: tenant, Issuer: scimserver.IssuerFor(m.AWSURL, tenant)}
	scim.Register(mux)
	browser := pages.Handler()
	for _, p := range []string{"/start", "/start/", "/device", ssooidc.AuthorizePath, "/static/", "/platform/saml/", "/federation", "/console", "/console/", "/saml", "/saml/"} {
		mux.Handle(p, browser)
	}
	mux.Handle("/{$}", root(gw))
	m.health(mux)
	m.HTTP = m.server(mux, protocol.WithRequestID, httpx.Framing)
	m.awsMux = mux // the HTTPS proxy mode serves it on its tunnels too
	return nil
}

// root sends a browser visiting / to the access portal and any other
// request to the gateway, which refuses a non-POST API call in its
// protocol's error shape.
func root(gw *gateway.Gateway) http.Handler {
	portal := http.RedirectHandler("/start", http.StatusFound)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && !gateway.IsAPIRequest(r) {
			portal.ServeHTTP(w, r)
			return
		}
		gw.ServeHTTP(w, r)
	})
}

// trustedProxies parses the configured CIDRs (validated by config).
func trustedProxies(cidrs []string) []netip.Prefix {
	var out []netip.Prefix
	for _, c := range cidrs {
		if p, err := netip.ParsePrefix(c); err == nil {
			out = append(out, p.Masked())
		}
	}
	return out
}

func isHTTPS(u string) bool { return len(u) > 8 && u[:8] == "https://" }
