//go:build race

package main

// raceBuild is true when this test binary runs under the race detector: the
// end-to-end tests then run a race-built binary too, from the same compile of
// Fyne and go-gl as the test binary (scripts/test.sh compiles it once).
const raceBuild = true
