/*
 * kernel.h: what every file of the Umbra PV guest kernel shares: page
 * constants, printk, panic and the kernel's event counters.
 *
 * The kernel runs on one vCPU with interrupts disabled whenever it executes
 * (it is entered only by traps, and only the idle loop opens the interrupt
 * window), so no data structure needs a lock. Every function that relies on
 * this says so by living in this kernel.
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest/string.h"
#include "guest/sys.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096UL
#define HUGE_SHIFT 21
#define HUGE_SIZE  (1UL << HUGE_SHIFT)
#define PAGE_ROUND_UP(x)   (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define PAGE_ROUND_DOWN(x) ((x) & ~(PAGE_SIZE - 1))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define KERNEL_BANNER "Umbra PV kernel 0.2 (riscv64)"

/* console.c */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *buf, size_t len);

/* panic.c: prints the message and shuts the domain down with reason crash. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define BUG_ON(cond) do { if (cond) panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); } while (0)

/* shutdown.c: SCHEDOP_shutdown with a reason; never returns. */
void kernel_poweroff(void) __attribute__((noreturn));
void kernel_reboot(void) __attribute__((noreturn));
void kernel_crash(void) __attribute__((noreturn));

/* The kernel's own event counters, reported by SYS_stats (time and frames filled in there). */
extern struct umbra_stats kstats;

#endif
