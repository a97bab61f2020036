package sigv4

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/errs"
)

const goodSig = "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024"

func TestParseAuthorizationAcceptsWhatSignersSend(t *testing.T) {
	want := Authorization{
		Algorithm: Algorithm, AccessKeyID: "AKIDEXAMPLE", Date: "20261122", Region: "eu-west-1",
		Service: "sts", Terminator: Terminator,
		SignedHeaders: []string{"content-type", "host", "x-amz-date"}, Signature: goodSig,
	}
	tests := []struct{ name, header string }{
		{"the SDKs' form", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/eu-west-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" + goodSig},
		{"components without spaces", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/eu-west-1/sts/aws4_request,SignedHeaders=content-type;host;x-amz-date,Signature=" + goodSig},
		{"components in another order", "AWS4-HMAC-SHA256 Signature=" + goodSig + ", SignedHeaders=content-type;host;x-amz-date, Credential=AKIDEXAMPLE/20261122/eu-west-1/sts/aws4_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAuthorization(tt.header)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParseAuthorization (-want +got):\n%s", diff)
			}
			if again, err := ParseAuthorization(got.String()); err != nil || !cmp.Equal(got, again) {
				t.Errorf("re-parsing %q = %+v, %v", got.String(), again, err)
			}
		})
	}
}

func TestParseAuthorizationRefusesMalformedHeaders(t *testing.T) {
	cred := "Credential=AKIDEXAMPLE/20261122/us-east-1/sts/aws4_request"
	sh := "SignedHeaders=host;x-amz-date"
	sig := "Signature=" + goodSig
	build := func(parts ...string) string { return "AWS4-HMAC-SHA256 " + strings.Join(parts, ", ") }
	tests := []struct{ name, header, msg string }{
		{"an empty header", "", "Unsupported AWS 'algorithm'"},
		{"only the algorithm", "AWS4-HMAC-SHA256", "requires 'Credential', 'SignedHeaders' and 'Signature'"},
		{"SigV2", "AWS AKIDEXAMPLE:c2lnbmF0dXJl", "Unsupported AWS 'algorithm'"},
		{"a header over 8 KiB", build(cred, sh, sig) + strings.Repeat(" ", 8<<10), "limit is 8192"},
		{"a duplicate Credential", build(cred, cred, sh, sig), "more than one 'Credential'"},
		{"a duplicate Signature", build(cred, sh, sig, sig), "more than one 'Signature'"},
		{"a missing Credential", build(sh, sig), "requires 'Credential' parameter"},
		{"a missing SignedHeaders", build(cred, sig), "requires 'SignedHeaders' parameter"},
		{"a trailing comma", build(cred, sh, sig) + ",", "not of the form 'Name=value'"},
		{"a lowercase component name", build("credential=AKIDEXAMPLE/20261122/us-east-1/sts/aws4_request", sh, sig), `unknown component "credential"`},
		{"a scope with six parts", build(cred+"/x", sh, sig), "must be 'access-key-id/YYYYMMDD/region/service/aws4_request'"},
		{"an empty access key id", build("Credential=/20261122/us-east-1/sts/aws4_request", sh, sig), "malformed access key id"},
		{"an access key id with a space", build("Credential=AK ID/20261122/us-east-1/sts/aws4_request", sh, sig), "malformed access key id"},
		{"an impossible scope date", build("Credential=AKIDEXAMPLE/20261332/us-east-1/sts/aws4_request", sh, sig), "not a date in the form YYYYMMDD"},
		{"an uppercase region", build("Credential=AKIDEXAMPLE/20261122/US-EAST-1/sts/aws4_request", sh, sig), "malformed region"},
		{"an empty service", build("Credential=AKIDEXAMPLE/20261122/us-east-1//aws4_request", sh, sig), "malformed service"},
		{"a wrong terminator", build("Credential=AKIDEXAMPLE/20261122/us-east-1/sts/aws4_requesT", sh, sig), "valid terminator"},
		{"SignedHeaders without host", build(cred, "SignedHeaders=x-amz-date", sig), "must include 'host'"},
		{"uppercase SignedHeaders", build(cred, "SignedHeaders=Host;X-Amz-Date", sig), "must be lowercase"},
		{"unsorted SignedHeaders", build(cred, "SignedHeaders=x-amz-date;host", sig), "sorted and unique"},
		{"repeated SignedHeaders", build(cred, "SignedHeaders=host;host;x-amz-date", sig), "sorted and unique"},
		{"an empty SignedHeaders entry", build(cred, "SignedHeaders=host;;x-amz-date", sig), "malformed header name"},
		{"a header name with a colon", build(cred, "SignedHeaders=host;x:y", sig), "malformed header name"},
		{"an empty signature", build(cred, sh, "Signature="), "64 lowercase hexadecimal digits"},
		{"a 63-digit signature", build(cred, sh, "Signature="+goodSig[1:]), "64 lowercase hexadecimal digits"},
		{"a 65-digit signature", build(cred, sh, "Signature="+goodSig+"0"), "64 lowercase hexadecimal digits"},
		{"a non-hex signature", build(cred, sh, "Signature="+strings.Repeat("g", 64)), "64 lowercase hexadecimal digits"},
		{"an uppercase signature", build(cred, sh, "Signature="+strings.ToUpper(goodSig)), "64 lowercase hexadecimal digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAuthorization(tt.header)
			e, ok := errs.As(err)
			if !ok || e.Code != CodeIncompleteSignature || e.Kind != errs.Invalid || !strings.Contains(e.Message, tt.msg) {
				t.Fatalf("ParseAuthorization error = %#v, want %s containing %q", err, CodeIncompleteSignature, tt.msg)
			}
			if len(e.Message) > 300 {
				t.Errorf("message is %d bytes; client input must be truncated", len(e.Message))
			}
		})
	}
}

func TestQueryCodeMapsJSONCodesToAWSQueryCodes(t *testing.T) {
	tests := map[string]string{
		CodeMissingAuthenticationToken: "MissingAuthenticationToken",
		CodeIncompleteSignature:        "IncompleteSignature",
		CodeUnrecognizedClient:         "InvalidClientTokenId",
		CodeExpiredToken:               "ExpiredToken",
		CodeInvalidSignature:           "SignatureDoesNotMatch",
		"AccessDeniedException":        "AccessDeniedException", // not ours: unchanged
		"":                             "",
	}
	for code, want := range tests {
		if got := QueryCode(code); got != want {
			t.Errorf("QueryCode(%q) = %q, want %q", code, got, want)
		}
	}
}
