package iam

import (
	"io"
	"time"
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

// Limits of users and groups, as AWS enforces them (paths, tags and
// policy names are role.go's and tags.go's).
const (
	MaxUserNameLen  = 64
	MaxGroupNameLen = 128
	// MaxAttachedPolicies is AWS's default quota of managed policies
	// attached to one user or group.
	MaxAttachedPolicies = 10
	// MaxGroupsPerUser is AWS's quota of groups one user is in (not
	// adjustable).
	MaxGroupsPerUser = 10
)
