#!/usr/bin/env bash
# Every check a change must pass: formatting, vet, the race-enabled test suite
# (end-to-end test of the real binary included), a few seconds of each fuzz
# target, and a screenshot of the real window under Xvfb that must not be blank.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test -race"
go test -race -count=1 ./...

echo "== fuzz (a few seconds per target)"
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
        echo "fuzz $pkg $target: found a failing input (see testdata/fuzz)"; exit 1
      fi
      echo "fuzz $pkg $target: the fuzzing engine failed without a finding; retrying once"
      go test -run '^$' -fuzz "^${target}\$" -fuzztime "${FUZZTIME:-3s}" -parallel 1 "$pkg"
    fi
    rm -f "$log"
    echo "fuzz $pkg $target: ok"
  done
done

echo "== screenshot of the real window"
scripts/screenshot.sh dist/screenshot.png
