#!/usr/bin/env bash
# Runs the real app under Xvfb with a few captures (JSON, form, binary),
# selects the JSON one, and saves a screenshot. Fails when the window is blank.
# Usage: scripts/screenshot.sh OUT.png
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/xapp.sh
out=${1:-dist/screenshot.png}
mkdir -p "$(dirname "$out")"
work=$(mktemp -d)
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT

# make test passes the binary it built; alone, build it here.
bin=${HOOKSCOPE_BIN:-}
if [ -z "$bin" ]; then
  bin="$work/hookscope"
  go build -o "$bin" .
fi
display=$(free_display 90)
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
port=$((20000 + RANDOM % 20000))
addr=127.0.0.1:$port
wait_display
DISPLAY=$display LANG=en_US.UTF-8 "$bin" --addr "$addr" --db "$work/shot.db" >"$work/app.log" 2>&1 &
app=$!
wait_listening "$addr" "$work/app.log"

curl -s -o /dev/null -X POST "http://$addr/shop/form?source=checkout" -H 'Content-Type: application/x-www-form-urlencoded' -d 'order=1001&note=hello+world&amount=%2B5'
head -c 512 /dev/urandom | curl -s -o /dev/null -X PUT --data-binary @- -H 'Content-Type: application/octet-stream' "http://$addr/uploads/blob"
curl -s -o /dev/null -X POST "http://$addr/unitary/results?filename=clip.mp4" -H 'Content-Type: application/json' \
  -d '{"data":{"job_id":"job_42","callback_url":"http://127.0.0.1/results","is_error":false,"result":{"policy_categories":[{"name":"ARMS_AMMO","risk_level":"HIGH"}],"metadata":{"width":720,"height":480,"fps":30,"duration":11.6}}}}'
# The window drawn (on a loaded machine its first frame can come seconds
# after the receiver listens), then a second for the captures to reach its
# list.
wait_drawn
sleep 1
# Down selects the newest capture (the JSON one) when nothing has the focus;
# the pointer over the window gives it the keyboard.
DISPLAY=$display xdotool mousemove 640 400 key Down
sleep 1.5
shoot "$display" "$out" "$work/app.log"
