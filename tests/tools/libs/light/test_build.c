/*
 * test_build.c: suite tools/libs/light/build: the domain builder against a
 * fake hypervisor that keeps each domain's RAM in a buffer and counts
 * domains, frames and mappings. Checks what a guest finds at boot (its
 * kernel, start_info, its registers) and that every failure, injected at each
 * hypervisor call in turn or caused by bad input, leaves nothing behind.
 */
#include "libxl_umbra.h"
#include "umbra_test.h"
#include "ut_proc.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_SHARED_INFO_GFN 0x7ffffUL
#define MAX_FAKE_DOMS 4

struct fake_dom {
    bool live, paused;
    uint64_t pages;            /* populated */
    uint8_t *ram;              /* nr_pages * 4 KiB from RAM base */
    uint64_t ram_pages;
    struct xen_domctl_createdomain dc;
    vcpu_guest_context_any_t ctx;
    unsigned populate_calls[10];   /* extents populated, by order */
};

struct fake {
    struct fake_dom dom[MAX_FAKE_DOMS];
    uint64_t free_pages;
    int mappings;              /* outstanding */
    int calls;                 /* hypervisor calls made so far */
    int fail_at;               /* make call number fail_at fail (1-based; 0: never) */
} fk;

static bool inject(void)
{
    if (++fk.calls == fk.fail_at) {
        errno = EIO;
        return true;
    }
    return false;
}

static struct fake_dom *dom(uint32_t id)
{
    return id >= 1 && id < MAX_FAKE_DOMS && fk.dom[id].live ? &fk.dom[id] : NULL;
}

static int f_create(void *h, uint32_t *domid, struct xen_domctl_createdomain *dc)
{
    (void)h;
    if (inject())
        return -1;
    for (uint32_t i = 1; i < MAX_FAKE_DOMS; i++)
        if (!fk.dom[i].live) {
            memset(&fk.dom[i], 0, sizeof(fk.dom[i]));
            fk.dom[i].live = fk.dom[i].paused = true;
            fk.dom[i].dc = *dc;
            *domid = i;
            return 0;
        }
    errno = ENOSPC;
    return -1;
}

static int f_destroy(void *h, uint32_t domid)
{
    struct fake_dom *d = dom(domid);

    (void)h;
    if (!d) {
        errno = ESRCH;
        return -1;
    }
    fk.free_pages += d->pages;
    free(d->ram);
    memset(d, 0, sizeof(*d));
    return 0;
}

static int f_setmaxmem(void *h, uint32_t domid, uint64_t kb)
{
    (void)h;
    (void)kb;
    if (inject())
        return -1;
    return dom(domid) ? 0 : -1;
}

static int f_populate(void *h, uint32_t domid, unsigned long n, unsigned order, xen_pfn_t *gfns)
{
    struct fake_dom *d = dom(domid);
    uint64_t need = (uint64_t)n << order;

    (void)h;
    if (inject())
        return -1;
    if (need > fk.free_pages) {
        errno = ENOMEM;
        return -1;
    }
    for (unsigned long i = 0; i < n; i++) {
        uint64_t last = gfns[i] - LIBXL_RAM_BASE_GFN + (1ULL << order);

        CU_ASSERT_EQUAL(gfns[i] & ((1ULL << order) - 1), 0);   /* extents aligned */
        if (last > d->ram_pages) {
            uint8_t *r = realloc(d->ram, last << 12);

            memset(r + (d->ram_pages << 12), 0xa5, (last - d->ram_pages) << 12);  /* dirty */
            d->ram = r;
            d->ram_pages = last;
        }
    }
    d->pages += need;
    fk.free_pages -= need;
    d->populate_calls[order] += (unsigned)n;
    return 0;
}

static void *f_map(void *h, uint32_t domid, int size, int prot, unsigned long gfn)
{
    struct fake_dom *d = dom(domid);

    (void)h;
    (void)prot;
    if (inject())
        return NULL;
    if (!d || gfn < LIBXL_RAM_BASE_GFN ||
        gfn - LIBXL_RAM_BASE_GFN + ((unsigned long)size >> 12) > d->ram_pages) {
        errno = EFAULT;
        return NULL;
    }
    fk.mappings++;
    return d->ram + ((gfn - LIBXL_RAM_BASE_GFN) << 12);
}

static int f_unmap(void *h, uint32_t domid, void *addr, int size, unsigned long gfn)
{
    (void)h, (void)domid, (void)addr, (void)size, (void)gfn;
    fk.mappings--;
    return 0;
}

static int f_setcontext(void *h, uint32_t domid, uint32_t vcpu, vcpu_guest_context_any_t *ctx)
{
    (void)h;
    if (inject())
        return -1;
    CU_ASSERT_EQUAL(vcpu, 0);
    dom(domid)->ctx = *ctx;
    return 0;
}

static int f_unpause(void *h, uint32_t domid)
{
    (void)h;
    if (inject())
        return -1;
    dom(domid)->paused = false;
    return 0;
}

static int f_shared_info(void *h, uint32_t domid, xen_pfn_t *gfn)
{
    (void)h;
    (void)domid;
    if (inject())
        return -1;
    *gfn = FAKE_SHARED_INFO_GFN;
    return 0;
}

static int f_alloc_unbound(void *h, uint32_t domid, uint32_t remote)
{
    (void)h;
    if (inject())
        return -1;
    CU_ASSERT_EQUAL(remote, 0);
    return dom(domid) ? 5 : -1;
}

static const struct libxl_hv_ops fake_ops = {
    f_create, f_destroy, f_setmaxmem, f_populate, f_map, f_unmap, f_setcontext, f_unpause,
    f_shared_info, f_alloc_unbound,
};

static char *dir;

/* Write a one-segment ELF: `code` at paddr, memsz bytes (bss after it). */
static void write_elf(const char *name, uint16_t machine, uint64_t paddr, uint64_t entry,
                      uint64_t memsz)
{
    static const uint8_t code[] = { 0x13, 0x05, 0x10, 0x00, 0x73, 0x00, 0x00, 0x00 };
    Elf64_Ehdr eh = { .e_type = ET_EXEC, .e_machine = machine, .e_version = EV_CURRENT,
                      .e_entry = entry, .e_phoff = sizeof(Elf64_Ehdr),
                      .e_ehsize = sizeof(Elf64_Ehdr), .e_phentsize = sizeof(Elf64_Phdr),
                      .e_phnum = 1 };
    Elf64_Phdr ph = { .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
                      .p_offset = sizeof(eh) + sizeof(ph), .p_vaddr = paddr, .p_paddr = paddr,
                      .p_filesz = sizeof(code), .p_memsz = memsz, .p_align = 4096 };
    char path[PATH_MAX];
    FILE *f;

    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    fwrite(&eh, sizeof(eh), 1, f);
    fwrite(&ph, sizeof(ph), 1, f);
    fwrite(code, sizeof(code), 1, f);
    fclose(f);
}

static int fixture_up(void)
{
    char path[PATH_MAX];
    FILE *f;

    dir = ut_rundir_create("build");
    if (!dir)
        return -1;
    write_elf("good.elf", 243, 0x80200000, 0x80200000, 0x3000);
    write_elf("x86.elf", 62, 0x80200000, 0x80200000, 0x3000);
    write_elf("low.elf", 243, 0x1000, 0x1000, 0x1000);
    write_elf("high.elf", 243, 0x80ff0000, 0x80ff0000, 0x20000);  /* runs into the top pages */
    write_elf("entry.elf", 243, 0x80200000, 0x90000000, 0x1000);
    snprintf(path, sizeof(path), "%s/text.elf", dir);
    if (!(f = fopen(path, "w")))
        return -1;
    fputs("#!/bin/sh\n", f);
    fclose(f);
    return 0;
}

static int fixture_down(void)
{
    ut_rundir_remove(dir);
    free(dir);
    return 0;
}

/* A 16 MiB + 12 KiB config: 8 superpages and 3 small pages. */
static void make_cfg(struct libxl_domain_config *cfg, const char *kernel)
{
    char doc[PATH_MAX * 2], path[PATH_MAX + 16], err[LIBXL_ERR_MAX];

    snprintf(path, sizeof(path), "%s/t.xml", dir);
    snprintf(doc, sizeof(doc),
             "<domain type='xen'><name>b</name><memory unit='KiB'>16396</memory>"
             "<os><type>xen</type><kernel>%s</kernel><cmdline>workload=hello</cmdline></os>"
             "</domain>", kernel);
    CU_ASSERT_EQUAL_FATAL(libxl_config_parse_memory(path, doc, strlen(doc), cfg, err, sizeof(err)), 0);
}

static void fake_reset(uint64_t free_pages)
{
    for (int i = 0; i < MAX_FAKE_DOMS; i++)
        free(fk.dom[i].ram);
    memset(&fk, 0, sizeof(fk));
    fk.free_pages = free_pages;
}

static void assert_nothing_left(uint64_t free_pages)
{
    for (int i = 0; i < MAX_FAKE_DOMS; i++)
        CU_ASSERT_FALSE(fk.dom[i].live);
    CU_ASSERT_EQUAL(fk.free_pages, free_pages);
    CU_ASSERT_EQUAL(fk.mappings, 0);
}

static void test_build_boots(void)
{
    struct libxl_domain_config cfg;
    struct libxl_layout lay;
    char err[LIBXL_ERR_MAX] = "";
    uint32_t domid = 0;
    struct fake_dom *d;
    const struct start_info *si;

    fake_reset(1 << 20);
    make_cfg(&cfg, "good.elf");
    CU_ASSERT_EQUAL_FATAL(libxl_domain_build(&fake_ops, NULL, &cfg, 0, &domid, &lay,
                                             err, sizeof(err)), 0);
    d = dom(domid);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_FALSE(d->paused);
    CU_ASSERT_EQUAL(d->dc.flags, XEN_DOMCTL_CDF_hap);
    CU_ASSERT_EQUAL(d->dc.max_vcpus, 1);
    CU_ASSERT_EQUAL(d->dc.max_mem_kb, 16396);
    CU_ASSERT_STRING_EQUAL(d->dc.name, "b");
    CU_ASSERT_EQUAL(memcmp(d->dc.handle, cfg.uuid, 16), 0);
    /* RAM: 8 superpages and 3 pages, all of currentMemory. */
    CU_ASSERT_EQUAL(d->populate_calls[9], 8);
    CU_ASSERT_EQUAL(d->populate_calls[0], 3);
    CU_ASSERT_EQUAL(d->pages, 4099);
    CU_ASSERT_EQUAL(lay.nr_pages, 4099);
    /* The kernel at its physical address; the rest of its pages zeroed. */
    CU_ASSERT_EQUAL(d->ram[0x200000], 0x13);
    CU_ASSERT_EQUAL(d->ram[0x200007], 0x00);
    CU_ASSERT_EQUAL(d->ram[0x200004], 0x73);
    CU_ASSERT_EQUAL(d->ram[0x200008], 0);
    CU_ASSERT_EQUAL(d->ram[0x202fff], 0);
    CU_ASSERT_EQUAL(d->ram[0x203000], 0xa5);    /* beyond the image: untouched */
    /* start_info at the top page of RAM. */
    CU_ASSERT_EQUAL(lay.start_info_gfn, LIBXL_RAM_BASE_GFN + 4099 - 1);
    si = (const struct start_info *)(d->ram + ((lay.start_info_gfn - LIBXL_RAM_BASE_GFN) << 12));
    CU_ASSERT_STRING_EQUAL(si->magic, "xen-3.0-riscv64");
    CU_ASSERT_EQUAL(si->nr_pages, 4099);
    CU_ASSERT_EQUAL(si->shared_info, FAKE_SHARED_INFO_GFN << 12);
    CU_ASSERT_EQUAL(si->store_mfn, 0);
    CU_ASSERT_EQUAL(si->console.mfn, 0);
    CU_ASSERT_STRING_EQUAL(si->cmd_line, "workload=hello");
    /* The ring pages below it are zeroed. */
    CU_ASSERT_EQUAL(d->ram[(lay.console_gfn - LIBXL_RAM_BASE_GFN) << 12], 0);
    CU_ASSERT_EQUAL(d->ram[(lay.xenstore_gfn - LIBXL_RAM_BASE_GFN) << 12], 0);
    /* Registers: pc = entry, a0 = start_info, vsatp Bare. */
    CU_ASSERT_EQUAL(d->ctx.pc, 0x80200000);
    CU_ASSERT_EQUAL(d->ctx.x[10], lay.start_info_gfn << 12);
    CU_ASSERT_EQUAL(d->ctx.satp, 0);
    CU_ASSERT_EQUAL(fk.mappings, 0);
    f_destroy(NULL, domid);
    assert_nothing_left(1 << 20);
}

static void test_build_with_store(void)
{
    struct libxl_domain_config cfg;
    struct libxl_layout lay;
    char err[LIBXL_ERR_MAX] = "";
    uint32_t domid = 0;
    const struct start_info *si;

    fake_reset(1 << 20);
    make_cfg(&cfg, "good.elf");
    CU_ASSERT_EQUAL_FATAL(libxl_domain_build(&fake_ops, NULL, &cfg, LIBXL_BUILD_XENSTORE, &domid,
                                             &lay, err, sizeof(err)), 0);
    si = (const struct start_info *)(dom(domid)->ram +
                                     ((lay.start_info_gfn - LIBXL_RAM_BASE_GFN) << 12));
    CU_ASSERT_EQUAL(lay.xenstore_gfn, LIBXL_RAM_BASE_GFN + 4099 - 3);
    CU_ASSERT_EQUAL(si->store_mfn, lay.xenstore_gfn);
    CU_ASSERT_EQUAL(si->store_evtchn, 5);
    CU_ASSERT_EQUAL(lay.store_evtchn, 5);
    f_destroy(NULL, domid);
}

static void test_build_paused_shadow(void)
{
    struct libxl_domain_config cfg;
    struct libxl_layout lay;
    char err[LIBXL_ERR_MAX] = "";
    uint32_t domid = 0;

    fake_reset(1 << 20);
    make_cfg(&cfg, "good.elf");
    cfg.hap = false;
    cfg.nosharepages = true;
    CU_ASSERT_EQUAL_FATAL(libxl_domain_build(&fake_ops, NULL, &cfg, LIBXL_BUILD_PAUSED, &domid, &lay,
                                             err, sizeof(err)), 0);
    CU_ASSERT_TRUE(dom(domid)->paused);
    CU_ASSERT_EQUAL(dom(domid)->dc.flags, XEN_DOMCTL_CDF_nosharepages);
    CU_ASSERT_EQUAL(dom(domid)->dc.p2m_superpages, 1);
    f_destroy(NULL, domid);
    cfg.nosuperpages = true;      /* xl create superpages=0 */
    CU_ASSERT_EQUAL_FATAL(libxl_domain_build(&fake_ops, NULL, &cfg, LIBXL_BUILD_PAUSED, &domid, &lay,
                                             err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(dom(domid)->dc.p2m_superpages, 0);
    f_destroy(NULL, domid);
}

/* Fail each hypervisor call in turn: the build fails and nothing is left. */
static void test_rollback_every_step(void)
{
    struct libxl_domain_config cfg;
    struct libxl_layout lay;
    char err[LIBXL_ERR_MAX];
    uint32_t domid;
    int total;

    fake_reset(1 << 20);
    make_cfg(&cfg, "good.elf");
    CU_ASSERT_EQUAL_FATAL(libxl_domain_build(&fake_ops, NULL, &cfg, LIBXL_BUILD_XENSTORE, &domid,
                                             &lay, err, sizeof(err)), 0);
    total = fk.calls;
    CU_ASSERT(total >= 8);
    for (int n = 1; n <= total; n++) {
        fake_reset(1 << 20);
        fk.fail_at = n;
        err[0] = '\0';
        errno = 0;
        CU_ASSERT_EQUAL(libxl_domain_build(&fake_ops, NULL, &cfg, LIBXL_BUILD_XENSTORE, &domid,
                                           &lay, err, sizeof(err)), -1);
        CU_ASSERT_EQUAL(errno, EIO);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, "Input/output error"));
        assert_nothing_left(1 << 20);
    }
    fake_reset(0);
}

static void expect_build_error(const char *kernel, uint64_t free_pages, const char *msg_part)
{
    struct libxl_domain_config cfg;
    struct libxl_layout lay;
    char err[LIBXL_ERR_MAX] = "";
    uint32_t domid;

    fake_reset(free_pages);
    make_cfg(&cfg, kernel);
    CU_ASSERT_EQUAL(libxl_domain_build(&fake_ops, NULL, &cfg, 0, &domid, &lay,
                                       err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, msg_part));
    if (!strstr(err, msg_part))
        fprintf(stderr, "\n  got: %s\n  want: ...%s...\n", err, msg_part);
    assert_nothing_left(free_pages);
}

static void test_bad_inputs_leave_nothing(void)
{
    expect_build_error("x86.elf", 1 << 20, "x86.elf: not a RISC-V file (e_machine 62)");
    expect_build_error("low.elf", 1 << 20,
                       "segment at 0x1000-0x2000 is outside guest RAM 0x80000000-0x81000000");
    expect_build_error("high.elf", 1 << 20, "segment at 0x80ff0000-0x81010000 is outside guest RAM");
    expect_build_error("entry.elf", 1 << 20, "entry point 0x90000000 is in no loaded segment");
    expect_build_error("text.elf", 1 << 20, "text.elf: not an ELF file");
    expect_build_error("good.elf", 1000, "populating 16396 KiB of RAM: Cannot allocate memory");
}

UMBRA_SUITE(build, "tools/libs/light/build", fixture_up, fixture_down,
            UMBRA_TEST(test_build_boots), UMBRA_TEST(test_build_with_store),
            UMBRA_TEST(test_build_paused_shadow),
            UMBRA_TEST(test_rollback_every_step), UMBRA_TEST(test_bad_inputs_leave_nothing))
