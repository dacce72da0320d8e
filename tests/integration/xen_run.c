/*
 * xen_run.c: integration suite "integration/xen/run": real guests on the
 * real daemon with two pCPU threads, built through libxenctrl alone (the
 * way the domain builder does it): populate, write code through a foreign
 * mapping, set the vCPU context, unpause, watch the console and the
 * shutdown, destroy; free memory must come back exactly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "public/sched.h"
#include "umbra_test.h"
#include "ut_proc.h"
#include "xenctrl.h"

static char *rundir;
static pid_t xen_pid = -1;

static int suite_init(void)
{
    char *args[] = { "-m", "128M", "-p", "2", NULL };

    return ut_xen_start("xenrun", args, &rundir, &xen_pid, NULL, 0);
}

static int suite_cleanup(void)
{
    return ut_xen_stop(rundir, xen_pid);
}

static uint32_t addi(unsigned rd, unsigned rs, int imm)
{
    return ((uint32_t)(imm & 0xFFF) << 20) | (rs << 15) | (rd << 7) | 0x13;
}

/* console_io(write, len, 0x80000400); shutdown(poweroff via 0x80000500); j . */
static unsigned hello_code(uint32_t *c, unsigned len)
{
    unsigned n = 0;

    c[n++] = addi(10, 0, 0);
    c[n++] = addi(11, 0, (int)len);
    c[n++] = addi(12, 0, 1);
    c[n++] = (31 << 20) | (12 << 15) | (1 << 12) | (12 << 7) | 0x13;   /* slli a2, a2, 31 */
    c[n++] = addi(12, 12, 0x400);
    c[n++] = (0x0A000U << 12) | (17 << 7) | 0x37;                      /* lui a7 */
    c[n++] = addi(17, 17, 18);
    c[n++] = 0x73;
    c[n++] = addi(10, 0, SCHEDOP_shutdown);
    c[n++] = addi(11, 0, 1);
    c[n++] = (31 << 20) | (11 << 15) | (1 << 12) | (11 << 7) | 0x13;
    c[n++] = addi(11, 11, 0x500);
    c[n++] = (0x0A000U << 12) | (17 << 7) | 0x37;
    c[n++] = addi(17, 17, 29);
    c[n++] = 0x73;
    c[n++] = 0x6f;
    return n;
}

static int boot_hello(xc_interface *xch, uint32_t *domid, const char *msg, uint32_t flags)
{
    struct xen_domctl_createdomain cfg = { .flags = flags, .max_vcpus = 1,
                                           .max_mem_kb = 2048, .p2m_superpages = 1 };
    xen_pfn_t gfns[4] = { 0x80000, 0x80001, 0x80002, 0x80003 };
    vcpu_guest_context_any_t ctx;
    uint32_t code[32];
    unsigned n = hello_code(code, (unsigned)strlen(msg));
    char *p;

    snprintf(cfg.name, sizeof(cfg.name), "hello-%s", msg);
    *domid = 0;
    if (xc_domain_create(xch, domid, &cfg) ||
        xc_domain_populate_physmap_exact(xch, *domid, 4, 0, 0, gfns))
        return -1;
    p = xc_map_foreign_range(xch, *domid, 4096, PROT_READ | PROT_WRITE, 0x80000);
    if (!p)
        return -1;
    memcpy(p, code, n * 4);
    memcpy(p + 0x400, msg, strlen(msg));
    memset(p + 0x500, 0, 4);   /* SHUTDOWN_poweroff */
    xc_unmap_foreign(xch, *domid, p, 4096, 0x80000);
    memset(&ctx, 0, sizeof(ctx));
    ctx.pc = 0x80000000;
    if (xc_vcpu_setcontext(xch, *domid, 0, &ctx))
        return -1;
    return xc_domain_unpause(xch, *domid);
}

static int wait_shutdown(xc_interface *xch, uint32_t domid, xc_dominfo_t *info)
{
    struct timespec ts = { 0, 5 * 1000 * 1000 };

    for (int i = 0; i < 2000; i++) {
        if (xc_domain_getinfo(xch, domid, 1, info) != 1 || info->domid != domid)
            return -1;
        if (info->shutdown)
            return 0;
        nanosleep(&ts, NULL);
    }
    return -1;
}

static void test_guests_run_and_free(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    static const char *msgs[] = { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot" };
    uint32_t ids[6];
    xc_physinfo_t before, after;

    CU_ASSERT_FATAL(xch != NULL);
    CU_ASSERT_FATAL(xc_physinfo(xch, &before) == 0);
    for (int i = 0; i < 6; i++)
        CU_ASSERT_FATAL(boot_hello(xch, &ids[i], msgs[i], i % 2 ? 0 : XEN_DOMCTL_CDF_hap) == 0);
    for (int i = 0; i < 6; i++) {
        xc_dominfo_t info;
        char buf[64];
        uint64_t off = 0;
        int n;

        CU_ASSERT_FATAL(wait_shutdown(xch, ids[i], &info) == 0);
        CU_ASSERT_EQUAL(info.shutdown_reason, SHUTDOWN_poweroff);
        CU_ASSERT_EQUAL(info.hap, i % 2 ? 0 : 1);
        n = xc_domain_console_read(xch, ids[i], buf, sizeof(buf) - 1, &off);
        CU_ASSERT_FATAL(n >= 0);
        buf[n] = '\0';
        CU_ASSERT_STRING_EQUAL(buf, msgs[i]);
        CU_ASSERT_EQUAL(off, strlen(msgs[i]));
        CU_ASSERT_EQUAL(xc_domain_destroy(xch, ids[i]), 0);
    }
    CU_ASSERT_FATAL(xc_physinfo(xch, &after) == 0);
    CU_ASSERT_EQUAL(after.free_pages, before.free_pages);
    CU_ASSERT_EQUAL(after.nr_cpus, 2);
    xc_interface_close(xch);
}

/*
 * xc_umbra_mmstats after shutdown, before destroy: the hart counters with
 * exits by cause, and the shadow mode's counters (0 under HAP).
 */
static void test_mmstats_after_shutdown(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);

    CU_ASSERT_FATAL(xch != NULL);
    for (int shadow = 0; shadow < 2; shadow++) {
        xc_umbra_mmstats_t st;
        xc_dominfo_t info;
        uint64_t sum = 0;
        uint32_t domid;

        CU_ASSERT_FATAL(boot_hello(xch, &domid, shadow ? "stats-sh" : "stats-hap",
                                   shadow ? 0 : XEN_DOMCTL_CDF_hap) == 0);
        CU_ASSERT_FATAL(wait_shutdown(xch, domid, &info) == 0);
        CU_ASSERT_FATAL(xc_umbra_mmstats(xch, domid, &st) == 0);
        CU_ASSERT_EQUAL(st.paging_mode, (uint32_t)shadow);
        CU_ASSERT(st.instret >= 10);    /* 13 instructions besides the ecalls */
        CU_ASSERT(st.cycles >= st.instret);
        CU_ASSERT(st.exits_by_cause[10] >= 2);     /* console_io, shutdown */
        for (int c = 0; c < UMBRA_MMSTATS_CAUSES; c++)
            sum += st.exits_by_cause[c];
        CU_ASSERT(sum <= st.exits);
        if (shadow) {
            /* MMU off: the physical-mode shadow is filled on demand */
            CU_ASSERT(st.shadow_faults > 0);
            CU_ASSERT(st.sh_faults_not_present > 0);
            CU_ASSERT(st.exits_by_cause[12] + st.exits_by_cause[13] + st.exits_by_cause[15] > 0);
            CU_ASSERT(st.sh_pages_peak > 0);
        } else {
            CU_ASSERT_EQUAL(st.shadow_faults, 0);
            CU_ASSERT_EQUAL(st.emulated_writes, 0);
            CU_ASSERT_EQUAL(st.sh_faults_not_present, 0);
            CU_ASSERT_EQUAL(st.sh_pages_peak, 0);
            CU_ASSERT_EQUAL(st.exits_by_cause[22], 0);
        }
        CU_ASSERT_EQUAL(xc_domain_destroy(xch, domid), 0);
        CU_ASSERT_EQUAL(xc_umbra_mmstats(xch, domid, &st), -1);
    }
    xc_interface_close(xch);
}

/* A spinning guest is paused, unpaused and destroyed while the pCPUs run it. */
static void test_destroy_running_guest(void)
{
    struct xen_domctl_createdomain cfg = { .flags = XEN_DOMCTL_CDF_hap, .max_vcpus = 1,
                                           .max_mem_kb = 1024 };
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    xen_pfn_t gfn = 0x80000;
    vcpu_guest_context_any_t ctx;
    xc_physinfo_t before, after;
    xc_vcpuinfo_t vi;
    uint32_t domid = 0, spin = 0x6f;
    char *p;

    CU_ASSERT_FATAL(xch != NULL);
    CU_ASSERT_FATAL(xc_physinfo(xch, &before) == 0);
    strcpy(cfg.name, "spinner");
    CU_ASSERT_FATAL(xc_domain_create(xch, &domid, &cfg) == 0);
    CU_ASSERT_FATAL(xc_domain_populate_physmap_exact(xch, domid, 1, 0, 0, &gfn) == 0);
    p = xc_map_foreign_range(xch, domid, 4096, PROT_READ | PROT_WRITE, gfn);
    CU_ASSERT_FATAL(p != NULL);
    memcpy(p, &spin, 4);
    CU_ASSERT_EQUAL(xc_unmap_foreign(xch, domid, p, 4096, gfn), 0);
    memset(&ctx, 0, sizeof(ctx));
    ctx.pc = 0x80000000;
    CU_ASSERT_FATAL(xc_vcpu_setcontext(xch, domid, 0, &ctx) == 0);
    CU_ASSERT_EQUAL(xc_domain_unpause(xch, domid), 0);
    usleep(20000);
    CU_ASSERT_EQUAL(xc_domain_pause(xch, domid), 0);
    CU_ASSERT_EQUAL(xc_vcpu_getinfo(xch, domid, 0, &vi), 0);
    CU_ASSERT(vi.cpu_time > 0);
    CU_ASSERT_EQUAL(vi.running, 0);
    CU_ASSERT_EQUAL(xc_domain_unpause(xch, domid), 0);
    usleep(20000);
    CU_ASSERT_EQUAL(xc_domain_destroy(xch, domid), 0);
    CU_ASSERT_FATAL(xc_physinfo(xch, &after) == 0);
    CU_ASSERT_EQUAL(after.free_pages, before.free_pages);
    xc_interface_close(xch);
}

/* Leave guests running (one spinning, one paused): SIGTERM in cleanup must still exit 0. */
static void test_left_running_for_sigterm(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    uint32_t a, b;

    CU_ASSERT_FATAL(xch != NULL);
    CU_ASSERT_FATAL(boot_hello(xch, &a, "left", XEN_DOMCTL_CDF_hap) == 0);
    CU_ASSERT_FATAL(boot_hello(xch, &b, "paused", 0) == 0);
    CU_ASSERT_EQUAL(xc_domain_pause(xch, b), 0);
    xc_interface_close(xch);
}

UMBRA_SUITE(xen_run, "integration/xen/run", suite_init, suite_cleanup,
            UMBRA_TEST(test_guests_run_and_free), UMBRA_TEST(test_destroy_running_guest),
            UMBRA_TEST(test_mmstats_after_shutdown),
            UMBRA_TEST(test_left_running_for_sigterm))
