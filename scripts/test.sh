#!/usr/bin/env bash
# Every check a change must pass: formatting, vet, staticcheck and a complexity
# gate (scripts/lint.sh), the race-enabled test suite (end-to-end tests of the
# real binary included; each fuzz target's seed corpus runs as a unit test), a
# screenshot of the real window under Xvfb that must not be blank, the window
# at laptop sizes (1280×720, 1024×700) showing a capture's path in its list
# beside the open capture, read back by OCR, and closing the window under a
# window manager. The fuzzing engine itself runs in scripts/fuzz.sh (make
# fuzz), not here: its inputs are random, and so would this run's result be.
#
# Everything is compiled once, in one configuration: with the race detector.
# GOFLAGS carries -race to the binary's build, go vet, staticcheck's loading
# of the packages and the tests, so Fyne's GLFW driver (go-gl's C code, most
# of a cold build) is compiled once and every later step reuses it. The binary
# the end-to-end tests and the Xvfb checks run is race-built too. Only the
# tools (staticcheck, gocyclo) are built without it (scripts/lint.sh). The
# tests skip go test's own vet pass: go vet ./... has just run every analyzer
# it has (a superset), and go test's pass would type-check every dependency
# again under other flags.
set -euo pipefail
cd "$(dirname "$0")/.."

# The CPU time of what this script ran and waited for, in clock ticks (user
# + system, the cutime and cstime fields of proc(5)): on a shared machine the
# wall time of a phase says more about the others' load than about it.
cpu_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat" 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)

phases=()
phase() { # phase NAME COMMAND...: runs it and records its wall and CPU time
  local name=$1 start=$SECONDS cpu
  shift
  cpu=$(cpu_ticks)
  echo "== $name"
  "$@"
  phases+=("$(printf '%-11s %4ds %6d CPU-s' "$name" $((SECONDS - start)) $((($(cpu_ticks) - cpu) / hz)))")
}

check_format() {
  local unformatted
  unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
  if [ -n "$unformatted" ]; then
    echo "gofmt would change:"; echo "$unformatted"; return 1
  fi
}

run_tests() {
  go test -race -vet=off -count=1 -timeout 20m ./...
}

total=$SECONDS cpu_total=$(cpu_ticks)
# The modules the packages and their tests import, not every one go.mod
# lists (some are for other platforms, or only for tests of dependencies).
phase deps sh -c 'scripts/deps.sh test && go list -deps -test ./... >/dev/null'
GOFLAGS="$(go env GOFLAGS) -race"
export GOFLAGS
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
printf '%-11s %4ds %6d CPU-s\n' total $((SECONDS - total)) $((($(cpu_ticks) - cpu_total) / hz))
