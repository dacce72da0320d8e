/*
 * channel_xenctrl.h: the guest channel over libxenctrl (foreign mapping and
 * eventfd-backed event channels through $XEN_RUN_DIR/privcmd). Only the
 * daemon itself links it; libxenstored.a stays free of libxenctrl so that its
 * unit tests, fuzz target and benchmark need no hypervisor.
 */
#ifndef XENSTORED_CHANNEL_XENCTRL_H
#define XENSTORED_CHANNEL_XENCTRL_H

#include "guest_channel.h"

/*
 * Open a channel to the hypervisor. NULL with errno set when it is not
 * reachable (then xenstored runs socket-only). The caller closes it with
 * xc_channel_close after every ring connection is gone.
 */
const struct xs_guest_channel *xc_channel_open(void);

/* Unbind and unmap whatever is left, then close the hypervisor handle. */
void xc_channel_close(const struct xs_guest_channel *ch);

#endif
