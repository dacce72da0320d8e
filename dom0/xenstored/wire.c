/*
 * wire.c: what a message looks like on the wire.
 *
 * A message is a struct xsd_sockmsg header and `len` payload bytes, with
 * len <= XENSTORE_PAYLOAD_MAX. Arguments are NUL-terminated strings; the
 * last argument of WRITE (the value) is raw bytes and is split off by its
 * handler. Errors travel as their names ("ENOENT\0") in an XS_ERROR reply.
 */
#include "xenstored.h"

#include <errno.h>
#include <string.h>

static const char *const type_names[XS_TYPE_COUNT] = {
    [XS_CONTROL] = "CONTROL",
    [XS_DIRECTORY] = "DIRECTORY",
    [XS_READ] = "READ",
    [XS_GET_PERMS] = "GET_PERMS",
    [XS_WATCH] = "WATCH",
    [XS_UNWATCH] = "UNWATCH",
    [XS_TRANSACTION_START] = "TRANSACTION_START",
    [XS_TRANSACTION_END] = "TRANSACTION_END",
    [XS_INTRODUCE] = "INTRODUCE",
    [XS_RELEASE] = "RELEASE",
    [XS_GET_DOMAIN_PATH] = "GET_DOMAIN_PATH",
    [XS_WRITE] = "WRITE",
    [XS_MKDIR] = "MKDIR",
    [XS_RM] = "RM",
    [XS_SET_PERMS] = "SET_PERMS",
    [XS_WATCH_EVENT] = "WATCH_EVENT",
    [XS_ERROR] = "ERROR",
    [XS_IS_DOMAIN_INTRODUCED] = "IS_DOMAIN_INTRODUCED",
    [XS_RESUME] = "RESUME",
    [XS_SET_TARGET] = "SET_TARGET",
    [XS_RESET_WATCHES] = "RESET_WATCHES",
    [XS_DIRECTORY_PART] = "DIRECTORY_PART",
};

const char *wire_type_name(uint32_t type)
{
    if (type < XS_TYPE_COUNT && type_names[type])
        return type_names[type];
    return "UNKNOWN";
}

const char *wire_error_name(int err)
{
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (xsd_errors[i].errnum == err)
            return xsd_errors[i].errstring;
    return "EINVAL"; /* Xen also maps unknown errors to the first entry */
}

int wire_check_header(const struct xsd_sockmsg *h)
{
    if (h->len > XENSTORE_PAYLOAD_MAX)
        return -E2BIG;
    return 0;
}

int wire_split(const char *payload, uint32_t len, const char **vec, int max)
{
    int n = 0;
    uint32_t off = 0;

    if (len == 0 || payload[len - 1] != '\0')
        return -EINVAL;
    while (off < len) {
        if (n == max)
            return -EINVAL;
        vec[n++] = payload + off;
        off += strlen(payload + off) + 1;
    }
    return n;
}

int wire_parse_uint(const char *s, uint64_t limit, uint64_t *out)
{
    uint64_t v = 0;

    if (!*s)
        return -EINVAL;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -EINVAL;
        uint64_t digit = (uint64_t)(*s - '0');

        /* v * 10 + digit >= limit, tested without overflow (limit >= 1) */
        if (digit > limit - 1 || v > (limit - 1 - digit) / 10)
            return -EINVAL;
        v = v * 10 + digit;
    }
    *out = v;
    return 0;
}
