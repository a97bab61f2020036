package iamapi_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"
)

const (
	trustEC2 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	allowS3  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	readOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess"
)

// decoded is a policy document as IAM returns it, URL-decoded.
func decoded(t *testing.T, doc *string) string {
	t.Helper()
	out, err := url.QueryUnescape(aws.ToString(doc))
	must(t, err)
	return out
}

func (s *server) createRole(t *testing.T, name, path string) *types.Role {
	t.Helper()
	out, err := s.admin.CreateRole(s.ctx, &sdk.CreateRoleInput{RoleName: aws.String(name), Path: aws.String(path),
		AssumeRolePolicyDocument: aws.String(trustEC2), Description: aws.String("for " + name),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}}})
	must(t, err)
	return out.Role
}

func TestARoleIsCreatedReadListedChangedAndDeleted(t *testing.T) {
	s := newServer(t)
	created := s.createRole(t, "deploy", "/ci/")
	if want := "arn:aws:iam::" + s.account() + ":role/ci/deploy"; aws.ToString(created.Arn) != want ||
		!strings.HasPrefix(aws.ToString(created.RoleId), "AROA") || aws.ToInt32(created.MaxSessionDuration) != 3600 {
		t.Fatalf("created role = %+v, want ARN %s, an AROA id and an hour's session", created, want)
	}
	got, err := s.admin.GetRole(s.ctx, &sdk.GetRoleInput{RoleName: aws.String("DEPLOY")})
	must(t, err)
	if decoded(t, got.Role.AssumeRolePolicyDocument) != trustEC2 || aws.ToString(got.Role.Description) != "for deploy" ||
		len(got.Role.Tags) != 1 || !got.Role.CreateDate.Equal(*created.CreateDate) {
		t.Errorf("GetRole = %+v, want what CreateRole stored", got.Role)
	}
	_, err = s.admin.UpdateRole(s.ctx, &sdk.UpdateRoleInput{RoleName: aws.String("deploy"), MaxSessionDuration: aws.Int32(7200)})
	must(t, err)
	upd, err := s.admin.UpdateRoleDescription(s.ctx, &sdk.UpdateRoleDescriptionInput{RoleName: aws.String("deploy"), Description: aws.String("new")})
	must(t, err)
	if aws.ToString(upd.Role.Description) != "new" || aws.ToInt32(upd.Role.MaxSessionDuration) != 7200 {
		t.Errorf("updated role = %+v, want description new and 7200 s", upd.Role)
	}
	trust := strings.Replace(trustEC2, "ec2", "lambda", 1)
	_, err = s.admin.UpdateAssumeRolePolicy(s.ctx, &sdk.UpdateAssumeRolePolicyInput{RoleName: aws.String("deploy"), PolicyDocument: aws.String(trust)})
	must(t, err)
	got, err = s.admin.GetRole(s.ctx, &sdk.GetRoleInput{RoleName: aws.String("deploy")})
	must(t, err)
	if decoded(t, got.Role.AssumeRolePolicyDocument) != trust {
		t.Errorf("trust policy = %s, want the new one", decoded(t, got.Role.AssumeRolePolicyDocument))
	}
	_, err = s.admin.DeleteRole(s.ctx, &sdk.DeleteRoleInput{RoleName: aws.String("deploy")})
	must(t, err)
	_, err = s.admin.GetRole(s.ctx, &sdk.GetRoleInput{RoleName: aws.String("deploy")})
	refused(t, err, noSuchEntity("The role with name deploy cannot be found."))
}

func TestRolesAreListedUnderAPathPrefixPageByPage(t *testing.T) {
	s := newServer(t)
	for _, r := range []struct{ name, path string }{{"c", "/team/a/"}, {"a", "/team/"}, {"b", "/"}} {
		s.createRole(t, r.name, r.path)
	}
	var names []string
	pages := 0
	p := sdk.NewListRolesPaginator(s.admin, &sdk.ListRolesInput{MaxItems: aws.Int32(1)})
	for ; p.HasMorePages(); pages++ {
		out, err := p.NextPage(s.ctx)
		must(t, err)
		for _, r := range out.Roles {
			names = append(names, aws.ToString(r.RoleName))
		}
		if pages > 5 {
			t.Fatal("paging does not end")
		}
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, names); diff != "" || pages != 3 {
		t.Errorf("%d pages of roles (-want +got):\n%s", pages, diff)
	}
	out, err := s.admin.ListRoles(s.ctx, &sdk.ListRolesInput{PathPrefix: aws.String("/team/")})
	must(t, err)
	if len(out.Roles) != 2 || out.IsTruncated {
		t.Errorf("under /team/: %d roles, truncated %v; want a and c", len(out.Roles), out.IsTruncated)
	}
}

func TestRoleRefusals(t *testing.T) {
	s := newServer(t)
	s.createRole(t, "taken", "/")
	long := strings.Repeat("a", 65)
	for _, tc := range []struct {
		name string
		call func() error
		want refusal
	}{
		{"a taken name, in any case, already exists", func() error {
			_, err := s.admin.CreateRole(s.ctx, &sdk.CreateRoleInput{RoleName: aws.String("TAKEN"), AssumeRolePolicyDocument: aws.String(trustEC2)})
			return err
		}, alreadyExists("Role with name TAKEN already exists.")},
		{"a 65-character name fails validation", func() error {
			_, err := s.admin.CreateRole(s.ctx, &sdk.CreateRoleInput{RoleName: aws.String(long), AssumeRolePolicyDocument: aws.String(trustEC2)})
			return err
		}, validation("1 validation error detected: Value '" + long + "' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64")},
		{"a trust policy without a principal is malformed", func() error {
			_, err := s.admin.CreateRole(s.ctx, &sdk.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(allowS3)})
			return err
		}, malformed("")},
		{"a session of 13 hours fails validation", func() error {
			_, err := s.admin.UpdateRole(s.ctx, &sdk.UpdateRoleInput{RoleName: aws.String("taken"), MaxSessionDuration: aws.Int32(46800)})
			return err
		}, validation("at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200")},
		{"a boundary naming no policy is no such entity", func() error {
			_, err := s.admin.PutRolePermissionsBoundary(s.ctx, &sdk.PutRolePermissionsBoundaryInput{RoleName: aws.String("taken"),
				PermissionsBoundary: aws.String("arn:aws:iam::aws:policy/NoSuchPolicy")})
			return err
		}, noSuchEntity("does not exist or is not attachable")},
		{"a boundary that is not an ARN is invalid input", func() error {
			_, err := s.admin.PutRolePermissionsBoundary(s.ctx, &sdk.PutRolePermissionsBoundaryInput{RoleName: aws.String("taken"),
				PermissionsBoundary: aws.String("ReadOnlyAccess-not-an-arn")})
			return err
		}, invalidInput("ARN ReadOnlyAccess-not-an-arn is not valid.")},
		{"updating a missing role is no such entity", func() error {
			_, err := s.admin.UpdateRoleDescription(s.ctx, &sdk.UpdateRoleDescriptionInput{RoleName: aws.String("ghost"), Description: aws.String("x")})
			return err
		}, noSuchEntity("The role with name ghost cannot be found.")},
		{"a 51st tag exceeds the limit", func() error {
			tags := make([]types.Tag, 50)
			for i := range tags {
				tags[i] = types.Tag{Key: aws.String("k" + strings.Repeat("x", i)), Value: aws.String("")}
			}
			_, err := s.admin.TagRole(s.ctx, &sdk.TagRoleInput{RoleName: aws.String("taken"), Tags: tags})
			return err
		}, limitExceeded("maximum")},
	} {
		t.Run(tc.name, func(t *testing.T) { refused(t, tc.call(), tc.want) })
	}
}

func TestRoleTagsAndBoundaryAreSetAndRemoved(t *testing.T) {
	s := newServer(t)
	s.createRole(t, "app", "/")
	_, err := s.admin.TagRole(s.ctx, &sdk.TagRoleInput{RoleName: aws.String("app"), Tags: []types.Tag{
		{Key: aws.String("Team"), Value: aws.String("platform")}, {Key: aws.String("env"), Value: aws.String("prod")}}})
	must(t, err)
	_, err = s.admin.UntagRole(s.ctx, &sdk.UntagRoleInput{RoleName: aws.String("app"), TagKeys: []string{"env"}})
	must(t, err)
	tags, err := s.admin.ListRoleTags(s.ctx, &sdk.ListRoleTagsInput{RoleName: aws.String("app")})
	must(t, err)
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "Team" || aws.ToString(tags.Tags[0].Value) != "platform" {
		t.Errorf("tags = %+v, want only Team=platform (the key's case follows the newest tag)", tags.Tags)
	}
	_, err = s.admin.PutRolePermissionsBoundary(s.ctx, &sdk.PutRolePermissionsBoundaryInput{RoleName: aws.String("app"), PermissionsBoundary: aws.String(readOnly)})
	must(t, err)
	got, err := s.admin.GetRole(s.ctx, &sdk.GetRoleInput{RoleName: aws.String("app")})
	must(t, err)
	if b := got.Role.PermissionsBoundary; b == nil || aws.ToString(b.PermissionsBoundaryArn) != readOnly || b.PermissionsBoundaryType != types.PermissionsBoundaryAttachmentTypePolicy {
		t.Errorf("boundary = %+v, want ReadOnlyAccess as a Policy", b)
	}
	_, err = s.admin.DeleteRolePermissionsBoundary(s.ctx, &sdk.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("app")})
	must(t, err)
	got, err = s.admin.GetRole(s.ctx, &sdk.GetRoleInput{RoleName: aws.String("app")})
	must(t, err)
	if got.Role.PermissionsBoundary != nil {
		t.Errorf("boundary = %+v after deleting it", got.Role.PermissionsBoundary)
	}
}
