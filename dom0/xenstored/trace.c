/*
 * trace.c: the trace log (-T FILE, like Xen's --trace-file).
 *
 * One line per message: time, direction, connection, type, req_id, tx_id
 * and the payload with NULs shown as spaces and non-printables escaped.
 * Tracing is on when a file is open and "CONTROL log off" has not switched
 * it off. Lines are flushed at once so a crash loses nothing.
 */
#include "xenstored.h"

#include <stdarg.h>
#include <time.h>

static void stamp(FILE *f)
{
    struct timespec ts;
    struct tm tm;
    char buf[32];

    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    strftime(buf, sizeof(buf), "%Y%m%d %H:%M:%S", &tm);
    fprintf(f, "%s.%06ld ", buf, ts.tv_nsec / 1000);
}

void trace_msg(struct xs_daemon *d, const struct xs_conn *c, const char *dir,
               const struct xsd_sockmsg *h, const char *payload)
{
    FILE *f = d->trace;

    if (!f || !d->log_enabled)
        return;
    stamp(f);
    fprintf(f, "%s conn %u dom %u %s req %u tx %u (", dir, c->id, c->domid,
            wire_type_name(h->type), h->req_id, h->tx_id);
    for (uint32_t i = 0; i < h->len && i < XENSTORE_PAYLOAD_MAX; i++) {
        unsigned char ch = (unsigned char)payload[i];

        if (ch == '\0')
            fputc(' ', f);
        else if (ch < 0x20 || ch >= 0x7f || ch == '\\')
            fprintf(f, "\\%03o", ch);
        else
            fputc(ch, f);
    }
    fputs(")\n", f);
    fflush(f);
}

void trace_text(struct xs_daemon *d, const char *fmt, ...)
{
    va_list ap;

    if (!d->trace || !d->log_enabled)
        return;
    stamp(d->trace);
    va_start(ap, fmt);
    vfprintf(d->trace, fmt, ap);
    va_end(ap);
    fputc('\n', d->trace);
    fflush(d->trace);
}
