/*
 * privcmd.h: the wire format of dom0's hypercall channel, the Unix socket
 * $XEN_RUN_DIR/privcmd (SOCK_SEQPACKET, mode 0600). See docs/privcmd.md.
 *
 * One request datagram = struct privcmd_req + `len` body bytes; one answer
 * datagram = struct privcmd_rsp + `len` body bytes, with `nfds` file
 * descriptors attached as SCM_RIGHTS. Requests are answered in order, one
 * answer per request. Host byte order throughout.
 *
 * Body per op:
 *  - __HYPERVISOR_domctl:  struct xen_domctl [+ tail]     (domctl.h)
 *  - __HYPERVISOR_sysctl:  struct xen_sysctl [+ tail]     (sysctl.h)
 *  - __HYPERVISOR_memory_op, cmd = XENMEM_*: struct xen_memory_reservation
 *    + nr_extents xen_pfn_t (extent_start is ignored), or a domid_t for
 *    current/maximum_reservation
 *  - __HYPERVISOR_event_channel_op, cmd = EVTCHNOP_*: the evtchn struct
 *  - __HYPERVISOR_sched_op, cmd = SCHEDOP_remote_shutdown: its struct
 *  - __HYPERVISOR_xen_version, cmd = XENVER_*: answer holds the result buffer
 * The answer body is the request body as the hypervisor updated it (plus any
 * out tail). `ret` is the hypercall's result: >= 0, or a negative Xen errno.
 *
 * Invariant: a datagram that is shorter than its header says, longer than
 * PRIVCMD_MAX_MSG, or carries a bad magic closes that client's connection
 * and nothing else.
 */
#ifndef UMBRA_PUBLIC_PRIVCMD_H
#define UMBRA_PUBLIC_PRIVCMD_H

#include <stdint.h>

#define PRIVCMD_SOCKET  "privcmd"
#define PRIVCMD_MAGIC   0x55505243U    /* "UPRC" */
#define PRIVCMD_MAX_MSG (128 * 1024)   /* header included */

struct privcmd_req {
    uint32_t magic;      /* PRIVCMD_MAGIC */
    uint32_t op;         /* __HYPERVISOR_* */
    uint32_t cmd;        /* sub-op, for ops that have one outside the body */
    uint32_t len;        /* body bytes that follow */
};

struct privcmd_rsp {
    uint32_t magic;      /* PRIVCMD_MAGIC */
    int32_t  ret;        /* result, negative Xen errno on failure */
    uint32_t len;        /* body bytes that follow */
    uint32_t nfds;       /* descriptors attached (SCM_RIGHTS) */
};

/* Memory-op bodies carry at most this many extents per message. */
#define PRIVCMD_MAX_EXTENTS ((PRIVCMD_MAX_MSG - 64) / 8 - 16)

#endif
