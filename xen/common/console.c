/*
 * console.c: the hypervisor console ring (`xl dmesg`) and the per-domain
 * console_io buffers (`xl console`).
 *
 * Invariants: a ring holds the last SIZE bytes written; `head` counts every
 * byte ever written, so [head - SIZE, head) is what can be read. The log ring
 * has its own leaf lock (conring_lock in lock-order.h): xen_log() may be
 * called from any thread, with or without xen_lock. Domain console buffers
 * are protected by xen_lock (their owner domain's lock).
 */
#include "umbra/console.h"
#include "umbra/lock-order.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ring {
    char *buf;
    size_t size;
    uint64_t head;      /* bytes ever written */
    uint64_t tail;      /* oldest readable offset (after a clear) */
};

struct dom_console {
    struct ring r;
};

static char conring_buf[XEN_CONRING_SIZE];
static struct ring conring = { conring_buf, XEN_CONRING_SIZE, 0, 0 };
static struct umbra_lock conring_lock = UMBRA_LOCK_INIT("console", LOCK_LEVEL_CONSOLE);
static bool log_stderr = true;

static void ring_write(struct ring *r, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        r->buf[(r->head + i) % r->size] = s[i];
    r->head += len;
    if (r->head - r->tail > r->size)
        r->tail = r->head - r->size;
}

/* Copy from *off (clamped into [tail, head]) up to len bytes. */
static size_t ring_read(const struct ring *r, uint64_t *off, char *buf, size_t len)
{
    uint64_t o = *off;
    size_t n = 0;

    if (o < r->tail || o > r->head)
        o = o > r->head ? r->head : r->tail;
    *off = o;
    while (n < len && o + n < r->head) {
        buf[n] = r->buf[(o + n) % r->size];
        n++;
    }
    return n;
}

void xen_log_set_stderr(int on)
{
    log_stderr = on != 0;
}

void xen_log(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    int n;

    memcpy(line, "(XEN) ", 6);
    va_start(ap, fmt);
    n = vsnprintf(line + 6, sizeof(line) - 7, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    n += 6;
    if ((size_t)n > sizeof(line) - 2)
        n = sizeof(line) - 2;
    line[n++] = '\n';
    line[n] = '\0';
    lock_take(&conring_lock);
    ring_write(&conring, line, (size_t)n);
    if (log_stderr)
        fputs(line, stderr);
    lock_release(&conring_lock);
}

size_t xen_conring_read(char *buf, size_t len, int incremental, uint32_t *index, int clear)
{
    uint64_t off;
    size_t n;

    lock_take(&conring_lock);
    off = conring.tail;
    if (incremental && index) {
        /* index is the low 32 bits of a free-running offset */
        uint64_t want = (conring.head & ~0xFFFFFFFFULL) | *index;
        if (want > conring.head)
            want -= 1ULL << 32;
        off = want;
    }
    n = ring_read(&conring, &off, buf, len);
    if (index)
        *index = (uint32_t)(off + n);
    if (clear)
        conring.tail = conring.head;
    lock_release(&conring_lock);
    return n;
}

void xen_conring_clear(void)
{
    lock_take(&conring_lock);
    conring.tail = conring.head;
    lock_release(&conring_lock);
}

struct dom_console *dom_console_alloc(void)
{
    struct dom_console *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->r.size = DOM_CONSOLE_SIZE;
    c->r.buf = malloc(c->r.size);
    if (!c->r.buf) {
        free(c);
        return NULL;
    }
    return c;
}

void dom_console_free(struct dom_console *c)
{
    if (!c)
        return;
    free(c->r.buf);
    free(c);
}

void dom_console_write(struct dom_console *c, const char *buf, size_t len)
{
    ring_write(&c->r, buf, len);
}

size_t dom_console_read(struct dom_console *c, uint64_t *off, char *buf, size_t len, uint64_t *end)
{
    size_t n = ring_read(&c->r, off, buf, len);

    *end = c->r.head;
    return n;
}
