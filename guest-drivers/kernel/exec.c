/*
 * exec.c: loading a built-in ELF program into a fresh address space.
 * The new image is built completely before the old one is dropped, so a
 * failing exec returns an error to the unchanged caller.
 * Invariant: every loadable segment lies in [USER_MIN, USER_MMAP_BASE) and
 * inside the program's bytes; anything else is -ENOEXEC.
 */
#include "frame.h"
#include "kernel.h"
#include "proc.h"
#include "programs.h"
#include "riscv.h"
#include "uvm.h"

struct elf64_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define EM_RISCV 243

static const struct elf64_ehdr *check_elf(const struct program *prog)
{
    uint64_t size = (uint64_t)(prog->end - prog->start);
    const struct elf64_ehdr *eh = (const struct elf64_ehdr *)prog->start;

    if (size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4) != 0 || eh->ident[4] != 2 ||
        eh->machine != EM_RISCV || eh->type != 2 || eh->phentsize != sizeof(struct elf64_phdr) ||
        eh->phoff > size || eh->phnum * sizeof(struct elf64_phdr) > size - eh->phoff)
        return NULL;
    return eh;
}

/* Maps and fills one PT_LOAD segment into mm. 0 or -errno. */
static int load_segment(struct mm *mm, const struct program *prog, const struct elf64_phdr *ph)
{
    uint64_t size = (uint64_t)(prog->end - prog->start);

    if (ph->memsz < ph->filesz || ph->offset > size || ph->filesz > size - ph->offset ||
        ph->vaddr < USER_MIN || ph->vaddr >= USER_MMAP_BASE ||
        ph->memsz > USER_MMAP_BASE - ph->vaddr)
        return -ENOEXEC;
    int prot = ((ph->flags & PF_R) ? PROT_READ : 0) | ((ph->flags & PF_W) ? PROT_WRITE : 0) |
               ((ph->flags & PF_X) ? PROT_EXEC : 0);
    uint64_t start = PAGE_ROUND_DOWN(ph->vaddr), end = PAGE_ROUND_UP(ph->vaddr + ph->memsz);
    if (uvm_add_vma(mm, start, end, prot, 0))
        return -ENOEXEC;
    for (uint64_t va = start; va < end; va += PAGE_SIZE) {
        uint64_t pa = uvm_populate_page(mm, va);
        if (!pa)
            return -ENOMEM;
        /* The part of [vaddr, vaddr + filesz) that falls in this page. */
        uint64_t lo = va > ph->vaddr ? va : ph->vaddr;
        uint64_t hi = va + PAGE_SIZE < ph->vaddr + ph->filesz ? va + PAGE_SIZE
                                                               : ph->vaddr + ph->filesz;
        if (lo < hi)
            memcpy((void *)(pa + (lo - va)), prog->start + ph->offset + (lo - ph->vaddr), hi - lo);
    }
    if (end > mm->heap_start)
        mm->heap_start = end;
    return 0;
}

/* Pushes argv onto the new stack; returns the user sp, and *uargv the array's address. */
static long push_args(struct mm *mm, int argc, char *const argv[], uint64_t *uargv)
{
    uint64_t sp = USER_STACK_TOP;
    uint64_t ptrs[USER_MAX_ARGS + 1];

    for (int i = argc - 1; i >= 0; i--) {
        uint64_t len = strlen(argv[i]) + 1;
        sp -= len;
        if (copy_to_user(mm, sp, argv[i], len))
            return -ENOMEM;
        ptrs[i] = sp;
    }
    ptrs[argc] = 0;
    sp &= ~15UL;
    sp -= (uint64_t)(argc + 1) * 8;
    sp &= ~15UL;
    if (copy_to_user(mm, sp, ptrs, (uint64_t)(argc + 1) * 8))
        return -ENOMEM;
    *uargv = sp;
    return (long)sp;
}

long proc_exec(const char *name, int argc, char *const argv[])
{
    const struct program *prog = program_find(name);
    struct proc *p = current;
    struct mm mm;
    uint64_t uargv;
    long rc;

    if (!prog)
        return -ENOENT;
    if (argc > USER_MAX_ARGS)
        return -E2BIG;
    const struct elf64_ehdr *eh = check_elf(prog);
    if (!eh)
        return -ENOEXEC;
    if (uvm_create(&mm))
        return -ENOMEM;
    for (unsigned i = 0; i < eh->phnum; i++) {
        const struct elf64_phdr *ph =
            (const struct elf64_phdr *)(prog->start + eh->phoff) + i;
        if (ph->type == PT_LOAD && (rc = load_segment(&mm, prog, ph)) != 0)
            goto fail;
    }
    mm.brk = mm.heap_start;
    rc = uvm_add_vma(&mm, USER_STACK_TOP - USER_STACK_MAX, USER_STACK_TOP,
                     PROT_READ | PROT_WRITE, VMA_STACK);
    if (rc)
        goto fail;
    long sp = push_args(&mm, argc, argv, &uargv);
    if (sp < 0) {
        rc = sp;
        goto fail;
    }
    __asm__ volatile("fence.i" ::: "memory");   /* new code in recycled frames */

    /* Commit: switch to the new image, then drop the old one. */
    struct mm old = p->mm;
    p->mm = mm;
    p->mm.asid.generation = 0;
    vm_asid_refresh(&p->mm.asid);
    vm_activate(p->mm.root, p->mm.asid.asid);
    uvm_destroy(&old);
    strlcpy(p->name, name, sizeof(p->name));
    memset(p->tf->regs, 0, sizeof(p->tf->regs));
    p->tf->regs[REG_SP] = (uint64_t)sp;
    p->tf->regs[REG_A0] = (uint64_t)argc;
    p->tf->regs[REG_A1] = uargv;
    p->tf->sepc = eh->entry;
    p->tf->sstatus = (csr_read(sstatus) & ~(SSTATUS_SPP | SSTATUS_SIE)) | SSTATUS_SPIE;
    kstats.execs++;
    return argc;

fail:
    uvm_destroy(&mm);
    return rc;
}
