/* SPDX-License-Identifier: MIT */
/* furniture.c -- placeholder (see furniture.h). */
#include "furniture.h"

int rpi_lines(const char *text, size_t len, const rpi_token *tok, size_t ntok, rpi_line **lines,
              size_t *nlines, size_t *cap)
{
    (void)text;
    (void)tok;
    (void)ntok;
    RP_TRY(rpi_grow((void **)lines, cap, 1, sizeof **lines));
    (*lines)[0] = (rpi_line){0, (uint32_t)len, 0, (uint32_t)ntok, 0};
    *nlines = 1;
    return RP_OK;
}

rpi_furn_kind rpi_furniture_line(const char *line, size_t n, size_t ntok)
{
    (void)line;
    (void)n;
    (void)ntok;
    return RPI_FURN_NONE;
}

const char *rpi_furn_name(rpi_furn_kind k)
{
    static const char *names[] = {"none", "pattern", "shape", "common", "source"};
    return (unsigned)k < 5 ? names[k] : "none";
}
