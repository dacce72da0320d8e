/*
 * xenbus_priv.h: private to the xenbus library (xenbus*.c): the string
 * routines it needs, from the guest's freestanding library or, when the unit
 * tests build it for the host, from the C library; and the ring layer's
 * entry points (xenbus_ring.c).
 */
#ifndef GUEST_XENBUS_PRIV_H
#define GUEST_XENBUS_PRIV_H

#include "xenbus.h"

#if __STDC_HOSTED__
#include <string.h>
#else
#include "guest/string.h"
#endif

/*
 * Copy len bytes into req[], waiting (and taking replies meanwhile) while the
 * ring is full; notifies after each chunk. 0, or -XENBUS_EIO when xenstored
 * has flagged the ring as broken.
 */
int xenbus_ring_write(struct xenbus *xb, const void *data, uint32_t len);

/*
 * Take every whole message available in rsp[]: replies go to xb->reply,
 * watch events to the event queue. Notifies xenstored when bytes were taken.
 * Returns -XENBUS_EIO when the ring is broken (bad index or error flagged).
 */
int xenbus_ring_pump(struct xenbus *xb);

#endif
