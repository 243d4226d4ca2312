#!/usr/bin/env bash
# A field query in the real window, for the README. Under Xvfb with a window
# manager, the app receives Isahit task events of three types and one
# capture of another platform; Ctrl+F focuses the search box and the query
# `body.type:review project:isahit` is typed into it, leaving the review
# events listed. The screenshot must not be blank.
# Usage: scripts/queryshot.sh BINARY OUT.png
#   SIZE=1280x800 (default) is the screen; FYNE_THEME=light|dark the theme.
#   ROW1_Y is where the list's first row is on the screen (140 at 1280 wide).
set -euo pipefail
. "$(dirname "$0")/xapp.sh"
bin=${1:?usage: scripts/queryshot.sh BINARY OUT.png}
out=${2:?usage: scripts/queryshot.sh BINARY OUT.png}
size=${SIZE:-1280x800}
mkdir -p "$(dirname "$out")"
isahit_desktop "$bin" "$size"
post() { # post PATH TYPE TASK
  curl -s -o /dev/null -X POST "http://$addr$1" -H 'Content-Type: application/json' \
    -d "{\"workflowId\":\"wf-5f2a\",\"type\":\"$2\",\"taskId\":\"$3\",\"batchId\":\"b-12\",\"projectId\":\"proj-42\"}"
  sleep 0.2
}
post /isahit/results annotation task-001
post /isahit/results review task-001
post /isahit/results annotation task-002
post /isahit/results review task-002
post /isahit/results validation task-001
post /shop/orders review order-77
wait_window "$work/app.log"
sleep 1.5
# The first key sent to a freshly mapped window may only give it the focus.
for _ in 1 2; do
  DISPLAY=$display xdotool key ctrl+f
  sleep 0.5
done
DISPLAY=$display xdotool type --delay 30 'body.type:review project:isahit'
sleep 2
# The first row of what is left opens in the detail: its body says review.
DISPLAY=$display xdotool mousemove 400 "${ROW1_Y:-140}" click 1
sleep 1.5
shoot "$display" "$out" "$work/app.log"
