/*
 * perms.c: permission entries and the access decision.
 *
 * A node's perms are a list; entry 0 names the owner and gives the access of
 * every domain not listed later. Letters: n (none), r (read), w (write),
 * b (both). The decision follows Xen's perm_for_conn(): the owner, a domain
 * whose target (SET_TARGET) is the owner, and privileged connections (dom0)
 * get everything, including PERM_OWNER; otherwise the first later entry naming
 * the domain (or its target) wins, else the default of entry 0.
 */
#include "xenstored.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int perm_parse(const char *s, struct xs_perm *out)
{
    uint64_t id;

    switch (s[0]) {
    case 'n': out->perms = PERM_NONE; break;
    case 'r': out->perms = PERM_READ; break;
    case 'w': out->perms = PERM_WRITE; break;
    case 'b': out->perms = PERM_READ | PERM_WRITE; break;
    default: return -EINVAL;
    }
    if (wire_parse_uint(s + 1, 1ull << 32, &id) < 0)
        return -EINVAL;
    out->id = (uint32_t)id;
    return 0;
}

int perm_format(const struct xs_perm *p, char *buf, size_t size)
{
    char c;

    switch (p->perms & (PERM_READ | PERM_WRITE)) {
    case PERM_READ: c = 'r'; break;
    case PERM_WRITE: c = 'w'; break;
    case PERM_READ | PERM_WRITE: c = 'b'; break;
    default: c = 'n'; break;
    }
    return snprintf(buf, size, "%c%u", c, p->id);
}

static bool conn_is(const struct xs_conn *conn, uint32_t id)
{
    if (conn->domid == id)
        return true;
    return conn->domain && conn->domain->has_target && conn->domain->target == id;
}

uint32_t perm_for_conn(const struct xs_conn *conn, const struct xs_perms *perms)
{
    const uint32_t all = PERM_READ | PERM_WRITE | PERM_OWNER;

    if (!conn || !quota_applies(conn) || perms->num == 0)
        return all;
    if (conn_is(conn, perms->p[0].id))
        return all;
    for (uint32_t i = 1; i < perms->num; i++)
        if (conn_is(conn, perms->p[i].id))
            return perms->p[i].perms & (PERM_READ | PERM_WRITE);
    return perms->p[0].perms & (PERM_READ | PERM_WRITE);
}

int perms_copy(struct xs_perms *dst, const struct xs_perms *src)
{
    dst->num = src->num;
    dst->p = NULL;
    if (!src->num)
        return 0;
    dst->p = malloc(src->num * sizeof(*dst->p));
    if (!dst->p)
        return -ENOMEM;
    memcpy(dst->p, src->p, src->num * sizeof(*dst->p));
    return 0;
}

void perms_free(struct xs_perms *p)
{
    free(p->p);
    p->p = NULL;
    p->num = 0;
}
