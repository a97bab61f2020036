package iam

import (
	"errors"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

func TestEveryBundledPolicyIsAValidDocument(t *testing.T) {
	n := 0
	for _, p := range ManagedPolicies() {
		if p.Document == nil {
			continue
		}
		n++
		if _, err := ParseIdentityPolicy(p.Document); err != nil {
			t.Errorf("%s: %v", p.ARN, err)
		}
		if !strings.HasPrefix(p.ARN, "arn:aws:iam::aws:policy"+p.Path+p.Name) {
			t.Errorf("%s: ARN does not match path %q and name %q", p.ARN, p.Path, p.Name)
		}
	}
	if files, _ := fs.Glob(managedFS, "managed/*.json"); n != len(files) || n == 0 {
		t.Errorf("catalog has %d full documents, want the %d in managed/", n, len(files))
	}
}

func TestTheCatalogKnowsEveryPublishedPolicyByNameAndPath(t *testing.T) {
	arnRe := regexp.MustCompile(`^arn:aws:iam::aws:policy((?:/[A-Za-z0-9.,+@=_-]+)*/)([A-Za-z0-9.,+=@_-]+)$`)
	list, err := managedFS.ReadFile("awsmanaged/arns.txt")
	if err != nil {
		t.Fatal(err)
	}
	arns := strings.Fields(string(list))
	if len(arns) < 1500 || len(ManagedPolicies()) != len(arns) {
		t.Fatalf("the list has %d ARNs and the catalog %d policies; want the same number, at least 1500", len(arns), len(ManagedPolicies()))
	}
	for _, arn := range arns {
		m := arnRe.FindStringSubmatch(arn)
		p, ok := LookupManaged(arn)
		if m == nil || !ok || p.Path != m[1] || p.Name != m[2] {
			t.Errorf("%s: well-formed %v, found %v, path %q, name %q", arn, m != nil, ok, p.Path, p.Name)
		}
	}
	for _, arn := range []string{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
		"arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy", "arn:aws:iam::aws:policy/job-function/DataScientist"} {
		if _, ok := LookupManaged(arn); !ok {
			t.Errorf("%s is missing", arn)
		}
	}
}

func TestTheIssueNamedPoliciesAreInTheCatalog(t *testing.T) {
	for _, arn := range []string{
		"arn:aws:iam::aws:policy/AdministratorAccess",
		"arn:aws:iam::aws:policy/PowerUserAccess",
		"arn:aws:iam::aws:policy/ReadOnlyAccess",
		"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
		"arn:aws:iam::aws:policy/SecurityAudit",
		"arn:aws:iam::aws:policy/job-function/Billing",
	} {
		if _, ok := LookupManaged(arn); !ok {
			t.Errorf("%s is missing", arn)
		}
	}
	if _, ok := LookupManaged("arn:aws:iam::aws:policy/NoSuchPolicy"); ok {
		t.Error("an unknown ARN was found")
	}
}

func TestParseIdentityPolicy(t *testing.T) {
	ok := []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`,
		`{"Version":"2012-10-17","Statement":[{"Sid":"A1","Effect":"Deny","NotAction":["iam:*"],"NotResource":"arn:aws:s3:::b/*"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":true}}}]}`,
	}
	for _, doc := range ok {
		if _, err := ParseIdentityPolicy([]byte(doc)); err != nil {
			t.Errorf("valid policy refused: %v\n%s", err, doc)
		}
	}
	bad := map[string]string{
		"not JSON":             `{"Version":`,
		"not an object":        `[1,2]`,
		"wrong version":        `{"Version":"2020-01-01","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		"no statement":         `{"Version":"2012-10-17"}`,
		"empty statement list": `{"Version":"2012-10-17","Statement":[]}`,
		"bad effect":           `{"Version":"2012-10-17","Statement":{"Effect":"Maybe","Action":"*","Resource":"*"}}`,
		"no action":            `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}`,
		"both action forms":    `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}}`,
		"no resource":          `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*"}}`,
		"a principal":          `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`,
		"malformed action":     `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3 GetObject","Resource":"*"}}`,
		"unknown member":       `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Colour":"red"}}`,
		"empty action list":    `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`,
		"trailing data":        `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}} {}`,
	}
	for name, doc := range bad {
		t.Run("refuses "+name, func(t *testing.T) {
			_, err := ParseIdentityPolicy([]byte(doc))
			var pe *PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *PolicyError", err)
			}
		})
	}
}

func FuzzParseIdentityPolicy(f *testing.F) {
	f.Add([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`))
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":["a:b"],"NotResource":["x"],"Condition":{"StringEquals":{"k":["v",1]}}}]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		d, err := ParseIdentityPolicy(doc)
		if err != nil {
			var pe *PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for _, s := range d.Statement {
			if s.Effect != "Allow" && s.Effect != "Deny" {
				t.Fatalf("accepted effect %q", s.Effect)
			}
		}
	})
}

func TestTrustPoliciesNameAPrincipalAndNoResource(t *testing.T) {
	good := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root"],"Federated":"arn:aws:iam::111122223333:saml-provider/okta"},"Action":["sts:AssumeRole","sts:AssumeRoleWithSAML"]},{"Effect":"Deny","NotPrincipal":"*","Action":"sts:TagSession"}]}`
	doc, err := ParseTrustPolicy([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Statement[0].Principal["Federated"]; len(got) != 1 || got[0] != "arn:aws:iam::111122223333:saml-provider/okta" {
		t.Errorf("Federated principal = %q", got)
	}
	if got := doc.Statement[1].NotPrincipal["*"]; len(got) != 1 {
		t.Errorf("NotPrincipal * = %q", got)
	}
	for name, bad := range map[string]string{
		"no principal":           `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}`,
		"both principal kinds":   `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"sts:AssumeRole"}}`,
		"a resource":             `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}}`,
		"unknown type":           `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Group":"x"},"Action":"sts:AssumeRole"}}`,
		"principal other than *": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"alice","Action":"sts:AssumeRole"}}`,
		"empty principal list":   `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":[]},"Action":"sts:AssumeRole"}}`,
	} {
		if _, err := ParseTrustPolicy([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := ParseIdentityPolicy([]byte(good)); err == nil {
		t.Error("an identity policy with a Principal was accepted")
	}
	if _, err := ParseResourcePolicy([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}}`)); err == nil {
		t.Error("a resource policy without a Resource was accepted")
	}
}

func TestTheParserKnowsEveryConditionOperatorAndRefusesOthers(t *testing.T) {
	withOp := func(op string) []byte {
		return []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"` + op + `":{"aws:SourceIp":"10.0.0.0/8"}}}}`)
	}
	for _, op := range []string{"StringEquals", "ForAllValues:StringNotLikeIfExists", "ForAnyValue:ArnLike", "NumericGreaterThanEqualsIfExists",
		"DateLessThan", "Bool", "BinaryEquals", "NotIpAddress", "ArnNotEquals", "Null", "StringEqualsIgnoreCaseIfExists"} {
		if _, err := ParseIdentityPolicy(withOp(op)); err != nil {
			t.Errorf("%s refused: %v", op, err)
		}
	}
	for _, op := range []string{"StringEqualz", "ForAllValues:Null", "NullIfExists", "ForSomeValues:StringEquals", "IfExists", "StringEqualsIfExistsIfExists"} {
		_, err := ParseIdentityPolicy(withOp(op))
		if want := "The policy document is malformed: statement 1: Invalid Condition type : " + op; err == nil || err.Error() != want {
			t.Errorf("%s: err = %v, want %q", op, err, want)
		}
	}
}

func TestTheParsersBoundTheDocumentSize(t *testing.T) {
	pad := strings.Repeat(" ", MaxDocumentBytes)
	doc := []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}` + pad)
	for name, parse := range map[string]func([]byte) (Document, error){"identity": ParseIdentityPolicy, "trust": ParseTrustPolicy, "resource": ParseResourcePolicy} {
		var pe *PolicyError
		if _, err := parse(doc); !errors.As(err, &pe) || !strings.Contains(err.Error(), "larger than 131072 bytes") {
			t.Errorf("%s: err = %v, want the size refused", name, err)
		}
	}
}

func TestPolicySizeCountsCharactersWithoutWhiteSpace(t *testing.T) {
	compact := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::a b/\" x"}}`
	pretty := "{\n  \"Version\": \"2012-10-17\",\n\t\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\",\r\n \"Resource\": \"arn:aws:s3:::a b/\\\" x\"}\n}\n"
	if got, want := PolicySize([]byte(pretty)), len(compact); got != want {
		t.Errorf("PolicySize(pretty) = %d, want %d (white space inside strings counts, outside does not)", got, want)
	}
	if err := CheckSize([]byte(pretty), len(compact)); err != nil {
		t.Errorf("a document of exactly the quota refused: %v", err)
	}
	err := CheckSize([]byte(compact), MaxTrustPolicySize/100)
	var se *SizeError
	if !errors.As(err, &se) || err.Error() != "Cannot exceed quota for PolicySize: 20" || se.Size != len(compact) {
		t.Errorf("err = %v (%+v), want the LimitExceeded message for 20", err, se)
	}
}

// AWS's grammar: "Individual elements must not contain multiple instances
// of the same key", and element names are case-sensitive. A document that
// says Deny and then Allow must be refused, not read as its last word.
func TestTheParserRefusesRepeatedAndMiscasedKeys(t *testing.T) {
	for name, doc := range map[string]string{
		"Effect twice":               `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Effect":"Allow"}}`,
		"effect in another case":     `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","effect":"Allow"}}`,
		"Statement twice":            `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"},"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		"a condition key twice":      `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":"alice","aws:username":"bob"}}}}`,
		"a condition operator twice": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":"alice"},"StringEquals":{"aws:username":"bob"}}}}`,
		"Version in another case":    `{"version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		"Resource in another case":   `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","RESOURCE":"*"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			d, err := ParseIdentityPolicy([]byte(doc))
			var pe *PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("accepted as %+v (err %v), want MalformedPolicyDocument", d.Statement, err)
			}
		})
	}
	trustDoc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root","AWS":"*"},"Action":"sts:AssumeRole"}}`
	if d, err := ParseTrustPolicy([]byte(trustDoc)); err == nil {
		t.Errorf("a Principal naming AWS twice accepted as %v", d.Statement[0].Principal)
	}
}
