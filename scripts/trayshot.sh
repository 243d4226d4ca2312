#!/usr/bin/env bash
# Runs the real app under Xvfb on its own D-Bus session with a notification
# daemon (dunst) and a tray host (gtk-sni-tray-standalone, which also runs
# the StatusNotifierWatcher): closes the window (it hides to the tray), sends
# three captures to a project with a signature scheme, one badly signed,
# checks that they made one notification, and saves screenshots of that
# notification and of the tray menu.
# Usage: scripts/trayshot.sh BINARY OUTDIR   (writes notification.png, tray.png)
# Needs: xvfb dbus dunst haskell-gtk-sni-tray-utils openbox wmctrl xdotool imagemagick curl openssl
set -euo pipefail
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] || [ -z "${TRAYSHOT_INNER:-}" ]; then
  bin=$(realpath "${1:?usage: scripts/trayshot.sh BINARY OUTDIR}")
  out=$(realpath "${2:?usage: scripts/trayshot.sh BINARY OUTDIR}")
  mkdir -p "$out"
  display=:$((70 + RANDOM % 9))
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  trap 'kill $xvfb 2>/dev/null || true' EXIT
  sleep 1
  DISPLAY=$display TRAYSHOT_INNER=1 dbus-run-session -- "$0" "$bin" "$out"
  exit
fi
bin=$1 out=$2
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
openbox >/dev/null 2>&1 & pids+=($!)
dunst >"$work/dunst.log" 2>&1 & pids+=($!)
gtk-sni-tray-standalone --watcher --top --end --size 32 >"$work/tray.log" 2>&1 & pids+=($!)
sleep 2
port=$((20000 + RANDOM % 20000))
addr=127.0.0.1:$port
LANG=en_US.UTF-8 "$bin" --addr "$addr" --db "$work/tray.db" >"$work/app.log" 2>&1 & app=$!
pids+=($app)
# The first start on a fresh machine builds fontconfig's cache (a CJK font
# is installed): allow a minute before calling it a failure.
for _ in $(seq 300); do curl -s -o /dev/null "http://$addr/_hookscope/api/captures" && break; sleep 0.2; done
curl -s -o /dev/null "http://$addr/_hookscope/api/captures" ||
  { echo "Hookscope did not listen on $addr within 60 s"; cat "$work/app.log"; exit 1; }
curl -sf -o /dev/null -X PUT "http://$addr/_hookscope/api/projects/isahit" \
  -d '{"slug":"isahit","name":"Isahit","secret":"test_key","scheme":"hub-sha256-base64"}'
for _ in $(seq 50); do wmctrl -l | grep -q Hookscope && break; sleep 0.2; done
sleep 6 # the tray host lists the icon within 5 s
wmctrl -c Hookscope
sleep 1
kill -0 "$app" || { echo "closing the window quit Hookscope although a tray host runs"; cat "$work/app.log"; exit 1; }
dunstctl close-all
sleep 5 # the coalescer keeps two notifications 5 s apart

body='{"docs":[{"id":"1","key":"k"}]}'
good=$(printf '%s' "$body" | openssl dgst -sha256 -hmac test_key -binary | base64)
post() { curl -s -o /dev/null -X POST "http://$addr$1" -H 'Content-Type: application/json' -H "X-Hub-Signature-256: $2" -d "$body"; }
before=$(dunstctl count history)
post /isahit/ingested "$good"
post /isahit/annotation "bm90IHRoZSBzaWduYXR1cmU="
post /isahit/review "$good"
sleep 4
after=$(dunstctl count history)
shown=$(dunstctl count displayed)
count=$((after - before + shown))
echo "notifications for three captures: $count"
[ "$count" = 1 ] || { echo "want one coalesced notification"; dunstctl history; exit 1; }
import -window root "$work/full.png"
# dunst shows it at the top right, under the tray bar.
convert "$work/full.png" -gravity NorthEast -crop 340x240+0+40 +repage "$out/notification.png"
dunstctl close-all

# The tray icon sits at the right end of the bar along the top (32 px).
read -r sw _ < <(xdotool getdisplaygeometry)
xdotool mousemove $((sw - 16)) 16 click ${TRAYSHOT_BUTTON:-3}
sleep 1.5
import -window root "$work/menu.png"
convert "$work/menu.png" -gravity NorthEast -crop 320x250+0+0 +repage "$out/tray.png"
echo "saved $out/notification.png and $out/tray.png"
