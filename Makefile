# The two commands a newcomer needs: `make run` and `make test`.
# Each installs the Debian packages it needs first (scripts/deps.sh).

.PHONY: run test build deps bench fuzz package screenshot vulncheck

# Build with Go 1.26.10 or later: the ngrok SDK warns at connect that
# earlier 1.26 releases trust certificates from compromised eMudhra CA keys.
# The go command fetches this toolchain from the module proxy on first use.
export GOTOOLCHAIN := go1.26.10

run: deps
	go run . $(ARGS)

test:
	scripts/test.sh

build: deps
	go build -o hookscope .

deps:
	scripts/deps.sh build

bench:
	go test -run '^$$' -bench . -benchtime 2s ./store/ ./receiver/

# The fuzzing engine on every fuzz target for FUZZTIME each (make fuzz
# FUZZTIME=2m); make test runs only their seed corpora.
FUZZTIME ?= 30s
fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

vulncheck:
	scripts/vulncheck.sh

screenshot:
	scripts/deps.sh test
	scripts/screenshot.sh dist/screenshot.png

package: deps
	go install fyne.io/tools/cmd/fyne@v1.7.4
	$$(go env GOPATH)/bin/fyne package -os linux -release
