//go:build !race

package main

// raceBuild is false when this test binary runs without the race detector
// (see race_on_test.go).
const raceBuild = false
