/*
 * io/console.h: the PV console ring shared between a guest and dom0's
 * console backend (Xen's struct xencons_interface layout).
 * Indexes run free; use MASK_XENCONS_IDX to index the arrays.
 */
#ifndef UMBRA_PUBLIC_IO_CONSOLE_H
#define UMBRA_PUBLIC_IO_CONSOLE_H

#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
    char in[1024];
    char out[2048];
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
};

#endif
