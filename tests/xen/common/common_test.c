/*
 * common_test.c: see common_test.h.
 */
#include "common_test.h"

#include <string.h>

#include "public/domctl.h"
#include "umbra/console.h"
#include "umbra/mm.h"
#include "umbra/sched.h"
#include "umbra/traps.h"

static uint64_t free_at_start;

int ct_up(void)
{
    struct mm_stats st;

    xen_log_set_stderr(0);
    if (mm_init(64ULL << 20))
        return -1;
    mm_get_stats(&st);
    free_at_start = st.free_frames;
    xen_lock_acquire();
    if (sched_init(1) || domain_create_dom0()) {
        xen_lock_release();
        return -1;
    }
    xen_lock_release();
    return 0;
}

int ct_down(void)
{
    struct mm_stats st;

    xen_lock_acquire();
    domain_destroy_all();
    xen_lock_release();
    mm_get_stats(&st);
    mm_fini();
    return st.free_frames == free_at_start ? 0 : -1;
}

struct domain *ct_domain(const char *name)
{
    return ct_domain_flags(name, XEN_DOMCTL_CDF_hap);
}

struct domain *ct_domain_flags(const char *name, uint32_t flags)
{
    struct xen_domctl_createdomain cfg = { .flags = flags, .max_vcpus = 1,
                                           .max_mem_kb = 4 * 64, .p2m_superpages = 1 };
    struct domain *d;
    xen_pfn_t g;

    strncpy(cfg.name, name, sizeof(cfg.name) - 1);
    if (domain_create(0, &cfg, &d))
        return NULL;
    for (unsigned i = 0; i < CT_RAM_PAGES; i++) {
        mfn_t m = alloc_frames(0, d->domain_id, PGT_guest_ram);

        g = CT_RAM_GFN + i;
        if (!mfn_valid_value(m) || p2m_set_entry(&d->p2m, _gfn(g), m, 0, p2m_ram_rw))
            return NULL;
        d->tot_pages++;
    }
    return d;
}

void ct_poke(struct domain *d, uint64_t gpa, const void *src, unsigned len)
{
    const uint8_t *s = src;

    for (unsigned i = 0; i < len; i++) {
        uint64_t a = gpa + i;
        mfn_t m = p2m_get_entry(&d->p2m, _gfn(a >> 12), NULL, NULL);

        ((uint8_t *)mfn_to_virt(m))[a & 0xFFF] = s[i];
    }
}

void ct_boot(struct domain *d, const uint32_t *code, unsigned n)
{
    struct vcpu_guest_context c = { .pc = GUEST_RAM_BASE };

    ct_poke(d, GUEST_RAM_BASE, code, n * 4);
    c.x[RV_A0] = 0;
    vcpu_set_context(d->vcpus[0], &c);
    domain_unpause_by_controller(d);
}

const char *ct_console(struct domain *d)
{
    static char buf[4096];
    uint64_t off = 0, end;
    size_t n = dom_console_read(d->console, &off, buf, sizeof(buf) - 1, &end);

    buf[n] = '\0';
    return buf;
}
