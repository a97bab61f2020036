package iamapi_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// idpMetadata is an identity provider's metadata with one signing
// certificate (valid until 2046).
func idpMetadata(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/idp-metadata.xml")
	must(t, err)
	return string(b)
}

func TestASAMLProviderKeepsItsMetadataDocument(t *testing.T) {
	a := newUserAPI(t)
	md := idpMetadata(t)
	out, err := a.admin.CreateSAMLProvider(a.ctx, &sdk.CreateSAMLProviderInput{Name: aws.String("okta"), SAMLMetadataDocument: &md})
	must(t, err)
	if want := "arn:aws:iam::" + a.acct + ":saml-provider/okta"; *out.SAMLProviderArn != want {
		t.Errorf("arn = %s, want %s", *out.SAMLProviderArn, want)
	}
	got, err := a.admin.GetSAMLProvider(a.ctx, &sdk.GetSAMLProviderInput{SAMLProviderArn: out.SAMLProviderArn})
	must(t, err)
	if *got.SAMLMetadataDocument != md || got.ValidUntil == nil || got.ValidUntil.Year() != 2046 {
		t.Errorf("GetSAMLProvider = valid until %v, document kept %v", got.ValidUntil, *got.SAMLMetadataDocument == md)
	}
	list, err := a.admin.ListSAMLProviders(a.ctx, &sdk.ListSAMLProvidersInput{})
	must(t, err)
	if len(list.SAMLProviderList) != 1 || *list.SAMLProviderList[0].Arn != *out.SAMLProviderArn {
		t.Errorf("list = %+v", list.SAMLProviderList)
	}
	updated := strings.Replace(md, "exk1example\" validUntil", "exk2example\" validUntil", 1)
	_, err = a.admin.UpdateSAMLProvider(a.ctx, &sdk.UpdateSAMLProviderInput{SAMLProviderArn: out.SAMLProviderArn, SAMLMetadataDocument: &updated})
	must(t, err)
	_, err = a.admin.DeleteSAMLProvider(a.ctx, &sdk.DeleteSAMLProviderInput{SAMLProviderArn: out.SAMLProviderArn})
	must(t, err)
	_, err = a.admin.GetSAMLProvider(a.ctx, &sdk.GetSAMLProviderInput{SAMLProviderArn: out.SAMLProviderArn})
	refusedAs[*types.NoSuchEntityException](t, err, "SAMLProvider not found for arn")
}

func TestBadSAMLMetadataIsRefused(t *testing.T) {
	a := newUserAPI(t)
	md := idpMetadata(t)
	tests := []struct {
		name, doc, msg string
	}{
		{"a DOCTYPE (entity expansion, XXE) is refused", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` + md[strings.Index(md, "<md:"):], "DOCTYPE"},
		{"metadata without a signing certificate is refused", strings.Replace(md, `use="signing"`, `use="encryption"`, 1), "no signing certificate"},
		{"a certificate that does not parse is refused", strings.Replace(md, "<ds:X509Certificate>MII", "<ds:X509Certificate>AAA", 1), "does not parse"},
		{"a document that is not XML is refused", strings.Repeat("x", 1200), "not well-formed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.admin.CreateSAMLProvider(a.ctx, &sdk.CreateSAMLProviderInput{Name: aws.String("idp"), SAMLMetadataDocument: &tc.doc})
			refusedAs[*types.InvalidInputException](t, err, tc.msg)
		})
	}
}

func TestAnOIDCProviderChangesItsAudiencesAndThumbprints(t *testing.T) {
	a := newUserAPI(t)
	thumb := "6938fd4d98bab03faadb97b34396831e3780aea1"
	out, err := a.admin.CreateOpenIDConnectProvider(a.ctx, &sdk.CreateOpenIDConnectProviderInput{
		Url: aws.String("https://Token.Actions.GitHubUserContent.com/"), ClientIDList: []string{"sts.amazonaws.com"}, ThumbprintList: []string{thumb}})
	must(t, err)
	arn := out.OpenIDConnectProviderArn
	if want := "arn:aws:iam::" + a.acct + ":oidc-provider/token.actions.githubusercontent.com"; *arn != want {
		t.Errorf("arn = %s, want %s", *arn, want)
	}
	_, err = a.admin.CreateOpenIDConnectProvider(a.ctx, &sdk.CreateOpenIDConnectProviderInput{Url: aws.String("https://token.actions.githubusercontent.com")})
	refusedAs[*types.EntityAlreadyExistsException](t, err, "already exists")
	_, err = a.admin.AddClientIDToOpenIDConnectProvider(a.ctx, &sdk.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: arn, ClientID: aws.String("my-app")})
	must(t, err)
	_, err = a.admin.RemoveClientIDFromOpenIDConnectProvider(a.ctx, &sdk.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: arn, ClientID: aws.String("sts.amazonaws.com")})
	must(t, err)
	other := strings.Repeat("a", 40)
	_, err = a.admin.UpdateOpenIDConnectProviderThumbprint(a.ctx, &sdk.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: arn, ThumbprintList: []string{other}})
	must(t, err)
	got, err := a.admin.GetOpenIDConnectProvider(a.ctx, &sdk.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: arn})
	must(t, err)
	if *got.Url != "token.actions.githubusercontent.com" || len(got.ClientIDList) != 1 || got.ClientIDList[0] != "my-app" ||
		len(got.ThumbprintList) != 1 || got.ThumbprintList[0] != other {
		t.Errorf("provider = %s %v %v", *got.Url, got.ClientIDList, got.ThumbprintList)
	}
	list, err := a.admin.ListOpenIDConnectProviders(a.ctx, &sdk.ListOpenIDConnectProvidersInput{})
	must(t, err)
	if len(list.OpenIDConnectProviderList) != 1 {
		t.Errorf("list = %+v", list.OpenIDConnectProviderList)
	}
	_, err = a.admin.DeleteOpenIDConnectProvider(a.ctx, &sdk.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: arn})
	must(t, err)
	_, err = a.admin.GetOpenIDConnectProvider(a.ctx, &sdk.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: arn})
	refusedAs[*types.NoSuchEntityException](t, err, "OpenIDConnect Provider not found for arn")
}

func TestBadOIDCProvidersAreRefused(t *testing.T) {
	a := newUserAPI(t)
	tests := []struct {
		name, url string
		thumbs    []string
		msg       string
	}{
		{"an http issuer is refused", "http://issuer.example.com", nil, "https://"},
		{"an issuer with a query is refused", "https://issuer.example.com/?x=1", nil, "no query"},
		{"a thumbprint that is not 40 hex digits is refused", "https://issuer.example.com", []string{"xyz"}, "40 hexadecimal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.admin.CreateOpenIDConnectProvider(a.ctx, &sdk.CreateOpenIDConnectProviderInput{Url: &tc.url, ThumbprintList: tc.thumbs})
			refusedAs[*types.InvalidInputException](t, err, tc.msg)
		})
	}
	six := []string{}
	for i := range 6 {
		six = append(six, strings.Repeat(string(rune('a'+i)), 40))
	}
	_, err := a.admin.CreateOpenIDConnectProvider(a.ctx, &sdk.CreateOpenIDConnectProviderInput{Url: aws.String("https://i.example.com"), ThumbprintList: six})
	refusedAs[*types.LimitExceededException](t, err, "ThumbprintsPerOpenIdConnectProvider: 5")
}

func TestTheAccountHasOneAlias(t *testing.T) {
	a := newUserAPI(t)
	for _, alias := range []string{"acme-prod", "acme-main"} {
		_, err := a.admin.CreateAccountAlias(a.ctx, &sdk.CreateAccountAliasInput{AccountAlias: aws.String(alias)})
		must(t, err)
	}
	list, err := a.admin.ListAccountAliases(a.ctx, &sdk.ListAccountAliasesInput{})
	must(t, err)
	if len(list.AccountAliases) != 1 || list.AccountAliases[0] != "acme-main" {
		t.Errorf("aliases = %v, want the latest only", list.AccountAliases)
	}
	_, err = a.admin.CreateAccountAlias(a.ctx, &sdk.CreateAccountAliasInput{AccountAlias: aws.String("acme-main")})
	refusedAs[*types.EntityAlreadyExistsException](t, err, "The account alias acme-main already exists.")
	_, err = a.admin.CreateAccountAlias(a.ctx, &sdk.CreateAccountAliasInput{AccountAlias: aws.String("Acme--Prod")})
	refusedCode(t, err, "ValidationError", "accountAlias")
	_, err = a.admin.DeleteAccountAlias(a.ctx, &sdk.DeleteAccountAliasInput{AccountAlias: aws.String("acme-prod")})
	refusedAs[*types.NoSuchEntityException](t, err, "acme-prod")
	_, err = a.admin.DeleteAccountAlias(a.ctx, &sdk.DeleteAccountAliasInput{AccountAlias: aws.String("acme-main")})
	must(t, err)
}
