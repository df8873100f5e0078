# rawan — the two commands a new machine needs are `make run` and `make test`.
# Everything they need is installed here; nothing by hand.

CARGO ?= cargo
RAWAN := target/release/rawan
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test deps build sample bench bench-large qgis-check fmt lint clean

## Run the main job on data-sample/ and write charts, tables, layers and report to notebooks-out/.
run: build
	$(RAWAN) run data-sample/job.toml --out notebooks-out

## The whole test suite: unit, doc and end-to-end tests (GDAL's ogrinfo is the independent
## reader of the layers, headless Chromium the browser of map.html). In the release profile:
## the dependencies `make run` built serve again (polars and SQLite are not compiled twice),
## and the end-to-end tests run the binary a user runs.
test: deps
	$(CARGO) test --release --workspace --all-targets
	$(CARGO) test --release --workspace --doc

## System tools the tests use: GDAL's ogrinfo (Debian's gdal-bin) reads the layers; Chromium
## (Debian's chromium, headless, software WebGL) opens map.html; python3 drives it.
deps:
	@command -v ogrinfo >/dev/null 2>&1 || { \
	  echo "installing gdal-bin (ogrinfo) for the layer tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gdal-bin >/dev/null; }
	@{ command -v chromium >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; } || { \
	  echo "installing chromium and python3 for the map page test"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium python3 >/dev/null; }

build:
	$(CARGO) build --release --bin rawan

## Regenerate the committed sample (deterministic: the sample test checks it is unchanged).
sample: build
	$(RAWAN) synth --out data-sample

## National-scale benchmark against the peer pipeline (docs/performance.md).
bench: build
	bash bench/run.sh

bench-large: build
	BENCH_LARGE=1 bash bench/run.sh

## Open the sample run's layers, styles and project in real QGIS (headless; installs qgis, ~1 GB).
qgis-check: run
	@command -v qgis >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq qgis python3-qgis >/dev/null; }
	QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis/check_qgis.py notebooks-out

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

clean:
	$(CARGO) clean
