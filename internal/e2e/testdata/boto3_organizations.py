"""Shapes keyward's organization with boto3 and prints what it saw as JSON.

The operator's profile comes from AWS_SHARED_CREDENTIALS_FILE and
AWS_PROFILE; the endpoint from KEYWARD_URL, set on the client as boto3
users point it at a local service.
"""
import json
import os

import boto3
from botocore.exceptions import ClientError

SCP = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": "iam:DeleteRole", "Resource": "*"}]})

org = boto3.client("organizations", endpoint_url=os.environ["KEYWARD_URL"])
root = org.list_roots()["Roots"][0]["Id"]
ou = org.create_organizational_unit(ParentId=root, Name="Workloads",
                                    Tags=[{"Key": "env", "Value": "prod"}])["OrganizationalUnit"]["Id"]
enabled = org.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")["Root"]["PolicyTypes"]
policy = org.create_policy(Name="NoRoleDeletion", Description="Keeps roles", Type="SERVICE_CONTROL_POLICY",
                           Content=SCP)["Policy"]["PolicySummary"]["Id"]
org.attach_policy(PolicyId=policy, TargetId=ou)
pages = org.get_paginator("list_policies_for_target").paginate(TargetId=ou, Filter="SERVICE_CONTROL_POLICY",
                                                              PaginationConfig={"PageSize": 1})
names = sorted(p["Name"] for page in pages for p in page["Policies"])
tags = org.list_tags_for_resource(ResourceId=ou)["Tags"]


def error_of(call):
    try:
        call()
    except ClientError as e:
        err = e.response["Error"]
        return (err["Code"] + " " + e.response.get("Reason", "")).strip()
    return "no error"


print(json.dumps({
    "policy_types": [t["Type"] for t in enabled if t["Status"] == "ENABLED"],
    "policies": names,
    "tags": [t["Key"] + "=" + t["Value"] for t in tags],
    "duplicate": error_of(lambda: org.create_organizational_unit(ParentId=root, Name="Workloads")),
    "immutable": error_of(lambda: org.delete_policy(PolicyId="p-FullAWSAccess")),
}))
