/*
 * xs_test_util.h: drive an in-process xenstored from unit tests.
 *
 * A test connection uses a memory transport: what the daemon writes lands in
 * a buffer, which tc_request() parses back into the reply (returned) and
 * watch events (queued for tc_event()). Connections with a domid other than
 * 0 behave as that guest (unprivileged, quotas apply).
 */
#ifndef XS_TEST_UTIL_H
#define XS_TEST_UTIL_H

#include "../../../dom0/xenstored/xenstored.h"

struct tc_reply {
    uint32_t type;
    uint32_t len;
    uint32_t req_id, tx_id;
    char body[XENSTORE_PAYLOAD_MAX + 1]; /* NUL added */
};

/* Initialise d (asserting success). */
void tc_daemon(struct xs_daemon *d);
struct xs_conn *tc_conn(struct xs_daemon *d, uint32_t domid);
/* Send one request (payload of len bytes) and return its reply. */
const struct tc_reply *tc_request(struct xs_daemon *d, struct xs_conn *c, uint32_t type,
                                  uint32_t tx, const void *payload, uint32_t len);
/* The request built from NUL-terminated strings (each sent with its NUL). */
const struct tc_reply *tc_req(struct xs_daemon *d, struct xs_conn *c, uint32_t type, uint32_t tx,
                              int nargs, ...);
/* Convenience: reply body as text ("OK", "ENOENT", a value...). */
const char *tc_read(struct xs_daemon *d, struct xs_conn *c, uint32_t tx, const char *path);
const char *tc_write(struct xs_daemon *d, struct xs_conn *c, uint32_t tx, const char *path,
                     const char *value);
const char *tc_simple(struct xs_daemon *d, struct xs_conn *c, uint32_t type, uint32_t tx,
                      const char *arg);
/* Next queued watch event of c: 1 and path/token copied, or 0 if none. */
int tc_event(struct xs_daemon *d, struct xs_conn *c, char *path, char *token);
/* Drop every queued event of c; returns how many. */
int tc_drain_events(struct xs_daemon *d, struct xs_conn *c);
/* Bytes the daemon has written to c so far (whole stream). */
size_t tc_stream_bytes(struct xs_conn *c);
/* Forget everything written to c so far (unparsed replies and events). */
void tc_skip_output(struct xs_conn *c);
/* Make c's transport stop accepting output (a stuck reader) or resume. */
void tc_set_stuck(struct xs_conn *c, bool stuck);

#endif
