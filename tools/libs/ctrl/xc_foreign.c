/*
 * xc_foreign.c: mapping a guest's frames into a dom0 process.
 *
 * The hypervisor resolves each GFN to its MFN and takes a reference on the
 * frame (XEN_DOMCTL_umbra_map_foreign); the first answer on a handle carries
 * the machine-memory memfd (SCM_RIGHTS), and MFN m lives at memfd offset
 * (m << 12) - mm_base. The range is reserved with one PROT_NONE mapping and
 * each run of contiguous MFNs is mapped over it with MAP_FIXED.
 * Invariant: every reference taken is dropped by xc_unmap_foreign, or by the
 * hypervisor when the handle's connection closes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xc_private.h"

#define XC_PAGE_SIZE 4096UL

static int foreign_unref(xc_interface *xch, uint32_t domid, unsigned long gfn, unsigned long nr)
{
    for (unsigned long done = 0; done < nr;) {
        unsigned long n = nr - done < UMBRA_MAP_FOREIGN_MAX ? nr - done : UMBRA_MAP_FOREIGN_MAX;
        struct xen_domctl op;

        xc_domctl_init(&op, XEN_DOMCTL_umbra_unmap_foreign, domid);
        op.u.foreign.gfn = gfn + done;
        op.u.foreign.nr = (uint32_t)n;
        if (xc_domctl(xch, &op, NULL, 0, NULL, 0, NULL, NULL) < 0)
            return -1;
        done += n;
    }
    return 0;
}

/* Map the MFNs of one chunk over [addr, addr + n pages). */
static int map_runs(xc_interface *xch, char *addr, const uint64_t *mfns, unsigned long n, int prot)
{
    for (unsigned long i = 0; i < n;) {
        unsigned long j = i + 1;
        off_t off;

        while (j < n && mfns[j] == mfns[j - 1] + 1)
            j++;
        off = (off_t)((mfns[i] << 12) - xch->mm_base);
        if (mmap(addr + i * XC_PAGE_SIZE, (j - i) * XC_PAGE_SIZE, prot, MAP_SHARED | MAP_FIXED,
                 xch->memfd, off) == MAP_FAILED)
            return -1;
        i = j;
    }
    return 0;
}

void *xc_map_foreign_range(xc_interface *xch, uint32_t domid, int size, int prot,
                           unsigned long gfn)
{
    unsigned long nr = ((unsigned long)size + XC_PAGE_SIZE - 1) / XC_PAGE_SIZE, done = 0;
    uint64_t *mfns = NULL;
    char *addr;
    int e;

    if (size <= 0) {
        errno = EINVAL;
        return NULL;
    }
    addr = mmap(NULL, nr * XC_PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mfns = malloc(UMBRA_MAP_FOREIGN_MAX * sizeof(*mfns));
    if (addr == MAP_FAILED || !mfns)
        goto fail;
    while (done < nr) {
        unsigned long n = nr - done < UMBRA_MAP_FOREIGN_MAX ? nr - done : UMBRA_MAP_FOREIGN_MAX;
        struct xen_domctl op;
        size_t got = 0;
        int fd = -1;

        xc_domctl_init(&op, XEN_DOMCTL_umbra_map_foreign, domid);
        op.u.foreign.gfn = gfn + done;
        op.u.foreign.nr = (uint32_t)n;
        op.u.foreign.writable = (prot & PROT_WRITE) != 0;
        if (xc_domctl(xch, &op, NULL, 0, mfns, n * sizeof(*mfns), &got, &fd) < 0)
            goto fail;
        if (fd >= 0) {
            if (xch->memfd >= 0)
                close(xch->memfd);
            xch->memfd = fd;
        }
        xch->mm_base = op.u.foreign.mm_base;
        done += n;   /* referenced from here on: undone by foreign_unref on failure */
        if (got != n * sizeof(*mfns) || xch->memfd < 0) {
            errno = EPROTO;
            goto fail;
        }
        if (map_runs(xch, addr + (done - n) * XC_PAGE_SIZE, mfns, n, prot) < 0)
            goto fail;
    }
    free(mfns);
    return addr;
fail:
    e = errno;
    if (done)
        foreign_unref(xch, domid, gfn, done);
    if (addr != MAP_FAILED)
        munmap(addr, nr * XC_PAGE_SIZE);
    free(mfns);
    errno = e;
    return NULL;
}

int xc_unmap_foreign(xc_interface *xch, uint32_t domid, void *addr, int size, unsigned long gfn)
{
    unsigned long nr = ((unsigned long)size + XC_PAGE_SIZE - 1) / XC_PAGE_SIZE;

    if (size <= 0 || !addr) {
        errno = EINVAL;
        return -1;
    }
    munmap(addr, nr * XC_PAGE_SIZE);
    return foreign_unref(xch, domid, gfn, nr);
}
