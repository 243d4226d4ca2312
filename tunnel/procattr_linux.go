package tunnel

import "syscall"

// childAttr keeps a child process from outliving Hookscope: Pdeathsig kills
// it when its parent goes, even by SIGKILL, and its own process group keeps a
// terminal's Ctrl-C for Hookscope, which stops it in order. Pdeathsig fires
// when the thread that started the child exits, not the process (prctl(2),
// PR_SET_PDEATHSIG: https://man7.org/linux/man-pages/man2/prctl.2.html), and
// Go may end an idle thread: the child is started from a goroutine locked to
// its thread until the child has exited (see startChild).
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
