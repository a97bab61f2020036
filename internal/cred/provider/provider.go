// Package provider turns a profile name into short-lived credentials: it
// reads the profile from the shared config, picks its source, and keeps
// what the source hands out until shortly before it expires.
//
// It owns: which profile keys mean which source — keyward's own
// keyward_sso_session / keyward_account_id / keyward_role_name and the AWS
// CLI's sso_session / sso_account_id / sso_role_name (so every SSO profile
// the AWS CLI understands works here too), keyward_okta_session /
// keyward_role_arn (/ keyward_principal_arn / keyward_app_id) with its
// [keyward-okta NAME] section, role_arn + source_profile chains, and
// otherwise IAM user keys kept in the vault — and the credential cache
// with one fetch however many processes ask at once.
//
// It does not own: the sources' protocols (cred/sso and friends), where
// secrets are kept (the Keeper), or parsing the files (cred/awsconfig).
package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/cred/iamkeys"
	"github.com/keyward/keyward/internal/cred/okta"
	"github.com/keyward/keyward/internal/cred/output"
	"github.com/keyward/keyward/internal/cred/sso"
)

// Profiles reads the shared config file.
type Profiles interface {
	// Profile returns a profile's keys ("default" is [default]).
	Profile(name string) (map[string]string, bool)
	// SSOSession returns an [sso-session NAME] section's keys.
	SSOSession(name string) (map[string]string, bool)
	// Section returns the keys of the section [KIND NAME], such as
	// [keyward-okta corp] (the AWS CLI and SDKs skip sections they do not
	// know).
	Section(kind, name string) (map[string]string, bool)
}

// Keeper is where secrets are kept; sso.Keeper is the contract.
type Keeper = sso.Keeper

// refreshBefore is how long before expiry cached credentials are
// replaced: the AWS SDKs refresh credential_process credentials 15
// minutes before they expire, so handing out less would be asked again at
// once.
const refreshBefore = 15 * time.Minute

// Resolver resolves profiles.
type Resolver struct {
	Profiles Profiles
	Keep     Keeper
	// AWSCacheDir is the AWS CLI's SSO cache directory ("" leaves it alone).
	AWSCacheDir string
	// MFA asks for an MFA code; nil means there is no one to ask.
	MFA iamkeys.MFA
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

func (r *Resolver) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Credentials returns credentials for profile, from the cache while they
// have more than 15 minutes left.
func (r *Resolver) Credentials(ctx context.Context, profile string) (output.Credentials, error) {
	if err := r.checkChain(profile); err != nil {
		return output.Credentials{}, err
	}
	return r.credentials(ctx, profile, 0)
}

// Forget drops profile's cached credentials: the next Credentials fetches
// anew from the source (and so learns of a lost role at once).
func (r *Resolver) Forget(ctx context.Context, profile string) error {
	return r.Keep.Delete(ctx, credsKey(profile))
}

// SignIn names the sign-in profile's credentials are made with, following
// source_profile: "sso-session NAME" or "keyward-okta NAME"; "" for IAM
// user keys, a missing profile or a chain too long.
func (r *Resolver) SignIn(profile string) string {
	for range maxChain + 1 {
		p, ok := r.Profiles.Profile(profile)
		switch {
		case !ok:
			return ""
		case p["role_arn"] != "" && p["source_profile"] != "":
			profile = p["source_profile"]
		case p["keyward_okta_session"] != "":
			return "keyward-okta " + p["keyward_okta_session"]
		case ssoSession(p) != "":
			return "sso-session " + ssoSession(p)
		default:
			return ""
		}
	}
	return ""
}

// credsKey is the Keeper key of profile's cached credentials.
func credsKey(profile string) string { return "creds/" + profile }

// checkChain refuses a source_profile loop before any lock is taken: a
// loop would wait on a lock its own process holds.
func (r *Resolver) checkChain(profile string) error {
	seen := map[string]bool{}
	for p := profile; p != ""; {
		if seen[p] {
			return fmt.Errorf("profile %q: source_profile leads back to %q", profile, p)
		}
		seen[p] = true
		keys, _ := r.Profiles.Profile(p)
		if keys["role_arn"] == "" {
			return nil
		}
		p = keys["source_profile"]
	}
	return nil
}

// maxChain bounds source_profile chains (and catches loops).
const maxChain = 8

func (r *Resolver) credentials(ctx context.Context, profile string, depth int) (output.Credentials, error) {
	if depth > maxChain {
		return output.Credentials{}, fmt.Errorf("profile %q: source_profile goes more than %d deep (a loop?)", profile, maxChain)
	}
	p, ok := r.Profiles.Profile(profile)
	if !ok {
		return output.Credentials{}, fmt.Errorf("there is no profile %q in the AWS config file: list them with "+
			"`keyward profiles list`, or create them with `keyward profiles sync`", profile)
	}
	fetch, err := r.fetcher(ctx, profile, p, depth)
	if err != nil {
		return output.Credentials{}, err
	}
	from := r.madeFrom(profile)
	fresh := func(b []byte) bool {
		var c cached
		return json.Unmarshal(b, &c) == nil && c.From == from && c.Expiration.After(r.now().Add(refreshBefore))
	}
	b, err := r.Keep.Refresh(ctx, credsKey(profile), fresh, func(ctx context.Context) ([]byte, error) {
		c, err := fetch(ctx)
		if err != nil {
			return nil, err
		}
		return json.Marshal(cached{Credentials: c, From: from})
	})
	if err != nil {
		return output.Credentials{}, err
	}
	var c cached
	if err := json.Unmarshal(b, &c); err != nil {
		return output.Credentials{}, fmt.Errorf("cached credentials for %s are unreadable: %w", profile, err)
	}
	c.Region = p["region"]
	return c.Credentials, nil
}

// cached is a profile's credentials as kept, with what the profile said
// when they were made: once it is edited (another role_arn, external_id,
// mfa_serial, sso_role_name...) they are stale.
type cached struct {
	output.Credentials
	From string
}

// madeFrom is a digest of what profile's credentials are made from: its
// keys but region (which changes nothing they are made from), and those of
// every source_profile up its chain, so that editing a source makes the
// chained profile's credentials stale too.
func (r *Resolver) madeFrom(profile string) string {
	h := sha256.New()
	for range maxChain + 1 {
		p, ok := r.Profiles.Profile(profile)
		if !ok {
			break
		}
		keys := make([]string, 0, len(p))
		for k := range p {
			if k != "region" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		fmt.Fprintf(h, "[%q]\n", profile)
		for _, k := range keys {
			fmt.Fprintf(h, "%q=%q\n", k, p[k])
		}
		if p["role_arn"] == "" || p["source_profile"] == "" {
			break
		}
		profile = p["source_profile"]
	}
	return hex.EncodeToString(h.Sum(nil))
}

// fetcher picks how profile's credentials are made.
func (r *Resolver) fetcher(ctx context.Context, profile string, p map[string]string, depth int) (func(context.Context) (output.Credentials, error), error) {
	switch {
	case p["role_arn"] != "" && p["source_profile"] != "":
		return r.chained(profile, p, depth), nil
	case p["keyward_okta_session"] != "":
		return r.oktaRole(profile, p)
	case ssoSession(p) != "":
		role, err := r.Role(profile)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (output.Credentials, error) {
			c, err := role.Client.RoleCredentials(ctx, role.Role)
			return output.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey,
				SessionToken: c.SessionToken, Expiration: c.Expiration}, err
		}, nil
	}
	keys, err := r.userKeys(ctx, profile)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (output.Credentials, error) {
		return iamkeys.Session(ctx, keys, p["region"], p["mfa_serial"], seconds(p["duration_seconds"]), r.MFA)
	}, nil
}

// oktaRole takes the profile's role through its Okta sign-in. Without an
// app id in the profile or its section, the role's app is found among the
// person's AWS Account Federation apps.
func (r *Resolver) oktaRole(profile string, p map[string]string) (func(context.Context) (output.Credentials, error), error) {
	src, err := r.OktaSource(p["keyward_okta_session"])
	if err != nil {
		return nil, err
	}
	want := okta.Role{RoleARN: p["keyward_role_arn"], PrincipalARN: p["keyward_principal_arn"], AppID: p["keyward_app_id"]}
	if want.AppID == "" {
		want.AppID = src.AppID
	}
	if want.RoleARN == "" {
		return nil, fmt.Errorf("profile %q names an Okta sign-in but no role: it needs keyward_role_arn", profile)
	}
	c := okta.New(src, r.Keep)
	c.Now = r.Now
	return func(ctx context.Context) (output.Credentials, error) {
		role := want
		if role.AppID == "" {
			found, err := oktaApp(ctx, c, role)
			if err != nil {
				return output.Credentials{}, fmt.Errorf("profile %q: %w", profile, err)
			}
			role = found
		}
		return c.RoleCredentials(ctx, role, p["region"], seconds(p["duration_seconds"]))
	}, nil
}

// oktaApp finds the app whose assertion carries role.
func oktaApp(ctx context.Context, c *okta.Client, role okta.Role) (okta.Role, error) {
	roles, err := c.Roles(ctx)
	if err != nil {
		return role, err
	}
	for _, got := range roles {
		if got.RoleARN == role.RoleARN && (role.PrincipalARN == "" || got.PrincipalARN == role.PrincipalARN) {
			return got, nil
		}
	}
	return role, fmt.Errorf("none of your AWS Account Federation apps at %s lets you take %s: ask your Okta administrator, "+
		"or remove the profile", c.Source.OrgURL, role.RoleARN)
}

// OktaSource reads the [keyward-okta name] section.
func (r *Resolver) OktaSource(name string) (okta.Source, error) {
	s, ok := r.Profiles.Section("keyward-okta", name)
	if !ok {
		return okta.Source{}, fmt.Errorf("there is no [keyward-okta %s] in the AWS config file: sign in with "+
			"`keyward login --okta-org URL --okta-client-id ID --okta-session %s`", name, name)
	}
	src := okta.Source{Name: name, OrgURL: s["okta_org_url"], ClientID: s["okta_client_id"], AppID: s["okta_app_id"]}
	return src, src.Check()
}

// chained assumes the profile's role with its source profile's
// credentials. The source's MFA session covers the role: mfa_serial is
// sent again only when the source has none of its own.
func (r *Resolver) chained(profile string, p map[string]string, depth int) func(context.Context) (output.Credentials, error) {
	return func(ctx context.Context) (output.Credentials, error) {
		src, err := r.credentials(ctx, p["source_profile"], depth+1)
		if err != nil {
			return output.Credentials{}, fmt.Errorf("profile %q's source_profile: %w", profile, err)
		}
		role := iamkeys.Role{ARN: p["role_arn"], SessionName: p["role_session_name"], ExternalID: p["external_id"],
			Duration: seconds(p["duration_seconds"])}
		if sp, _ := r.Profiles.Profile(p["source_profile"]); sp["mfa_serial"] == "" {
			role.MFASerial = p["mfa_serial"]
		}
		return iamkeys.Assume(ctx, src, p["region"], role, r.MFA)
	}
}

// UserKeysKey is the vault key of profile's IAM user keys.
func UserKeysKey(profile string) string { return "iam/" + profile }

// userKeys reads profile's IAM user keys from the vault.
func (r *Resolver) userKeys(ctx context.Context, profile string) (iamkeys.Keys, error) {
	b, err := r.Keep.Get(ctx, UserKeysKey(profile))
	var k iamkeys.Keys
	if errors.Is(err, sso.ErrNotFound) {
		return k, fmt.Errorf("profile %q names no role and keyward holds no keys for it: "+
			"sign in with `keyward login`, or store IAM user keys with `keyward add %s`", profile, profile)
	}
	if err != nil {
		return k, err
	}
	if err := json.Unmarshal(b, &k); err != nil || k.AccessKeyID == "" {
		return k, fmt.Errorf("the keys kept for profile %q are unreadable: store them again with `keyward add %s`", profile, profile)
	}
	return k, nil
}

// seconds reads a duration_seconds value; anything else is 0 (the default).
func seconds(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}

// SSORole is an Identity Center role a profile names.
type SSORole struct {
	Client *sso.Client
	Role   sso.Role
	Region string // the profile's region, for the tools
}

// Role reads profile and the sign-in it needs.
func (r *Resolver) Role(profile string) (SSORole, error) {
	p, ok := r.Profiles.Profile(profile)
	if !ok {
		return SSORole{}, fmt.Errorf("there is no profile %q in the AWS config file: list them with "+
			"`keyward profiles list`, or create them with `keyward profiles sync`", profile)
	}
	session, account, role := SSOProfile(p)
	if session == "" || account == "" || role == "" {
		return SSORole{}, fmt.Errorf("profile %q names no IAM Identity Center role (it needs sso_session, "+
			"sso_account_id and sso_role_name)", profile)
	}
	src, err := r.Source(session)
	if err != nil {
		return SSORole{}, err
	}
	c := sso.New(src, r.Keep)
	c.Now, c.AWSCacheDir = r.Now, r.AWSCacheDir
	return SSORole{Client: c, Role: sso.Role{AccountID: account, RoleName: role}, Region: p["region"]}, nil
}

// Source reads the [sso-session name] section.
func (r *Resolver) Source(name string) (sso.Source, error) {
	s, ok := r.Profiles.SSOSession(name)
	if !ok {
		return sso.Source{}, fmt.Errorf("there is no [sso-session %s] in the AWS config file: "+
			"sign in with `keyward login --start-url URL --region REGION --sso-session %s`", name, name)
	}
	src := sso.Source{Name: name, StartURL: s["sso_start_url"], Region: s["sso_region"]}
	for _, sc := range strings.Split(s["sso_registration_scopes"], ",") {
		if sc = strings.TrimSpace(sc); sc != "" {
			src.Scopes = append(src.Scopes, sc)
		}
	}
	return src, src.Check()
}

// SSOProfile is the sign-in ([sso-session NAME]), account and role an
// Identity Center profile p names. A profile may spell each as keyward's
// key (a process-style profile, which the AWS CLI must not read as SSO) or
// the AWS CLI's; keyward's wins when both are set. Everything that reads a
// profile's role goes through here, so what is listed is what is resolved.
func SSOProfile(p map[string]string) (session, account, role string) {
	return ssoSession(p), first(p, "keyward_account_id", "sso_account_id"), first(p, "keyward_role_name", "sso_role_name")
}

func ssoSession(p map[string]string) string { return first(p, "keyward_sso_session", "sso_session") }

// first is the value of the first of keys the profile p sets, "" if none.
func first(p map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := p[k]; v != "" {
			return v
		}
	}
	return ""
}
