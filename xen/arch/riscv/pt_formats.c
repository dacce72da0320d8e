/*
 * pt_formats.c: the table of page-table formats described in riscv/pte.h.
 * Invariant: entries are indexed by enum pt_format_id.
 */
#include "riscv/pte.h"

const struct pt_format pt_formats[4] = {
    [PT_SV39]   = { PT_SV39,   "Sv39",   3, 39, 9 },
    [PT_SV48]   = { PT_SV48,   "Sv48",   4, 48, 9 },
    [PT_SV39X4] = { PT_SV39X4, "Sv39x4", 3, 41, 11 },
    [PT_SV48X4] = { PT_SV48X4, "Sv48x4", 4, 50, 11 },
};
