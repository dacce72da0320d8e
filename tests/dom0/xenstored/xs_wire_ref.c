/*
 * xs_wire_ref.c: Xen's own numbers, from Debian's libxen-dev header, kept in
 * a separate file because its names clash with ours. test_wire.c compares.
 */
#include <stdint.h>
#include <errno.h> /* Xen's header lists its error table only after errno.h */
#include "/usr/include/xen/io/xs_wire.h"

#include <stddef.h>

const unsigned xen_ref_types[] = {
    XS_CONTROL, XS_DIRECTORY, XS_READ, XS_GET_PERMS, XS_WATCH, XS_UNWATCH,
    XS_TRANSACTION_START, XS_TRANSACTION_END, XS_INTRODUCE, XS_RELEASE,
    XS_GET_DOMAIN_PATH, XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS, XS_WATCH_EVENT,
    XS_ERROR, XS_IS_DOMAIN_INTRODUCED, XS_RESUME, XS_SET_TARGET, XS_RESET_WATCHES,
    XS_DIRECTORY_PART, XS_TYPE_COUNT, XS_INVALID,
};
const unsigned xen_ref_limits[] = { XENSTORE_PAYLOAD_MAX, XENSTORE_ABS_PATH_MAX,
                                    XENSTORE_REL_PATH_MAX, XENSTORE_RING_SIZE };
const size_t xen_ref_offsets[] = {
    offsetof(struct xenstore_domain_interface, req),
    offsetof(struct xenstore_domain_interface, rsp),
    offsetof(struct xenstore_domain_interface, req_cons),
    offsetof(struct xenstore_domain_interface, req_prod),
    offsetof(struct xenstore_domain_interface, rsp_cons),
    offsetof(struct xenstore_domain_interface, rsp_prod),
    offsetof(struct xenstore_domain_interface, server_features),
    offsetof(struct xenstore_domain_interface, connection),
    offsetof(struct xenstore_domain_interface, error),
    sizeof(struct xenstore_domain_interface),
};
const int xen_ref_nerrors = sizeof(xsd_errors) / sizeof(xsd_errors[0]);

int xen_ref_error(int i, const char **name)
{
    *name = xsd_errors[i].errstring;
    return xsd_errors[i].errnum;
}
