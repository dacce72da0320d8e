/*
 * access.c: the counted accessors to machine memory.
 *
 * Every 64-bit access that a hypervisor handler makes to machine memory on
 * a vCPU's behalf (page-table walks, PTE updates, emulation) goes through
 * mm_read64/mm_write64/mm_cmpxchg64 and adds one to *refs (normally the
 * vCPU's hart_counters.hyp_refs), which is how handler work enters the cost
 * model. Accesses are atomic (the hart may walk the same tables from
 * another pCPU thread): acquire loads, release stores, seq-cst CAS.
 * Invariant: the address is 8-byte aligned inside machine memory; anything
 * else is a bug in the caller and panics.
 * Also here: the host-write hook (mm.h), through which bulk writes that
 * xen/mm makes behind the harts' backs are reported.
 */
#include "mm-private.h"
#include "umbra/bug.h"

static uint64_t *ma_ptr(maddr_t ma, const char *who)
{
    if ((maddr_x(ma) & 7) || !maddr_valid(ma))
        panic("%s: bad machine address %#llx", who, (unsigned long long)maddr_x(ma));
    return (uint64_t *)(void *)(machine.base + (maddr_x(ma) - MACHINE_BASE));
}

uint64_t mm_read64(maddr_t ma, uint64_t *refs)
{
    if (refs)
        (*refs)++;
    return __atomic_load_n(ma_ptr(ma, __func__), __ATOMIC_ACQUIRE);
}

void mm_write64(maddr_t ma, uint64_t val, uint64_t *refs)
{
    if (refs)
        (*refs)++;
    __atomic_store_n(ma_ptr(ma, __func__), val, __ATOMIC_RELEASE);
}

bool mm_cmpxchg64(maddr_t ma, uint64_t expect, uint64_t val, uint64_t *refs)
{
    if (refs)
        (*refs)++;
    return __atomic_compare_exchange_n(ma_ptr(ma, __func__), &expect, val, false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static void (*host_write_hook)(maddr_t ma, uint64_t len);

void mm_set_host_write_hook(void (*hook)(maddr_t ma, uint64_t len))
{
    host_write_hook = hook;
}

void mm_host_wrote(maddr_t ma, uint64_t len)
{
    if (host_write_hook)
        host_write_hook(ma, len);
}
