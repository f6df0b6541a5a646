/* SPDX-License-Identifier: MIT */
/*
 * serve_main.c -- entry point of reprint-serve, the HTTP service that
 * `reprint serve` runs (main.c execs it with the same arguments).
 *
 * The service is a program of its own because libmicrohttpd brings GnuTLS
 * and its dependencies (p11-kit, nettle, gmp, tasn1, unistring), whose
 * loading and initialisation took 4.1 ms of every start of reprint
 * (a program linked with libmicrohttpd and nothing else: 6.9 ms against 2.7
 * ms, 50 runs, 2026-12-04): a tenth of a fast scan of 20,000 news articles,
 * and most of a `reprint query` of one document.
 */
#include "cli.h"

int main(int argc, char **argv)
{
    return cmd_serve(argc - 1, argv + 1);
}
