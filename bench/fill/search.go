package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
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
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(abs); err == nil {
		waitChecked(abs, fi.Size())
	}
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

// waitChecked waits, up to two minutes, for the store's background check of
// a large file to end: it reads every page beside the searches, and drops
// the file's pages from the process when it ends. So the file's resident
// pages first rise past half the file, then fall under a tenth of it.
func waitChecked(path string, size int64) {
	const kb = 1 << 10
	rose := false
	for end := time.Now().Add(2 * time.Minute); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		rss := residentKB(path) * kb
		if rss > size/2 {
			rose = true
		} else if rose && rss < size/10 {
			return
		}
	}
	fmt.Println("(the store's background check did not end within two minutes)")
}

// residentKB sums the Rss of this process's mappings of path, from
// /proc/self/smaps (proc(5)); 0 where that cannot be read.
func residentKB(path string) int64 {
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0
	}
	var kb int64
	in := false
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case !strings.HasSuffix(f[0], ":"): // a mapping's first line
			in = len(f) >= 6 && f[5] == path
		case in && f[0] == "Rss:" && len(f) >= 2:
			n, _ := strconv.ParseInt(f[1], 10, 64)
			kb += n
		}
	}
	return kb
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
