package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

var rootARN = regexp.MustCompile(`<Arn>arn:aws:iam::\d{12}:root</Arn>`)

// presignCallerIdentity presigns GetCallerIdentity with aws-sdk-go-v2's STS
// presigner, as aws-iam-authenticator and Vault's AWS auth do, and returns
// the request a verifying server would replay, not yet sent.
func (s *server) presignCallerIdentity(t *testing.T, creds aws.Credentials) *http.Request {
	t.Helper()
	cfg := s.adminConfig()
	cfg.Credentials = credentials.StaticCredentialsProvider{Value: creds}
	p, err := sts.NewPresignClient(sts.NewFromConfig(cfg)).PresignGetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(p.Method, p.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range p.SignedHeader {
		if k != "Host" {
			req.Header[k] = v
		}
	}
	return req
}

func TestPresignedGetCallerIdentity(t *testing.T) {
	s, clk := startClocked(t)
	st := s.setUpStory()
	role := s.roleSession(t, st)
	admin := s.adminCredentials()

	t.Run("a presigned URL made with a root key answers who signed it", func(t *testing.T) {
		req := s.presignCallerIdentity(t, admin)
		if req.Method != http.MethodGet || !strings.Contains(req.URL.RawQuery, "X-Amz-Signature=") {
			t.Fatalf("the SDK presigned %s %s", req.Method, req.URL)
		}
		w := roundTrip(t, req)
		if w.Status != http.StatusOK || !rootARN.Match(w.Body) {
			t.Fatalf("GetCallerIdentity: %d %s", w.Status, w.Body)
		}
	})
	t.Run("a presigned URL made with a role session answers the assumed role", func(t *testing.T) {
		w := roundTrip(t, s.presignCallerIdentity(t, role))
		if w.Status != http.StatusOK || !strings.Contains(string(w.Body), ":assumed-role/AWSReservedSSO_DevOps_") {
			t.Fatalf("GetCallerIdentity: %d %s", w.Status, w.Body)
		}
	})
	t.Run("a URL presigned for POST with no body answers too", func(t *testing.T) {
		req := s.presign(t, admin, clk.Now(), http.MethodPost, "sts", "?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=60", nil, "")
		if w := roundTrip(t, req); w.Status != http.StatusOK || !rootARN.Match(w.Body) {
			t.Fatalf("POST: %d %s", w.Status, w.Body)
		}
	})
	t.Run("a URL presigned for GET does not verify as a POST", func(t *testing.T) {
		req := s.presignCallerIdentity(t, admin)
		req.Method = http.MethodPost
		queryError(t, roundTrip(t, req), http.StatusForbidden, "SignatureDoesNotMatch", "signature we calculated does not match")
	})
	t.Run("a parameter added after presigning is SignatureDoesNotMatch", func(t *testing.T) {
		req := s.presignCallerIdentity(t, admin)
		req.URL.RawQuery += "&DurationSeconds=43200"
		queryError(t, roundTrip(t, req), http.StatusForbidden, "SignatureDoesNotMatch", "signature we calculated does not match")
	})
	t.Run("an X-Amz-Expires added after presigning is SignatureDoesNotMatch", func(t *testing.T) {
		req := setQuery(s.presignCallerIdentity(t, admin), "X-Amz-Expires", "604800")
		queryError(t, roundTrip(t, req), http.StatusForbidden, "SignatureDoesNotMatch", "signature we calculated does not match")
	})
	t.Run("an X-Amz-Expires over 7 days is IncompleteSignature", func(t *testing.T) {
		req := setQuery(s.presignCallerIdentity(t, admin), "X-Amz-Expires", "604801")
		queryError(t, roundTrip(t, req), http.StatusBadRequest, "IncompleteSignature", "from 1 to 604800")
	})
	t.Run("a presigned call with a body is refused", func(t *testing.T) {
		presigned := s.presignCallerIdentity(t, admin)
		req, _ := http.NewRequest(http.MethodPost, presigned.URL.String(), strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		queryError(t, roundTrip(t, req), http.StatusBadRequest, "InvalidAction", "with no body")
	})
	t.Run("an awsJson operation does not accept a presigned URL", func(t *testing.T) {
		header := http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amz-Target": {"AWSIdentityStore.CreateGroup"}}
		body := st.ids(`{"IdentityStoreId":"{store}","DisplayName":"Intruders"}`)
		w := roundTrip(t, s.presign(t, admin, clk.Now(), http.MethodPost, "identitystore", "?X-Amz-Expires=900", header, body))
		awsJSONError(t, w, "IncompleteSignatureException", "does not accept a presigned (query-string) signature")
	})

	sdkURL := s.presignCallerIdentity(t, admin)
	shortURL := s.presign(t, admin, clk.Now(), http.MethodGet, "sts", "?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=60", nil, "")
	clk.Advance(61 * time.Second)
	t.Run("a URL used after its X-Amz-Expires is SignatureDoesNotMatch", func(t *testing.T) {
		queryError(t, roundTrip(t, shortURL), http.StatusForbidden, "SignatureDoesNotMatch", "Request has expired")
	})
	t.Run("the SDK's URL, which has no X-Amz-Expires, still answers after a minute", func(t *testing.T) {
		if sdkURL.URL.Query().Has("X-Amz-Expires") {
			t.Errorf("the SDK now sends X-Amz-Expires; update this test")
		}
		if w := roundTrip(t, sdkURL); w.Status != http.StatusOK {
			t.Fatalf("GetCallerIdentity: %d %s", w.Status, w.Body)
		}
	})
	clk.Advance(15 * time.Minute)
	t.Run("the SDK's URL is refused after STS's 15 minutes", func(t *testing.T) {
		queryError(t, roundTrip(t, sdkURL), http.StatusForbidden, "SignatureDoesNotMatch", "Request has expired")
	})
}

// setQuery sets a query parameter of req after it was presigned.
func setQuery(req *http.Request, name, value string) *http.Request {
	q := req.URL.Query()
	q.Set(name, value)
	req.URL.RawQuery = q.Encode()
	return req
}

// presign presigns method /pathAndQuery with aws-sdk-go-v2's signer for
// service, signed at at (the server's clock). Headers stay headers (no
// hoisting into the query), so an X-Amz-Target still routes as awsJson.
func (s *server) presign(t *testing.T, creds aws.Credentials, at time.Time, method, service, pathAndQuery string, header http.Header, body string) *http.Request {
	t.Helper()
	req, _ := http.NewRequest(method, s.url+"/"+pathAndQuery, strings.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	sum := sha256.Sum256([]byte(body))
	uri, signed, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, "us-east-1", at,
		func(o *v4.SignerOptions) { o.DisableHeaderHoisting = true })
	if err != nil {
		t.Fatal(err)
	}
	out, _ := http.NewRequest(method, uri, strings.NewReader(body))
	for k, v := range signed {
		if k != "Host" {
			out.Header[k] = v
		}
	}
	return out
}
