/*
 * workload.c: the kernel's built-in workloads and the hand-over to init.
 *   hello   banner line, a few timer ticks, an event-channel loopback, poweroff
 *   panic   panics on purpose (tests the crash path)
 *   xenstore  idles until control/shutdown asks it to go (kernel_store.c)
 * Any other name is run as a user program under init (proc.h).
 */
#include "cmdline.h"
#include "evtchn.h"
#include "hypercall.h"
#include "kernel.h"
#include "proc.h"
#include "riscv.h"
#include "time.h"
#include "workload.h"
#include "../xenbus/kernel_store.h"

void cpu_idle(void)
{
    HYPERVISOR_sched_op(SCHEDOP_block, 0);
    /* Open a window for whatever woke us (timer or upcall), then close it. */
    intr_on();
    __asm__ volatile("nop");
    intr_off();
}

static volatile int ticks;
static volatile int loopback_events;

static void tick(void)
{
    ticks++;
}

/* Waits for `n` timer interrupts `period_ns` apart; returns the guest time taken. */
static uint64_t wait_ticks(int n, uint64_t period_ns)
{
    uint64_t start = time_now_ns();

    time_hook = tick;
    ticks = 0;
    for (int i = 1; i <= n; i++) {
        time_set_deadline(start + (uint64_t)i * period_ns);
        while (ticks < i)
            cpu_idle();
    }
    time_hook = 0;
    return time_now_ns() - start;
}

static void loopback(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    loopback_events++;
}

/*
 * Binds an unbound port to itself through the hypervisor and sends one event.
 * Returns 1 when the upcall delivered it, 0 when the hypervisor lacks the
 * operations (reported, not fatal), and panics when delivery is lost.
 */
static int evtchn_selftest(void)
{
    long a = evtchn_alloc_unbound(DOMID_SELF);
    if (a < 0) {
        printk("evtchn: alloc_unbound unsupported (%ld), loopback skipped\n", a);
        return 0;
    }
    long b = evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a);
    if (b < 0) {
        printk("evtchn: bind_interdomain failed (%ld), loopback skipped\n", b);
        evtchn_close((evtchn_port_t)a);
        return 0;
    }
    evtchn_bind_handler((evtchn_port_t)a, loopback, 0);
    loopback_events = 0;
    evtchn_send((evtchn_port_t)b);
    uint64_t give_up = time_now_ns() + 100000000;   /* 100 ms of guest time */
    time_hook = 0;
    while (!loopback_events && time_now_ns() < give_up) {
        time_set_deadline(time_now_ns() + 1000000);
        cpu_idle();
    }
    time_set_deadline(0);
    evtchn_unbind_handler((evtchn_port_t)a);
    evtchn_close((evtchn_port_t)b);
    evtchn_close((evtchn_port_t)a);
    if (!loopback_events)
        panic("evtchn_selftest: event on port %ld never arrived", a);
    printk("evtchn: loopback ports %ld<->%ld delivered %d event\n", a, b, loopback_events);
    return 1;
}

static void __attribute__((noreturn)) hello(void)
{
    printk("Hello from the Umbra PV guest kernel!\n");
    uint64_t took = wait_ticks(3, 1000000);
    printk("timer: 3 ticks of 1 ms took %lu us of guest time\n", took / 1000);
    evtchn_selftest();
    printk("hello: done\n");
    kernel_poweroff();
}

void workload_run(const char *name)
{
    if (!strcmp(name, "hello"))
        hello();
    if (!strcmp(name, "panic"))
        panic("workload=panic: panicking on request");
    if (!strcmp(name, "xenstore"))
        store_workload();
    proc_run_init(name);
}
