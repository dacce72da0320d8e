/*
 * sbi.c: the SBI subset beside the Xen hypercalls, so that a plain SBI guest
 * can start: BASE (probe), TIME (set_timer), SRST (system reset: shutdown
 * or reboot) and DBCN (debug console write, into the domain's console
 * buffer). Errors are SBI's (a0), values go to a1.
 */
#include <string.h>

#include "public/sched.h"
#include "umbra/console.h"
#include "umbra/guest_access.h"
#include "umbra/sched.h"
#include "umbra/traps.h"
#include "umbra/vcpu.h"
#include "public/version.h"

#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434E

#define SBI_SUCCESS              0
#define SBI_ERR_FAILED          (-1)
#define SBI_ERR_NOT_SUPPORTED   (-2)
#define SBI_ERR_INVALID_PARAM   (-3)
#define SBI_ERR_INVALID_ADDRESS (-5)

#define SBI_SPEC_VERSION (2U << 24)   /* 2.0 */
#define SBI_IMPL_ID      0x554D      /* "UM": not a registered id */

static bool sbi_probe(uint64_t eid)
{
    return eid == SBI_EXT_BASE || eid == SBI_EXT_TIME || eid == SBI_EXT_SRST ||
           eid == SBI_EXT_DBCN;
}

static long sbi_base(uint64_t fid, const uint64_t a[6], uint64_t *val)
{
    switch (fid) {
    case 0: *val = SBI_SPEC_VERSION; return SBI_SUCCESS;
    case 1: *val = SBI_IMPL_ID; return SBI_SUCCESS;
    case 2: *val = (UMBRA_XEN_MAJOR << 16) | UMBRA_XEN_MINOR; return SBI_SUCCESS;
    case 3: *val = sbi_probe(a[0]); return SBI_SUCCESS;
    case 4: case 5: case 6: *val = 0; return SBI_SUCCESS;
    default: return SBI_ERR_NOT_SUPPORTED;
    }
}

static long sbi_srst(struct vcpu *v, uint64_t fid, const uint64_t a[6])
{
    if (fid != 0)
        return SBI_ERR_NOT_SUPPORTED;
    if (a[0] > 2 || a[1] > 1)
        return SBI_ERR_INVALID_PARAM;
    /* type 0 shutdown, 1 cold / 2 warm reboot; reason 1 = system failure */
    domain_shutdown(v->domain, a[1] == 1 ? SHUTDOWN_crash
                               : a[0] == 0 ? SHUTDOWN_poweroff : SHUTDOWN_reboot);
    return SBI_SUCCESS;
}

/* DBCN write: a0 bytes at guest-physical a1 (low) / a2 (high). */
static long sbi_dbcn(struct vcpu *v, uint64_t fid, const uint64_t a[6], uint64_t *val)
{
    char buf[256];
    uint64_t gpa = a[1];   /* on RV64 the address fits a1; a2 (high bits) must be 0 */

    if (fid == 2) {
        char c = (char)a[0];

        dom_console_write(v->domain->console, &c, 1);
        return SBI_SUCCESS;
    }
    if (fid != 0)
        return SBI_ERR_NOT_SUPPORTED;
    if (a[2] != 0)
        return SBI_ERR_INVALID_ADDRESS;
    if (a[0] > sizeof(buf))
        *val = sizeof(buf);   /* a partial write, as SBI allows */
    else
        *val = a[0];
    if (copy_from_guest_phys(v->domain, buf, gpa, (size_t)*val,
                             &hart_counters_mut(v->hart)->hyp_refs))
        return SBI_ERR_INVALID_ADDRESS;
    dom_console_write(v->domain->console, buf, (size_t)*val);
    return SBI_SUCCESS;
}

void do_sbi_call(struct vcpu *v, uint64_t eid, uint64_t fid, const uint64_t a[6],
                 uint64_t *a0, uint64_t *a1)
{
    uint64_t val = 0;
    long err;

    switch (eid) {
    case SBI_EXT_BASE:
        err = sbi_base(fid, a, &val);
        break;
    case SBI_EXT_TIME:
        if (fid != 0) {
            err = SBI_ERR_NOT_SUPPORTED;
            break;
        }
        /* stime_value is in time-CSR ticks, as the guest reads them */
        vcpu_set_sbi_timer(v, a[0] >= UINT64_MAX / NS_PER_TICK ? 0 : a[0] * NS_PER_TICK);
        if (v->sbi_deadline && v->sbi_deadline <= sched_now()) {
            v->sbi_deadline = 0;
            v->vstip = true;
        }
        vcpu_update_irqs(v);   /* our own hart: the exit is handled on its thread */
        err = SBI_SUCCESS;
        break;
    case SBI_EXT_SRST:
        err = sbi_srst(v, fid, a);
        break;
    case SBI_EXT_DBCN:
        err = sbi_dbcn(v, fid, a, &val);
        break;
    default:
        err = SBI_ERR_NOT_SUPPORTED;
        break;
    }
    *a0 = (uint64_t)err;
    *a1 = val;
}
