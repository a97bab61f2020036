package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/keyward/keyward/internal/aws/authz"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/clock"
	kwiam "github.com/keyward/keyward/internal/iam"
)

// benchRole creates, in the management account, a role the management
// root may assume, with five customer managed policies of ten statements
// each, two AWS managed policies and one inline policy: a realistic
// principal to evaluate.
func benchRole(b *testing.B, admin *iam.Client, account string) string {
	ctx := context.Background()
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`
	_, err := admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("Bench"), AssumeRolePolicyDocument: aws.String(trust), MaxSessionDuration: aws.Int32(43200)})
	must(b, err)
	for i := range 5 {
		var stmts []string
		for j := range 10 {
			stmts = append(stmts, fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":["ec2:Describe%d*","s3:Get%d*"],"Resource":"arn:aws:s3:::bucket-%d/*",`+
				`"Condition":{"StringEquals":{"aws:PrincipalTag/team":"t%d"},"Bool":{"aws:SecureTransport":"true"}}}`, j, i, j, j, i))
		}
		doc := `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
		p, err := admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprintf("p%d", i)), PolicyDocument: aws.String(doc)})
		must(b, err)
		_, err = admin.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("Bench"), PolicyArn: p.Policy.Arn})
		must(b, err)
	}
	_, err = admin.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("Bench"), PolicyName: aws.String("self"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"}}`)})
	must(b, err)
	for _, arn := range []string{"arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"} {
		_, err := admin.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("Bench"), PolicyArn: aws.String(arn)})
		must(b, err)
	}
	return "arn:aws:iam::" + account + ":role/Bench"
}

// BenchmarkSignedCallPolicyEvaluation times a signed iam:GetRole by a role
// session whose role has seven policies, and reports "evaluation-share":
// the time authorizing that same request takes in-process (gathering the
// role's policies, from the store at most once a second, and evaluating
// them), over the time of the
// whole call through aws-sdk-go-v2 (goal: under 0.10). Both are medians of
// seven rounds measured in this run.
func BenchmarkSignedCallPolicyEvaluation(b *testing.B) {
	dir := b.TempDir()
	m := launch(b, dir, nil)
	root := readAdminCredentials(b, dir)
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(m.AWSURL), Credentials: credentials.NewStaticCredentialsProvider(root.AccessKeyID, root.SecretAccessKey, "")}
	org, err := m.Store.Organization(context.Background())
	must(b, err)
	roleARN := benchRole(b, iam.NewFromConfig(cfg), org.ManagementAccountID)
	out, err := sts.NewFromConfig(cfg).AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("bench")})
	must(b, err)
	c := out.Credentials
	cfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	client := iam.NewFromConfig(cfg)
	call := func() {
		if _, err := client.GetRole(context.Background(), &iam.GetRoleInput{RoleName: aws.String("Bench")}); err != nil {
			b.Fatal(err)
		}
	}
	policies := authz.New(m.Store, clock.Real{}, org.ManagementAccountID, org.ID)
	p := awsauth.Principal{Type: awsauth.AssumedRole, AccountID: org.ManagementAccountID, ARN: "arn:aws:sts::" + org.ManagementAccountID + ":assumed-role/Bench/bench",
		Session: kwiam.Session{Kind: kwiam.KindAssumedRole, AccountID: org.ManagementAccountID, RoleName: "Bench", RolePath: "/", SessionName: "bench", Expires: time.Now().Add(time.Hour)}}
	req := gateway.Request{Action: "iam:GetRole", Resource: roleARN}
	authorize := func() {
		if err := policies.Authorize(context.Background(), p, req); err != nil {
			b.Fatal(err)
		}
	}
	for range 100 {
		call()
		authorize()
	}
	shares := make([]float64, 7)
	for i := range shares {
		shares[i] = perCall(200, authorize) / perCall(200, call)
	}
	slices.Sort(shares)
	for b.Loop() {
		call()
	}
	b.ReportMetric(shares[len(shares)/2], "evaluation-share")
}

// BenchmarkAssumeRole assumes a role through aws-sdk-go-v2 and reports
// calls per second and "vs-bare": a signed-bare GetCallerIdentity's time
// (see signedBare) over AssumeRole's, medians of seven rounds in this run.
func BenchmarkAssumeRole(b *testing.B) {
	dir := b.TempDir()
	m := launch(b, dir, nil)
	root := readAdminCredentials(b, dir)
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(m.AWSURL), Credentials: credentials.NewStaticCredentialsProvider(root.AccessKeyID, root.SecretAccessKey, "")}
	org, err := m.Store.Organization(context.Background())
	must(b, err)
	roleARN := benchRole(b, iam.NewFromConfig(cfg), org.ManagementAccountID)
	kw := sts.NewFromConfig(cfg)
	bareCfg := cfg
	bareCfg.BaseEndpoint = aws.String(signedBare(b, root).URL)
	bare := sts.NewFromConfig(bareCfg)
	assume := func() {
		if _, err := kw.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("bench"),
			Tags: []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("t1")}}}); err != nil {
			b.Fatal(err)
		}
	}
	reference := func() {
		if _, err := bare.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
			b.Fatal(err)
		}
	}
	for range 100 {
		assume()
		reference()
	}
	ratio := medianRatio(100, reference, assume)
	start := time.Now()
	for b.Loop() {
		assume()
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "assumes/s")
	b.ReportMetric(ratio, "vs-bare")
}
