/*
 * guest_channel.h: the hook through which xenstored reaches a guest.
 *
 * To serve a guest, xenstored must (1) map the guest's xenstore ring page,
 * named by the frame the toolstack passes in XS_INTRODUCE, and (2) bind an
 * interdomain event channel to the guest's port, so that it can wait for the
 * guest's notifications and send its own. Both are services of the dom0
 * hypercall channel (tools/libs/ctrl, foreign mapping and eventfd-backed event
 * channels), which lives outside xenstored. This header is the whole contract:
 * xenstored calls only these functions, and conn_ring.c implements the ring
 * protocol on whatever page map_ring returns.
 *
 * When the daemon has no channel (d->channel == NULL), XS_INTRODUCE still
 * records the domain (domid, gfn, port), marks it introduced and fires
 * @introduceDomain, but no ring connection is made; the log says so.
 *
 * With a hypervisor, the channel also reports domain exceptions, so that
 * xenstored notices, as Xen's does (domain_cleanup), a guest that shut down
 * (@releaseDomain fires) or died without being released (it is released).
 *
 * Invariants: a page returned by map_ring stays mapped until unmap_ring; the
 * fd returned by bind_evtchn becomes readable when the guest notifies and is
 * drained by ack; notify never blocks.
 */
#ifndef XENSTORED_GUEST_CHANNEL_H
#define XENSTORED_GUEST_CHANNEL_H

#include <stdint.h>

struct xs_guest_channel {
    void *opaque;
    /* Map one page of `domid` at guest frame `gfn`. NULL (errno set) on failure. */
    void *(*map_ring)(void *opaque, uint32_t domid, uint64_t gfn);
    void (*unmap_ring)(void *opaque, void *page);
    /*
     * Bind a local port to the guest's `remote_port`. Returns a pollable fd
     * (readable on a guest notification) and sets *local_port, or -1.
     */
    int (*bind_evtchn)(void *opaque, uint32_t domid, uint32_t remote_port,
                       uint32_t *local_port);
    /* Consume pending notifications on fd. */
    void (*ack)(void *opaque, int fd);
    void (*unbind_evtchn)(void *opaque, int fd, uint32_t local_port);
    /* Notify the guest on our bound port. */
    void (*notify)(void *opaque, uint32_t local_port);
    /*
     * Optional (NULL: not offered). A pollable fd that becomes readable when
     * some domain shut down, crashed or died (VIRQ_DOM_EXC), drained by
     * ack_exception; and the state of one domain, one of XS_DOMAIN_*.
     */
    int (*exception_fd)(void *opaque);
    void (*ack_exception)(void *opaque);
    int (*domain_state)(void *opaque, uint32_t domid);
    /*
     * Optional (NULL: use domain_state per domain): the states of the n
     * domains ids[] into states[], in one query of the hypervisor. 0, or -1
     * (the caller then falls back on domain_state).
     */
    int (*domain_states)(void *opaque, const uint32_t *ids, unsigned n, int *states);
};

#define XS_DOMAIN_RUNNING 0   /* exists and has not shut down */
#define XS_DOMAIN_SHUTDOWN 1  /* shut down or crashed, not yet destroyed */
#define XS_DOMAIN_GONE 2      /* dying or no longer exists */

#endif
