/*
 * xs_domain.c: a domain's entries in xenstore, as Xen's libxl writes them.
 *
 * setup writes, in one transaction, the standard layout:
 *   /local/domain/<id>            n0 r<id>   (dom0 owns it, the guest reads)
 *     name, domid, vm, memory/static-max, memory/target, store/{port,ring-ref}
 *     device/, control/            n0 r<id>
 *     control/shutdown, control/feature-{poweroff,reboot,suspend}, control/sysrq,
 *     data/, drivers/, feature/, attr/, error/      n<id> (the guest owns them)
 *   /vm/<uuid>                    n0 r<id>   uuid, name
 * then introduces the domain (its store ring and port) to xenstored.
 * teardown removes both trees and releases the domain.
 * shutdown requests go through control/shutdown when the guest advertises
 * control/feature-<what> = 1 (its xenbus listens), as Xen's libxl does.
 * Invariant: setup is all or nothing: on failure the trees are removed again.
 */
#include "libxl_umbra.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstore.h"

#define TX_RETRIES 16

static void uuid_str(const uint8_t u[16], char out[37])
{
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
             u[12], u[13], u[14], u[15]);
}

/* Write path = value and give it perms. */
static bool put(struct xs_handle *xs, xs_transaction_t t, const char *path, const char *value,
                struct xs_permissions *perms, unsigned nperms)
{
    if (!xs_write(xs, t, path, value, (unsigned)strlen(value)))
        return false;
    return !perms || xs_set_permissions(xs, t, path, perms, nperms);
}

/* The whole layout inside transaction t. */
static bool write_layout(struct xs_handle *xs, xs_transaction_t t, uint32_t domid,
                         const struct libxl_domain_config *cfg, const struct libxl_layout *lay)
{
    static const char *const guest_owned[] = {
        "control/shutdown", "control/feature-poweroff", "control/feature-reboot",
        "control/feature-suspend", "control/sysrq", "data", "drivers", "feature", "attr", "error",
    };
    struct xs_permissions ro[2] = { { 0, XS_PERM_NONE }, { domid, XS_PERM_READ } };
    struct xs_permissions rw[1] = { { domid, XS_PERM_NONE } };
    char dom[64], vm[64], uuid[37], p[128], v[64];
    bool ok = true;

    uuid_str(cfg->uuid, uuid);
    snprintf(dom, sizeof(dom), "/local/domain/%u", domid);
    snprintf(vm, sizeof(vm), "/vm/%s", uuid);
    xs_rm(xs, t, dom);
    xs_rm(xs, t, vm);
    ok &= put(xs, t, dom, "", ro, 2);
    ok &= put(xs, t, vm, "", ro, 2);
#define SUB(fmt, ...) (snprintf(p, sizeof(p), fmt, __VA_ARGS__), p)
    ok &= put(xs, t, SUB("%s/uuid", vm), uuid, NULL, 0);
    ok &= put(xs, t, SUB("%s/name", vm), cfg->name, NULL, 0);
    ok &= put(xs, t, SUB("%s/vm", dom), vm, NULL, 0);
    ok &= put(xs, t, SUB("%s/name", dom), cfg->name, NULL, 0);
    snprintf(v, sizeof(v), "%u", domid);
    ok &= put(xs, t, SUB("%s/domid", dom), v, NULL, 0);
    ok &= put(xs, t, SUB("%s/device", dom), "", ro, 2);
    ok &= put(xs, t, SUB("%s/control", dom), "", ro, 2);
    for (unsigned i = 0; i < sizeof(guest_owned) / sizeof(guest_owned[0]); i++)
        ok &= put(xs, t, SUB("%s/%s", dom, guest_owned[i]), "", rw, 1);
    snprintf(v, sizeof(v), "%llu", (unsigned long long)cfg->max_memkb);
    ok &= put(xs, t, SUB("%s/memory/static-max", dom), v, NULL, 0);
    snprintf(v, sizeof(v), "%llu", (unsigned long long)cfg->target_memkb);
    ok &= put(xs, t, SUB("%s/memory/target", dom), v, NULL, 0);
    snprintf(v, sizeof(v), "%u", lay->store_evtchn);
    ok &= put(xs, t, SUB("%s/store/port", dom), v, NULL, 0);
    snprintf(v, sizeof(v), "%llu", (unsigned long long)lay->xenstore_gfn);
    ok &= put(xs, t, SUB("%s/store/ring-ref", dom), v, NULL, 0);
#undef SUB
    return ok;
}

int libxl_xs_domain_setup(struct xs_handle *xs, uint32_t domid,
                          const struct libxl_domain_config *cfg, const struct libxl_layout *lay,
                          char *err, size_t errlen)
{
    for (int tries = 0;; tries++) {
        xs_transaction_t t = xs_transaction_start(xs);
        bool ok;

        if (!t) {
            snprintf(err, errlen, "xenstore: starting a transaction: %s", strerror(errno));
            return -1;
        }
        ok = write_layout(xs, t, domid, cfg, lay);
        if (!ok) {
            int e = errno;

            xs_transaction_end(xs, t, true);
            snprintf(err, errlen, "xenstore: writing /local/domain/%u: %s", domid, strerror(e));
            return -1;
        }
        if (xs_transaction_end(xs, t, false))
            break;
        if (errno != EAGAIN || tries == TX_RETRIES) {
            snprintf(err, errlen, "xenstore: committing /local/domain/%u: %s", domid,
                     strerror(errno));
            return -1;
        }
    }
    if (!xs_introduce_domain(xs, domid, lay->xenstore_gfn, lay->store_evtchn)) {
        snprintf(err, errlen, "xenstore: introducing domain %u: %s", domid, strerror(errno));
        libxl_xs_domain_teardown(xs, domid, cfg->uuid);
        return -1;
    }
    return 0;
}

void libxl_xs_domain_teardown(struct xs_handle *xs, uint32_t domid, const uint8_t uuid[16])
{
    char path[64], u[37];

    xs_release_domain(xs, domid);
    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    xs_rm(xs, XBT_NULL, path);
    uuid_str(uuid, u);
    snprintf(path, sizeof(path), "/vm/%s", u);
    xs_rm(xs, XBT_NULL, path);
}

int libxl_xs_request_shutdown(struct xs_handle *xs, uint32_t domid, const char *what)
{
    char path[96], *feature;
    unsigned len = 0;
    bool listening;

    snprintf(path, sizeof(path), "/local/domain/%u/control/feature-%s", domid, what);
    feature = xs_read(xs, XBT_NULL, path, &len);
    listening = feature && len == 1 && feature[0] == '1';
    free(feature);
    if (!listening)
        return 0;
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
    return xs_write(xs, XBT_NULL, path, what, (unsigned)strlen(what)) ? 1 : -1;
}
