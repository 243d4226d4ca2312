#!/usr/bin/env bash
# Known vulnerabilities in the modules Hookscope's code reaches, by govulncheck
# (https://go.dev/doc/security/vuln/). vuln.go.dev cannot be reached from every
# build machine, so the database is built locally from the golang.org/x/vulndb
# module (the Go vulnerability database's own source, served by the module
# proxy) with that repository's cmd/gendb, and cached by version.
set -euo pipefail
cd "$(dirname "$0")/.."

vulndb=golang.org/x/vulndb@v0.0.0-20261105234957-e22db6528018
govulncheck=golang.org/x/vuln/cmd/govulncheck@v1.9.0
cache=${XDG_CACHE_HOME:-$HOME/.cache}/hookscope-vulndb/${vulndb##*@}

if [ ! -e "$cache/index/db.json" ]; then
  src=$(go mod download -json "$vulndb" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # gendb reads a git repository: give it one holding the module's data.
  cp -r "$src/data" "$work/" && chmod -R u+w "$work"
  git -C "$work" init -q
  git -C "$work" add -A
  git -C "$work" -c user.name=hookscope -c user.email=hookscope@localhost commit -qm "$vulndb"
  mkdir -p "$(dirname "$cache")"
  (cd "$work" && go run "${vulndb%@*}/cmd/gendb@${vulndb##*@}" -repo "$work" -out "$cache.tmp")
  mv "$cache.tmp" "$cache"
fi
go run "$govulncheck" -db "file://$cache" ./...
