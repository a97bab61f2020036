package okta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/cred/awsenv"
	"github.com/keyward/keyward/internal/cred/sso"
)

// Source is one Okta sign-in: the org, the CLI's OIDC app (a native app
// with the device authorization, token exchange and refresh token grants,
// named as the Allowed Web SSO Client of each AWS Account Federation app),
// and optionally the one federation app to use. The name keys the Keeper.
type Source struct {
	Name     string
	OrgURL   string // https://example.okta.com
	ClientID string // the OIDC app's client id
	AppID    string // "" finds the AWS Account Federation apps through appLinks
}

// Keeper keeps the sign-in's tokens; sso.Keeper is the contract.
type Keeper = sso.Keeper

// Prompt shows the person where to approve a sign-in; sso.Prompt is the
// contract.
type Prompt = sso.Prompt

var (
	namePattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	idPattern   = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
)

// Check says what is wrong with s, in words a person can act on.
func (s Source) Check() error {
	u, err := url.Parse(s.OrgURL)
	switch {
	case !namePattern.MatchString(s.Name):
		return fmt.Errorf("sign-in name %q: use letters, digits, '-', '_' or '.'", s.Name)
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.Trim(u.Path, "/") != "" ||
		u.RawQuery != "" || u.User != nil:
		return fmt.Errorf("Okta org %q is not a URL like https://example.okta.com", s.OrgURL)
	case !idPattern.MatchString(s.ClientID):
		return fmt.Errorf("Okta client id %q: give the client id of the CLI's OIDC app (like 0oa1b2c3d4e5f6g7h8i9)", s.ClientID)
	case s.AppID != "" && !idPattern.MatchString(s.AppID):
		return fmt.Errorf("Okta app id %q: give the id of an AWS Account Federation app (like 0oa1b2c3d4e5f6g7h8i9)", s.AppID)
	}
	return nil
}

// OrgURL turns what a person types for an org (example.okta.com,
// https://example-admin.okta.com/) into its URL, as okta-aws-cli does:
// https unless a scheme is given, without the admin console's "-admin"
// and without a trailing slash.
func OrgURL(org string) string {
	org = strings.TrimSpace(org)
	if !strings.Contains(org, "://") {
		org = "https://" + org
	}
	if u, err := url.Parse(org); err == nil {
		u.Host = strings.Replace(u.Host, "-admin.", ".", 1)
		org = u.String()
	}
	return strings.TrimRight(org, "/")
}

// Client signs in to one Source.
type Client struct {
	Source Source
	Keep   Keeper
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// after waits between device polls; nil is time.After.
	after func(time.Duration) <-chan time.Time
}

// New returns a client for src.
func New(src Source, keep Keeper) *Client {
	src.OrgURL = strings.TrimRight(src.OrgURL, "/")
	return &Client{Source: src, Keep: keep}
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) key(what string) string { return "okta/" + c.Source.Name + "/" + what }

// maxBody bounds every answer read: no page, token or app list this
// source reads comes near it.
const maxBody = 1 << 20

// answer is one HTTP answer, read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// send sends req through the credential CLI's one client and reads the
// answer, at most maxBody of it.
func (c *Client) send(req *http.Request) (answer, error) {
	resp, err := awsenv.HTTPClient.Do(req)
	if err != nil {
		return answer{}, fmt.Errorf("cannot reach Okta at %s: %w", c.Source.OrgURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return answer{}, fmt.Errorf("reading %s's answer: %w", req.URL.Path, err)
	}
	if len(body) > maxBody {
		return answer{}, fmt.Errorf("%s answered more than %d bytes", req.URL.Path, maxBody)
	}
	return answer{resp.StatusCode, resp.Header, body}, nil
}

// postForm posts form to the org's path.
func (c *Client) postForm(ctx context.Context, path string, form url.Values, accept string) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Source.OrgURL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", accept)
	return c.send(req)
}

// oauthError is an error answer of Okta: OAuth's error and
// error_description, or the management API's errorCode and errorSummary.
type oauthError struct {
	Status      int
	Code        string
	Description string
}

func (e *oauthError) Error() string {
	if e.Description == "" {
		return fmt.Sprintf("Okta answered %d %s", e.Status, e.Code)
	}
	return fmt.Sprintf("Okta answered %d %s: %s", e.Status, e.Code, e.Description)
}

// errorOf reads an error answer. With no JSON body it falls back to the
// WWW-Authenticate header (Okta's bearer errors) and then to the status.
func errorOf(a answer) *oauthError {
	var b struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Code        string `json:"errorCode"`
		Summary     string `json:"errorSummary"`
	}
	e := &oauthError{Status: a.status}
	if isJSON(a.header) && json.Unmarshal(a.body, &b) == nil {
		e.Code, e.Description = first(b.Error, b.Code), first(b.Description, b.Summary)
	}
	if e.Code == "" {
		e.Code, e.Description = bearerError(a.header.Get("WWW-Authenticate"))
	}
	e.Code, e.Description = printable(e.Code, 64), printable(e.Description, 300)
	if e.Code == "" {
		e.Code = first(http.StatusText(a.status), "error")
	}
	return e
}

var bearerParam = regexp.MustCompile(`(error|error_description)="([^"]*)"`)

// bearerError reads RFC 6750's error parameters.
func bearerError(h string) (code, desc string) {
	for _, m := range bearerParam.FindAllStringSubmatch(h, -1) {
		if m[1] == "error" {
			code = m[2]
		} else {
			desc = m[2]
		}
	}
	return code, desc
}

// printable is s cut to n bytes with control characters dropped: error
// text from a server reaches a terminal.
func printable(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
}

func isJSON(h http.Header) bool {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// decodeJSON decodes a 200 JSON answer into v, or returns its error.
func decodeJSON(a answer, what string, v any) error {
	if a.status != http.StatusOK {
		return errorOf(a)
	}
	if !isJSON(a.header) {
		return fmt.Errorf("%s: Okta answered %q, not JSON", what, a.header.Get("Content-Type"))
	}
	if err := json.Unmarshal(a.body, v); err != nil {
		return fmt.Errorf("%s: Okta's answer is not the JSON expected: %w", what, err)
	}
	return nil
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// asOAuth is err's Okta error answer, if it is one.
func asOAuth(err error) (*oauthError, bool) {
	var e *oauthError
	return e, errors.As(err, &e)
}
