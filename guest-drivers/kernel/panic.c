/*
 * panic.c: the kernel's last word. Prints "PANIC: <message>" on the console,
 * then shuts the domain down with reason crash.
 * Invariant: panic never hangs and never recurses: a panic raised while
 * panicking goes straight to the crash shutdown.
 */
#include <stdarg.h>

#include "guest/fmt.h"
#include "kernel.h"
#include "riscv.h"

static int panicking;

void panic(const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    intr_off();
    if (panicking++)
        kernel_crash();
    va_start(ap, fmt);
    fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("PANIC: %s\n", buf);
    kernel_crash();
}
