/*
 * event.h: event channels, Xen's 2-level ABI (evtchn.c).
 *
 * Each domain has a table of ports (port 0 is never allocated). A guest's
 * pending and mask bits live in its shared_info; dom0 has no shared_info:
 * a dom0 port belongs to one privcmd connection and is signalled by writing
 * its eventfd. All functions need xen_lock.
 */
#ifndef UMBRA_EVENT_H
#define UMBRA_EVENT_H

#include <stdint.h>

#include "public/event_channel.h"
#include "umbra/domain.h"

#define EVTCHN_MAX_PORTS 4096   /* 64 words x 64 bits in shared_info */

struct evtchn {
    uint8_t state;              /* EVTCHNSTAT_* */
    uint8_t dom0_pending;       /* dom0 ports: signalled since last read */
    uint16_t notify_vcpu;
    uint32_t virq;              /* EVTCHNSTAT_virq */
    domid_t remote_dom;         /* unbound: who may bind; interdomain: the peer */
    uint32_t remote_port;       /* interdomain */
    void *owner;                /* dom0 ports: the privcmd connection */
    int efd;                    /* dom0 ports: eventfd, -1 if none */
};

int evtchn_init(struct domain *d);
/* Free the table (ports must be closed: evtchn_close_all). */
void evtchn_destroy(struct domain *d);
/* Close every port of d (interdomain peers become unbound, as in Xen). */
void evtchn_close_all(struct domain *d);
/* Close every dom0 port owned by a privcmd connection. */
void evtchn_close_owned(void *owner);

/* The EVTCHNOP_* operations. d is the caller's domain, already resolved.
 * Return 0 or a negative errno; ports through the structs, as Xen. */
int evtchn_alloc_unbound(struct domain *d, struct evtchn_alloc_unbound *a);
int evtchn_bind_interdomain(struct domain *d, struct evtchn_bind_interdomain *b);
int evtchn_bind_virq(struct domain *d, struct evtchn_bind_virq *b);
int evtchn_bind_ipi(struct domain *d, struct evtchn_bind_ipi *b);
int evtchn_close(struct domain *d, evtchn_port_t port);
int evtchn_send(struct domain *d, evtchn_port_t port);
int evtchn_status(struct domain *d, struct evtchn_status *s);
int evtchn_unmask(struct domain *d, evtchn_port_t port);
/* Bind a global VIRQ (VIRQ_DOM_EXC) to a new dom0 port. Returns the port or -errno. */
int evtchn_bind_dom0_virq(uint32_t virq);
/* Hand a dom0 port to a privcmd connection with its eventfd (taken over). */
int evtchn_dom0_attach(evtchn_port_t port, void *owner, int efd);
/* Is the port a valid dom0 port owned by owner? */
bool evtchn_dom0_owned(evtchn_port_t port, void *owner);

/* Raise a VIRQ on a vCPU (no-op if unbound); on dom0's ports (VIRQ_DOM_EXC). */
void evtchn_send_virq(struct vcpu *v, unsigned virq);
void evtchn_send_dom0_virq(unsigned virq);
/* Is port pending in d (for SCHEDOP_poll)? */
bool evtchn_port_pending(struct domain *d, evtchn_port_t port);

#endif
