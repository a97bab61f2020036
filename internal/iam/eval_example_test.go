package iam_test

import (
	"fmt"

	"github.com/keyward/keyward/internal/iam"
)

// A permission set's role session calls iam:DeleteRole; its policy allows
// only reading IAM, so the call is denied with AWS's message.
func ExampleEvaluate() {
	readOnly, err := iam.ParseIdentityPolicy([]byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}`))
	if err != nil {
		panic(err)
	}
	caller := iam.Principal{
		ARN:     iam.AssumedRoleARN("111122223333", "AWSReservedSSO_ReadOnly_0123", "alice"),
		RoleARN: iam.RoleARN("111122223333", "/aws-reserved/sso.amazonaws.com/", "AWSReservedSSO_ReadOnly_0123"),
		Account: "111122223333",
		Type:    iam.PrincipalTypeAssumedRole,
	}
	var ctx iam.Context
	ctx.Set(iam.KeySourceIP, "192.0.2.10")
	req := iam.Request{Action: "iam:DeleteRole", Resource: iam.RoleARN("111122223333", "", "X"), Principal: caller, Context: ctx}

	d := iam.Evaluate(req, iam.Policies{Identity: []iam.Document{readOnly}})
	fmt.Println(d.Allowed, d.By)
	fmt.Println(d.Message(caller.ARN, req.Action, req.Resource))

	req.Action = "iam:GetRole"
	fmt.Println(iam.Evaluate(req, iam.Policies{Identity: []iam.Document{readOnly}}).Allowed)
	// Output:
	// false identity-based policy
	// User: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_0123/alice is not authorized to perform: iam:DeleteRole on resource: arn:aws:iam::111122223333:role/X because no identity-based policy allows the iam:DeleteRole action
	// true
}
