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

const (
	testKey    = "AKIAKEYWARDGATEWAY01"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

// newQueryGateway serves an awsQuery service with two actions, only one of
// them presignable.
func newQueryGateway() *Gateway {
	v := &sigv4.Verifier{Lookup: func(context.Context, string, string) (sigv4.Key, error) {
		return sigv4.Key{Secret: testSecret}, nil
	}}
	g := New(v, nil)
	answer := func(context.Context, map[string]string, func(any) error) (any, error) {
		return struct{ OK bool }{true}, nil
	}
	g.AddQuery(&QueryService{
		SigningName: "sts", Version: "2011-06-15", Namespace: protocol.QueryNamespace, Codes: protocol.QueryCodes,
		Actions:     map[string]QueryAction{"GetCallerIdentity": answer, "GetSessionToken": answer},
		Presignable: map[string]bool{"GetCallerIdentity": true},
	})
	return g
}

// presigned is a GET / presigned with aws-sdk-go-v2's signer for action.
func presigned(t *testing.T, action string) *http.Request {
	t.Helper()
	return presignedFor(t, "sts", "Action="+action+"&Version=2011-06-15&X-Amz-Expires=60")
}

// presignedFor is a GET / of query presigned for service.
func presignedFor(t *testing.T, service, query string) *http.Request {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://aws.keyward.test/?"+query, nil)
	sum := sha256.Sum256(nil)
	creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}
	uri, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, "us-east-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return httptest.NewRequest(http.MethodGet, uri, nil)
}

func TestPresignedURLsReachOnlyPresignableActions(t *testing.T) {
	g := newQueryGateway()
	w := httptest.NewRecorder()
	g.ServeHTTP(w, presigned(t, "GetCallerIdentity"))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "<GetCallerIdentityResult>") {
		t.Errorf("presigned GetCallerIdentity = %d %s", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	g.ServeHTTP(w, presigned(t, "GetSessionToken"))
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "<Code>IncompleteSignature</Code>") ||
		!strings.Contains(w.Body.String(), "GetSessionToken does not accept a presigned (query-string) signature") {
		t.Errorf("presigned GetSessionToken = %d %s", w.Code, w.Body)
	}
}

func TestAGetWithoutAPresignedSignatureIsStillRefused(t *testing.T) {
	w := httptest.NewRecorder()
	newQueryGateway().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/?Action=GetCallerIdentity&Version=2011-06-15", nil))
	if w.Code != http.StatusBadRequest || w.Header().Get("Allow") != http.MethodPost || !strings.Contains(w.Body.String(), "<Code>InvalidAction</Code>") {
		t.Errorf("unsigned GET = %d %v %s", w.Code, w.Header(), w.Body)
	}
}
