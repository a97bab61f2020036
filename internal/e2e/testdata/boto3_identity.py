"""A plain boto3 program: who am I with profile "dev" (or $BOTO3_PROFILE)?

Run by boto3_test.go after `aws sso login --profile dev`, with HOME pointing
at the AWS CLI's home, so boto3 reads the SSO token cache the CLI wrote.
Prints {"Arn": ..., "Account": ...} as JSON on standard output.
"""

import json
import os
import sys

import boto3

identity = boto3.Session(profile_name=os.environ.get("BOTO3_PROFILE", "dev")).client("sts").get_caller_identity()
json.dump({"Arn": identity["Arn"], "Account": identity["Account"]}, sys.stdout)
