#!/usr/bin/env bash
# Every check a change must pass: formatting, vet, staticcheck and a complexity
# gate (scripts/lint.sh), the race-enabled test suite (end-to-end test of the
# real binary included; each fuzz target's seed corpus runs as a unit test), a
# screenshot of the real window under Xvfb that must not be blank, and the
# window at laptop sizes (1280×720, 1024×700) showing a capture's path in its
# list beside the open capture, read back by OCR. The fuzzing engine itself
# runs in scripts/fuzz.sh (make fuzz), not here: its inputs are random, and so
# would this run's result be.
#
# Fyne's GLFW driver (go-gl's C code) is the slow part of a cold build: it is
# compiled once, for the binary, and every later step reuses it. Only the main
# package links it; its tests drive the built binary, so they run without
# -race (a race build would compile go-gl a second time for nothing), while
# every other package — where the concurrency lives — runs under -race.
set -euo pipefail
cd "$(dirname "$0")/.."

phases=()
phase() { # phase NAME COMMAND...: runs it and records how long it took
  local name=$1 start=$SECONDS
  shift
  echo "== $name"
  "$@"
  phases+=("$(printf '%-11s %4ds' "$name" $((SECONDS - start)))")
}

check_format() {
  local unformatted
  unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
  if [ -n "$unformatted" ]; then
    echo "gofmt would change:"; echo "$unformatted"; return 1
  fi
}

run_tests() {
  go test -race -count=1 -timeout 20m $(go list ./... | grep -vx hookscope)
  go test -count=1 .
}

total=$SECONDS
phase deps sh -c 'scripts/deps.sh test && go mod download'
phase gofmt check_format
phase build go build -o dist/hookscope .
phase vet go vet ./...
phase lint scripts/lint.sh
phase test run_tests
phase screenshot env HOOKSCOPE_BIN=dist/hookscope scripts/screenshot.sh dist/screenshot.png
phase layout scripts/layoutcheck.sh dist/hookscope dist
phase close scripts/closecheck.sh dist/hookscope

echo "== phase times"
printf '%s\n' "${phases[@]}"
printf '%-11s %4ds\n' total $((SECONDS - total))
