#!/usr/bin/env bash
# The window at laptop sizes. For each screen size, under Xvfb with a window
# manager (which fits a new window into the screen, as a desktop does), the
# real app receives a capture to a known path, the newest capture is
# selected with the Down key, and a screenshot must show:
#   - the window no larger than the screen (its minimum size fits),
#   - the capture's path in the list, read back by OCR (tesseract), and
#   - the selected capture's tabs ("Pretty", "Headers"), so the list was checked
#     beside an open detail, which used to squeeze paths to "…".
# Usage: scripts/layoutcheck.sh BINARY [OUTDIR]
#   LAYOUT_SIZES="1280x720 1024x700" (default) picks the screen sizes;
#   FYNE_THEME=light|dark the theme. Screenshots are left in OUTDIR (dist).
set -euo pipefail
. "$(dirname "$0")/xapp.sh"
bin=${1:?usage: scripts/layoutcheck.sh BINARY [OUTDIR]}
outdir=${2:-dist}
sizes=${LAYOUT_SIZES:-1280x720 1024x700}
# The path's start, as a word of its own: a row cuts a long path at its end,
# and OCR reads "?v=" and what follows less reliably than letters. The
# detail's title holds the path too, but after the host
# ("http://127.0.0.1:8787/isahit/..."), never at a word's start.
want='isahit/results'
# The Body tab's "Pretty" or the tab bar's "Headers" show only with a
# capture open.
seen() { grep -qE "(^| )/?$want" "$1" && grep -qE 'Pretty|Headers' "$1"; }
mkdir -p "$outdir"
# Tesseract's OpenMP threads spin on a loaded 2-core machine: one is faster.
export OMP_THREAD_LIMIT=1

# check_size WxH: 0 when the window passes at that size. It runs in a
# subshell, whose EXIT trap ends what it started.
check_size() (
  local size=$1 sw=${1%x*} sh=${1#*x}
  local work display addr app wm xvfb shot ocr geom ww wh win=""
  work=$(mktemp -d)
  start_desktop "$size" || exit 1
  start_app "$bin" "$work"
  # shellcheck disable=SC2064 # the pids are known now
  trap "kill $app $wm $xvfb 2>/dev/null || true; wait 2>/dev/null; rm -rf '$work'" EXIT
  wait_listening "$addr" "$work/app.log" || exit 1
  curl -s -o /dev/null -X POST "http://$addr/isahit/results?v=layout-check" -H 'Content-Type: application/json' \
    -d '{"label":"猫 🐱 café","ar":"مرحبا","he":"שלום","n":1}'
  wait_window "$work/app.log" || { echo "layout $size: no window"; return 1; }
  shot="$outdir/layout-$size.png"
  ocr="$work/ocr"
  for try in 1 2 3 4; do
    sleep 1
    # Down selects the newest capture when nothing has the focus (again on
    # a later try: a key sent before the window had the focus is lost;
    # with one capture, Down on it keeps it); the pointer over the window
    # gives it the keyboard.
    DISPLAY=$display xdotool mousemove $((sw / 2)) $((sh / 2)) key Down
    sleep 0.5
    /usr/bin/import -display "$display" -window root "$shot"
    # Twice the size reads small text far better; the list's first row
    # and the Body tab are in the top three quarters of the screen.
    /usr/bin/convert "$shot" -crop "${sw}x$((sh * 3 / 4))+0+0" -resize 200% -colorspace Gray "$work/ocr.png"
    tesseract "$work/ocr.png" "$ocr" --psm 11 >/dev/null 2>&1 || true
    if seen "$ocr.txt"; then
      break
    fi
    echo "layout $size: try $try did not read '$want' and the open capture yet"
  done
  geom=$(DISPLAY=$display xdotool getwindowgeometry "$win" | sed -n 's/.*Geometry: //p')
  ww=${geom%x*} wh=${geom#*x}
  if [ "$ww" -gt "$sw" ] || [ "$wh" -gt "$sh" ]; then
    echo "layout $size: the window is ${geom}, larger than the screen (see $shot)"; return 1
  fi
  if ! seen "$ocr.txt"; then
    echo "layout $size: the list does not show '$want' beside the selected capture's body (see $shot); OCR read:"
    grep -v '^\s*$' "$ocr.txt" | head -40
    cat "$work/app.log"
    return 1
  fi
  echo "layout $size: window ${geom}, '$(grep -oE "(^| )/?$want[^ ]*" "$ocr.txt" | head -1)' in the list"
)

for size in $sizes; do
  check_size "$size"
done
