package console

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/cred/output"
)

// TestAnUnreachableEndpointIsReportedWithoutTheCredentials: the sign-in
// token is asked for with the credentials in the query, and Go's client
// errors quote the URL. A person pastes such an error into a ticket: it
// must say what failed, not hand over the role's keys.
func TestAnUnreachableEndpointIsReportedWithoutTheCredentials(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	t.Setenv("AWS_ENDPOINT_URL_SIGNIN", "http://"+addr)
	c := output.Credentials{AccessKeyID: "ASIAEXAMPLEKEYID", SecretAccessKey: "SecretAccessKeyThatMustNotShow",
		SessionToken: "SessionTokenThatMustNotShow"}
	_, err = URL(context.Background(), c, "eu-west-1")
	if err == nil {
		t.Fatal("no error from an endpoint nobody listens on")
	}
	msg := err.Error()
	for _, secret := range []string{c.SecretAccessKey, c.SessionToken} {
		if strings.Contains(msg, secret) {
			t.Errorf("the error shows a secret: %s", msg)
		}
	}
	if !strings.Contains(msg, addr) {
		t.Errorf("the error does not name the endpoint: %s", msg)
	}
}
