package samlidp

// SAML 2.0 and XML-DSig names.
const (
	nsProtocol  = "urn:oasis:names:tc:SAML:2.0:protocol"
	nsAssertion = "urn:oasis:names:tc:SAML:2.0:assertion"
	nsMetadata  = "urn:oasis:names:tc:SAML:2.0:metadata"
	nsDSig      = "http://www.w3.org/2000/09/xmldsig#"

	bindingRedirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
	bindingPOST     = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"

	statusSuccess   = "urn:oasis:names:tc:SAML:2.0:status:Success"
	statusResponder = "urn:oasis:names:tc:SAML:2.0:status:Responder"
	statusNoPassive = "urn:oasis:names:tc:SAML:2.0:status:NoPassive"
	cmBearer        = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
	attrNameBasic   = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"
	acPasswordTLS   = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
	nameIDEntity    = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
	sigRSASHA256    = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	digestSHA256    = "http://www.w3.org/2001/04/xmlenc#sha256"
	excC14N         = "http://www.w3.org/2001/10/xml-exc-c14n#"
	envelopedXform  = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
)
