#!/usr/bin/env bash
# Closing the window through a window manager quits the app, and nothing
# blocks, when no tray host can show Hookscope's icon: once with no D-Bus
# session at all (so no notification daemon either), once on a session bus
# with no StatusNotifierWatcher (a desktop without a tray, such as GNOME
# without its AppIndicator extension). Captures sent just before are answered,
# and the process exits 0 within 10 s of the close.
# Usage: scripts/closecheck.sh BINARY
set -euo pipefail
bin=${1:?usage: scripts/closecheck.sh BINARY}
work=$(mktemp -d)
app='' wm='' xvfb=''
trap 'kill $app $wm $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT

# A display no other X server holds (its lock file is absent): a taken one
# makes Xvfb exit and the app talk to a server it may not be allowed on.
display=''
for n in $(seq 80 299); do [ -e /tmp/.X$n-lock ] || { display=:$n; break; }; done
[ -n "$display" ] || { echo 'no free X display'; exit 1; }
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
DISPLAY=$display openbox >/dev/null 2>&1 &
wm=$!

# closes LABEL COMMAND...: starts Hookscope through COMMAND, sends captures,
# closes its window and checks that it quit.
closes() {
  local label=$1 port addr db
  shift
  port=$((20000 + RANDOM % 20000))
  addr=127.0.0.1:$port
  db=$work/close-$port.db
  env -u DBUS_SESSION_BUS_ADDRESS DISPLAY=$display LANG=en_US.UTF-8 \
    "$@" "$bin" --addr "$addr" --db "$db" >"$work/app.log" 2>&1 &
  app=$!
  # The first start on a fresh machine builds fontconfig's cache (a CJK font
  # is installed): allow a minute before calling it a failure.
  for _ in $(seq 300); do curl -s -o /dev/null "http://$addr/_hookscope/api/captures" && break; sleep 0.2; done
  curl -s -o /dev/null "http://$addr/_hookscope/api/captures" ||
    { echo "Hookscope did not listen on $addr within 60 s"; cat "$work/app.log"; exit 1; }
  for i in 1 2 3; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://$addr/isahit/annotation" -d "{\"n\":$i}")
    [ "$code" = 200 ] || { echo "capture $i answered $code ($label)"; cat "$work/app.log"; exit 1; }
  done
  for _ in $(seq 50); do DISPLAY=$display wmctrl -l | grep -q Hookscope && break; sleep 0.2; done
  # The tray host check runs in the background at start: give it time to
  # answer, as a user's first close would.
  sleep 2
  DISPLAY=$display wmctrl -c Hookscope
  for _ in $(seq 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$app" 2>/dev/null; then
    echo "closing the window did not quit Hookscope within 10 s ($label)"; cat "$work/app.log"; exit 1
  fi
  if ! wait "$app"; then
    echo "Hookscope exited non-zero after its window was closed ($label)"; cat "$work/app.log"; exit 1
  fi
  echo "closing the window quit Hookscope ($label)"
}

closes "no D-Bus session, no tray host"
closes "a session bus without a tray host" dbus-run-session --
