package gateway

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/sigv4"
)

// A request signed for a service the gateway does not serve is refused, and
// its key is not recorded as used by it: an access key's last use (IAM's
// GetAccessKeyLastUsed ServiceName) is only ever a service that answered.
func TestARequestScopedToAnotherServiceIsNotRecordedAsAUseOfTheKey(t *testing.T) {
	var used []string
	v := &sigv4.Verifier{
		Lookup: func(context.Context, string, string) (sigv4.Key, error) { return sigv4.Key{Secret: testSecret}, nil },
		Verified: func(_ context.Context, res sigv4.Result) {
			used = append(used, res.Service)
		},
	}
	g := New(v, nil)
	g.AddQuery(&QueryService{
		SigningName: "sts", Version: "2011-06-15", Namespace: protocol.QueryNamespace, Codes: protocol.QueryCodes,
		Actions: map[string]QueryAction{"GetCallerIdentity": func(context.Context, map[string]string, func(any) error) (any, error) {
			return struct{ OK bool }{true}, nil
		}},
		Presignable: map[string]bool{"GetCallerIdentity": true},
	})
	g.AddJSON(&JSONService{TargetPrefix: "AWSIdentityStore", SigningName: "identitystore", Codes: protocol.JSONCodes,
		Operations: map[string]Operation{"ListGroups": Op(func(context.Context, *struct{}) (*struct{}, error) { return &struct{}{}, nil })}})

	wantXML(t, serve(g, signedForm(t, "made-up-service", "Action=GetCallerIdentity&Version=2011-06-15")), http.StatusForbidden,
		"<Code>SignatureDoesNotMatch</Code>", "Credential should be scoped to correct service")
	wantXML(t, serve(g, presignedFor(t, "s3", "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=60")), http.StatusForbidden,
		"<Code>SignatureDoesNotMatch</Code>", "Credential should be scoped to correct service")
	if w := serve(g, signedJSON(t, "sts", "AWSIdentityStore.ListGroups", "{}")); w.Code != http.StatusBadRequest {
		t.Errorf("an sts-scoped Identity Store call = %d %s", w.Code, w.Body)
	}
	if len(used) != 0 {
		t.Errorf("refused requests were recorded as uses of the key by %q", used)
	}
	wantXML(t, serve(g, signedForm(t, "sts", "Action=GetCallerIdentity&Version=2011-06-15")), http.StatusOK)
	if len(used) != 1 || used[0] != "sts" {
		t.Errorf("an answered request was recorded as %q, want [sts]", used)
	}
}

// signedJSON is an awsJson POST / of body for target, signed for service.
func signedJSON(t *testing.T, service, target, body string) *http.Request {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "http://aws.keyward.test/", strings.NewReader(body))
	req.Header.Set("Content-Type", protocol.ContentTypeAWSJSON)
	req.Header.Set("X-Amz-Target", target)
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	return req
}
