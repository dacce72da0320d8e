/*
 * bug.h: the third failure tier of the hypervisor (STYLE.md habit 5).
 *
 *  - an error a caller can handle returns -errno through one `out:` label;
 *  - a guest's fault crashes only that domain (domain_crash, xen/common);
 *  - a broken internal invariant is a bug in Umbra itself: panic(), which
 *    names the function and the reason and aborts the daemon.
 *
 * BUG_ON(cond) panics when cond holds; ASSERT(cond) panics when cond fails,
 * in debug builds only (UMBRA_DEBUG: on unless NDEBUG is defined). Neither
 * may carry side effects that the code relies on.
 */
#ifndef UMBRA_BUG_H
#define UMBRA_BUG_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef NDEBUG
#define UMBRA_DEBUG 1
#else
#define UMBRA_DEBUG 0
#endif

/* Print "panic: <message>" to stderr and abort. Never returns. */
__attribute__((noreturn, format(printf, 1, 2)))
static inline void panic(const char *fmt, ...)
{
    va_list ap;

    fputs("(XEN) panic: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    abort();
}

#define BUG() panic("%s: BUG at %s:%d", __func__, __FILE__, __LINE__)

#define BUG_ON(cond)                                                              \
    do {                                                                          \
        if (__builtin_expect(!!(cond), 0))                                        \
            panic("%s: BUG_ON(%s) at %s:%d", __func__, #cond, __FILE__, __LINE__); \
    } while (0)

#if UMBRA_DEBUG
#define ASSERT(cond)                                                              \
    do {                                                                          \
        if (__builtin_expect(!(cond), 0))                                         \
            panic("%s: ASSERT(%s) failed at %s:%d", __func__, #cond, __FILE__,     \
                  __LINE__);                                                      \
    } while (0)
#else
#define ASSERT(cond) do { (void)sizeof(cond); } while (0)
#endif

#endif
