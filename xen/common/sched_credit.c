/*
 * sched_credit.c: the pCPU threads and the credit scheduler.
 *
 * Each pCPU is a host thread that loops: fire due timers, pick a vCPU, run
 * it for one slice with xen_lock released, then handle its exit with the lock
 * held. Credit is modeled time (ns): every CSCHED_ACCT_NS of system time,
 * nr_pcpus x CSCHED_ACCT_NS of credit is shared among the active domains in
 * proportion to their weights (a cap limits a domain to cap% of one pCPU per
 * period); running debits what the slice consumed. vCPUs with credit left
 * (UNDER) run before those without (OVER), FIFO within each class, so equal
 * weights share equally and a weight-512 domain gets twice a weight-256 one.
 * Blocked vCPUs are off the run queue and earn nothing.
 *
 * Time: system time advances by the modeled time the pCPUs run; when every
 * pCPU is idle it jumps to the next timer deadline (or accounting boundary
 * when a capped vCPU is waiting). With one pCPU no decision depends on host
 * timing, so runs are deterministic.
 * Invariants (xen_lock): a vCPU is on the run queue iff it is runnable, not
 * blocked and not running; is_running is set only by the pCPU that runs it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "umbra/console.h"
#include "umbra/event.h"
#include "umbra/flush.h"
#include "umbra/sched.h"
#include "umbra/traps.h"
#include "umbra/vcpu.h"

struct umbra_lock xen_lock = UMBRA_LOCK_INIT("xen", LOCK_LEVEL_XEN);

struct pcpu {
    pthread_t thread;
    unsigned id;
    bool started;
    bool idle;
    uint64_t clock;          /* this pCPU's system time */
};

static struct pcpu pcpus[MAX_PCPUS];
static unsigned nr_pcpus = 1;
static uint64_t now;                    /* system time, ns */
static uint64_t next_acct = CSCHED_ACCT_NS;
static struct vcpu *runq_head, *runq_tail;
static bool stopping;
static pthread_cond_t work_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t quiesce_cond = PTHREAD_COND_INITIALIZER;
static _Thread_local struct pcpu *this_pcpu;

uint64_t sched_now(void)
{
    return now;
}

unsigned sched_nr_pcpus(void)
{
    return nr_pcpus;
}

int sched_init(unsigned n)
{
    if (n < 1 || n > MAX_PCPUS)
        return -EINVAL;
    nr_pcpus = n;
    for (unsigned i = 0; i < n; i++)
        pcpus[i] = (struct pcpu){ .id = i };
    now = 0;
    next_acct = CSCHED_ACCT_NS;
    runq_head = runq_tail = NULL;
    stopping = false;
    return 0;
}

static void runq_insert(struct vcpu *v)
{
    v->rq_next = NULL;
    if (runq_tail)
        runq_tail->rq_next = v;
    else
        runq_head = v;
    runq_tail = v;
    v->on_runq = true;
}

static void runq_remove(struct vcpu *v)
{
    struct vcpu *prev = NULL;

    for (struct vcpu *x = runq_head; x; prev = x, x = x->rq_next)
        if (x == v) {
            if (prev)
                prev->rq_next = v->rq_next;
            else
                runq_head = v->rq_next;
            if (runq_tail == v)
                runq_tail = prev;
            break;
        }
    v->on_runq = false;
    v->rq_next = NULL;
}

static void runstate_change(struct vcpu *v, int state)
{
    if (v->runstate == state)
        return;
    if (now > v->runstate_entry)
        v->runstate_time[v->runstate] += now - v->runstate_entry;
    v->runstate_entry = now;
    v->runstate = state;
}

void sched_vcpu_update(struct vcpu *v)
{
    bool can_run;

    ASSERT_XEN_LOCKED();
    can_run = vcpu_runnable_state(v) && !v->blocked;
    if (can_run && !v->is_running && !v->on_runq) {
        runq_insert(v);
        runstate_change(v, VRS_runnable);
        pthread_cond_broadcast(&work_cond);
    } else if (!can_run && v->on_runq) {
        runq_remove(v);
    }
    if (!v->is_running && !can_run)
        runstate_change(v, v->initialised && v->is_up && v->blocked ? VRS_blocked : VRS_offline);
}

void vcpu_wake(struct vcpu *v)
{
    ASSERT_XEN_LOCKED();
    v->blocked = false;
    v->polling = false;
    sched_vcpu_update(v);
}

void vcpu_block(struct vcpu *v)
{
    ASSERT_XEN_LOCKED();
    v->blocked = true;
    sched_vcpu_update(v);
}

void sched_vcpu_remove(struct vcpu *v)
{
    ASSERT_XEN_LOCKED();
    if (v->on_runq)
        runq_remove(v);
}

void sched_quiesce_domain(struct domain *d)
{
    bool busy;

    ASSERT_XEN_LOCKED();
    BUG_ON(this_pcpu != NULL);   /* a pCPU waiting for itself would never wake */
    do {
        busy = false;
        for (unsigned i = 0; i < d->max_vcpus; i++)
            busy |= d->vcpus[i] && d->vcpus[i]->is_running;
        if (busy)
            pthread_cond_wait(&quiesce_cond, &xen_lock.mutex);
    } while (busy);
}

/* Share out credit for the period ending now (Xen's csched_acct, simplified). */
static void csched_acct(void)
{
    uint64_t total_weight = 0;
    uint64_t credit_total = CSCHED_ACCT_NS * nr_pcpus;

    for (struct domain *d = domain_list(); d; d = d->next) {
        unsigned active = 0;

        for (unsigned i = 0; i < d->max_vcpus; i++)
            active += d->vcpus[i] && (d->vcpus[i]->on_runq || d->vcpus[i]->is_running);
        if (active)
            total_weight += d->weight;
    }
    for (struct domain *d = domain_list(); d; d = d->next) {
        unsigned active = 0;
        int64_t share, limit = (int64_t)CSCHED_ACCT_NS;

        d->cap_used = 0;
        for (unsigned i = 0; i < d->max_vcpus; i++)
            active += d->vcpus[i] && (d->vcpus[i]->on_runq || d->vcpus[i]->is_running);
        if (!active || !total_weight)
            continue;
        share = (int64_t)(credit_total * d->weight / total_weight / active);
        for (unsigned i = 0; i < d->max_vcpus; i++) {
            struct vcpu *v = d->vcpus[i];

            if (!v)
                continue;
            v->credit += share;
            if (v->credit > limit)
                v->credit = limit;    /* no hoarding while idle */
            if (v->credit < -limit)
                v->credit = -limit;
        }
    }
}

static bool capped_out(const struct vcpu *v)
{
    const struct domain *d = v->domain;

    return d->cap && d->cap_used >= CSCHED_ACCT_NS * d->cap / 100;
}

/* Take the next vCPU: the first UNDER one, else the first OVER one; NULL if none. */
static struct vcpu *runq_pick(bool *capped_waiting)
{
    struct vcpu *over = NULL;

    *capped_waiting = false;
    for (struct vcpu *v = runq_head; v; v = v->rq_next) {
        if (capped_out(v)) {
            *capped_waiting = true;
            continue;
        }
        if (v->credit > 0) {
            runq_remove(v);
            return v;
        }
        if (!over)
            over = v;
    }
    if (over)
        runq_remove(over);
    return over;
}

static uint64_t min_nz(uint64_t a, uint64_t b)
{
    if (!a)
        return b;
    return (b && b < a) ? b : a;
}

/* Instructions for a slice starting at `start` (bounded by timers and the period). */
static uint64_t slice_budget(struct vcpu *v, uint64_t start)
{
    uint64_t end = start + CSCHED_SLICE_NS;
    uint64_t t = min_nz(min_nz(v->timer_deadline, v->sbi_deadline), timers_next_deadline());
    uint64_t ns, insns;

    t = min_nz(t, next_acct);
    if (t && t > start && t < end)
        end = t;
    ns = end - start;
    insns = ns * (XEN_CYCLE_FREQ_HZ / 1000000) / 1000 * 1000 /
            (cost_model_default.cpi_milli ? cost_model_default.cpi_milli : 1000);
    return insns ? insns : 1;
}

/* Run v for one slice on pCPU p (xen_lock held on entry and exit). */
static void run_slice(struct pcpu *p, struct vcpu *v)
{
    struct domain *d = v->domain;
    struct hart_exit ex = { 0 };
    enum hart_exit_kind kind;
    uint64_t start, end, budget;

    v->is_running = true;
    v->processor = (int)p->id;
    runstate_change(v, VRS_running);
    start = p->clock > now ? p->clock : now;
    budget = slice_budget(v, start);
    vcpu_prepare_entry(v, start);

    xen_lock_release();
    vcpu_enter_guest(v);
    kind = hart_run(v->hart, budget, &ex);
    vcpu_leave_guest(v);
    xen_lock_acquire();

    v->stats = *hart_counters(v->hart);
    v->stats_cycles = hart_modeled_cycles(v->hart);
    end = vcpu_guest_time_ns(v);
    if (end < start)
        end = start;
    p->clock = end;
    if (now < end)
        now = end;
    v->cpu_time += end - start;
    v->credit -= (int64_t)(end - start);
    d->cap_used += end - start;

    if (!d->is_dying)
        vcpu_handle_exit(v, kind, &ex);
    v->is_running = false;
    runstate_change(v, VRS_runnable);
    sched_vcpu_update(v);
    pthread_cond_broadcast(&quiesce_cond);
}

/* Advance accounting and timers to `now`. */
static void sched_tick(void)
{
    while (now >= next_acct) {
        csched_acct();
        next_acct += CSCHED_ACCT_NS;
    }
    timers_fire(now);
}

static bool all_other_pcpus_idle(const struct pcpu *p)
{
    for (unsigned i = 0; i < nr_pcpus; i++)
        if (&pcpus[i] != p && pcpus[i].started && !pcpus[i].idle)
            return false;
    return true;
}

/*
 * One scheduling decision on p. Returns true if a vCPU ran; false if p is
 * idle (then *jump is the time to jump to when all pCPUs are idle, or 0).
 */
static bool schedule_once(struct pcpu *p, uint64_t *jump)
{
    bool capped;
    struct vcpu *v;

    sched_tick();
    v = runq_pick(&capped);
    if (v) {
        run_slice(p, v);
        return true;
    }
    *jump = min_nz(timers_next_deadline(), capped ? next_acct : 0);
    return false;
}

static void *pcpu_main(void *arg)
{
    struct pcpu *p = arg;
    uint64_t jump;

    this_pcpu = p;
    xen_lock_acquire();
    while (!stopping) {
        if (schedule_once(p, &jump))
            continue;
        if (jump && all_other_pcpus_idle(p)) {
            if (jump > now)
                now = jump;   /* nothing runs until then: skip the idle time */
            continue;
        }
        p->idle = true;
        pthread_cond_wait(&work_cond, &xen_lock.mutex);
        p->idle = false;
    }
    xen_lock_release();
    return NULL;
}

int sched_start(void)
{
    for (unsigned i = 0; i < nr_pcpus; i++) {
        int rc = pthread_create(&pcpus[i].thread, NULL, pcpu_main, &pcpus[i]);

        if (rc)
            return -rc;
        pcpus[i].started = true;
    }
    return 0;
}

void sched_stop(void)
{
    xen_lock_acquire();
    stopping = true;
    pthread_cond_broadcast(&work_cond);
    xen_lock_release();
    for (unsigned i = 0; i < nr_pcpus; i++)
        if (pcpus[i].started) {
            pthread_join(pcpus[i].thread, NULL);
            pcpus[i].started = false;
        }
}

bool sched_run_one(struct vcpu *v)
{
    ASSERT_XEN_LOCKED();
    sched_tick();
    if (!v->on_runq)
        return false;
    runq_remove(v);
    run_slice(&pcpus[0], v);
    return true;
}

unsigned sched_run_until_idle(unsigned max_slices)
{
    unsigned n = 0;
    uint64_t jump;

    xen_lock_acquire();
    while (n < max_slices) {
        if (schedule_once(&pcpus[0], &jump)) {
            n++;
            continue;
        }
        if (!jump)
            break;
        if (jump > now)
            now = jump;
    }
    xen_lock_release();
    return n;
}
