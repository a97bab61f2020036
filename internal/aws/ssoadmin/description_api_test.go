package ssoadmin_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/ssoadmin"
)

// A description keeps the model's PermissionSetDescription: at most 700
// characters (not UTF-8 bytes) from tab, line breaks, U+0020-U+007E and
// U+00A0-U+00FF, the no-break space included.
func TestADescriptionIsMeasuredInCharacters(t *testing.T) {
	s := newServer(t)
	for i, d := range []string{strings.Repeat("é", 700), "Équipe\u00a0Sécurité"} {
		out, err := s.admin.CreatePermissionSet(s.ctx, &sdk.CreatePermissionSetInput{InstanceArn: s.inst,
			Name: aws.String("Set" + string(rune('A'+i))), Description: aws.String(d)})
		must(t, err)
		if got := aws.ToString(out.PermissionSet.Description); got != d {
			t.Errorf("description %q, want %q", got, d)
		}
	}
	_, err := s.admin.CreatePermissionSet(s.ctx, &sdk.CreatePermissionSetInput{InstanceArn: s.inst,
		Name: aws.String("TooLong"), Description: aws.String(strings.Repeat("é", 701))})
	refused(t, err, validation("Description"))
}
