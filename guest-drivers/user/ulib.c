/*
 * ulib.c: system-call wrappers and console output for user programs.
 */
#include <stdarg.h>

#include "guest/fmt.h"
#include "guest/ulib.h"

static inline long syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
    register long r0 __asm__("a0") = a0;
    register long r1 __asm__("a1") = a1;
    register long r2 __asm__("a2") = a2;
    register long r3 __asm__("a3") = a3;
    register long r4 __asm__("a4") = a4;
    register long r5 __asm__("a5") = a5;
    register long r7 __asm__("a7") = nr;

    __asm__ volatile("ecall"
                     : "+r"(r0)
                     : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r7)
                     : "memory");
    return r0;
}

#define SC0(nr) syscall6(nr, 0, 0, 0, 0, 0, 0)
#define SC1(nr, a) syscall6(nr, (long)(a), 0, 0, 0, 0, 0)
#define SC2(nr, a, b) syscall6(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define SC3(nr, a, b, c) syscall6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)

void exit(int code)
{
    SC1(SYS_exit, code);
    for (;;)
        ;
}

long fork(void) { return SC0(SYS_fork); }
long exec(const char *name, char *const argv[]) { return SC2(SYS_exec, name, argv); }
long wait(int *status) { return SC1(SYS_wait, status); }
long getpid(void) { return SC0(SYS_getpid); }
long getppid(void) { return SC0(SYS_getppid); }
long yield(void) { return SC0(SYS_yield); }
long sleep_ns(uint64_t ns) { return SC1(SYS_sleep, ns); }
void *sbrk(int64_t delta) { return (void *)SC1(SYS_sbrk, delta); }
long munmap(void *addr, uint64_t len) { return SC2(SYS_munmap, addr, len); }
long mprotect(void *addr, uint64_t len, int prot) { return SC3(SYS_mprotect, addr, len, prot); }
long write(int fd, const void *buf, uint64_t len) { return SC3(SYS_write, fd, buf, len); }
long read(int fd, void *buf, uint64_t len) { return SC3(SYS_read, fd, buf, len); }
long pipe(int fds[2]) { return SC1(SYS_pipe, fds); }
long close(int fd) { return SC1(SYS_close, fd); }
long dup(int fd) { return SC1(SYS_dup, fd); }
uint64_t time_ns(void) { return (uint64_t)SC0(SYS_time); }
long get_stats(struct umbra_stats *s) { return SC1(SYS_stats, s); }

void *mmap(void *addr, uint64_t len, int prot, int flags)
{
    return (void *)syscall6(SYS_mmap, (long)addr, (long)len, prot, flags, -1, 0);
}

int printf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(buf) - 1)
        n = sizeof(buf) - 1;
    write(1, buf, (uint64_t)n);
    return n;
}

void report(const char *name, uint64_t ops, const char *unit, uint64_t ns,
            const struct umbra_stats *before)
{
    struct umbra_stats now;
    uint64_t per = ops ? ns / ops : 0;
    uint64_t frac = ops ? (ns % ops) * 10 / ops : 0;

    printf("%s: %lu %s in %lu us, %lu.%lu ns/%s\n", name, ops, unit, ns / 1000, per, frac,
           unit);
    if (before && get_stats(&now) == 0)
        printf("%s: kernel: %lu page faults (%lu zero, %lu huge, %lu cow, %lu copied), "
               "%lu switches, %lu page flushes, %lu asid flushes\n",
               name, now.page_faults - before->page_faults, now.zero_fills - before->zero_fills,
               now.huge_fills - before->huge_fills, now.cow_faults - before->cow_faults,
               now.cow_copies - before->cow_copies, now.ctx_switches - before->ctx_switches,
               now.tlb_flush_page - before->tlb_flush_page,
               now.tlb_flush_asid - before->tlb_flush_asid);
}

void report_checksum(const char *name, uint64_t sum)
{
    printf("%s: checksum=0x%016lx\n", name, sum);
}
