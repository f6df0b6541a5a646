/* SPDX-License-Identifier: MIT */
/* align.c -- `reprint align A B` (placeholder while the library side lands). */
#include "cli.h"

int cmd_align(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("align: not yet");
    return EXIT_INTERNAL;
}
