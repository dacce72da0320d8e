/*
 * control.h: dom0's control operations (domctl.c, sysctl.c, privcmd.c).
 *
 * A privcmd request is decoded into an envelope and a tail: `in` holds the
 * bytes after the envelope, `out` receives the answer's tail (at most
 * out_cap bytes). Operations run with xen_lock held, for a connection that
 * has already passed the privilege check (privcmd_peer_privileged).
 */
#ifndef UMBRA_CONTROL_H
#define UMBRA_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "public/domctl.h"
#include "public/sysctl.h"
#include "umbra/types.h"

struct domain;

struct ctl_tail {
    const void *in;
    size_t in_len;
    void *out;
    size_t out_cap;
    size_t out_len;     /* set by the operation */
    int fd_out;         /* a descriptor to pass back (SCM_RIGHTS), or -1 */
};

/* One foreign mapping reference held by a connection. */
struct foreign_ref {
    domid_t domid;
    uint64_t gfn;
    mfn_t mfn;
};

/* What the control operations need to know about the calling connection. */
struct ctl_conn {
    bool memfd_sent;             /* the machine memfd went over this connection */
    struct foreign_ref *refs;    /* foreign mappings it holds */
    size_t nr_refs, cap_refs;
};

/*
 * The privilege rule of the privcmd socket: a peer is privileged iff its
 * uid is 0, or its uid is the daemon's uid, or its gid is the daemon's gid.
 */
bool privcmd_peer_privileged(uid_t peer_uid, gid_t peer_gid, uid_t self_uid, gid_t self_gid);

long do_domctl(struct ctl_conn *c, struct xen_domctl *op, struct ctl_tail *t);
long do_sysctl(struct ctl_conn *c, struct xen_sysctl *op, struct ctl_tail *t);
/* Drop every foreign reference a connection holds (on disconnect). */
void ctl_conn_release(struct ctl_conn *c);
/* Fill Xen's getdomaininfo for d. */
void getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info);

#endif

struct privcmd_req;
/*
 * Run one privcmd request for a privileged connection (privcmd_ops.c).
 * body (req->len bytes) is updated in place for the answer; t->out receives
 * any tail. Returns the hypercall result; sets *malformed when the body does
 * not fit the operation (the connection is then closed).
 */
long privcmd_dispatch(struct ctl_conn *c, const struct privcmd_req *req, void *body,
                      struct ctl_tail *t, bool *malformed);
/* Is op allowed for an unprivileged peer? (only xen_version) */
bool privcmd_op_unprivileged_ok(uint32_t op);
