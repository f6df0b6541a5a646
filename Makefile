# reprint -- top-level Makefile (plain make, as Redis, zstd, xxHash and LMDB do).
# Override CC, OPT, MOREFLAGS on the command line, e.g. `make CC=clang`.

CC        ?= cc
OPT       ?= -O2 -g
MOREFLAGS ?=
WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wcast-qual -Wpointer-arith -Wformat=2 -Wvla -Wundef
SRCDIRS   := src/common src/io src/normalize src/shingle src/sketch src/align src/relate src/output src/corpus src/index
CPPFLAGS  += -Iinclude $(addprefix -I,$(SRCDIRS)) -D_POSIX_C_SOURCE=200809L
CFLAGS    += -std=c11 $(OPT) $(WARN) -fvisibility=hidden -pthread $(MOREFLAGS)
LDLIBS    := -lsqlite3 -lxxhash -lutf8proc -lz -lzstd -lm -pthread

BUILD     ?= build
LIB_SRC   := $(wildcard $(addsuffix /*.c,$(SRCDIRS)))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_SRC   := $(filter-out cli/mpi.c cli/mpi_transport.c,$(wildcard cli/*.c))
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
# reprint-serve (cli/serve_main.c says why it is a program of its own) and reprint
# share every CLI source but their entry points and the server.
SERVE_SRC := cli/serve.c cli/serve_main.c
CORE_OBJ  := $(filter-out $(BUILD)/cli/main.o $(SERVE_SRC:%.c=$(BUILD)/%.o),$(CLI_OBJ))
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC  := $(wildcard fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/replay_%)
LIBA      := $(BUILD)/libreprint.a
# The shared library: versioned from include/reprint.h, soname by the major version.
VERSION   := $(shell sed -n 's/^\#define RP_VERSION_STRING "\(.*\)"/\1/p' include/reprint.h)
MAJOR     := $(firstword $(subst ., ,$(VERSION)))
LIBSO     := $(BUILD)/libreprint.so.$(VERSION)
SONAME    := libreprint.so.$(MAJOR)
PREFIX    ?= /usr/local
LIBDIR    ?= $(PREFIX)/lib

.PHONY: all lib cli mpi mpicheck python test check clangcheck asan valgrind fuzz bench install clean

all: reprint reprint-serve lib reprint.1

# The man page is written by the tool from its option table (cli/options.c).
reprint.1: reprint
	./reprint manpage > $@.tmp && mv $@.tmp $@

lib: $(LIBA) $(LIBSO)
cli: reprint

# Library objects are position-independent: the same ones go into the static
# and the shared library (hidden visibility keeps internal calls direct).
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -MMD -MP -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LIBSO): $(LIB_OBJ)
	$(CC) $(CFLAGS) -shared -Wl,-soname,$(SONAME) -o $@ $^ $(LDLIBS)



# The CLI sees only include/reprint.h.
$(BUILD)/cli/%.o: cli/%.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) -Iinclude -D_POSIX_C_SOURCE=200809L $(CFLAGS) -MMD -MP -c $< -o $@

# The server (cli/serve.c) speaks HTTP with libmicrohttpd and JSON with jansson.
SERVE_LIBS := -lmicrohttpd -ljansson

reprint: $(BUILD)/cli/main.o $(CORE_OBJ) $(LIBA)
	$(CC) $(CFLAGS) -o $@ $(BUILD)/cli/main.o $(CORE_OBJ) $(LIBA) $(LDLIBS)

reprint-serve: $(SERVE_SRC:%.c=$(BUILD)/%.o) $(CORE_OBJ) $(LIBA)
	$(CC) $(CFLAGS) -o $@ $(SERVE_SRC:%.c=$(BUILD)/%.o) $(CORE_OBJ) $(LIBA) $(SERVE_LIBS) $(LDLIBS)

# reprint-mpi (README "Past one machine"): the CLI's sources compiled again with
# mpicc into $(BUILD)/mpi/, cli/mpi.c as the entry point instead of cli/main.c.
# Not part of `all`: MPI is optional.
MPICC     ?= mpicc
MPI_OBJ   := $(patsubst %.c,$(BUILD)/mpi/%.o,$(filter-out cli/main.c $(SERVE_SRC),$(CLI_SRC)) cli/mpi.c \
                                              cli/mpi_transport.c)

mpi: reprint-mpi
mpicheck:
	@command -v $(MPICC) >/dev/null 2>&1 || { echo "make mpi: $(MPICC) not found: install" \
	    "Open MPI (Debian: apt-get install libopenmpi-dev openmpi-bin) or set MPICC" >&2; exit 1; }

$(BUILD)/mpi/cli/%.o: cli/%.c | mpicheck
	@mkdir -p $(dir $@)
	@echo "MPICC $<"
	@$(MPICC) -Iinclude -D_POSIX_C_SOURCE=200809L $(CFLAGS) -MMD -MP -c $< -o $@

reprint-mpi: $(MPI_OBJ) $(LIBA) | mpicheck
	$(MPICC) $(CFLAGS) -o $@ $(MPI_OBJ) $(LIBA) $(LDLIBS)

# The Python module (python/, README "From Python"), built in place against the
# same static library as the CLI, for the interpreter PYTHON (Debian's, which
# has python3-pytest, when there is one). The library's symbols stay inside it.
PYTHON    ?= $(firstword $(wildcard /usr/bin/python3) python3)
PY_INC    := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null)
PY_EXT    := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))' 2>/dev/null)
PYMOD     := python/reprint/_reprint$(PY_EXT)

python: $(PYMOD)
$(PYMOD): python/reprint/_reprint.c include/reprint.h $(LIBA)
	$(CC) -Iinclude -isystem $(PY_INC) $(CFLAGS) -Wno-cast-function-type -fPIC -shared \
	    -o $@ $< $(LIBA) $(LDLIBS) -Wl,--exclude-libs,ALL

$(BUILD)/tests/%: tests/unit/%.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) -o $@ $< $(LIBA) -lcmocka $(LDLIBS)

$(BUILD)/fuzz/replay_%: fuzz/%.c fuzz/replay.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Ifuzz $(CFLAGS) -o $@ $< fuzz/replay.c $(LIBA) $(LDLIBS) -ljansson

# The MPI cases (tests/cli/mpi_*) run in test and check when mpicc and mpirun are
# installed: reprint-mpi is built first. Without them tests/run.sh skips them.
HAVE_MPI  := $(if $(shell command -v $(MPICC) 2>/dev/null),$(shell command -v mpirun 2>/dev/null))
TEST_MPI  := $(if $(HAVE_MPI),reprint-mpi)

# `make test`: unit tests, CLI tests, fuzz corpus replay, then the same under ASan+UBSan.
test: reprint reprint-serve $(UNIT_BIN) $(FUZZ_REPLAY) build/bench/gencorpus python $(TEST_MPI)
	@REPRINT_MPI=$(TEST_MPI) PYTHON=$(PYTHON) sh tests/run.sh $(BUILD) ./reprint
	@$(MAKE) --no-print-directory asan

# The whole tree must also build warning-free with clang.
clangcheck:
	@$(MAKE) --no-print-directory CC=clang BUILD=build-clang build-clang/libreprint.a \
	    $(CLI_OBJ:$(BUILD)/%=build-clang/%) $(UNIT_BIN:$(BUILD)/%=build-clang/%) \
	    $(FUZZ_REPLAY:$(BUILD)/%=build-clang/%)
	@clang -Iinclude -isystem $(PY_INC) -std=c11 $(WARN) -Wno-cast-function-type -fsyntax-only \
	    python/reprint/_reprint.c
	@if command -v $(MPICC) >/dev/null 2>&1; then OMPI_CC=clang MPICH_CC=clang $(MPICC) -Iinclude \
	    -D_POSIX_C_SOURCE=200809L -std=c11 $(WARN) -fsyntax-only -c cli/mpi.c cli/mpi_transport.c \
	    && OMPI_CC=clang MPICH_CC=clang $(MPICC) $(CPPFLAGS) -Icli -std=c11 $(WARN) -fsyntax-only \
	    -c bench/bench_mpi.c; fi

# Only the fast checks, without the sanitizer rebuild.
check: reprint reprint-serve $(UNIT_BIN) $(FUZZ_REPLAY) build/bench/gencorpus python $(TEST_MPI)
	@REPRINT_MPI=$(TEST_MPI) PYTHON=$(PYTHON) sh tests/run.sh $(BUILD) ./reprint

asan: build/bench/gencorpus
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" \
	    MOREFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    build-asan/reprint-asan build-asan/reprint-serve build-asan/unit build-asan/fuzzreplay \
	    build-asan/python/reprint/_reprint$(PY_EXT) $(TEST_MPI:%=build-asan/%-asan)
	@ASAN_OPTIONS=detect_leaks=1 PYTHON=$(PYTHON) PYTHON_DIR=build-asan/python \
	    REPRINT_MPI=$(TEST_MPI:%=build-asan/%-asan) \
	    PYTHON_PRELOAD="$$($(CC) -print-file-name=libasan.so):$$($(CC) -print-file-name=libubsan.so)" \
	    sh tests/run.sh build-asan build-asan/reprint-asan

# The Python module with the sanitizers, for the asan run: the interpreter is
# not instrumented, so tests/run.sh preloads the runtimes into it.
build-asan/python/reprint/_reprint$(PY_EXT): python/reprint/_reprint.c python/reprint/__init__.py \
                                            python/reprint/__init__.pyi include/reprint.h $(LIBA)
	@mkdir -p $(dir $@)
	cp python/reprint/__init__.py python/reprint/__init__.pyi $(dir $@)
	$(CC) -Iinclude -isystem $(PY_INC) $(CFLAGS) -Wno-cast-function-type -fPIC -shared \
	    -o $@ $< $(LIBA) $(LDLIBS)

build-asan/reprint-asan: $(BUILD)/cli/main.o $(CORE_OBJ) $(LIBA)
	$(CC) $(CFLAGS) -o $@ $(BUILD)/cli/main.o $(CORE_OBJ) $(LIBA) $(LDLIBS)

build-asan/reprint-serve: $(SERVE_SRC:%.c=$(BUILD)/%.o) $(CORE_OBJ) $(LIBA)
	$(CC) $(CFLAGS) -o $@ $(SERVE_SRC:%.c=$(BUILD)/%.o) $(CORE_OBJ) $(LIBA) $(SERVE_LIBS) $(LDLIBS)

# reprint-mpi with the sanitizers: the MPI cases run it with leaks unchecked
# (tests/cli/mpi_lib.inc: Open MPI does not free its own memory at exit).
build-asan/reprint-mpi-asan: $(MPI_OBJ) $(LIBA) | mpicheck
	$(MPICC) $(CFLAGS) -o $@ $(MPI_OBJ) $(LIBA) $(LDLIBS)

build-asan/unit: $(UNIT_BIN)
	@touch $@
build-asan/fuzzreplay: $(FUZZ_REPLAY)
	@touch $@

valgrind: reprint reprint-serve $(UNIT_BIN) $(FUZZ_REPLAY) build/bench/gencorpus
	@VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full --trace-children=yes" \
	    sh tests/run.sh $(BUILD) ./reprint

# libFuzzer targets (clang): make fuzz; then e.g. build-fuzz/fuzz/fuzz_jsonl /tmp/new fuzz/corpus/jsonl
LIB_FUZZING_ENGINE ?= -fsanitize=fuzzer
fuzz:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang OPT="-O1 -g" \
	    MOREFLAGS="-fsanitize=address,undefined -fsanitize=fuzzer-no-link" build-fuzz/libreprint.a
	@mkdir -p build-fuzz/fuzz
	for f in $(FUZZ_SRC); do \
	    clang $(CPPFLAGS) -std=c11 -O1 -g -fsanitize=address,undefined $(LIB_FUZZING_ENGINE) \
	        -o build-fuzz/fuzz/$$(basename $$f .c) $$f build-fuzz/libreprint.a $(LDLIBS) -ljansson \
	        || exit 1; \
	done

bench: $(LIBA) reprint build/bench/gencorpus build/bench/bench_scan build/bench/bench_passages \
       build/bench/bench_msrp build/bench/bench_report build/bench/bench_full \
       build/bench/bench_index $(if $(HAVE_MPI),build/bench/bench_mpi)
build/bench/bench_index: bench/bench_index.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O2 -o $@ $< $(LIBA) $(LDLIBS)
# bench_mpi (bench/bench_mpi.sh): an MPI program on the library's internals and
# reprint-mpi's transport; built by `make bench` when mpicc is installed.
build/bench/bench_mpi: bench/bench_mpi.c $(BUILD)/mpi/cli/mpi_transport.o $(LIBA) | mpicheck
	@mkdir -p $(dir $@)
	$(MPICC) $(CPPFLAGS) -Icli $(CFLAGS) -O2 -o $@ $< $(BUILD)/mpi/cli/mpi_transport.o $(LIBA) \
	    $(LDLIBS)
build/bench/bench_full: bench/bench_full.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O2 -o $@ $< $(LIBA) $(LDLIBS)
build/bench/bench_report: bench/bench_report.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O2 -o $@ $< $(LIBA) $(LDLIBS)
build/bench/bench_msrp: bench/bench_msrp.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O2 -o $@ $< $(LIBA) $(LDLIBS) -ljansson
build/bench/gencorpus: bench/gencorpus.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 $(WARN) -D_POSIX_C_SOURCE=200809L -o $@ $< -ljansson
build/bench/bench_scan: bench/bench_scan.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O2 -o $@ $< $(LIBA) $(LDLIBS)
# bench_passages drives ./reprint (the CLI), so it needs neither the library nor its headers.
build/bench/bench_passages: bench/bench_passages.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 $(WARN) -D_POSIX_C_SOURCE=200809L -o $@ $< -ljansson

# The pkg-config file names PREFIX: written by each install.
install: reprint reprint-serve $(LIBA) $(LIBSO) reprint.1
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 reprint reprint-serve $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(LIBA) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIBSO) $(DESTDIR)$(LIBDIR)/
	ln -sf libreprint.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libreprint.so
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$${prefix}/include' '' \
	    'Name: reprint' 'Description: finds reused text in document collections' \
	    'Version: $(VERSION)' 'Libs: -L$${libdir} -lreprint' \
	    'Libs.private: $(LDLIBS)' 'Cflags: -I$${includedir}' \
	    > $(DESTDIR)$(LIBDIR)/pkgconfig/reprint.pc
	install -m 644 include/reprint.h $(DESTDIR)$(PREFIX)/include/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 reprint.1 $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build build-asan build-fuzz build-clang reprint reprint-serve reprint-mpi reprint.1

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(MPI_OBJ:.o=.d)
