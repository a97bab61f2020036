// Package awsroles is the identity provider's API integration with AWS for
// the AWS Account Federation app (amazon_aws): with the IAM access key the
// app holds, it lists the roles of the key's account over AWS's own IAM API
// (aws-sdk-go-v2, SigV4) on real AWS or on keyward's AWS side, and refuses
// a sessionDuration longer than a mapped role's MaxSessionDuration when the
// app is configured, rather than when someone signs in. It owns the sealing
// of the app's secret key. It does not own the app's settings (package
// directory) or anything on the AWS side: it is a client, and must not
// import internal/aws.
package awsroles

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// Groups lists the directory's groups (store.DirectoryGroups).
type Groups interface {
	ListGroups(ctx context.Context, q store.GroupQuery, p store.Page) ([]directory.Group, string, error)
}

// Checker checks AWS Account Federation apps against their roles.
type Checker struct {
	groups  Groups
	secrets *keys.Sealer
	client  *http.Client
}

// callTimeout bounds each call to AWS, so that an unreachable endpoint
// fails the configuration instead of hanging it.
const callTimeout = 15 * time.Second

// New returns a checker sealing secrets with a key derived from master;
// client (nil: one with a timeout of callTimeout) reaches AWS.
func New(master []byte, random io.Reader, groups Groups, client *http.Client) (*Checker, error) {
	s, err := keys.NewSealer(master, directory.AWSSecretKeyPurpose, random)
	if err != nil {
		return nil, err
	}
	if client == nil {
		client = &http.Client{Timeout: callTimeout}
	}
	return &Checker{groups: groups, secrets: s, client: client}, nil
}

// SealSecret seals an app's secret key for App.Settings.
func (c *Checker) SealSecret(secret string) string {
	return base64.StdEncoding.EncodeToString(c.secrets.Seal([]byte(secret), []byte(directory.AWSAccountFederationApp)))
}

func (c *Checker) openSecret(sealed string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err == nil {
		raw, err = c.secrets.Open(raw, []byte(directory.AWSAccountFederationApp))
	}
	if err != nil {
		return "", errs.E(errs.Invalid, "The app's secret key cannot be opened (was the master key changed?): set secretKey again.")
	}
	return string(raw), nil
}

// Role is a role the API integration found.
type Role struct {
	ARN                string
	MaxSessionDuration int
}

// Check refuses an AWS Account Federation app whose sessionDuration is
// longer than the MaxSessionDuration of a role its groups map to, among
// the roles its access key can list; an app without a key is not checked.
func (c *Checker) Check(ctx context.Context, app directory.App) error {
	f, causes := directory.ReadAWSFederation(app.Settings)
	if app.Name != directory.AWSAccountFederationApp || len(causes) > 0 || f.AccessKey == "" {
		return nil
	}
	mapped, err := c.mappedRoles(ctx, f)
	if err != nil || len(mapped) == 0 {
		return err
	}
	roles, err := c.Roles(ctx, f)
	if err != nil {
		return err
	}
	for _, r := range roles {
		if mapped[r.ARN] && r.MaxSessionDuration < f.SessionDuration {
			return &errs.Error{Kind: errs.Invalid, Reason: directory.ReasonValidation, Message: "Api validation failed: settings.app.sessionDuration: " +
				"The session duration " + strconv.Itoa(f.SessionDuration) + " seconds is longer than the maximum session duration of the role " + r.ARN +
				" (" + strconv.Itoa(r.MaxSessionDuration) + " seconds): AWS would refuse every sign-in to it. Lower sessionDuration, or raise the role's MaxSessionDuration."}
		}
	}
	return nil
}

// mappedRoles are the role ARNs the directory's groups map to.
func (c *Checker) mappedRoles(ctx context.Context, f directory.AWSFederation) (map[string]bool, error) {
	out := map[string]bool{}
	p := store.Page{Limit: 200}
	for {
		groups, next, err := c.groups.ListGroups(ctx, store.GroupQuery{}, p)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			if v := f.RoleFor(g.Name); v != "" {
				out[roleOf(v)] = true
			}
		}
		if next == "" {
			return out, nil
		}
		p.Token = next
	}
}

// roleOf is the role ARN of a "<provider>,<role>" value, in either order.
func roleOf(value string) string {
	a, b, _ := strings.Cut(value, ",")
	if strings.Contains(a, ":role/") {
		return strings.TrimSpace(a)
	}
	return strings.TrimSpace(b)
}

// Roles lists the roles of the app's access key's account with IAM
// ListRoles, on AWS (the IAM of the app's partition) or, when the app's
// loginURL is keyward's AWS side, on keyward's IAM at that address.
func (c *Checker) Roles(ctx context.Context, f directory.AWSFederation) ([]Role, error) {
	secret, err := c.openSecret(f.SealedSecret)
	if err != nil {
		return nil, err
	}
	bounded := *c.client
	bounded.Transport = boundedBodies{cmp.Or[http.RoundTripper](c.client.Transport, http.DefaultTransport)}
	// One retry at most: an administrator is waiting on the answer, but a
	// connection the Go transport closed under the SDK mid-response
	// (aws/aws-sdk-go-v2#2737) or a throttled call should not fail the save.
	opts := iam.Options{Region: iamRegion[f.Partition], HTTPClient: &bounded, Retryer: retry.AddWithMaxAttempts(retry.NewStandard(), 2),
		Credentials: credentials.NewStaticCredentialsProvider(f.AccessKey, secret, "")}
	if ep := endpoint(f.LoginURL); ep != "" {
		opts.BaseEndpoint = aws.String(ep)
	}
	client := iam.New(opts)
	var out []Role
	in := &iam.ListRolesInput{MaxItems: aws.Int32(1000)}
	for range maxRolePages {
		page, err := client.ListRoles(ctx, in)
		if err != nil {
			return nil, rolesError("keyward could not list the account's roles with this access key: %v", err)
		}
		for _, r := range page.Roles {
			out = append(out, Role{ARN: aws.ToString(r.Arn), MaxSessionDuration: int(aws.ToInt32(r.MaxSessionDuration))})
		}
		next := aws.ToString(page.Marker)
		switch {
		case !page.IsTruncated || next == "":
			return out, nil
		case next == aws.ToString(in.Marker):
			return nil, rolesError("ListRoles at %s answered the marker it was asked for: its paging does not advance", cmp.Or(endpoint(f.LoginURL), "AWS"))
		}
		in.Marker = aws.String(next)
	}
	return nil, rolesError("ListRoles at %s did not end after %d pages of 1000 roles (IAM allows at most 5000)", cmp.Or(endpoint(f.LoginURL), "AWS"), maxRolePages)
}

// iamRegion is the region of each partition's IAM endpoint (IAM is
// global within a partition): the SDK resolves the endpoint, and SigV4's
// scope, from it.
var iamRegion = map[string]string{"": "us-east-1", "aws": "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"}

// maxRoleBody bounds one ListRoles answer: 1000 roles with the largest
// trust policies IAM allows, URL-encoded, stay well below it.
const maxRoleBody = 16 << 20

// boundedBodies fails the reading of an answer longer than maxRoleBody.
type boundedBodies struct{ next http.RoundTripper }

func (b boundedBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := b.next.RoundTrip(r)
	if err == nil {
		resp.Body = &boundedBody{ReadCloser: resp.Body, left: maxRoleBody}
	}
	return resp, err
}

type boundedBody struct {
	io.ReadCloser
	left int64
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, fmt.Errorf("the answer is longer than %d bytes", maxRoleBody)
	}
	p = p[:min(int64(len(p)), b.left)]
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

// maxRolePages bounds a role listing: pages of 1000, twenty times IAM's
// highest role quota.
const maxRolePages = 100

func rolesError(format string, args ...any) error {
	return errs.E(errs.Invalid, "Api validation failed: settings.app.accessKey: "+format, args...).WithReason(directory.ReasonValidation)
}

// endpoint is the IAM endpoint for loginURL: "" (AWS's own) for AWS's
// sign-in hosts, else loginURL's origin, keyward's AWS side.
func endpoint(loginURL string) string {
	u, err := url.Parse(loginURL)
	if err != nil || u.Host == "" {
		return ""
	}
	h := u.Hostname()
	for _, aws := range []string{".amazon.com", ".amazonaws.cn", ".amazonaws-us-gov.com"} {
		if strings.HasSuffix(h, aws) {
			return ""
		}
	}
	return u.Scheme + "://" + u.Host
}
