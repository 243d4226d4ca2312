//go:build !unix

package main

import "time"

// processCPU is not measured here: getrusage(2) is Unix's.
func processCPU() time.Duration { return 0 }
