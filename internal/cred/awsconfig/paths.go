package awsconfig

import (
	"os"
	"path/filepath"
	"strings"
)

// Paths are where the two shared files live.
type Paths struct{ Config, Credentials string }

// DefaultPaths are the files the AWS CLI and SDKs use: AWS_CONFIG_FILE
// and AWS_SHARED_CREDENTIALS_FILE (a leading ~ is the home directory),
// else home/.aws/config and home/.aws/credentials. A nil getenv reads the
// process environment.
func DefaultPaths(home string, getenv func(string) string) Paths {
	if getenv == nil {
		getenv = os.Getenv
	}
	p := Paths{
		Config:      filepath.Join(home, ".aws", "config"),
		Credentials: filepath.Join(home, ".aws", "credentials"),
	}
	if v := getenv("AWS_CONFIG_FILE"); v != "" {
		p.Config = expandHome(v, home)
	}
	if v := getenv("AWS_SHARED_CREDENTIALS_FILE"); v != "" {
		p.Credentials = expandHome(v, home)
	}
	return p
}

func expandHome(p, home string) string {
	if p == "~" {
		return home
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		return filepath.Join(home, rest)
	}
	return p
}

// Shared is both files, as read.
type Shared struct{ Config, Credentials *File }

// Load reads both files; a missing file reads as empty. A file keyward
// cannot read exactly as the AWS CLI would is a *ParseError.
func Load(p Paths) (*Shared, error) {
	cfg, err := loadFile(p.Config, configFile)
	if err != nil {
		return nil, err
	}
	creds, err := loadFile(p.Credentials, credentialsFile)
	if err != nil {
		return nil, err
	}
	return &Shared{Config: cfg, Credentials: creds}, nil
}

func loadFile(path string, k kind) (*File, error) {
	var snap snapshot
	var b []byte
	if path != "" {
		target, err := realPath(path)
		if err != nil {
			return nil, err
		}
		if snap, b, err = read(target); err != nil {
			return nil, err
		}
	}
	f, err := parse(path, k, b)
	if err != nil {
		return nil, err
	}
	f.disk = snap
	return f, nil
}
