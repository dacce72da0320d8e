/*
 * abi.h: one ABI fact (a constant's value or a field's offset and size),
 * as recorded from Xen's headers and from ours. See abi_list.h.
 */
#ifndef TEST_ABI_H
#define TEST_ABI_H

#include <stddef.h>

struct abi_fact {
    const char *name;
    long long value;   /* the constant, or the field's offset */
    size_t size;       /* the field's size; 0 for constants */
};

extern const struct abi_fact abi_xen_ref[];
extern const size_t abi_xen_ref_count;

#define ABI_CONST(n) { #n, (long long)(n), 0 },
#define ABI_LAYOUT(s, f) { #s "." #f, (long long)offsetof(s, f), sizeof(((s *)0)->f) },

#endif
