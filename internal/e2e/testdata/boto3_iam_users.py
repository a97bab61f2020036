"""A plain boto3 program managing IAM users with the operator's profile.

Run by admin_iam_users_test.go with the AWS CLI's HOME and credentials.
Prints what it saw as JSON on standard output.
"""

import json
import sys

import boto3

from botocore.exceptions import ClientError

PROFILE = sys.argv[1] if len(sys.argv) > 1 else "keyward-admin"
iam = boto3.Session(profile_name=PROFILE, region_name="us-east-1").client("iam")

iam.create_user(UserName="dora", Path="/ops/")
doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}
iam.put_user_policy(UserName="dora", PolicyName="list", PolicyDocument=json.dumps(doc))
policy = iam.get_user_policy(UserName="dora", PolicyName="list")["PolicyDocument"]
key = iam.create_access_key(UserName="dora")["AccessKey"]
mfa = iam.create_virtual_mfa_device(VirtualMFADeviceName="dora-phone")["VirtualMFADevice"]
try:
    iam.delete_user(UserName="dora")
    conflict = ""
except ClientError as e:
    conflict = e.response["Error"]["Code"]
users = [u["UserName"] for u in iam.list_users(PathPrefix="/ops/")["Users"]]
json.dump({
    "policy": policy,
    "key_status": key["Status"],
    "secret_length": len(key["SecretAccessKey"]),
    "seed_length": len(mfa["Base32StringSeed"]),
    "png_magic": mfa["QRCodePNG"][:4].hex(),
    "conflict": conflict,
    "users": users,
}, sys.stdout)
