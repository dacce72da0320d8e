/*
 * xenbus.h: the guest's xenstore client over its ring page and event channel
 * (start_info's store_mfn and store_evtchn), as Linux's xenbus is.
 *
 * The library is freestanding (it needs only memcpy/memset/strlen/memcmp) and
 * knows nothing of the kernel: the kernel hands it the mapped ring page and
 * two hooks, `notify` (send on the store event channel) and `wait` (block
 * until an event may have arrived: the kernel's idle with a short timer), so
 * the same code also runs on the host against the real xenstored in the unit
 * tests.
 *
 * Model: one request in flight at a time. A request is written to req[],
 * then the caller polls rsp[] (between waits) until the reply with its
 * req_id arrives. Watch events that arrive meanwhile are queued (bounded;
 * overflow is counted in `events_dropped`) and handed to their callbacks
 * only by xenbus_dispatch(), never from inside a request, so a callback may
 * itself make requests.
 * Invariants: single-threaded (the guest kernel runs with interrupts off);
 * `busy` is set exactly while a request is in flight, and a request made
 * while busy (from an interrupt) fails with -EBUSY instead of interleaving.
 * Errors are negative Xen errno values (Xen's numbers are Linux's).
 */
#ifndef GUEST_XENBUS_H
#define GUEST_XENBUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "public/io/xs_wire.h"

#define XENBUS_MAX_WATCHES 16
#define XENBUS_WATCH_PATH_MAX 256
#define XENBUS_EVENT_QUEUE 8
#define XENBUS_EVENT_MAX 512        /* "path\0token\0" bytes kept per queued event */

/* Xen's errno numbers (Linux's), as the wire's error names map to them. */
#define XENBUS_EPERM 1
#define XENBUS_ENOENT 2
#define XENBUS_EIO 5
#define XENBUS_E2BIG 7
#define XENBUS_EAGAIN 11
#define XENBUS_ENOMEM 12
#define XENBUS_EACCES 13
#define XENBUS_EBUSY 16
#define XENBUS_EEXIST 17
#define XENBUS_EISDIR 21
#define XENBUS_EINVAL 22
#define XENBUS_ENOSPC 28
#define XENBUS_EROFS 30
#define XENBUS_ENOSYS 38
#define XENBUS_ENOTEMPTY 39
#define XENBUS_EISCONN 106

#define XENBUS_TX_NONE 0u           /* outside any transaction (XBT_NULL) */

struct xenbus;

/* A watch callback: `path` is the node that changed (as the watch named it:
 * relative watches get relative paths). */
typedef void (*xenbus_watch_fn)(struct xenbus *xb, const char *path, void *arg);

struct xenbus_ops {
    void *arg;
    void (*notify)(void *arg);      /* send on the store event channel */
    void (*wait)(void *arg);        /* block until something may have changed */
};

struct xenbus_watch {
    bool used;
    char path[XENBUS_WATCH_PATH_MAX];
    xenbus_watch_fn fn;
    void *arg;
};

struct xenbus_event {
    uint32_t len;
    char body[XENBUS_EVENT_MAX];
};

struct xenbus {
    volatile struct xenstore_domain_interface *intf;
    struct xenbus_ops ops;
    uint32_t next_req_id;
    bool busy, dispatching;
    /* The incoming message being assembled from rsp[]. */
    struct xsd_sockmsg in_hdr;
    uint32_t in_got;                /* header and body bytes received so far */
    char in_body[XENSTORE_PAYLOAD_MAX + 1];
    /* The reply to the request in flight, once it has arrived. */
    uint32_t wait_req_id;
    bool reply_ready;
    struct xsd_sockmsg reply_hdr;
    char reply[XENSTORE_PAYLOAD_MAX + 1];
    /* Watch events waiting for xenbus_dispatch (a ring buffer). */
    struct xenbus_event events[XENBUS_EVENT_QUEUE];
    unsigned ev_head, ev_count;
    struct xenbus_event cur;        /* the event whose callback is running */
    uint64_t events_dropped, events_delivered;
    struct xenbus_watch watches[XENBUS_MAX_WATCHES];
};

/* Attach to a mapped ring page. The page must stay mapped while xb is used. */
void xenbus_init(struct xenbus *xb, void *ring_page, const struct xenbus_ops *ops);

/*
 * Read `path` into buf (NUL-terminated). Returns the value's length, or
 * -errno (-XENBUS_E2BIG when it does not fit in size - 1 bytes).
 */
int xenbus_read(struct xenbus *xb, uint32_t tx, const char *path, char *buf, size_t size);
/* Write `value` (no NUL inside) to path, creating missing parents. 0 or -errno. */
int xenbus_write(struct xenbus *xb, uint32_t tx, const char *path, const char *value);
int xenbus_mkdir(struct xenbus *xb, uint32_t tx, const char *path);
int xenbus_rm(struct xenbus *xb, uint32_t tx, const char *path);
/*
 * List path's children into buf as NUL-separated names. Returns the number
 * of names, or -errno (-XENBUS_E2BIG when the listing does not fit).
 */
int xenbus_directory(struct xenbus *xb, uint32_t tx, const char *path, char *buf, size_t size);

/*
 * Watch path (and everything below it). fn runs from xenbus_dispatch, once at
 * once (as every new watch fires) and then on each change. Returns a watch id
 * (>= 0) for xenbus_unwatch, or -errno (-XENBUS_ENOSPC: no free slot).
 */
int xenbus_watch(struct xenbus *xb, const char *path, xenbus_watch_fn fn, void *arg);
int xenbus_unwatch(struct xenbus *xb, int id);

/* Start a transaction: its id in *tx. 0 or -errno. */
int xenbus_transaction_start(struct xenbus *xb, uint32_t *tx);
/* Commit (or abort, commit == false). -XENBUS_EAGAIN: a conflict, retry it all. */
int xenbus_transaction_end(struct xenbus *xb, uint32_t tx, bool commit);

/*
 * Take whatever xenstored has sent and run the callbacks of queued watch
 * events. Returns the number of callbacks run. Does nothing (returns 0) when
 * called from inside a request or a callback.
 */
int xenbus_dispatch(struct xenbus *xb);

/* Are watch events waiting for xenbus_dispatch (after taking the ring's bytes)? */
bool xenbus_events_pending(struct xenbus *xb);

/* The errno number of a wire error name ("ENOENT"), XENBUS_EIO if unknown. */
int xenbus_errno(const char *name);

#endif
