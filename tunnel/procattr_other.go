//go:build !linux

package tunnel

import "syscall"

// childAttr: only Linux has a parent-death signal; elsewhere the child is
// stopped by Run when Hookscope stops.
func childAttr() *syscall.SysProcAttr { return nil }
