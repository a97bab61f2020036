package iamapi

import (
	"net/url"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/iam"
)

// isoTime renders a time as IAM does: ISO 8601 in UTC, to the second.
type isoTime time.Time

func (t isoTime) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format("2006-01-02T15:04:05Z")), nil
}

// members is an awsQuery list: <Name><member>...</member>...</Name>. It is
// always written, empty or not, as IAM writes it.
type members[T any] struct {
	Member []T `xml:"member"`
}

// list wraps items as an awsQuery list.
func list[T any](items []T) members[T] { return members[T]{Member: items} }

// encodeDocument is how IAM returns a policy document: URL-encoded (the
// CLI and boto3 decode it). Spaces are %20, so both a URL decoder and a
// form decoder read it back unchanged.
func encodeDocument(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

type tagXML struct {
	Key   string
	Value string
}

type tagIn struct {
	Key   string
	Value string
}

func tagsOut(tags []iam.Tag) members[tagXML] {
	out := make([]tagXML, len(tags))
	for i, t := range tags {
		out[i] = tagXML(t)
	}
	return list(out)
}

func tagsIn(in []tagIn) []iam.Tag {
	out := make([]iam.Tag, len(in))
	for i, t := range in {
		out[i] = iam.Tag(t)
	}
	return out
}

type boundaryXML struct {
	PermissionsBoundaryType string
	PermissionsBoundaryArn  string
}

type lastUsedXML struct {
	LastUsedDate *isoTime `xml:",omitempty"`
	Region       string   `xml:",omitempty"`
}

// roleXML is IAM's Role shape.
type roleXML struct {
	Path                     string
	RoleName                 string
	RoleID                   string `xml:"RoleId"`
	Arn                      string
	CreateDate               isoTime
	AssumeRolePolicyDocument string
	Description              string           `xml:",omitempty"`
	MaxSessionDuration       int              `xml:",omitempty"`
	PermissionsBoundary      *boundaryXML     `xml:",omitempty"`
	Tags                     *members[tagXML] `xml:",omitempty"`
	RoleLastUsed             *lastUsedXML     `xml:",omitempty"` // GetRole's, not ListRoles'
}

func roleOut(r iam.Role) roleXML {
	out := roleXML{Path: r.Path, RoleName: r.Name, RoleID: r.ID, Arn: r.ARN(), CreateDate: isoTime(r.CreatedAt),
		AssumeRolePolicyDocument: encodeDocument(r.TrustPolicy), Description: r.Description,
		MaxSessionDuration: r.MaxSessionDuration, PermissionsBoundary: boundaryOut(r.PermissionsBoundary)}
	if len(r.Tags) > 0 {
		t := tagsOut(r.Tags)
		out.Tags = &t
	}
	out.RoleLastUsed = &lastUsedXML{}
	if !r.LastUsed.IsZero() {
		at := isoTime(r.LastUsed)
		out.RoleLastUsed = &lastUsedXML{LastUsedDate: &at, Region: r.LastUsedRegion}
	}
	return out
}

func boundaryOut(arn string) *boundaryXML {
	if arn == "" {
		return nil
	}
	return &boundaryXML{PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: arn}
}

// policyXML is IAM's Policy shape.
type policyXML struct {
	PolicyName                    string
	PolicyID                      string `xml:"PolicyId"`
	Arn                           string
	Path                          string
	DefaultVersionID              string `xml:"DefaultVersionId"`
	AttachmentCount               int
	PermissionsBoundaryUsageCount int
	IsAttachable                  bool
	Description                   string `xml:",omitempty"`
	CreateDate                    isoTime
	UpdateDate                    isoTime
	Tags                          *members[tagXML] `xml:",omitempty"`
}

type versionXML struct {
	Document         string `xml:",omitempty"`
	VersionID        string `xml:"VersionId"`
	IsDefaultVersion bool
	CreateDate       isoTime
}

func versionOut(v iam.PolicyVersion) versionXML {
	out := versionXML{VersionID: v.VersionID, IsDefaultVersion: v.IsDefault, CreateDate: isoTime(v.CreatedAt)}
	if v.Document != "" {
		out.Document = encodeDocument(v.Document)
	}
	return out
}

type attachedXML struct {
	PolicyName string
	PolicyArn  string
}

// attachedOut names an attached policy by its ARN's last segment.
func attachedOut(arn string) attachedXML {
	return attachedXML{PolicyName: arn[strings.LastIndex(arn, "/")+1:], PolicyArn: arn}
}
