/*
 * xl_mem.c: `xl mem-max dom SIZE` (the hypervisor's maximum reservation) and
 * `xl mem-set dom SIZE` (the balloon target, /local/domain/<id>/memory/target
 * in xenstore, which the guest's balloon driver follows). SIZE is KiB unless
 * it ends in b, k, m, g or t.
 * Invariant: a malformed SIZE changes nothing.
 */
#include "xl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstore.h"

static int size_args(int argc, char **argv, uint32_t *domid, int64_t *kib)
{
    if (argc != 3) {
        fprintf(stderr, "Usage: xl %s <Domain> <MemKB>\n", argv[0]);
        return -1;
    }
    *kib = libxl_parse_mem_size_kb(argv[2]);
    if (*kib < 0) {
        fprintf(stderr, "Error: Invalid memory size: %s\n", argv[2]);
        return -1;
    }
    *domid = xl_find_domain(argv[1]);
    return 0;
}

int main_memmax(int argc, char **argv)
{
    uint32_t domid;
    int64_t kib;

    if (size_args(argc, argv, &domid, &kib) < 0)
        return EXIT_FAILURE;
    if (xc_domain_setmaxmem(xl_xch(), domid, (uint64_t)kib) < 0) {
        fprintf(stderr, "cannot set domid %u static max memory to : %s\n", domid, argv[2]);
        return xl_fail("mem-max");
    }
    return EXIT_SUCCESS;
}

int main_memset(int argc, char **argv)
{
    struct xs_handle *xs;
    char path[64], value[32];
    uint32_t domid;
    int64_t kib;
    bool ok;

    if (size_args(argc, argv, &domid, &kib) < 0)
        return EXIT_FAILURE;
    xs = xs_open(0);
    if (!xs)
        return xl_fail("mem-set: cannot reach xenstored (the balloon target lives there)");
    snprintf(path, sizeof(path), "/local/domain/%u/memory/target", domid);
    snprintf(value, sizeof(value), "%lld", (long long)kib);
    ok = xs_write(xs, XBT_NULL, path, value, (unsigned)strlen(value));
    xs_close(xs);
    if (!ok)
        return xl_fail("mem-set: writing memory/target");
    return EXIT_SUCCESS;
}
