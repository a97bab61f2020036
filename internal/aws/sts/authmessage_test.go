package sts_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/aws/sts"
	"github.com/keyward/keyward/internal/clock"
)

func TestDecodeAuthorizationMessageReadsBackWhatADenialEncoded(t *testing.T) {
	s := newServer(t)
	m, err := sts.NewMessages(clock.Bytes(clock.Random, 32), clock.Random)
	must(t, err)
	s.svc.WithMessages(m)
	msg := sts.AuthorizationMessage{ExplicitDeny: true,
		Context: sts.MessageContext{Principal: sts.MessagePrincipal{ID: "AROAX:ci", ARN: "arn:aws:sts::222222222222:assumed-role/Deployer/ci"},
			Action: "iam:DeleteRole", Resource: "arn:aws:iam::222222222222:role/Target",
			Conditions: sts.MessageConditions(sts.Condition("aws:SourceIp", "192.0.2.1"))}}
	encoded := m.Encode(member, msg)

	c := s.as(t, "Deployer")
	_, err = c.DecodeAuthorizationMessage(s.ctx, &sdk.DecodeAuthorizationMessageInput{EncodedMessage: &encoded})
	refused(t, err, "AccessDenied", "sts:DecodeAuthorizationMessage")

	s.allow(t, "Deployer", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:DecodeAuthorizationMessage","Resource":"*"}}`)
	out, err := c.DecodeAuthorizationMessage(s.ctx, &sdk.DecodeAuthorizationMessageInput{EncodedMessage: &encoded})
	must(t, err)
	var got sts.AuthorizationMessage
	must(t, json.Unmarshal([]byte(aws.ToString(out.DecodedMessage)), &got))
	if diff := cmp.Diff(msg, got); diff != "" {
		t.Errorf("decoded (-encoded +decoded):\n%s", diff)
	}

	for name, enc := range map[string]string{
		"a message about another account": m.Encode(mgmt, msg),
		"a message that is not base64":    "!!!",
		"a tampered message":              encoded[:len(encoded)-2] + "AA",
	} {
		t.Run(name+" is refused", func(t *testing.T) {
			_, err := c.DecodeAuthorizationMessage(s.ctx, &sdk.DecodeAuthorizationMessageInput{EncodedMessage: &enc})
			var e *types.InvalidAuthorizationMessageException
			if !errors.As(err, &e) {
				t.Errorf("err = %v, want InvalidAuthorizationMessageException", err)
			}
		})
	}
}
