package totp

import (
	"fmt"
	"strings"

	"rsc.io/qr"

	"github.com/keyward/keyward/internal/errs"
)

// MaxQRText bounds QRSVG's input; an enrolment URI is far shorter.
const MaxQRText = 1024

// quiet is the blank border, in modules, that the QR specification requires.
const quiet = 4

// QRSVG renders text as a QR code (error correction level M) in a
// self-contained SVG document: one white <rect> and one black <path>, no
// scripts, text or external references, so a page can inline it with no
// network fetch. The viewBox is in modules; width and height default to 4 px a
// module and CSS may override them. Text longer than MaxQRText bytes is
// errs.Invalid.
func QRSVG(text string) (string, error) {
	if len(text) > MaxQRText {
		return "", errs.E(errs.Invalid, "totp: QR text is longer than %d bytes", MaxQRText)
	}
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", fmt.Errorf("totp: encode QR: %w", err)
	}
	n := c.Size + 2*quiet
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges" role="img" aria-label="QR code">`, n, n, 4*n, 4*n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	writeRuns(&b, c)
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}

// writeRuns writes one path segment per horizontal run of black modules.
func writeRuns(b *strings.Builder, c *qr.Code) {
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; {
			if !c.Black(x, y) {
				x++
				continue
			}
			start := x
			for x < c.Size && c.Black(x, y) {
				x++
			}
			fmt.Fprintf(b, "M%d %dh%dv1h-%dz", start+quiet, y+quiet, x-start, x-start)
		}
	}
}
