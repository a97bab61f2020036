package samlsp

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// Store is what the service provider reads and remembers. store.AWS
// provides it.
type Store interface {
	IdentitySource(ctx context.Context) (ic.IdentitySource, error)
	UserByName(ctx context.Context, userName string) (ic.User, error)
	RememberKey(ctx context.Context, key string, expires time.Time) error
	ConsumeKey(ctx context.Context, key string) error
	AppendEvent(ctx context.Context, e audit.Event) error
}

// Config is the instance the service provider stands for.
type Config struct {
	// Region is the instance's home region (us-east-1), part of the
	// entity ID.
	Region string
	// PublicURL is keyward's public AWS URL (no trailing slash), where the
	// ACS and metadata routes are served.
	PublicURL string
	Instance  ic.Instance
	Clock     clock.Clock
	Random    io.Reader
	// Skew is how far the identity provider's clock may be from ours;
	// zero means DefaultSkew, and it is capped at MaxSkew.
	Skew time.Duration
	// RequestLifetime is how long an AuthnRequest waits for its response;
	// zero means DefaultRequestLifetime.
	RequestLifetime time.Duration
}

// Defaults and bounds.
const (
	DefaultSkew            = 3 * time.Minute
	MaxSkew                = 10 * time.Minute
	DefaultRequestLifetime = 15 * time.Minute
	// MaxResponseBytes bounds the decoded Response document; the ACS route
	// should bound the form body to MaxFormBytes before parsing it.
	MaxResponseBytes = 256 << 10
	MaxFormBytes     = MaxResponseBytes*4/3 + 8<<10
	// MaxMetadataBytes bounds an identity provider's metadata document.
	MaxMetadataBytes = 512 << 10
)

// SP is Identity Center's SAML service provider for one instance.
type SP struct {
	store Store
	cfg   Config
}

// New returns the service provider of cfg.Instance on s.
func New(s Store, cfg Config) (*SP, error) {
	if cfg.Region == "" || cfg.PublicURL == "" || cfg.Instance.ID == "" || cfg.Instance.IdentityStoreID == "" {
		return nil, errors.New("samlsp: region, public URL and instance are required")
	}
	if cfg.Clock == nil || cfg.Random == nil {
		return nil, errors.New("samlsp: clock and randomness are required")
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if cfg.Skew <= 0 {
		cfg.Skew = DefaultSkew
	}
	cfg.Skew = min(cfg.Skew, MaxSkew)
	if cfg.RequestLifetime <= 0 {
		cfg.RequestLifetime = DefaultRequestLifetime
	}
	return &SP{store: s, cfg: cfg}, nil
}

// External reports whether the instance's people sign in at an external
// identity provider (so the portal sends them there).
func (sp *SP) External(ctx context.Context) (bool, error) {
	src, err := sp.store.IdentitySource(ctx)
	return src.External(), err
}

// EntityID is the service provider's entity ID: the Issuer of its
// requests and the Audience an identity provider must name.
func (sp *SP) EntityID() string { return EntityID(sp.cfg.Region, sp.cfg.Instance.IdentityStoreID) }

// EntityID is AWS's entity ID for an identity store in region.
func EntityID(region, identityStoreID string) string {
	return "https://" + region + ".signin.aws.amazon.com/platform/saml/" + identityStoreID
}

// ACSURL is where identity providers post responses.
func (sp *SP) ACSURL() string { return sp.cfg.PublicURL + ACSPath(sp.cfg.Instance.ID) }

// MetadataURL is where the service provider's metadata is served.
func (sp *SP) MetadataURL() string { return sp.cfg.PublicURL + MetadataPath(sp.cfg.Instance.ID) }

// ACSPath and MetadataPath are the routes' paths for an instance.
func ACSPath(instanceID string) string      { return "/platform/saml/acs/" + instanceID }
func MetadataPath(instanceID string) string { return "/platform/saml/metadata/" + instanceID }

// SAML names.
const (
	nsMetadata  = "urn:oasis:names:tc:SAML:2.0:metadata"
	nsProtocol  = "urn:oasis:names:tc:SAML:2.0:protocol"
	nsAssertion = "urn:oasis:names:tc:SAML:2.0:assertion"
	nsDSig      = "http://www.w3.org/2000/09/xmldsig#"

	nameIDEmail       = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
	nameIDUnspecified = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
	nameIDPersistent  = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
)

// Metadata is the service provider's metadata document: its entity ID and
// its ACS (HTTP-POST). It carries no key: keyward neither signs requests
// nor accepts encrypted assertions, and an identity provider that finds an
// encryption key in metadata may start encrypting.
func (sp *SP) Metadata() []byte {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	ed := doc.CreateElement("md:EntityDescriptor")
	ed.CreateAttr("xmlns:md", nsMetadata)
	ed.CreateAttr("entityID", sp.EntityID())
	d := ed.CreateElement("md:SPSSODescriptor")
	d.CreateAttr("AuthnRequestsSigned", "false")
	d.CreateAttr("WantAssertionsSigned", "true")
	d.CreateAttr("protocolSupportEnumeration", nsProtocol)
	for _, f := range []string{nameIDEmail, nameIDUnspecified, nameIDPersistent} {
		d.CreateElement("md:NameIDFormat").SetText(f)
	}
	acs := d.CreateElement("md:AssertionConsumerService")
	acs.CreateAttr("Binding", ic.BindingPOST)
	acs.CreateAttr("Location", sp.ACSURL())
	acs.CreateAttr("index", "0")
	acs.CreateAttr("isDefault", "true")
	doc.Indent(2)
	b, _ := doc.WriteToBytes() // writing to memory cannot fail
	return b
}
