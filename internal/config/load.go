package config

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

// setting is one value, settable by flag, environment variable and YAML key.
type setting struct {
	name  string // flag name; the env var is KEYWARD_ + upper snake case
	key   string // YAML key, dotted ("aws.addr")
	usage string
	value
}

// value reads and writes one field of Config as text.
type value struct {
	typ string // as --help shows it; "list" is a YAML sequence, comma-separated elsewhere
	set func(c *Config, v string) error
	get func(c Config) string
}

func str(p func(*Config) *string) value {
	return value{"string",
		func(c *Config, v string) error { *p(c) = v; return nil },
		func(c Config) string { return *p(&c) }}
}

func list(p func(*Config) *[]string) value {
	return value{"list",
		func(c *Config, v string) error {
			*p(c) = nil
			for _, item := range strings.Split(v, ",") {
				if item = strings.TrimSpace(item); item != "" {
					*p(c) = append(*p(c), item)
				}
			}
			return nil
		},
		func(c Config) string { return strings.Join(*p(&c), ",") }}
}

func dur(p func(*Config) *Duration) value {
	return value{"duration",
		func(c *Config, v string) error { return p(c).UnmarshalText([]byte(v)) },
		func(c Config) string { return time.Duration(*p(&c)).String() }}
}

func integer(p func(*Config) *int) value {
	return value{"int",
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("%q is not a whole number", redacted(v))
			}
			*p(c) = n
			return nil
		},
		func(c Config) string { return strconv.Itoa(*p(&c)) }}
}

var settings = append([]setting{
	{name: "data-dir", key: "data-dir", usage: "directory for the database, keys and bootstrap credentials",
		value: str(func(c *Config) *string { return &c.DataDir })},
	{name: "store-url", key: "store.url", usage: "postgres:// URL of a PostgreSQL database shared by replicas (default: SQLite in the data directory)",
		value: str(func(c *Config) *string { return &c.Store.URL })},
	{name: "master-key-file", key: "master-key-file", usage: "file holding the master key; replicas share one (default DATA_DIR/master.key)",
		value: str(func(c *Config) *string { return &c.MasterKeyFile })},
	{name: "aws-addr", key: "aws.addr", usage: `listen address of the AWS endpoint ("" turns the AWS side off)`,
		value: str(func(c *Config) *string { return &c.AWS.Addr })},
	{name: "aws-url", key: "aws.url", usage: "public URL of the AWS endpoint (default http(s)://<aws-addr>)",
		value: str(func(c *Config) *string { return &c.AWS.URL })},
	{name: "idp-addr", key: "idp.addr", usage: `listen address of the identity provider's org URL ("" turns the identity provider off)`,
		value: str(func(c *Config) *string { return &c.IdP.Addr })},
	{name: "idp-url", key: "idp.url", usage: "public org URL of the identity provider (default http(s)://<idp-addr>)",
		value: str(func(c *Config) *string { return &c.IdP.URL })},
	{name: "idp-admin-login", key: "idp.admin-login", usage: "login of the super administrator created at first start",
		value: str(func(c *Config) *string { return &c.IdP.AdminLogin })},
	{name: "aws-region", key: "aws.region", usage: "Identity Center home region (the sso_region clients use)",
		value: str(func(c *Config) *string { return &c.AWS.Region })},
	{name: "aws-management-email", key: "aws.management-email", usage: "email of the management account created at first start",
		value: str(func(c *Config) *string { return &c.AWS.ManagementEmail })},
	{name: "aws-trusted-proxies", key: "aws.trusted-proxies", usage: "comma-separated CIDRs of proxies whose X-Forwarded-For is trusted",
		value: list(func(c *Config) *[]string { return &c.AWS.TrustedProxies })},
	{name: "portal-session-lifetime", key: "portal.session-lifetime", usage: "access portal session lifetime, 15m to 168h",
		value: dur(func(c *Config) *Duration { return &c.Portal.SessionLifetime })},
	{name: "signin-max-failures", key: "signin.max-failures", usage: "failed sign-ins before an account locks",
		value: integer(func(c *Config) *int { return &c.SignIn.MaxFailures })},
	{name: "signin-lockout-duration", key: "signin.lockout-duration", usage: "how long a locked account stays locked",
		value: dur(func(c *Config) *Duration { return &c.SignIn.LockoutDuration })},
	{name: "metrics-addr", key: "metrics.addr", usage: "serve /metrics on this address only, instead of on the AWS endpoint",
		value: str(func(c *Config) *string { return &c.Metrics.Addr })},
	{name: "log-level", key: "log.level", usage: "debug, info, warn or error",
		value: str(func(c *Config) *string { return &c.Log.Level })},
	{name: "log-format", key: "log.format", usage: "text or json",
		value: str(func(c *Config) *string { return &c.Log.Format })},
}, append(tlsSettings(), limitSettings()...)...)

// limitSettings are the settings of Limits, one per limit.
func limitSettings() []setting {
	var out []setting
	for i, l := range (&Limits{}).all() {
		out = append(out, setting{name: "limits-" + l.name, key: "limits." + l.name, usage: l.usage,
			value: integer(func(c *Config) *int { return c.Limits.all()[i].v })})
	}
	return out
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
	def := Default()
	for _, s := range settings {
		if keep(s.name) {
			fs.Var(&flagValue{typ: s.typ, v: s.get(def)}, s.name, s.usage+" (env "+EnvName(s.name)+", YAML "+s.key+")")
		}
	}
}

// flagValue holds a flag's text until Load applies it; it shows the
// setting's type and default in --help.
type flagValue struct{ typ, v string }

func (f *flagValue) String() string     { return f.v }
func (f *flagValue) Set(v string) error { f.v = v; return nil }
func (f *flagValue) Type() string       { return f.typ }

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
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	if len(doc.Content) == 0 { // empty file
		return nil
	}
	if err := errors.Join(applyYAML(c, doc.Content[0], "")...); err != nil {
		return fmt.Errorf("config file %s:\n%w", path, err)
	}
	return nil
}

// applyYAML applies the settings in the mapping n, whose keys sit under
// prefix ("" at the top, "aws." in the aws section). Problems name the
// YAML key and line, in the file's own terms.
func applyYAML(c *Config, n *yaml.Node, prefix string) []error {
	if n.Kind != yaml.MappingNode {
		return []error{fmt.Errorf("%s (line %d): want a section of settings, got %s", strings.TrimSuffix(prefix, "."), n.Line, shape(n))}
	}
	var problems []error
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := prefix + k.Value
		if s, ok := settingAt(key); ok {
			if err := applyValue(c, s, v); err != nil {
				problems = append(problems, fmt.Errorf("%s (line %d): %w", key, v.Line, err))
			}
			continue
		}
		if isSection(key) {
			problems = append(problems, applyYAML(c, v, key+".")...)
			continue
		}
		problems = append(problems, fmt.Errorf("%s (line %d): unknown setting", key, k.Line))
	}
	return problems
}

// applyValue sets s from a YAML value: a scalar, or a sequence of scalars
// for a list setting.
func applyValue(c *Config, s setting, v *yaml.Node) error {
	switch {
	case v.Kind == yaml.AliasNode:
		return applyValue(c, s, v.Alias)
	case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
		return s.set(c, "")
	case v.Kind == yaml.ScalarNode:
		return s.set(c, v.Value)
	case v.Kind == yaml.SequenceNode && s.typ == "list":
		items := make([]string, len(v.Content))
		for i, item := range v.Content {
			if item.Kind != yaml.ScalarNode {
				return fmt.Errorf("want a list of values, got %s in it", shape(item))
			}
			items[i] = item.Value
		}
		return s.set(c, strings.Join(items, ","))
	case s.typ == "list":
		return fmt.Errorf("want a list of values, got %s", shape(v))
	}
	return fmt.Errorf("want a single value, got %s", shape(v))
}

// shape names a YAML node's kind for a message.
func shape(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a section"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return fmt.Sprintf("%q", redacted(n.Value))
}

// redacted is v with a URL's password masked: a misplaced store URL
// must not put the database password in a message.
func redacted(v string) string {
	if u, err := url.Parse(v); err == nil && u.User != nil {
		return u.Redacted()
	}
	return v
}

func settingAt(key string) (setting, bool) {
	for _, s := range settings {
		if s.key == key {
			return s, true
		}
	}
	return setting{}, false
}

// isSection reports whether key groups settings ("aws").
func isSection(key string) bool {
	for _, s := range settings {
		if strings.HasPrefix(s.key, key+".") {
			return true
		}
	}
	return false
}
