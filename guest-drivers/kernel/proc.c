/*
 * proc.c: the process table, fork/exit/wait, sleeping and the scheduler
 * (round robin, preemptive at user-mode boundaries with the command-line
 * quantum). See proc.h for the invariants.
 *
 * The scheduler loop runs on the boot stack with its own context; a process
 * gives up the CPU by swtch'ing to it (sched()), xv6-style. The timer is
 * always armed for the earliest of the current slice's end and the earliest
 * timed sleeper, so an idle guest with sleepers costs one wake-up each.
 */
#include "cmdline.h"
#include "file.h"
#include "frame.h"
#include "kernel.h"
#include "proc.h"
#include "riscv.h"
#include "time.h"
#include "uvm.h"
#include "workload.h"

void swtch(struct context *old, struct context *new);

#define IDLE_MAX_NS 100000000ULL      /* 100 ms */

static struct proc procs[NPROC];
struct proc *current;
static struct proc *init_proc;
static struct context sched_ctx;
static int next_pid = 1;
static bool need_resched;
static uint64_t slice_end;

int proc_count(enum proc_state state)
{
    int n = 0;

    for (int i = 0; i < NPROC; i++)
        n += procs[i].state == state;
    return n;
}

static void fork_return(void)
{
    trap_return(current->tf);
}

/* A fresh process (EMBRYO) with a kernel stack whose first run enters fork_return. */
static struct proc *proc_alloc(void)
{
    for (int i = 0; i < NPROC; i++) {
        struct proc *p = &procs[i];
        if (p->state != P_UNUSED)
            continue;
        uint64_t kstack = frame_alloc_contig(KSTACK_PAGES);
        if (!kstack)
            return NULL;
        memset(p, 0, sizeof(*p));
        p->state = P_EMBRYO;
        p->pid = next_pid++;
        p->kstack = kstack;
        p->tf = (struct trapframe *)(kstack + KSTACK_PAGES * PAGE_SIZE - TF_SIZE);
        p->ctx.ra = (uint64_t)fork_return;
        p->ctx.sp = (uint64_t)p->tf;
        return p;
    }
    return NULL;
}

static void proc_free(struct proc *p)
{
    for (unsigned i = 0; i < KSTACK_PAGES; i++)
        frame_put(p->kstack + i * PAGE_SIZE);
    p->state = P_UNUSED;
}

/* ---- time and the scheduler ---- */

static void arm_timer(void)
{
    uint64_t deadline = current ? slice_end : 0;

    for (int i = 0; i < NPROC; i++)
        if (procs[i].state == P_SLEEPING && procs[i].wake_ns &&
            (deadline == 0 || procs[i].wake_ns < deadline))
            deadline = procs[i].wake_ns;
    time_set_deadline(deadline);
}

/* Makes runnable every timed sleeper whose time has come. */
static void wake_expired(uint64_t now)
{
    for (int i = 0; i < NPROC; i++)
        if (procs[i].state == P_SLEEPING && procs[i].wake_ns && procs[i].wake_ns <= now)
            procs[i].state = P_RUNNABLE;
}

/* The timer hook: wakes sleepers, and ends the slice when it is over. */
static void sched_tick(void)
{
    uint64_t now = time_now_ns();

    wake_expired(now);
    if (current && now >= slice_end)
        need_resched = true;
    arm_timer();
}

/* Back to the scheduler loop. The caller has set current's new state. */
static void sched(void)
{
    struct proc *p = current;

    if (p->state == P_RUNNING)
        panic("sched: pid %d still running", p->pid);
    swtch(&p->ctx, &sched_ctx);
}

static struct proc *pick_next(int *cursor)
{
    for (int n = 1; n <= NPROC; n++) {
        struct proc *p = &procs[(*cursor + n) % NPROC];
        if (p->state == P_RUNNABLE) {
            *cursor = (int)(p - procs);
            return p;
        }
    }
    return NULL;
}

static void __attribute__((noreturn)) scheduler(void)
{
    int cursor = 0;
    struct proc *last = NULL;

    for (;;) {
        /* Sleepers are woken by time, not only by the timer's event. */
        wake_expired(time_now_ns());
        struct proc *p = pick_next(&cursor);
        if (!p) {
            arm_timer();
            if (time_deadline() == 0)
                panic("scheduler: all %d processes are blocked and none has a timeout",
                      proc_count(P_SLEEPING));
            /* A lost timer event costs at most IDLE_MAX_NS of latency, never a hang. */
            if (time_deadline() > time_now_ns() + IDLE_MAX_NS)
                time_set_deadline(time_now_ns() + IDLE_MAX_NS);
            cpu_idle();
            continue;
        }
        p->state = P_RUNNING;
        current = p;
        if (p != last)
            kstats.ctx_switches++;
        last = p;
        vm_asid_refresh(&p->mm.asid);
        vm_activate(p->mm.root, p->mm.asid.asid);
        slice_end = time_now_ns() + kopts.quantum_ns;
        need_resched = false;
        arm_timer();
        swtch(&sched_ctx, &p->ctx);
        current = NULL;
    }
}

void proc_yield(void)
{
    current->state = P_RUNNABLE;
    sched();
}

void proc_sleep(const void *chan, uint64_t wake_ns)
{
    struct proc *p = current;

    p->chan = chan;
    p->wake_ns = wake_ns;
    p->state = P_SLEEPING;
    sched();
    p->chan = NULL;
    p->wake_ns = 0;
}

void proc_wakeup(const void *chan)
{
    for (int i = 0; i < NPROC; i++)
        if (procs[i].state == P_SLEEPING && procs[i].chan == chan)
            procs[i].state = P_RUNNABLE;
}

/* ---- lifecycle ---- */

long proc_fork(void)
{
    struct proc *p = current;
    struct proc *c = proc_alloc();

    if (!c)
        return -EAGAIN;
    if (uvm_create(&c->mm)) {
        proc_free(c);
        return -ENOMEM;
    }
    if (uvm_fork(&p->mm, &c->mm, kopts.fork_cow)) {
        uvm_destroy(&c->mm);
        proc_free(c);
        return -ENOMEM;
    }
    *c->tf = *p->tf;
    c->tf->regs[REG_A0] = 0;
    for (int fd = 0; fd < NOFILE; fd++)
        if (p->files[fd])
            c->files[fd] = file_dup(p->files[fd]);
    memcpy(c->name, p->name, sizeof(c->name));
    c->parent = p;
    c->state = P_RUNNABLE;
    kstats.forks++;
    if (kopts.verbose)
        printk("[pid %d] fork -> %d\n", p->pid, c->pid);
    return c->pid;
}

static void __attribute__((noreturn)) init_exited(int status)
{
    printk("init: exited with status %d; %lu forks, %lu execs, %lu page faults, "
           "%lu COW faults, %lu context switches\n",
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
           kstats.forks, kstats.execs, kstats.page_faults, kstats.cow_faults,
           kstats.ctx_switches);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        kernel_poweroff();
    panic("init: the workload failed (status %d)",
          WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

void proc_exit(int status)
{
    struct proc *p = current;

    if (p == init_proc)
        init_exited(status);
    for (int fd = 0; fd < NOFILE; fd++)
        if (p->files[fd]) {
            file_close(p->files[fd]);
            p->files[fd] = NULL;
        }
    for (int i = 0; i < NPROC; i++)
        if (procs[i].state != P_UNUSED && procs[i].parent == p) {
            procs[i].parent = init_proc;
            if (procs[i].state == P_ZOMBIE)
                proc_wakeup(init_proc);
        }
    vm_activate(vm_kernel_root(), 0);
    uvm_destroy(&p->mm);
    p->exit_status = status;
    p->state = P_ZOMBIE;
    if (kopts.verbose)
        printk("[pid %d] exit status %x\n", p->pid, status);
    proc_wakeup(p->parent);
    sched();
    panic("proc_exit: zombie %d ran again", p->pid);
}

long proc_wait(int *status)
{
    struct proc *p = current;

    for (;;) {
        bool have_kids = false;
        for (int i = 0; i < NPROC; i++) {
            struct proc *c = &procs[i];
            if (c == p || c->state == P_UNUSED || c->parent != p)
                continue;
            have_kids = true;
            if (c->state == P_ZOMBIE) {
                int pid = c->pid;
                if (status)
                    *status = c->exit_status;
                proc_free(c);
                return pid;
            }
        }
        if (!have_kids)
            return -ECHILD;
        proc_sleep(p, 0);
    }
}

/* ---- trap hooks ---- */

static int user_fault(struct trapframe *tf, uint64_t addr, int access)
{
    kstats.page_faults++;
    int rc = uvm_fault(&current->mm, addr, access);
    if (rc == -ENOMEM) {
        printk("[pid %d %s] out of memory at %lx (pc %lx): killed\n",
               current->pid, current->name, addr, tf->sepc);
        proc_exit(SIGKILL);
    }
    return rc;
}

static void user_kill(struct trapframe *tf, int sig)
{
    printk("[pid %d %s] %s at pc %lx, address %lx: killed\n", current->pid, current->name,
           sig == SIGILL ? "illegal instruction" : "segmentation fault", tf->sepc, tf->stval);
    proc_exit(sig);
}

static void user_return(struct trapframe *tf)
{
    (void)tf;
    if (need_resched)
        proc_yield();
}

void syscall_dispatch(struct trapframe *tf);

void proc_run_init(const char *name)
{
    static char *init_argv[CMDLINE_MAX_WORDS + 1];

    trap_hooks.syscall = syscall_dispatch;
    trap_hooks.user_fault = user_fault;
    trap_hooks.user_kill = user_kill;
    trap_hooks.user_return = user_return;
    time_hook = sched_tick;

    init_proc = proc_alloc();
    if (!init_proc)
        panic("proc_run_init: no memory for init");
    init_proc->parent = init_proc;
    current = init_proc;
    init_argv[0] = "init";
    for (int i = 0; i < cmdline_argc; i++)
        init_argv[i + 1] = cmdline_argv[i];
    for (int fd = 0; fd < 3; fd++)
        init_proc->files[fd] = file_console();
    long rc = proc_exec("init", cmdline_argc + 1, init_argv);
    if (rc < 0)
        panic("proc_run_init: cannot exec init (%ld)", rc);
    current = NULL;
    init_proc->state = P_RUNNABLE;
    printk("init: starting workload %s\n", name);
    scheduler();
}
