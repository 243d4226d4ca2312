//go:build !unix

package main

import "time"

// processCPU is not measured here: getrusage(2) is Unix's.
func processCPU() (time.Duration, int64) { return 0, 0 }
