/*
 * syscall.c: the system-call table (numbers in guest/sys.h). Arguments come
 * from the trapframe; user pointers are only ever touched through the
 * copy_*_user helpers, so a bad pointer is -EFAULT, never a kernel fault.
 * Invariant: sepc is advanced past the ecall before the call runs, so a
 * fork child and a blocked caller resume after it.
 */
#include "file.h"
#include "frame.h"
#include "kernel.h"
#include "proc.h"
#include "programs.h"
#include "time.h"
#include "trap.h"
#include "uvm.h"
#include "vm.h"

static int sleep_chan;

static struct file *fd_file(int64_t fd)
{
    if (fd < 0 || fd >= NOFILE)
        return NULL;
    return current->files[fd];
}

static long fd_alloc(struct file *f)
{
    for (int fd = 0; fd < NOFILE; fd++)
        if (!current->files[fd]) {
            current->files[fd] = f;
            return fd;
        }
    return -EMFILE;
}

static long sys_exec(uint64_t uname, uint64_t uargv)
{
    static char strings[USER_MAX_ARGLEN];
    static char *argv[USER_MAX_ARGS + 1];
    char name[32];
    struct mm *mm = &current->mm;
    uint64_t used = 0;
    int argc = 0;

    if (copy_str_from_user(mm, name, uname, sizeof(name)) < 0)
        return -EFAULT;
    for (;; argc++) {
        uint64_t p;
        if (copy_from_user(mm, &p, uargv + (uint64_t)argc * 8, 8))
            return -EFAULT;
        if (!p)
            break;
        if (argc == USER_MAX_ARGS)
            return -E2BIG;
        long n = copy_str_from_user(mm, strings + used, p, USER_MAX_ARGLEN - used);
        if (n < 0)
            return n == -E2BIG ? -E2BIG : -EFAULT;
        argv[argc] = strings + used;
        used += (uint64_t)n + 1;
    }
    argv[argc] = NULL;
    return proc_exec(name, argc, argv);
}

static long sys_wait(uint64_t ustatus)
{
    int status = 0;
    long pid = proc_wait(&status);

    if (pid > 0 && ustatus && copy_to_user(&current->mm, ustatus, &status, sizeof(status)))
        return -EFAULT;
    return pid;
}

static long sys_sleep(uint64_t ns)
{
    uint64_t until = time_now_ns() + ns;

    while (time_now_ns() < until)
        proc_sleep(&sleep_chan, until);
    return 0;
}

static long sys_pipe(uint64_t ufds)
{
    struct file *rd, *wr;
    int rc = file_pipe(&rd, &wr);

    if (rc)
        return rc;
    long a = fd_alloc(rd);
    long b = a >= 0 ? fd_alloc(wr) : -EMFILE;
    int fds[2] = { (int)a, (int)b };
    if (b < 0 || copy_to_user(&current->mm, ufds, fds, sizeof(fds))) {
        if (a >= 0)
            current->files[a] = NULL;
        if (b >= 0)
            current->files[b] = NULL;
        file_close(rd);
        file_close(wr);
        return b < 0 ? -EMFILE : -EFAULT;
    }
    return 0;
}

static long sys_close(int64_t fd)
{
    struct file *f = fd_file(fd);

    if (!f)
        return -EBADF;
    current->files[fd] = NULL;
    file_close(f);
    return 0;
}

static long sys_stats(uint64_t ustats)
{
    struct umbra_stats s = kstats;

    s.time_ns = time_now_ns();
    s.frames_free = frame_free_count();
    s.frames_total = frame_total_count();
    s.pt_pages = vm_pt_pages();
    return copy_to_user(&current->mm, ustats, &s, sizeof(s)) ? -EFAULT : 0;
}

static long sys_progs(uint64_t ubuf, uint64_t len)
{
    uint64_t off = 0;
    const struct program *p;

    for (int i = 0; (p = program_at(i)) != NULL; i++) {
        uint64_t n = strlen(p->name) + 1;
        if (off + n > len)
            return -E2BIG;
        if (copy_to_user(&current->mm, ubuf + off, p->name, n))
            return -EFAULT;
        off += n;
    }
    return (long)off;
}

static long do_syscall(uint64_t nr, const uint64_t *a)
{
    struct mm *mm = &current->mm;
    struct file *f;

    switch (nr) {
    case SYS_exit:
        proc_exit((int)((a[0] & 0xff) << 8));
    case SYS_fork:
        return proc_fork();
    case SYS_exec:
        return sys_exec(a[0], a[1]);
    case SYS_wait:
        return sys_wait(a[0]);
    case SYS_getpid:
        return current->pid;
    case SYS_getppid:
        return current->parent ? current->parent->pid : 0;
    case SYS_yield:
        proc_yield();
        return 0;
    case SYS_sleep:
        return sys_sleep(a[0]);
    case SYS_sbrk:
        return uvm_sbrk(mm, (int64_t)a[0]);
    case SYS_mmap:
        return uvm_mmap(mm, a[0], a[1], (int)a[2], (int)a[3]);
    case SYS_munmap:
        return uvm_munmap(mm, a[0], a[1]);
    case SYS_mprotect:
        return uvm_mprotect(mm, a[0], a[1], (int)a[2]);
    case SYS_write:
        f = fd_file((int64_t)a[0]);
        return f ? file_write(f, mm, a[1], a[2]) : -EBADF;
    case SYS_read:
        f = fd_file((int64_t)a[0]);
        return f ? file_read(f, mm, a[1], a[2]) : -EBADF;
    case SYS_pipe:
        return sys_pipe(a[0]);
    case SYS_close:
        return sys_close((int64_t)a[0]);
    case SYS_dup:
        f = fd_file((int64_t)a[0]);
        if (!f)
            return -EBADF;
        long fd = fd_alloc(f);
        if (fd >= 0)
            file_dup(f);
        return fd;
    case SYS_time:
        return (long)time_now_ns();
    case SYS_stats:
        return sys_stats(a[0]);
    case SYS_nprogs:
        return sys_progs(a[0], a[1]);
    default:
        return -ENOSYS;
    }
}

void syscall_dispatch(struct trapframe *tf)
{
    tf->sepc += 4;
    kstats.syscalls++;
    long rc = do_syscall(tf->regs[REG_A7], &tf->regs[REG_A0]);
    /* exec replaced the whole frame of this same process; its return value is argc. */
    tf->regs[REG_A0] = (uint64_t)rc;
}
