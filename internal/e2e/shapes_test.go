package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/keyward/keyward/internal/config"
)

// TestEachSideCanServeAlone runs the deployment shapes of DESIGN.md: the
// identity provider alone (--aws-addr ""), federating real AWS, and the
// AWS side alone (--idp-addr ""), the offline stand-in for CI.
func TestEachSideCanServeAlone(t *testing.T) {
	t.Run("the identity provider alone serves its API and no AWS endpoint", func(t *testing.T) {
		dir := t.TempDir()
		m := launch(t, dir, nil, func(c *config.Config) { c.AWS.Addr = "" })
		s := &server{t: t, main: m, dataDir: dir}
		fatalIf(t, m.Addr() != "" || m.AWSURL != "", "the AWS side listens at %q (%q)", m.Addr(), m.AWSURL)
		g := must2[*okta.Group](t, "create a group")(s.oktaAdmin().GroupAPI.CreateGroup(context.Background()).Group(newGroup("Solo", "")).Execute())
		equal(t, "group", "Solo", g.Profile.GetName())
	})
	t.Run("the AWS side alone serves AWS and no org URL", func(t *testing.T) {
		s := &server{t: t, dataDir: t.TempDir()}
		s.main = launch(t, s.dataDir, nil, func(c *config.Config) { c.IdP.Addr = "" })
		s.url = s.main.AWSURL
		fatalIf(t, s.main.IdPAddr() != "" || s.main.OrgURL != "", "the identity provider listens at %q", s.main.IdPAddr())
		_, err := organizations.NewFromConfig(s.adminConfig()).DescribeOrganization(context.Background(), &organizations.DescribeOrganizationInput{})
		must(t, err)
	})
	t.Run("turning both off is refused", func(t *testing.T) {
		c := config.Default()
		c.AWS.Addr, c.IdP.Addr = "", ""
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "serve nothing") {
			t.Fatalf("validate with both sides off: %v", err)
		}
	})
}
