"""A plain boto3 program: trade an OIDC ID token for a role session.

Run by the_iam_story_ci_test.go with HOME (and the working directory)
pointing at the AWS CLI's home, where the test wrote webidentity.json
holding RoleArn and WebIdentityToken. boto3 sends AssumeRoleWithWebIdentity
unsigned. Prints the session's {"Arn", "Subject", "Audience", "CallerArn"}
as JSON.
"""

import json
import sys

import boto3

with open("webidentity.json") as f:
    req = json.load(f)
sts = boto3.client("sts", region_name="us-east-1")
out = sts.assume_role_with_web_identity(
    RoleArn=req["RoleArn"],
    RoleSessionName="boto3-run",
    WebIdentityToken=req["WebIdentityToken"],
    DurationSeconds=900,
)
creds = out["Credentials"]
me = boto3.client(
    "sts",
    region_name="us-east-1",
    aws_access_key_id=creds["AccessKeyId"],
    aws_secret_access_key=creds["SecretAccessKey"],
    aws_session_token=creds["SessionToken"],
).get_caller_identity()
json.dump(
    {
        "Arn": out["AssumedRoleUser"]["Arn"],
        "Subject": out["SubjectFromWebIdentityToken"],
        "Audience": out["Audience"],
        "CallerArn": me["Arn"],
    },
    sys.stdout,
)
