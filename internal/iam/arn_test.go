package iam

import "testing"

func TestParseRoleARNReadsOnlyRoleARNs(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:iam::111122223333:role/Deploy":         "111122223333 Deploy",
		"arn:aws:iam::111122223333:role/ci/jobs/Deploy": "111122223333 Deploy",
		"arn:aws:iam::111122223333:user/Deploy":         "",
		"arn:aws:iam::1111:role/Deploy":                 "",
		"arn:aws-cn:iam::111122223333:role/Deploy":      "",
		"arn:aws:sts::111122223333:role/Deploy":         "",
		"arn:aws:iam::111122223333:role/":               "",
		"role/Deploy":                                   "",
	} {
		account, name, ok := ParseRoleARN(arn)
		got := ""
		if ok {
			got = account + " " + name
		}
		if got != want {
			t.Errorf("ParseRoleARN(%q) = %q, want %q", arn, got, want)
		}
	}
}
