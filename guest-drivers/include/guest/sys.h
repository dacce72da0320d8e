/*
 * sys.h: the system-call ABI between the Umbra PV guest kernel and its user
 * programs: numbers, flags, errno values, wait statuses and the counters
 * record. Shared by guest-drivers/kernel and guest-drivers/user.
 *
 * Calling convention: `ecall` from U-mode with a7 = SYS_*, arguments in
 * a0..a5, the result in a0; failures return a negative errno.
 */
#ifndef GUEST_SYS_H
#define GUEST_SYS_H

#include <stdint.h>

#define SYS_exit      1   /* (int code) no return */
#define SYS_fork      2   /* () -> child pid in the parent, 0 in the child */
#define SYS_exec      3   /* (const char *name, char *const argv[]) -> only on error */
#define SYS_wait      4   /* (int *status or NULL) -> pid of a reaped child */
#define SYS_getpid    5
#define SYS_yield     6
#define SYS_sleep     7   /* (uint64_t ns) of guest time */
#define SYS_sbrk      8   /* (int64_t delta) -> old break */
#define SYS_mmap      9   /* (addr, len, prot, flags, fd=-1, off=0) -> address */
#define SYS_munmap    10  /* (addr, len) */
#define SYS_mprotect  11  /* (addr, len, prot) */
#define SYS_write     12  /* (fd, buf, len) -> bytes written */
#define SYS_read      13  /* (fd, buf, len) -> bytes read, 0 at end of file */
#define SYS_pipe      14  /* (int fds[2]) */
#define SYS_close     15  /* (fd) */
#define SYS_time      16  /* () -> guest time in ns since boot */
#define SYS_stats     17  /* (struct umbra_stats *) */
#define SYS_getppid   18
#define SYS_dup       19  /* (fd) -> lowest free fd */
#define SYS_nprogs    20  /* (char *buf, len) -> names of built-in programs, NUL-separated */
#define SYS_MAX       21

#define PROT_NONE  0x0
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4

#define MAP_SHARED    0x01   /* not supported: -EINVAL */
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20

#define EPERM   1
#define ENOENT  2
#define ESRCH   3
#define EINTR   4
#define E2BIG   7
#define ENOEXEC 8
#define EBADF   9
#define ECHILD  10
#define EAGAIN  11
#define ENOMEM  12
#define EACCES  13
#define EFAULT  14
#define EEXIST  17
#define EINVAL  22
#define EMFILE  24
#define EPIPE   32
#define ENOSYS  38

/* Wait statuses, POSIX-encoded: exit code << 8, or the signal number. */
#define SIGILL  4
#define SIGKILL 9
#define SIGSEGV 11
#define WIFEXITED(s)   (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s) & 0x7f) != 0)
#define WTERMSIG(s)    ((s) & 0x7f)

#define USER_MAX_ARGS 32
#define USER_MAX_ARGLEN 1024   /* all argument strings together */

/* What SYS_stats reports: guest time and the kernel's own event counters. */
struct umbra_stats {
    uint64_t time_ns;        /* guest time since boot */
    uint64_t syscalls;
    uint64_t page_faults;    /* user page faults taken */
    uint64_t zero_fills;     /* 4 KiB demand-zero fills */
    uint64_t huge_fills;     /* 2 MiB demand-zero fills */
    uint64_t cow_faults;     /* copy-on-write breaks (copies or reuse) */
    uint64_t cow_copies;     /* pages copied by COW */
    uint64_t ctx_switches;
    uint64_t forks;
    uint64_t execs;
    uint64_t tlb_flush_page; /* sfence.vma va, asid */
    uint64_t tlb_flush_asid; /* sfence.vma x0, asid */
    uint64_t tlb_flush_all;  /* sfence.vma x0, x0 (ASID rollover only) */
    uint64_t timer_irqs;
    uint64_t evtchn_upcalls;
    uint64_t frames_free;    /* 4 KiB frames free in the guest */
    uint64_t frames_total;
    uint64_t pt_pages;       /* page-table pages in use */
};

#endif
