# Thin aliases. Everything needs cgo (duckdb-go) and the embedded browser assets.
export CGO_ENABLED := 1
GO      ?= go
BIN     := bin/lnvedash
DB      := data/lnvedash.duckdb
ADDR    ?= :8080
VENDOR  := dashboard/static/vendor
ASSETS  := $(VENDOR)/echarts.min.js $(VENDOR)/liaoning.json

.PHONY: all build run test e2e bench fuzz lint assets sample clean

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
	./$(BIN) serve --db $(DB) --addr $(ADDR)

# Every Go test (real DuckDB, real xlsx, real fiber app). Browser tests: make e2e.
test: assets
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# Browser tests: the real server in Debian's chromium (headless, chromedp); fail, not skip, without it.
# Screenshots of every page land in artifacts/e2e/.
e2e: assets
	LNVEDASH_E2E=1 $(GO) test -count=1 ./e2e/

sample: build
	./$(BIN) sample -o sample-data

lint: assets
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

clean:
	rm -rf bin data/lnvedash.duckdb* node_modules $(VENDOR)
