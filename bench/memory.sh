#!/usr/bin/env bash
# Memory of the window on a large store: runs a bare Fyne window of the same
# size (bench/barewindow), then Hookscope's window on an empty store and on
# DB (a store bench/fill wrote; it is opened, not changed: the window keeps
# captures beyond the retention count until asked), each under its own Xvfb,
# waits WAIT seconds for each to load (the list, the sidebar and the
# background check of a large file), and prints RssAnon and RssFile
# (/proc/PID/status) of each, the store file's share, and the differences.
# Usage: bench/memory.sh DB [WAIT]   (default 20; HOOKSCOPE_BIN reuses a build)
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1
wait=${2:-20}
# shellcheck source=bench/window.sh
. bench/window.sh
barewindow
window_env
# dbrss PID FILE: resident kB of FILE's mappings (bbolt's mmap of the store).
dbrss() {
	awk -v f="$(realpath "$2")" '/^[0-9a-f]+-[0-9a-f]+ / { on = ($6 == f) } on && $1 == "Rss:" { s += $2 } END { print s + 0 }' "/proc/$1/smaps"
}

# run NAME DBFILE: Hookscope's window on DBFILE, or the bare window when NAME
# is bare, measured after $wait s.
run() {
	local cmd=("$bin" --addr "127.0.0.1:$((20000 + RANDOM % 20000))" --db "$2")
	[ "$1" = bare ] && cmd=("$work/barewindow")
	xserver
	DISPLAY=$display "${cmd[@]}" >"$work/$1.log" 2>&1 &
	local app=$!
	pids+=($app)
	sleep "$wait"
	echo "$1 $(status "$app" RssAnon) $(status "$app" RssFile) $(dbrss "$app" "$2")" >>"$work/results"
	kill "$app"
	wait "$app" 2>/dev/null || true
}

run bare /dev/null
run empty "$work/empty.db"
run large "$db"
echo "window memory after ${wait} s under Xvfb ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)); large store: $db ($(du -h "$db" | cut -f1))"
printf '%-8s %12s %12s %16s\n' window "RssAnon kB" "RssFile kB" "of it the db kB"
while read -r name anon file dbk; do printf '%-8s %12s %12s %16s\n' "$name" "$anon" "$file" "$dbk"; done <"$work/results"
awk '{ a[$1] = $2; f[$1] = $3; d[$1] = $4 } END {
	printf "large - empty: RssAnon %+.0f MB (target: at most +40 MB), RssFile %+.0f MB (the store file: %.0f MB resident)\n", (a["large"] - a["empty"]) / 1024, (f["large"] - f["empty"]) / 1024, d["large"] / 1024
	printf "large - bare: RssAnon %+.0f MB, RssFile %+.0f MB; large RssFile %.0f MB (target: at most 64 MB), bare %.0f MB\n", (a["large"] - a["bare"]) / 1024, (f["large"] - f["bare"]) / 1024, f["large"] / 1024, f["bare"] / 1024 }' "$work/results"
