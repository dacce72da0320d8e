/*
 * selftest: the kernel's edge cases for fork, exec, wait, mmap, munmap,
 * mprotect, sbrk, pipes and faults. Every case prints PASS or FAIL; the
 * program prints "selftest: N passed, M failed" and exits 0 only if none
 * failed. Faults are provoked in children, whose wait status must show the
 * signal (the kernel logs each kill).
 */
#include "guest/ulib.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static int passed, failed;
static int case_ok;

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            printf("selftest:   line %d: %s\n", __LINE__, #cond);           \
            case_ok = 0;                                                     \
        }                                                                    \
    } while (0)

static void run(const char *name, void (*fn)(void))
{
    case_ok = 1;
    fn();
    printf("selftest: %-28s %s\n", name, case_ok ? "PASS" : "FAIL");
    if (case_ok)
        passed++;
    else
        failed++;
}

/* Runs fn in a child and returns its wait status. */
static int in_child(void (*fn)(void *), void *arg)
{
    long pid = fork();

    if (pid == 0) {
        fn(arg);
        exit(0);
    }
    int status = -1;
    if (pid < 0 || wait(&status) != pid)
        return -1;
    return status;
}

static void do_read(void *p) { (void)*(volatile uint64_t *)p; }
static void do_write(void *p) { *(volatile uint64_t *)p = 1; }
static void do_exec_page(void *p) { ((void (*)(void))p)(); }
static bool segv(int status) { return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV; }

static void t_pids(void)
{
    CHECK(getpid() > 1);
    CHECK(getppid() == 1);
}

static void t_sbrk(void)
{
    char *a = sbrk(0);
    char *b = sbrk(3 * 4096 + 100);
    CHECK(a == b);
    CHECK(sbrk(0) == a + 3 * 4096 + 100);
    for (int i = 0; i < 3 * 4096 + 100; i++)
        a[i] = (char)i;
    CHECK(a[5000] == (char)5000);
    CHECK(sbrk(-(3 * 4096 + 100)) == a + 3 * 4096 + 100);
    CHECK(sbrk(0) == a);
    CHECK(segv(in_child(do_read, a + 8192)));
    CHECK(IS_ERR(sbrk(-(int64_t)(1 << 30))));
}

static void t_mmap_basic(void)
{
    uint64_t *p = mmap(0, 5 * 4096, RW, ANON);
    CHECK(!IS_ERR(p) && ((uint64_t)p & 4095) == 0);
    if (IS_ERR(p))
        return;
    uint64_t z = 0;
    for (int i = 0; i < 5 * 512; i++)
        z |= p[i];
    CHECK(z == 0);
    p[4 * 512 + 7] = 99;
    CHECK(p[4 * 512 + 7] == 99);
    CHECK(munmap(p, 5 * 4096) == 0);
}

static void t_mmap_errors(void)
{
    CHECK((long)mmap(0, 0, RW, ANON) == -EINVAL);
    CHECK((long)mmap(0, 4096, RW, MAP_SHARED | MAP_ANONYMOUS) == -EINVAL);
    CHECK((long)mmap((void *)0x30000123, 4096, RW, ANON | MAP_FIXED) == -EINVAL);
    CHECK((long)mmap((void *)0x80000000, 4096, RW, ANON | MAP_FIXED) == -EINVAL);
    CHECK((long)mmap(0, 4096, 8, ANON) == -EINVAL);
    CHECK(munmap((void *)0x30000123, 4096) == -EINVAL);
    CHECK(munmap((void *)0x30000000, 0) == -EINVAL);
}

static void t_mmap_fixed(void)
{
    uint64_t *want = (uint64_t *)0x31000000;
    uint64_t *p = mmap(want, 4 * 4096, RW, ANON | MAP_FIXED);
    CHECK(p == want);
    if (p != want)
        return;
    p[0] = 1;
    p[512] = 2;
    /* A fixed mapping over the second page replaces it with zeroes. */
    uint64_t *q = mmap(want + 512, 4096, RW, ANON | MAP_FIXED);
    CHECK(q == want + 512);
    CHECK(p[0] == 1 && p[512] == 0);
    CHECK(munmap(want, 4 * 4096) == 0);
    CHECK(segv(in_child(do_read, want)));
}

static void t_munmap_hole(void)
{
    char *p = mmap(0, 8 * 4096, RW, ANON);
    if (IS_ERR(p)) {
        CHECK(0);
        return;
    }
    for (int i = 0; i < 8; i++)
        p[i * 4096] = (char)(i + 1);
    CHECK(munmap(p + 3 * 4096, 2 * 4096) == 0);
    CHECK(segv(in_child(do_read, p + 3 * 4096)));
    CHECK(segv(in_child(do_write, p + 4 * 4096 + 8)));
    CHECK(p[2 * 4096] == 3 && p[5 * 4096] == 6 && p[7 * 4096] == 8);
    CHECK(munmap(p, 8 * 4096) == 0);      /* spans the hole: fine */
    CHECK(munmap(p, 8 * 4096) == 0);      /* nothing there: still fine */
}

static void t_mprotect(void)
{
    uint64_t *p = mmap(0, 4 * 4096, RW, ANON);
    if (IS_ERR(p)) {
        CHECK(0);
        return;
    }
    p[0] = 11;
    p[512] = 22;
    CHECK(mprotect(p, 4096, PROT_READ) == 0);
    CHECK(p[0] == 11);
    CHECK(segv(in_child(do_write, p)));
    CHECK(in_child(do_write, p + 512) == 0);     /* the next page stays writable */
    CHECK(mprotect(p, 4096, PROT_NONE) == 0);
    CHECK(segv(in_child(do_read, p)));
    CHECK(mprotect(p, 4096, RW) == 0);
    CHECK(p[0] == 11);
    p[0] = 12;
    CHECK(p[0] == 12);
    CHECK(mprotect(p, 4096, PROT_READ | PROT_EXEC) == 0);
    CHECK(segv(in_child(do_exec_page, p + 1024)));  /* page 2 is not executable */
    CHECK(mprotect((void *)0x3F000000, 4096, PROT_READ) == -ENOMEM);
    CHECK(mprotect((char *)p + 1, 4096, PROT_READ) == -EINVAL);
    CHECK(munmap(p, 4 * 4096) == 0);
}

static void t_fork_cow(void)
{
    uint64_t *p = mmap(0, 2 * 4096, RW, ANON);
    if (IS_ERR(p)) {
        CHECK(0);
        return;
    }
    p[0] = 100;
    int fds[2];
    CHECK(pipe(fds) == 0);
    long pid = fork();
    if (pid == 0) {
        uint64_t seen;
        p[0] = 200;                          /* private to the child */
        read(fds[0], &seen, sizeof(seen));   /* parent has written its own value */
        exit(p[0] == 200 && p[512] == 0 ? 0 : 1);
    }
    p[512] = 300;                            /* private to the parent */
    uint64_t go = 1;
    write(fds[1], &go, sizeof(go));
    int status;
    CHECK(wait(&status) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(p[0] == 100 && p[512] == 300);
    close(fds[0]);
    close(fds[1]);
    munmap(p, 2 * 4096);
}

static void t_fork_prot(void)
{
    uint64_t *p = mmap(0, 4096, RW, ANON);
    p[3] = 77;
    mprotect(p, 4096, PROT_NONE);
    long pid = fork();
    if (pid == 0) {
        if (mprotect(p, 4096, RW))
            exit(2);
        p[3]++;
        exit(p[3] == 78 ? 0 : 1);
    }
    int status;
    CHECK(wait(&status) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(mprotect(p, 4096, PROT_READ) == 0);
    CHECK(p[3] == 77);
    munmap(p, 4096);
}

static void t_many_children(void)
{
    long pids[20];
    for (int i = 0; i < 20; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            sleep_ns((uint64_t)(20 - i) * 100000);
            exit(i);
        }
        CHECK(pids[i] > 0);
    }
    int seen = 0;
    for (int i = 0; i < 20; i++) {
        int status;
        long pid = wait(&status);
        for (int j = 0; j < 20; j++)
            if (pids[j] == pid && WEXITSTATUS(status) == j)
                seen |= 1 << j;
    }
    CHECK(seen == (1 << 20) - 1);
    CHECK(wait(0) == -ECHILD);
}

static void t_exec(void)
{
    char *av[] = { "true", "code=42", 0 };
    CHECK(exec("no-such-program", av) == -ENOENT);
    CHECK(exec((const char *)0x3F000000, av) == -EFAULT);
    CHECK(exec("true", (char **)0x3F000000) == -EFAULT);
    long pid = fork();
    if (pid == 0) {
        exec("true", av);
        exit(1);
    }
    int status;
    CHECK(wait(&status) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 42);
}

static void t_faults(void)
{
    CHECK(segv(in_child(do_read, (void *)0)));
    CHECK(segv(in_child(do_write, (void *)0x10000)));     /* our own text */
    CHECK(segv(in_child(do_read, (void *)0x90000000)));   /* the kernel's direct map */
    static const uint32_t bad_insn = 0;                   /* all-zero: illegal */
    int status = in_child(do_exec_page, (void *)&bad_insn);
    CHECK(WIFSIGNALED(status));
}

static void recurse(void *arg)
{
    volatile char frame[1024];
    uint64_t depth = (uint64_t)arg;
    frame[0] = (char)depth;
    if (depth > 0)
        recurse((void *)(depth - 1));
    if (frame[0] != (char)depth)
        exit(1);
}

static void t_stack(void)
{
    CHECK(in_child(recurse, (void *)512) == 0);   /* ~512 KiB of stack */
}

static void t_pipe(void)
{
    int fds[2];
    char buf[16];
    CHECK(pipe(fds) == 0);
    CHECK(write(fds[1], "hello", 5) == 5);
    CHECK(read(fds[0], buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0);
    CHECK(write(fds[1], (void *)0x3F000000, 5) == -EFAULT);
    CHECK(close(fds[1]) == 0);
    CHECK(read(fds[0], buf, sizeof(buf)) == 0);
    CHECK(close(fds[0]) == 0);
    CHECK(close(fds[0]) == -EBADF);
    CHECK(pipe(fds) == 0);
    close(fds[0]);
    CHECK(write(fds[1], "x", 1) == -EPIPE);
    close(fds[1]);
    CHECK(write(1, (void *)0x3F000000, 5) == -EFAULT);
    CHECK(write(9, "x", 1) == -EBADF);
}

static void t_sleep(void)
{
    uint64_t t0 = time_ns();
    CHECK(sleep_ns(2000000) == 0);
    CHECK(time_ns() - t0 >= 2000000);
}

static void t_huge(void)
{
    uint64_t size = 4 << 20;
    char *p = mmap(0, size, RW, ANON);
    if (IS_ERR(p)) {
        CHECK(0);
        return;
    }
    for (uint64_t off = 0; off < size; off += 4096)
        p[off] = (char)(off >> 12);
    /* Punch a 4 KiB hole and write-protect another page: 2 MiB pages must split. */
    CHECK(munmap(p + 0x101000, 4096) == 0);
    CHECK(mprotect(p + 0x203000, 4096, PROT_READ) == 0);
    CHECK(segv(in_child(do_read, p + 0x101000)));
    CHECK(segv(in_child(do_write, p + 0x203000)));
    int ok = 1;
    for (uint64_t off = 0; off < size; off += 4096)
        if (off != 0x101000 && p[off] != (char)(off >> 12))
            ok = 0;
    CHECK(ok);
    long pid = fork();
    if (pid == 0) {
        p[0x300000] = 5;
        exit(p[0x300000] == 5 ? 0 : 1);
    }
    int status;
    CHECK(wait(&status) == pid && status == 0);
    CHECK(p[0x300000] == (char)0x300);
    CHECK(munmap(p, size) == 0);
}

static void t_stats(void)
{
    struct umbra_stats s;
    CHECK(get_stats(&s) == 0);
    CHECK(s.forks > 0 && s.frames_free > 0 && s.frames_free < s.frames_total);
    CHECK(get_stats((struct umbra_stats *)0x3F000000) == -EFAULT);
}

int main(void)
{
    run("getpid/getppid", t_pids);
    run("sbrk", t_sbrk);
    run("mmap basic", t_mmap_basic);
    run("mmap/munmap errors", t_mmap_errors);
    run("mmap MAP_FIXED", t_mmap_fixed);
    run("munmap hole", t_munmap_hole);
    run("mprotect", t_mprotect);
    run("fork copy-on-write", t_fork_cow);
    run("fork PROT_NONE page", t_fork_prot);
    run("fork 20 children", t_many_children);
    run("exec", t_exec);
    run("faults kill the child", t_faults);
    run("stack growth", t_stack);
    run("pipes", t_pipe);
    run("sleep", t_sleep);
    run("large mapping split", t_huge);
    run("stats", t_stats);
    printf("selftest: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
