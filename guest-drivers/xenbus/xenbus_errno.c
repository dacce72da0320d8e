/*
 * xenbus_errno.c: the error names xenstored sends ("ENOENT\0") and the Xen
 * errno numbers they stand for (Xen's numbers are Linux's; the unit tests
 * compare them with the host's <errno.h>).
 * Invariant: the table lists every name of Xen's xsd_errors.
 */
#include "xenbus_priv.h"

static const struct {
    const char *name;
    int num;
} names[] = {
    { "EINVAL", XENBUS_EINVAL }, { "EACCES", XENBUS_EACCES }, { "EEXIST", XENBUS_EEXIST },
    { "EISDIR", XENBUS_EISDIR }, { "ENOENT", XENBUS_ENOENT }, { "ENOMEM", XENBUS_ENOMEM },
    { "ENOSPC", XENBUS_ENOSPC }, { "EIO", XENBUS_EIO }, { "ENOTEMPTY", XENBUS_ENOTEMPTY },
    { "ENOSYS", XENBUS_ENOSYS }, { "EROFS", XENBUS_EROFS }, { "EBUSY", XENBUS_EBUSY },
    { "EAGAIN", XENBUS_EAGAIN }, { "EISCONN", XENBUS_EISCONN }, { "E2BIG", XENBUS_E2BIG },
    { "EPERM", XENBUS_EPERM },
};

int xenbus_errno(const char *name)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(names[i].name, name))
            return names[i].num;
    return XENBUS_EIO;
}
