/*
 * cost_model.c: the one table of cost-model constants (docs/cost-model.md
 * gives the published source of each default and what it stands for).
 * Invariant: nothing else in Umbra hard-codes a cycle cost.
 */
#include "riscv/hart.h"

const struct cost_model cost_model_default = {
    .cpi_milli = 1000,       /* 1.0 cycle per instruction: an in-order pipeline */
    .walk_ref_cycles = 40,   /* one page-walk reference served by L2/LLC */
    .exit_cycles = 1000,     /* one VM exit + entry round trip */
    .hyp_ref_cycles = 10,    /* one hypervisor handler memory reference (L1/L2) */
};
