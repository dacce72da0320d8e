/*
 * console.h: the hypervisor console ring (`xl dmesg`) and each domain's
 * console_io output buffer (`xl console`).
 *
 * Invariants: both are bounded rings addressed by a free-running byte offset,
 * so a reader that fell behind skips to the oldest retained byte and never
 * reads stale data; xen_log() may be called with or without xen_lock held
 * (the ring has its own leaf lock, lock-order.h).
 */
#ifndef UMBRA_CONSOLE_H
#define UMBRA_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#define XEN_CONRING_SIZE  (64 * 1024)
#define DOM_CONSOLE_SIZE  (64 * 1024)

/* Log one line ("(XEN) " prefix and newline added) to the ring and to stderr. */
void xen_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Copy up to `len` bytes of the ring into buf. With incremental, start at
 * *index (a free-running offset, updated to where reading stopped); without,
 * start at the oldest byte. clear empties the ring afterwards. Returns bytes.
 */
size_t xen_conring_read(char *buf, size_t len, int incremental, uint32_t *index, int clear);
/* Drop the ring's contents (tests, `xl dmesg -c`). */
void xen_conring_clear(void);
/* Echo log lines to stderr too (default on; tests turn it off). */
void xen_log_set_stderr(int on);

struct dom_console;
struct dom_console *dom_console_alloc(void);
void dom_console_free(struct dom_console *c);
void dom_console_write(struct dom_console *c, const char *buf, size_t len);
/*
 * Read up to len bytes from *off (clamped to the oldest retained byte; *off is
 * updated to the offset read from). Returns the bytes copied; *end gets the
 * total written so far.
 */
size_t dom_console_read(struct dom_console *c, uint64_t *off, char *buf, size_t len, uint64_t *end);

#endif
