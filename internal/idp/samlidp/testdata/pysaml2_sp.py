#!/usr/bin/python3
"""pysaml2 as an independent SAML service provider for keyward's IdP tests.

Usage: pysaml2_sp.py IDP_METADATA_FILE RESPONSE_B64_FILE SP_ENTITY_ID ACS_URL [IN_RESPONSE_TO]

Loads keyward's IdP metadata, then parses and validates a base64 SAML
Response as an SP does (signatures with xmlsec1 against the metadata's
certificates, audience, recipient, destination, times, InResponseTo when
given, unsolicited otherwise). Prints the NameID and attributes as JSON;
exits non-zero with the reason when pysaml2 refuses the response.
"""
import json
import sys

from saml2 import BINDING_HTTP_POST
from saml2.client import Saml2Client
from saml2.config import SPConfig


def main():
    metadata, response_file, entity_id, acs = sys.argv[1:5]
    in_response_to = sys.argv[5] if len(sys.argv) > 5 else None
    conf = SPConfig()
    conf.load({
        "entityid": entity_id,
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "metadata": {"local": [metadata]},
        "allow_unknown_attributes": True,
        "accepted_time_diff": 60,
        "service": {"sp": {
            "endpoints": {"assertion_consumer_service": [(acs, BINDING_HTTP_POST)]},
            "allow_unsolicited": in_response_to is None,
            "want_assertions_signed": True,
            "want_response_signed": False,
            "authn_requests_signed": False,
        }},
    })
    client = Saml2Client(config=conf)
    with open(response_file) as f:
        encoded = f.read().strip()
    outstanding = {in_response_to: "/"} if in_response_to else {}
    resp = client.parse_authn_request_response(encoded, BINDING_HTTP_POST, outstanding)
    if resp is None:
        sys.exit("pysaml2 returned no response")
    print(json.dumps({
        "issuer": resp.issuer(),
        "name_id": resp.name_id.text,
        "name_id_format": resp.name_id.format,
        "attributes": resp.ava,
        "session_index": resp.assertion.authn_statement[0].session_index,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
