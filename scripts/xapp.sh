# Helpers the scripts that run the real window under Xvfb share. Source it:
#   . "$(dirname "$0")/xapp.sh"

# free_display FROM prints a display no X server holds (its lock file is
# absent), from :FROM on: a taken one makes Xvfb exit and the app talk to a
# server it may not be allowed on.
free_display() {
  local n
  for n in $(seq "$1" 299); do
    [ -e "/tmp/.X$n-lock" ] || { echo ":$n"; return 0; }
  done
  echo 'no free X display' >&2
  return 1
}

# wait_display waits up to 5 s for the X server on $display to answer.
wait_display() {
  for _ in $(seq 50); do DISPLAY=$display xdotool getdisplaygeometry >/dev/null 2>&1 && return 0; sleep 0.1; done
}

# start_desktop WxH starts Xvfb at that size and openbox on it (which fits a
# new window into the screen, as a desktop does); it sets display, xvfb and
# wm.
start_desktop() {
  display=$(free_display 100) || return 1
  Xvfb "$display" -screen 0 "${1}x24" -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  wait_display
  DISPLAY=$display openbox >/dev/null 2>&1 &
  wm=$!
}

# wait_listening ADDR LOG waits for the receiver's API on ADDR. The first
# start on a fresh machine builds fontconfig's cache (a CJK font is
# installed): it allows a minute before calling it a failure, and then
# shows the app's LOG.
wait_listening() {
  for _ in $(seq 300); do curl -s -o /dev/null "http://$1/_hookscope/api/captures" && return 0; sleep 0.2; done
  echo "Hookscope did not listen on $1 within 60 s"
  cat "$2"
  return 1
}

# wait_drawn waits up to 30 s for the screen of $display to show more than
# a blank window (50 colours, as shoot asks): on a loaded machine the first
# frame of a window that exists can take seconds to be drawn.
wait_drawn() {
  local colours
  for _ in $(seq 30); do
    colours=$(/usr/bin/import -display "$display" -window root png:- | /usr/bin/identify -format '%k' -)
    [ "$colours" -ge 50 ] && return 0
    sleep 1
  done
}

# shoot DISPLAY OUT LOG saves the screen to OUT and fails, showing the app's
# LOG, when it looks blank (fewer than 50 colours).
shoot() {
  local colours
  /usr/bin/import -display "$1" -window root "$2"
  colours=$(/usr/bin/identify -format '%k' "$2")
  echo "screenshot $2: $colours colours"
  if [ "$colours" -lt 50 ]; then
    echo "the window looks blank" >&2
    cat "$3" >&2
    return 1
  fi
}

# start_app BIN WORK starts Hookscope on the display, on a random port, with
# its database, its log (app.log) and its own config folder in WORK: no
# window size remembered from another run, and nothing written to the
# user's. It sets addr and app.
start_app() {
  addr=127.0.0.1:$((20000 + RANDOM % 20000))
  DISPLAY=$display XDG_CONFIG_HOME="$2/config" LANG=en_US.UTF-8 \
    "$1" --addr "$addr" --db "$2/app.db" >"$2/app.log" 2>&1 &
  app=$!
}

# wait_window LOG waits up to 5 s for Hookscope's window on the display and
# sets win; without one it shows the app's LOG and fails.
wait_window() {
  win=''
  for _ in $(seq 50); do
    win=$(DISPLAY=$display xdotool search --name '^Hookscope$' 2>/dev/null | head -1) && [ -n "$win" ] && return 0
    sleep 0.1
  done
  echo "no window"
  cat "$1"
  return 1
}

# isahit_desktop BIN WxH starts the desktop and the app in a new work
# folder (removed with them at exit) and makes the project "isahit": the
# start the README's screenshot scripts share. It sets work, addr and api.
isahit_desktop() {
  work=$(mktemp -d)
  start_desktop "$2"
  start_app "$1" "$work"
  # shellcheck disable=SC2064 # the pids are known now
  trap "kill $app $wm $xvfb 2>/dev/null || true; wait 2>/dev/null; rm -rf '$work'" EXIT
  api="http://$addr/_hookscope/api"
  wait_listening "$addr" "$work/app.log"
  curl -s -o /dev/null -X PUT "$api/projects/isahit" -d '{"slug": "isahit", "name": "Isahit"}'
}
