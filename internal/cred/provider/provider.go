// Package provider turns a profile name into short-lived credentials: it
// reads the profile from the shared config, picks its source, and keeps
// what the source hands out until shortly before it expires.
//
// It owns: which profile keys mean which source (keyward's own
// keyward_sso_session / keyward_account_id / keyward_role_name, and the
// AWS CLI's sso_session / sso_account_id / sso_role_name, so every SSO
// profile the AWS CLI understands works here too), and the credential
// cache with one fetch however many processes ask at once.
//
// It does not own: the sources' protocols (cred/sso and friends), where
// secrets are kept (the Keeper), or parsing the files (cred/awsconfig).
package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/cred/output"
	"github.com/keyward/keyward/internal/cred/sso"
)

// Profiles reads the shared config file.
type Profiles interface {
	// Profile returns a profile's keys ("default" is [default]).
	Profile(name string) (map[string]string, bool)
	// SSOSession returns an [sso-session NAME] section's keys.
	SSOSession(name string) (map[string]string, bool)
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
	role, err := r.Role(profile)
	if err != nil {
		return output.Credentials{}, err
	}
	fresh := func(b []byte) bool {
		var c output.Credentials
		return json.Unmarshal(b, &c) == nil && c.Expiration.After(r.now().Add(refreshBefore))
	}
	fetch := func(ctx context.Context) ([]byte, error) {
		c, err := role.Client.RoleCredentials(ctx, role.Role)
		if err != nil {
			return nil, err
		}
		return json.Marshal(output.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey,
			SessionToken: c.SessionToken, Expiration: c.Expiration})
	}
	b, err := r.Keep.Refresh(ctx, "creds/"+profile, fresh, fetch)
	if err != nil {
		return output.Credentials{}, err
	}
	var c output.Credentials
	if err := json.Unmarshal(b, &c); err != nil {
		return output.Credentials{}, fmt.Errorf("cached credentials for %s are unreadable: %w", profile, err)
	}
	c.Region = role.Region
	return c, nil
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
	session, account, role := first(p, "keyward_sso_session", "sso_session"), first(p, "keyward_account_id", "sso_account_id"),
		first(p, "keyward_role_name", "sso_role_name")
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

// first is the value of the first of keys p sets.
func first(p map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := p[k]; v != "" {
			return v
		}
	}
	return ""
}
