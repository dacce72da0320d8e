/*
 * evtchn.c: the event-channel upcall and the port bindings (see evtchn.h).
 * Cost: an upcall scans only the words its selector names, O(ports pending).
 */
#include "evtchn.h"
#include "hypercall.h"
#include "kernel.h"
#include "riscv.h"

#define MAX_HANDLERS 64        /* ports the kernel binds handlers to */

static struct shared_info *shared;
static struct {
    evtchn_handler_t fn;
    void *arg;
} handlers[MAX_HANDLERS];
static uint64_t spurious_run;
uint64_t evtchn_delivered;

void evtchn_init(struct shared_info *si)
{
    shared = si;
    /* Start with every port masked; binding unmasks. */
    for (int i = 0; i < 64; i++)
        __atomic_store_n(&si->evtchn_mask[i], ~0UL, __ATOMIC_SEQ_CST);
    si->vcpu_info[0].evtchn_upcall_mask = 0;
}

int evtchn_bind_handler(evtchn_port_t port, evtchn_handler_t fn, void *arg)
{
    if (port >= MAX_HANDLERS)
        return -EINVAL;
    handlers[port].fn = fn;
    handlers[port].arg = arg;
    __atomic_fetch_and(&shared->evtchn_mask[port / 64], ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
    /* An event that arrived while masked is pending now: Xen's unmask re-raises it. */
    if (shared->evtchn_pending[port / 64] & (1UL << (port % 64))) {
        struct evtchn_unmask u = { .port = port };
        HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &u);
    }
    return 0;
}

void evtchn_unbind_handler(evtchn_port_t port)
{
    if (port >= MAX_HANDLERS)
        return;
    __atomic_fetch_or(&shared->evtchn_mask[port / 64], 1UL << (port % 64), __ATOMIC_SEQ_CST);
    handlers[port].fn = 0;
}

static void dispatch(evtchn_port_t port)
{
    if (port < MAX_HANDLERS && handlers[port].fn) {
        evtchn_delivered++;
        handlers[port].fn(port, handlers[port].arg);
    } else {
        /* Nobody listens: mask it so it cannot keep interrupting. */
        __atomic_fetch_or(&shared->evtchn_mask[port / 64], 1UL << (port % 64), __ATOMIC_SEQ_CST);
    }
}

void evtchn_upcall(void)
{
    struct vcpu_info *vi = &shared->vcpu_info[0];
    int found = 0;

    /*
     * upcall_pending is cleared with a plain byte store, as Linux does: a
     * read-modify-write of its word could undo a concurrent write by the
     * hypervisor to the bytes beside it. The hypervisor sets pending bits and
     * the selector before upcall_pending, so the scan below sees every event
     * whose flag this store may overwrite.
     */
    while (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
        uint64_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned w = (unsigned)__builtin_ctzl(sel);
            sel &= sel - 1;
            uint64_t bits;
            while ((bits = shared->evtchn_pending[w] & ~shared->evtchn_mask[w]) != 0) {
                unsigned b = (unsigned)__builtin_ctzl(bits);
                __atomic_fetch_and(&shared->evtchn_pending[w], ~(1UL << b), __ATOMIC_SEQ_CST);
                found++;
                dispatch(w * 64 + b);
            }
        }
    }
    /*
     * The hypervisor recomputes the VS external interrupt line from
     * upcall_pending only when it enters the guest, so the line is still
     * raised now: one cheap hypercall makes it look again. If the line stays
     * raised with nothing to deliver, stop instead of looping forever.
     */
    HYPERVISOR_xen_version(XENVER_version, 0);
    spurious_run = found ? 0 : spurious_run + 1;
    if (spurious_run > 100000)
        panic("evtchn_upcall: external interrupt stuck with no event pending");
}

long evtchn_bind_virq(uint32_t virq)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = 0 };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

    return rc < 0 ? rc : (long)op.port;
}

long evtchn_alloc_unbound(domid_t remote)
{
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    return rc < 0 ? rc : (long)op.port;
}

long evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port)
{
    struct evtchn_bind_interdomain op = { .remote_dom = remote, .remote_port = remote_port };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

    return rc < 0 ? rc : (long)op.local_port;
}

long evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

long evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
}
