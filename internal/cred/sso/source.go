package sso

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/keyward/keyward/internal/cred/awsenv"
)

// DefaultScopes are the scopes a sign-in asks for: role credentials
// through the portal. With them AWS issues refresh tokens.
var DefaultScopes = []string{"sso:account:access"}

// Source is one Identity Center sign-in: a start URL, its region, and a
// name (the sso-session name) that tells two identities on one start URL
// apart. The name keys every cache.
type Source struct {
	Name     string
	StartURL string
	Region   string
	Scopes   []string
}

// Check says what is wrong with s, in words a person can act on.
func (s Source) Check() error {
	u, err := url.Parse(s.StartURL)
	switch {
	case s.Name == "" || strings.ContainsAny(s.Name, " []/\\\n"):
		return fmt.Errorf("sign-in name %q: use letters, digits, '-', '_' or '.'", s.Name)
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return fmt.Errorf("start URL %q is not a URL like https://d-1234567890.awsapps.com/start", s.StartURL)
	case s.Region == "":
		return fmt.Errorf("sign-in %s has no region: pass --region (the region of IAM Identity Center)", s.Name)
	}
	return nil
}

func (s Source) scopes() []string {
	if len(s.Scopes) == 0 {
		return DefaultScopes
	}
	return s.Scopes
}

// Keeper keeps the sign-in's secrets. Refresh returns the value under key
// when fresh accepts it, else calls fetch once across every process and
// stores what it returns.
type Keeper interface {
	Get(ctx context.Context, key string) ([]byte, error)
	Set(ctx context.Context, key string, value []byte) error
	Delete(ctx context.Context, key string) error
	Refresh(ctx context.Context, key string, fresh func([]byte) bool,
		fetch func(context.Context) ([]byte, error)) ([]byte, error)
}

// ErrNotFound is what a Keeper's Get returns for a key it does not hold.
var ErrNotFound = errors.New("not found")

// Client signs in to one Source.
type Client struct {
	Source Source
	Keep   Keeper
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// AWSCacheDir is where the AWS CLI's SSO cache lives
	// (~/.aws/sso/cache); "" writes no copy there.
	AWSCacheDir string
	// DeviceCode makes Login use the device authorization flow even with a
	// BrowserPrompt (`keyward login --device-code`).
	DeviceCode bool
	oidc       *ssooidc.Client
	portal     *sso.Client
}

// New returns a client for src.
func New(src Source, keep Keeper) *Client {
	return &Client{Source: src, Keep: keep,
		oidc:   ssooidc.NewFromConfig(awsenv.Config("SSO OIDC", src.Region, nil)),
		portal: sso.NewFromConfig(awsenv.Config("SSO", src.Region, nil))}
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) key(what string) string { return "sso/" + c.Source.Name + "/" + what }
