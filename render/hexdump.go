package render

import (
	"image/color"
)

// hexStyles are the styles of the three hex dump columns.
type hexStyles struct {
	offset, hex, ascii Style
}

// neutralHex works on light and dark backgrounds alike, for callers of
// HexDump that do not know the theme.
var neutralHex = hexStyles{
	offset: Style{Color: color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}, HasColor: true},
	ascii:  Style{Color: color.NRGBA{R: 0x3b, G: 0x82, B: 0xf6, A: 0xff}, HasColor: true},
}

// HexDump formats up to max bytes of b (all of b when max <= 0) like
// hexdump -C: an offset, 16 bytes in hex with a gap after eight, and the
// printable ASCII between bars. Offset and ASCII columns are separate
// segments with their own colours.
func HexDump(b []byte, max int) []Line {
	return hexDump(b, max, neutralHex)
}

func hexDump(b []byte, max int, st hexStyles) []Line {
	if max > 0 && len(b) > max {
		b = b[:max]
	}
	const digits = "0123456789abcdef"
	lines := make([]Line, 0, (len(b)+15)/16)
	var buf [16*3 + 2]byte
	for off := 0; off < len(b); off += 16 {
		row := b[off:min(off+16, len(b))]
		h := buf[:0]
		for i := range 16 {
			if i == 8 {
				h = append(h, ' ')
			}
			if i < len(row) {
				h = append(h, digits[row[i]>>4], digits[row[i]&0xf], ' ')
			} else {
				h = append(h, ' ', ' ', ' ')
			}
		}
		h = append(h, ' ')
		ascii := make([]byte, 0, 18)
		ascii = append(ascii, '|')
		for _, c := range row {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			ascii = append(ascii, c)
		}
		ascii = append(ascii, '|')
		o := uint32(off)
		offset := []byte{
			digits[o>>28&0xf], digits[o>>24&0xf], digits[o>>20&0xf], digits[o>>16&0xf],
			digits[o>>12&0xf], digits[o>>8&0xf], digits[o>>4&0xf], digits[o&0xf], ' ', ' ',
		}
		lines = append(lines, Line{
			{Text: string(offset), Style: st.offset},
			{Text: string(h), Style: st.hex},
			{Text: string(ascii), Style: st.ascii},
		})
	}
	return lines
}
