# Crumbless. A newcomer needs two commands: `make run` and `make test`.
#
#   make run         build the collector and serve the demo on http://localhost:8080
#   make test        everything CI runs: fresh-build check of sdk/dist, vet, all tests
#                    (installs TinyGo and Chromium first when they are missing)
#   make dist        rebuild the loader and the tracker module into sdk/dist
#   make fuzz        run every fuzz target for FUZZTIME each
#   make bench       tag weight and collector throughput, into bench/RESULTS.md figures
#
# Pins worth knowing (see RATIONALE.md): fasthttp v1.73.0 (v1.74+ needs a module the
# Go proxy refuses), medama-io/go-useragent v1.1.0 (newer versions refused), TinyGo
# v0.41.1 on Debian's LLVM 19 (wasm/toolchain/install-tinygo.sh).

GO       ?= go
BIN      := bin/crumbless
FUZZTIME ?= 20s

.PHONY: build run test dist check-dist vet node fuzz bench clean

build:
	$(GO) build -o $(BIN) ./collector/cmd/crumbless

run: build
	./$(BIN) serve -demo

# The tracker module and the minified loader, from source.
dist:
	wasm/toolchain/build-tracker.sh sdk/dist/tracker.wasm
	wasm/toolchain/build-mouse.sh sdk/dist/mouse.wasm
	$(GO) run ./sdk/cmd/distbuild -out sdk/dist

# A fresh build must match the committed bytes: what `go install` users get is what the source says.
check-dist:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	wasm/toolchain/build-tracker.sh "$$tmp/tracker.wasm" && \
	wasm/toolchain/build-mouse.sh "$$tmp/mouse.wasm" && \
	$(GO) run ./sdk/cmd/distbuild -out "$$tmp" && \
	for f in tracker.wasm crumbless.js banner.js mouse.js mouse.wasm; do \
		cmp -s "sdk/dist/$$f" "$$tmp/$$f" || { echo "sdk/dist/$$f differs from a fresh build: run 'make dist' and commit it" >&2; exit 1; }; \
	done && echo "sdk/dist matches a fresh build"

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	[ -z "$$unformatted" ] || { echo "gofmt needed: $$unformatted" >&2; exit 1; }
	$(GO) vet ./...

# Node runs the loader's unit tests and DuckDB's reader check; Debian's packages are enough.
node:
	@command -v node >/dev/null && command -v npm >/dev/null || { echo "installing Debian's nodejs for the loader tests" >&2; \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }

test: check-dist vet node
	CRUMBLESS_CHROMIUM="$$(wasm/e2e/install-chromium.sh)" CRUMBLESS_DUCKDB="$$(internal/duckdb/install-duckdb.sh)" \
		$(GO) test -count=1 ./...

fuzz:
	$(GO) test ./collector/channel -run '^$$' -fuzz '^FuzzClassify$$' -fuzztime $(FUZZTIME)
	$(GO) test ./collector/clientip -run '^$$' -fuzz '^FuzzResolve$$' -fuzztime $(FUZZTIME)
	$(GO) test ./collector -run '^$$' -fuzz '^FuzzParseConfig$$' -fuzztime $(FUZZTIME)
	$(GO) test ./collector/heatmap -run '^$$' -fuzz '^FuzzAggregatorAdd$$' -fuzztime $(FUZZTIME)
	$(GO) test ./collector/heatmap -run '^$$' -fuzz '^FuzzCells$$' -fuzztime $(FUZZTIME)
	$(GO) test ./collector/ingest -run '^$$' -fuzz '^FuzzHandle$$' -fuzztime $(FUZZTIME)
	$(GO) test ./collector/record -run '^$$' -fuzz '^FuzzCheckLine$$' -fuzztime $(FUZZTIME)
	$(GO) test ./collector/region -run '^$$' -fuzz '^FuzzCodes$$' -fuzztime $(FUZZTIME)
	$(GO) test ./collector/sink/kafkasink -run '^$$' -fuzz '^FuzzScanRow$$' -fuzztime $(FUZZTIME)
	$(GO) test ./collector/site -run '^$$' -fuzz '^FuzzMatchPath$$' -fuzztime $(FUZZTIME)
	$(GO) test ./collector/site -run '^$$' -fuzz '^FuzzValidID$$' -fuzztime $(FUZZTIME)
	$(GO) test ./collector/site -run '^$$' -fuzz '^FuzzValidateOrigin$$' -fuzztime $(FUZZTIME)
	$(GO) test ./consent -run '^$$' -fuzz '^FuzzParseChoice$$' -fuzztime $(FUZZTIME)
	$(GO) test ./consent -run '^$$' -fuzz '^FuzzParsePolicy$$' -fuzztime $(FUZZTIME)
	$(GO) test ./consent -run '^$$' -fuzz '^FuzzParseRegion$$' -fuzztime $(FUZZTIME)
	$(GO) test ./consent -run '^$$' -fuzz '^FuzzParseSignals$$' -fuzztime $(FUZZTIME)
	$(GO) test ./consent/gpp -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME)
	$(GO) test ./consent/tcf -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME)
	$(GO) test ./mouse -run '^$$' -fuzz '^FuzzBot$$' -fuzztime $(FUZZTIME)
	$(GO) test ./mouse -run '^$$' -fuzz '^FuzzDetector$$' -fuzztime $(FUZZTIME)
	$(GO) test ./mouse -run '^$$' -fuzz '^FuzzHeatmap$$' -fuzztime $(FUZZTIME)
	$(GO) test ./sdk/scrub -run '^$$' -fuzz '^FuzzAppend$$' -fuzztime $(FUZZTIME)
	$(GO) test ./sdk/wire -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./sdk/wire -run '^$$' -fuzz '^FuzzAppendMinimalString$$' -fuzztime $(FUZZTIME)
	$(GO) test ./wasm/core -run '^$$' -fuzz '^FuzzFeed$$' -fuzztime $(FUZZTIME)

bench: build
	bench/tagweight.sh
	bench/throughput.sh

clean:
	rm -rf bin
