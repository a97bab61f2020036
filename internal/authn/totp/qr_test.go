package totp

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"

	"rsc.io/qr"

	"github.com/keyward/keyward/internal/errs"
)

type svgDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2000/svg svg"`
	ViewBox string   `xml:"viewBox,attr"`
	Path    struct {
		D string `xml:"d,attr"`
	} `xml:"path"`
}

func parseSVG(t *testing.T, s string) svgDoc {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
	var doc svgDoc
	if err := xml.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestQRSVG(t *testing.T) {
	const uri = "otpauth://totp/Keyward:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Keyward&algorithm=SHA1&digits=6&period=30"
	t.Run("the output is a well-formed SVG with a viewBox", func(t *testing.T) {
		s, err := QRSVG(uri)
		if err != nil {
			t.Fatal(err)
		}
		doc := parseSVG(t, s)
		var n int
		if _, err := fmt.Sscanf(doc.ViewBox, "0 0 %d %d", &n, &n); err != nil || n < 21+2*quiet {
			t.Errorf("viewBox = %q", doc.ViewBox)
		}
	})
	t.Run("the path draws exactly the black modules of the code", func(t *testing.T) {
		s, _ := QRSVG(uri)
		c, err := qr.Encode(uri, qr.M)
		if err != nil {
			t.Fatal(err)
		}
		drawn := map[[2]int]bool{}
		for seg := range strings.SplitSeq(strings.TrimSuffix(parseSVG(t, s).Path.D, "z"), "z") {
			var x, y, w, w2 int
			if _, err := fmt.Sscanf(seg, "M%d %dh%dv1h-%d", &x, &y, &w, &w2); err != nil || w != w2 {
				t.Fatalf("segment %q: %v", seg, err)
			}
			for i := range w {
				drawn[[2]int{x + i - quiet, y - quiet}] = true
			}
		}
		for y := -quiet; y < c.Size+quiet; y++ {
			for x := -quiet; x < c.Size+quiet; x++ {
				if drawn[[2]int{x, y}] != c.Black(x, y) {
					t.Fatalf("module (%d,%d): drawn %v, black %v", x, y, drawn[[2]int{x, y}], c.Black(x, y))
				}
			}
		}
	})
	t.Run("different texts give different pictures", func(t *testing.T) {
		a, _ := QRSVG(uri)
		b, _ := QRSVG(uri + "x")
		if a == b {
			t.Error("same SVG for different texts")
		}
	})
	t.Run("text longer than the bound is invalid", func(t *testing.T) {
		if _, err := QRSVG(strings.Repeat("a", MaxQRText)); err != nil {
			t.Errorf("text at the bound: %v", err)
		}
		if _, err := QRSVG(strings.Repeat("a", MaxQRText+1)); !errs.Is(err, errs.Invalid) {
			t.Errorf("err = %v, want Invalid", err)
		}
	})
}
