package iam

import (
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/errs"
)

// Prefixes of the unique ids of IAM users and groups.
const (
	PrefixUserID  = "AIDA"
	PrefixGroupID = "AGPA"
)

// NewUserID returns an IAM user id: "AIDA" and 17 characters.
func NewUserID(r io.Reader) string { return PrefixUserID + randomBase32(r, 17) }

// NewGroupID returns an IAM group id: "AGPA" and 17 characters.
func NewGroupID(r io.Reader) string { return PrefixGroupID + randomBase32(r, 17) }

// User is an IAM user of one account. Its name is unique in the account,
// case-insensitively, as in AWS.
type User struct {
	AccountID string
	ID        string // AIDA...
	Name      string
	Path      string // "/" or "/a/b/"
	Tags      []Tag
	// PermissionsBoundary is the ARN of the managed policy bounding the
	// user's permissions, or empty.
	PermissionsBoundary string
	CreatedAt           time.Time
}

// ARN is arn:aws:iam::ACCOUNT:user/PATH/NAME.
func (u User) ARN() string { return UserARN(u.AccountID, u.Path, u.Name) }

// UserARN is the ARN of a user; an empty path is "/".
func UserARN(accountID, path, name string) string { return entityARN(accountID, "user", path, name) }

// Group is an IAM group of one account, named uniquely in it.
type Group struct {
	AccountID string
	ID        string // AGPA...
	Name      string
	Path      string
	CreatedAt time.Time
}

// ARN is arn:aws:iam::ACCOUNT:group/PATH/NAME.
func (g Group) ARN() string { return entityARN(g.AccountID, "group", g.Path, g.Name) }

func entityARN(accountID, kind, path, name string) string {
	if path == "" {
		path = "/"
	}
	return "arn:" + Partition + ":iam::" + accountID + ":" + kind + path + name
}

// InlinePolicy is a policy embedded in a user or group.
type InlinePolicy struct {
	Name     string
	Document string // the JSON as the client sent it
}

// Access key statuses.
const (
	KeyActive   = "Active"
	KeyInactive = "Inactive"
)

// MaxAccessKeysPerUser is AWS's quota AccessKeysPerUser.
const MaxAccessKeysPerUser = 2

// AccessKey is an IAM user's long-term access key. The secret is sealed
// before it reaches the store: SigV4 verification needs it back.
type AccessKey struct {
	ID           string // AKIA...
	AccountID    string
	UserID       string
	Status       string
	SealedSecret []byte
	CreatedAt    time.Time
	LastUsed     KeyUse
}

// KeyUse is when and where a key was last used; zero when never.
type KeyUse struct {
	At      time.Time
	Service string
	Region  string
}

// Limits of IAM names, paths and tags, as AWS enforces them.
const (
	MaxUserNameLen  = 64
	MaxGroupNameLen = 128
	MaxPathLen      = 512
	MaxPolicyName   = 128
	MaxTags         = 50
	MaxTagKeyLen    = 128
	MaxTagValueLen  = 256
	// MaxInlinePolicyLen is the size AWS allows a user's inline policy
	// (2,048 characters for users, 5,120 for groups); keyward allows the
	// larger for both.
	MaxInlinePolicyLen = 5120
	// MaxAttachedPolicies is AWS's default quota of managed policies
	// attached to one user or group.
	MaxAttachedPolicies = 10
)

var (
	nameRe = regexp.MustCompile(`^[\w+=,.@-]+$`)
	pathRe = regexp.MustCompile(`^/([\x21-\x7e]*/)?$`)
	tagRe  = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

// ValidName checks a user, group or policy name: 1 to max characters of
// letters, digits and +=,.@_-.
func ValidName(what, name string, max int) error {
	if name == "" || len(name) > max || !nameRe.MatchString(name) {
		return errs.E(errs.Invalid, "1 validation error detected: Value '%.128s' at '%s' failed to satisfy constraint: "+
			"Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have length between 1 and %d", name, what, max)
	}
	return nil
}

// ValidPath checks an IAM path: "/" or "/a/b/", at most 512 characters.
func ValidPath(path string) error {
	if len(path) > MaxPathLen || !pathRe.MatchString(path) {
		return errs.E(errs.Invalid, "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.")
	}
	return nil
}

// ValidTags checks tags as AWS does: at most 50, keys 1 to 128 characters,
// values up to 256, from letters, digits, spaces and _.:/=+-@, no key twice
// (case-insensitively) and no key starting "aws:".
func ValidTags(tags []Tag) error {
	if len(tags) > MaxTags {
		return errs.E(errs.Invalid, "Cannot exceed quota for TagsPerUser: %d", MaxTags).WithCode("LimitExceeded")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		k := strings.ToLower(t.Key)
		switch {
		case t.Key == "" || len(t.Key) > MaxTagKeyLen || !tagRe.MatchString(t.Key):
			return errs.E(errs.Invalid, "The tag key %.128q must be 1 to %d letters, digits, spaces or _.:/=+-@", t.Key, MaxTagKeyLen)
		case len(t.Value) > MaxTagValueLen || !tagRe.MatchString(t.Value):
			return errs.E(errs.Invalid, "The value of tag %.128q must be at most %d letters, digits, spaces or _.:/=+-@", t.Key, MaxTagValueLen)
		case strings.HasPrefix(k, "aws:"):
			return errs.E(errs.Invalid, "Tag keys starting with 'aws:' are reserved for AWS use")
		case seen[k]:
			return errs.E(errs.Invalid, "Duplicate tag keys found. Please note that Tag keys are case insensitive.").WithCode("InvalidInput")
		}
		seen[k] = true
	}
	return nil
}

// MergeTags returns tags with add applied: a key present (compared
// case-insensitively) takes the new value, others are appended.
func MergeTags(tags, add []Tag) []Tag {
	out := append([]Tag(nil), tags...)
	for _, a := range add {
		i := indexTag(out, a.Key)
		if i < 0 {
			out = append(out, a)
		} else {
			out[i] = a
		}
	}
	return out
}

// RemoveTags returns tags without the given keys (case-insensitively).
func RemoveTags(tags []Tag, keys []string) []Tag {
	var out []Tag
	for _, t := range tags {
		drop := false
		for _, k := range keys {
			drop = drop || strings.EqualFold(t.Key, k)
		}
		if !drop {
			out = append(out, t)
		}
	}
	return out
}

func indexTag(tags []Tag, key string) int {
	for i, t := range tags {
		if strings.EqualFold(t.Key, key) {
			return i
		}
	}
	return -1
}
