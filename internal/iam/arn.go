package iam

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
