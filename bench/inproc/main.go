// Command inproc runs Hookscope's receiver and store in one process with
// net/http/pprof on a second port, for profiling under wrk: the hookscope
// binary has no pprof endpoint, and the profile must come from the same
// code path (receiver.New over store.Open) the binary wires.
//
//	go run ./bench/inproc -addr 127.0.0.1:9100 -pprof 127.0.0.1:9101
//	wrk -t2 -c64 -d20s -s post.lua http://127.0.0.1:9100/bench/orders &
//	go tool pprof -top http://127.0.0.1:9101/debug/pprof/profile?seconds=10
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	_ "net/http/pprof" // the point of this command
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"hookscope/receiver"
	"hookscope/store"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9100", "receiver address")
	pprofAddr := flag.String("pprof", "127.0.0.1:9101", "pprof address")
	db := flag.String("db", "", "database file (default: a fresh one in a temp dir)")
	maxCount := flag.Int("max-count", 0, "store MaxCount (0: the default retention headless runs with; -1: none)")
	print := flag.Bool("print", true, "print one line per capture to stdout, as headless mode does")
	mutex := flag.Bool("mutex", false, "also sample mutex and block profiles")
	flag.Parse()
	if *mutex {
		runtime.SetMutexProfileFraction(5)
		runtime.SetBlockProfileRate(int(time.Microsecond))
	}
	if *db == "" {
		dir, err := os.MkdirTemp("", "hookscope-inproc-")
		if err != nil {
			fatal(err)
		}
		defer os.RemoveAll(dir)
		*db = filepath.Join(dir, "hookscope.db")
	}
	st, err := store.Open(*db, store.Options{MaxCount: *maxCount})
	if err != nil {
		fatal(err)
	}
	defer st.Close()
	srv := receiver.New(st, receiver.Options{})
	if err := srv.Start(*addr); err != nil {
		fatal(err)
	}
	go func() { fatal(http.ListenAndServe(*pprofAddr, nil)) }()
	fmt.Printf("listening on %s\npprof on http://%s/debug/pprof/\n", srv.URL(), *pprofAddr)

	// The same consumer headless mode runs, so its cost shows in profiles.
	sub := st.Subscribe()
	defer sub.Close()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	for {
		select {
		case <-stop:
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			srv.Stop(ctx)
			return
		case e := <-sub.Events():
			if *print && e.Type == store.Added {
				s := e.Summary
				fmt.Printf("%s %-7s %s %d\n", s.ReceivedAt.Format("15:04:05.000"), s.Method, s.URI(), s.Size)
			}
		}
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "inproc:", err)
	os.Exit(1)
}
