/*
 * ulib.h: the user-space library of the Umbra PV guest's programs: system
 * call wrappers (guest/sys.h), printf to the console, checksums and the
 * figures every workload prints.
 * Convention: wrappers return the kernel's result unchanged, so failures are
 * negative errno values; mmap returns an address, or a value for which
 * IS_ERR() holds.
 */
#ifndef GUEST_ULIB_H
#define GUEST_ULIB_H

#include <stddef.h>
#include <stdint.h>

#include "guest/args.h"
#include "guest/string.h"
#include "guest/sys.h"

#define IS_ERR(p) ((uint64_t)(p) >= (uint64_t)-4095)

void exit(int code) __attribute__((noreturn));
long fork(void);
long exec(const char *name, char *const argv[]);
long wait(int *status);
long getpid(void);
long getppid(void);
long yield(void);
long sleep_ns(uint64_t ns);
void *sbrk(int64_t delta);
void *mmap(void *addr, uint64_t len, int prot, int flags);
long munmap(void *addr, uint64_t len);
long mprotect(void *addr, uint64_t len, int prot);
long write(int fd, const void *buf, uint64_t len);
long read(int fd, void *buf, uint64_t len);
long pipe(int fds[2]);
long close(int fd);
long dup(int fd);
uint64_t time_ns(void);
long get_stats(struct umbra_stats *s);

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* FNV-1a over 64-bit values: the checksum every workload prints. */
#define CKSUM_INIT 0xcbf29ce484222325ULL
static inline uint64_t cksum_add(uint64_t h, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* xorshift64*: the deterministic generator behind random access patterns. */
static inline uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/*
 * Prints "<name>: <ops> <unit> in <us> us, <ns/op> ns/<unit>" and the kernel
 * counters that moved between *before and now.
 */
void report(const char *name, uint64_t ops, const char *unit, uint64_t ns,
            const struct umbra_stats *before);
/* Prints "<name>: checksum=0x%016lx". */
void report_checksum(const char *name, uint64_t sum);

#endif
