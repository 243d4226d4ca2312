#!/bin/sh
# breakdown.sh BINARY PROFILE REQUESTS: splits a CPU profile of bench/inproc
# into the parts of a capture and prints the CPU each costs per request.
# Every sample goes to the first category, in the order below, whose
# functions are on its stack (pprof's -focus, minus the categories before).
# REQUESTS is how many captures were answered while the profile ran.
set -eu
bin=$1 prof=$2 reqs=$3
total_ms() { # samples (ms) under -focus $1, -ignore $2
	go tool pprof -top -nodecount=1000000 -nodefraction=0 -edgefraction=0 -unit=ms ${1:+-focus="$1"} ${2:+-ignore="$2"} "$bin" "$prof" 2>/dev/null |
		awk '/^Showing nodes accounting for/ { v=$5; sub(/ms,?$/, "", v); print v; exit }'
}
all=$(total_ms "" "")
printf '%-34s %9s %7s %12s\n' part "CPU ms" share "µs/request"
seen=""
while IFS='|' read -r name re; do
	[ -z "$name" ] && continue
	if [ "$re" = "*" ]; then
		v=$(total_ms "" "$seen")
	else
		v=$(total_ms "$re" "$seen")
	fi
	v=${v:-0}
	awk -v n="$name" -v v="$v" -v a="$all" -v r="$reqs" 'BEGIN { printf "%-34s %9.0f %6.1f%% %12.1f\n", n, v, 100*v/a, 1000*v/r }'
	seen="${seen:+$seen|}${re}"
done <<'RULES'
commit + fsync (bbolt Tx.Commit)|bbolt\.\(\*Tx\)\.Commit
bbolt inserts, count, prune in tx|store\.\(\*Store\)\.commit
subscribers (events, headless line)|store\.\(\*Store\)\.publish|main\.main
signature detection, project|receiver\.\(\*Server\)\.prepare
encoding (records, answer, headers)|store\.encode|store\.\(\*Capture\)\.Summary|receiver\.headerOrder|receiver\.receivedTrailer|receiver\.defaultResponse|receiver\.completeAnswer
ID|store\.\(\*Store\)\.NewID
reading the body|receiver\.readBody
Put: queue to the writer|store\.\(\*Store\)\.Put
handler: the rest (headers copy, forward)|receiver\.\(\*Server\)\.capture
net/http: parse, answer, syscalls|net/http\.|^net\.|internal/poll
garbage collection|runtime\.gcBgMarkWorker|runtime\.bgsweep|runtime\.bgscavenge|runtime\.mallocgc|runtime\.gcAssist
scheduler and the rest|*
RULES
awk -v a="$all" -v r="$reqs" 'BEGIN { printf "%-34s %9.0f %6.1f%% %12.1f\n", "total", a, 100, 1000*a/r }'
