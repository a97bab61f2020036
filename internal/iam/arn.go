package iam

import "strings"

// Partition is the one AWS partition keyward serves: every ARN it issues
// starts "arn:aws:".
const Partition = "aws"

// RootARN is the ARN of an account's root user.
func RootARN(accountID string) string {
	return "arn:" + Partition + ":iam::" + accountID + ":root"
}

// RoleARN is the ARN of a role: arn:aws:iam::ACCOUNT:role/PATH/NAME. An
// empty path is IAM's default, "/".
func RoleARN(accountID, path, name string) string {
	if path == "" {
		path = "/"
	}
	return "arn:" + Partition + ":iam::" + accountID + ":role" + path + name
}

// AssumedRoleARN is the ARN of a role session. Like AWS's, it leaves the
// role's path out: arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION.
func AssumedRoleARN(accountID, roleName, sessionName string) string {
	return "arn:" + Partition + ":sts::" + accountID + ":assumed-role/" + roleName + "/" + sessionName
}

// AssumedRoleUserID is the unique id STS reports for a role session:
// the role id, a colon and the session name.
func AssumedRoleUserID(roleID, sessionName string) string {
	return roleID + ":" + sessionName
}

// ParseRoleARN reads arn:aws:iam::ACCOUNT:role/PATH/NAME into the account
// and the role's name; ok is false for anything else.
func ParseRoleARN(arn string) (account, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] != Partition || parts[2] != "iam" || parts[3] != "" ||
		len(parts[4]) != 12 || !strings.HasPrefix(parts[5], "role/") {
		return "", "", false
	}
	res := parts[5]
	name = res[strings.LastIndex(res, "/")+1:]
	return parts[4], name, name != ""
}
