/*
 * xc_private.h: what the files of libxenctrl share: the handle, and one
 * synchronous round trip on the privcmd socket (xc_core.c).
 * Invariant: one request in flight per handle; an answer always belongs to
 * the last request sent (SOCK_SEQPACKET keeps datagrams whole and ordered).
 */
#ifndef XC_PRIVATE_H
#define XC_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "public/domctl.h"
#include "public/privcmd.h"
#include "public/sysctl.h"
#include "xenctrl.h"

struct xc_interface_core {
    int fd;             /* the privcmd connection */
    int memfd;          /* machine memory, once a foreign map received it; -1 */
    uint64_t mm_base;   /* machine address of memfd offset 0 */
};

/* Connect to $XEN_RUN_DIR/privcmd (default /run/xen). fd or -1 with errno. */
int xc_privcmd_connect(void);

/*
 * Send op/cmd with body (len bytes; updated in place from the answer, which
 * holds at most len body bytes), then copy the answer's tail (bytes after
 * the first `len`) into tail (tail_cap bytes; *tail_len receives its size;
 * both may be NULL/0). A passed descriptor goes to *fd (or is closed when fd
 * is NULL). Returns the hypercall's result (>= 0), or -1 with errno set.
 */
long xc_call(int sock, uint32_t op, uint32_t cmd, void *body, size_t len, size_t body_out,
             void *tail, size_t tail_cap, size_t *tail_len, int *fd);

/* domctl/sysctl with the envelope filled in (cmd, version, domain). */
long xc_domctl(xc_interface *xch, struct xen_domctl *op, const void *in, size_t in_len,
               void *out, size_t out_cap, size_t *out_len, int *fd);
long xc_sysctl(xc_interface *xch, struct xen_sysctl *op, void *out, size_t out_cap,
               size_t *out_len);
void xc_domctl_init(struct xen_domctl *op, uint32_t cmd, uint32_t domid);

#endif
