/*
 * guest_fixture.c: see guest_fixture.h.
 */
#include <string.h>

#include "guest_fixture.h"
#include "riscv/csr.h"
#include "riscv/hart.h"
#include "umbra/guest_access.h"
#include "umbra/mm.h"
#include "umbra/p2m.h"
#include "umbra/paging.h"

int fixture_init(struct guest_fixture *fx, domid_t id, bool superpages)
{
    memset(fx, 0, sizeof(*fx));
    fx->d.domain_id = id;
    fx->d.max_vcpus = 1;
    fx->d.vcpus = fx->vcpus;
    fx->vcpus[0] = &fx->v;
    fx->v.domain = &fx->d;
    fx->d.paging = &hap_ops;
    if (p2m_init(&fx->d.p2m, &fx->d, PT_SV39X4, superpages) != 0)
        return -1;
    fx->ram = alloc_frames(9, id, PGT_guest_ram);
    if (!mfn_valid_value(fx->ram) ||
        p2m_set_entry(&fx->d.p2m, _gfn(FX_RAM_GFN), fx->ram, 9, p2m_ram_rw) != 0)
        return -1;
    if (hap_ops.domain_init(&fx->d) != 0)
        return -1;
    fx->v.hart = hart_create(mm_base(), MACHINE_BASE, mm_bytes(), NULL);
    if (!fx->v.hart)
        return -1;
    hart_set_exit_on_hs_trap(fx->v.hart, true);
    hart_set_mode(fx->v.hart, PRIV_S, true);
    if (hap_ops.vcpu_init(&fx->v) != 0)
        return -1;
    fx->next_table = FX_TABLES;
    fx->root = 0;
    return 0;
}

static int free_ram(gfn_t gfn, mfn_t mfn, unsigned order, p2m_type_t t, void *arg)
{
    (void)gfn;
    (void)arg;
    if (t == p2m_ram_rw || t == p2m_ram_ro)
        free_frames(mfn, order);
    return 0;
}

void fixture_fini(struct guest_fixture *fx)
{
    hart_destroy(fx->v.hart);
    fx->v.hart = NULL;
    hap_ops.domain_teardown(&fx->d);
    p2m_for_each(&fx->d.p2m, free_ram, NULL);
    p2m_teardown(&fx->d.p2m);
}

uint64_t fixture_read64(struct guest_fixture *fx, paddr_t gpa)
{
    uint64_t v = 0;

    copy_from_guest_phys(&fx->d, &v, gpa, 8, NULL);
    return v;
}

void fixture_write64(struct guest_fixture *fx, paddr_t gpa, uint64_t val)
{
    copy_to_guest_phys(&fx->d, gpa, &val, 8, NULL);
}

static paddr_t new_table(struct guest_fixture *fx)
{
    paddr_t t = fx->next_table;

    fx->next_table += PAGE_SIZE;
    for (unsigned i = 0; i < 512; i++)
        fixture_write64(fx, t + 8 * i, 0);
    return t;
}

void fixture_map(struct guest_fixture *fx, uint64_t gva, paddr_t gpa, unsigned level,
                 uint64_t flags)
{
    const struct pt_format *f = pt_format_get(PT_SV39);
    paddr_t table;

    if (!fx->root)
        fx->root = new_table(fx);
    table = fx->root;
    for (unsigned l = f->levels - 1; l > level; l--) {
        paddr_t slot = table + 8ULL * pt_index(f, l, gva);
        uint64_t pte = fixture_read64(fx, slot);

        if (!(pte & PTE_V)) {
            pte = pte_make(new_table(fx) >> PAGE_SHIFT, PTE_V);
            fixture_write64(fx, slot, pte);
        }
        table = pte_ppn(pte) << PAGE_SHIFT;
    }
    fixture_write64(fx, table + 8ULL * pt_index(f, level, gva),
                    pte_make(gpa >> PAGE_SHIFT, flags | PTE_V));
}

void fixture_enable_sv39(struct guest_fixture *fx)
{
    struct hart *h = fx->v.hart;

    hart_csr_set(h, CSR_VSATP, ((uint64_t)SATP_MODE_SV39 << SATP_MODE_SHIFT) |
                                   (fx->root >> PAGE_SHIFT));
    hart_csr_set(h, CSR_HSTATUS, hart_csr_get(h, CSR_HSTATUS) | HSTATUS_SPVP);
    hart_hfence_vvma(h, ~0ULL, ~0ULL);
}
