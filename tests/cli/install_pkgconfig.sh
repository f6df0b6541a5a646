# SPDX-License-Identifier: MIT
# make install puts the tool and its service (reprint serve runs the installed
# reprint-serve), the static and the shared library (versioned soname),
# the header, a pkg-config file and the man page under PREFIX; a small C program
# builds against the installed files with `pkg-config --cflags --libs reprint`,
# links the shared library by its soname, and scans the seeds through the API.
ROOT=$(cd "$DATA/../.." && pwd)
ln -s "$SEEDS" seeds
# The make running the tests passes its variables (a sanitizer build's BUILD and
# flags) to sub-makes through the environment: install the plain build.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$ROOT" install PREFIX="$PWD/inst" > make.log 2>&1
echo "make install: exit $?"
(cd inst && find . -type f -o -type l | sort | sed 's/[0-9]*\.[0-9]*\.[0-9]*$/X.Y.Z/')
inst/bin/reprint serve --help > serve-help.txt
echo "installed reprint serve --help: exit $?, $(head -1 serve-help.txt)"
export PKG_CONFIG_PATH="$PWD/inst/lib/pkgconfig"
echo "pkg-config: $(pkg-config --modversion reprint), cflags $(pkg-config --cflags reprint | sed "s|$PWD|PREFIX|g")"
cat > prog.c <<'C'
#include <stdio.h>
#include <reprint.h>

int main(int argc, char **argv)
{
    rp_options o;
    rp_options_init(&o);
    o.threads = 1;
    rp_corpus *c = NULL;
    int rc = rp_corpus_open(&c, &o);
    for (int i = 1; rc == RP_OK && i < argc; i++)
        rc = rp_corpus_add_input(c, argv[i]);
    if (rc == RP_OK)
        rc = rp_corpus_run(c);
    if (rc != RP_OK) {
        fprintf(stderr, "%s\n", rp_errmsg(c));
        return 1;
    }
    printf("reprint %s: %zu documents, %zu pairs, %zu stories, %zu timelines\n", rp_version(),
           rp_corpus_ndocs(c), rp_corpus_npairs(c), rp_corpus_nstories(c),
           rp_corpus_ntimelines(c));
    rp_corpus_close(c);
    return 0;
}
C
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror -o prog prog.c $(pkg-config --cflags --libs reprint)
echo "cc: exit $?"
readelf -d prog | grep -o 'NEEDED.*libreprint[^]]*]' | sed 's/.*\[//; s/\]//'
LD_LIBRARY_PATH="$PWD/inst/lib" ./prog seeds/0*.txt
echo "prog: exit $?"
