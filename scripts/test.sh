#!/usr/bin/env bash
# Every check a change must pass: formatting, vet, staticcheck and a complexity
# gate (scripts/lint.sh), the race-enabled test suite
# (end-to-end test of the real binary included), a few seconds of each fuzz
# target, a screenshot of the real window under Xvfb that must not be blank,
# and the window at laptop sizes (1280×720, 1024×700) showing a capture's path
# in its list beside the open capture, read back by OCR.
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

fuzz_all() {
  for pkg in $(go list ./...); do
    dir=$(go list -f '{{.Dir}}' "$pkg")
    for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //'); do
      # A crash the fuzzer finds is written under testdata/fuzz and fails the
      # run. On a loaded 2-core machine the fuzzing engine itself can give up
      # (a worker it thinks hung) without finding anything: that is retried
      # once, with the output shown.
      log=$(mktemp)
      if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "${FUZZTIME:-3s}" -parallel 1 "$pkg" >"$log" 2>&1; then
        cat "$log"
        if [ -n "$(git status --porcelain -- "$dir/testdata/fuzz" 2>/dev/null)" ]; then
          echo "fuzz $pkg $target: found a failing input (see testdata/fuzz)"; return 1
        fi
        echo "fuzz $pkg $target: the fuzzing engine failed without a finding; retrying once"
        go test -run '^$' -fuzz "^${target}\$" -fuzztime "${FUZZTIME:-3s}" -parallel 1 "$pkg"
      fi
      rm -f "$log"
      echo "fuzz $pkg $target: ok"
    done
  done
}

total=$SECONDS
phase deps sh -c 'scripts/deps.sh test && go mod download'
phase gofmt check_format
phase build go build -o dist/hookscope .
phase vet go vet ./...
phase lint scripts/lint.sh
phase test run_tests
phase fuzz fuzz_all
phase screenshot env HOOKSCOPE_BIN=dist/hookscope scripts/screenshot.sh dist/screenshot.png
phase layout scripts/layoutcheck.sh dist/hookscope dist
phase close scripts/closecheck.sh dist/hookscope

echo "== phase times"
printf '%s\n' "${phases[@]}"
printf '%-11s %4ds\n' total $((SECONDS - total))
