# boto3 against keyward's IAM: create roles, read their decoded documents,
# page ListRoles one role at a time, and see a missing role as NoSuchEntity.
# Prints what it saw as JSON for TestIAMRolesThroughBoto3.
import json, os, sys
import boto3, botocore.exceptions

iam = boto3.client("iam", region_name="us-east-1", endpoint_url=os.environ["KEYWARD_IAM_ENDPOINT"])
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
         "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
for name in ("c", "a", "b"):
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
iam.put_role_policy(RoleName="a", PolicyName="s3", PolicyDocument=json.dumps(allow))
role = iam.get_role(RoleName="a")["Role"]
inline = iam.get_role_policy(RoleName="a", PolicyName="s3")["PolicyDocument"]
listed = []
for page in iam.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 1}):
    listed += [r["RoleName"] for r in page["Roles"]]
try:
    iam.get_role(RoleName="missing")
    missing = ""
except botocore.exceptions.ClientError as e:
    missing = e.response["Error"]["Code"]
json.dump({"TrustPrincipal": role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
           "InlineAction": inline["Statement"][0]["Action"], "MissingCode": missing, "Listed": listed}, sys.stdout)
