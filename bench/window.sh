# Sourced, not run, by the benchmarks of Hookscope's window under Xvfb
# (idle.sh, memory.sh), from the repository's root: a work directory that is
# removed at exit together with every process whose pid is added to pids,
# the binary in bin (HOOKSCOPE_BIN, or a build of this tree), and helpers.
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
bin=${HOOKSCOPE_BIN:-}
if [ -z "$bin" ]; then
	bin="$work/hookscope"
	go build -o "$bin" .
fi
# barewindow builds the baseline, a bare Fyne window (bench/barewindow).
barewindow() { go build -o "$work/barewindow" ./bench/barewindow; }

# window_env sends the window's preferences and data to the work directory,
# not the user's. Call it after the last go build: go reads its own settings
# from the config directory.
window_env() { export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" LANG=en_US.UTF-8; }

# status PID KEY: a field of /proc/PID/status (kB for RssAnon and RssFile).
status() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# xserver starts an Xvfb and sets display (not in a subshell: its pid must
# reach pids, or the trap would leave it running).
xserver() {
	display=:$((100 + RANDOM % 400))
	Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
	pids+=($!)
	sleep 1
}
