#!/usr/bin/env bash
# Static checks beyond go vet: staticcheck, and a complexity gate.
#
# The gate runs gocyclo (cyclomatic complexity, https://github.com/fzipp/gocyclo)
# over the non-test code. A function above 15 fails the run unless it is listed
# in scripts/complexity-offenders.txt, and a listed function may not grow. A
# listed function that no longer exceeds 15 (or no longer exists) fails too,
# until its line is removed: the file only shrinks.
set -euo pipefail
cd "$(dirname "$0")/.."

staticcheck=honnef.co/go/tools/cmd/staticcheck@v0.8.2
gocyclo=github.com/fzipp/gocyclo/cmd/gocyclo@v0.6.0
offenders=scripts/complexity-offenders.txt

# The tools are built without the race detector (-race=false wins over a
# -race in GOFLAGS, which scripts/test.sh sets): a race-built staticcheck
# costs minutes of compiling and checks nothing more. staticcheck loads the
# packages it checks through go list, with GOFLAGS as set, so it reuses the
# build the tests use.
go run -race=false "$staticcheck" ./...

current=$(mktemp)
trap 'rm -f "$current"' EXIT
# "N pkg func path:line:col" → "N pkg func path", sorted by name.
# gocyclo exits 1 when it lists any function; its list is what is checked.
{ go run -race=false "$gocyclo" -over 15 -ignore '_test\.go$' . 2>/dev/null || [ $? -eq 1 ]; } |
  awk '{ sub(/:[0-9]+:[0-9]+$/, "", $4); print $1, $2, $3, $4 }' | sort -k2 >"$current"

awk -v listed="$offenders" '
  BEGIN {
    while ((getline line < listed) > 0) {
      if (line ~ /^#/ || line == "") continue
      split(line, f, " "); key = f[2] " " f[3] " " f[4]; allowed[key] = f[1]
    }
  }
  {
    key = $2 " " $3 " " $4; seen[key] = 1
    if (!(key in allowed)) { print "too complex (gocyclo " $1 " > 15): " key; bad = 1 }
    else if ($1 + 0 > allowed[key] + 0) { print "grew more complex (" allowed[key] " → " $1 "): " key; bad = 1 }
  }
  END {
    for (key in allowed) if (!(key in seen)) {
      print "no longer above 15 or gone; remove its line from " listed ": " key; bad = 1
    }
    exit bad
  }' "$current"
echo "lint: staticcheck clean; complexity within $offenders"
