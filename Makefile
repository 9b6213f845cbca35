# Thin aliases. Everything needs cgo (duckdb-go) and the embedded browser assets.
export CGO_ENABLED := 1
GO      ?= go
BIN     := bin/lnvedash
DB      := data/lnvedash.duckdb
ADDR    ?= :8080
VENDOR  := assets/static/vendor
ASSETS  := $(VENDOR)/echarts.min.js $(VENDOR)/liaoning.json

.PHONY: all build run test e2e bench load abuse fault fuzz lint assets sample testdata clean

all: build

# Browser assets come from the npm registry, pinned by package-lock.json, and are embedded into the binary.
assets: $(ASSETS)
$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js
	cp node_modules/echarts-map/map/json/province/liaoning.json $(VENDOR)/liaoning.json
	touch $(ASSETS)

build: assets
	$(GO) build -o $(BIN) ./cmd/lnvedash

# Build, load the sample data into a fresh database, serve on http://localhost:8080.
run: build
	mkdir -p data
	./$(BIN) ingest --db $(DB) sample-data
	./$(BIN) round list --db $(DB) | grep -q 2022年上半年进展 || ./$(BIN) round add --db $(DB) --name 2022年上半年进展 --as-of 2022-06-30 --deadline 2022-07-15
	./$(BIN) ingest --db $(DB) sample-progress || test $$? -eq 3
	./$(BIN) serve --db $(DB) --addr $(ADDR)

# Every Go test (real DuckDB, real xlsx, real fiber app). Browser tests: make e2e.
test: assets
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# Browser tests: the real server in Debian's chromium (headless, chromedp); fail, not skip, without it.
# Screenshots of every page land in artifacts/e2e/.
e2e: build
	LNVEDASH_E2E=1 LNVEDASH_BIN=$(abspath $(BIN)) $(GO) test -count=1 ./e2e/

# Proof harness (docs/BENCHMARKS.md); none of it runs under make test. Corpora are generated on the
# fly into temp folders. Quick run: make bench BENCH_FILES=100 BENCH_COUNT=1
# Many units (a generated national roster, bench.NationalRoster; 66 = Liaoning's own) beside Liaoning's:
#   make bench BENCH_FILES=10000 BENCH_UNITS=66,2000 BENCH_RUN='Views|Pages'
BENCH_FILES ?= 1000,10000
BENCH_UNITS ?=
BENCH_RUN   ?= .
BENCH_COUNT ?= 3
BENCH_OUT   ?= artifacts/bench.txt
bench: SHELL := /bin/bash
bench: .SHELLFLAGS := -o pipefail -c
bench: build
	mkdir -p $(dir $(BENCH_OUT))
	LNVEDASH_BIN=$(abspath $(BIN)) LNVEDASH_BENCH_FILES=$(BENCH_FILES) LNVEDASH_BENCH_UNITS=$(BENCH_UNITS) $(GO) test -run '^$$' -bench '$(BENCH_RUN)' -benchtime 1x -count $(BENCH_COUNT) -timeout 4h ./bench/ | tee $(BENCH_OUT)
	$(GO) run ./bench/cmd/benchsum < $(BENCH_OUT)

# Loopback load test of lnvedash serve: 64 connections, 30 s per endpoint, zero failed requests.
LOAD_FILES ?= 1000
LOAD_ARGS  ?= -c 64 -d 30s
load: build
	mkdir -p artifacts
	$(GO) run ./loadtest/cmd/loadtest -bin $(BIN) -files $(LOAD_FILES) $(LOAD_ARGS) -json artifacts/load.json

# The probes of issue 16 against a real server on loopback, each bounded (docs/BENCHMARKS.md): floods of
# pages, unauthenticated uploads, token guessing, zip bombs, hostile SQL, names, Origin/Host. Exit 1 if
# any probe's check fails. ABUSE_ARGS="-c 300" for a lighter run.
ABUSE_ARGS ?=
abuse: build
	mkdir -p artifacts
	$(GO) run ./loadtest/cmd/abuse -bin $(BIN) -json artifacts/abuse.json $(ABUSE_ARGS)

# kill -9 of lnvedash ingest at random moments (seed printed; FAULT_SEED=n repeats it) and disk full.
FAULT_RUNS ?= 20
FAULT_SEED ?=
fault: build
	LNVEDASH_FAULT=1 LNVEDASH_BIN=$(abspath $(BIN)) LNVEDASH_FAULT_RUNS=$(FAULT_RUNS) LNVEDASH_FAULT_SEED=$(FAULT_SEED) $(GO) test -count=1 -v -timeout 1h ./faulttest/

# Each ingest fuzz target for FUZZTIME (go test -fuzz takes one target per run). New crashers land in
# ingest/testdata/fuzz/<Target>/ and then run as regression cases under make test.
FUZZTIME ?= 30s
FUZZ_TARGETS ?= FuzzParseDue FuzzParseQuantities FuzzMatchTask FuzzReadWorkbook FuzzFastTokens
fuzz: assets
	@failed=""; for t in $(FUZZ_TARGETS); do \
		echo "== $$t ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) ./ingest/ || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz failed:$$failed"; exit 1; fi

# The committed fixtures written by other tools than excelize: the ingest corpus (openpyxl, LibreOffice,
# hand-built OOXML), the template rows 40–45 and the own-layout progress return (openpyxl). make test
# only reads them; regenerating needs python3-openpyxl and libreoffice-calc-nogui.
PYTHON ?= /usr/bin/python3
testdata:
	$(PYTHON) ingest/testdata/corpus/gen.py
	cd ingest/missingpage && $(PYTHON) make_rows40.py
	cd progressbook/testdata && $(PYTHON) make_own_layout.py

sample: build
	./$(BIN) sample -o sample-data --progress sample-progress

lint: assets
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

clean:
	rm -rf bin data/lnvedash.duckdb* node_modules $(VENDOR)
