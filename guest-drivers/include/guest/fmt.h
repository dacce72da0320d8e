/*
 * fmt.h: printf-style formatting into a caller's buffer, shared by the guest
 * kernel (printk) and user programs (printf).
 * Supported: %d %i %u %x %X %o %p %s %c %%, flags '-' '0', a width (or '*'),
 * a precision for %s, and the length modifiers l, ll, z.
 * Invariant: never writes past buf[size-1]; the output is always NUL-terminated
 * when size > 0.
 */
#ifndef GUEST_FMT_H
#define GUEST_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Returns the length the full output would have (like vsnprintf). */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
