package iamapi

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"regexp"
	"time"

	"rsc.io/qr"

	"github.com/keyward/keyward/internal/authn/totp"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// mfaIssuer names keyward in authenticator apps, as AWS names itself.
const mfaIssuer = "Amazon Web Services"

var serialRe = regexp.MustCompile(`^[\w+=/:,.@-]{9,256}$`)

func noSuchDevice(serial string) error {
	return errs.E(errs.NotFound, "VirtualMFADevice with serial number %.256s doesn't exist.", serial)
}

// wireMFADevice is IAM's VirtualMFADevice shape. The seed and QR code are
// blobs, base64 on the wire, present only in CreateVirtualMFADevice's answer.
type wireMFADevice struct {
	SerialNumber     string
	Base32StringSeed string     `xml:",omitempty"`
	QRCodePNG        string     `xml:",omitempty"`
	User             *wireUser  `xml:",omitempty"`
	EnableDate       *time.Time `xml:",omitempty"`
	Tags             *tagList   `xml:",omitempty"`
}

type createMFAInput struct {
	Path                 string
	VirtualMFADeviceName string
	Tags                 []iam.Tag
}

type createMFAResult struct{ VirtualMFADevice wireMFADevice }

func (s *Service) createVirtualMFADevice(ctx context.Context, in *createMFAInput) (*createMFAResult, error) {
	creds, err := s.credentials()
	if err != nil {
		return nil, err
	}
	acct, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	d := iam.VirtualMFADevice{AccountID: acct, Path: orRoot(in.Path), Name: in.VirtualMFADeviceName, Tags: in.Tags, CreatedAt: s.clock.Now()}
	if err := validDevice(d); err != nil {
		return nil, err
	}
	seed := clock.Bytes(s.random, totp.SecretSize)
	d.SealedSeed = creds.SealMFASeed(d.SerialNumber(), seed)
	png, err := qrPNG(totp.URI(seed, mfaIssuer, d.Name+"@"+acct))
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateIAMMFADevice(ctx, d); errs.Is(err, errs.Conflict) {
		return nil, errs.E(errs.Conflict, "MFADevice entity at the same path and name already exists.")
	} else if err != nil {
		return nil, err
	}
	return &createMFAResult{VirtualMFADevice: wireMFADevice{SerialNumber: d.SerialNumber(), Tags: wireTags(d.Tags),
		Base32StringSeed: base64.StdEncoding.EncodeToString([]byte(totp.Base32(seed))),
		QRCodePNG:        base64.StdEncoding.EncodeToString(png)}}, nil
}

func validDevice(d iam.VirtualMFADevice) error {
	if err := iam.ValidMFADeviceName(d.Name); err != nil {
		return err
	}
	if err := iam.ValidatePath("path", d.Path); err != nil {
		return err
	}
	return iam.ValidateTags("tags", d.Tags)
}

// qrPNG renders text as a QR code PNG, as IAM's QRCodePNG.
func qrPNG(text string) ([]byte, error) {
	if len(text) > totp.MaxQRText {
		return nil, errs.E(errs.Invalid, "The device name is too long for its QR code")
	}
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, err
	}
	return c.PNG(), nil
}

// device finds a device of the caller's account by serial number.
func (s *Service) device(ctx context.Context, serial string) (iam.VirtualMFADevice, error) {
	acct, err := callerAccount(ctx)
	if err != nil {
		return iam.VirtualMFADevice{}, err
	}
	if !serialRe.MatchString(serial) {
		return iam.VirtualMFADevice{}, errs.E(errs.Invalid, "1 validation error detected: Value '%.256s' at 'serialNumber' failed to satisfy constraint: "+
			"Member must satisfy regular expression pattern: [\\w+=/:,.@-]+ and have length between 9 and 256", serial)
	}
	d, err := s.store.IAMMFADevice(ctx, serial)
	if errs.Is(err, errs.NotFound) || (err == nil && d.AccountID != acct) {
		return iam.VirtualMFADevice{}, noSuchDevice(serial)
	}
	return d, err
}

type enableMFAInput struct {
	UserName            string
	SerialNumber        string
	AuthenticationCode1 string
	AuthenticationCode2 string
}

// enableMFADevice assigns a device to a user once two consecutive codes
// prove the user's app holds the seed.
func (s *Service) enableMFADevice(ctx context.Context, in *enableMFAInput) (*empty, error) {
	creds, err := s.credentials()
	if err != nil {
		return nil, err
	}
	u, err := s.user(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	if _, err := s.device(ctx, in.SerialNumber); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	_, err = s.store.UpdateIAMMFADevice(ctx, in.SerialNumber, func(d iam.VirtualMFADevice) (iam.VirtualMFADevice, error) {
		if d.Assigned() {
			return d, errs.E(errs.Conflict, "MFA Device is already in use.")
		}
		seed, err := creds.OpenMFASeed(in.SerialNumber, d.SealedSeed)
		if err != nil {
			return d, err
		}
		step, ok := consecutiveCodes(seed, in.AuthenticationCode1, in.AuthenticationCode2, now)
		if !ok {
			return d, errs.E(errs.Invalid, "Authentication code for device is not valid.").WithCode("InvalidAuthenticationCode")
		}
		d.UserID, d.EnableDate, d.LastStep = u.ID, now, step
		return d, nil
	})
	return &empty{}, err
}

// codeWindow is how many steps back EnableMFADevice looks for the pair of
// codes: a person reads two codes off an app and types them, which takes
// a while.
const codeWindow = 10

// consecutiveCodes finds the steps s, s+1 (s at most the current step)
// whose codes are c1 and c2, and returns s+1, the last step used.
func consecutiveCodes(seed []byte, c1, c2 string, now time.Time) (int64, bool) {
	if len(c1) != totp.Digits || len(c2) != totp.Digits {
		return 0, false
	}
	cur := totp.Step(now)
	for s := cur - codeWindow; s <= cur; s++ {
		at := time.Unix(s*int64(totp.Period/time.Second), 0)
		if sameCode(totp.Code(seed, at), c1) && sameCode(totp.Code(seed, at.Add(totp.Period)), c2) {
			return s + 1, true
		}
	}
	return 0, false
}

func sameCode(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

type deactivateMFAInput struct {
	UserName     string
	SerialNumber string
}

func (s *Service) deactivateMFADevice(ctx context.Context, in *deactivateMFAInput) (*empty, error) {
	u, err := s.userOrCaller(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	if _, err := s.device(ctx, in.SerialNumber); err != nil {
		return nil, err
	}
	_, err = s.store.UpdateIAMMFADevice(ctx, in.SerialNumber, func(d iam.VirtualMFADevice) (iam.VirtualMFADevice, error) {
		if d.UserID != u.ID {
			return d, errs.E(errs.NotFound, "MFA Device with serial number %s does not exist for user %s.", in.SerialNumber, u.Name)
		}
		d.UserID, d.EnableDate = "", time.Time{}
		return d, nil
	})
	return &empty{}, err
}

type serialInput struct{ SerialNumber string }

func (s *Service) deleteVirtualMFADevice(ctx context.Context, in *serialInput) (*empty, error) {
	if _, err := s.device(ctx, in.SerialNumber); err != nil {
		return nil, err
	}
	if err := s.store.DeleteIAMMFADevice(ctx, in.SerialNumber); errs.Is(err, errs.Conflict) {
		return nil, errs.E(errs.Conflict, "MFA Device is still in use.").WithCode("DeleteConflict")
	} else if err != nil {
		return nil, err
	}
	return &empty{}, nil
}
