/*
 * domain.c: creating and destroying a domain with everything the toolstack
 * keeps around it (libxl_domain_create/destroy), for `xl create`, `xl
 * destroy`, the monitor and the create benchmark.
 *
 * Start: build paused (libxl_domain_build), with a xenstore ring and port
 * when xenstored is reachable; write the domain's xenstore layout and
 * introduce it; unpause unless asked not to. Without xenstored the domain
 * simply has no store (start_info.store_mfn 0).
 * Destroy: the domain, its xenstore trees and its recorded config.
 * Invariant: a failed start leaves no domain and no xenstore entries.
 */
#include "libxl_umbra.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xenstore.h"

int libxl_domain_create(xc_interface *xch, const struct libxl_domain_config *cfg, bool paused,
                        uint32_t *domid, char *err, size_t errlen)
{
    struct xs_handle *xs = xs_open(0);
    unsigned flags = LIBXL_BUILD_PAUSED | (xs ? LIBXL_BUILD_XENSTORE : 0);
    struct libxl_layout lay;
    int saved;

    if (libxl_domain_build(&libxl_xc_ops, xch, cfg, flags, domid, &lay, err, errlen) < 0) {
        xs_close(xs);
        return -1;
    }
    if (xs && libxl_xs_domain_setup(xs, *domid, cfg, &lay, err, errlen) < 0)
        goto fail;
    if (!paused && xc_domain_unpause(xch, *domid) < 0) {
        snprintf(err, errlen, "unpausing: %s", strerror(errno));
        if (xs)
            libxl_xs_domain_teardown(xs, *domid, cfg->uuid);
        goto fail;
    }
    xs_close(xs);
    return 0;
fail:
    saved = errno;
    xc_domain_destroy(xch, *domid);
    xs_close(xs);
    errno = saved;
    return -1;
}

int libxl_domain_destroy(xc_interface *xch, uint32_t domid)
{
    xc_dominfo_t info;
    struct xs_handle *xs;
    bool known = xc_domain_getinfo(xch, domid, 1, &info) == 1 && info.domid == domid;

    if (xc_domain_destroy(xch, domid) < 0)
        return -1;
    xs = xs_open(0);
    if (xs && known)
        libxl_xs_domain_teardown(xs, domid, info.handle);
    xs_close(xs);
    libxl_userdata_remove(domid);
    return 0;
}
