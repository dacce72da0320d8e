/*
 * watch.c: watches and their events.
 *
 * A watch is (path, token) on one connection. It fires with "path\0token\0"
 * when its node or anything below it changes (a removed subtree fires each
 * removed node's own watches exactly), once at registration, and for the
 * special names "@introduceDomain", "@releaseDomain" and
 * "@releaseDomain/<domid>". A watcher gets an event only if it may read the
 * node (the perms it had when the change happened). Relative watches get
 * relative event paths. Events go through conn_queue(), which bounds each
 * connection's queue, so a slow watcher only loses its own events.
 * Cost: O(total watches) per change.
 */
#include "xenstored.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void watch_free(struct xs_watch *w)
{
    free(w->path);
    free(w->token);
    free(w);
}

static void queue_event(struct xs_conn *c, const char *path, const char *token)
{
    size_t plen = strlen(path) + 1, tlen = strlen(token) + 1;
    char *buf;

    if (plen + tlen > XENSTORE_PAYLOAD_MAX) {
        c->events_dropped++;
        return;
    }
    buf = malloc(plen + tlen);
    if (!buf) {
        c->events_dropped++;
        return;
    }
    memcpy(buf, path, plen);
    memcpy(buf + plen, token, tlen);
    conn_queue(c, XS_WATCH_EVENT, 0, 0, buf, (uint32_t)(plen + tlen), false);
    free(buf);
}

static struct xs_watch **find(struct xs_conn *conn, const char *path, const char *token)
{
    struct xs_watch **pp;

    for (pp = &conn->watches; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->path, path) == 0 && strcmp((*pp)->token, token) == 0)
            break;
    return pp;
}

int watch_add(struct xs_daemon *d, struct xs_conn *conn, const char *given, const char *token)
{
    struct xs_watch *w, **tail;
    int err;
    char *path = path_canonical(conn, given, true, &err);

    if (!path)
        return -err;
    tail = find(conn, path, token);
    if (*tail) {
        free(path);
        return -EEXIST;
    }
    if (quota_applies(conn) && conn->nwatches >= d->quota[QUOTA_WATCHES]) {
        free(path);
        return -E2BIG;
    }
    w = calloc(1, sizeof(*w));
    if (!w || !(w->token = strdup(token))) {
        free(w);
        free(path);
        return -ENOMEM;
    }
    w->path = path;
    if (given[0] != '/' && given[0] != '@')
        w->relative = strlen(path) - strlen(given);
    *tail = w;
    conn->nwatches++;
    return 0;
}

int watch_remove(struct xs_daemon *d, struct xs_conn *conn, const char *given, const char *token)
{
    struct xs_watch **pp, *w;
    int err;
    char *path = path_canonical(conn, given, true, &err);

    (void)d;
    if (!path)
        return -err;
    pp = find(conn, path, token);
    free(path);
    if (!*pp)
        return -ENOENT;
    w = *pp;
    *pp = w->next;
    watch_free(w);
    conn->nwatches--;
    return 0;
}

void watch_free_all(struct xs_conn *conn)
{
    while (conn->watches) {
        struct xs_watch *w = conn->watches;

        conn->watches = w->next;
        watch_free(w);
    }
    conn->nwatches = 0;
}

static void fire_one(struct xs_daemon *d, const struct xs_change *ch)
{
    for (struct xs_conn *c = d->conns; c; c = c->next) {
        if (c->broken || !c->watches)
            continue;
        for (struct xs_watch *w = c->watches; w; w = w->next) {
            bool match = ch->exact ? strcmp(w->path, ch->path) == 0
                                   : path_is_subpath(w->path, ch->path);

            if (!match)
                continue;
            if (!(perm_for_conn(c, &ch->perms) & PERM_READ))
                continue;
            queue_event(c, ch->path + w->relative, w->token);
        }
    }
}

void watch_fire_changes(struct xs_daemon *d, const struct xs_change *c)
{
    for (; c; c = c->next)
        fire_one(d, c);
}

void watch_fire_special(struct xs_daemon *d, const char *name)
{
    struct xs_change ch = { 0 };

    ch.path = (char *)name;
    ch.exact = true;
    ch.perms = strncmp(name, XS_SPECIAL_INTRODUCE, strlen(XS_SPECIAL_INTRODUCE)) == 0
                   ? d->special_introduce
                   : d->special_release;
    fire_one(d, &ch);
}
