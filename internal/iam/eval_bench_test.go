package iam

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchStatements are the kinds of statement a real principal's 20
// policies hold: action lists, ARN patterns with variables, tag, network,
// MFA and time conditions, and the usual guard-rail denies.
var benchStatements = []string{
	`{"Effect":"Allow","Action":["ec2:Describe*","ec2:Get*","elasticloadbalancing:Describe*"],"Resource":"*"}`,
	`{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::team-%d/${aws:PrincipalTag/team}/*"}`,
	`{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:111122223333:table/app-%d*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}`,
	`{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"arn:aws:iam::111122223333:role/svc-%d/*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.0/24"]}}}`,
	`{"Effect":"Deny","NotAction":["iam:ChangePassword","sts:GetSessionToken"],"Resource":"arn:aws:iam::*:user/%d","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`,
	`{"Effect":"Allow","Action":"logs:*","Resource":"arn:aws:logs:us-east-1:111122223333:log-group:/app/%d:*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}`,
	`{"Effect":"Deny","Action":["ec2:RunInstances","ec2:CreateTags"],"Resource":"*","Condition":{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["team","env","cost-%d"]}}}`,
	`{"Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage"],"Resource":"arn:aws:sqs:*:111122223333:queue-%d","Condition":{"StringLike":{"aws:userid":"AROA*:*"}}}`,
	`{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::prod-%d"}`,
	`{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:*:111122223333:key/%d","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"},"Null":{"aws:SourceIp":"false"}}}`,
}

// benchPolicies builds 20 policies of 50 statements in all (2 or 3 each).
func benchPolicies() []Document {
	var docs []Document
	n := 0
	for i := range 20 {
		per := 2
		if i%2 == 0 {
			per = 3
		}
		if i == 19 {
			per = 50 - n
		}
		var stmts []string
		for range per {
			stmts = append(stmts, strings.ReplaceAll(benchStatements[n%len(benchStatements)], "%d", strconv.Itoa(n)))
			n++
		}
		docs = append(docs, idp(stmts...))
	}
	return docs
}

const benchSmallDoc = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}}`

// BenchmarkEvaluate20Policies50Statements evaluates a request against a
// principal with 20 policies and 50 statements. The request is allowed by
// the last matching statement, so every statement is looked at. It
// reports its cost as a multiple of parsing one small policy document
// measured in the same run: the work a request would pay if the gateway
// parsed stored JSON on every call, and the natural yardstick for "is
// evaluation cheap next to loading the policies". Timing decides nothing.
func BenchmarkEvaluate20Policies50Statements(b *testing.B) {
	docs := benchPolicies()
	if got := countStatements(docs); len(docs) != 20 || got != 50 {
		b.Fatalf("%d policies, %d statements", len(docs), got)
	}
	var c Context
	c.Set(KeySourceIP, "10.1.2.3")
	c.Set(KeyMultiFactorAuthPresent, "true")
	c.Set(KeyCurrentTime, "2026-12-02T15:00:00Z")
	c.Set("aws:ResourceTag/team", "blue")
	c.Set(KeyTagKeys, "team", "env")
	r := Request{Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:111122223333:key/49", Principal: session, Context: c}
	r.Context.Set("kms:ViaService", "s3.us-east-1.amazonaws.com")
	p := Policies{Identity: docs}
	if d := Evaluate(r, p); !d.Allowed || d.Policy != 19 {
		b.Fatalf("benchmark request: %+v, want allowed by the last policy", d)
	}
	base := parseBaseline(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Evaluate(r, p)
	}
	b.StopTimer()
	per := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(per/base, "x-parse-small-doc")
}

// parseBaseline measures the ns/op of parsing benchSmallDoc: the best of
// five 10ms rounds, so that a moment of contention on a shared machine
// does not skew the ratio. (testing.Benchmark cannot run inside a
// benchmark.)
func parseBaseline(b *testing.B) float64 {
	b.Helper()
	best := 0.0
	for range 5 {
		n, start := 0, time.Now()
		for time.Since(start) < 10*time.Millisecond {
			if _, err := ParseIdentityPolicy([]byte(benchSmallDoc)); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if ns := float64(time.Since(start).Nanoseconds()) / float64(n); best == 0 || ns < best {
			best = ns
		}
	}
	return best
}

func countStatements(docs []Document) int {
	n := 0
	for _, d := range docs {
		n += len(d.Statement)
	}
	return n
}

// TestBenchmarkStatementsParse guards the benchmark's statements: each is
// a valid identity statement on its own.
func TestBenchmarkStatementsParse(t *testing.T) {
	for i, s := range benchStatements {
		if _, err := ParseIdentityPolicy([]byte(`{"Version":"2012-10-17","Statement":` + strings.ReplaceAll(s, "%d", "1") + `}`)); err != nil {
			t.Errorf("statement %d: %v", i, err)
		}
	}
}
