// Package config is keyward's one configuration tree. Values come, in
// rising precedence, from defaults, an optional YAML file (unknown keys are
// errors), KEYWARD_* environment variables and command-line flags; Validate
// reports every problem at once. It reads no other package's settings.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// Config is the whole configuration.
type Config struct {
	DataDir string
	// MasterKeyFile holds the 32-byte master key that seals every secret;
	// empty means DATA_DIR/master.key. Replicas must all read the same key.
	MasterKeyFile string
	Store         Store
	IdP           IdP
	AWS           AWS
	Metrics       Metrics
	Portal        Portal
	SignIn        SignIn
	Limits        Limits
	Log           Log
}

// Store chooses the database.
type Store struct {
	// URL is a postgres:// URL; empty means SQLite in the data directory.
	URL string
}

// IsPostgres reports whether the store is PostgreSQL rather than the
// embedded SQLite.
func (s Store) IsPostgres() bool { return s.URL != "" }

// MasterKeyPath is where the master key is read (and, on a first start,
// created).
func (c Config) MasterKeyPath() string {
	if c.MasterKeyFile != "" {
		return c.MasterKeyFile
	}
	return filepath.Join(c.DataDir, "master.key")
}

// Metrics configures the Prometheus endpoint.
type Metrics struct {
	// Addr, when set, serves /metrics on its own listen address instead of
	// the AWS endpoint's.
	Addr string
}

// AWS configures the AWS-compatible endpoint.
type AWS struct {
	// Addr is the listen address of the AWS endpoint.
	Addr string
	// URL is the endpoint's public URL; empty means http(s)://<listen address>.
	URL string
	// Region is the Identity Center home region clients use as sso_region.
	Region string
	// ManagementEmail is the management account's email at bootstrap.
	ManagementEmail string
	// TrustedProxies are the CIDRs of proxies whose X-Forwarded-For names
	// the client (comma-separated on the command line).
	TrustedProxies []string
	// TLS is the endpoint listener's TLS.
	TLS TLS
	// ProxyAddr, when set, is the listen address of the HTTPS proxy mode.
	ProxyAddr string
}

// IdP configures the identity provider's org URL.
type IdP struct {
	// Addr is the listen address; empty turns the identity provider off.
	Addr string
	// URL is the public org URL; empty means http(s)://<listen address>.
	URL string
	// AdminLogin is the login of the super administrator the first start
	// creates.
	AdminLogin string
	// TLS is the org URL listener's TLS.
	TLS TLS
}

// Enabled reports whether the identity provider serves.
func (i IdP) Enabled() bool { return i.Addr != "" }

// Enabled reports whether the AWS side serves.
func (a AWS) Enabled() bool { return a.Addr != "" }

// Portal configures access-portal sessions.
type Portal struct {
	SessionLifetime Duration
}

// SignIn configures password sign-in.
type SignIn struct {
	MaxFailures     int
	LockoutDuration Duration
}

// Limits are the per-minute rate limits that bound guessing. Each is keyed
// on the client address, and where a person is known on the person too, so
// that an office behind one NAT address does not lock itself out.
type Limits struct {
	SignInsPerAddress       int // sign-in attempts from one address
	SignInsPerUser          int // sign-in attempts for one user name from one address
	RegistrationsPerAddress int // SSO-OIDC RegisterClient calls from one address
	DeviceStartsPerAddress  int // StartDeviceAuthorization calls from one address
	DeviceStartsPerClient   int // StartDeviceAuthorization calls by one registered client
	PendingPerClient        int // device authorizations one client may have waiting (not a rate)
	CodeLookupsPerAddress   int // user codes typed on the verification page from one address
	CodeLookupsPerUser      int // user codes typed by one signed-in person
}

// Log configures structured logging.
type Log struct {
	Level  string
	Format string
}

// Duration is a time.Duration written as "8h" or "15m".
type Duration time.Duration

// UnmarshalText parses a Go duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration like 8h or 15m", redacted(string(b)))
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes a Go duration.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Default returns the configuration before any source is applied.
func Default() Config {
	return Config{
		DataDir: defaultDataDir(),
		IdP:     IdP{Addr: "127.0.0.1:8080", AdminLogin: "admin@keyward.example"},
		AWS:     AWS{Addr: "127.0.0.1:8081", Region: "us-east-1", ManagementEmail: "management@keyward.example"},
		Portal:  Portal{SessionLifetime: Duration(8 * time.Hour)},
		SignIn:  SignIn{MaxFailures: 5, LockoutDuration: Duration(15 * time.Minute)},
		Limits: Limits{SignInsPerAddress: 300, SignInsPerUser: 10, RegistrationsPerAddress: 300,
			DeviceStartsPerAddress: 300, DeviceStartsPerClient: 30, PendingPerClient: 100,
			CodeLookupsPerAddress: 300, CodeLookupsPerUser: 10},
		Log: Log{Level: "info", Format: "text"},
	}
}

// defaultDataDir is the per-user data directory: $XDG_DATA_HOME/keyward or
// ~/.local/share/keyward on Linux, the user config dir elsewhere.
func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "keyward")
	}
	if home, err := os.UserHomeDir(); err == nil && runtime.GOOS == "linux" {
		return filepath.Join(home, ".local", "share", "keyward")
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "keyward")
	}
	return "keyward-data"
}

// regionPattern is the shape of AWS region names (us-east-1, us-gov-west-1).
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)

// Validate reports every problem with c.
func (c Config) Validate() error {
	var problems []error
	add := func(format string, args ...any) {
		for i, a := range args { // a URL put under the wrong key keeps its password out of the message
			if s, ok := a.(string); ok {
				args[i] = redacted(s)
			}
		}
		problems = append(problems, fmt.Errorf(format, args...))
	}
	if c.DataDir == "" {
		add("data-dir must not be empty")
	}
	if c.Store.URL != "" {
		if u, err := url.Parse(c.Store.URL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			add("store-url must be a postgres:// URL (leave it empty for SQLite in the data directory)")
		}
	}
	if c.AWS.Addr == "" && c.IdP.Addr == "" {
		add("aws-addr and idp-addr are both empty: keyward would serve nothing")
	}
	if _, _, err := net.SplitHostPort(c.AWS.Addr); c.AWS.Addr != "" && err != nil {
		add("aws-addr %q must be host:port, or empty to turn the AWS side off", c.AWS.Addr)
	}
	if c.IdP.Addr != "" {
		if _, _, err := net.SplitHostPort(c.IdP.Addr); err != nil {
			add("idp-addr %q must be host:port, or empty to turn the identity provider off", c.IdP.Addr)
		}
	}
	validatePublicURL("idp-url", c.IdP.URL, add)
	if !validEmail(c.IdP.AdminLogin) {
		add("idp-admin-login %q must be an email address", c.IdP.AdminLogin)
	}
	if c.Metrics.Addr != "" {
		if _, _, err := net.SplitHostPort(c.Metrics.Addr); err != nil {
			add("metrics-addr %q must be host:port", c.Metrics.Addr)
		}
	}
	validatePublicURL("aws-url", c.AWS.URL, add)
	for _, p := range c.AWS.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			add("aws-trusted-proxies: %q is not a CIDR like 10.0.0.0/8", p)
		}
	}
	validateTLS("idp", c.IdP.TLS, c.IdP.Addr, c.IdP.URL, add)
	validateTLS("aws", c.AWS.TLS, c.AWS.Addr, c.AWS.URL, add)
	c.validateProxy(add)
	if e := c.AWS.ManagementEmail; !ic.ValidAccountEmail(e) {
		add("aws-management-email %q must be an email address of 6 to 64 characters, as AWS Organizations requires of an account's", e)
	}
	if !regionPattern.MatchString(c.AWS.Region) {
		add("aws-region %q is not a region name like us-east-1 or eu-central-2", c.AWS.Region)
	}
	if l := time.Duration(c.Portal.SessionLifetime); l < 15*time.Minute || l > 7*24*time.Hour {
		add("portal-session-lifetime %s must be between 15m and 168h (7 days)", l)
	}
	if c.SignIn.MaxFailures < 1 || c.SignIn.MaxFailures > 100 {
		add("signin-max-failures %d must be between 1 and 100", c.SignIn.MaxFailures)
	}
	if l := time.Duration(c.SignIn.LockoutDuration); l < time.Minute || l > 24*time.Hour {
		add("signin-lockout-duration %s must be between 1m and 24h", l)
	}
	for _, l := range c.Limits.all() {
		if *l.v < 1 || *l.v > 100000 {
			add("limits-%s %d must be between 1 and 100000", l.name, *l.v)
		}
	}
	if c.Log.Level != "debug" && c.Log.Level != "info" && c.Log.Level != "warn" && c.Log.Level != "error" {
		add("log-level %q must be debug, info, warn or error", c.Log.Level)
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		add("log-format %q must be text or json", c.Log.Format)
	}
	return errors.Join(problems...)
}

// validatePublicURL reports a public URL setting that is more than
// http(s)://host[:port]: keyward appends its paths (/start, /device,
// /oauth2/...) to it, so a path, query or fragment would break every URL it
// hands out, and a user name or password would be printed with them.
func validatePublicURL(name, raw string, add func(string, ...any)) {
	if raw == "" {
		return
	}
	u, err := url.Parse(raw)
	switch {
	case err == nil && u.User != nil:
		add("%s %q must not hold a user name or password", name, u.Redacted())
	case err == nil && (u.Scheme == "http" || u.Scheme == "https") && !strings.HasPrefix(raw, u.Scheme+"://"):
		// keyward tells https by the prefix (Secure cookies, TLS checks).
		add("%s %q must have its scheme in lower case: %s://", name, raw, u.Scheme)
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" && u.Path != "/" ||
		u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.Opaque != "":
		add("%s %q must be an http(s) URL with no path, query or fragment", name, raw)
	}
}

// limit is one of Limits with its setting name (limits.<name> in YAML).
type limit struct {
	name, usage string
	v           *int
}

func (l *Limits) all() []limit {
	return []limit{
		{"signins-per-address", "sign-in attempts a minute from one client address", &l.SignInsPerAddress},
		{"signins-per-user", "sign-in attempts a minute for one user name from one address", &l.SignInsPerUser},
		{"registrations-per-address", "SSO-OIDC client registrations a minute from one address", &l.RegistrationsPerAddress},
		{"device-starts-per-address", "device authorizations started a minute from one address", &l.DeviceStartsPerAddress},
		{"device-starts-per-client", "device authorizations started a minute by one registered client", &l.DeviceStartsPerClient},
		{"pending-devices-per-client", "device authorizations one client may have waiting for approval", &l.PendingPerClient},
		{"code-lookups-per-address", "user codes typed a minute on the verification page from one address", &l.CodeLookupsPerAddress},
		{"code-lookups-per-user", "user codes typed a minute by one signed-in person", &l.CodeLookupsPerUser},
	}
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}
