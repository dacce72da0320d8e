/*
 * xen_ctrl.c: integration suite "integration/xen/ctrl": the real `xen`
 * daemon in a private run directory, driven through libxenctrl over its
 * privcmd socket.
 * Invariant: the daemon started in init is stopped in cleanup, which also
 * checks that SIGTERM made it exit 0 and remove its socket.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "public/privcmd.h"
#include "public/sched.h"
#include "umbra_test.h"
#include "ut_proc.h"
#include "xenctrl.h"

static char *rundir;
static pid_t xen_pid = -1;
static char sock[512];

static int suite_init(void)
{
    char *args[] = { "-m", "64M", NULL };

    return ut_xen_start("xen", args, &rundir, &xen_pid, sock, sizeof(sock));
}

static int suite_cleanup(void)
{
    return ut_xen_stop(rundir, xen_pid);
}

static void test_socket_mode(void)
{
    struct stat sb;

    CU_ASSERT_FATAL(stat(sock, &sb) == 0);
    CU_ASSERT(S_ISSOCK(sb.st_mode));
    CU_ASSERT_EQUAL(sb.st_mode & 0777, 0600);
}

static void test_dom0_and_physinfo(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    xc_dominfo_t info[4];
    xc_physinfo_t pi;

    CU_ASSERT_FATAL(xch != NULL);
    CU_ASSERT_EQUAL(xc_domain_getinfo(xch, 0, 4, info), 1);
    CU_ASSERT_EQUAL(info[0].domid, 0);
    CU_ASSERT_STRING_EQUAL(info[0].name, "Domain-0");
    CU_ASSERT_EQUAL(xc_physinfo(xch, &pi), 0);
    CU_ASSERT_EQUAL(pi.total_pages, 64 * 256);
    CU_ASSERT(pi.free_pages > 0 && pi.free_pages <= pi.total_pages);
    CU_ASSERT_EQUAL(pi.nr_cpus, 1);
    CU_ASSERT(pi.capabilities & XEN_SYSCTL_PHYSCAP_hap);
    CU_ASSERT_EQUAL(xc_version(xch, 0, NULL), (4 << 16) | 17);
    xc_interface_close(xch);
}

static int make_domain(xc_interface *xch, uint32_t *domid, uint64_t kb)
{
    struct xen_domctl_createdomain cfg = { .flags = XEN_DOMCTL_CDF_hap, .max_vcpus = 1,
                                           .max_mem_kb = kb, .p2m_superpages = 1 };

    strcpy(cfg.name, "itest");
    *domid = 0;
    return xc_domain_create(xch, domid, &cfg);
}

static void test_create_populate_destroy(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    xc_physinfo_t before, during, after;
    xen_pfn_t gfns[1024];
    xc_dominfo_t info;
    uint32_t domid;

    CU_ASSERT_FATAL(xch != NULL);
    CU_ASSERT_FATAL(xc_physinfo(xch, &before) == 0);
    CU_ASSERT_FATAL(make_domain(xch, &domid, 8192) == 0);
    CU_ASSERT(domid > 0);
    for (unsigned i = 0; i < 1024; i++)
        gfns[i] = 0x80000 + i;
    CU_ASSERT_EQUAL(xc_domain_populate_physmap_exact(xch, domid, 1024, 0, 0, gfns), 0);
    /* the same gfns again: already populated */
    CU_ASSERT_EQUAL(xc_domain_populate_physmap_exact(xch, domid, 1, 0, 0, gfns), -1);
    /* two 2 MiB extents fill the reservation exactly */
    gfns[0] = 0x80400;
    gfns[1] = 0x80600;
    CU_ASSERT_EQUAL(xc_domain_populate_physmap_exact(xch, domid, 2, 9, 0, gfns), 0);
    /* beyond the reservation: refused */
    gfns[0] = 0x90000;
    CU_ASSERT_EQUAL(xc_domain_populate_physmap_exact(xch, domid, 1, 0, 0, gfns), -1);
    CU_ASSERT_EQUAL(errno, ENOMEM);
    CU_ASSERT_EQUAL(xc_domain_get_tot_pages(xch, domid), 2048);
    CU_ASSERT_EQUAL(xc_domain_getinfo(xch, domid, 1, &info), 1);
    CU_ASSERT_EQUAL(info.domid, domid);
    CU_ASSERT_STRING_EQUAL(info.name, "itest");
    CU_ASSERT(info.paused);
    CU_ASSERT(info.hap);
    CU_ASSERT_EQUAL(info.max_memkb, 8192);
    CU_ASSERT(info.shared_info_frame != 0);
    CU_ASSERT_FATAL(xc_physinfo(xch, &during) == 0);
    CU_ASSERT(during.free_pages < before.free_pages - 2048);
    CU_ASSERT_EQUAL(xc_domain_destroy(xch, domid), 0);
    CU_ASSERT_FATAL(xc_physinfo(xch, &after) == 0);
    CU_ASSERT_EQUAL(after.free_pages, before.free_pages);
    CU_ASSERT_EQUAL(xc_domain_destroy(xch, domid), -1);
    CU_ASSERT_EQUAL(errno, ESRCH);
    xc_interface_close(xch);
}

static void test_pause_shutdown_sched(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    struct xen_domctl_sched_credit sc = { 512, 0 };
    xc_dominfo_t info;
    uint32_t domid;

    CU_ASSERT_FATAL(xch != NULL);
    CU_ASSERT_FATAL(make_domain(xch, &domid, 4096) == 0);
    CU_ASSERT_EQUAL(xc_domain_unpause(xch, domid), 0);
    CU_ASSERT_EQUAL(xc_domain_unpause(xch, domid), -1);   /* not paused */
    CU_ASSERT_EQUAL(xc_domain_pause(xch, domid), 0);
    CU_ASSERT_EQUAL(xc_sched_credit_domain_set(xch, domid, &sc), 0);
    sc.weight = 0;
    CU_ASSERT_EQUAL(xc_sched_credit_domain_get(xch, domid, &sc), 0);
    CU_ASSERT_EQUAL(sc.weight, 512);
    CU_ASSERT_EQUAL(xc_domain_shutdown(xch, domid, SHUTDOWN_reboot), 0);
    CU_ASSERT_EQUAL(xc_domain_getinfo(xch, domid, 1, &info), 1);
    CU_ASSERT(info.shutdown);
    CU_ASSERT_EQUAL(info.shutdown_reason, SHUTDOWN_reboot);
    CU_ASSERT_EQUAL(xc_domain_destroy(xch, domid), 0);
    xc_interface_close(xch);
}

static void test_foreign_map(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    xen_pfn_t gfns[4] = { 0x80000, 0x80001, 0x80002, 0x80003 };
    xc_physinfo_t before, after;
    uint32_t domid;
    char *p, *q;

    CU_ASSERT_FATAL(xch != NULL);
    CU_ASSERT_FATAL(xc_physinfo(xch, &before) == 0);
    CU_ASSERT_FATAL(make_domain(xch, &domid, 4096) == 0);
    CU_ASSERT_FATAL(xc_domain_populate_physmap_exact(xch, domid, 4, 0, 0, gfns) == 0);
    p = xc_map_foreign_range(xch, domid, 4 * 4096, PROT_READ | PROT_WRITE, 0x80000);
    CU_ASSERT_FATAL(p != NULL);
    strcpy(p + 4096, "hello through the memfd");
    q = xc_map_foreign_range(xch, domid, 4096, PROT_READ, 0x80001);
    CU_ASSERT_FATAL(q != NULL);
    CU_ASSERT_STRING_EQUAL(q, "hello through the memfd");
    CU_ASSERT_EQUAL(xc_unmap_foreign(xch, domid, q, 4096, 0x80001), 0);
    /* an unpopulated gfn cannot be mapped */
    CU_ASSERT(xc_map_foreign_range(xch, domid, 4096, PROT_READ, 0x80010) == NULL);
    /* destroy while mapped: the frames come back when the mapping goes */
    CU_ASSERT_EQUAL(xc_domain_destroy(xch, domid), 0);
    CU_ASSERT_EQUAL(xc_unmap_foreign(xch, domid, p, 4 * 4096, 0x80000), 0);
    CU_ASSERT_FATAL(xc_physinfo(xch, &after) == 0);
    CU_ASSERT_EQUAL(after.free_pages, before.free_pages);
    xc_interface_close(xch);
}

static void test_evtchn_dom0(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    xenevtchn_handle *xe = xenevtchn_open(NULL, 0);
    uint32_t domid;
    int rport;
    evtchn_port_or_error_t lport;

    CU_ASSERT_FATAL(xch != NULL && xe != NULL);
    CU_ASSERT_FATAL(make_domain(xch, &domid, 4096) == 0);
    rport = xc_evtchn_alloc_unbound(xch, domid, 0);
    CU_ASSERT_FATAL(rport > 0);
    lport = xenevtchn_bind_interdomain(xe, domid, (evtchn_port_t)rport);
    CU_ASSERT_FATAL(lport != (evtchn_port_or_error_t)-1);
    CU_ASSERT(xenevtchn_fd(xe) >= 0);
    /* binding marks the local end pending once, as Xen does */
    CU_ASSERT_EQUAL(xenevtchn_pending(xe), lport);
    CU_ASSERT_EQUAL(xenevtchn_pending(xe), (evtchn_port_or_error_t)-1);
    CU_ASSERT_EQUAL(xenevtchn_notify(xe, lport), 0);
    CU_ASSERT_EQUAL(xenevtchn_notify(xe, lport + 100), -1);
    CU_ASSERT_EQUAL(xenevtchn_unbind(xe, lport), 0);
    xenevtchn_close(xe);
    CU_ASSERT_EQUAL(xc_domain_destroy(xch, domid), 0);
    xc_interface_close(xch);
}

/* VIRQ_DOM_EXC reaches dom0 processes when a domain shuts down or goes away. */
static void test_dom_exc_virq(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    xenevtchn_handle *xe = xenevtchn_open(NULL, 0);
    evtchn_port_or_error_t port;
    uint32_t domid;

    CU_ASSERT_FATAL(xch != NULL && xe != NULL);
    port = xenevtchn_bind_virq(xe, VIRQ_DOM_EXC);
    CU_ASSERT_FATAL(port != (evtchn_port_or_error_t)-1);
    CU_ASSERT_EQUAL(xenevtchn_bind_virq(xe, VIRQ_TIMER), (evtchn_port_or_error_t)-1);
    CU_ASSERT_FATAL(make_domain(xch, &domid, 1024) == 0);
    CU_ASSERT_EQUAL(xenevtchn_pending(xe), (evtchn_port_or_error_t)-1);
    CU_ASSERT_EQUAL(xc_domain_shutdown(xch, domid, SHUTDOWN_poweroff), 0);
    CU_ASSERT_EQUAL(xenevtchn_pending(xe), port);
    CU_ASSERT_EQUAL(xc_domain_destroy(xch, domid), 0);
    CU_ASSERT_EQUAL(xenevtchn_pending(xe), port);
    xenevtchn_close(xe);
    xc_interface_close(xch);
}

static void test_dmesg(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    char buf[16384];
    unsigned n = sizeof(buf) - 1;

    CU_ASSERT_FATAL(xch != NULL);
    CU_ASSERT_EQUAL(xc_readconsolering(xch, buf, &n, 0, 0, NULL), 0);
    buf[n] = '\0';
    CU_ASSERT(strstr(buf, "Domain 0 (Domain-0) created") != NULL);
    CU_ASSERT(strstr(buf, "(itest) destroyed") != NULL);
    xc_interface_close(xch);
}

/* A datagram with a bad header closes that connection; the daemon carries on. */
static void test_malformed(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    uint32_t junk[3] = { 0xdeadbeef, 1, 2 };
    char buf[64];
    int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    xc_interface *xch;
    xc_physinfo_t pi;

    CU_ASSERT_FATAL(strlen(sock) < sizeof(sa.sun_path));
    memcpy(sa.sun_path, sock, strlen(sock) + 1);
    CU_ASSERT_FATAL(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    CU_ASSERT(send(fd, junk, sizeof(junk), 0) == sizeof(junk));
    CU_ASSERT_EQUAL(recv(fd, buf, sizeof(buf), 0), 0);   /* closed on us */
    close(fd);
    xch = xc_interface_open(NULL, NULL, 0);
    CU_ASSERT_FATAL(xch != NULL);
    CU_ASSERT_EQUAL(xc_physinfo(xch, &pi), 0);
    xc_interface_close(xch);
}

/*
 * As nobody (the socket opened up for the test, so that the daemon's own
 * SO_PEERCRED check is what refuses): domctl/sysctl get EPERM.
 */
static void test_unprivileged_eperm(void)
{
    pid_t pid;
    int st;

    if (geteuid() != 0) {
        fprintf(stderr, "(skipped: needs root to become nobody) ");
        return;
    }
    CU_ASSERT_FATAL(chmod(rundir, 0755) == 0 && chmod(sock, 0666) == 0);
    pid = fork();
    if (pid == 0) {
        xc_interface *xch;
        xc_physinfo_t pi;
        uint32_t domid = 0;
        struct xen_domctl_createdomain cfg = { .flags = XEN_DOMCTL_CDF_hap, .max_vcpus = 1 };

        if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
            setresuid(65534, 65534, 65534))
            _exit(10);
        xch = xc_interface_open(NULL, NULL, 0);
        if (!xch)
            _exit(11);
        if (xc_physinfo(xch, &pi) != -1 || errno != EPERM)
            _exit(12);
        if (xc_domain_create(xch, &domid, &cfg) != -1 || errno != EPERM)
            _exit(13);
        if (xc_version(xch, 0, NULL) != ((4 << 16) | 17))
            _exit(14);
        _exit(0);
    }
    CU_ASSERT_FATAL(waitpid(pid, &st, 0) == pid);
    CU_ASSERT(WIFEXITED(st));
    CU_ASSERT_EQUAL(WEXITSTATUS(st), 0);
    chmod(sock, 0600);
    chmod(rundir, 0700);
    {
        xc_interface *xch = xc_interface_open(NULL, NULL, 0);
        char buf[16384];
        unsigned n = sizeof(buf) - 1;

        CU_ASSERT_FATAL(xch != NULL);
        CU_ASSERT_EQUAL(xc_readconsolering(xch, buf, &n, 0, 0, NULL), 0);
        buf[n] = '\0';
        CU_ASSERT(strstr(buf, "refused: not privileged") != NULL);
        xc_interface_close(xch);
    }
}

UMBRA_SUITE(xen_ctrl, "integration/xen/ctrl", suite_init, suite_cleanup,
            UMBRA_TEST(test_socket_mode), UMBRA_TEST(test_dom0_and_physinfo),
            UMBRA_TEST(test_create_populate_destroy), UMBRA_TEST(test_pause_shutdown_sched),
            UMBRA_TEST(test_foreign_map), UMBRA_TEST(test_evtchn_dom0), UMBRA_TEST(test_dom_exc_virq),
            UMBRA_TEST(test_dmesg),
            UMBRA_TEST(test_malformed), UMBRA_TEST(test_unprivileged_eperm))
