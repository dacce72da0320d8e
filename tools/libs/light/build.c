/*
 * build.c: the domain builder's sequence, libxl's domain create for Umbra.
 *
 *   1. create the domain        (createdomain: HAP or shadow, vCPUs, name, uuid)
 *   2. set its maximum memory   (max_mem)
 *   3. populate its RAM         (populate_physmap, build_mem.c)
 *   4. load the ELF kernel      (checked first, build_kernel.c)
 *   5. (with a store) allocate the guest's xenstore event channel for dom0;
 *      write start_info (build_start.c; shared_info is the hypervisor's)
 *   6. set up the console       (the hypervisor's per-domain buffer needs no
 *                                setup; the ring page is zeroed in step 5)
 *   7. set the vCPU context     (pc = entry, a0 = start_info GPA, vsatp Bare)
 *   8. unpause it               (unless asked to leave it paused)
 * Invariant: on failure at any step, the domain is destroyed, which returns
 * every frame populated for it; no step leaves a mapping behind.
 */
#include "build_priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define VGCF_online (1U << 5)    /* Xen's vcpu_guest_context flag */

int build_fail(struct build *b, const char *fmt, ...)
{
    int saved = errno;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(b->err, b->errlen, fmt, ap);
    va_end(ap);
    errno = saved ? saved : EINVAL;
    return -1;
}

void *build_map(struct build *b, xen_pfn_t gfn, uint64_t pages)
{
    if (pages > (uint64_t)INT32_MAX >> LIBXL_PAGE_SHIFT) {
        errno = E2BIG;
        return NULL;
    }
    return b->ops->map(b->h, b->domid, (int)(pages << LIBXL_PAGE_SHIFT),
                       PROT_READ | PROT_WRITE, gfn);
}

void build_unmap(struct build *b, void *addr, xen_pfn_t gfn, uint64_t pages)
{
    b->ops->unmap(b->h, b->domid, addr, (int)(pages << LIBXL_PAGE_SHIFT), gfn);
}

int libxl_layout_compute(const struct libxl_domain_config *cfg, struct libxl_layout *lay)
{
    memset(lay, 0, sizeof(*lay));
    lay->nr_pages = cfg->target_memkb >> (LIBXL_PAGE_SHIFT - 10);
    if (lay->nr_pages <= LIBXL_SPECIAL_PAGES)
        return -1;
    lay->ram_base_gfn = LIBXL_RAM_BASE_GFN;
    lay->ram_end_gfn = lay->ram_base_gfn + lay->nr_pages;
    lay->start_info_gfn = lay->ram_end_gfn - LIBXL_START_INFO_IDX;
    lay->console_gfn = lay->ram_end_gfn - LIBXL_CONSOLE_IDX;
    lay->xenstore_gfn = lay->ram_end_gfn - LIBXL_XENSTORE_IDX;
    return 0;
}

static int step_create(struct build *b)
{
    const struct libxl_domain_config *cfg = b->cfg;
    struct xen_domctl_createdomain dc = {
        .flags = (cfg->hap ? XEN_DOMCTL_CDF_hap : 0) |
                 (cfg->nosharepages ? XEN_DOMCTL_CDF_nosharepages : 0),
        .max_vcpus = cfg->max_vcpus,
        .max_mem_kb = cfg->max_memkb,
        .p2m_superpages = cfg->nosuperpages ? 0 : 1,
    };

    memcpy(dc.handle, cfg->uuid, sizeof(dc.handle));
    snprintf(dc.name, sizeof(dc.name), "%s", cfg->name);
    b->domid = 0;
    if (b->ops->domain_create(b->h, &b->domid, &dc) < 0)
        return build_fail(b, "creating the domain: %s", strerror(errno));
    b->created = true;
    return 0;
}

static int step_maxmem(struct build *b)
{
    if (b->ops->setmaxmem(b->h, b->domid, b->cfg->max_memkb) < 0)
        return build_fail(b, "setting maximum memory to %llu KiB: %s",
                          (unsigned long long)b->cfg->max_memkb, strerror(errno));
    return 0;
}

static int step_context(struct build *b)
{
    vcpu_guest_context_any_t ctx;

    memset(&ctx, 0, sizeof(ctx));
    ctx.pc = b->lay->entry;
    ctx.x[10] = b->lay->start_info_gfn << LIBXL_PAGE_SHIFT;   /* a0 */
    ctx.sstatus = 0;             /* VS-mode, interrupts off until the guest enables them */
    ctx.satp = 0;                /* Bare */
    ctx.flags = VGCF_online;
    if (b->ops->setcontext(b->h, b->domid, 0, &ctx) < 0)
        return build_fail(b, "setting vCPU 0's context: %s", strerror(errno));
    return 0;
}

static int step_unpause(struct build *b)
{
    if (b->ops->unpause(b->h, b->domid) < 0)
        return build_fail(b, "unpausing: %s", strerror(errno));
    return 0;
}

int libxl_domain_build(const struct libxl_hv_ops *ops, void *h,
                       const struct libxl_domain_config *cfg, unsigned flags,
                       uint32_t *domid, struct libxl_layout *lay,
                       char *err, size_t errlen)
{
    struct build b = { .ops = ops, .h = h, .cfg = cfg, .lay = lay, .err = err, .errlen = errlen,
                       .xenstore = flags & LIBXL_BUILD_XENSTORE };
    bool paused = flags & LIBXL_BUILD_PAUSED;
    int saved;

    errno = 0;
    if (libxl_layout_compute(cfg, lay) < 0) {
        build_fail(&b, "%llu KiB of memory is too small", (unsigned long long)cfg->target_memkb);
        return -1;
    }
    if (step_create(&b) || step_maxmem(&b) || build_populate(&b) || build_load_kernel(&b) ||
        build_start_info(&b) || step_context(&b) || (!paused && step_unpause(&b)))
        goto out;
    *domid = b.domid;
    return 0;

out:
    saved = errno;
    if (b.created && ops->domain_destroy(h, b.domid) < 0) {
        size_t l = strlen(err);
        snprintf(err + l, errlen - l, " (and destroying domain %u failed: %s)", b.domid,
                 strerror(errno));
    }
    errno = saved;
    return -1;
}
