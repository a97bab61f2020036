package ssoadmin_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ignoreIdentity compares permission sets by what the caller chose.
var ignoreIdentity = cmp.Options{
	cmpopts.IgnoreUnexported(types.PermissionSet{}),
	cmpopts.IgnoreFields(types.PermissionSet{}, "PermissionSetArn", "CreatedDate"),
}

func TestCreatePermissionSetAnswersWhatDescribeThenShows(t *testing.T) {
	s := newServer(t)
	for _, tc := range []struct {
		name string
		in   sdk.CreatePermissionSetInput
		want types.PermissionSet
	}{
		{name: "a name alone gets a session of one hour",
			in:   sdk.CreatePermissionSetInput{Name: aws.String("ReadOnly")},
			want: types.PermissionSet{Name: aws.String("ReadOnly"), SessionDuration: aws.String("PT1H")}},
		{name: "every field is kept as it was sent",
			in: sdk.CreatePermissionSetInput{Name: aws.String("Operator"), Description: aws.String("on call, 8 hours"),
				SessionDuration: aws.String("PT8H"), RelayState: aws.String("https://console.aws.amazon.com/ec2/")},
			want: types.PermissionSet{Name: aws.String("Operator"), Description: aws.String("on call, 8 hours"),
				SessionDuration: aws.String("PT8H"), RelayState: aws.String("https://console.aws.amazon.com/ec2/")}},
		{name: "a name of 32 characters using every allowed punctuation mark is accepted",
			in:   sdk.CreatePermissionSetInput{Name: aws.String("a+=,.@_-" + strings.Repeat("Z9", 12))},
			want: types.PermissionSet{Name: aws.String("a+=,.@_-" + strings.Repeat("Z9", 12)), SessionDuration: aws.String("PT1H")}},
		{name: "a session of exactly twelve hours is accepted",
			in:   sdk.CreatePermissionSetInput{Name: aws.String("Long"), SessionDuration: aws.String("PT12H")},
			want: types.PermissionSet{Name: aws.String("Long"), SessionDuration: aws.String("PT12H")}},
		{name: "a session of sixty minutes is one hour and accepted",
			in:   sdk.CreatePermissionSetInput{Name: aws.String("Minutes"), SessionDuration: aws.String("PT60M")},
			want: types.PermissionSet{Name: aws.String("Minutes"), SessionDuration: aws.String("PT60M")}},
		{name: "a session of hours and minutes is accepted",
			in:   sdk.CreatePermissionSetInput{Name: aws.String("Mixed"), SessionDuration: aws.String("PT1H30M")},
			want: types.PermissionSet{Name: aws.String("Mixed"), SessionDuration: aws.String("PT1H30M")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.InstanceArn = s.inst
			created, err := s.admin.CreatePermissionSet(s.ctx, &in)
			must(t, err)
			if diff := cmp.Diff(tc.want, *created.PermissionSet, ignoreIdentity); diff != "" {
				t.Errorf("CreatePermissionSet answered (-want +got):\n%s", diff)
			}
			arn := aws.ToString(created.PermissionSet.PermissionSetArn)
			if prefix := "arn:aws:sso:::permissionSet/" + s.boot.Instance.ID + "/ps-"; !strings.HasPrefix(arn, prefix) {
				t.Errorf("PermissionSetArn = %q, want it under %q", arn, prefix)
			}
			described, err := s.admin.DescribePermissionSet(s.ctx, &sdk.DescribePermissionSetInput{InstanceArn: s.inst, PermissionSetArn: &arn})
			must(t, err)
			if diff := cmp.Diff(*created.PermissionSet, *described.PermissionSet, cmpopts.IgnoreUnexported(types.PermissionSet{})); diff != "" {
				t.Errorf("DescribePermissionSet differs from what CreatePermissionSet answered (-created +described):\n%s", diff)
			}
		})
	}
}

func TestCreatePermissionSetRefusesBadInputAndChangesNothing(t *testing.T) {
	s := newServer(t)
	s.createPS(t, "DevOps")
	otherInstance := aws.String("arn:aws:sso:::instance/ssoins-0000000000000000")
	for _, tc := range []struct {
		name     string
		instance *string
		psName   string
		duration string
		want     refusal
	}{
		{name: "a name that is taken is a ConflictException naming it", psName: "DevOps",
			want: conflict("PermissionSet with name DevOps already exists")},
		{name: "an empty name is a ValidationException naming the field", psName: "",
			want: validation("'name'")},
		{name: "a name with a space is a ValidationException", psName: "Dev Ops",
			want: validation("must be 1 to 32 characters")},
		{name: "a name of 33 characters is a ValidationException", psName: strings.Repeat("a", 33),
			want: validation("must be 1 to 32 characters")},
		{name: "a name with a slash is a ValidationException", psName: "dev/ops",
			want: validation("must be 1 to 32 characters")},
		{name: "a name with a letter outside ASCII is a ValidationException", psName: "Développeurs",
			want: validation("must be 1 to 32 characters")},
		{name: "a session of 59 minutes is a ValidationException", psName: "Ops", duration: "PT59M",
			want: validation(`SessionDuration "PT59M" must be between 1 and 12 hours`)},
		{name: "a session one second over twelve hours is a ValidationException", psName: "Ops", duration: "PT12H1S",
			want: validation("must be between 1 and 12 hours")},
		{name: "a session of zero hours is a ValidationException", psName: "Ops", duration: "PT0H",
			want: validation("must be between 1 and 12 hours")},
		{name: "a session in days is a ValidationException", psName: "Ops", duration: "P1D",
			want: validation(`SessionDuration "P1D" must be an ISO-8601 duration`)},
		{name: "a session written in lower case is a ValidationException", psName: "Ops", duration: "pt1h",
			want: validation("must be an ISO-8601 duration")},
		{name: "a session written as a Go duration is a ValidationException", psName: "Ops", duration: "1h0m0s",
			want: validation("must be an ISO-8601 duration")},
		{name: "a negative session is a ValidationException", psName: "Ops", duration: "PT-1H",
			want: validation("must be an ISO-8601 duration")},
		{name: "an instance that is not ours is a ResourceNotFoundException", instance: otherInstance, psName: "Ops",
			want: notFound("does not exist")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.state(t)
			in := &sdk.CreatePermissionSetInput{InstanceArn: s.inst, Name: aws.String(tc.psName)}
			if tc.instance != nil {
				in.InstanceArn = tc.instance
			}
			if tc.duration != "" {
				in.SessionDuration = aws.String(tc.duration)
			}
			_, err := s.admin.CreatePermissionSet(s.ctx, in)
			refused(t, err, tc.want)
			s.unchanged(t, before)
		})
	}
}

func TestDescribePermissionSetFindsOnlyThisInstancesPermissionSets(t *testing.T) {
	s := newServer(t)
	deleted := s.createPS(t, "Gone")
	_, err := s.admin.DeletePermissionSet(s.ctx, &sdk.DeletePermissionSetInput{InstanceArn: s.inst, PermissionSetArn: deleted})
	must(t, err)
	for _, tc := range []struct {
		name string
		arn  string
		want refusal
	}{
		{name: "a deleted permission set is a ResourceNotFoundException", arn: *deleted,
			want: notFound("PERMISSION_SET")},
		{name: "a permission set id never issued is a ResourceNotFoundException",
			arn:  "arn:aws:sso:::permissionSet/" + s.boot.Instance.ID + "/ps-0000000000000000",
			want: notFound("PERMISSION_SET")},
		{name: "a permission set of another instance is a ResourceNotFoundException",
			arn:  "arn:aws:sso:::permissionSet/ssoins-0000000000000000/" + psID(deleted),
			want: notFound("Could not find PermissionSet")},
		{name: "a permission set id without its ARN is a ValidationException", arn: psID(deleted),
			want: validation("not a valid permission set ARN")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.admin.DescribePermissionSet(s.ctx, &sdk.DescribePermissionSetInput{InstanceArn: s.inst, PermissionSetArn: &tc.arn})
			refused(t, err, tc.want)
		})
	}
}

func TestUpdatePermissionSetRefusesBadSessionDurationsAndChangesNothing(t *testing.T) {
	s := newServer(t)
	created, err := s.admin.CreatePermissionSet(s.ctx, &sdk.CreatePermissionSetInput{InstanceArn: s.inst,
		Name: aws.String("Operator"), SessionDuration: aws.String("PT8H")})
	must(t, err)
	ps := created.PermissionSet.PermissionSetArn
	for _, tc := range []struct {
		name, duration string
		want           refusal
	}{
		{name: "an empty session duration is a ValidationException", duration: "",
			want: validation("SessionDuration")},
		{name: "a session of 13 hours is a ValidationException", duration: "PT13H",
			want: validation("must be between 1 and 12 hours")},
		{name: "a session of 30 minutes is a ValidationException", duration: "PT30M",
			want: validation("must be between 1 and 12 hours")},
		{name: "a session in days is a ValidationException", duration: "P1D",
			want: validation("must be an ISO-8601 duration")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.state(t)
			_, err := s.admin.UpdatePermissionSet(s.ctx, &sdk.UpdatePermissionSetInput{InstanceArn: s.inst,
				PermissionSetArn: ps, SessionDuration: aws.String(tc.duration)})
			refused(t, err, tc.want)
			s.unchanged(t, before)
		})
	}
}
