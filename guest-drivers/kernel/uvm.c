/*
 * uvm.c: user address spaces: VMAs, demand paging, copy-on-write, fork, the
 * mmap family and copies across the user boundary (see uvm.h for the
 * invariants kept here).
 * Costs: VMA operations are O(MAX_VMAS); range operations are O(pages mapped).
 */
#include "cmdline.h"
#include "frame.h"
#include "kernel.h"
#include "trap.h"
#include "uvm.h"

#define FLUSH_PAGES_MAX 32      /* beyond this, one flush by ASID is cheaper */
#define UNLINK_MAX 64

/* The PTE for a private page with VMA protection prot. W implies R (RISC-V has no W-only). */
static pte_t user_pte(uint64_t pa, int prot, bool cow)
{
    uint64_t flags = cow ? PTE_COW : 0;

    if ((prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) == 0)
        return pa_pte(pa, flags | PTE_HELD);
    flags |= PTE_V | PTE_U | PTE_A;
    if (prot & (PROT_READ | PROT_WRITE))
        flags |= PTE_R;
    if (prot & PROT_EXEC)
        flags |= PTE_X;
    if ((prot & PROT_WRITE) && !cow)
        flags |= PTE_W | PTE_D;
    return pa_pte(pa, flags);
}

static bool prot_allows(int prot, int access)
{
    if ((access & ACCESS_WRITE) && !(prot & PROT_WRITE))
        return false;
    if ((access & ACCESS_READ) && !(prot & (PROT_READ | PROT_WRITE)))
        return false;
    if ((access & ACCESS_EXEC) && !(prot & PROT_EXEC))
        return false;
    return true;
}

/* ---- VMAs ---- */

struct vma *uvm_find_vma(struct mm *mm, uint64_t addr)
{
    for (int i = 0; i < mm->nr_vmas; i++)
        if (addr >= mm->vmas[i].start && addr < mm->vmas[i].end)
            return &mm->vmas[i];
    return NULL;
}

static bool range_free(struct mm *mm, uint64_t start, uint64_t end)
{
    for (int i = 0; i < mm->nr_vmas; i++)
        if (mm->vmas[i].start < end && start < mm->vmas[i].end)
            return false;
    return true;
}

int uvm_add_vma(struct mm *mm, uint64_t start, uint64_t end, int prot, int flags)
{
    if (start >= end || start < USER_MIN || end > USER_TOP ||
        (start | end) & (PAGE_SIZE - 1) || !range_free(mm, start, end))
        return -EINVAL;
    if (mm->nr_vmas == MAX_VMAS)
        return -ENOMEM;
    int i = mm->nr_vmas;
    while (i > 0 && mm->vmas[i - 1].start > start) {
        mm->vmas[i] = mm->vmas[i - 1];
        i--;
    }
    mm->vmas[i] = (struct vma){ start, end, prot, flags };
    mm->nr_vmas++;
    return 0;
}

static void remove_vma(struct mm *mm, int i)
{
    for (; i < mm->nr_vmas - 1; i++)
        mm->vmas[i] = mm->vmas[i + 1];
    mm->nr_vmas--;
}

/* Splits the VMA containing addr (if any) so that a VMA starts at addr. 0 or -ENOMEM. */
static int split_at(struct mm *mm, uint64_t addr)
{
    struct vma *v = uvm_find_vma(mm, addr);

    if (!v || v->start == addr)
        return 0;
    if (mm->nr_vmas == MAX_VMAS)
        return -ENOMEM;
    int i = (int)(v - mm->vmas);
    for (int j = mm->nr_vmas; j > i + 1; j--)
        mm->vmas[j] = mm->vmas[j - 1];
    mm->vmas[i + 1] = *v;
    mm->vmas[i].end = addr;
    mm->vmas[i + 1].start = addr;
    mm->nr_vmas++;
    return 0;
}

/* ---- page-table ranges ---- */

/* A 2 MiB leaf straddling addr is split so that range operations see 4 KiB leaves. */
static int split_huge_at(struct mm *mm, uint64_t addr)
{
    unsigned level;

    if ((addr & (HUGE_SIZE - 1)) == 0)
        return 0;
    pte_t *pte = vm_lookup(mm->root, addr, &level);
    if (pte && level == 1)
        return vm_split_huge(mm->root, addr);
    return 0;
}

struct range_op {
    struct mm *mm;
    int prot;               /* for protect */
    uint64_t flush_va[FLUSH_PAGES_MAX];
    int nr_flush;
    bool flush_all;
};

static void note_flush(struct range_op *op, uint64_t va)
{
    if (op->nr_flush < FLUSH_PAGES_MAX)
        op->flush_va[op->nr_flush++] = va;
    else
        op->flush_all = true;
}

static void do_flushes(struct range_op *op)
{
    if (op->flush_all) {
        vm_flush_asid(op->mm->asid.asid);
        return;
    }
    for (int i = 0; i < op->nr_flush; i++)
        vm_flush_page(op->flush_va[i], op->mm->asid.asid);
}

static void put_frames(uint64_t pa, unsigned level)
{
    uint64_t n = vm_level_size(level) / PAGE_SIZE;

    for (uint64_t i = 0; i < n; i++)
        frame_put(pa + i * PAGE_SIZE);
}

static void unmap_leaf(uint64_t va, pte_t *pte, unsigned level, void *arg)
{
    struct range_op *op = arg;

    if (*pte & PTE_V)
        note_flush(op, va);
    put_frames(pte_pa(*pte), level);
    *pte = 0;
}

/* Unmaps every page in [start, end) (page-aligned) and frees their frames and emptied tables. */
static int unmap_range(struct mm *mm, uint64_t start, uint64_t end)
{
    struct range_op op = { .mm = mm };
    uint64_t tables[UNLINK_MAX];

    if (split_huge_at(mm, start) || split_huge_at(mm, end))
        return -ENOMEM;
    vm_for_each_leaf(mm->root, start, end, unmap_leaf, &op);
    int n = vm_unlink_tables(mm->root, start, end, tables, UNLINK_MAX);
    if (n > 0)
        op.flush_all = true;    /* a non-leaf entry changed: flush by ASID */
    do_flushes(&op);
    for (int i = 0; i < n; i++)
        vm_free_table(tables[i]);
    return 0;
}

static void protect_leaf(uint64_t va, pte_t *pte, unsigned level, void *arg)
{
    struct range_op *op = arg;
    pte_t old = *pte;
    pte_t new = user_pte(pte_pa(old), op->prot, (old & PTE_COW) != 0);

    (void)level;
    if (new == old)
        return;
    *pte = new;
    if (old & PTE_V)
        note_flush(op, va);
}

static int protect_range(struct mm *mm, uint64_t start, uint64_t end, int prot)
{
    struct range_op op = { .mm = mm, .prot = prot };

    if (split_huge_at(mm, start) || split_huge_at(mm, end))
        return -ENOMEM;
    vm_for_each_leaf(mm->root, start, end, protect_leaf, &op);
    do_flushes(&op);
    return 0;
}

/* ---- address spaces ---- */

int uvm_create(struct mm *mm)
{
    memset(mm, 0, sizeof(*mm));
    mm->root = vm_create_root();
    return mm->root ? 0 : -ENOMEM;
}

void uvm_destroy(struct mm *mm)
{
    if (mm->root)
        vm_destroy_root(mm->root);
    mm->root = 0;
    mm->nr_vmas = 0;
    /* The ASID is not reused before a rollover, which flushes everything. */
    mm->asid.generation = 0;
}

/* ---- faults ---- */

uint64_t uvm_populate_page(struct mm *mm, uint64_t va)
{
    struct vma *v = uvm_find_vma(mm, va);
    unsigned level;

    if (!v)
        return 0;
    pte_t *slot = vm_walk(mm->root, va, 0, true, &level);
    if (!slot || level != 0 || *slot)
        return 0;
    uint64_t pa = frame_alloc();
    if (!pa)
        return 0;
    *slot = user_pte(pa, v->prot, false);
    return pa;
}

static int cow_break(struct mm *mm, struct vma *v, uint64_t va, pte_t *pte, unsigned level)
{
    kstats.cow_faults++;
    if (level == 1) {
        uint64_t pa = pte_pa(*pte);
        bool sole = true;
        for (unsigned i = 0; i < 512 && sole; i++)
            sole = frame_refcount(pa + i * PAGE_SIZE) == 1;
        if (sole) {
            *pte = user_pte(pa, v->prot, false);
            vm_flush_page(va, mm->asid.asid);
            return 0;
        }
        if (vm_split_huge(mm->root, va))
            return -ENOMEM;
        pte = vm_lookup(mm->root, va, &level);
    }
    uint64_t pa = pte_pa(*pte);
    if (frame_refcount(pa) == 1) {
        *pte = user_pte(pa, v->prot, false);
    } else {
        uint64_t copy = frame_alloc_dirty();
        if (!copy)
            return -ENOMEM;
        memcpy((void *)copy, (const void *)pa, PAGE_SIZE);
        *pte = user_pte(copy, v->prot, false);
        frame_put(pa);
        kstats.cow_copies++;
    }
    vm_flush_page(va, mm->asid.asid);
    return 0;
}

/* Fills a not-present page: a 2 MiB page when the VMA allows and the region is empty. */
static int demand_fill(struct mm *mm, struct vma *v, uint64_t va)
{
    unsigned level;

    if (v->flags & VMA_HUGE) {
        uint64_t hva = va & ~(HUGE_SIZE - 1);
        if (hva >= v->start && hva + HUGE_SIZE <= v->end) {
            pte_t *slot = vm_walk(mm->root, hva, 1, true, &level);
            if (slot && level == 1 && *slot == 0) {
                uint64_t pa = frame_alloc_huge();
                if (pa) {
                    *slot = user_pte(pa, v->prot, false);
                    kstats.huge_fills++;
                    return 0;
                }
            }
        }
    }
    if (!uvm_populate_page(mm, va))
        return -ENOMEM;
    kstats.zero_fills++;
    return 0;
}

int uvm_fault(struct mm *mm, uint64_t addr, int access)
{
    struct vma *v = uvm_find_vma(mm, addr);
    uint64_t va = PAGE_ROUND_DOWN(addr);
    unsigned level;

    if (!v || !prot_allows(v->prot, access))
        return -EFAULT;
    pte_t *pte = vm_lookup(mm->root, va, &level);
    if (!pte)
        return demand_fill(mm, v, va);
    if (!(*pte & PTE_V)) {
        /* Held page whose VMA allows access: cannot happen if mprotect kept PTEs in step. */
        panic("uvm_fault: held page at %lx in a VMA with prot %d", va, v->prot);
    }
    if ((access & ACCESS_WRITE) && (*pte & PTE_COW))
        return cow_break(mm, v, va, pte, level);
    /* The PTE already allows it: a stale TLB entry. Flush that page and retry. */
    vm_flush_page(va, mm->asid.asid);
    return 0;
}

/* ---- fork ---- */

struct fork_op {
    struct mm *child;
    bool cow;
    int err;
};

static void fork_leaf(uint64_t va, pte_t *pte, unsigned level, void *arg)
{
    struct fork_op *op = arg;
    unsigned got;

    if (op->err)
        return;
    pte_t *slot = vm_walk(op->child->root, va, level, true, &got);
    if (!slot || got != level) {
        op->err = -ENOMEM;
        return;
    }
    uint64_t pa = pte_pa(*pte);
    uint64_t n = vm_level_size(level) / PAGE_SIZE;
    if (op->cow) {
        *pte = (*pte & ~(PTE_W)) | PTE_COW;
        for (uint64_t i = 0; i < n; i++)
            frame_get(pa + i * PAGE_SIZE);
        *slot = *pte;
        return;
    }
    uint64_t copy = level ? frame_alloc_huge() : frame_alloc_dirty();
    struct vma *v = uvm_find_vma(op->child, va);
    if (!copy || !v) {
        if (copy)
            put_frames(copy, level);
        op->err = -ENOMEM;
        return;
    }
    memcpy((void *)copy, (const void *)pa, n * PAGE_SIZE);
    *slot = user_pte(copy, v->prot, false);
}

int uvm_fork(struct mm *parent, struct mm *child, bool cow)
{
    struct fork_op op = { .child = child, .cow = cow };

    memcpy(child->vmas, parent->vmas, sizeof(parent->vmas));
    child->nr_vmas = parent->nr_vmas;
    child->heap_start = parent->heap_start;
    child->brk = parent->brk;
    vm_for_each_leaf(parent->root, 0, USER_TOP, fork_leaf, &op);
    if (cow)
        vm_flush_asid(parent->asid.asid);   /* the parent's pages just lost W */
    return op.err;
}

/* ---- mmap family ---- */

/* The lowest free range of len bytes at or above USER_MMAP_BASE, aligned; 0 if none. */
static uint64_t find_gap(struct mm *mm, uint64_t len, uint64_t align)
{
    uint64_t cand = USER_MMAP_BASE;
    uint64_t limit = USER_STACK_TOP - USER_STACK_MAX;

    for (int i = 0; i < mm->nr_vmas; i++) {
        struct vma *v = &mm->vmas[i];
        if (v->end <= cand)
            continue;
        if (cand + len <= v->start)
            break;
        cand = (v->end + align - 1) & ~(align - 1);
    }
    return cand + len <= limit ? cand : 0;
}

long uvm_munmap(struct mm *mm, uint64_t addr, uint64_t len)
{
    if ((addr & (PAGE_SIZE - 1)) || len == 0 || addr >= USER_TOP || len > USER_TOP - addr)
        return -EINVAL;
    uint64_t end = PAGE_ROUND_UP(addr + len);
    if (split_at(mm, addr) || split_at(mm, end))
        return -ENOMEM;
    for (int i = 0; i < mm->nr_vmas;) {
        if (mm->vmas[i].start >= addr && mm->vmas[i].end <= end)
            remove_vma(mm, i);
        else
            i++;
    }
    return unmap_range(mm, addr, end);
}

long uvm_mmap(struct mm *mm, uint64_t addr, uint64_t len, int prot, int flags)
{
    if (len == 0 || len > USER_TOP || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) ||
        (flags & MAP_SHARED) || !(flags & MAP_PRIVATE) || !(flags & MAP_ANONYMOUS))
        return -EINVAL;
    len = PAGE_ROUND_UP(len);
    int vflags = kopts.hugepages && len >= HUGE_SIZE ? VMA_HUGE : 0;
    if (flags & MAP_FIXED) {
        if ((addr & (PAGE_SIZE - 1)) || addr < USER_MIN || addr > USER_TOP - len)
            return -EINVAL;
        long rc = uvm_munmap(mm, addr, len);
        if (rc)
            return rc;
    } else {
        addr = find_gap(mm, len, vflags ? HUGE_SIZE : PAGE_SIZE);
        if (!addr)
            return -ENOMEM;
    }
    int rc = uvm_add_vma(mm, addr, addr + len, prot, vflags);
    return rc ? rc : (long)addr;
}

long uvm_mprotect(struct mm *mm, uint64_t addr, uint64_t len, int prot)
{
    if ((addr & (PAGE_SIZE - 1)) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) ||
        addr >= USER_TOP || len > USER_TOP - addr)
        return -EINVAL;
    if (len == 0)
        return 0;
    uint64_t end = PAGE_ROUND_UP(addr + len);
    /* Every page must be mapped (Linux: -ENOMEM otherwise). */
    for (uint64_t a = addr; a < end;) {
        struct vma *v = uvm_find_vma(mm, a);
        if (!v)
            return -ENOMEM;
        a = v->end;
    }
    if (split_at(mm, addr) || split_at(mm, end))
        return -ENOMEM;
    for (int i = 0; i < mm->nr_vmas; i++)
        if (mm->vmas[i].start >= addr && mm->vmas[i].end <= end)
            mm->vmas[i].prot = prot;
    return protect_range(mm, addr, end, prot);
}

long uvm_sbrk(struct mm *mm, int64_t delta)
{
    uint64_t old = mm->brk;
    uint64_t new = old + (uint64_t)delta;

    if ((delta < 0 && new > old) || (delta > 0 && new < old) || new < mm->heap_start ||
        new > USER_MMAP_BASE)
        return -ENOMEM;
    uint64_t old_end = PAGE_ROUND_UP(old), new_end = PAGE_ROUND_UP(new);
    struct vma *heap = NULL;
    for (int i = 0; i < mm->nr_vmas; i++)
        if (mm->vmas[i].flags & VMA_HEAP)
            heap = &mm->vmas[i];
    if (new_end > old_end) {
        if (!range_free(mm, old_end, new_end))
            return -ENOMEM;
        if (heap) {
            heap->end = new_end;
        } else {
            int rc = uvm_add_vma(mm, mm->heap_start, new_end, PROT_READ | PROT_WRITE, VMA_HEAP);
            if (rc)
                return rc;
        }
    } else if (new_end < old_end && heap) {
        int rc = unmap_range(mm, new_end, old_end);
        if (rc)
            return rc;
        heap->end = new_end;
        if (heap->end == heap->start)
            remove_vma(mm, (int)(heap - mm->vmas));
    }
    mm->brk = new;
    return (long)old;
}

/* ---- user copies ---- */

/* The kernel address of user va for access, faulting the page in; 0 if not allowed. */
static uint64_t user_addr(struct mm *mm, uint64_t va, int access)
{
    unsigned level;

    for (int tries = 0; tries < 2; tries++) {
        pte_t *pte = vm_lookup(mm->root, va, &level);
        if (pte && (*pte & PTE_V) && (*pte & PTE_U) &&
            ((access & ACCESS_WRITE) ? (*pte & PTE_W) : (*pte & PTE_R)))
            return pte_pa(*pte) + (va & (vm_level_size(level) - 1));
        if (tries == 0 && uvm_fault(mm, va, access) != 0)
            return 0;
    }
    return 0;
}

int copy_to_user(struct mm *mm, uint64_t dst, const void *src, uint64_t len)
{
    const char *s = src;

    while (len > 0) {
        if (dst >= USER_TOP)
            return -EFAULT;
        uint64_t chunk = PAGE_SIZE - (dst & (PAGE_SIZE - 1));
        if (chunk > len)
            chunk = len;
        uint64_t k = user_addr(mm, dst, ACCESS_WRITE);
        if (!k)
            return -EFAULT;
        memcpy((void *)k, s, chunk);
        s += chunk;
        dst += chunk;
        len -= chunk;
    }
    return 0;
}

int copy_from_user(struct mm *mm, void *dst, uint64_t src, uint64_t len)
{
    char *d = dst;

    while (len > 0) {
        if (src >= USER_TOP)
            return -EFAULT;
        uint64_t chunk = PAGE_SIZE - (src & (PAGE_SIZE - 1));
        if (chunk > len)
            chunk = len;
        uint64_t k = user_addr(mm, src, ACCESS_READ);
        if (!k)
            return -EFAULT;
        memcpy(d, (const void *)k, chunk);
        d += chunk;
        src += chunk;
        len -= chunk;
    }
    return 0;
}

long copy_str_from_user(struct mm *mm, char *dst, uint64_t src, uint64_t max)
{
    for (uint64_t i = 0; i < max; i++) {
        uint64_t k = src + i < USER_TOP ? user_addr(mm, src + i, ACCESS_READ) : 0;
        if (!k)
            return -EFAULT;
        dst[i] = *(const char *)k;
        if (dst[i] == '\0')
            return (long)i;
    }
    return -E2BIG;
}
