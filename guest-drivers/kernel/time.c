/*
 * time.c: guest time and the set_timer_op timer (see time.h).
 */
#include "evtchn.h"
#include "hypercall.h"
#include "kernel.h"
#include "riscv.h"
#include "time.h"

#define NOMINAL_NS_PER_TICK 100     /* 10 MHz time CSR */

static volatile struct vcpu_time_info *vti;
static uint64_t armed;
void (*time_hook)(void);

static void timer_virq(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    kstats.timer_irqs++;
    time_interrupt();
}

void time_init(struct shared_info *si)
{
    vti = &si->vcpu_info[0].time;
    armed = 0;
    csr_clear(sie, SIE_STIE);
}

long time_bind_virq(void)
{
    long port = evtchn_bind_virq(VIRQ_TIMER);

    if (port >= 0 && evtchn_bind_handler((evtchn_port_t)port, timer_virq, 0) < 0)
        panic("time_bind_virq: VIRQ_TIMER port %ld out of range", port);
    return port;
}

/* Xen's conversion: ns = system_time + ((tsc - tsc_timestamp) << shift) * mul >> 32. */
static uint64_t scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t time_now_ns(void)
{
    if (vti && vti->tsc_to_system_mul != 0) {
        for (;;) {
            uint32_t version = vti->version;
            __asm__ volatile("fence r, r" ::: "memory");
            uint64_t ns = vti->system_time +
                          scale_delta(rdtime() - vti->tsc_timestamp,
                                      vti->tsc_to_system_mul, vti->tsc_shift);
            __asm__ volatile("fence r, r" ::: "memory");
            if (!(version & 1) && version == vti->version)
                return ns;
        }
    }
    return rdtime() * NOMINAL_NS_PER_TICK;
}

/*
 * Always asks the hypervisor, even for the deadline we believe is armed: if
 * its expiry event was lost, that belief is stale and skipping the call
 * would leave no timer at all (and an idle guest blocked for good).
 */
void time_set_deadline(uint64_t deadline_ns)
{
    armed = deadline_ns;
    if (deadline_ns == 0) {
        csr_clear(sie, SIE_STIE);
        HYPERVISOR_set_timer_op(0);
        return;
    }
    long rc = HYPERVISOR_set_timer_op(deadline_ns);
    if (rc < 0)
        panic("time_set_deadline: set_timer_op(%lu) failed: %ld", deadline_ns, rc);
    csr_set(sie, SIE_STIE);
}

uint64_t time_deadline(void)
{
    return armed;
}

void time_interrupt(void)
{
    /* The deadline has passed: disarm, so a level-held interrupt cannot storm. */
    armed = 0;
    csr_clear(sie, SIE_STIE);
    if (time_hook)
        time_hook();
}
