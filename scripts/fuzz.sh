#!/usr/bin/env bash
# Runs the fuzzing engine on every fuzz target, one after the other, for
# FUZZTIME each (default 30s). It is not part of make test: a fuzzing run is
# random (a new finding turns it red on a change that has nothing to do with
# it) and its instrumented build is a third compile of everything. The seed
# corpora (f.Add and testdata/fuzz) run as unit tests in make test.
# Usage: scripts/fuzz.sh [PACKAGE...]   (default every package), FUZZTIME=30s
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-30s}
failed=0
for pkg in $(go list "${@:-./...}"); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //'); do
    # A crash the fuzzer finds is written under testdata/fuzz and fails the
    # run. On a loaded 2-core machine the fuzzing engine itself can give up
    # (a worker it thinks hung) without finding anything: that is retried
    # once, with the output shown.
    log=$(mktemp)
    if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -parallel 1 "$pkg" >"$log" 2>&1; then
      echo "fuzz $pkg $target: ok"
    else
      cat "$log"
      if [ -n "$(git status --porcelain -- "$dir/testdata/fuzz" 2>/dev/null)" ]; then
        echo "fuzz $pkg $target: found a failing input (see $dir/testdata/fuzz)"
        failed=1
      else
        echo "fuzz $pkg $target: the fuzzing engine failed without a finding; retrying once"
        if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -parallel 1 "$pkg"; then
          echo "fuzz $pkg $target: ok"
        else
          echo "fuzz $pkg $target: FAILED"
          failed=1
        fi
      fi
    fi
    rm -f "$log"
  done
done
exit "$failed"
