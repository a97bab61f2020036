// Package iamkeys is the credential CLI's STS source for people who hold
// IAM user keys, the aws-vault way: the long-lived keys stay in the vault
// and never reach a tool; tools get a GetSessionToken session (with MFA
// when the profile names an mfa_serial), and roles are taken from there
// with AssumeRole (role_arn, source_profile, external_id, mfa_serial,
// role_session_name, duration_seconds), chained as deep as profiles go.
//
// It owns: the STS calls and the errors a person can act on (a wrong MFA
// code, a refused AssumeRole, clock skew).
//
// It does not own: where the keys are kept, when credentials are reused
// (cred/provider), or reading profiles.
package iamkeys

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/keyward/keyward/internal/cred/awsenv"
	"github.com/keyward/keyward/internal/cred/output"
)

// Keys are an IAM user's long-lived access keys.
type Keys struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
}

// MFA asks the person for the current code of the device serial.
type MFA func(serial string) (string, error)

// Session trades keys for a session (GetSessionToken), with MFA when
// serial is set. duration 0 is STS's default (12 hours).
func Session(ctx context.Context, k Keys, region, serial string, duration time.Duration, mfa MFA) (output.Credentials, error) {
	in := &sts.GetSessionTokenInput{}
	if duration > 0 {
		in.DurationSeconds = aws.Int32(int32(duration.Seconds()))
	}
	if serial != "" {
		code, err := ask(mfa, serial)
		if err != nil {
			return output.Credentials{}, err
		}
		in.SerialNumber, in.TokenCode = &serial, &code
	}
	out, err := client(region, output.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey}).
		GetSessionToken(ctx, in)
	if err != nil {
		return output.Credentials{}, explain(err, "GetSessionToken")
	}
	c := out.Credentials
	return output.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken: aws.ToString(c.SessionToken), Expiration: aws.ToTime(c.Expiration)}, nil
}

// Role is what a role profile asks of AssumeRole.
type Role struct {
	ARN, SessionName, ExternalID, MFASerial string
	Duration                                time.Duration
}

// Assume takes r with the source credentials src.
func Assume(ctx context.Context, src output.Credentials, region string, r Role, mfa MFA) (output.Credentials, error) {
	name := r.SessionName
	if name == "" {
		name = fmt.Sprintf("keyward-%d", time.Now().Unix())
	}
	in := &sts.AssumeRoleInput{RoleArn: &r.ARN, RoleSessionName: &name}
	if r.ExternalID != "" {
		in.ExternalId = &r.ExternalID
	}
	if r.Duration > 0 {
		in.DurationSeconds = aws.Int32(int32(r.Duration.Seconds()))
	}
	if r.MFASerial != "" {
		code, err := ask(mfa, r.MFASerial)
		if err != nil {
			return output.Credentials{}, err
		}
		in.SerialNumber, in.TokenCode = &r.MFASerial, &code
	}
	out, err := client(region, src).AssumeRole(ctx, in)
	if err != nil {
		return output.Credentials{}, explain(err, "AssumeRole "+r.ARN)
	}
	c := out.Credentials
	return output.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken: aws.ToString(c.SessionToken), Expiration: aws.ToTime(c.Expiration)}, nil
}

func ask(mfa MFA, serial string) (string, error) {
	if mfa == nil {
		return "", fmt.Errorf("the profile needs a code from MFA device %s, and there is no terminal to ask for it: "+
			"pass --mfa-code", serial)
	}
	code, err := mfa(serial)
	if err != nil {
		return "", err
	}
	if code = strings.TrimSpace(code); len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return "", fmt.Errorf("an MFA code is six digits")
	}
	return code, nil
}

func client(region string, c output.Credentials) *sts.Client {
	if region == "" {
		region = "us-east-1"
	}
	creds := credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
	return sts.NewFromConfig(awsenv.Config("STS", region, creds))
}

// explain restates an STS error as what to do.
func explain(err error, call string) error {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return fmt.Errorf("%s: %w", call, err)
	}
	if hinted := awsenv.ClockHint(err); hinted != err {
		return fmt.Errorf("%s: %w", call, hinted)
	}
	msg := strings.TrimSpace(api.ErrorMessage()) // AWS ends the MFA refusal with a space
	switch api.ErrorCode() {
	case "InvalidClientTokenId", "SignatureDoesNotMatch":
		return fmt.Errorf("%s: AWS does not accept these access keys (%s): replace them with `keyward add`", call, api.ErrorCode())
	case "AccessDenied":
		if strings.Contains(msg, "MultiFactorAuthentication") || strings.Contains(msg, "MFA") {
			return fmt.Errorf("%s: the MFA code was refused (%s): wait for the next code and try again", call, msg)
		}
		return fmt.Errorf("%s: access denied: %s", call, msg)
	}
	return fmt.Errorf("%s: %s: %s", call, api.ErrorCode(), msg)
}
