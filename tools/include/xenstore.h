/*
 * xenstore.h: Umbra's xenstore client library, an API-compatible subset of
 * Xen's libxenstore (same prototypes, struct xs_permissions, flag values).
 *
 * Every function may be called from several threads on one handle. Failures
 * return NULL/false and set errno (from the daemon's error name, e.g. ENOENT).
 * Returned arrays and strings are malloc'd; one free() releases an array and
 * the strings it points to.
 */
#ifndef UMBRA_XENSTORE_H
#define UMBRA_XENSTORE_H

#include <public/io/xs_wire.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XBT_NULL 0

/* Accepted and ignored, as in Xen 4.17. */
#define XS_OPEN_READONLY (1UL << 0)
#define XS_OPEN_SOCKETONLY (1UL << 1)
/* After xs_unwatch returns, no event of that (path, token) is delivered. */
#define XS_UNWATCH_FILTER (1UL << 2)

struct xs_handle;
typedef uint32_t xs_transaction_t;

struct xs_permissions {
    unsigned int id;
    unsigned int perms; /* XS_PERM_* bits */
};

#define XS_PERM_NONE 0x00
#define XS_PERM_READ 0x01
#define XS_PERM_WRITE 0x02
#define XS_PERM_ENOENT_OK 0x04
#define XS_PERM_OWNER 0x08
#define XS_PERM_IGNORE 0x10

/* Connect to $XENSTORED_PATH, else /var/run/xenstored/socket. */
struct xs_handle *xs_open(unsigned long flags);
void xs_close(struct xs_handle *xsh /* NULL ok */);
struct xs_handle *xs_daemon_open(void);
void xs_daemon_close(struct xs_handle *);

char **xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path, unsigned int *num);
void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path, unsigned int *len);
bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path, const void *data,
              unsigned int len);
bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path);
bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path);

struct xs_permissions *xs_get_permissions(struct xs_handle *h, xs_transaction_t t,
                                          const char *path, unsigned int *num);
bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
                        struct xs_permissions *perms, unsigned int num_perms);

bool xs_watch(struct xs_handle *h, const char *path, const char *token);
/* An fd that is readable while watch events are queued. */
int xs_fileno(struct xs_handle *h);
/* Non-blocking: the next event, or NULL with errno EAGAIN. */
char **xs_check_watch(struct xs_handle *h);
/* Blocking: the next event; vec[XS_WATCH_PATH], vec[XS_WATCH_TOKEN]. */
char **xs_read_watch(struct xs_handle *h, unsigned int *num);
bool xs_unwatch(struct xs_handle *h, const char *path, const char *token);

xs_transaction_t xs_transaction_start(struct xs_handle *h);
/* false with errno EAGAIN when the transaction must be retried. */
bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort);

bool xs_introduce_domain(struct xs_handle *h, unsigned int domid, unsigned long mfn,
                         unsigned int eventchn);
bool xs_set_target(struct xs_handle *h, unsigned int domid, unsigned int target);
bool xs_resume_domain(struct xs_handle *h, unsigned int domid);
bool xs_release_domain(struct xs_handle *h, unsigned int domid);
char *xs_get_domain_path(struct xs_handle *h, unsigned int domid);
bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid);
bool xs_path_is_subpath(const char *parent, const char *child);
char *xs_control_command(struct xs_handle *h, const char *cmd, void *data, unsigned int len);

/* xenstore_lib helpers. */
const char *xs_daemon_socket(void);
/* "r3" style; false on a malformed entry. */
bool xs_strings_to_perms(struct xs_permissions *perms, unsigned int num, const char *strings);
bool xs_perm_to_string(const struct xs_permissions *perm, char *buffer, size_t buf_len);
unsigned int xs_count_strings(const char *strings, unsigned int len);

#endif
