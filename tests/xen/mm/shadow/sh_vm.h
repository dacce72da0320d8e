/*
 * sh_vm.h: a one-vCPU test domain for the shadow suites, runnable under
 * either paging mode: machine memory from mm_init, a plain-data struct
 * domain and vCPU (no xen/common), a real hart set up the way xen/common
 * sets up a vCPU's hart, RAM at GPA 0x80000000 built from single frames (so
 * GPA -> MA is scattered), and a run loop that dispatches exits to the
 * paging mode and records what the guest reports through ecalls.
 * Invariant: vm_destroy returns every frame the domain owned.
 */
#ifndef TESTS_SHADOW_SH_VM_H
#define TESTS_SHADOW_SH_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "umbra/domain.h"
#include "umbra/paging.h"

#define VM_RAM_GPA 0x80000000ULL

/* One thing the guest reported (ptedit.h ecalls). */
struct vm_rec {
    uint64_t kind, a, b;
};

struct sh_vm {
    struct domain d;
    struct vcpu v;
    struct vcpu v1;              /* a second vCPU, after vm_add_vcpu */
    struct vcpu *vcpus[2];
    const struct paging_ops *ops;
    uint64_t nr_frames;
    mfn_t *ram;                  /* ram[i] backs gfn VM_RAM_GPA/4K + i */
    struct vm_rec *log;
    size_t nr_log, cap_log;
    uint64_t exits;
    unsigned check_failures;     /* shadow_check() disagreements after exits */
    bool no_check;               /* benchmarks: skip shadow_check() after exits */
    uint64_t last_cause;         /* the exit that stopped a failed run */
    uint64_t last_pc;
};

/* Create a domain with `frames` 4 KiB frames of RAM under ops. 0 or -errno. */
int vm_create(struct sh_vm *vm, domid_t id, const struct paging_ops *ops, uint64_t frames);
/* The same; with p2m_2m, RAM is 2 MiB blocks mapped by 2 MiB p2m entries
 * (frames a multiple of 512). */
int vm_create_ex(struct sh_vm *vm, domid_t id, const struct paging_ops *ops, uint64_t frames,
                 bool p2m_2m);
void vm_destroy(struct sh_vm *vm);

/* Host pointer to guest-physical address gpa (inside RAM). */
void *vm_gpa(struct sh_vm *vm, uint64_t gpa);
void vm_write64(struct sh_vm *vm, uint64_t gpa, uint64_t val);
uint64_t vm_read64(struct sh_vm *vm, uint64_t gpa);

/* Load an ELF64 riscv image's segments into RAM. 0 and *entry, or -errno. */
int vm_load_elf(struct sh_vm *vm, const char *path, uint64_t *entry);

/*
 * Run the guest from entry in VS-mode with a0 = arg (MMU off) until it makes
 * the PT_ECALL_END call (returns 0), an exit cannot be handled (-errno, with
 * last_cause/last_pc), or max_exits exits (-ETIMEDOUT). In shadow mode
 * shadow_check() runs after every exit unless no_check.
 */
int vm_run(struct sh_vm *vm, uint64_t entry, uint64_t arg, uint64_t max_exits);

/* Add vCPU 1 (its own hart, paging->vcpu_init). 0 or -errno. */
int vm_add_vcpu(struct sh_vm *vm);
/* vm_run on a given vCPU (&vm->v or &vm->v1). */
int vm_run_on(struct sh_vm *vm, struct vcpu *v, uint64_t entry, uint64_t arg, uint64_t max_exits);

/* $UMBRA_BUILD/guest/<name>.elf into buf. */
const char *vm_guest_path(char *buf, size_t len, const char *name);

#endif
