package iamapi_test

import (
	"bytes"
	"encoding/base32"
	"image/png"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/keyward/keyward/internal/authn/totp"
)

// newDevice creates a virtual MFA device and returns its serial and seed.
func (a *userAPI) newDevice(t *testing.T, name string) (string, []byte) {
	t.Helper()
	out, err := a.admin.CreateVirtualMFADevice(a.ctx, &sdk.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
	must(t, err)
	d := out.VirtualMFADevice
	seed, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(string(d.Base32StringSeed))
	must(t, err)
	if _, err := png.Decode(bytes.NewReader(d.QRCodePNG)); err != nil {
		t.Errorf("QRCodePNG is not a PNG: %v", err)
	}
	return *d.SerialNumber, seed
}

// twoCodes are the codes of the previous and the current step.
func twoCodes(seed []byte) (*string, *string) {
	now := time.Now()
	return aws.String(totp.Code(seed, now.Add(-totp.Period))), aws.String(totp.Code(seed, now))
}

func TestAVirtualMFADeviceIsEnabledWithTwoConsecutiveCodes(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	serial, seed := a.newDevice(t, "alice-phone")
	if want := "arn:aws:iam::" + a.acct + ":mfa/alice-phone"; serial != want {
		t.Errorf("serial = %s, want %s", serial, want)
	}
	c1, c2 := twoCodes(seed)
	user := aws.String("alice")
	_, err := a.admin.EnableMFADevice(a.ctx, &sdk.EnableMFADeviceInput{UserName: user, SerialNumber: &serial,
		AuthenticationCode1: c2, AuthenticationCode2: c1})
	refusedAs[*types.InvalidAuthenticationCodeException](t, err, "Authentication code for device is not valid.")
	_, err = a.admin.EnableMFADevice(a.ctx, &sdk.EnableMFADeviceInput{UserName: user, SerialNumber: &serial,
		AuthenticationCode1: c1, AuthenticationCode2: c2})
	must(t, err)
	mine, err := a.admin.ListMFADevices(a.ctx, &sdk.ListMFADevicesInput{UserName: user})
	must(t, err)
	if len(mine.MFADevices) != 1 || *mine.MFADevices[0].SerialNumber != serial {
		t.Errorf("alice's devices = %+v", mine.MFADevices)
	}
	assigned, err := a.admin.ListVirtualMFADevices(a.ctx, &sdk.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeAssigned})
	must(t, err)
	if len(assigned.VirtualMFADevices) != 1 || *assigned.VirtualMFADevices[0].User.UserName != "alice" {
		t.Errorf("assigned devices = %+v", assigned.VirtualMFADevices)
	}
	_, err = a.admin.DeleteVirtualMFADevice(a.ctx, &sdk.DeleteVirtualMFADeviceInput{SerialNumber: &serial})
	refusedAs[*types.DeleteConflictException](t, err, "MFA Device is still in use.")
	_, err = a.admin.DeleteUser(a.ctx, &sdk.DeleteUserInput{UserName: user})
	refusedAs[*types.DeleteConflictException](t, err, "must delete MFA device first")
	_, err = a.admin.DeactivateMFADevice(a.ctx, &sdk.DeactivateMFADeviceInput{UserName: user, SerialNumber: &serial})
	must(t, err)
	_, err = a.admin.DeleteVirtualMFADevice(a.ctx, &sdk.DeleteVirtualMFADeviceInput{SerialNumber: &serial})
	must(t, err)
	_, err = a.admin.DeleteUser(a.ctx, &sdk.DeleteUserInput{UserName: user})
	must(t, err)
}

func TestMFARequestsThatAreRefused(t *testing.T) {
	a := newUserAPI(t)
	a.createUser(t, "alice")
	serial, seed := a.newDevice(t, "phone")
	c1, c2 := twoCodes(seed)
	_, err := a.admin.EnableMFADevice(a.ctx, &sdk.EnableMFADeviceInput{UserName: aws.String("alice"), SerialNumber: &serial,
		AuthenticationCode1: c1, AuthenticationCode2: c2})
	must(t, err)
	runCases(t, []apiCase{
		{"a device name taken is refused", func() error {
			_, err := a.admin.CreateVirtualMFADevice(a.ctx, &sdk.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("phone")})
			return err
		}, func(t *testing.T, err error) {
			refusedAs[*types.EntityAlreadyExistsException](t, err, "already exists")
		}},
		{"an assigned device is not enabled again", func() error {
			_, err := a.admin.EnableMFADevice(a.ctx, &sdk.EnableMFADeviceInput{UserName: aws.String("alice"), SerialNumber: &serial,
				AuthenticationCode1: c1, AuthenticationCode2: c2})
			return err
		}, func(t *testing.T, err error) {
			refusedAs[*types.EntityAlreadyExistsException](t, err, "already in use")
		}},
		{"an unknown serial number is not found", func() error {
			_, err := a.admin.DeleteVirtualMFADevice(a.ctx, &sdk.DeleteVirtualMFADeviceInput{SerialNumber: aws.String("arn:aws:iam::" + a.acct + ":mfa/none")})
			return err
		}, func(t *testing.T, err error) { refusedAs[*types.NoSuchEntityException](t, err, "doesn't exist") }},
		{"another account's serial number is not found", func() error {
			_, err := a.admin.DeleteVirtualMFADevice(a.ctx, &sdk.DeleteVirtualMFADeviceInput{SerialNumber: aws.String("arn:aws:iam::999988887777:mfa/phone")})
			return err
		}, func(t *testing.T, err error) { refusedAs[*types.NoSuchEntityException](t, err, "doesn't exist") }},
	})
}
