/*
 * sh_vm.c: the shadow suites' test domain (sh_vm.h).
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guests/ptedit.h"
#include "riscv/csr.h"
#include "sh_vm.h"
#include "umbra/mm.h"
#include "umbra/p2m.h"
#include "umbra/shadow.h"

#define REG_A0 10
#define REG_A1 11
#define REG_A7 17

/* What xen/common's vcpu_hart_setup does before paging->vcpu_init. */
static void vm_hart_setup(struct hart *h)
{
    hart_reset(h, 0);
    hart_set_exit_on_hs_trap(h, true);
    hart_csr_set(h, CSR_MCOUNTEREN, 7);
    hart_csr_set(h, CSR_SCOUNTEREN, 7);
    hart_csr_set(h, CSR_HCOUNTEREN, 7);
    hart_csr_set(h, CSR_HEDELEG, HEDELEG_MASK);
    hart_csr_set(h, CSR_HIDELEG, MIP_VS_MASK);
    hart_csr_set(h, CSR_HSTATUS, (XLEN_64 << HSTATUS_VSXL_SHIFT) | HSTATUS_SPVP);
}

int vm_create(struct sh_vm *vm, domid_t id, const struct paging_ops *ops, uint64_t frames)
{
    return vm_create_ex(vm, id, ops, frames, false);
}

/* RAM as 2 MiB blocks with 2 MiB p2m entries. */
static int vm_ram_2m(struct sh_vm *vm, domid_t id, uint64_t frames)
{
    for (uint64_t i = 0; i < frames; i += 512) {
        mfn_t m = alloc_frames(9, id, PGT_guest_ram);
        int rc;

        if (!mfn_valid_value(m))
            return -ENOMEM;
        for (unsigned j = 0; j < 512; j++)
            vm->ram[i + j] = _mfn(mfn_x(m) + j);
        vm->nr_frames = i + 512;
        rc = p2m_set_entry(&vm->d.p2m, _gfn((VM_RAM_GPA >> PAGE_SHIFT) + i), m, 9, p2m_ram_rw);
        if (rc)
            return rc;
    }
    return 0;
}

int vm_create_ex(struct sh_vm *vm, domid_t id, const struct paging_ops *ops, uint64_t frames,
                 bool p2m_2m)
{
    int rc = -ENOMEM;

    memset(vm, 0, sizeof(*vm));
    vm->ops = ops;
    vm->d.domain_id = id;
    vm->d.max_vcpus = 1;
    vm->d.vcpus = vm->vcpus;
    vm->d.paging = ops;
    vm->v.domain = &vm->d;
    vm->v.vcpu_id = 0;
    vm->ram = calloc(frames, sizeof(*vm->ram));
    if (!vm->ram)
        return rc;
    if ((rc = p2m_init(&vm->d.p2m, &vm->d, PT_SV39X4, p2m_2m)))
        goto out;
    if (p2m_2m && (rc = vm_ram_2m(vm, id, frames)))
        goto out;
    for (uint64_t i = p2m_2m ? frames : 0; i < frames; i++) {
        vm->ram[i] = alloc_frames(0, id, PGT_guest_ram);
        if (!mfn_valid_value(vm->ram[i]))
            return -ENOMEM;
        vm->nr_frames = i + 1;
        rc = p2m_set_entry(&vm->d.p2m, _gfn((VM_RAM_GPA >> PAGE_SHIFT) + i), vm->ram[i], 0,
                           p2m_ram_rw);
        if (rc)
            goto out;
    }
    if ((rc = ops->domain_init(&vm->d)))
        goto out;
    vm->v.hart = hart_create(mm_base(), MACHINE_BASE, mm_bytes(), NULL);
    if (!vm->v.hart)
        return -ENOMEM;
    vm_hart_setup(vm->v.hart);
    vm->vcpus[0] = &vm->v;
    rc = ops->vcpu_init(&vm->v);
out:
    return rc;
}

int vm_add_vcpu(struct sh_vm *vm)
{
    vm->v1.domain = &vm->d;
    vm->v1.vcpu_id = 1;
    vm->v1.hart = hart_create(mm_base(), MACHINE_BASE, mm_bytes(), NULL);
    if (!vm->v1.hart)
        return -ENOMEM;
    vm_hart_setup(vm->v1.hart);
    vm->vcpus[1] = &vm->v1;
    vm->d.max_vcpus = 2;
    return vm->ops->vcpu_init(&vm->v1);
}

void vm_destroy(struct sh_vm *vm)
{
    if (vm->d.paging)
        vm->ops->domain_teardown(&vm->d);
    vm->d.paging = NULL;
    if (vm->v.hart)
        hart_destroy(vm->v.hart);
    if (vm->v1.hart)
        hart_destroy(vm->v1.hart);
    p2m_teardown(&vm->d.p2m);
    for (uint64_t i = 0; i < vm->nr_frames; i++)
        free_frames(vm->ram[i], 0);
    free(vm->ram);
    free(vm->log);
    memset(vm, 0, sizeof(*vm));
}

void *vm_gpa(struct sh_vm *vm, uint64_t gpa)
{
    uint64_t i = (gpa - VM_RAM_GPA) >> PAGE_SHIFT;

    if (gpa < VM_RAM_GPA || i >= vm->nr_frames)
        return NULL;
    return (uint8_t *)mfn_to_virt(vm->ram[i]) + (gpa & (PAGE_SIZE - 1));
}

void vm_write64(struct sh_vm *vm, uint64_t gpa, uint64_t val)
{
    memcpy(vm_gpa(vm, gpa), &val, 8);
}

uint64_t vm_read64(struct sh_vm *vm, uint64_t gpa)
{
    uint64_t v;

    memcpy(&v, vm_gpa(vm, gpa), 8);
    return v;
}

int vm_load_elf(struct sh_vm *vm, const char *path, uint64_t *entry)
{
    FILE *f = fopen(path, "rb");
    Elf64_Ehdr eh;
    int rc = -EINVAL;

    if (!f)
        return -ENOENT;
    if (fread(&eh, sizeof(eh), 1, f) != 1 || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
        eh.e_machine != EM_RISCV)
        goto out;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;

        if (fseek(f, (long)(eh.e_phoff + i * sizeof(ph)), SEEK_SET) ||
            fread(&ph, sizeof(ph), 1, f) != 1)
            goto out;
        if (ph.p_type != PT_LOAD)
            continue;
        for (uint64_t off = 0; off < ph.p_memsz; off++) {
            uint8_t *p = vm_gpa(vm, ph.p_paddr + off);
            int c = 0;

            if (!p)
                goto out;
            if (off < ph.p_filesz) {
                if (fseek(f, (long)(ph.p_offset + off), SEEK_SET) || (c = fgetc(f)) == EOF)
                    goto out;
            }
            *p = (uint8_t)c;
        }
    }
    *entry = eh.e_entry;
    rc = 0;
out:
    fclose(f);
    return rc;
}

static void vm_log(struct sh_vm *vm, uint64_t kind, uint64_t a, uint64_t b)
{
    if (vm->nr_log == vm->cap_log) {
        vm->cap_log = vm->cap_log ? 2 * vm->cap_log : 4096;
        vm->log = realloc(vm->log, vm->cap_log * sizeof(*vm->log));
        if (!vm->log)
            abort();
    }
    vm->log[vm->nr_log++] = (struct vm_rec){ kind, a, b };
}

/* Handle one trap exit of v. 1 = the guest ended, 0 = go on, -errno = failed. */
static int vm_exit(struct sh_vm *vm, struct vcpu *v, const struct hart_exit *ex)
{
    struct hart *h = v->hart;
    int rc;

    switch (ex->cause) {
    case CAUSE_ECALL_VS: {
        uint64_t nr = hart_get_reg(h, REG_A7);

        if (nr == PT_ECALL_END)
            return 1;
        if (nr != PT_ECALL_LOG && nr != PT_ECALL_FAULT)
            return -ENOSYS;
        vm_log(vm, nr, hart_get_reg(h, REG_A0), hart_get_reg(h, REG_A1));
        hart_csr_set(h, CSR_SEPC, ex->pc + 4);
        break;
    }
    case CAUSE_FETCH_PAGE_FAULT:
    case CAUSE_LOAD_PAGE_FAULT:
    case CAUSE_STORE_PAGE_FAULT:
    case CAUSE_FETCH_GUEST_PAGE_FAULT:
    case CAUSE_LOAD_GUEST_PAGE_FAULT:
    case CAUSE_STORE_GUEST_PAGE_FAULT:
        if ((rc = vm->ops->handle_fault(v, ex)) < 0)
            return rc;
        break;
    case CAUSE_VIRTUAL_INSN:
        if (!vm->ops->handle_vinsn)
            return -ENOSYS;
        if ((rc = vm->ops->handle_vinsn(v, ex)) < 0)
            return rc;
        break;
    default:
        return -EIO;
    }
    hart_sret(h);
    return 0;
}

int vm_run(struct sh_vm *vm, uint64_t entry, uint64_t arg, uint64_t max_exits)
{
    return vm_run_on(vm, &vm->v, entry, arg, max_exits);
}

int vm_run_on(struct sh_vm *vm, struct vcpu *v, uint64_t entry, uint64_t arg, uint64_t max_exits)
{
    struct hart *h = v->hart;
    struct hart_exit ex;

    hart_set_mode(h, PRIV_S, true);
    hart_set_pc(h, entry);
    hart_set_reg(h, REG_A0, arg);
    while (vm->exits < max_exits) {
        enum hart_exit_kind k = hart_run(h, 1000000, &ex);
        int rc;

        if (k == HART_EXIT_BUDGET)
            continue;
        vm->exits++;
        vm->last_cause = ex.cause;
        vm->last_pc = ex.pc;
        if (k != HART_EXIT_TRAP || (ex.cause & CAUSE_INTERRUPT))
            return -EIO;
        rc = vm_exit(vm, v, &ex);
        if (vm->ops->mode == PAGING_SHADOW && !vm->no_check && shadow_check(&vm->d) != 0)
            vm->check_failures++;
        if (rc)
            return rc > 0 ? 0 : rc;
    }
    return -ETIMEDOUT;
}

const char *vm_guest_path(char *buf, size_t len, const char *name)
{
    const char *b = getenv("UMBRA_BUILD");

    snprintf(buf, len, "%s/guest/%s.elf", b ? b : "build", name);
    return buf;
}
