#!/usr/bin/env bash
# The compare view in the real window, for the README and for looking at it
# at laptop sizes. Under Xvfb with a window manager, the app receives two
# Isahit task events that differ in type and taskId; the newest is selected
# with a click, the other Ctrl+clicked in the list, and Ctrl+D opens the
# comparison. The screenshot must not be blank.
# Usage: scripts/compareshot.sh BINARY OUT.png
#   SIZE=1280x800 (default) is the screen; FYNE_THEME=light|dark the theme.
#   MARKED=file.png also saves the list with the two rows marked.
#   ROW2_X, ROW2_Y are where the list's second row is on the screen: y 180
#   at 1280 wide, 220 at 1024, where the top bar takes two lines.
set -euo pipefail
. "$(dirname "$0")/xapp.sh"
bin=${1:?usage: scripts/compareshot.sh BINARY OUT.png}
out=${2:?usage: scripts/compareshot.sh BINARY OUT.png}
size=${SIZE:-1280x800}
sw=${size%x*} sh=${size#*x}
mkdir -p "$(dirname "$out")"
isahit_desktop "$bin" "$size"
post() {
  curl -s -o /dev/null -X POST "http://$addr/isahit/results" -H 'Content-Type: application/json' \
    -H "X-Request-Id: $1" -d "$2"
}
post req-7f1 '{"workflowId":"wf-5f2a","type":"annotation","taskId":"task-001","batchId":"batch-7","projectId":"proj-42","submittedAt":"2026-12-01T11:02:07Z"}'
sleep 0.2
post req-7f2 '{"workflowId":"wf-5f2a","type":"review","taskId":"task-002","batchId":"batch-7","projectId":"proj-42","submittedAt":"2026-12-01T11:02:07Z"}'
wait_window "$work/app.log"
sleep 1.5
# A click on the first row selects the newest capture, 40 px above the
# second; twice, as the first click on a window without the focus may only
# give it the focus.
x=${ROW2_X:-$((sw * 3 / 10))}
y=${ROW2_Y:-180}
for _ in 1 2; do
  DISPLAY=$display xdotool mousemove "$x" $((y - 40)) click 1
  sleep 1
done
DISPLAY=$display xdotool mousemove "$x" "$y" keydown ctrl click 1 keyup ctrl
sleep 1.5
# MARKED=file.png keeps the list with both captures marked, too.
if [ -n "${MARKED:-}" ]; then shoot "$display" "$MARKED" "$work/app.log"; fi
DISPLAY=$display xdotool key ctrl+d
sleep 2
shoot "$display" "$out" "$work/app.log"
