package config

import (
	"strings"
	"testing"
)

func TestTLSSettings(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string // "" means valid
	}{
		{"the local CA on both listeners with a proxy is valid",
			[]string{"--idp-tls", "local-ca", "--aws-tls", "local-ca", "--aws-proxy-addr", "127.0.0.1:8443"}, nil, ""},
		{"an operator's certificate files are valid",
			[]string{"--idp-tls", "files", "--idp-tls-cert", "/etc/keyward/org.pem", "--idp-tls-key", "/etc/keyward/org.key"}, nil, ""},
		{"the settings come from the environment too",
			nil, map[string]string{"KEYWARD_AWS_TLS": "local-ca", "KEYWARD_AWS_URL": "https://aws.keyward.example"}, ""},
		{"an https URL with TLS terminated in front stays valid",
			[]string{"--aws-url", "https://aws.keyward.example"}, nil, ""},
		{"an unknown mode names the ones there are",
			[]string{"--idp-tls", "yes"}, nil, `idp-tls "yes" must be empty (plain HTTP), local-ca or files`},
		{"files without a key asks for both files",
			[]string{"--aws-tls", "files", "--aws-tls-cert", "/c.pem"}, nil, "aws-tls=files needs both aws-tls-cert and aws-tls-key"},
		{"a certificate file without files mode says which mode reads it",
			[]string{"--idp-tls-cert", "/c.pem"}, nil, "read only with idp-tls=files"},
		{"an http URL on a TLS listener asks for https",
			[]string{"--idp-tls", "local-ca", "--idp-url", "http://org.example"}, nil, "make it https://"},
		{"TLS on a side that is off is refused",
			[]string{"--idp-addr", "", "--idp-tls", "local-ca"}, nil, "idp-addr is empty"},
		{"a proxy address that is not host:port is refused",
			[]string{"--aws-proxy-addr", "8443"}, nil, `aws-proxy-addr "8443" must be host:port`},
		{"a proxy without the AWS side is refused",
			[]string{"--aws-addr", "", "--aws-proxy-addr", "127.0.0.1:8443"}, nil, "set aws-addr or unset aws-proxy-addr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, tt.args, tt.env)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestTLSSettingsReadFromTheFile(t *testing.T) {
	file := writeFile(t, "idp:\n  tls: files\n  tls-cert: /c.pem\n  tls-key: /k.pem\naws:\n  tls: local-ca\n  proxy-addr: 127.0.0.1:8443\n")
	c, err := load(t, []string{"--config", file}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.IdP.TLS != (TLS{Mode: TLSFiles, CertFile: "/c.pem", KeyFile: "/k.pem"}) || c.AWS.TLS.Mode != TLSLocalCA || c.AWS.ProxyAddr != "127.0.0.1:8443" {
		t.Errorf("read %+v and %+v, proxy %q", c.IdP.TLS, c.AWS.TLS, c.AWS.ProxyAddr)
	}
	if !c.UsesLocalCA() {
		t.Error("a local-ca listener does not use the local CA")
	}
}
