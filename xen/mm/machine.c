/*
 * machine.c: machine memory. One memfd of the configured size, mapped once;
 * MFN m lives at host pointer base + (m << 12) - MACHINE_BASE, and the frame
 * table holds one struct page_info per frame.
 *
 * Invariants: machine memory exists between a successful mm_init() and
 * mm_fini(); its size is a multiple of 2 MiB; the mapping never moves, so
 * host pointers to frames stay valid for that whole time. mm_init/mm_fini
 * are not thread-safe: call them before starting pCPU threads and after
 * joining them.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mm-private.h"
#include "umbra/bug.h"

struct machine machine = { .fd = -1, .first_mfn = MACHINE_BASE >> PAGE_SHIFT };

#define SUPERPAGE_BYTES (2ULL << 20)

/*
 * Create machine memory of `bytes` (a non-zero multiple of 2 MiB, at most
 * the address space above MACHINE_BASE that 44-bit PPNs reach). Every frame
 * starts free and zero. Returns 0, -EINVAL, -EBUSY (already created), or
 * the -errno of memfd_create/ftruncate/mmap/allocation.
 */
int mm_init(uint64_t bytes)
{
    int rc = 0;

    if (machine.fd >= 0)
        return -EBUSY;
    if (bytes == 0 || bytes % SUPERPAGE_BYTES || bytes > (1ULL << 40))
        return -EINVAL;

    machine.fd = memfd_create("umbra-machine-memory", MFD_CLOEXEC);
    if (machine.fd < 0)
        return -errno;
    if (ftruncate(machine.fd, (off_t)bytes) < 0) {
        rc = -errno;
        goto out;
    }
    machine.base = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, machine.fd, 0);
    if (machine.base == MAP_FAILED) {
        machine.base = NULL;
        rc = -errno;
        goto out;
    }
    machine.bytes = bytes;
    machine.nr_frames = bytes >> PAGE_SHIFT;
    machine.frames = calloc(machine.nr_frames, sizeof(*machine.frames));
    if (!machine.frames) {
        rc = -ENOMEM;
        goto out;
    }
    rc = page_alloc_init(machine.nr_frames);
out:
    if (rc < 0)
        mm_fini();
    return rc;
}

/* Destroy machine memory. Every host pointer into it becomes invalid. */
void mm_fini(void)
{
    page_alloc_fini();
    free(machine.frames);
    machine.frames = NULL;
    if (machine.base)
        munmap(machine.base, machine.bytes);
    machine.base = NULL;
    if (machine.fd >= 0)
        close(machine.fd);
    machine.fd = -1;
    machine.bytes = 0;
    machine.nr_frames = 0;
}

int mm_memfd(void)
{
    return machine.fd;
}

uint64_t mm_total_frames(void)
{
    return machine.nr_frames;
}

uint8_t *mm_base(void)
{
    return machine.base;
}

uint64_t mm_bytes(void)
{
    return machine.bytes;
}

bool mfn_valid(mfn_t mfn)
{
    return mfn_x(mfn) >= machine.first_mfn &&
           mfn_x(mfn) - machine.first_mfn < machine.nr_frames;
}

void *mfn_to_virt(mfn_t mfn)
{
    BUG_ON(!mfn_valid(mfn));
    return machine.base + (mfn_index(mfn) << PAGE_SHIFT);
}

struct page_info *mfn_to_page(mfn_t mfn)
{
    BUG_ON(!mfn_valid(mfn));
    return &machine.frames[mfn_index(mfn)];
}

bool maddr_valid(maddr_t ma)
{
    return maddr_x(ma) >= MACHINE_BASE && maddr_x(ma) - MACHINE_BASE < machine.bytes;
}

void *maddr_to_virt(maddr_t ma)
{
    BUG_ON(!maddr_valid(ma));
    return machine.base + (maddr_x(ma) - MACHINE_BASE);
}
