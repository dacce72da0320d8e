/*
 * test_lock_order.c: the "xen/mm/lock_order" suite: the debug run-time check
 * of lock-order.h accepts the documented order and panics (in a forked
 * child) on an inversion, a same-level take outside lock_take_pair, and a
 * release of a lock not held.
 * Invariant: the parent process never holds a test lock across a test.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "umbra/lock-order.h"
#include "umbra_test.h"

static struct umbra_lock outer = UMBRA_LOCK_INIT("test-domain", LOCK_LEVEL_DOMAIN);
static struct umbra_lock inner = UMBRA_LOCK_INIT("test-heap", LOCK_LEVEL_HEAP);
static struct umbra_lock twin_a = UMBRA_LOCK_INIT("test-p2m-a", LOCK_LEVEL_P2M);
static struct umbra_lock twin_b = UMBRA_LOCK_INIT("test-p2m-b", LOCK_LEVEL_P2M);

/* Run fn in a child with stderr silenced; true if it died of SIGABRT (panic). */
static bool panics(void (*fn)(void))
{
    int status = 0;
    pid_t pid = fork();

    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);

        if (null >= 0)
            dup2(null, 2);
        fn();
        _exit(0);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return false;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void inverted(void)
{
    lock_take(&inner);
    lock_take(&outer);
}

static void same_level(void)
{
    lock_take(&twin_a);
    lock_take(&twin_b);
}

static void release_unheld(void)
{
    lock_release(&outer);
}

static void in_order(void)
{
    lock_take(&outer);
    lock_take(&inner);
    lock_release(&inner);
    lock_release(&outer);
}

static void test_order_accepted(void)
{
    in_order();
    CU_ASSERT(!lock_held_by_me(&outer));
    lock_take(&outer);
    CU_ASSERT(lock_held_by_me(&outer));
    lock_take_pair(&twin_b, &twin_a);
    CU_ASSERT(lock_held_by_me(&twin_a) && lock_held_by_me(&twin_b));
    lock_release_pair(&twin_b, &twin_a);
    lock_take_pair(&twin_a, &twin_a);             /* the same lock is taken once */
    lock_release_pair(&twin_a, &twin_a);
    lock_release(&outer);
    CU_ASSERT(!lock_held_by_me(&twin_a));
    CU_ASSERT(!panics(in_order));
}

static void test_violations_panic(void)
{
#if UMBRA_DEBUG
    CU_ASSERT(panics(inverted));
    CU_ASSERT(panics(same_level));
    CU_ASSERT(panics(release_unheld));
#endif
}

UMBRA_SUITE(mm_lock_order, "xen/mm/lock_order", NULL, NULL,
            UMBRA_TEST(test_order_accepted),
            UMBRA_TEST(test_violations_panic))
