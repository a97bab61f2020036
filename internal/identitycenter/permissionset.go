package identitycenter

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/errs"
)

// Session duration bounds of a permission set.
const (
	MinSessionDuration     = time.Hour
	MaxSessionDuration     = 12 * time.Hour
	DefaultSessionDuration = "PT1H"
)

// Tag is a key-value pair on a resource.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// PermissionSet is a template of access that provisioning turns into a role
// in each account it is assigned on.
type PermissionSet struct {
	ID              string // ps-<16 hex>
	InstanceID      string
	Name            string
	Description     string
	SessionDuration string // ISO-8601, e.g. PT4H
	RelayState      string
	Tags            []Tag
	ManagedPolicies []string // AWS managed policy ARNs
	// CustomerPolicies refer to customer managed policies by name and path,
	// in each account the permission set is provisioned to.
	CustomerPolicies []PolicyRef
	InlinePolicy     string
	// Boundary is the permissions boundary of its roles; nil for none.
	Boundary *PermissionsBoundary
	// Version counts changes that need provisioning; a role records the
	// version it was provisioned from.
	Version   int
	CreatedAt time.Time
}

// ARN returns the permission set's ARN.
func (p PermissionSet) ARN() string {
	return "arn:aws:sso:::permissionSet/" + p.InstanceID + "/" + p.ID
}

// Duration returns the session duration, or the default when unset or invalid.
func (p PermissionSet) Duration() time.Duration {
	d, err := ParseSessionDuration(p.SessionDuration)
	if err != nil || p.SessionDuration == "" {
		return MinSessionDuration
	}
	return d
}

var (
	permissionSetNameRe = regexp.MustCompile(`^[\w+=,.@-]{1,32}$`)
	descriptionRe       = regexp.MustCompile("^[\u0009\u000A\u000D\u0020-\u007E\u00A0-\u00FF]*$")
	durationRe          = regexp.MustCompile(`^PT(?:(\d{1,2})H)?(?:(\d{1,3})M)?(?:(\d{1,5})S)?$`)
)

// ParseSessionDuration parses an ISO-8601 time duration such as PT4H or
// PT1H30M and checks that it lies between 1 and 12 hours.
func ParseSessionDuration(s string) (time.Duration, error) {
	m := durationRe.FindStringSubmatch(s)
	if m == nil || s == "PT" {
		return 0, errs.E(errs.Invalid, "SessionDuration %q must be an ISO-8601 duration such as PT4H", s)
	}
	var d time.Duration
	for i, unit := range []time.Duration{time.Hour, time.Minute, time.Second} {
		if m[i+1] != "" {
			n, _ := strconv.Atoi(m[i+1]) // the pattern bounds it to a few digits
			d += time.Duration(n) * unit
		}
	}
	if d < MinSessionDuration || d > MaxSessionDuration {
		return 0, errs.E(errs.Invalid, "SessionDuration %q must be between 1 and 12 hours", s)
	}
	return d, nil
}

// Validate checks the editable fields of a permission set as SSO Admin does.
func (p PermissionSet) Validate() error {
	if !permissionSetNameRe.MatchString(p.Name) {
		return errs.E(errs.Invalid, "Name %q must be 1 to 32 characters of letters, digits and +=,.@_-", p.Name)
	}
	if utf8.RuneCountInString(p.Description) > 700 || !descriptionRe.MatchString(p.Description) {
		return errs.E(errs.Invalid, "Description must be at most 700 printable characters")
	}
	if p.SessionDuration != "" {
		if _, err := ParseSessionDuration(p.SessionDuration); err != nil {
			return err
		}
	}
	if err := validateRelayState(p.RelayState); err != nil {
		return err
	}
	return ValidateTags(p.Tags)
}

func validateRelayState(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if len(s) > 240 || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errs.E(errs.Invalid, "RelayState must be an http(s) URL of at most 240 characters")
	}
	return nil
}

// tagTextRe is SSO Admin's TagKey and TagValue pattern.
var tagTextRe = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// ValidTagKey reports whether k is 1 to 128 characters (not bytes) of the
// model's TagKey pattern.
func ValidTagKey(k string) bool {
	n := utf8.RuneCountInString(k)
	return n >= 1 && n <= 128 && tagTextRe.MatchString(k)
}

// ValidateTags checks tag count, key and value lengths (in characters) and
// characters, and duplicate keys.
func ValidateTags(tags []Tag) error {
	if len(tags) > 50 {
		return errs.E(errs.Invalid, "at most 50 tags are allowed")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if !ValidTagKey(t.Key) || utf8.RuneCountInString(t.Value) > 256 || !tagTextRe.MatchString(t.Value) {
			return errs.E(errs.Invalid, "tag keys must be 1 to 128 characters and values at most 256, of letters, digits, spaces and _.:/=+-@")
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return errs.E(errs.Invalid, "tag key %q uses the reserved prefix aws:", t.Key)
		}
		if seen[t.Key] {
			return errs.E(errs.Invalid, "tag key %q appears more than once", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}
