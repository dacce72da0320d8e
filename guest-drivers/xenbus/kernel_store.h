/*
 * kernel_store.h: the guest kernel's use of xenbus (kernel_store.c): connect
 * to xenstore at boot, announce ourselves, and obey control/shutdown.
 * Kernel-only (it includes the kernel's headers); the xenbus library itself
 * (xenbus.h) is not.
 */
#ifndef GUEST_KERNEL_STORE_H
#define GUEST_KERNEL_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct xenbus;

/*
 * Connect to the store ring at guest frame `gfn` with event channel `port`
 * (start_info's store_mfn and store_evtchn; gfn 0 means no xenstore). Reads
 * our name, writes data/kernel, and watches control/shutdown. Boot only,
 * before any process runs. Returns true when connected.
 */
bool store_init(uint64_t gfn, uint32_t port);

/* The connection, or NULL when there is none. */
struct xenbus *store_bus(void);

/*
 * Run pending watch callbacks (a shutdown request powers off or reboots from
 * here and does not return). Call it from a kernel idle loop.
 */
void store_poll(void);

/* workload=xenstore: wait, idle, until control/shutdown asks us to go. */
void store_workload(void) __attribute__((noreturn));

#endif
