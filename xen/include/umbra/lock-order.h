/*
 * lock-order.h: every lock of the hypervisor, what it protects, and the one
 * order in which locks may be taken (after Xen's mm-locks.h).
 *
 * Rule: a thread may take a lock only if its level is strictly greater than
 * the level of every lock it already holds. Two locks of the same level (two
 * domains' locks, say) are taken together only through lock_take_pair(),
 * which orders them by address. Debug builds (UMBRA_DEBUG, bug.h) keep a
 * per-thread stack of held locks and panic, naming the function and both
 * locks, on any out-of-order take, on a release of a lock not held, and in
 * failed ASSERT(lock_held_by_me(l)) preconditions.
 *
 * The table (outermost first; gaps leave room for new locks):
 *
 *  level  lock                     owner       protects
 *  -----  -----------------------  ----------  ---------------------------------------------
 *   10    xen_lock (the big lock)  xen/common  the domain list, domid allocation and all
 *                                              of xen/common's domain and vCPU fields
 *                                              (sched.h); LOCK_LEVEL_DOMLIST is the same
 *                                              level for a finer-grained list lock
 *   20    domain lock (per dom)    xen/common  reserved: a domain's lifecycle state and
 *                                              accounting (today under xen_lock)
 *   30    evtchn lock (per dom)    xen/common  reserved: event-channel tables (today under
 *                                              xen_lock)
 *   34    grant lock (per dom)     xen/common  the domain's grant table and maptrack
 *   40    paging lock (per dom)    xen/mm      mode-private state: shadow pool, shadow
 *                                              hash, out-of-sync list (d->paging_priv)
 *   50    p2m lock (per dom)       xen/mm      the domain's p2m tables and the counters in
 *                                              struct p2m_domain (p2m.c)
 *   54    sharing lock (global)    xen/mm      the shared-frame hash and its counts
 *   60    scheduler lock (per pCPU)xen/common  reserved: run queues, credit accounting
 *                                              (today under xen_lock)
 *   70    heap lock (global)       xen/mm      the buddy free lists, page_info of free
 *                                              frames, owner/type changes, mm_stats
 *   80    shootdown lock (global)  xen/common  vcpu.in_guest, vcpu.flush_pending (flush.h)
 *   90    console lock (global)    xen/common  the hypervisor console ring (xl dmesg);
 *                                              innermost, so anything may log
 *
 * Consequences written down once:
 *  - nothing may allocate frames while holding the console lock;
 *  - p2m_set_entry() allocates table frames under the p2m lock (50 < 70), but
 *    calls the TLB-shootdown hook (p2m->flush) only after dropping it, so a
 *    vCPU that is blocked on the p2m lock can still reach the flush point;
 *    the hook may take the shootdown lock (80) and wait, so callers of
 *    p2m_set_entry hold neither the p2m nor the heap lock;
 *  - a waker (event send) may take a scheduler lock under an evtchn lock;
 *  - xen_lock is released by a pCPU thread around hart_run(); a shootdown may
 *    wait holding xen_lock, because a pCPU leaving the guest takes only the
 *    shootdown lock (80) to flush, never xen_lock (flush.c).
 */
#ifndef UMBRA_LOCK_ORDER_H
#define UMBRA_LOCK_ORDER_H

#include <pthread.h>
#include <stdbool.h>

#include "umbra/bug.h"

enum lock_level {
    LOCK_LEVEL_XEN     = 10,
    LOCK_LEVEL_DOMLIST = 10,
    LOCK_LEVEL_DOMAIN  = 20,
    LOCK_LEVEL_EVTCHN  = 30,
    LOCK_LEVEL_GRANT   = 34,
    LOCK_LEVEL_PAGING  = 40,
    LOCK_LEVEL_P2M     = 50,
    LOCK_LEVEL_SHARING = 54,
    LOCK_LEVEL_SCHED   = 60,
    LOCK_LEVEL_HEAP    = 70,
    LOCK_LEVEL_SHOOTDOWN = 80,
    LOCK_LEVEL_CONSOLE = 90,
};

struct umbra_lock {
    pthread_mutex_t mutex;
    const char *name;
    enum lock_level level;
};

#define LOCK_HELD_MAX 16

/* The locks this thread holds, in the order taken (debug bookkeeping). */
struct lock_held_stack {
    unsigned depth;
    const struct umbra_lock *held[LOCK_HELD_MAX];
};
/* This thread's stack (lock-order.c; a call, not an inline TLS access). */
struct lock_held_stack *lock_held_this_thread(void);

#define UMBRA_LOCK_INIT(nm, lvl) { PTHREAD_MUTEX_INITIALIZER, (nm), (lvl) }

static inline void lock_init(struct umbra_lock *l, const char *name, enum lock_level level)
{
    pthread_mutex_init(&l->mutex, NULL);
    l->name = name;
    l->level = level;
}

/* The lock must not be held by anyone. */
static inline void lock_destroy(struct umbra_lock *l)
{
    pthread_mutex_destroy(&l->mutex);
}

/* Is l held by the calling thread? Exact in debug builds; true otherwise (for ASSERTs). */
static inline bool lock_held_by_me(const struct umbra_lock *l)
{
#if UMBRA_DEBUG
    const struct lock_held_stack *s = lock_held_this_thread();

    for (unsigned i = 0; i < s->depth; i++)
        if (s->held[i] == l)
            return true;
    return false;
#else
    (void)l;
    return true;
#endif
}

/* Debug: panic unless l may be taken now. `who` names the caller. */
static inline void lock_check_order(const struct umbra_lock *l, const char *who)
{
#if UMBRA_DEBUG
    const struct lock_held_stack *s = lock_held_this_thread();

    if (s->depth == LOCK_HELD_MAX)
        panic("%s: more than %d locks held taking %s", who, LOCK_HELD_MAX, l->name);
    for (unsigned i = 0; i < s->depth; i++)
        if (s->held[i]->level >= l->level)
            panic("%s: lock order violation: taking %s (level %d) while holding %s (level %d)",
                  who, l->name, l->level, s->held[i]->name, s->held[i]->level);
#else
    (void)l;
    (void)who;
#endif
}

static inline void lock_push(const struct umbra_lock *l)
{
#if UMBRA_DEBUG
    struct lock_held_stack *s = lock_held_this_thread();

    s->held[s->depth++] = l;
#else
    (void)l;
#endif
}

#define lock_take(l) lock_take_from((l), __func__)
static inline void lock_take_from(struct umbra_lock *l, const char *who)
{
    lock_check_order(l, who);
    if (pthread_mutex_lock(&l->mutex) != 0)
        panic("%s: pthread_mutex_lock(%s) failed", who, l->name);
    lock_push(l);
}

/*
 * Take two locks of the same level (e.g. two domains' locks), lower address
 * first. a and b may be the same lock (taken once). Release with
 * lock_release_pair().
 */
#define lock_take_pair(a, b) lock_take_pair_from((a), (b), __func__)
static inline void lock_take_pair_from(struct umbra_lock *a, struct umbra_lock *b, const char *who)
{
    struct umbra_lock *first = a < b ? a : b, *second = a < b ? b : a;

    if (a->level != b->level)
        panic("%s: lock_take_pair of %s and %s at different levels", who, a->name, b->name);
    lock_take_from(first, who);
    if (second == first)
        return;
    if (pthread_mutex_lock(&second->mutex) != 0)
        panic("%s: pthread_mutex_lock(%s) failed", who, second->name);
    lock_push(second);
}

#define lock_release(l) lock_release_from((l), __func__)
static inline void lock_release_from(struct umbra_lock *l, const char *who)
{
#if UMBRA_DEBUG
    struct lock_held_stack *s = lock_held_this_thread();
    unsigned i = s->depth;

    while (i > 0 && s->held[i - 1] != l)
        i--;
    if (i == 0)
        panic("%s: releasing %s, which this thread does not hold", who, l->name);
    for (; i < s->depth; i++)
        s->held[i - 1] = s->held[i];
    s->depth--;
#else
    (void)who;
#endif
    pthread_mutex_unlock(&l->mutex);
}

#define lock_release_pair(a, b)        \
    do {                               \
        struct umbra_lock *a_ = (a), *b_ = (b); \
        if (a_ != b_)                  \
            lock_release(b_);          \
        lock_release(a_);              \
    } while (0)

#endif
