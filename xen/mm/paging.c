/*
 * paging.c: what both paging modes share: the crash-log line for a fault
 * that could not be resolved (paging_fault_reason).
 * Invariant: it only reads (the exit record and the p2m), so calling it
 * after a failed handler changes nothing.
 */
#include <errno.h>
#include <stdio.h>

#include "riscv/csr.h"
#include "umbra/domain.h"
#include "umbra/p2m.h"
#include "umbra/paging.h"

static const char *access_name(uint64_t cause)
{
    switch (cause) {
    case CAUSE_FETCH_GUEST_PAGE_FAULT:
    case CAUSE_FETCH_PAGE_FAULT:
        return "fetch";
    case CAUSE_LOAD_GUEST_PAGE_FAULT:
    case CAUSE_LOAD_PAGE_FAULT:
        return "load";
    case CAUSE_STORE_GUEST_PAGE_FAULT:
    case CAUSE_STORE_PAGE_FAULT:
        return "store";
    default:
        return "unexpected";
    }
}

static bool is_guest_page_fault(uint64_t cause)
{
    return cause == CAUSE_FETCH_GUEST_PAGE_FAULT || cause == CAUSE_LOAD_GUEST_PAGE_FAULT ||
           cause == CAUSE_STORE_GUEST_PAGE_FAULT;
}

/* Why the p2m refused: from the errno and the entry's type. */
static const char *p2m_reason(int rc, p2m_type_t t, char *buf, size_t len)
{
    switch (rc) {
    case -ENOMEM:
        return "out of memory populating on demand";
    case -EACCES:
        snprintf(buf, len, "write to %s", p2m_type_name(t));
        return buf;
    case -EFAULT:
        if (t == p2m_invalid)
            return "no RAM at this address (p2m entry invalid)";
        snprintf(buf, len, "p2m type %s cannot be accessed", p2m_type_name(t));
        return buf;
    default:
        snprintf(buf, len, "error %d (p2m type %s)", rc, p2m_type_name(t));
        return buf;
    }
}

const char *paging_fault_reason(struct domain *d, const struct hart_exit *ex, int rc,
                                char *buf, size_t len)
{
    char why[64];

    if (ex->kind == HART_EXIT_TRAP && is_guest_page_fault(ex->cause)) {
        paddr_t gpa = (ex->htval << 2) | (ex->tval & 3);
        p2m_type_t t = p2m_invalid;

        p2m_get_entry(&d->p2m, gaddr_to_gfn(gpa), &t, NULL);
        snprintf(buf, len, "%s guest-page fault at GPA %#llx (gva %#llx, pc %#llx): %s",
                 access_name(ex->cause), (unsigned long long)gpa, (unsigned long long)ex->tval,
                 (unsigned long long)ex->pc, p2m_reason(rc, t, why, sizeof(why)));
    } else {
        snprintf(buf, len, "%s fault (cause %llu) at gva %#llx, pc %#llx: error %d",
                 access_name(ex->cause), (unsigned long long)ex->cause,
                 (unsigned long long)ex->tval, (unsigned long long)ex->pc, rc);
    }
    return buf;
}
