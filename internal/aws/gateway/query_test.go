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
	"github.com/keyward/keyward/internal/errs"
)

// widgetNamespace is the test-only second awsQuery service's namespace; it
// shares the protocol with STS, not the namespace or the error codes.
const widgetNamespace = "https://widget.keyward.test/doc/2020-01-01/"

var widgetCodes = protocol.Codes{
	ByKind:   map[errs.Kind]string{errs.Invalid: "WidgetValidation"},
	Fallback: "WidgetFailure",
}

type tagWidgetInput struct {
	WidgetName string
	Count      *int
	Tags       []struct{ Key, Value string }
}

type tagWidgetOutput struct {
	Summary string
}

func tagWidget(_ context.Context, in *tagWidgetInput) (*tagWidgetOutput, error) {
	pairs := []string{in.WidgetName}
	for _, t := range in.Tags {
		pairs = append(pairs, t.Key+"="+t.Value)
	}
	return &tagWidgetOutput{Summary: strings.Join(pairs, ",")}, nil
}

// newTwoQueryGateway serves STS (registered first) and the widget service.
func newTwoQueryGateway() *Gateway {
	g := newQueryGateway()
	g.AddQuery(&QueryService{
		SigningName: "widget", Version: "2020-01-01", Namespace: widgetNamespace, Codes: widgetCodes,
		Actions: map[string]QueryAction{"TagWidget": QueryOp(tagWidget)},
	})
	return g
}

// signedForm is a POST / of form, signed for service with aws-sdk-go-v2's signer.
func signedForm(t *testing.T, service, form string) *http.Request {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "http://aws.keyward.test/", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(form))
	creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	return req
}

func serve(g *Gateway, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	g.ServeHTTP(w, r)
	return w
}

func wantXML(t *testing.T, w *httptest.ResponseRecorder, status int, parts ...string) {
	t.Helper()
	if w.Code != status {
		t.Errorf("status = %d, want %d; body %s", w.Code, status, w.Body)
	}
	for _, p := range parts {
		if !strings.Contains(w.Body.String(), p) {
			t.Errorf("the body lacks %q:\n%s", p, w.Body)
		}
	}
}

func TestEachQueryRequestReachesTheServiceItsScopeNames(t *testing.T) {
	g := newTwoQueryGateway()
	t.Run("an sts-scoped request is answered by STS in STS's namespace", func(t *testing.T) {
		w := serve(g, signedForm(t, "sts", "Action=GetCallerIdentity&Version=2011-06-15"))
		wantXML(t, w, http.StatusOK, `<GetCallerIdentityResponse xmlns="`+protocol.QueryNamespace+`">`, "<GetCallerIdentityResult>")
	})
	t.Run("a widget-scoped request is answered by the widget service in its namespace, its list decoded", func(t *testing.T) {
		form := "Action=TagWidget&Version=2020-01-01&WidgetName=w1&Tags.member.1.Key=team&Tags.member.1.Value=a&Tags.member.2.Key=env&Tags.member.2.Value=dev"
		w := serve(g, signedForm(t, "widget", form))
		wantXML(t, w, http.StatusOK, `<TagWidgetResponse xmlns="`+widgetNamespace+`">`, "<Summary>w1,team=a,env=dev</Summary>")
	})
	t.Run("an action of the other service is unknown, in each service's own namespace", func(t *testing.T) {
		wantXML(t, serve(g, signedForm(t, "widget", "Action=GetCallerIdentity&Version=2020-01-01")), http.StatusBadRequest,
			`xmlns="`+widgetNamespace+`"`, "<Code>InvalidAction</Code>", "version 2020-01-01")
		wantXML(t, serve(g, signedForm(t, "sts", "Action=TagWidget&Version=2011-06-15")), http.StatusBadRequest,
			`xmlns="`+protocol.QueryNamespace+`"`, "<Code>InvalidAction</Code>", "version 2011-06-15")
	})
	t.Run("an error takes the widget service's own codes", func(t *testing.T) {
		w := serve(g, signedForm(t, "widget", "Action=TagWidget&Version=2020-01-01&Count=many"))
		wantXML(t, w, http.StatusBadRequest, `xmlns="`+widgetNamespace+`"`, "<Code>WidgetValidation</Code>", "at &#39;Count&#39;")
	})
	t.Run("a malformed list is refused in the widget's namespace", func(t *testing.T) {
		w := serve(g, signedForm(t, "widget", "Action=TagWidget&Version=2020-01-01&Tags.member.2.Key=k&Tags.member.2.Value=v"))
		wantXML(t, w, http.StatusBadRequest, `xmlns="`+widgetNamespace+`"`, "<Code>MalformedQueryString</Code>", "Tags.member.1 is missing")
		w = serve(g, signedForm(t, "widget", "Action=TagWidget&Version=2020-01-01&Tags=x"))
		wantXML(t, w, http.StatusBadRequest, `xmlns="`+widgetNamespace+`"`, `does not fit the shape of Tags`)
	})
}

func TestAQueryRequestForAnUnknownSigningNameIsRefusedInTheFirstServicesShape(t *testing.T) {
	g := newTwoQueryGateway()
	t.Run("a request scoped to s3 names both services it could have been scoped to", func(t *testing.T) {
		w := serve(g, signedForm(t, "s3", "Action=GetCallerIdentity&Version=2011-06-15"))
		wantXML(t, w, http.StatusForbidden, `xmlns="`+protocol.QueryNamespace+`"`, "<Code>SignatureDoesNotMatch</Code>",
			"Credential should be scoped to correct service: &#39;sts&#39; or &#39;widget&#39;.")
	})
	t.Run("an unsigned request is refused by STS", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		wantXML(t, serve(g, r), http.StatusForbidden, `xmlns="`+protocol.QueryNamespace+`"`, "<Code>MissingAuthenticationToken</Code>")
	})
	t.Run("a PUT signed for the widget service is refused in the widget's namespace", func(t *testing.T) {
		r := signedForm(t, "widget", "Action=TagWidget&Version=2020-01-01")
		r.Method = http.MethodPut
		wantXML(t, serve(g, r), http.StatusBadRequest, `xmlns="`+widgetNamespace+`"`, "<Code>InvalidAction</Code>")
	})
	t.Run("with STS alone, the refusal reads as it always has", func(t *testing.T) {
		w := serve(newQueryGateway(), signedForm(t, "s3", "Action=GetCallerIdentity&Version=2011-06-15"))
		wantXML(t, w, http.StatusForbidden, "Credential should be scoped to correct service: &#39;sts&#39;.</Message>")
	})
}

func TestAPresignedURLReachesTheServiceItsScopeNames(t *testing.T) {
	g := newTwoQueryGateway()
	w := serve(g, presignedFor(t, "widget", "Action=TagWidget&Version=2020-01-01&WidgetName=w"))
	wantXML(t, w, http.StatusBadRequest, `xmlns="`+widgetNamespace+`"`, "<Code>"+sigv4.QueryCode(sigv4.CodeIncompleteSignature)+"</Code>",
		"TagWidget does not accept a presigned")
}
