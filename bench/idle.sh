#!/usr/bin/env bash
# Idle cost of the window: runs Hookscope's window (5 captures listed, over a
# minute old, nothing arriving) and a bare Fyne window of the same size (bench/barewindow), each
# under its own Xvfb, one after the other, and prints for each the CPU ticks
# (utime + stime from /proc/PID/stat, in clock ticks of 1/100 s) over
# SECONDS seconds and the anonymous and file-backed resident memory
# (/proc/PID/status) at the end, then Hookscope's ratio and differences to
# the bare window.
# Usage: bench/idle.sh [SECONDS]   (default 20; HOOKSCOPE_BIN reuses a build)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
# shellcheck source=bench/window.sh
. bench/window.sh
barewindow
window_env

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# measure NAME PID SETTLE: waits SETTLE s, then counts ticks over $secs s.
measure() {
	sleep "$3"
	local t0 t1
	t0=$(ticks "$2")
	sleep "$secs"
	t1=$(ticks "$2")
	echo "$1 $((t1 - t0)) $(status "$2" RssAnon) $(status "$2" RssFile)" >>"$work/results"
}

# Hookscope, with 5 captures listed.
xserver
addr=127.0.0.1:$((20000 + RANDOM % 20000))
DISPLAY=$display "$bin" --addr "$addr" --db "$work/idle.db" >"$work/app.log" 2>&1 &
app=$!
pids+=($app)
for _ in $(seq 100); do curl -s -o /dev/null "http://$addr/_hookscope/api/captures" && break; sleep 0.2; done
for i in 1 2 3 4 5; do
	curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d "{\"n\":$i}" "http://$addr/shop/orders/$i"
done
# The captures are past their first minute when counting starts: their
# ages then change once a minute, as on a desktop left alone.
measure hookscope "$app" 65
kill "$app"

# The bare window.
xserver
DISPLAY=$display "$work/barewindow" >"$work/bare.log" 2>&1 &
bare=$!
pids+=($bare)
measure bare "$bare" 5
kill "$bare"

echo "idle over ${secs} s under Xvfb ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-22s %10s %12s %12s\n' window "CPU ticks" "RssAnon kB" "RssFile kB"
while read -r name t anon file; do
	printf '%-22s %10s %12s %12s\n' "$name" "$t" "$anon" "$file"
done <"$work/results"
awk '{ t[$1] = $2; a[$1] = $3; f[$1] = $4 } END {
	printf "hookscope vs bare: CPU %.2f×, RssAnon %+.0f MB (target: at most +30 MB), RssFile %+.0f MB\n", (t["bare"] ? t["hookscope"] / t["bare"] : 0), (a["hookscope"] - a["bare"]) / 1024, (f["hookscope"] - f["bare"]) / 1024 }' "$work/results"
