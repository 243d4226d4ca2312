// Package assets holds files built into the binary.
package assets

import _ "embed"

// Icon is the application icon (256×256 PNG), also named in FyneApp.toml.
//
//go:embed icon.png
var Icon []byte
