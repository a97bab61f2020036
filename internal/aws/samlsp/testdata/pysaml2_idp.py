"""A second, independent SAML identity provider for keyward's tests (samlsp's
ACS, STS's AssumeRoleWithSAML): pysaml2 (signing through the xmlsec1 binary)
loads a service provider's metadata and prints a signed Response for one
user, base64-encoded, as an identity provider would post it to the ACS.

usage: pysaml2_idp.py SP_METADATA KEY_PEM CERT_PEM IDP_ENTITY_ID NAME_ID [IN_RESPONSE_TO|-] [NAME=VALUE...]

Each NAME=VALUE adds a value to attribute NAME (the default is one access
control attribute); nameid-format=persistent sends a persistent NameID
instead of an email address.
"""

import base64
import sys

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256


def main(sp_metadata, key, cert, entity_id, name_id, in_response_to=None, *extra):
    if in_response_to == "-":
        in_response_to = None
    name_format = NAMEID_FORMAT_EMAILADDRESS
    identity = {}
    for arg in extra:
        name, value = arg.split("=", 1)
        if name == "nameid-format":
            name_format = NAMEID_FORMAT_PERSISTENT if value == "persistent" else NAMEID_FORMAT_EMAILADDRESS
        else:
            identity.setdefault(name, []).append(value)
    if not identity:
        identity = {"https://aws.amazon.com/SAML/Attributes/AccessControl:Department": ["Engineering"]}
    conf = IdPConfig()
    conf.load({
        "entityid": entity_id,
        "key_file": key,
        "cert_file": cert,
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "metadata": {"local": [sp_metadata]},
        "service": {"idp": {
            "endpoints": {"single_sign_on_service": [
                (entity_id + "/sso/redirect", BINDING_HTTP_REDIRECT),
                (entity_id + "/sso/post", BINDING_HTTP_POST),
            ]},
            "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None}},
            "name_id_format": [name_format],
        }},
    })
    idp = Server(config=conf)
    sp_entity_id = next(iter(idp.metadata.keys()))
    acs = idp.metadata.assertion_consumer_service(sp_entity_id, BINDING_HTTP_POST)[0]["location"]
    resp = idp.create_authn_response(
        identity=identity,
        in_response_to=in_response_to,
        destination=acs,
        sp_entity_id=sp_entity_id,
        name_id=NameID(format=name_format, text=name_id),
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
        sign_assertion=True,
        sign_response=False,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    sys.stdout.write(base64.b64encode(str(resp).encode("utf-8")).decode("ascii"))


if __name__ == "__main__":
    main(*sys.argv[1:])
