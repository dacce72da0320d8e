/*
 * shadow-private.h: the state shared by the files of xen/mm/shadow.
 *
 * Three kinds of objects, all owned by one struct shadow_domain
 * (d->paging_priv) and protected by its paging lock (lock-order.h level 40):
 *
 *  - shadow pages (struct shadow_page): one machine frame of type PGT_shadow
 *    holding a shadow table at some level, plus host-side metadata. Two kinds:
 *      SH_GUEST     shadows the guest table in frame `gfn` at `level`; entry
 *                   i is derived from the guest PTE i of that frame;
 *      SH_SPLINTER  covers a guest superpage (or, for the physical-mode
 *                   shadow, all of guest-physical memory) that starts at
 *                   `gfn`, with the guest leaf's flag bits `flags`; entry i
 *                   covers gfn + i * 512^level frames.
 *    Shadow leaves exist only at level 0 (guest superpages are splintered),
 *    so every present shadow entry at level > 0 points at a shadow page.
 *    A page's frame is found from its metadata (smfn) and back through
 *    page_info.aux of the frame (a pointer to the metadata).
 *  - guest-frame records (struct sh_gfn, a side table keyed by GFN): the
 *    levels the frame is shadowed at as a guest table, its out-of-sync
 *    state, the write-emulation heuristics, and the reverse map of every
 *    shadow leaf entry that maps the frame.
 *  - tops: the cache of shadow roots keyed by (guest root GFN, ASID), pinned.
 *
 * Invariants:
 *  - sp->refs == number of present shadow entries pointing at sp + number of
 *    valid tops whose root is sp; a page whose refs reach 0 is freed at once,
 *    so every shadow page is reachable from a top;
 *  - every present shadow leaf entry (sp, i) is in the rmap of the frame
 *    sp->leaf_gfn[i] exactly once; every present non-leaf entry (sp, i)
 *    pointing at child is in child->parents exactly once;
 *  - all shadow table writes go through shadow_set_entry(), which keeps the
 *    two invariants above;
 *  - sh_gfn.levels has bit L set iff an SH_GUEST page (gfn, L) exists.
 */
#ifndef XEN_MM_SHADOW_PRIVATE_H
#define XEN_MM_SHADOW_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "riscv/hart.h"
#include "riscv/pte.h"
#include "umbra/domain.h"
#include "umbra/lock-order.h"
#include "umbra/mm.h"
#include "umbra/p2m.h"
#include "umbra/shadow.h"
#include "umbra/types.h"

#define SH_ENTRIES      512
#define SH_HASH_BUCKETS 1024
#define SH_TOPS         16     /* cached inactive shadow roots per domain (plus one per vCPU) */
#define SH_OOS_MAX      8      /* out-of-sync leaf tables per domain */
#define SH_OOS_WRITES   3      /* emulated writes before a leaf table may go OOS */
#define SH_UNSHADOW_ZERO_WRITES 16 /* consecutive zeroing writes that unshadow a table */
#define SH_MAX_LEVELS   4

/* The guest-flag bits a shadow leaf derives from (V R W X U G A D). */
#define SH_FLAG_MASK 0xFFULL

enum sh_kind { SH_GUEST, SH_SPLINTER };

struct shadow_page;

struct sh_ref {
    struct shadow_page *sp;
    unsigned idx;
};

/* A small growable set of (shadow page, index) references. */
struct sh_refvec {
    struct sh_ref *v;
    unsigned n, cap;
};

struct shadow_page {
    mfn_t smfn;
    enum sh_kind kind;
    unsigned level;
    uint64_t gfn;              /* guest table frame, or first frame covered */
    uint64_t flags;            /* SH_SPLINTER: guest leaf flags; SH_GUEST: 0 */
    unsigned refs;             /* parents + pins (see invariants above) */
    struct sh_refvec parents;  /* non-leaf entries pointing here */
    uint64_t *leaf_gfn;        /* level 0: the gfn each present entry maps */
    struct shadow_page *hash_next;
};

struct sh_gfn {
    uint64_t gfn;
    uint8_t levels;            /* bit L: an SH_GUEST page (gfn, L) exists */
    int oos;                   /* slot in shadow_domain.oos, or -1 */
    unsigned writes;           /* emulated writes since the frame became a table */
    unsigned zero_writes;      /* consecutive emulated writes of zero */
    struct sh_refvec rmap;     /* shadow leaf entries mapping this frame */
    struct sh_gfn *next;
};

/* A cached shadow root: (root gfn, asid) of a guest satp, or physical mode. */
struct sh_top {
    bool valid;
    bool phys;                 /* the physical-mode shadow (guest satp Bare) */
    uint64_t root_gfn;
    uint16_t asid;
    unsigned levels;
    struct shadow_page *sp;
    uint64_t last_use;
};

struct sh_vcpu {
    uint64_t guest_satp;       /* what the guest believes satp holds */
    int top;                   /* index in tops, or -1 before the first run */
};

struct sh_oos {
    bool used;
    uint64_t gfn;
    mfn_t snapshot;            /* pool frame: the guest table when it went OOS */
    uint64_t stamp;
};

struct shadow_domain {
    struct umbra_lock lock;    /* the paging lock */
    struct domain *d;

    /* The pool (shadow_pool.c). */
    mfn_t *free;               /* stack of free pool frames */
    uint64_t nr_free;
    uint64_t free_cap;         /* capacity of the free stack (>= nr_frames) */
    uint64_t nr_frames;        /* frames taken from the heap */
    uint64_t max_frames;       /* the configured pool size */

    struct shadow_page *hash[SH_HASH_BUCKETS];
    struct sh_gfn *gfns[SH_HASH_BUCKETS];
    struct sh_top *tops;       /* SH_TOPS + one per vCPU */
    int nr_tops;
    struct sh_vcpu *vcpus;
    unsigned nr_vcpus;
    struct sh_oos oos[SH_OOS_MAX];

    uint64_t clock;            /* LRU stamps */
    bool flush_pending;        /* a mapping was weakened: flush every vCPU's VS TLB */
    void (*shootdown)(struct domain *d, gfn_t gfn, unsigned order); /* or NULL */
    bool check_after_exit;
    uint64_t asid_mask;        /* the hart's implemented vsatp.ASID bits */
    uint64_t ppn_mask;         /* the hart's implemented vsatp.PPN bits */
    bool sv48;                 /* the hart implements Sv48 for vsatp */
    uint64_t op_refs;          /* references of the handler running now */
    struct shadow_stats stats;
};

static inline struct shadow_domain *sh_dom(struct domain *d)
{
    return (struct shadow_domain *)d->paging_priv;
}

/* ---- counted machine-memory access (every handler reference counts) ---- */
static inline uint64_t sh_read(struct shadow_domain *sd, maddr_t ma)
{
    return mm_read64(ma, &sd->op_refs);
}
static inline void sh_write(struct shadow_domain *sd, maddr_t ma, uint64_t v)
{
    mm_write64(ma, v, &sd->op_refs);
}
static inline maddr_t sh_entry_ma(mfn_t table, unsigned idx)
{
    return _maddr(maddr_x(mfn_to_maddr(table)) + 8ULL * idx);
}
static inline uint64_t sh_get_entry(struct shadow_domain *sd, const struct shadow_page *sp,
                                    unsigned idx)
{
    return sh_read(sd, sh_entry_ma(sp->smfn, idx));
}
/* Frames covered by one entry of a table at `level`. */
static inline uint64_t sh_level_frames(unsigned level)
{
    return 1ULL << (9 * level);
}
/* Is a guest PTE malformed (reserved bits, W without R)? */
static inline bool sh_gpte_bad(uint64_t pte)
{
    return (pte & PTE_RESERVED_MASK) || ((pte & (PTE_R | PTE_W)) == PTE_W);
}

/* ---- shadow_refvec.c ---- */
int sh_refvec_add(struct sh_refvec *rv, struct shadow_page *sp, unsigned idx);
void sh_refvec_del(struct sh_refvec *rv, struct shadow_page *sp, unsigned idx);
void sh_refvec_free(struct sh_refvec *rv);

/* ---- shadow_pool.c ---- */
int sh_pool_init(struct shadow_domain *sd, uint64_t max_frames);
void sh_pool_fini(struct shadow_domain *sd);
int sh_pool_resize(struct shadow_domain *sd, uint64_t max_frames);
int sh_prealloc(struct shadow_domain *sd, unsigned need);
mfn_t sh_pool_take(struct shadow_domain *sd);
void sh_pool_put(struct shadow_domain *sd, mfn_t mfn);
/* Frames an operation on a guest of `levels` levels may allocate. */
static inline unsigned sh_worst_case(unsigned levels)
{
    return levels + 2;
}

/* ---- shadow_cache.c: shadow page hash, guest-frame side table, tops ---- */
struct shadow_page *sh_lookup(struct shadow_domain *sd, enum sh_kind kind, uint64_t gfn,
                              unsigned level, uint64_t flags);
struct shadow_page *sh_create(struct shadow_domain *sd, enum sh_kind kind, uint64_t gfn,
                              unsigned level, uint64_t flags);
struct shadow_page *sh_from_smfn(mfn_t smfn);
struct sh_gfn *sh_gfn_find(struct shadow_domain *sd, uint64_t gfn);
struct sh_gfn *sh_gfn_get(struct shadow_domain *sd, uint64_t gfn);
void sh_gfn_maybe_free(struct shadow_domain *sd, struct sh_gfn *g);
int sh_top_get(struct shadow_domain *sd, uint64_t satp, unsigned vcpu_id);
void sh_top_unpin(struct shadow_domain *sd, int slot);
bool sh_top_active(const struct shadow_domain *sd, int slot);
void sh_blow_tables(struct shadow_domain *sd);
void sh_destroy(struct shadow_domain *sd, struct shadow_page *sp);

/* ---- shadow_table.c: entries, propagation, freeing ---- */
void shadow_set_entry(struct shadow_domain *sd, struct shadow_page *sp, unsigned idx,
                      uint64_t val, uint64_t leaf_gfn);
uint64_t sh_leaf_from_guest(struct shadow_domain *sd, uint64_t gfn, uint64_t gflags);
void sh_validate_gentry(struct shadow_domain *sd, struct shadow_page *sp, unsigned idx,
                        uint64_t gpte);
void sh_revalidate_leaf(struct shadow_domain *sd, struct shadow_page *sp, unsigned idx);
void sh_free_page(struct shadow_page *sp, struct shadow_domain *sd);
void sh_unref(struct shadow_domain *sd, struct shadow_page *sp);
bool sh_is_protected_table(struct shadow_domain *sd, uint64_t gfn);

/* ---- shadow_p2m.c: the p2m as the shadow code sees it ---- */
mfn_t sh_p2m_lookup(struct shadow_domain *sd, uint64_t gfn, p2m_type_t *t);
mfn_t sh_p2m_lookup_access(struct shadow_domain *sd, uint64_t gfn, p2m_type_t *t);
bool sh_p2m_type_readable(p2m_type_t t);
bool sh_p2m_type_writable(p2m_type_t t);
bool sh_guest_table_ma(struct shadow_domain *sd, uint64_t gfn, maddr_t *ma);

/* ---- shadow_walk.c: the software walk of the guest's tables ---- */
struct sh_gwalk {
    unsigned levels;           /* 0 in physical mode */
    unsigned leaf_level;
    uint64_t table_gfn[SH_MAX_LEVELS];
    uint64_t pte[SH_MAX_LEVELS];
    maddr_t pte_ma[SH_MAX_LEVELS];
    uint64_t gfn;              /* the 4 KiB guest frame of the address */
    uint64_t leaf_flags;
};
struct sh_access {
    unsigned access;           /* PG_ACCESS_READ/WRITE/EXEC */
    bool user;                 /* the guest was in VU-mode */
    bool sum, mxr;
};
int sh_guest_walk(struct shadow_domain *sd, uint64_t satp, uint64_t va,
                  const struct sh_access *acc, struct sh_gwalk *gw);
const struct pt_format *sh_satp_format(uint64_t satp);

/* ---- shadow_gfn.c: write protection and unshadowing ---- */
void sh_protect_gfn(struct shadow_domain *sd, uint64_t gfn);
void sh_revalidate_mappings(struct shadow_domain *sd, uint64_t gfn);
int sh_unshadow(struct shadow_domain *sd, uint64_t gfn);
void sh_drop_mappings(struct shadow_domain *sd, uint64_t gfn);

/* ---- shadow_oos.c ---- */
bool sh_oos_try(struct shadow_domain *sd, struct sh_gfn *g);
void sh_oos_resync(struct shadow_domain *sd, struct sh_gfn *g);
void sh_oos_resync_all(struct shadow_domain *sd);
void sh_oos_forget(struct shadow_domain *sd, struct sh_gfn *g);

/* ---- shadow_inject.c / shadow_emulate.c / shadow_fault.c / shadow_vinsn.c ---- */
void sh_inject_trap(struct hart *h, uint64_t cause, uint64_t tval, uint64_t pc);
int sh_fetch_insn(struct shadow_domain *sd, struct vcpu *v, uint64_t pc, uint32_t *insn);
int sh_emulate_pt_store(struct shadow_domain *sd, struct vcpu *v, const struct hart_exit *ex,
                        uint64_t gfn);
int shadow_handle_fault(struct vcpu *v, const struct hart_exit *ex);
int shadow_handle_vinsn(struct vcpu *v, const struct hart_exit *ex);
int sh_set_guest_satp(struct shadow_domain *sd, struct vcpu *v, uint64_t satp);

/* ---- shadow_flush.c ---- */
void sh_flush_all_vcpus(struct shadow_domain *sd);
void sh_op_begin(struct shadow_domain *sd);
bool sh_op_running(const struct shadow_domain *sd);
int sh_op_end(struct shadow_domain *sd, struct vcpu *v, int rc);

/* ---- shadow_check.c ---- */
int sh_check(struct shadow_domain *sd);

#endif
