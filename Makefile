# warta — build, test, install.  `make help` lists the targets.
#
# Two commands take a fresh Debian machine to a running warta: `make demo`
# and `make check`. Both first run contrib/deps.sh, which installs what is
# missing (as root) or prints the apt-get line to run.

VERSION   = 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man
DATADIR   = $(PREFIX)/share

CC       ?= cc
PKGS      = libcurl libxml-2.0 sqlite3
OPT      ?= -O2 -g
WARN      = -Wall -Wextra
# pkg-config may not exist until deps.sh has run, so these are expanded
# late, when a recipe needs them (recursive '=' on purpose).
# libcurl is not linked: src/curlload.c loads it when a command first
# uses it (its thirty libraries were most of every command's start-up).
# Nor is libxml2, for the same reason: src/xmlload.c (ICU and the C++
# runtime came with it).
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs sqlite3) -lstemmer -ldl -lm -lpthread
# The unit tests read warta's output with libxml2 itself, linked.
TEST_LIBS  = $(shell pkg-config --libs libxml-2.0)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(OPT) $(PKG_CFLAGS) $(CFLAGS)
SANFLAGS   = -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined

SRC      = $(wildcard src/*.c)
TSRC     = $(wildcard tests/unit/*.c)
OBJ      = $(SRC:src/%.c=build/obj/%.o)
TOBJ     = $(TSRC:tests/unit/%.c=build/obj/unit/%.o)
AOBJ     = $(SRC:src/%.c=build/asan/%.o)
ATOBJ    = $(TSRC:tests/unit/%.c=build/asan/unit/%.o)
DEPSOK   = build/deps-build.ok

PYTHON  ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)

.PHONY: all demo check test unit cases asan conformance bench warnings \
        install uninstall clean deps deps-check help fuzz reliability

all: warta

help:
	@echo "make            build ./warta"
	@echo "make demo       build, then archive and search the bundled feeds offline"
	@echo "make check      build and run the whole test suite (also under ASan+UBSan)"
	@echo "make conformance score 'warta parse' on ../shared's feedparser corpus"
	@echo "make bench      benchmarks (prints what was measured, against what)"
	@echo "make fuzz       each libFuzzer target FUZZ_SECONDS (60) seconds"
	@echo "make reliability  hostile/crash/concurrency figures, then make fuzz"
	@echo "make install    PREFIX=$(PREFIX) DESTDIR=... binary, man page, completions"
	@echo "make clean      remove build products"

$(DEPSOK): contrib/deps.sh
	@sh contrib/deps.sh build
	@mkdir -p build && touch $@

build/deps-check.ok: contrib/deps.sh
	@sh contrib/deps.sh check
	@mkdir -p build && touch $@

deps: $(DEPSOK)
deps-check: build/deps-check.ok

warta: $(OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(PKG_LIBS)

build/obj/%.o: src/%.c | $(DEPSOK)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

build/obj/unit/%.o: tests/unit/%.c | $(DEPSOK)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -MMD -MP -c $< -o $@

# The unit tests link the modules, not the commands (main.c and cmd_*.c,
# which use main.c's CLI helpers): commands are tested through the binary.
build/unit-tests: $(filter-out build/obj/main.o build/obj/cmd_%.o,$(OBJ)) $(TOBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)

# The same program and tests under AddressSanitizer + UBSan.
build/asan/%.o: src/%.c | $(DEPSOK)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SANFLAGS) -MMD -MP -c $< -o $@

build/asan/unit/%.o: tests/unit/%.c | $(DEPSOK)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SANFLAGS) -Isrc -MMD -MP -c $< -o $@

build/asan/warta: $(AOBJ)
	$(CC) $(ALL_CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $(AOBJ) $(PKG_LIBS)

build/asan/unit-tests: $(filter-out build/asan/main.o build/asan/cmd_%.o,$(AOBJ)) $(ATOBJ)
	$(CC) $(ALL_CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)

asan: build/asan/warta build/asan/unit-tests

# libFuzzer targets (tests/fuzz/fuzz_*.c) over the modules built with
# clang, ASan and UBSan; `make fuzz` runs each FUZZ_SECONDS seconds on its
# corpus (build/fuzz/corpus/, seeded from tests/fixtures/) and fails on a
# crash, leaving the reproducer in build/fuzz/crashes/. FUZZ_RUNS=ci (what
# .ci/run does): a fixed number of inputs a target instead, the same work
# on any machine, FUZZ_SECONDS then only a cap (tests/fuzz/run.sh).
FUZZ_SECONDS ?= 60
FUZZ_CC   ?= clang
FUZZ_SAN   = -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined
FOBJ       = $(filter-out build/fuzz/obj/main.o build/fuzz/obj/cmd_%.o,\
             $(SRC:src/%.c=build/fuzz/obj/%.o))
FUZZ_BINS  = $(patsubst tests/fuzz/fuzz_%.c,build/fuzz/fuzz_%,\
             $(wildcard tests/fuzz/fuzz_*.c))

build/fuzz/obj/%.o: src/%.c | $(DEPSOK)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

# Kept, not removed as intermediates: make's "rm build/fuzz/obj/…" line
# would otherwise come after .ci/run's "N passed, N failed", its last line.
.SECONDARY: $(FOBJ)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/xss_oracle.h $(FOBJ)
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -Isrc -o $@ $< $(FOBJ) $(PKG_LIBS)

# The figures of README's "Reliability" section, measured again.
reliability: warta build/deps-check.ok
	@PYTHON=$(PYTHON) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/reliability.sh

fuzz: build/deps-check.ok $(FUZZ_BINS)
	@PYTHON=$(PYTHON) SHARED=$(SHARED) FUZZ_ADD_SUMMARY=$(FUZZ_ADD_SUMMARY) FUZZ_SEED=$(FUZZ_SEED) FUZZ_RUNS=$(FUZZ_RUNS) sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

demo: warta
	@sh contrib/demo.sh ./warta

# The whole suite: unit tests and cases, plain and under the sanitizers,
# warning-free builds with gcc and clang; the last line sums it all up.
# VALGRIND=1: once under valgrind instead (tests/check.sh says how).
VALGRIND ?= 0
check: build/deps-check.ok warta build/unit-tests asan
	@PYTHON=$(PYTHON) VALGRIND=$(VALGRIND) sh tests/check.sh

test: check

unit: build/unit-tests
	./build/unit-tests

cases: warta build/deps-check.ok
	$(PYTHON) tests/harness.py --warta ./warta $(CASES)

SHARED ?= ../shared
conformance: warta
	@if [ -d "$(SHARED)/conformance/feedparser" ] && [ -f "$(SHARED)/tools/fpconf.py" ]; then \
		$(PYTHON) $(SHARED)/tools/fpconf.py --cmd "./warta parse" \
			--corpus $(SHARED)/conformance/feedparser --only-supported $(FPFLAGS); \
		echo "--- the whole corpus, supported or not:"; \
		$(PYTHON) $(SHARED)/tools/fpconf.py --cmd "./warta parse" \
			--corpus $(SHARED)/conformance/feedparser | tail -n 1; \
	else \
		echo "conformance: skipped, $(SHARED)/conformance/feedparser is not here"; \
	fi

bench: warta build/deps-check.ok
	@PYTHON=$(PYTHON) sh tests/bench/run.sh ./warta $(BENCH)

# make install PREFIX=/usr DESTDIR=/tmp/pkg: every path below is where
# contrib/warta.1's FILES section says (tests/docs/t_install.sh checks).
# The systemd units and the crontab go under share/warta/ as examples,
# their paths rewritten to this PREFIX; copy them to /etc to use them.
WARTADIR  = $(DATADIR)/warta
BASHCOMPDIR = $(DATADIR)/bash-completion/completions
ZSHCOMPDIR  = $(DATADIR)/zsh/site-functions
SUBST = sed -e 's|/usr/local/bin/warta|$(BINDIR)/warta|g' \
            -e 's|/usr/local/share/warta|$(WARTADIR)|g'

install: warta
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(WARTADIR)/systemd
	install -m 755 warta $(DESTDIR)$(BINDIR)/warta
	install -m 644 contrib/warta.1 $(DESTDIR)$(MANDIR)/man1/warta.1
	install -m 644 contrib/completion/warta.bash $(DESTDIR)$(BASHCOMPDIR)/warta
	install -m 644 contrib/completion/_warta $(DESTDIR)$(ZSHCOMPDIR)/_warta
	install -m 644 feeds/municipal.opml $(DESTDIR)$(WARTADIR)/municipal.opml
	$(SUBST) contrib/warta-publish > $(DESTDIR)$(WARTADIR)/warta-publish
	chmod 755 $(DESTDIR)$(WARTADIR)/warta-publish
	$(SUBST) contrib/crontab > $(DESTDIR)$(WARTADIR)/crontab
	for u in warta-fetch.service warta-fetch.timer; do \
		$(SUBST) contrib/systemd/$$u > $(DESTDIR)$(WARTADIR)/systemd/$$u; done
	chmod 644 $(DESTDIR)$(WARTADIR)/crontab $(DESTDIR)$(WARTADIR)/systemd/*

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/warta $(DESTDIR)$(MANDIR)/man1/warta.1 \
		$(DESTDIR)$(BASHCOMPDIR)/warta $(DESTDIR)$(ZSHCOMPDIR)/_warta \
		$(DESTDIR)$(WARTADIR)/municipal.opml \
		$(DESTDIR)$(WARTADIR)/warta-publish $(DESTDIR)$(WARTADIR)/crontab \
		$(DESTDIR)$(WARTADIR)/systemd/warta-fetch.service \
		$(DESTDIR)$(WARTADIR)/systemd/warta-fetch.timer
	rmdir $(DESTDIR)$(WARTADIR)/systemd $(DESTDIR)$(WARTADIR) 2>/dev/null || true

clean:
	rm -rf build warta

-include $(OBJ:.o=.d) $(TOBJ:.o=.d) $(AOBJ:.o=.d) $(ATOBJ:.o=.d) $(FOBJ:.o=.d)
