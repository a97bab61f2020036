package config

import (
	"net"
	"strings"
)

// TLS modes of a listener.
const (
	TLSOff     = ""         // plain HTTP (or TLS terminated in front of keyward)
	TLSLocalCA = "local-ca" // a certificate from keyward's own CA
	TLSFiles   = "files"    // the operator's certificate and key (PEM files)
)

// TLS says how a listener serves TLS.
type TLS struct {
	// Mode is TLSOff, TLSLocalCA or TLSFiles.
	Mode string
	// CertFile and KeyFile are PEM files, used with TLSFiles; the
	// certificate file may hold the chain after the leaf.
	CertFile, KeyFile string
}

// On reports whether the listener serves TLS.
func (t TLS) On() bool { return t.Mode != TLSOff }

// UsesLocalCA reports whether any listener needs keyward's local CA: a
// local-ca listener or the HTTPS proxy mode.
func (c Config) UsesLocalCA() bool {
	return c.IdP.TLS.Mode == TLSLocalCA || c.AWS.TLS.Mode == TLSLocalCA || c.AWS.ProxyAddr != ""
}

// tlsSettings are the settings of both listeners' TLS and of the proxy.
func tlsSettings() []setting {
	var out []setting
	for _, side := range []struct {
		name, what string
		tls        func(*Config) *TLS
	}{
		{"idp", "the identity provider's org URL", func(c *Config) *TLS { return &c.IdP.TLS }},
		{"aws", "the AWS endpoint", func(c *Config) *TLS { return &c.AWS.TLS }},
	} {
		out = append(out,
			setting{name: side.name + "-tls", key: side.name + ".tls",
				usage: `TLS on ` + side.what + `: "" (plain HTTP), local-ca (keyward's own CA) or files`,
				value: str(func(c *Config) *string { return &side.tls(c).Mode })},
			setting{name: side.name + "-tls-cert", key: side.name + ".tls-cert",
				usage: "PEM certificate (chain) file of " + side.what + ", with " + side.name + "-tls=files",
				value: str(func(c *Config) *string { return &side.tls(c).CertFile })},
			setting{name: side.name + "-tls-key", key: side.name + ".tls-key",
				usage: "PEM private key file of " + side.what + ", with " + side.name + "-tls=files",
				value: str(func(c *Config) *string { return &side.tls(c).KeyFile })})
	}
	return append(out, setting{name: "aws-proxy-addr", key: "aws.proxy-addr",
		usage: `listen address of the HTTPS proxy mode, which tunnels CONNECT to AWS host names into the AWS endpoint ("" turns it off)`,
		value: str(func(c *Config) *string { return &c.AWS.ProxyAddr })})
}

// validateTLS reports the problems with one side's TLS settings; url is
// the side's public URL setting.
func validateTLS(side string, t TLS, addr, url string, add func(string, ...any)) {
	switch t.Mode {
	case TLSOff, TLSLocalCA, TLSFiles:
	default:
		add("%s-tls %q must be empty (plain HTTP), local-ca or files", side, t.Mode)
		return
	}
	if t.Mode == TLSFiles && (t.CertFile == "" || t.KeyFile == "") {
		add("%s-tls=files needs both %s-tls-cert and %s-tls-key (PEM files)", side, side, side)
	}
	if t.Mode != TLSFiles && (t.CertFile != "" || t.KeyFile != "") {
		add("%s-tls-cert and %s-tls-key are read only with %s-tls=files", side, side, side)
	}
	if t.On() && addr == "" {
		add("%s-tls is set but %s-addr is empty, so nothing would serve it", side, side)
	}
	if t.On() && strings.HasPrefix(url, "http://") {
		add("%s-url %q is http:// but %s-tls serves TLS: make it https://", side, url, side)
	}
}

// validateProxy reports the problems with the HTTPS proxy mode's settings.
func (c Config) validateProxy(add func(string, ...any)) {
	if c.AWS.ProxyAddr == "" {
		return
	}
	if _, _, err := net.SplitHostPort(c.AWS.ProxyAddr); err != nil {
		add("aws-proxy-addr %q must be host:port, or empty to turn the HTTPS proxy mode off", c.AWS.ProxyAddr)
	}
	if c.AWS.Addr == "" {
		add("aws-proxy-addr tunnels into the AWS side, which an empty aws-addr turns off: set aws-addr or unset aws-proxy-addr")
	}
}
