/*
 * conn_ring.h: the guest ring transport (struct xenstore_domain_interface in
 * a page reached through guest_channel.h).
 */
#ifndef XENSTORED_CONN_RING_H
#define XENSTORED_CONN_RING_H

#include "guest_channel.h"
#include "xenstored.h"

/* Map dom's ring, bind its event channel, and add its connection. 0 or -errno. */
int ring_conn_create(struct xs_daemon *d, struct xs_domain *dom);

extern const struct xs_transport_ops ring_transport;

#endif
