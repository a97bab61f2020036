package samlidp

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"unicode/utf8"

	"github.com/beevik/etree"
	xrv "github.com/mattermost/xml-roundtrip-validator"

	"github.com/keyward/keyward/internal/errs"
)

// Bounds on a SAML document read from outside.
const (
	maxXMLBytes    = 64 << 10 // the decoded (and inflated) document
	maxXMLDepth    = 32
	maxXMLElements = 1000
)

// errUnreadable is the refusal of a request that is not a readable SAML
// message; why goes to the message so a person or developer can fix it.
func errUnreadable(why string) error {
	return errs.E(errs.Invalid, "The app's sign-in request could not be used: %s.", why)
}

// readXML parses doc after checking, token by token, that it is plain
// UTF-8 XML of bounded size and shape with no DTD (so no entities, internal
// or external) and no processing instruction but the XML declaration, and
// that Go's encoding/xml reads it back as written (the round-trip check
// that guards against the XML-DSig bypasses of CVE-2020-15216 and
// CVE-2020-27846). Only then does etree build a tree.
func readXML(doc []byte) (*etree.Element, error) {
	if len(doc) > maxXMLBytes {
		return nil, errUnreadable("it is too large")
	}
	if !utf8.Valid(doc) {
		return nil, errUnreadable("it is not UTF-8 text")
	}
	if err := scanTokens(doc); err != nil {
		return nil, err
	}
	if err := xrv.Validate(bytes.NewReader(doc)); err != nil {
		return nil, errUnreadable("its XML does not read back as written")
	}
	d := etree.NewDocument()
	if err := d.ReadFromBytes(doc); err != nil {
		return nil, errUnreadable("it is not well-formed XML")
	}
	if roots := d.ChildElements(); len(roots) != 1 {
		return nil, errUnreadable("it must hold exactly one XML element")
	}
	return d.Root(), nil
}

// scanTokens refuses DTDs, foreign processing instructions, deep nesting
// and too many elements. encoding/xml refuses entity references it does not
// know (every entity but the five predefined ones) and encodings other
// than UTF-8 (no CharsetReader is set).
func scanTokens(doc []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	depth, elements := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return errUnreadable("it is not well-formed XML")
		}
		switch t := tok.(type) {
		case xml.Directive:
			return errUnreadable("it has a document type declaration (DTD), which SAML does not allow")
		case xml.ProcInst:
			if t.Target != "xml" {
				return errUnreadable("it has a processing instruction")
			}
		case xml.StartElement:
			depth, elements = depth+1, elements+1
			if depth > maxXMLDepth || elements > maxXMLElements {
				return errUnreadable("it is nested too deeply or has too many elements")
			}
		case xml.EndElement:
			depth--
		}
	}
}
