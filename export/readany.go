package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"hookscope/store"
)

// Import formats ReadCaptures tells apart.
const (
	FormatHAR   = "HAR"
	FormatJSONL = "JSON Lines"
)

// utf8BOM starts files some editors save.
var utf8BOM = []byte("\xef\xbb\xbf")

// ReadCaptures reads a HAR file or a JSON Lines export, telling them apart
// by content, not by name: a HAR file is one JSON object with a "log"
// member, a JSON Lines export one capture object per line (see WriteJSONL),
// the first with a "method". It returns the captures, ready for Import, and
// the format it read.
func ReadCaptures(r io.Reader) ([]*store.Capture, string, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, "", fmt.Errorf("read: %w", err)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	format, err := sniffFormat(data)
	if err != nil {
		return nil, "", err
	}
	var caps []*store.Capture
	if format == FormatHAR {
		caps, err = ReadHAR(bytes.NewReader(data))
	} else {
		caps, err = ReadJSONL(bytes.NewReader(data))
	}
	return caps, format, err
}

// sniffFormat decodes the first JSON value of data, an object in both
// formats, and looks at its members.
func sniffFormat(data []byte) (string, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return "", errors.New("the file is empty: want a HAR file or a Hookscope JSON Lines export")
	}
	var first map[string]json.RawMessage
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&first); err != nil {
		return "", fmt.Errorf("not a HAR file or a JSON Lines export: its first JSON value: %w", err)
	}
	switch {
	case first["log"] != nil:
		return FormatHAR, nil
	case first["method"] != nil:
		return FormatJSONL, nil
	}
	return "", errors.New(`not a HAR file (no "log" object) or a JSON Lines export (no "method" in its first line)`)
}
