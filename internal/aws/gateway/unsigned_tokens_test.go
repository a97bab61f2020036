package gateway

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/errs"
)

type tokenInput struct{ Token string }

func (in *tokenInput) Validate() error {
	switch in.Token {
	case "":
		return errs.E(errs.Invalid, "token is required").WithCode("ValidationError")
	case "expired":
		return errs.E(errs.Invalid, "Token expired").WithCode(sigv4.CodeExpiredToken)
	}
	return nil
}

// newWebIdentityGateway serves one unsigned action, whose answer says whether
// a principal reached it, and one signed action; its authorizer refuses
// everything, so only an action that skips it can answer.
func newWebIdentityGateway() *Gateway {
	v := &sigv4.Verifier{Lookup: func(context.Context, string, string) (sigv4.Key, error) {
		return sigv4.Key{Secret: testSecret}, nil
	}}
	g := New(v, nil)
	answer := QueryOp(func(ctx context.Context, in *tokenInput) (*struct{ Principal bool }, error) {
		_, ok := awsauth.PrincipalFrom(ctx)
		return &struct{ Principal bool }{ok}, nil
	})
	g.AddQuery(&QueryService{
		SigningName: "sts", Version: "2011-06-15", Namespace: protocol.QueryNamespace, Codes: protocol.QueryCodes,
		Authorize: func(context.Context, awsauth.Principal, Request) error {
			return errs.E(errs.Denied, "no").WithCode("AccessDenied")
		},
		Actions:  map[string]QueryAction{"AssumeRoleWithWebIdentity": answer, "GetSessionToken": answer},
		Unsigned: map[string]bool{"AssumeRoleWithWebIdentity": true},
	})
	return g
}

func post(form string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func TestUnsignedActions(t *testing.T) {
	for _, tc := range []struct {
		name, form string
		code       int
		want       string
	}{
		{"an unsigned action answers without a signature or an authorizer, and with no principal",
			"Action=AssumeRoleWithWebIdentity&Version=2011-06-15&Token=t", 200, "<Principal>false</Principal>"},
		{"an unsigned action still validates its input",
			"Action=AssumeRoleWithWebIdentity&Version=2011-06-15", 400, "<Code>ValidationError</Code>"},
		{"an action not listed as unsigned still needs a signature",
			"Action=GetSessionToken&Version=2011-06-15&Token=t", 403, "<Code>MissingAuthenticationToken</Code>"},
		{"an action's own ExpiredTokenException keeps its name (it is not the signature's ExpiredToken)",
			"Action=AssumeRoleWithWebIdentity&Version=2011-06-15&Token=expired", 400, "<Code>ExpiredTokenException</Code>"},
		{"an unsigned action still needs the service's version",
			"Action=AssumeRoleWithWebIdentity&Version=2010-05-08&Token=t", 400, "<Code>InvalidAction</Code>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			newWebIdentityGateway().ServeHTTP(w, post(tc.form))
			if w.Code != tc.code || !strings.Contains(w.Body.String(), tc.want) {
				t.Errorf("= %d %s, want %d with %s", w.Code, w.Body, tc.code, tc.want)
			}
		})
	}
}

func TestAnUnsignedActionIsNotPresignable(t *testing.T) {
	w := httptest.NewRecorder()
	newWebIdentityGateway().ServeHTTP(w, presignedFor(t, "sts", "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&Token=t&X-Amz-Expires=60"))
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "<Code>IncompleteSignature</Code>") {
		t.Errorf("= %d %s", w.Code, w.Body)
	}
}
