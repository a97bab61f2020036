package ssoadmin_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestTheInstanceIsDescribedAndRenamed(t *testing.T) {
	s := newServer(t)
	_, err := s.admin.UpdateInstance(s.ctx, &sdk.UpdateInstanceInput{InstanceArn: s.inst, Name: aws.String("corp-sso")})
	must(t, err)
	out, err := s.admin.DescribeInstance(s.ctx, &sdk.DescribeInstanceInput{InstanceArn: s.inst})
	must(t, err)
	got := []string{aws.ToString(out.InstanceArn), aws.ToString(out.IdentityStoreId), aws.ToString(out.OwnerAccountId),
		aws.ToString(out.Name), string(out.Status)}
	want := []string{*s.inst, s.boot.Instance.IdentityStoreID, s.boot.Organization.ManagementAccountID, "corp-sso", "ACTIVE"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DescribeInstance (-want +got):\n%s", diff)
	}
	if out.CreatedDate == nil || !aws.ToBool(out.PermissionSetsEnabled) {
		t.Errorf("CreatedDate %v, PermissionSetsEnabled %v; want a date and true", out.CreatedDate, out.PermissionSetsEnabled)
	}
	t.Run("a name with spaces is refused", func(t *testing.T) {
		_, err := s.admin.UpdateInstance(s.ctx, &sdk.UpdateInstanceInput{InstanceArn: s.inst, Name: aws.String("corp sso")})
		refused(t, err, validation("Name"))
	})
	t.Run("another instance is not found", func(t *testing.T) {
		_, err := s.admin.DescribeInstance(s.ctx, &sdk.DescribeInstanceInput{InstanceArn: aws.String("arn:aws:sso:::instance/ssoins-0000000000000000")})
		refused(t, err, notFound("does not exist"))
	})
	t.Run("creating another instance is a conflict", func(t *testing.T) {
		_, err := s.admin.CreateInstance(s.ctx, &sdk.CreateInstanceInput{Name: aws.String("second")})
		refused(t, err, conflict("already exists"))
	})
}

func TestPermissionSetsAndTheInstanceAreTaggedAndUntagged(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Tagged")
	for _, arn := range []*string{ps, s.inst} {
		t.Run("tags on "+*arn+" are merged by key and removed by key", func(t *testing.T) {
			_, err := s.admin.TagResource(s.ctx, &sdk.TagResourceInput{InstanceArn: s.inst, ResourceArn: arn,
				Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}, {Key: aws.String("env"), Value: aws.String("dev")}}})
			must(t, err)
			_, err = s.admin.TagResource(s.ctx, &sdk.TagResourceInput{InstanceArn: s.inst, ResourceArn: arn,
				Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("b")}}})
			must(t, err)
			_, err = s.admin.UntagResource(s.ctx, &sdk.UntagResourceInput{InstanceArn: s.inst, ResourceArn: arn, TagKeys: []string{"env", "absent"}})
			must(t, err)
			out, err := s.admin.ListTagsForResource(s.ctx, &sdk.ListTagsForResourceInput{InstanceArn: s.inst, ResourceArn: arn})
			must(t, err)
			want := []types.Tag{{Key: aws.String("team"), Value: aws.String("b")}}
			if diff := cmp.Diff(want, out.Tags, cmpopts.IgnoreUnexported(types.Tag{})); diff != "" {
				t.Errorf("tags (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("a tag with the reserved aws: prefix is refused", func(t *testing.T) {
		_, err := s.admin.TagResource(s.ctx, &sdk.TagResourceInput{InstanceArn: s.inst, ResourceArn: ps,
			Tags: []types.Tag{{Key: aws.String("aws:owner"), Value: aws.String("x")}}})
		refused(t, err, validation("reserved prefix"))
	})
	t.Run("untagging with no keys is refused", func(t *testing.T) {
		_, err := s.admin.UntagResource(s.ctx, &sdk.UntagResourceInput{InstanceArn: s.inst, ResourceArn: ps, TagKeys: []string{}})
		refused(t, err, validation("TagKeys"))
	})
}

func abacConfig(pairs ...string) *types.InstanceAccessControlAttributeConfiguration {
	c := &types.InstanceAccessControlAttributeConfiguration{AccessControlAttributes: []types.AccessControlAttribute{}}
	for i := 0; i < len(pairs); i += 2 {
		c.AccessControlAttributes = append(c.AccessControlAttributes, types.AccessControlAttribute{Key: aws.String(pairs[i]),
			Value: &types.AccessControlAttributeValue{Source: []string{pairs[i+1]}}})
	}
	return c
}

func TestTheAccessControlAttributeConfigurationHasALifecycle(t *testing.T) {
	s := newServer(t)
	describe := func() (*sdk.DescribeInstanceAccessControlAttributeConfigurationOutput, error) {
		return s.admin.DescribeInstanceAccessControlAttributeConfiguration(s.ctx, &sdk.DescribeInstanceAccessControlAttributeConfigurationInput{InstanceArn: s.inst})
	}
	_, err := describe()
	refused(t, err, notFound("No attribute-based access control configuration"))
	_, err = s.admin.UpdateInstanceAccessControlAttributeConfiguration(s.ctx, &sdk.UpdateInstanceAccessControlAttributeConfigurationInput{
		InstanceArn: s.inst, InstanceAccessControlAttributeConfiguration: abacConfig("dept", "${path:enterprise.department}")})
	refused(t, err, notFound("No attribute-based access control configuration"))

	created := abacConfig("dept", "${path:enterprise.department}", "email", "${path:emails[primary eq true].value}")
	_, err = s.admin.CreateInstanceAccessControlAttributeConfiguration(s.ctx, &sdk.CreateInstanceAccessControlAttributeConfigurationInput{
		InstanceArn: s.inst, InstanceAccessControlAttributeConfiguration: created})
	must(t, err)
	opts := cmpopts.IgnoreUnexported(types.InstanceAccessControlAttributeConfiguration{}, types.AccessControlAttribute{}, types.AccessControlAttributeValue{})
	out, err := describe()
	must(t, err)
	if diff := cmp.Diff(created, out.InstanceAccessControlAttributeConfiguration, opts); diff != "" || out.Status != types.InstanceAccessControlAttributeConfigurationStatusEnabled {
		t.Errorf("status %s, configuration (-want +got):\n%s", out.Status, diff)
	}
	t.Run("creating it again is a conflict", func(t *testing.T) {
		_, err = s.admin.CreateInstanceAccessControlAttributeConfiguration(s.ctx, &sdk.CreateInstanceAccessControlAttributeConfigurationInput{
			InstanceArn: s.inst, InstanceAccessControlAttributeConfiguration: created})
		refused(t, err, conflict("already exists"))
	})
	t.Run("an update replaces the attributes", func(t *testing.T) {
		updated := abacConfig("cc", "${path:enterprise.costCenter}")
		_, err = s.admin.UpdateInstanceAccessControlAttributeConfiguration(s.ctx, &sdk.UpdateInstanceAccessControlAttributeConfigurationInput{
			InstanceArn: s.inst, InstanceAccessControlAttributeConfiguration: updated})
		must(t, err)
		out, err := describe()
		must(t, err)
		if diff := cmp.Diff(updated, out.InstanceAccessControlAttributeConfiguration, opts); diff != "" {
			t.Errorf("configuration (-want +got):\n%s", diff)
		}
	})
	t.Run("an unsupported source is refused", func(t *testing.T) {
		_, err = s.admin.UpdateInstanceAccessControlAttributeConfiguration(s.ctx, &sdk.UpdateInstanceAccessControlAttributeConfigurationInput{
			InstanceArn: s.inst, InstanceAccessControlAttributeConfiguration: abacConfig("x", "${path:enterprise.shoeSize}")})
		refused(t, err, validation("is not a supported attribute"))
	})
	t.Run("deleting it leaves none", func(t *testing.T) {
		_, err = s.admin.DeleteInstanceAccessControlAttributeConfiguration(s.ctx, &sdk.DeleteInstanceAccessControlAttributeConfigurationInput{InstanceArn: s.inst})
		must(t, err)
		_, err = describe()
		refused(t, err, notFound("No attribute-based access control configuration"))
	})
}

func TestTheInstanceListsNoApplicationsOrTrustedTokenIssuers(t *testing.T) {
	s := newServer(t)
	apps, err := s.admin.ListApplications(s.ctx, &sdk.ListApplicationsInput{InstanceArn: s.inst})
	must(t, err)
	issuers, err := s.admin.ListTrustedTokenIssuers(s.ctx, &sdk.ListTrustedTokenIssuersInput{InstanceArn: s.inst})
	must(t, err)
	if apps.Applications == nil || len(apps.Applications) != 0 || len(issuers.TrustedTokenIssuers) != 0 || apps.NextToken != nil {
		t.Errorf("applications %+v, issuers %+v; want two empty lists", apps.Applications, issuers.TrustedTokenIssuers)
	}
	_, err = s.admin.ListApplications(s.ctx, &sdk.ListApplicationsInput{InstanceArn: s.inst, NextToken: aws.String("AAAA")})
	refused(t, err, validation("invalid NextToken"))
}
