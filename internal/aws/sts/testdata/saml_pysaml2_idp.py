"""An independent SAML identity provider for AssumeRoleWithSAML's tests:
pysaml2 (signing through the xmlsec1 binary) loads AWS's service-provider
metadata (urn:amazon:webservices, ACS https://signin.aws.amazon.com/saml)
and prints a signed Response for one person with AWS's Role and
RoleSessionName attributes, base64-encoded, as an identity provider posts
it to AWS's sign-in.

usage: saml_pysaml2_idp.py SP_METADATA KEY_PEM CERT_PEM IDP_ENTITY_ID NAME_ID SESSION_NAME ROLE_PAIR...
"""

import base64
import sys

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256


def main(sp_metadata, key, cert, entity_id, name_id, session_name, *roles):
    conf = IdPConfig()
    conf.load({
        "entityid": entity_id,
        "key_file": key,
        "cert_file": cert,
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "metadata": {"local": [sp_metadata]},
        "service": {"idp": {
            "endpoints": {"single_sign_on_service": [(entity_id + "/sso/redirect", BINDING_HTTP_REDIRECT)]},
            "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None}},
            "name_id_format": [NAMEID_FORMAT_PERSISTENT],
        }},
    })
    idp = Server(config=conf)
    sp_entity_id = next(iter(idp.metadata.keys()))
    acs = idp.metadata.assertion_consumer_service(sp_entity_id, BINDING_HTTP_POST)[0]["location"]
    resp = idp.create_authn_response(
        identity={
            "https://aws.amazon.com/SAML/Attributes/Role": list(roles),
            "https://aws.amazon.com/SAML/Attributes/RoleSessionName": [session_name],
        },
        in_response_to=None,
        destination=acs,
        sp_entity_id=sp_entity_id,
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=name_id),
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
        sign_assertion=True,
        sign_response=False,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    sys.stdout.write(base64.b64encode(str(resp).encode("utf-8")).decode("ascii"))


if __name__ == "__main__":
    main(*sys.argv[1:])
