package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"hookscope/store"
)

// absentWord is in no capture: a search for it reads every capture and
// finds nothing, the worst case of a first page.
const absentWord = "zebra-unicorn"

// searchOnly times the searches of an existing store, runs times each: the
// API's first page (List) and the window's every hit's ID (IDs), for a word
// in no capture and for rareWord. Wall time moves with whatever else the
// machine runs; the process's CPU time (user + system) does much less.
func searchOnly(path string, runs int, profile string) error {
	st, err := store.Open(path, store.Options{MaxCount: -1})
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Count()
	if err != nil {
		return err
	}
	waitIdle()
	if profile != "" {
		stop, err := startProfile(profile)
		if err != nil {
			return err
		}
		defer stop()
	}
	fmt.Printf("%d captures in %s, load average %s\n", n, path, loadAverage())
	fmt.Println("| search | hits | wall | CPU (user+sys) | page faults |")
	fmt.Println("|---|---:|---:|---:|---:|")
	for _, word := range []string{absentWord, rareWord} {
		for range runs {
			if err := timeSearch(fmt.Sprintf("%q, first page (List)", word), func() (int, error) {
				page, _, err := st.List(store.Filter{Text: word}, 0, 50)
				return len(page), err
			}); err != nil {
				return err
			}
		}
		for range runs {
			if err := timeSearch(fmt.Sprintf("%q, every hit's ID (IDs)", word), func() (int, error) {
				ids, err := st.IDs(store.Filter{Text: word})
				return len(ids), err
			}); err != nil {
				return err
			}
		}
	}
	fmt.Printf("load average after: %s\n", loadAverage())
	return nil
}

// waitIdle waits, up to a minute, for the store's background check of a
// large file to end: it reads every page, beside the searches, and then
// drops the file's pages from the process. The process is idle when it used
// under 5% of a core over half a second.
func waitIdle() {
	const step = 500 * time.Millisecond
	for end := time.Now().Add(time.Minute); time.Now().Before(end); {
		cpu, _ := processCPU()
		time.Sleep(step)
		if now, _ := processCPU(); now-cpu < step/20 {
			return
		}
	}
}

// timeSearch runs search once and prints its row.
func timeSearch(label string, search func() (int, error)) error {
	cpu, faults := processCPU()
	t := time.Now()
	hits, err := search()
	wall := time.Since(t)
	cpuAfter, faultsAfter := processCPU()
	if err != nil {
		return fmt.Errorf("search %s: %w", label, err)
	}
	fmt.Printf("| %s | %d | %s | %s | %d |\n", label, hits, dur(wall), dur(cpuAfter-cpu), faultsAfter-faults)
	return nil
}

func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// loadAverage is the first three fields of /proc/loadavg, or "?".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}
