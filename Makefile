# mod_nextauth: `make` builds, `make run` serves the demo, `make test` runs every layer.
APXS     ?= apxs
DEMO_USER ?= $(shell id -u >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && echo www-data || id -un)
DEMO_GROUP ?= $(shell [ "$$(id -u)" = 0 ] && echo www-data || id -gn)
UNIT_CFLAGS = -std=gnu11 -g -O1 -Wall -Wextra -Werror -Iinclude \
              $(shell pkg-config --cflags apr-1 apr-util-1 openssl libcurl jansson check)
UNIT_LIBS   = build/libnextauth.a \
              $(shell pkg-config --libs apr-1 apr-util-1 openssl libcurl jansson check)

all: module

module:
	@$(MAKE) --no-print-directory -f Makefile.apxs APXS=$(APXS) >build.log 2>&1 \
	    || { cat build.log; exit 1; }
	@echo "built build/mod_nextauth.so"

deps:
	scripts/install-deps.sh

# Foreground httpd on 127.0.0.1:8080 with conf/demo.conf; Ctrl-C stops it.
run: deps module
	scripts/run-demo.sh "$(DEMO_USER)" "$(DEMO_GROUP)"

# --- tests ---------------------------------------------------------------------------
UNIT_SRC := $(wildcard t/unit/*.c)

build/unit/run-tests: $(UNIT_SRC) $(wildcard t/unit/*.h) module
	@mkdir -p build/unit
	$(CC) $(UNIT_CFLAGS) -o $@ $(UNIT_SRC) $(UNIT_LIBS)

unit: build/unit/run-tests
	t/unit/check-registration.sh
	build/unit/run-tests

test-httpd: module
	t/run-httpd-tests.sh

test-browser: module
	t/browser/run.sh

test-interop: module
	t/interop/run.sh

test-oauth: module
	t/oauth/run.sh

check-drift:
	t/check-drift.sh

# libFuzzer targets (fuzz/, clang + ASan/UBSan): FUZZ_TIME seconds each; fuzz-ci replays
# every seed and regression input, then fuzzes each target FUZZ_CI_TIME seconds.
FUZZ_TIME    ?= 60
FUZZ_CI_TIME ?= 5
fuzz:
	@$(MAKE) --no-print-directory -f fuzz/Makefile lib
	@$(MAKE) --no-print-directory -f fuzz/Makefile run FUZZ_SECONDS=$(FUZZ_TIME)

fuzz-ci:
	@$(MAKE) --no-print-directory -f fuzz/Makefile lib
	@$(MAKE) --no-print-directory -f fuzz/Makefile replay
	@$(MAKE) --no-print-directory -f fuzz/Makefile run FUZZ_SECONDS=$(FUZZ_CI_TIME)

test: deps module check-drift unit fuzz-ci test-httpd test-browser test-interop test-oauth
	@echo "all test layers passed"

install: module
	scripts/install-module.sh "$(APXS)"

format:
	clang-format -i mod_nextauth.c src/*/*.c include/*.h t/unit/*.c

clean:
	@$(MAKE) --no-print-directory -f Makefile.apxs clean
	rm -rf t/logs t/htdocs/index.html build.log

.PHONY: all module deps run unit test-httpd test-browser test-interop test-oauth check-drift test \
        fuzz fuzz-ci \
        install format clean
