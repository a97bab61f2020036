package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

// setting is one value settable by flag and environment variable.
type setting struct {
	name  string // flag name; the env var is KEYWARD_ + upper snake case
	usage string
	set   func(c *Config, v string) error
}

func str(p func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *p(c) = v; return nil }
}

func list(p func(*Config) *[]string) func(*Config, string) error {
	return func(c *Config, v string) error {
		*p(c) = nil
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				*p(c) = append(*p(c), item)
			}
		}
		return nil
	}
}

func dur(p func(*Config) *Duration) func(*Config, string) error {
	return func(c *Config, v string) error { return p(c).UnmarshalText([]byte(v)) }
}

func integer(p func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		*p(c) = n
		return nil
	}
}

var settings = []setting{
	{"data-dir", "directory for the database, keys and bootstrap credentials", str(func(c *Config) *string { return &c.DataDir })},
	{"store-url", "postgres:// URL of a PostgreSQL database shared by replicas (default: SQLite in the data directory)", str(func(c *Config) *string { return &c.Store.URL })},
	{"master-key-file", "file holding the master key; replicas share one (default DATA_DIR/master.key)", str(func(c *Config) *string { return &c.MasterKeyFile })},
	{"aws-addr", "listen address of the AWS endpoint", str(func(c *Config) *string { return &c.AWS.Addr })},
	{"aws-url", "public URL of the AWS endpoint (default http://<aws-addr>)", str(func(c *Config) *string { return &c.AWS.URL })},
	{"aws-region", "Identity Center home region (the sso_region clients use)", str(func(c *Config) *string { return &c.AWS.Region })},
	{"aws-management-email", "email of the management account created at first start", str(func(c *Config) *string { return &c.AWS.ManagementEmail })},
	{"aws-trusted-proxies", "comma-separated CIDRs of proxies whose X-Forwarded-For is trusted", list(func(c *Config) *[]string { return &c.AWS.TrustedProxies })},
	{"portal-session-lifetime", "access portal session lifetime, 15m to 168h", dur(func(c *Config) *Duration { return &c.Portal.SessionLifetime })},
	{"signin-max-failures", "failed sign-ins before an account locks", integer(func(c *Config) *int { return &c.SignIn.MaxFailures })},
	{"signin-lockout-duration", "how long a locked account stays locked", dur(func(c *Config) *Duration { return &c.SignIn.LockoutDuration })},
	{"metrics-addr", "serve /metrics on this address only, instead of on the AWS endpoint", str(func(c *Config) *string { return &c.Metrics.Addr })},
	{"log-level", "debug, info, warn or error", str(func(c *Config) *string { return &c.Log.Level })},
	{"log-format", "text or json", str(func(c *Config) *string { return &c.Log.Format })},
}

// EnvName is the environment variable of a setting.
func EnvName(flag string) string {
	return "KEYWARD_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// AddFlags declares every setting, plus --config, on fs.
func AddFlags(fs *pflag.FlagSet) { addFlags(fs, func(string) bool { return true }) }

// storeSettings are the settings that say where keyward's state is.
var storeSettings = []string{"data-dir", "store-url", "master-key-file"}

// AddStoreFlags declares --config and the settings that locate the state
// (data directory, store URL, master key) on fs: what an admin command
// needs to open the same store as serve. Load reads the rest from the
// file and the environment.
func AddStoreFlags(fs *pflag.FlagSet) {
	addFlags(fs, func(name string) bool { return slices.Contains(storeSettings, name) })
}

func addFlags(fs *pflag.FlagSet, keep func(name string) bool) {
	fs.String("config", "", "YAML configuration file (env "+EnvName("config")+")")
	for _, s := range settings {
		if keep(s.name) {
			fs.String(s.name, "", s.usage+" (env "+EnvName(s.name)+")")
		}
	}
}

// Load builds the configuration from defaults, the YAML file named by
// --config or KEYWARD_CONFIG, the environment and the flags that were set,
// then validates it. All problems are reported together.
func Load(fs *pflag.FlagSet, getenv func(string) string) (Config, error) {
	c := Default()
	var problems []error
	path := getenv(EnvName("config"))
	if f := fs.Lookup("config"); f != nil && f.Changed {
		path = f.Value.String()
	}
	if path != "" {
		if err := loadFile(&c, path); err != nil {
			problems = append(problems, err)
		}
	}
	for _, s := range settings {
		if v := getenv(EnvName(s.name)); v != "" {
			if err := s.set(&c, v); err != nil {
				problems = append(problems, fmt.Errorf("%s: %w", EnvName(s.name), err))
			}
		}
		if f := fs.Lookup(s.name); f != nil && f.Changed {
			if err := s.set(&c, f.Value.String()); err != nil {
				problems = append(problems, fmt.Errorf("--%s: %w", s.name, err))
			}
		}
	}
	if err := c.Validate(); err != nil {
		problems = append(problems, err)
	}
	return c, errors.Join(problems...)
}

// maxFile bounds the configuration file.
const maxFile = 1 << 20

func loadFile(c *Config, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil || len(b) > maxFile {
		return fmt.Errorf("config file %s: unreadable or larger than 1 MiB", path)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	return nil
}
