/*
 * test_domain.c: suite "xen/common/domain": the privilege rule, domain
 * create/destroy accounting, guests that run (hypercalls, SBI, timers,
 * crashes), hostile hypercall arguments, event channels, the credit
 * scheduler's weights and the shootdown flag on decrease_reservation.
 */
#include <errno.h>
#include <string.h>

#include "common_test.h"
#include "public/event_channel.h"
#include "public/memory.h"
#include "public/sched.h"
#include "public/vcpu.h"
#include "umbra/console.h"
#include "umbra/control.h"
#include "umbra/event.h"
#include "umbra/mm.h"
#include "umbra/sched.h"
#include "umbra/traps.h"
#include "umbra_test.h"

static int suite_init(void) { return ct_up(); }
static int suite_cleanup(void) { return ct_down(); }

static void test_privilege_rule(void)
{
    CU_ASSERT(privcmd_peer_privileged(0, 100, 1000, 1000));         /* root */
    CU_ASSERT(privcmd_peer_privileged(1000, 5, 1000, 1000));        /* our uid */
    CU_ASSERT(privcmd_peer_privileged(7, 1000, 1000, 1000));        /* our gid */
    CU_ASSERT(!privcmd_peer_privileged(65534, 65534, 1000, 1000));  /* nobody */
    CU_ASSERT(!privcmd_peer_privileged(65534, 65534, 0, 0));
}

struct arr_io { xen_pfn_t *a; };
static int arr_get(void *p, uint64_t i, xen_pfn_t *v) { *v = ((struct arr_io *)p)->a[i]; return 0; }
static int arr_put(void *p, uint64_t i, xen_pfn_t v) { ((struct arr_io *)p)->a[i] = v; return 0; }

static void test_create_destroy_accounting(void)
{
    struct xen_domctl_createdomain cfg = { .flags = XEN_DOMCTL_CDF_hap, .max_vcpus = 1,
                                           .max_mem_kb = 8192, .p2m_superpages = 1 };
    struct mm_stats before, after;
    struct domain *d, *e;
    xen_pfn_t g[4] = { 0x80000, 0x80200, 0x80400, 0x80401 };
    struct arr_io a = { g };
    struct extent_io io = { arr_get, arr_put, &a };
    struct xen_memory_reservation r = { .nr_extents = 2, .extent_order = 9, .domid = DOMID_SELF };

    xen_lock_acquire();
    mm_get_stats(&before);
    for (int i = 0; i < 20; i++) {
        CU_ASSERT_FATAL(domain_create(0, &cfg, &d) == 0);
        CU_ASSERT_EQUAL(memory_reservation(d, XENMEM_populate_physmap, &r, &io), 2);
        r.nr_extents = 2;
        r.extent_order = 0;
        a.a = g + 2;
        CU_ASSERT_EQUAL(memory_reservation(d, XENMEM_populate_physmap, &r, &io), 2);
        CU_ASSERT_EQUAL(d->tot_pages, 1026);
        /* one 4 KiB page out of a 2 MiB superpage, then one on its own */
        a.a = g;
        r.nr_extents = 1;
        CU_ASSERT_EQUAL(memory_reservation(d, XENMEM_decrease_reservation, &r, &io), 1);
        a.a = g + 3;
        CU_ASSERT_EQUAL(memory_reservation(d, XENMEM_decrease_reservation, &r, &io), 1);
        CU_ASSERT_EQUAL(memory_reservation(d, XENMEM_decrease_reservation, &r, &io), 0);
        CU_ASSERT_EQUAL(d->tot_pages, 1024);
        CU_ASSERT_EQUAL(domain_destroy(d), 0);
        a.a = g;
        r.nr_extents = 2;
        r.extent_order = 9;
    }
    mm_get_stats(&after);
    CU_ASSERT_EQUAL(after.free_frames, before.free_frames);
    /* bad configurations */
    cfg.max_vcpus = 0;
    CU_ASSERT_EQUAL(domain_create(0, &cfg, &d), -EINVAL);
    cfg.max_vcpus = 1;
    cfg.flags |= 1U << 30;
    CU_ASSERT_EQUAL(domain_create(0, &cfg, &d), -EINVAL);
    cfg.flags = XEN_DOMCTL_CDF_hap;
    CU_ASSERT_EQUAL(domain_create(DOMID_SELF, &cfg, &d), -EINVAL);
    CU_ASSERT_EQUAL(domain_create(DOMID_INVALID, &cfg, &d), -EINVAL);
    CU_ASSERT_FATAL(domain_create(77, &cfg, &d) == 0);
    CU_ASSERT_EQUAL(domain_create(77, &cfg, &e), -EEXIST);
    CU_ASSERT_EQUAL(domain_destroy(dom0), -EINVAL);
    CU_ASSERT_EQUAL(domain_destroy(d), 0);
    mm_get_stats(&after);
    CU_ASSERT_EQUAL(after.free_frames, before.free_frames);
    xen_lock_release();
}

/* console_io(write, 3, 0x80000400); sched_op(shutdown, &{poweroff}); j . */
static void guest_console_shutdown(uint32_t flags)
{
    uint32_t code[32];
    unsigned n = 0;
    uint32_t reason = SHUTDOWN_poweroff;
    struct domain *d;

    n += (code[n] = rv_addi(RV_A0, RV_ZERO, CONSOLEIO_write), 1);
    n += (code[n] = rv_addi(RV_A1, RV_ZERO, 3), 1);
    n += rv_gpa(code + n, RV_A2, 0x400);
    n += rv_hcall_nr(code + n, __HYPERVISOR_console_io);
    code[n++] = RV_ECALL;
    n += (code[n] = rv_addi(RV_A0, RV_ZERO, SCHEDOP_shutdown), 1);
    n += rv_gpa(code + n, RV_A1, 0x500);
    n += rv_hcall_nr(code + n, __HYPERVISOR_sched_op);
    code[n++] = RV_ECALL;
    code[n++] = RV_JSELF;
    xen_lock_acquire();
    d = ct_domain_flags("hello", flags);
    CU_ASSERT_FATAL(d != NULL);
    ct_poke(d, 0x80000400, "hi\n", 3);
    ct_poke(d, 0x80000500, &reason, 4);
    ct_boot(d, code, n);
    xen_lock_release();
    sched_run_until_idle(50);
    xen_lock_acquire();
    CU_ASSERT_STRING_EQUAL(ct_console(d), "hi\n");
    CU_ASSERT(d->is_shutdown);
    CU_ASSERT_EQUAL(d->shutdown_code, SHUTDOWN_poweroff);
    domain_destroy(d);
    xen_lock_release();
}

static void test_guest_console_shutdown(void)
{
    guest_console_shutdown(XEN_DOMCTL_CDF_hap);
}

static void test_guest_console_shutdown_shadow(void)
{
    guest_console_shutdown(0);
}

/* SBI DBCN write of "sbi!" at 0x80000400, then SRST shutdown. */
static void test_sbi_guest(void)
{
    uint32_t code[32];
    unsigned n = 0;
    struct domain *d;

    code[n++] = rv_addi(RV_A0, RV_ZERO, 4);
    n += rv_gpa(code + n, RV_A1, 0x400);
    code[n++] = rv_addi(RV_A2, RV_ZERO, 0);
    code[n++] = rv_addi(RV_A6, RV_ZERO, 0);
    code[n++] = rv_lui(RV_A7, 0x44424);
    code[n++] = rv_addi(RV_A7, RV_A7, 0x34E);
    code[n++] = RV_ECALL;
    code[n++] = rv_addi(RV_A0, RV_ZERO, 0);
    code[n++] = rv_addi(RV_A1, RV_ZERO, 0);
    code[n++] = rv_lui(RV_A7, 0x53525);
    code[n++] = rv_addi(RV_A7, RV_A7, 0x354);
    code[n++] = RV_ECALL;
    code[n++] = RV_JSELF;
    xen_lock_acquire();
    d = ct_domain("sbi");
    CU_ASSERT_FATAL(d != NULL);
    ct_poke(d, 0x80000400, "sbi!", 4);
    ct_boot(d, code, n);
    xen_lock_release();
    sched_run_until_idle(50);
    xen_lock_acquire();
    CU_ASSERT_STRING_EQUAL(ct_console(d), "sbi!");
    CU_ASSERT(d->is_shutdown && d->shutdown_code == SHUTDOWN_poweroff);
    domain_destroy(d);
    xen_lock_release();
}

/* A load from an unmapped GPA: the domain is crashed, with a log line; the daemon lives. */
static void test_guest_fault_crashes_domain(void)
{
    uint32_t code[] = { rv_lui(RV_A1, 0x10000), (11 << 15) | (3 << 12) | (10 << 7) | 0x03,
                        RV_JSELF };
    char log[8192];
    struct domain *d;
    size_t n;

    xen_conring_clear();
    xen_lock_acquire();
    d = ct_domain("crashme");
    CU_ASSERT_FATAL(d != NULL);
    ct_boot(d, code, 3);
    xen_lock_release();
    sched_run_until_idle(50);
    xen_lock_acquire();
    CU_ASSERT(d->is_shutdown);
    CU_ASSERT_EQUAL(d->shutdown_code, SHUTDOWN_crash);
    n = xen_conring_read(log, sizeof(log) - 1, 0, NULL, 0);
    log[n] = '\0';
    CU_ASSERT(strstr(log, "domain_crash called for Domain") != NULL);
    domain_destroy(d);
    xen_lock_release();
}

/* set_timer_op(5 ms); sched_op(block); shutdown(poweroff): wakes in guest time. */
static void test_timer_wakes_blocked_vcpu(void)
{
    uint32_t code[32];
    unsigned n = 0;
    uint32_t reason = SHUTDOWN_poweroff;
    struct evtchn_bind_virq bv = { VIRQ_TIMER, 0, 0 };
    struct domain *d;
    uint64_t t0;

    code[n++] = rv_lui(RV_A0, 0x4C5);
    code[n++] = rv_addi(RV_A0, RV_A0, -0x4C0);   /* 5,000,000 ns */
    n += rv_hcall_nr(code + n, __HYPERVISOR_set_timer_op);
    code[n++] = RV_ECALL;
    code[n++] = rv_addi(RV_A0, RV_ZERO, SCHEDOP_block);
    n += rv_hcall_nr(code + n, __HYPERVISOR_sched_op);
    code[n++] = RV_ECALL;
    code[n++] = rv_addi(RV_A0, RV_ZERO, SCHEDOP_shutdown);
    n += rv_gpa(code + n, RV_A1, 0x500);
    n += rv_hcall_nr(code + n, __HYPERVISOR_sched_op);
    code[n++] = RV_ECALL;
    code[n++] = RV_JSELF;
    xen_lock_acquire();
    t0 = sched_now();
    d = ct_domain("sleeper");
    CU_ASSERT_FATAL(d != NULL);
    CU_ASSERT_EQUAL(evtchn_bind_virq(d, &bv), 0);
    ct_poke(d, 0x80000500, &reason, 4);
    ct_boot(d, code, n);
    xen_lock_release();
    sched_run_until_idle(50);
    xen_lock_acquire();
    CU_ASSERT(d->is_shutdown);
    CU_ASSERT(sched_now() >= 5000000 || t0 >= 5000000);
    CU_ASSERT(evtchn_port_pending(d, bv.port));
    CU_ASSERT(d->shared_info->vcpu_info[0].evtchn_upcall_pending);
    domain_destroy(d);
    xen_lock_release();
}

/* Direct hypercalls with hostile arguments from a booted (not running) vCPU. */
static void test_hostile_hypercalls(void)
{
    uint32_t code[] = { RV_JSELF };
    struct xen_memory_reservation r = { 0 };
    struct sched_poll poll = { 0x80000700, 1000, 0, 0 };
    uint32_t port = 99999, reason = 99, virq[3] = { 100, 0, 0 };
    struct evtchn_bind_interdomain bi = { 0x7000, 0, 1, 0 };
    struct domain *d;
    struct vcpu *v;
    uint64_t a[6] = { 0 };

    xen_lock_acquire();
    d = ct_domain("hostile");
    CU_ASSERT_FATAL(d != NULL);
    ct_boot(d, code, 1);
    domain_pause_by_controller(d);
    v = d->vcpus[0];
#define HC(nr, x0, x1, x2) (a[0] = (x0), a[1] = (x1), a[2] = (x2), do_hypercall(v, (nr), a))
    CU_ASSERT_EQUAL(HC(63, 0, 0, 0), -ENOSYS);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_domctl, 0, 0, 0), -EPERM);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_sysctl, 0, 0, 0), -EPERM);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_console_io, CONSOLEIO_write, 8, 0xdead00000000ULL), -EFAULT);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_console_io, CONSOLEIO_write, ~0ULL, 0x80000000), -EINVAL);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_console_io, CONSOLEIO_read, 8, 0x80000000), -EPERM);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_console_io, 77, 8, 0x80000000), -ENOSYS);
    /* memory_op */
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_memory_op, XENMEM_populate_physmap, 0x1000, 0), -EFAULT);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_memory_op, 99, 0x80000600, 0), -ENOSYS);
    r.domid = 5;
    r.nr_extents = 1;
    ct_poke(d, 0x80000600, &r, sizeof(r));
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_memory_op, XENMEM_populate_physmap, 0x80000600, 0), -EPERM);
    r.domid = DOMID_SELF;
    r.nr_extents = 1ULL << 60;
    r.extent_start = 0xdead00000000ULL;
    ct_poke(d, 0x80000600, &r, sizeof(r));
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_memory_op, XENMEM_populate_physmap, 0x80000600, 0), 0);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, 0x80000600, 0), 0);
    r.extent_order = 40;
    ct_poke(d, 0x80000600, &r, sizeof(r));
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_memory_op, XENMEM_populate_physmap, 0x80000600, 0), -EINVAL);
    /* gfns out of range, misaligned, or not ours: nothing done */
    r.extent_order = 0;
    r.nr_extents = 1;
    r.extent_start = 0x80000680;
    ct_poke(d, 0x80000600, &r, sizeof(r));
    {
        uint64_t bad[] = { ~0ULL, 0x80005 /* RAM: busy */, 0x7FFFF /* shared_info */ };

        for (unsigned i = 0; i < 3; i++) {
            ct_poke(d, 0x80000680, &bad[i], 8);
            CU_ASSERT_EQUAL(HC(__HYPERVISOR_memory_op, XENMEM_populate_physmap, 0x80000600, 0), 0);
        }
        ct_poke(d, 0x80000680, &bad[2], 8);   /* shared_info is not RAM to give back */
        CU_ASSERT_EQUAL(HC(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, 0x80000600, 0), 0);
    }
    {
        domid_t other = 3;

        ct_poke(d, 0x80000600, &other, sizeof(other));
        CU_ASSERT_EQUAL(HC(__HYPERVISOR_memory_op, XENMEM_current_reservation, 0x80000600, 0), -EPERM);
        other = DOMID_SELF;
        ct_poke(d, 0x80000600, &other, sizeof(other));
        CU_ASSERT_EQUAL(HC(__HYPERVISOR_memory_op, XENMEM_current_reservation, 0x80000600, 0),
                        CT_RAM_PAGES);
    }
    /* event channels */
    ct_poke(d, 0x80000600, &port, 4);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_event_channel_op, EVTCHNOP_send, 0x80000600, 0), -EINVAL);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_event_channel_op, EVTCHNOP_close, 0x80000600, 0), -EINVAL);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_event_channel_op, EVTCHNOP_unmask, 0x80000600, 0), -EINVAL);
    port = 0;
    ct_poke(d, 0x80000600, &port, 4);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_event_channel_op, EVTCHNOP_close, 0x80000600, 0), -EINVAL);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_event_channel_op, EVTCHNOP_send, 0xdead00000000ULL, 0), -EFAULT);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_event_channel_op, 99, 0x80000600, 0), -ENOSYS);
    ct_poke(d, 0x80000600, virq, sizeof(virq));
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, 0x80000600, 0), -EINVAL);
    ct_poke(d, 0x80000600, &bi, sizeof(bi));
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, 0x80000600, 0), -ESRCH);
    /* sched_op and vcpu_op */
    ct_poke(d, 0x80000600, &reason, 4);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0x80000600, 0), -EINVAL);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0xdead00000000ULL, 0), -EFAULT);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, 0x80000600, 0), -EPERM);
    ct_poke(d, 0x80000600, &poll, sizeof(poll));
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_sched_op, SCHEDOP_poll, 0x80000600, 0), -EINVAL);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 7, 0), -ENOENT);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, 0), 1);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, 0xdead00000000ULL), -EFAULT);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_xen_version, 0, 0, 0), (4 << 16) | 17);
    CU_ASSERT_EQUAL(HC(__HYPERVISOR_xen_version, 1, 0xdead00000000ULL, 0), -EFAULT);
#undef HC
    CU_ASSERT(!d->is_shutdown);   /* none of that hurt the domain either */
    domain_destroy(d);
    xen_lock_release();
}

static void test_evtchn_semantics(void)
{
    struct domain *a, *b;
    struct evtchn_alloc_unbound au = { DOMID_SELF, 0, 0 };
    struct evtchn_bind_interdomain bi;
    struct evtchn_status st = { .dom = DOMID_SELF };
    struct evtchn_bind_virq bv = { VIRQ_TIMER, 0, 0 };
    struct shared_info *sa;
    uint32_t pa, pb;

    xen_lock_acquire();
    a = ct_domain("evA");
    b = ct_domain("evB");
    CU_ASSERT_FATAL(a && b);
    sa = a->shared_info;
    au.remote_dom = b->domain_id;
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(a, &au), 0);
    pa = au.port;
    CU_ASSERT(pa > 0);
    /* only the named remote may bind */
    bi = (struct evtchn_bind_interdomain){ a->domain_id, 0, pa, 0 };
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(a, &bi), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(b, &bi), 0);
    pb = bi.local_port;
    st.port = pa;
    CU_ASSERT_EQUAL(evtchn_status(a, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_interdomain);
    CU_ASSERT_EQUAL(st.u.interdomain.dom, b->domain_id);
    CU_ASSERT_EQUAL(st.u.interdomain.port, pb);
    /* send from B arrives in A: pending bit, selector, upcall */
    CU_ASSERT_EQUAL(evtchn_send(b, pb), 0);
    CU_ASSERT(evtchn_port_pending(a, pa));
    CU_ASSERT(sa->vcpu_info[0].evtchn_pending_sel & (1ULL << (pa / 64)));
    CU_ASSERT_EQUAL(sa->vcpu_info[0].evtchn_upcall_pending, 1);
    /* masked: pending but no upcall; unmask delivers it */
    sa->evtchn_pending[pa / 64] = 0;
    sa->vcpu_info[0].evtchn_pending_sel = 0;
    sa->vcpu_info[0].evtchn_upcall_pending = 0;
    sa->evtchn_mask[pa / 64] |= 1ULL << (pa % 64);
    CU_ASSERT_EQUAL(evtchn_send(b, pb), 0);
    CU_ASSERT(evtchn_port_pending(a, pa));
    CU_ASSERT_EQUAL(sa->vcpu_info[0].evtchn_upcall_pending, 0);
    CU_ASSERT_EQUAL(evtchn_unmask(a, pa), 0);
    CU_ASSERT_EQUAL(sa->vcpu_info[0].evtchn_upcall_pending, 1);
    /* closing one end leaves the other unbound, for the same peer */
    CU_ASSERT_EQUAL(evtchn_close(b, pb), 0);
    CU_ASSERT_EQUAL(evtchn_status(a, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, b->domain_id);
    CU_ASSERT_EQUAL(evtchn_close(b, pb), -EINVAL);
    /* VIRQs: once per vCPU */
    CU_ASSERT_EQUAL(evtchn_bind_virq(a, &bv), 0);
    CU_ASSERT_EQUAL(evtchn_bind_virq(a, &bv), -EEXIST);
    bv.vcpu = 3;
    CU_ASSERT_EQUAL(evtchn_bind_virq(a, &bv), -EINVAL);
    /* ports are reused after close, and the table grows past 64 */
    for (int i = 0; i < 100; i++) {
        struct evtchn_alloc_unbound x = { DOMID_SELF, DOMID_SELF, 0 };

        CU_ASSERT_EQUAL(evtchn_alloc_unbound(b, &x), 0);
    }
    CU_ASSERT(b->nr_evtchn >= 101);
    domain_destroy(a);
    domain_destroy(b);
    xen_lock_release();
}

static void test_sched_weights(void)
{
    uint32_t spin[] = { RV_JSELF };
    struct domain *a, *b;
    double ratio;

    xen_lock_acquire();
    a = ct_domain("w256");
    b = ct_domain("w512");
    CU_ASSERT_FATAL(a && b);
    CU_ASSERT_EQUAL(a->weight, CSCHED_DEFAULT_WEIGHT);
    b->weight = 512;
    ct_boot(a, spin, 1);
    ct_boot(b, spin, 1);
    xen_lock_release();
    sched_run_until_idle(240);   /* 8 accounting periods */
    xen_lock_acquire();
    ratio = (double)b->vcpus[0]->cpu_time / (double)a->vcpus[0]->cpu_time;
    CU_ASSERT(ratio > 1.6 && ratio < 2.5);
    /* a cap holds a domain to its share of one pCPU */
    a->cap = 25;
    b->weight = 256;
    {
        uint64_t a0 = a->vcpus[0]->cpu_time, b0 = b->vcpus[0]->cpu_time;

        xen_lock_release();
        sched_run_until_idle(240);
        xen_lock_acquire();
        ratio = (double)(a->vcpus[0]->cpu_time - a0) /
                (double)(b->vcpus[0]->cpu_time - b0 + a->vcpus[0]->cpu_time - a0);
        CU_ASSERT(ratio < 0.35);
    }
    domain_destroy(a);
    domain_destroy(b);
    xen_lock_release();
}

/* Removing a mapping flags every vCPU for a flush before it runs again. */
static void test_shootdown_on_decrease(void)
{
    uint32_t spin[] = { RV_JSELF };
    xen_pfn_t g = CT_RAM_GFN + 5;
    struct arr_io a = { &g };
    struct extent_io io = { arr_get, arr_put, &a };
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };
    struct domain *d;

    xen_lock_acquire();
    d = ct_domain("flush");
    CU_ASSERT_FATAL(d != NULL);
    ct_boot(d, spin, 1);
    CU_ASSERT(sched_run_one(d->vcpus[0]));
    CU_ASSERT(!d->vcpus[0]->flush_pending);
    CU_ASSERT_EQUAL(memory_reservation(d, XENMEM_decrease_reservation, &r, &io), 1);
    CU_ASSERT(d->vcpus[0]->flush_pending);
    CU_ASSERT_EQUAL(d->tot_pages, CT_RAM_PAGES - 1);
    sched_vcpu_update(d->vcpus[0]);
    CU_ASSERT(sched_run_one(d->vcpus[0]));
    CU_ASSERT(!d->vcpus[0]->flush_pending);
    domain_destroy(d);
    xen_lock_release();
}

/* One pCPU: the same two guests twice give the same counters and CPU times. */
static void test_deterministic(void)
{
    uint32_t spin[] = { rv_addi(RV_A0, RV_A0, 1), rv_addi(RV_ZERO, RV_ZERO, 0), 0xFF9FF06FU };
    uint64_t instret[2][2], cpu[2][2];

    for (int run = 0; run < 2; run++) {
        struct domain *a, *b;

        xen_lock_acquire();
        CU_ASSERT_FATAL(sched_init(1) == 0);   /* the same start: time 0, period 0 */
        a = ct_domain("detA");
        b = ct_domain("detB");
        CU_ASSERT_FATAL(a && b);
        b->weight = 384;
        ct_boot(a, spin, 3);
        ct_boot(b, spin, 3);
        xen_lock_release();
        sched_run_until_idle(64);
        xen_lock_acquire();
        instret[run][0] = a->vcpus[0]->stats.instret;
        instret[run][1] = b->vcpus[0]->stats.instret;
        cpu[run][0] = a->vcpus[0]->cpu_time;
        cpu[run][1] = b->vcpus[0]->cpu_time;
        domain_destroy(a);
        domain_destroy(b);
        xen_lock_release();
    }
    CU_ASSERT(instret[0][0] > 0);
    CU_ASSERT_EQUAL(instret[0][0], instret[1][0]);
    CU_ASSERT_EQUAL(instret[0][1], instret[1][1]);
    CU_ASSERT_EQUAL(cpu[0][0], cpu[1][0]);
    CU_ASSERT_EQUAL(cpu[0][1], cpu[1][1]);
}

/* setvcpucontext/getvcpucontext carry the guest's own satp in both modes
 * (under shadow the real vsatp holds the shadow root, never shown to dom0). */
static void guest_satp_round_trip(uint32_t flags)
{
    uint64_t satp = (8ULL << 60) | (5ULL << 44) | (CT_RAM_GFN + 3);  /* Sv39, ASID 5 */
    struct vcpu_guest_context c = { .pc = GUEST_RAM_BASE, .satp = satp }, out;
    struct domain *d;

    xen_lock_acquire();
    d = ct_domain_flags("satp", flags);
    CU_ASSERT_FATAL(d != NULL);
    CU_ASSERT_EQUAL(vcpu_set_context(d->vcpus[0], &c), 0);
    vcpu_get_context(d->vcpus[0], &out);
    CU_ASSERT_EQUAL(out.satp, satp);
    CU_ASSERT_EQUAL(out.pc, GUEST_RAM_BASE);
    if (!(flags & XEN_DOMCTL_CDF_hap))
        CU_ASSERT_NOT_EQUAL(hart_csr_get(d->vcpus[0]->hart, CSR_VSATP), satp);
    domain_destroy(d);
    xen_lock_release();
}

static void test_guest_satp_round_trip(void)
{
    guest_satp_round_trip(XEN_DOMCTL_CDF_hap);
    guest_satp_round_trip(0);
}

UMBRA_SUITE(xen_common_domain, "xen/common/domain", suite_init, suite_cleanup,
            UMBRA_TEST(test_privilege_rule), UMBRA_TEST(test_create_destroy_accounting),
            UMBRA_TEST(test_guest_console_shutdown),
            UMBRA_TEST(test_guest_console_shutdown_shadow), UMBRA_TEST(test_sbi_guest),
            UMBRA_TEST(test_guest_fault_crashes_domain), UMBRA_TEST(test_timer_wakes_blocked_vcpu),
            UMBRA_TEST(test_hostile_hypercalls), UMBRA_TEST(test_evtchn_semantics),
            UMBRA_TEST(test_sched_weights), UMBRA_TEST(test_shootdown_on_decrease),
            UMBRA_TEST(test_deterministic), UMBRA_TEST(test_guest_satp_round_trip))
