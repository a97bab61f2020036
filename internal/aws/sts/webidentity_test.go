package sts_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/aws/webidentity"
	"github.com/keyward/keyward/internal/aws/webidentity/webidentitytest"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
)

const (
	webRole  = "arn:aws:iam::222222222222:role/WebApp"
	webTrust = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::222222222222:oidc-provider/example.com/tenant"},
		"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"example.com/tenant:sub":"repo:acme/app","example.com/tenant:aud":"sts.amazonaws.com"}}}}`
	webSubject = "repo:acme/app"
	webClient  = "sts.amazonaws.com"
)

// webFixture is the STS server trusting a test issuer (its thumbprint
// registered) for the member account's WebApp role; keys is the clock of
// the key cache, which tests move to let a rotated key set be fetched.
type webFixture struct {
	*server
	iss  *webidentitytest.Issuer
	keys *clock.Fake
	anon *sdk.Client
}

func newWebFixture(t *testing.T, thumbprints ...string) webFixture {
	t.Helper()
	s := newServer(t)
	iss := webidentitytest.New(t)
	keys := clock.NewFake(time.Now())
	s.svc.WithWebIdentity(&webidentity.Verifier{Keys: &webidentity.Fetcher{Clock: keys, DialContext: iss.DialContext}, Clock: clock.Real{}})
	if thumbprints == nil {
		thumbprints = []string{iss.Thumbprint()}
	}
	must(t, s.db.CreateIAMOIDCProvider(s.ctx, iam.OIDCProvider{AccountID: member, URL: "example.com/tenant", ClientIDs: []string{webClient},
		Thumbprints: thumbprints, CreatedAt: time.Now()}))
	s.role(t, "WebApp", webTrust, 7200)
	return webFixture{server: s, iss: iss, keys: keys, anon: s.client(aws.Credentials{})}
}

func (f webFixture) assume(token string, d int32) (*sdk.AssumeRoleWithWebIdentityOutput, error) {
	in := &sdk.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(webRole), RoleSessionName: aws.String("ci-run-1"), WebIdentityToken: &token}
	if d != 0 {
		in.DurationSeconds = &d
	}
	return f.anon.AssumeRoleWithWebIdentity(f.ctx, in)
}

func TestAssumeRoleWithWebIdentityTradesAVerifiedTokenForARoleSession(t *testing.T) {
	f := newWebFixture(t)
	for _, tc := range []struct {
		name string
		key  any
		alg  jose.SignatureAlgorithm
		kid  string
	}{
		{"an RS256 token", f.iss.RSA, jose.RS256, "rsa-1"},
		{"an ES256 token", f.iss.EC, jose.ES256, "ec-1"},
	} {
		t.Run(tc.name+" assumes the role", func(t *testing.T) {
			out, err := f.assume(f.iss.Sign(t, tc.key, tc.alg, tc.kid, f.iss.Claims(webSubject, webClient)), 7200)
			must(t, err)
			got := [4]string{aws.ToString(out.AssumedRoleUser.Arn), aws.ToString(out.SubjectFromWebIdentityToken), aws.ToString(out.Provider), aws.ToString(out.Audience)}
			if want := [4]string{"arn:aws:sts::222222222222:assumed-role/WebApp/ci-run-1", webSubject, f.iss.URL, webClient}; got != want {
				t.Errorf("answer %v, want %v", got, want)
			}
			if left := time.Until(aws.ToTime(out.Credentials.Expiration)); left < 119*time.Minute || left > 2*time.Hour {
				t.Errorf("the session lasts %s, want the two hours asked", left)
			}
			id := f.identity(t, f.using(out.Credentials))
			if id[0] != "arn:aws:sts::222222222222:assumed-role/WebApp/ci-run-1" {
				t.Errorf("GetCallerIdentity = %v", id)
			}
			if p := f.opened(t, out.Credentials); p.Session.CallerKind != iam.CallerWebIdentity {
				t.Errorf("the session was obtained by %q", p.Session.CallerKind)
			}
		})
	}
}

// TestForgedAndUnacceptableTokensAreRefused: each defence of the verifier
// has a case that succeeds without it.
func TestForgedAndUnacceptableTokensAreRefused(t *testing.T) {
	f := newWebFixture(t)
	claims := func(edit func(map[string]any)) map[string]any {
		c := f.iss.Claims(webSubject, webClient)
		edit(c)
		return c
	}
	pub, err := x509.MarshalPKIXPublicKey(&f.iss.RSA.PublicKey)
	must(t, err)
	rsaPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})
	stranger, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	must(t, err)
	valid := f.iss.Claims(webSubject, webClient)
	b64 := base64.RawURLEncoding.EncodeToString
	for _, tc := range []struct {
		name, token, msg string
		expired          bool
	}{
		{"alg none", b64([]byte(`{"alg":"none","kid":"rsa-1"}`)) + "." + b64([]byte(`{"iss":"https://example.com/tenant","sub":"repo:acme/app","aud":"sts.amazonaws.com","exp":9999999999}`)) + ".",
			"is not a valid JWT", false},
		{"HS256 signed with the RSA public key's PEM", f.iss.Sign(t, rsaPEM, jose.HS256, "rsa-1", valid), "is not a valid JWT", false},
		{"HS256 signed with the RSA public key's DER", f.iss.Sign(t, pub, jose.HS256, "rsa-1", valid), "is not a valid JWT", false},
		{"a key id the issuer does not publish", f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-9", valid), "Couldn't retrieve verification key", false},
		{"an RSA signature naming the ECDSA key", f.iss.Sign(t, f.iss.RSA, jose.RS256, "ec-1", valid), "Couldn't retrieve verification key", false},
		{"an ES384 signature naming the P-256 key", f.iss.Sign(t, p384, jose.ES384, "ec-1", valid), "Couldn't retrieve verification key", false},
		{"a stranger's key under the issuer's key id", f.iss.Sign(t, stranger, jose.RS256, "rsa-1", valid), "could not be validated", false},
		{"another audience", f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", f.iss.Claims(webSubject, "someone-else")), "Incorrect token audience", false},
		{"another issuer", f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", claims(func(c map[string]any) { c["iss"] = "https://evil.example/tenant" })),
			"No OpenIDConnect provider found in your account for https://evil.example/tenant", false},
		{"no subject", f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", claims(func(c map[string]any) { delete(c, "sub") })), "Missing a required claim: sub", false},
		{"no expiry", f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", claims(func(c map[string]any) { delete(c, "exp") })), "Missing a required claim: exp", false},
		{"a not-before an hour ahead", f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", claims(func(c map[string]any) { c["nbf"] = time.Now().Add(time.Hour).Unix() })), "nbf", false},
		{"issued an hour ahead", f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", claims(func(c map[string]any) { c["iat"] = time.Now().Add(time.Hour).Unix() })), "iat", false},
		{"expired ten minutes ago", f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", claims(func(c map[string]any) { c["exp"] = time.Now().Add(-10 * time.Minute).Unix() })), "Token expired", true},
		{"a tampered payload", tamper(f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", valid)), "", false},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := f.assume(tc.token, 0)
			if tc.expired {
				var e *types.ExpiredTokenException
				if !errors.As(err, &e) {
					t.Fatalf("err = %v, want ExpiredTokenException", err)
				}
			} else {
				var e *types.InvalidIdentityTokenException
				if !errors.As(err, &e) {
					t.Fatalf("err = %v, want InvalidIdentityTokenException", err)
				}
			}
			refused(t, err, map[bool]string{true: "ExpiredTokenException", false: "InvalidIdentityToken"}[tc.expired], tc.msg)
		})
	}
}

// tamper changes the payload of a compact JWS and keeps its signature.
func tamper(token string) string {
	parts := [3]string{}
	n := 0
	start := 0
	for i := range len(token) {
		if token[i] == '.' {
			parts[n], start, n = token[start:i], i+1, n+1
		}
	}
	parts[2] = token[start:]
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	payload = append(payload[:len(payload)-1], []byte(`,"sub2":"x"}`)...)
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + parts[2]
}

func TestTheRolesTrustPolicyDecides(t *testing.T) {
	f := newWebFixture(t)
	other := f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", f.iss.Claims("repo:acme/other", webClient))
	_, err := f.assume(other, 0)
	refused(t, err, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
	ok := f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", f.iss.Claims(webSubject, webClient))
	_, err = f.assume(ok, 7201)
	refused(t, err, "ValidationError", "MaxSessionDuration")
	_, err = f.anon.AssumeRoleWithWebIdentity(f.ctx, &sdk.AssumeRoleWithWebIdentityInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Missing"),
		RoleSessionName: aws.String("s1"), WebIdentityToken: &ok})
	refused(t, err, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
}

func TestAnIssuerWhoseCertificateIsNotTrustedIsRefused(t *testing.T) {
	f := newWebFixture(t, "0000000000000000000000000000000000000000")
	_, err := f.assume(f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", f.iss.Claims(webSubject, webClient)), 0)
	refused(t, err, "InvalidIdentityToken", "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint")
	if n := f.iss.Fetches(); n != 0 {
		t.Errorf("the key set was fetched %d times over an untrusted connection", n)
	}
}

// TestARotatedKeySetIsFetchedAgainAtMostOnceAMinute: a token naming a new
// key makes the cached set be fetched again, but not more than once a
// minute, and a key the issuer dropped stops working.
func TestARotatedKeySetIsFetchedAgainAtMostOnceAMinute(t *testing.T) {
	f := newWebFixture(t)
	_, err := f.assume(f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", f.iss.Claims(webSubject, webClient)), 0)
	must(t, err)
	next, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	f.iss.Publish(f.iss.Public(next, "rsa-2", jose.RS256))
	rotated := f.iss.Sign(t, next, jose.RS256, "rsa-2", f.iss.Claims(webSubject, webClient))
	_, err = f.assume(rotated, 0)
	refused(t, err, "InvalidIdentityToken", "Couldn't retrieve verification key")
	f.keys.Advance(2 * time.Minute)
	_, err = f.assume(rotated, 0)
	must(t, err)
	_, err = f.assume(f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", f.iss.Claims(webSubject, webClient)), 0)
	refused(t, err, "InvalidIdentityToken", "Couldn't retrieve verification key")
	if n := f.iss.Fetches(); n != 2 {
		t.Errorf("the key set was fetched %d times, want 2", n)
	}
}

func TestAnIssuerThatCannotBeReachedIsAnIDPCommunicationError(t *testing.T) {
	f := newWebFixture(t)
	unreachable := func(context.Context, string, string) (net.Conn, error) { return nil, errors.New("connection refused") }
	f.svc.WithWebIdentity(&webidentity.Verifier{Keys: &webidentity.Fetcher{Clock: f.keys, DialContext: unreachable}, Clock: clock.Real{}})
	_, err := f.assume(f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", f.iss.Claims(webSubject, webClient)), 0)
	var e *types.IDPCommunicationErrorException
	if !errors.As(err, &e) {
		t.Errorf("err = %v, want IDPCommunicationErrorException", err)
	}
}

// TestATokensSessionTagsAndSourceIdentityNeedTheTrustPolicysLeave: the
// token's https://aws.amazon.com/tags and source_identity claims ride in
// the session only when the trust policy also allows sts:TagSession and
// sts:SetSourceIdentity.
func TestATokensSessionTagsAndSourceIdentityNeedTheTrustPolicysLeave(t *testing.T) {
	f := newWebFixture(t)
	f.role(t, "Tagged", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::222222222222:oidc-provider/example.com/tenant"},
		"Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession","sts:SetSourceIdentity"],"Condition":{"StringEquals":{"aws:RequestTag/team":"infra"}}}}`, 3600)
	claims := func(tags any, source string) map[string]any {
		c := f.iss.Claims(webSubject, webClient)
		c["https://aws.amazon.com/tags"] = tags
		if source != "" {
			c["https://aws.amazon.com/source_identity"] = source
		}
		return c
	}
	infra := map[string]any{"principal_tags": map[string][]string{"team": {"infra"}, "cost": {"42"}}, "transitive_tag_keys": []string{"team"}}
	assume := func(role string, c map[string]any) (*sdk.AssumeRoleWithWebIdentityOutput, error) {
		tok := f.iss.Sign(t, f.iss.RSA, jose.RS256, "rsa-1", c)
		return f.anon.AssumeRoleWithWebIdentity(f.ctx, &sdk.AssumeRoleWithWebIdentityInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/" + role),
			RoleSessionName: aws.String("s1"), WebIdentityToken: &tok})
	}

	out, err := assume("Tagged", claims(infra, "alice"))
	must(t, err)
	p := f.opened(t, out.Credentials)
	want := []iam.Tag{{Key: "cost", Value: "42"}, {Key: "team", Value: "infra"}}
	if !cmp.Equal(p.Session.Tags, want) || !cmp.Equal(p.Session.TransitiveTagKeys, []string{"team"}) ||
		p.Session.SourceIdentity != "alice" || aws.ToString(out.SourceIdentity) != "alice" {
		t.Errorf("session tags %v (transitive %v), source identity %q/%q", p.Session.Tags, p.Session.TransitiveTagKeys,
			p.Session.SourceIdentity, aws.ToString(out.SourceIdentity))
	}
	for _, tc := range []struct {
		name, role string
		claims     map[string]any
		code, msg  string
	}{
		{"tags the trust policy's condition refuses", "Tagged", claims(map[string]any{"principal_tags": map[string][]string{"team": {"web"}}}, ""),
			"AccessDenied", "Not authorized"},
		{"tags on a role whose trust policy does not allow sts:TagSession", "WebApp", claims(infra, ""), "AccessDenied", "Not authorized"},
		{"a source identity on a role whose trust policy does not allow sts:SetSourceIdentity", "WebApp", claims(nil, "alice"), "AccessDenied", "Not authorized"},
		{"a tag with two values", "Tagged", claims(map[string]any{"principal_tags": map[string][]string{"team": {"infra", "web"}}}, ""),
			"InvalidIdentityToken", "exactly one value"},
		{"a tags claim that is a string", "Tagged", claims("team=infra", ""), "InvalidIdentityToken", "principal_tags"},
		{"an aws: tag", "Tagged", claims(map[string]any{"principal_tags": map[string][]string{"aws:x": {"y"}}}, ""), "InvalidParameterValue", "reserved prefix"},
		{"an aws: source identity", "Tagged", claims(infra, "aws:alice"), "InvalidIdentityToken", "source identity"},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := assume(tc.role, tc.claims)
			refused(t, err, tc.code, tc.msg)
		})
	}
}
