/*
 * console.c: kernel console output through the console_io hypercall
 * (CONSOLEIO_write), which lands in the per-domain buffer `xl console` shows.
 * Invariant: one printk is one hypercall (each costs an exit), and a line is
 * never split unless it exceeds the 512-byte buffer.
 */
#include <stdarg.h>

#include "guest/fmt.h"
#include "hypercall.h"
#include "kernel.h"

/* Writes len bytes; the hypervisor may accept fewer per call, so loop. */
void console_write(const char *buf, size_t len)
{
    while (len > 0) {
        long n = HYPERVISOR_console_io(CONSOLEIO_write, len, buf);
        if (n < 0)
            return;                 /* nowhere to report it */
        if (n == 0)
            n = (long)len;          /* Xen returns 0 for a complete write */
        buf += n;
        len -= (size_t)n;
    }
}

void printk(const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(buf) - 1)
        n = sizeof(buf) - 1;
    console_write(buf, (size_t)n);
}
