"""Sign one request with botocore's SigV4Auth at a fixed time.

Reads a JSON object on stdin:
  {"method", "url", "body", "headers": {name: value}, "access_key",
   "secret_key", "token", "region", "service", "timestamp": "YYYYMMDDTHHMMSSZ"}
and prints {"headers": {name: value}} with the headers botocore would send
(Authorization, X-Amz-Date, X-Amz-Security-Token and the caller's own).
"""
import datetime
import json
import sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def pin_clock(when):
    # botocore >= 1.31 reads the time through get_current_datetime; older
    # releases (the AWS CLI v2 vendored copy) call datetime.datetime.utcnow.
    if hasattr(botocore.auth, "get_current_datetime"):
        botocore.auth.get_current_datetime = lambda *a, **k: when
        return

    class FixedDateTime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return when

    class Shim:
        datetime = FixedDateTime

    botocore.auth.datetime = Shim


def main():
    spec = json.load(sys.stdin)
    when = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ")
    pin_clock(when)
    request = AWSRequest(
        method=spec["method"],
        url=spec["url"],
        data=spec["body"].encode("utf-8"),
        headers=spec.get("headers") or {},
    )
    creds = Credentials(spec["access_key"], spec["secret_key"], spec.get("token") or None)
    botocore.auth.SigV4Auth(creds, spec["service"], spec["region"]).add_auth(request)
    json.dump({"headers": dict(request.headers.items())}, sys.stdout)


if __name__ == "__main__":
    main()
