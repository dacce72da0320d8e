/*
 * xenstored.h: the shared types of xenstored and the entry points of each of
 * its parts. Every part lives in its own file:
 *
 *   wire.c         message framing, argument splitting, error names
 *   path.c         path validation and canonicalisation
 *   tree.c         the node store (hash table of nodes keyed by path)
 *   perms.c        permission strings and access decisions
 *   access.c       node lookup/creation/removal through a context (tree or transaction)
 *   transaction.c  transaction overlays, conflict detection, commit
 *   watch.c        watches and watch events
 *   quota.c        quota settings and checks
 *   domain.c       the domain table: introduce, release, target
 *   conn.c         connections: framing input, queued output, fairness bounds
 *   conn_socket.c  Unix socket transport        conn_ring.c  guest ring transport
 *   request.c      one handler per message type
 *   control.c      XS_CONTROL commands          trace.c      the trace log
 *
 * Invariants kept across the parts:
 *   - a node's `generation` is unique and grows with every change committed to
 *     the main tree; 0 means "absent" in transaction bookkeeping;
 *   - a parent's `children` lists exactly its existing children, in creation
 *     order, each NUL-terminated (as Xen stores them);
 *   - each domain's `nodes` counts the main-tree nodes it owns (perms[0].id);
 *   - a connection's queued output never exceeds CONN_OUT_BOUND plus one
 *     reply: input stops while it is full, and watch events beyond it are
 *     dropped (and counted), so a slow reader costs only itself.
 * Single-threaded: everything runs from the daemon's poll loop.
 */
#ifndef XENSTORED_H
#define XENSTORED_H

#include <public/io/xs_wire.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct xs_daemon;
struct xs_conn;
struct xs_txn;
struct xs_domain;

/* ---- permissions (perms.c) ---- */
#define PERM_NONE 0x00
#define PERM_READ 0x01
#define PERM_WRITE 0x02
#define PERM_OWNER 0x08 /* internal: owner or privileged */

struct xs_perm {
    uint32_t id;
    uint32_t perms;
};

struct xs_perms {
    uint32_t num;
    struct xs_perm *p; /* p[0] is the owner and the default for others */
};

/* Parse one "r3"-style entry. Returns 0 or -EINVAL. */
int perm_parse(const char *s, struct xs_perm *out);
/* Write "r3" into buf (>= 16 bytes). Returns its length. */
int perm_format(const struct xs_perm *p, char *buf, size_t size);
/* The PERM_* bits `conn` has on a node with `perms`. */
uint32_t perm_for_conn(const struct xs_conn *conn, const struct xs_perms *perms);
int perms_copy(struct xs_perms *dst, const struct xs_perms *src);
void perms_free(struct xs_perms *p);

/* ---- nodes and the tree (tree.c) ---- */
struct node {
    char *name;            /* absolute path: the key */
    char *value;           /* not NUL-terminated in meaning; valuelen bytes (+1 NUL kept) */
    uint32_t valuelen;
    char *children;        /* child basenames, each NUL-terminated */
    uint32_t childlen;
    struct xs_perms perms;
    uint64_t generation;
    bool deleted;          /* transaction overlay only: a tombstone */
    struct node *hnext;    /* hash chain (tree or transaction overlay) */
};

struct node_table {
    struct node **buckets;
    size_t nbuckets;       /* power of two */
    size_t count;
};

struct node *node_new(const char *name, const void *value, uint32_t valuelen,
                      const struct xs_perms *perms);
struct node *node_dup(const struct node *n);
void node_free(struct node *n);
int node_set_value(struct node *n, const void *value, uint32_t len);
int node_add_child(struct node *n, const char *base);
/* Remove `base` from n's children; returns 0, or -ENOENT when absent. */
int node_remove_child(struct node *n, const char *base);
/* Bytes a node would take in Xen's accounting (the node-size quota). */
size_t node_quota_size(const struct node *n);

int table_init(struct node_table *t);
void table_destroy(struct node_table *t); /* frees every node */
struct node *table_find(const struct node_table *t, const char *name);
/* Insert n (taking ownership), replacing and returning any old node of that name. */
struct node *table_replace(struct node_table *t, struct node *n);
/* Unlink and return the node `name`, or NULL. */
struct node *table_remove(struct node_table *t, const char *name);
size_t table_bytes(const struct node_table *t);

/* ---- paths (path.c) ---- */
#define XS_SPECIAL_INTRODUCE "@introduceDomain"
#define XS_SPECIAL_RELEASE "@releaseDomain"

/*
 * Canonicalise `path` for `conn`: relative paths get "/local/domain/<id>/"
 * in front. Returns a malloc'd absolute path, or NULL with *err set
 * (EINVAL for a malformed or too long path, ENOMEM).
 * allow_special accepts "@introduceDomain", "@releaseDomain[/<domid>]".
 */
char *path_canonical(const struct xs_conn *conn, const char *path, bool allow_special,
                     int *err);
bool path_is_special(const char *path);
/* True if `child` is `parent` or below it. */
bool path_is_subpath(const char *parent, const char *child);
/* Malloc'd parent of an absolute non-root path. */
char *path_parent(const char *path);
const char *path_basename(const char *path);

/* ---- access through a context (access.c) ---- */
/*
 * A context names where a request reads and writes: the main tree, or a
 * transaction's overlay above it. Changes made through it are collected in
 * `changes` so that watches fire once the request (or the commit) succeeds.
 */
struct xs_change {
    char *path;
    bool exact;            /* fire watches on exactly this path only */
    struct xs_perms perms; /* the node's perms at the change (read check) */
    struct xs_change *next;
};

struct xs_ctx {
    struct xs_daemon *d;
    struct xs_conn *conn;
    struct xs_txn *txn;    /* NULL: the main tree */
    struct xs_change *changes, **changes_tail;
};

void ctx_init(struct xs_ctx *ctx, struct xs_daemon *d, struct xs_conn *conn, struct xs_txn *txn);
void ctx_free_changes(struct xs_change *c);
/* Read a node (no permission check); NULL if absent. Records the access in a transaction. */
const struct node *ctx_read(struct xs_ctx *ctx, const char *name);
/* Store a node (takes ownership). Returns 0 or -errno. */
int ctx_write(struct xs_ctx *ctx, struct node *n);
int ctx_delete(struct xs_ctx *ctx, const char *name);
int ctx_note_change(struct xs_ctx *ctx, const char *path, bool exact, const struct xs_perms *perms);
/*
 * Look a node up and check that conn has all of `perm`. Returns the node, or
 * NULL with *err = ENOENT or EACCES (EACCES also when the node is absent and
 * conn may not read its closest existing ancestor, as Xen does).
 */
const struct node *access_get(struct xs_ctx *ctx, const char *name, uint32_t perm, int *err);
/* Create `name` and any missing parents, inheriting perms. Returns 0 or -errno. */
int access_create(struct xs_ctx *ctx, const char *name, const void *value, uint32_t len);
/* Remove `name` and its subtree. Returns 0 or -errno. */
int access_remove(struct xs_ctx *ctx, const char *name);

/* ---- transactions (transaction.c) ---- */
struct xs_txn {
    uint32_t id;
    struct xs_conn *conn;
    struct node_table overlay;  /* copies of nodes written in the transaction */
    struct txn_access *accessed; /* every path read or written, with its base generation */
    struct txn_access **accessed_hash;
    size_t naccess_buckets, naccess;
    struct txn_delta *deltas;   /* node-count changes per owner */
    struct xs_change *changes, **changes_tail;
    struct xs_txn *next;
};

struct xs_txn *txn_start(struct xs_daemon *d, struct xs_conn *conn, int *err);
struct xs_txn *txn_find(struct xs_conn *conn, uint32_t id);
/* Commit (abort = false) or abort, and free. Returns 0 or -EAGAIN / -errno. */
int txn_end(struct xs_daemon *d, struct xs_txn *t, bool abort);
void txn_free_all(struct xs_conn *conn);
/* Hooks used by access.c. */
const struct node *txn_read(struct xs_daemon *d, struct xs_txn *t, const char *name);
int txn_write(struct xs_daemon *d, struct xs_txn *t, struct node *n);
int txn_delete(struct xs_daemon *d, struct xs_txn *t, const char *name);
int txn_owner_delta(const struct xs_txn *t, uint32_t domid);

/* ---- watches (watch.c) ---- */
struct xs_watch {
    char *path;      /* absolute (or special) */
    char *token;
    size_t relative; /* bytes of prefix to strip from events (0: absolute watch) */
    struct xs_watch *next;
    struct xs_conn *conn;
    uint64_t seq;    /* registration order: events go out in (conn id, seq) order */
    struct xs_watch *hnext, **hpprev; /* chain in xs_daemon.watch_hash, by path */
};

#define WATCH_HASH_SIZE 4096u /* buckets of the watch index (power of two) */

/* Add a watch and queue its initial event. Returns 0 or -errno. */
int watch_add(struct xs_daemon *d, struct xs_conn *conn, const char *given, const char *token);
int watch_remove(struct xs_daemon *d, struct xs_conn *conn, const char *given, const char *token);
void watch_free_all(struct xs_conn *conn);
/* Fire every watch matching the changes (each watcher needs read access). */
void watch_fire_changes(struct xs_daemon *d, const struct xs_change *c);
/* Fire a special watch name (exact match) such as "@releaseDomain/3". */
void watch_fire_special(struct xs_daemon *d, const char *name);

/* ---- quotas (quota.c) ---- */
enum quota_id {
    QUOTA_NODES,           /* nodes owned per domain */
    QUOTA_WATCHES,         /* watches per connection */
    QUOTA_TRANSACTIONS,    /* open transactions per connection */
    QUOTA_NODE_SIZE,       /* bytes per node, Xen's accounting */
    QUOTA_PERMS,           /* permission entries per node */
    QUOTA_PATH_LEN,        /* path length below the domain's home */
    QUOTA_OUTSTANDING,     /* replies queued per connection */
    QUOTA_COUNT
};

struct quota_desc {
    const char *name;
    uint32_t def;
    const char *what;
};

extern const struct quota_desc quota_desc[QUOTA_COUNT];
int quota_by_name(const char *name);
/* True if conn is subject to quotas (not privileged). */
bool quota_applies(const struct xs_conn *conn);

/* ---- domains (domain.c) ---- */
struct xs_domain {
    uint32_t domid;
    bool introduced;
    bool shutdown;
    uint64_t gfn;
    uint32_t evtchn;       /* the guest's port */
    bool has_target;
    uint32_t target;
    uint32_t nodes;        /* main-tree nodes owned */
    struct xs_conn *conn;  /* ring connection, if a guest channel is configured */
    struct xs_domain *next;
    struct xs_domain *hnext; /* chain in xs_daemon.domain_hash */
};

/* Buckets of the domid index (power of two): domain_find is O(1) expected. */
#define DOMAIN_HASH_SIZE 256u

struct xs_domain *domain_find(struct xs_daemon *d, uint32_t domid);
struct xs_domain *domain_get(struct xs_daemon *d, uint32_t domid); /* find or create */
void domain_nodes_adjust(struct xs_daemon *d, uint32_t domid, int delta);
int domain_introduce(struct xs_daemon *d, uint32_t domid, uint64_t gfn, uint32_t evtchn);
/*
 * After a domain exception (VIRQ_DOM_EXC): ask the channel for the state of
 * every introduced domain; release those that are gone, and fire
 * @releaseDomain once for those newly shut down (as Xen's domain_cleanup).
 */
void domain_check_exceptions(struct xs_daemon *d);
int domain_release(struct xs_daemon *d, uint32_t domid);
void domain_free_all(struct xs_daemon *d);

/* ---- connections (conn.c) ---- */
#define CONN_OUT_BOUND (256u * 1024) /* queued output bytes before back-pressure */
#define CONN_IN_BUF (64u * 1024)

/* A transport moves bytes; conn.c does the framing. */
struct xs_transport_ops {
    const char *name;
    /* Read up to len bytes: >0 bytes, 0 nothing now, -1 closed or broken. */
    ssize_t (*read)(struct xs_conn *c, void *buf, size_t len);
    /* Write up to len bytes: >=0 bytes taken, -1 broken. */
    ssize_t (*write)(struct xs_conn *c, const void *buf, size_t len);
    /* Called after a batch of writes (e.g. to notify the guest). May be NULL. */
    void (*flush)(struct xs_conn *c);
    /* The fd to poll for input, or -1. */
    int (*poll_fd)(const struct xs_conn *c);
    /* Called when the daemon's poll saw the fd readable. May be NULL. */
    void (*ack_event)(struct xs_conn *c);
    void (*destroy)(struct xs_conn *c);
};

struct out_msg {
    struct out_msg *next;
    uint32_t len;    /* header + payload */
    bool is_reply;
    char data[];
};

struct xs_conn {
    unsigned id;
    struct xs_daemon *daemon;
    const struct xs_transport_ops *ops;
    void *transport;
    int fd;                    /* socket fd, -1 for other transports */
    uint32_t domid;
    struct xs_domain *domain;  /* NULL for local clients */
    /* input: bytes read but not yet processed */
    char *in;
    size_t in_len, in_off;
    /* output */
    struct out_msg *out_head, *out_tail;
    size_t out_bytes, out_sent;
    unsigned out_replies;
    unsigned long events_dropped;
    struct xs_watch *watches;
    unsigned nwatches;
    struct xs_txn *txns;
    unsigned ntxns;
    bool broken;               /* to be closed by the main loop */
    int ep_fd;                 /* fd registered in the daemon's epoll set, -1 if none */
    uint32_t ep_events;        /* events it is registered for */
    uint32_t ep_revents;       /* what the last wait reported for it */
    bool act;                  /* on the daemon's active list (see daemon.c) */
    struct xs_conn **pprev;    /* the link in d->conns that points at us */
    struct xs_conn *act_next, **act_pprev;
    struct xs_conn *next;
};

struct xs_conn *conn_new(struct xs_daemon *d, const struct xs_transport_ops *ops,
                         void *transport, int fd, uint32_t domid);
/*
 * Put c on the daemon's active list (O(1)): the loop looks at it next round
 * (re-registers its events, services, flushes, reaps). Anything that gives a
 * connection input, output or a broken state must leave it active.
 */
void conn_mark_active(struct xs_conn *c);
/* Take c off the active list (the loop, once c is idle; conn_destroy). O(1). */
void conn_unmark_active(struct xs_conn *c);
/* Close and free; removes its watches and transactions. */
void conn_destroy(struct xs_daemon *d, struct xs_conn *c);
/*
 * Read what the transport has and handle complete messages, at most
 * `budget` of them. Returns true if complete messages remain buffered.
 */
bool conn_service_input(struct xs_daemon *d, struct xs_conn *c, unsigned budget);
/* Write queued output. Returns true while output remains queued. */
bool conn_flush(struct xs_conn *c);
bool conn_can_take_input(const struct xs_conn *c);
/* True if a whole message (or an oversized header) waits in the input buffer. */
bool conn_has_message(const struct xs_conn *c);
/* Queue one message. Replies always queue; events drop beyond the bound. */
int conn_queue(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
               const void *payload, uint32_t len, bool is_reply);
/* Handle one framed message from bytes already validated by wire_check_header. */
void conn_handle_message(struct xs_daemon *d, struct xs_conn *c, const struct xsd_sockmsg *h,
                         const char *payload);

/* ---- socket transport (conn_socket.c) ---- */
extern const struct xs_transport_ops socket_transport;
/* Create, bind and listen on `path` (mode 0600). Returns the fd or -errno. */
int socket_listen(const char *path);
/* Accept one client as a privileged dom0 connection. */
struct xs_conn *socket_accept(struct xs_daemon *d, int listen_fd);

/* ---- wire (wire.c) ---- */
const char *wire_type_name(uint32_t type);
const char *wire_error_name(int err);
/* Validate a header: 0, or -EINVAL (bad type) / -E2BIG (len beyond the limit). */
int wire_check_header(const struct xsd_sockmsg *h);
/*
 * Split a payload into NUL-terminated strings. Returns the count (<= max),
 * or -EINVAL when the payload does not end with a NUL or holds more than max.
 */
int wire_split(const char *payload, uint32_t len, const char **vec, int max);
/* Parse a decimal unsigned below limit (exclusive); returns 0 or -EINVAL. */
int wire_parse_uint(const char *s, uint64_t limit, uint64_t *out);

/* ---- requests (request.c, control.c) ---- */
/* Process one request from conn; queues the reply (and any events). */
void request_dispatch(struct xs_daemon *d, struct xs_conn *conn, const struct xsd_sockmsg *h,
                      const char *payload);
/* CONTROL: returns 0 and a malloc'd reply text, or -errno. */
int control_command(struct xs_daemon *d, struct xs_conn *conn, const char **vec, int n,
                    char **reply, size_t *reply_len);

/* ---- trace (trace.c) ---- */
void trace_msg(struct xs_daemon *d, const struct xs_conn *c, const char *dir,
               const struct xsd_sockmsg *h, const char *payload);
void trace_text(struct xs_daemon *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- the daemon (daemon.c) ---- */
struct xs_guest_channel;

struct xs_daemon {
    struct node_table tree;
    uint64_t generation;       /* last generation handed out */
    uint32_t next_txn_id;
    unsigned next_conn_id;
    uint32_t quota[QUOTA_COUNT];
    struct xs_perms special_introduce, special_release;
    struct xs_domain *domains;
    struct xs_domain *domain_hash[DOMAIN_HASH_SIZE]; /* the same records, by domid */
    struct xs_conn *conns;     /* in creation order; doubly linked through pprev */
    struct xs_conn **conns_tail; /* the last connection's `next` (or &conns); NULL: empty */
    const struct xs_guest_channel *channel; /* NULL: guests cannot be served yet */
    bool keep_released_nodes;
    FILE *trace;
    bool log_enabled;
    int epfd;                  /* the loop's epoll set (daemon.c) */
    int ep_fixed[3];           /* listen, extra and exception fds registered in it, or -1 */
    struct xs_conn *active;    /* connections the loop must look at next round, */
    struct xs_conn **active_tail; /* in the order they became active (FIFO) */
    struct xs_watch **watch_hash; /* every watch by path (watch.c); NULL until the first */
    uint64_t watch_seq;
};

/* Build the initial tree and defaults. Returns 0 or -errno. */
int daemon_init(struct xs_daemon *d);
void daemon_destroy(struct xs_daemon *d);
/*
 * Serve until stop_fd (e.g. a signal's self-pipe) becomes readable: accept
 * on listen_fd (-1: none) and serve every connection. Returns 0 or -errno.
 */
int daemon_loop(struct xs_daemon *d, int listen_fd, int stop_fd);
/* One round of the loop with a poll timeout (ms, -1: wait); for tests. 0 or -errno. */
int daemon_poll_once(struct xs_daemon *d, int listen_fd, int timeout_ms);

#endif
