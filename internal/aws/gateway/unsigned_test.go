package gateway

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
)

// newUnsignedGateway serves an STS whose Federate action may be unsigned
// and answers with the caller it saw; its authorizer refuses everything.
func newUnsignedGateway() *Gateway {
	g := New(newQueryGateway().verifier, nil)
	who := func(ctx context.Context, _ map[string]string, authorize func(any) error) (any, error) {
		if err := authorize(nil); err != nil {
			return nil, err
		}
		p, ok := awsauth.PrincipalFrom(ctx)
		return struct{ Caller string }{map[bool]string{true: "signed:" + p.ARN, false: "anonymous"}[ok]}, nil
	}
	g.AddQuery(&QueryService{
		SigningName: "sts", Version: "2011-06-15", Namespace: protocol.QueryNamespace, Codes: protocol.QueryCodes,
		Authorize: func(context.Context, awsauth.Principal, Request) error { return errs.E(errs.Denied, "no") },
		Actions:   map[string]QueryAction{"Federate": who, "GetSessionToken": who},
		Unsigned:  map[string]bool{"Federate": true},
	})
	return g
}

func TestOnlyUnsignedActionsAnswerARequestWithNoSignature(t *testing.T) {
	g := newUnsignedGateway()
	cases := []struct {
		name string
		req  *http.Request
		code int
		want string
	}{
		{"an unsigned Federate reaches the action with no principal", unsignedForm("Action=Federate&Version=2011-06-15"), http.StatusOK, "<Caller>anonymous</Caller>"},
		{"a signed Federate reaches it as the signer, not asking the authorizer", signedForm(t, "sts", "Action=Federate&Version=2011-06-15"), http.StatusOK, "<Caller>signed:</Caller>"},
		{"an unsigned GetSessionToken is refused", unsignedForm("Action=GetSessionToken&Version=2011-06-15"), http.StatusForbidden, "MissingAuthenticationToken"},
		{"a Federate with a bad signature is refused", badlySigned(t), http.StatusForbidden, "SignatureDoesNotMatch"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			g.ServeHTTP(w, c.req)
			if w.Code != c.code || !strings.Contains(w.Body.String(), c.want) {
				t.Errorf("got %d %s, want %d containing %s", w.Code, w.Body, c.code, c.want)
			}
		})
	}
}

// unsignedForm is a POST / of form with no signature.
func unsignedForm(form string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "http://aws.keyward.test/", strings.NewReader(form))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// badlySigned is a signed Federate whose signature's last digit changed.
func badlySigned(t *testing.T) *http.Request {
	r := signedForm(t, "sts", "Action=Federate&Version=2011-06-15")
	h := r.Header.Get("Authorization")
	r.Header.Set("Authorization", h[:len(h)-1]+map[bool]string{true: "1", false: "0"}[h[len(h)-1] == '0'])
	return r
}
