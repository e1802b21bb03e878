# mod_nextauth: `make` builds, `make run` serves the demo, `make test` runs every layer.
APXS     ?= apxs
DEMO_USER ?= $(shell id -u >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && echo www-data || id -un)
DEMO_GROUP ?= $(shell [ "$$(id -u)" = 0 ] && echo www-data || id -gn)
UNIT_CFLAGS = -std=gnu11 -g -O1 -Wall -Wextra -Werror -Iinclude \
              $(shell pkg-config --cflags apr-1 apr-util-1 openssl libcurl jansson check sqlite3)
UNIT_LIBS   = build/libnextauth.a \
              $(shell pkg-config --libs apr-1 apr-util-1 openssl libcurl jansson check sqlite3) -lunistring

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

# The core library alone: plain cc and pkg-config, no apxs and no httpd headers, so the
# unit tests build on a machine without apache2-dev (and prove the core needs no httpd).
core:
	@mkdir -p build
	@$(MAKE) --no-print-directory -f Makefile.apxs build/libnextauth.a >build/core.log 2>&1 \
	    || { cat build/core.log; exit 1; }

build/unit/run-tests: $(UNIT_SRC) $(wildcard t/unit/*.h) core
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

test-email: module
	t/email/run.sh

test-db: module
	t/db/run.sh

test-limit: module
	t/limit/run.sh

test-tokens: module
	t/tokens/run.sh

test-revoke: module
	t/revoke/run.sh

# Builds the Debian package in a scratch copy, installs, enables, checks and purges it
# (root; puts the system apache2 back as it was).
test-deb:
	t/deb/run.sh

check-drift:
	t/check-drift.sh

# Benchmark side by side with no auth, mod_auth_openidc and next-auth on Next.js (not in `make
# test`: it needs the network for npm ci in bench/nextjs). bench/run.sh explains the knobs.
bench: module
	bench/run.sh

# 100k requests mixing every route and the protected file, valid and forged cookies, against
# the event MPM: no 5xx, no crash, children's RSS flat (bench/loadtest.mjs explains the knobs).
# Its verdict logic is tested first on planted failures.
loadtest: module
	node --test bench/loadtest.test.mjs
	node bench/loadtest.mjs

# The Apache::Test suite against an ASan+UBSan build of the module (build/asan/), and
# under valgrind with httpd -X; both fail on any report (t/run-asan-tests.sh,
# t/run-valgrind-tests.sh).
ASAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

module-asan:
	@mkdir -p build/asan
	@$(MAKE) --no-print-directory -f Makefile.apxs APXS=$(APXS) OUT=build/asan \
	    SAN="$(ASAN_FLAGS)" build/asan/mod_nextauth.so >build/asan/build.log 2>&1 \
	    || { cat build/asan/build.log; exit 1; }
	@echo "built build/asan/mod_nextauth.so"

# The unit tests too, against build/asan/libnextauth.a, with leak detection on.
build/asan/unit/run-tests: $(UNIT_SRC) $(wildcard t/unit/*.h) module-asan
	@mkdir -p build/asan/unit
	$(CC) $(UNIT_CFLAGS) $(ASAN_FLAGS) -o $@ $(UNIT_SRC) \
	    $(subst build/libnextauth.a,build/asan/libnextauth.a,$(UNIT_LIBS))

test-asan: module-asan build/asan/unit/run-tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 build/asan/unit/run-tests
	t/run-asan-tests.sh
	# The token layer's paths (records, memo, refresh lock, 20 MB answers) are not in t/.
	NA_MODULE=$(CURDIR)/build/asan/mod_nextauth.so NA_HTTPD=$(CURDIR)/build/asan/apache2-asan \
	    t/tokens/run.sh
	# The revocation layer's paths (back-channel logout, bearer tokens, Redis down).
	NA_MODULE=$(CURDIR)/build/asan/mod_nextauth.so NA_HTTPD=$(CURDIR)/build/asan/apache2-asan \
	    t/revoke/run.sh

test-valgrind: module
	t/run-valgrind-tests.sh

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

test: deps module check-drift unit fuzz-ci test-httpd test-browser test-interop test-oauth \
        test-email test-db test-limit test-tokens test-revoke test-deb loadtest test-asan test-valgrind
	@echo "all test layers passed"

install: module
	scripts/install-module.sh "$(APXS)"

format:
	clang-format -i mod_nextauth.c src/*/*.c include/*.h t/unit/*.c t/unit/*.h

clean:
	@$(MAKE) --no-print-directory -f Makefile.apxs clean
	rm -rf t/logs t/htdocs/index.html build.log


.PHONY: all module core deps run unit test-httpd test-browser test-interop test-oauth test-email \
        test-db test-limit test-tokens test-revoke test-deb module-asan test-asan test-valgrind fuzz fuzz-ci check-drift test \
        install format clean bench loadtest
