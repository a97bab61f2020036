package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// wire is one HTTP exchange as a client sees it.
type wire struct {
	Status int
	Header http.Header
	Body   []byte
}

// caller sends raw requests to a server, SigV4-signed with aws-sdk-go-v2's
// signer unless told otherwise, so a test controls every byte of the body
// and every header.
type caller struct {
	t     *testing.T
	url   string
	creds aws.Credentials
	now   func() time.Time
}

// caller signs with the bootstrap root key at the real time.
func (s *server) caller() *caller {
	return &caller{t: s.t, url: s.url, creds: s.adminCredentials(), now: time.Now}
}

// as returns a copy of c signing with creds.
func (c *caller) as(creds aws.Credentials) *caller {
	cp := *c
	cp.creds = creds
	return &cp
}

// request is one raw request before it is sent.
type request struct {
	method, path string
	header       http.Header
	body         []byte
	service      string // SigV4 scope service
	region       string
	signed       bool
	creds        aws.Credentials
	at           time.Time
	afterSigning func(*http.Request)
}

// opt changes a request.
type opt func(*request)

// unsigned sends the request with no Authorization header.
func unsigned() opt { return func(r *request) { r.signed = false } }

// signedAs signs with creds instead of the caller's.
func signedAs(creds aws.Credentials) opt { return func(r *request) { r.creds = creds } }

// scopedTo signs for another service than the one the request is for.
func scopedTo(service string) opt { return func(r *request) { r.service = service } }

// signedAt signs with a chosen X-Amz-Date.
func signedAt(t time.Time) opt { return func(r *request) { r.at = t } }

// withHeader sets a header before signing.
func withHeader(k, v string) opt { return func(r *request) { r.header.Set(k, v) } }

// withMethod changes the HTTP method.
func withMethod(m string) opt { return func(r *request) { r.method = m } }

// tamperedBody replaces the body after the request was signed.
func tamperedBody(body string) opt {
	return func(r *request) {
		r.afterSigning = func(h *http.Request) {
			h.Body = io.NopCloser(strings.NewReader(body))
			h.ContentLength = int64(len(body))
		}
	}
}

// signingNames maps awsJson target prefixes to their SigV4 service names.
var signingNames = map[string]string{
	"SWBExternalService":        "sso",
	"AWSIdentityStore":          "identitystore",
	"AWSOrganizationsV20161128": "organizations",
}

// json sends an awsJson1_1 request for target ("Prefix.Operation").
func (c *caller) json(target, body string, opts ...opt) wire {
	c.t.Helper()
	return c.send(c.awsJSON(target, body), opts...)
}

// jsonRequest is an awsJson request for target, signed but not sent.
func (c *caller) jsonRequest(target, body string) *http.Request {
	c.t.Helper()
	return c.build(c.awsJSON(target, body))
}

func (c *caller) awsJSON(target, body string) *request {
	prefix, _, _ := strings.Cut(target, ".")
	r := c.newRequest(http.MethodPost, "/", []byte(body), signingNames[prefix])
	r.header.Set("Content-Type", "application/x-amz-json-1.1")
	r.header.Set("X-Amz-Target", target)
	return r
}

// query sends an awsQuery (STS) form.
func (c *caller) query(form string, opts ...opt) wire {
	c.t.Helper()
	r := c.newRequest(http.MethodPost, "/", []byte(form), "sts")
	r.header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	return c.send(r, opts...)
}

// newRequest is a request signed for service ("sso" when unknown).
func (c *caller) newRequest(method, path string, body []byte, service string) *request {
	if service == "" {
		service = "sso"
	}
	return &request{method: method, path: path, header: http.Header{}, body: body, service: service,
		region: "us-east-1", signed: true, creds: c.creds, at: c.now()}
}

func (c *caller) send(r *request, opts ...opt) wire {
	c.t.Helper()
	return roundTrip(c.t, c.build(r, opts...))
}

// build applies opts to r and returns it as a signed *http.Request.
func (c *caller) build(r *request, opts ...opt) *http.Request {
	c.t.Helper()
	for _, o := range opts {
		o(r)
	}
	req, err := http.NewRequest(r.method, c.url+r.path, bytes.NewReader(r.body))
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	if r.signed {
		sum := sha256.Sum256(r.body)
		err := v4.NewSigner().SignHTTP(context.Background(), r.creds, req, hex.EncodeToString(sum[:]), r.service, r.region, r.at)
		if err != nil {
			c.t.Fatal(err)
		}
	}
	if r.afterSigning != nil {
		r.afterSigning(req)
	}
	return req
}

// roundTrip sends req without following redirects.
func roundTrip(t *testing.T, req *http.Request) wire {
	t.Helper()
	w, err := fetch(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	return w
}

// fetch sends req without following redirects; it is safe to call from
// any goroutine.
func fetch(req *http.Request) (wire, error) {
	client := &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return wire{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return wire{}, err
	}
	return wire{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

// mustJSON sends an awsJson request that must succeed.
func (c *caller) mustJSON(target, body string) map[string]any {
	c.t.Helper()
	return c.json(target, body).ok(c.t)
}

// ids substitutes a story's identifiers into a request body template:
// {store}, {instance}, {instanceId}, {ps}, {account}, {user}, {group}.
func (st story) ids(body string) string {
	instanceID := strings.TrimPrefix(st.InstanceARN, "arn:aws:sso:::instance/")
	return strings.NewReplacer("{store}", st.IdentityStoreID, "{instance}", st.InstanceARN, "{instanceId}", instanceID, "{ps}", st.PermissionSetARN,
		"{account}", st.AccountID, "{user}", st.UserID, "{group}", st.GroupID).Replace(body)
}

// state is everything an administrator can list, as raw response bodies.
type state map[string]string

// snapshot reads the whole administrable state around a story.
func (c *caller) snapshot(st story) state {
	c.t.Helper()
	reads := map[string]string{
		"AWSIdentityStore.ListUsers":                                            `{"IdentityStoreId":"{store}"}`,
		"AWSIdentityStore.ListGroups":                                           `{"IdentityStoreId":"{store}"}`,
		"AWSIdentityStore.ListGroupMemberships":                                 `{"IdentityStoreId":"{store}","GroupId":"{group}"}`,
		"AWSIdentityStore.ListGroupMembershipsForMember":                        `{"IdentityStoreId":"{store}","MemberId":{"UserId":"{user}"}}`,
		"SWBExternalService.ListPermissionSets":                                 `{"InstanceArn":"{instance}"}`,
		"SWBExternalService.DescribePermissionSet":                              `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}"}`,
		"SWBExternalService.ListManagedPoliciesInPermissionSet":                 `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}"}`,
		"SWBExternalService.GetInlinePolicyForPermissionSet":                    `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}"}`,
		"SWBExternalService.ListTagsForResource":                                `{"InstanceArn":"{instance}","ResourceArn":"{ps}"}`,
		"SWBExternalService.ListAccountAssignments":                             `{"InstanceArn":"{instance}","AccountId":"{account}","PermissionSetArn":"{ps}"}`,
		"SWBExternalService.ListPermissionSetsProvisionedToAccount":             `{"InstanceArn":"{instance}","AccountId":"{account}"}`,
		"SWBExternalService.ListCustomerManagedPolicyReferencesInPermissionSet": `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}"}`,
		"SWBExternalService.DescribeInstance":                                   `{"InstanceArn":"{instance}"}`,
		"AWSOrganizationsV20161128.ListAccounts":                                `{}`,
	}
	out := state{}
	for target, body := range reads {
		w := c.json(target, st.ids(body))
		if w.Status != http.StatusOK {
			c.t.Fatalf("snapshot %s: status %d: %s", target, w.Status, w.Body)
		}
		out[target] = string(w.Body)
	}
	return out
}

// unchanged fails the test when the state differs from before.
func (c *caller) unchanged(st story, before state) {
	c.t.Helper()
	after := c.snapshot(st)
	for k, v := range before {
		if after[k] != v {
			c.t.Errorf("the refused request changed %s:\nbefore %s\nafter  %s", k, v, after[k])
		}
	}
}
