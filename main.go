// Command hookscope is a local webhook inspector: it captures every request
// sent to it, stores it durably, and shows it in a window (or, headless,
// prints one line per capture).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"hookscope/assets"
	"hookscope/export"
	"hookscope/offline"
	// Imported for its init, which Go runs before Fyne's: see the package.
	_ "hookscope/clocale"
	"hookscope/projects"
	"hookscope/receiver"
	"hookscope/store"
	"hookscope/tunnel"
	"hookscope/ui"
)

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "export" || os.Args[1] == "import") {
		os.Exit(runSubcommand(os.Args[1], os.Args[2:]))
	}
	addr := flag.String("addr", "127.0.0.1:8787", "address the receiver listens on")
	dbPath := flag.String("db", defaultDBPath(), "bbolt database file")
	maxBody := flag.Int64("max-body", receiver.DefaultMaxBody, "largest body stored whole, in bytes; larger ones are answered 413 and stored truncated")
	headless := flag.Bool("headless", false, "run without a window and print one line per capture")
	tunnelFlag := flag.String("tunnel", "", "headless: give the receiver a public URL: cloudflared (a quick tunnel; the binary must be installed), ngrok (authtoken from NGROK_AUTHTOKEN, optional domain from NGROK_DOMAIN) or your own public URL, whose tunnel delivers to --tunnel-addr")
	cloudflaredPath := flag.String("cloudflared", "", "headless: the cloudflared binary --tunnel cloudflared runs (default: cloudflared on PATH)")
	tunnelAddr := flag.String("tunnel-addr", tunnel.DefaultCustomAddr, "headless: where your own public URL's tunnel delivers; it serves captures only, never the API")
	prune := flag.Bool("prune", false, "delete at start the oldest captures beyond the retention count when the --db file holds more; without it they are kept (headless prints a line, the window asks)")
	recoverDB := flag.Bool("recover", false, "copy every readable capture of the --db file into a new file next to it, then exit; the file itself is not changed")
	flag.Parse()

	if *recoverDB {
		if err := runRecover(*dbPath); err != nil {
			fmt.Fprintln(os.Stderr, "hookscope:", err)
			os.Exit(1)
		}
		return
	}

	if *maxBody <= 0 {
		fmt.Fprintf(os.Stderr, "hookscope: --max-body must be a number of bytes above 0, not %d\n", *maxBody)
		os.Exit(2)
	}
	tunnelCfg, err := tunnelConfig(*tunnelFlag, *cloudflaredPath, *tunnelAddr, *headless)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hookscope:", err)
		os.Exit(2)
	}
	opts := receiver.Options{MaxBody: *maxBody}
	if *headless {
		if err := runHeadless(*addr, *dbPath, tunnelCfg, opts, *prune); err != nil {
			fmt.Fprintln(os.Stderr, "hookscope:", err)
			os.Exit(1)
		}
		return
	}
	lowerWindowGC()
	// One preferences file per database: see ui.AppID.
	a := app.NewWithID(ui.AppID(*dbPath, defaultDBPath()))
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	created := isNew(*dbPath)
	stOpts := ui.StoreOptions(a)
	stOpts.KeepSurplus = !*prune
	st, err := store.Open(*dbPath, stOpts)
	if err != nil {
		ui.ShowFatal(a, err)
		os.Exit(1)
	}
	defer closeStore(st, created)
	opts.Projects = projects.New(st)
	srv := receiver.New(st, opts)
	tun := tunnel.NewManager(srv.CaptureHandler, tunnel.Options{})
	defer tun.Close()
	srv.SetTunnel(tun)
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	ui.New(a, st, srv, ui.Config{Addr: *addr, AddrSet: set["addr"], MaxBody: *maxBody, MaxBodySet: set["max-body"], Tunnel: tun}).ShowAndRun()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tun.Close() // first: captures in flight through the tunnel still reach the store
	srv.Stop(ctx)
}

func runHeadless(addr, dbPath string, tunnelCfg tunnel.Config, opts receiver.Options, prune bool) error {
	tuneGC()
	created := isNew(dbPath)
	st, err := store.Open(dbPath, store.Options{KeepSurplus: !prune})
	if err != nil {
		return err
	}
	defer closeStore(st, created)
	sub := st.Subscribe(store.Added)
	defer sub.Close()
	opts.Projects = projects.New(st)
	srv := receiver.New(st, opts)
	if err := srv.Start(addr); err != nil {
		return err
	}
	fmt.Printf("listening on http://%s\n", srv.Addr())
	if held, keep := st.Surplus(); held > 0 {
		fmt.Printf("%s holds %d captures; retention keeps %d: all kept, run with --prune to delete the %d oldest\n", dbPath, held, keep, held-keep)
	}
	tun, tunnelStates := startTunnel(srv, tunnelCfg)
	defer tun.Close()
	var tunnelLines tunnel.Lines

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	// Lines are flushed when no more events are waiting: one write per burst
	// rather than one per capture under load.
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for {
		select {
		case <-stop:
			tun.Close() // first: captures in flight through the tunnel still reach the store
			drainLines(out, &tunnelLines, tunnelStates)
			out.Flush()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return srv.Stop(ctx)
		case st := <-tunnelStates:
			if line := tunnelLines.Next(st); line != "" {
				fmt.Fprintln(out, line)
				out.Flush()
			}
		case e := <-sub.Events():
			if e.Type == store.Added {
				s := e.Summary
				cut := ""
				if s.Truncated {
					cut = " (cut at --max-body, answered 413)"
				}
				if s.Via != "" {
					cut += " via " + s.Via
				}
				fmt.Fprintf(out, "%s %-7s %s %d%s\n", s.ReceivedAt.Format("15:04:05.000"),
					export.TerminalSafe(s.Method), export.TerminalSafe(s.URI()), s.Size, cut)
			}
			if len(sub.Events()) == 0 {
				out.Flush()
			}
		}
	}
}

// tunnelConfig reads --tunnel, --cloudflared and --tunnel-addr; a config
// that would be refused is an error here, before anything starts.
func tunnelConfig(value, cloudflaredPath, addr string, headless bool) (tunnel.Config, error) {
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !headless && (set["tunnel"] || set["cloudflared"] || set["tunnel-addr"]) {
		return tunnel.Config{}, errors.New("--tunnel, --cloudflared and --tunnel-addr work with --headless; the window has its own Public URL control")
	}
	cfg := tunnel.Config{CloudflaredPath: cloudflaredPath, CustomAddr: addr}
	if set["tunnel"] {
		parsed, err := tunnel.ParseFlag(value, os.Getenv)
		if err != nil {
			return tunnel.Config{}, err
		}
		parsed.CloudflaredPath, parsed.CustomAddr = cloudflaredPath, addr
		cfg = parsed
	}
	if err := tunnel.Validate(tunnel.Config{Provider: tunnel.Custom, CustomURL: "https://example.com", CustomAddr: addr}); err != nil {
		return tunnel.Config{}, fmt.Errorf("--tunnel-addr: %s", err)
	}
	return cfg, nil
}

// startTunnel runs the public URL manager (the API can switch it) and starts
// the tunnel --tunnel names. A tunnel that cannot start is a line, not an
// exit: the local receiver keeps working.
func startTunnel(srv *receiver.Server, cfg tunnel.Config) (*tunnel.Manager, <-chan tunnel.State) {
	tun := tunnel.NewManager(srv.CaptureHandler, tunnel.Options{})
	srv.SetTunnel(tun)
	states := make(chan tunnel.State, 64)
	tun.Subscribe(func(s tunnel.State) {
		select {
		case states <- s:
		default: // the main loop is far behind: a state line is dropped, never a capture
		}
	})
	// Validated with the flags already. Off starts nothing, but the flags
	// still choose the binary and the address for a provider the API
	// switches to.
	tun.Set(cfg)
	return tun, states
}

func drainLines(out *bufio.Writer, lines *tunnel.Lines, states <-chan tunnel.State) {
	for {
		select {
		case s := <-states:
			if line := lines.Next(s); line != "" {
				fmt.Fprintln(out, line)
			}
		default:
			return
		}
	}
}

// windowGCPercent is the window's GOGC: the heap may grow by half of what is
// live between collections, not by all of it. The window is idle most of
// its life, where Go keeps freed heap for reuse up to the next collection's
// goal: at the default of 100 an idle window held ~20 MB more than it uses
// (https://go.dev/doc/gc-guide#GOGC). Headless goes the other way (see
// headlessGCPercent): there capture throughput matters more than memory.
const windowGCPercent = 50

// lowerWindowGC sets windowGCPercent unless GOGC is set in the environment.
func lowerWindowGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(windowGCPercent)
	}
}

// runRecover copies what is readable of a damaged database into a new file
// next to it and says how to use it.
func runRecover(dbPath string) error {
	dst := dbPath + ".recovered-" + time.Now().UTC().Format("20060102T150405Z")
	rep, err := store.Recover(dbPath, dst)
	if err != nil {
		return err
	}
	held := ""
	if rep.Held >= 0 {
		held = fmt.Sprintf(" (the file said it held %d)", rep.Held)
	}
	fmt.Printf("saved %d captures into %s; %d could not be read%s\n", rep.Saved, dst, rep.Unreadable, held)
	if rep.Loose > 0 {
		fmt.Printf("%d of them were read from pages the file no longer links to: a capture deleted shortly before the damage may be among them\n", rep.Loose)
	}
	fmt.Printf("also saved %d projects and %d deliveries; %d other records could not be read\n", rep.Projects, rep.Deliveries, rep.SkippedRecords)
	fmt.Printf("%s was not changed. Use the new file with --db %s, or stop Hookscope and move it to %s\n", dbPath, dst, dbPath)
	return nil
}

// closeStore closes st and removes its file when this run created it and it
// is still empty (the receiver could not listen, or nothing came): a failed
// start leaves no file behind.
func closeStore(st *store.Store, created bool) {
	empty, err := st.Empty()
	if cerr := st.Close(); cerr == nil && err == nil && created && empty {
		os.Remove(st.Path())
	}
}

// isNew reports whether no file is at path yet.
func isNew(path string) bool {
	_, err := os.Stat(path)
	return errors.Is(err, fs.ErrNotExist)
}

// defaultDBPath follows the XDG data directory convention.
func defaultDBPath() string {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "hookscope.db"
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "hookscope", "hookscope.db")
}

// runSubcommand runs "hookscope export" or "hookscope import" on a database
// no instance holds, and returns the exit code: 2 for a usage error.
func runSubcommand(name string, args []string) int {
	fs := flag.NewFlagSet("hookscope "+name, flag.ContinueOnError)
	dbPath := fs.String("db", defaultDBPath(), "bbolt database file (no running instance may hold it)")
	format := fs.String("format", offline.HAR, "export: har or jsonl")
	q := fs.String("q", "", "export: a query in the search box's syntax (default: every capture)")
	out := fs.String("o", "", "export: the file to write (default: standard output)")
	fs.Usage = func() {
		if name == "export" {
			fmt.Fprintln(fs.Output(), "usage: hookscope export --db FILE --format har|jsonl [--q QUERY] [-o OUT]")
		} else {
			fmt.Fprintln(fs.Output(), "usage: hookscope import --db FILE IN   (IN a HAR file or a JSON Lines export; - for standard input)")
		}
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if name == "export" {
		if fs.NArg() > 0 {
			fs.Usage()
			return 2
		}
		n, err := offline.Export(offline.ExportOptions{DB: *dbPath, Format: *format, Query: *q, Out: *out}, os.Stdout)
		if err != nil {
			fmt.Fprintln(os.Stderr, "hookscope export:", err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "exported %d captures\n", n)
		return 0
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	return runImport(*dbPath, fs.Arg(0))
}

func runImport(dbPath, in string) int {
	r := os.Stdin
	if in != "-" {
		f, err := os.Open(in)
		if err != nil {
			fmt.Fprintln(os.Stderr, "hookscope import:", err)
			return 1
		}
		defer f.Close()
		r = f
	}
	res, format, err := offline.Import(dbPath, r)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hookscope import:", err)
		return 1
	}
	fmt.Printf("imported %d captures from %s (%s); %d already there were skipped\n", res.Stored, in, format, res.Duplicates)
	return 0
}

// Headless garbage collection: a capture allocates a few KiB that die once
// it is answered, and the live heap is a few MB, so Go's default (a
// collection each time the heap doubles, GOGC=100) spent ~7 µs of a
// capture's ~100 µs of CPU collecting under load; at 400 it spends ~2 µs.
// The memory limit keeps large bodies in flight from growing the heap five
// times over: near it the collector runs as often as it needs to
// (https://go.dev/doc/gc-guide#Memory_limit). GOGC and GOMEMLIMIT in the
// environment still decide when set.
const (
	headlessGCPercent   = 400
	headlessMemoryLimit = 1 << 30
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(headlessGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(headlessMemoryLimit)
	}
}
