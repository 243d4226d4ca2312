#!/usr/bin/env bash
# Closing the window through a window manager quits the app, and nothing
# blocks, when the session has no D-Bus (so no notification daemon and no
# tray host): captures sent just before are answered, and the process exits 0
# within 10 s of the close.
# Usage: scripts/closecheck.sh BINARY
set -euo pipefail
bin=${1:?usage: scripts/closecheck.sh BINARY}
work=$(mktemp -d)
trap 'kill $app $wm $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT

display=:$((80 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
DISPLAY=$display openbox >/dev/null 2>&1 &
wm=$!
port=$((20000 + RANDOM % 20000))
addr=127.0.0.1:$port
env -u DBUS_SESSION_BUS_ADDRESS DISPLAY=$display LANG=en_US.UTF-8 \
  "$bin" --addr "$addr" --db "$work/close.db" >"$work/app.log" 2>&1 &
app=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://$addr/_hookscope/api/captures" && break; sleep 0.2; done
for i in 1 2 3; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://$addr/isahit/annotation" -d "{\"n\":$i}")
  [ "$code" = 200 ] || { echo "capture $i answered $code"; cat "$work/app.log"; exit 1; }
done
for _ in $(seq 50); do DISPLAY=$display wmctrl -l | grep -q Hookscope && break; sleep 0.2; done
DISPLAY=$display wmctrl -c Hookscope
for _ in $(seq 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app" 2>/dev/null; then
  echo "closing the window did not quit Hookscope within 10 s (no D-Bus session)"; cat "$work/app.log"; exit 1
fi
if ! wait "$app"; then
  echo "Hookscope exited non-zero after its window was closed"; cat "$work/app.log"; exit 1
fi
echo "closing the window quit Hookscope (no D-Bus session, no tray host)"
