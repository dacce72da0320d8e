/*
 * evtchn.h: event channels, 2-level ABI. Pending and mask bitmaps live in
 * shared_info; the hypervisor raises the VS external interrupt when it sets
 * vcpu_info.evtchn_upcall_pending, and the upcall dispatches each pending,
 * unmasked port to the handler bound to it.
 * Invariant: a port's pending bit is cleared before its handler runs, so an
 * event that arrives during the handler is seen by the next scan.
 */
#ifndef KERNEL_EVTCHN_H
#define KERNEL_EVTCHN_H

#include <stdint.h>

#include "public/event_channel.h"

struct shared_info;

typedef void (*evtchn_handler_t)(evtchn_port_t port, void *arg);

void evtchn_init(struct shared_info *si);
/* Runs on the VS external interrupt. */
void evtchn_upcall(void);

/* Installs a handler and unmasks the port. -EINVAL for a port out of range. */
int evtchn_bind_handler(evtchn_port_t port, evtchn_handler_t fn, void *arg);
void evtchn_unbind_handler(evtchn_port_t port);

/* Hypercall wrappers; each returns a port (>= 0) or a negative Xen errno. */
long evtchn_bind_virq(uint32_t virq);
long evtchn_alloc_unbound(domid_t remote);
long evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port);
long evtchn_send(evtchn_port_t port);
long evtchn_close(evtchn_port_t port);

/* Events delivered to handlers so far (all ports). */
extern uint64_t evtchn_delivered;

#endif
