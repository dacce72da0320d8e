/*
 * xs_wire.h: the xenstore wire protocol, shared by xenstored, its clients and
 * the guests' xenbus drivers.
 *
 * Every number here is part of Xen's ABI (Xen 4.17, docs/misc/xenstore.txt):
 * message types, the 16-byte message header, the error names sent on the
 * wire, the payload and path limits, and the layout of the guest's ring page.
 * Invariants:
 *   - only <stdint.h>-level types, so freestanding guest code can include it;
 *   - struct xenstore_domain_interface is exactly one ring page prefix, with
 *     req at 0, rsp at 1024 and the u32 fields at offsets 2048..2072;
 *   - the error table (host-only helper) lists the names in Xen's order.
 */
#ifndef PUBLIC_IO_XS_WIRE_H
#define PUBLIC_IO_XS_WIRE_H

#include <stdint.h>

/* Message types (xsd_sockmsg.type). 20 was XS_RESTRICT, now removed. */
enum xsd_sockmsg_type {
    XS_CONTROL = 0,
    XS_DIRECTORY = 1,
    XS_READ = 2,
    XS_GET_PERMS = 3,
    XS_WATCH = 4,
    XS_UNWATCH = 5,
    XS_TRANSACTION_START = 6,
    XS_TRANSACTION_END = 7,
    XS_INTRODUCE = 8,
    XS_RELEASE = 9,
    XS_GET_DOMAIN_PATH = 10,
    XS_WRITE = 11,
    XS_MKDIR = 12,
    XS_RM = 13,
    XS_SET_PERMS = 14,
    XS_WATCH_EVENT = 15,
    XS_ERROR = 16,
    XS_IS_DOMAIN_INTRODUCED = 17,
    XS_RESUME = 18,
    XS_SET_TARGET = 19,
    XS_RESET_WATCHES = 21,
    XS_DIRECTORY_PART = 22,
    XS_TYPE_COUNT = 23,     /* one past the highest valid type */
    XS_INVALID = 0xffff     /* never a valid type */
};

/* The old name of XS_CONTROL. */
#define XS_DEBUG XS_CONTROL

/* Values older clients send as the flags of a write. */
#define XS_WRITE_NONE "NONE"
#define XS_WRITE_CREATE "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

/*
 * Every message starts with this header, in the sender's byte order, and is
 * followed by `len` payload bytes (at most XENSTORE_PAYLOAD_MAX).
 */
struct xsd_sockmsg {
    uint32_t type;   /* enum xsd_sockmsg_type */
    uint32_t req_id; /* echoed in the reply */
    uint32_t tx_id;  /* transaction id, 0 outside a transaction */
    uint32_t len;    /* payload length */
};

/* Indexes into the string vector of a watch event. */
enum xs_watch_type {
    XS_WATCH_PATH = 0,
    XS_WATCH_TOKEN
};

/* Error replies carry one of these names and a NUL, e.g. "ENOENT\0". */
struct xsd_errors {
    int errnum;
    const char *errstring;
};

/* Limits. */
#define XENSTORE_PAYLOAD_MAX 4096
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

/* The guest's ring page: requests in req[], replies and watch events in rsp[]. */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];  /* guest -> xenstored */
    char rsp[XENSTORE_RING_SIZE];  /* xenstored -> guest */
    XENSTORE_RING_IDX req_cons, req_prod; /* free-running indexes */
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features;      /* XENSTORE_SERVER_FEATURE_* bits */
    uint32_t connection;           /* XENSTORE_CONNECTED / _RECONNECT */
    uint32_t error;                /* XENSTORE_ERROR_* */
};

/* server_features bits. */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1
#define XENSTORE_SERVER_FEATURE_ERROR 2

/* connection values. */
#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

/* error values. */
#define XENSTORE_ERROR_NONE 0
#define XENSTORE_ERROR_COMM 1
#define XENSTORE_ERROR_RINGIDX 2
#define XENSTORE_ERROR_PROTO 3

#if !defined(__STDC_HOSTED__) || __STDC_HOSTED__
#include <errno.h>
/*
 * The errno values with a name on the wire, in Xen's order. Host-only: a
 * freestanding guest has no <errno.h> and keeps its own table.
 */
static const struct xsd_errors xsd_errors[]
#if defined(__GNUC__)
__attribute__((unused))
#endif
    = {
    { EINVAL, "EINVAL" },     { EACCES, "EACCES" },       { EEXIST, "EEXIST" },
    { EISDIR, "EISDIR" },     { ENOENT, "ENOENT" },       { ENOMEM, "ENOMEM" },
    { ENOSPC, "ENOSPC" },     { EIO, "EIO" },             { ENOTEMPTY, "ENOTEMPTY" },
    { ENOSYS, "ENOSYS" },     { EROFS, "EROFS" },         { EBUSY, "EBUSY" },
    { EAGAIN, "EAGAIN" },     { EISCONN, "EISCONN" },     { E2BIG, "E2BIG" },
    { EPERM, "EPERM" },
};
#endif

#endif /* PUBLIC_IO_XS_WIRE_H */
