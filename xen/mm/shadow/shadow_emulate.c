/*
 * shadow_emulate.c: emulation of a guest store to a write-protected guest
 * page table.
 *
 * The store is decoded from the exit's instruction bits (fetched from guest
 * memory when the exit carries none): SB/SH/SW/SD, the compressed C.SW,
 * C.SD, C.SWSP and C.SDSP, the AMOs (.W and .D) and SC (which always
 * succeeds here: the reservation cannot be observed across the exit). It is
 * applied to the guest frame through the p2m with its own size and
 * atomicity: an aligned 64-bit store is one mm_write64, anything smaller or
 * read-modify-write is a mm_cmpxchg64 loop on the containing word. Then every
 * shadow of the frame (one per level it is shadowed at) revalidates the
 * entry, sepc moves past the instruction, and the unshadow heuristic runs:
 * SH_UNSHADOW_ZERO_WRITES zeroing stores in a row (process teardown) stop
 * shadowing the frame.
 * Callers hold the paging lock; the guest leaf's A/D are already set.
 */
#include <errno.h>

#include "shadow-private.h"

enum sh_store_kind { SH_ST_PLAIN, SH_ST_AMO, SH_ST_SC };

struct sh_store {
    enum sh_store_kind kind;
    unsigned size;     /* bytes */
    unsigned len;      /* instruction length */
    unsigned rs2, rd;
    unsigned funct5;   /* AMO operation */
};

/* Decode a store-like instruction. Returns 0 or -EOPNOTSUPP. */
static int sh_decode_store(uint32_t insn, struct sh_store *st)
{
    *st = (struct sh_store){ SH_ST_PLAIN, 0, 4, 0, 0, 0 };
    if ((insn & 3) != 3) {
        unsigned f3 = (insn >> 13) & 7, op = insn & 3;

        st->len = 2;
        if (f3 != 6 && f3 != 7)
            return -EOPNOTSUPP;
        st->size = f3 == 6 ? 4 : 8;
        if (op == 0)
            st->rs2 = 8 + ((insn >> 2) & 7);        /* C.SW / C.SD */
        else if (op == 2)
            st->rs2 = (insn >> 2) & 31;             /* C.SWSP / C.SDSP */
        else
            return -EOPNOTSUPP;
        return 0;
    }
    st->rs2 = (insn >> 20) & 31;
    st->rd = (insn >> 7) & 31;
    switch (insn & 0x7f) {
    case 0x23:                                      /* STORE */
        if (((insn >> 12) & 7) > 3)
            return -EOPNOTSUPP;
        st->size = 1u << ((insn >> 12) & 7);
        return 0;
    case 0x2f:                                      /* AMO */
        if (((insn >> 12) & 7) != 2 && ((insn >> 12) & 7) != 3)
            return -EOPNOTSUPP;
        st->size = ((insn >> 12) & 7) == 2 ? 4 : 8;
        st->funct5 = insn >> 27;
        if (st->funct5 == 0x02)
            return -EOPNOTSUPP;                     /* LR is not a store */
        st->kind = st->funct5 == 0x03 ? SH_ST_SC : SH_ST_AMO;
        return 0;
    default:
        return -EOPNOTSUPP;
    }
}

static int64_t sh_sext(uint64_t v, unsigned size)
{
    unsigned shift = 64 - 8 * size;

    return (int64_t)(v << shift) >> shift;
}

/* The AMO result for old value a (sign-extended) and operand b. */
static uint64_t sh_amo(unsigned funct5, uint64_t a, uint64_t b, unsigned size)
{
    int64_t sa = sh_sext(a, size), sb = sh_sext(b, size);
    uint64_t ua = size == 8 ? a : (uint32_t)a, ub = size == 8 ? b : (uint32_t)b;

    switch (funct5) {
    case 0x01: return b;                            /* AMOSWAP */
    case 0x00: return a + b;                        /* AMOADD */
    case 0x04: return a ^ b;                        /* AMOXOR */
    case 0x0c: return a & b;                        /* AMOAND */
    case 0x08: return a | b;                        /* AMOOR */
    case 0x10: return sa < sb ? a : b;              /* AMOMIN */
    case 0x14: return sa > sb ? a : b;              /* AMOMAX */
    case 0x18: return ua < ub ? a : b;              /* AMOMINU */
    case 0x1c: return ua > ub ? a : b;              /* AMOMAXU */
    default:   return a;
    }
}

/*
 * Apply the store at machine address ma (naturally aligned for st->size).
 * Returns the new 64-bit word containing it; *old_part gets the old value of
 * the stored bytes (for AMO's rd).
 */
static uint64_t sh_apply_store(struct shadow_domain *sd, maddr_t ma, const struct sh_store *st,
                               uint64_t val, uint64_t *old_part)
{
    maddr_t word = _maddr(maddr_x(ma) & ~7ULL);
    unsigned shift = (unsigned)(maddr_x(ma) & 7) * 8;
    uint64_t mask = st->size == 8 ? ~0ULL : ((1ULL << (8 * st->size)) - 1) << shift;
    uint64_t old, part, new;

    if (st->size == 8 && st->kind != SH_ST_AMO) {
        *old_part = 0;
        sh_write(sd, word, val);
        return val;
    }
    do {
        old = sh_read(sd, word);
        part = (old & mask) >> shift;
        if (st->kind == SH_ST_AMO)
            part = sh_amo(st->funct5, part, val, st->size);
        else
            part = val;
        new = (old & ~mask) | ((part << shift) & mask);
    } while (!mm_cmpxchg64(word, old, new, &sd->op_refs));
    *old_part = (old & mask) >> shift;
    return new;
}

/*
 * Fetch the 16- or 32-bit instruction at guest pc through the guest's tables.
 * Returns 0 or -EFAULT.
 */
int sh_fetch_insn(struct shadow_domain *sd, struct vcpu *v, uint64_t pc, uint32_t *insn)
{
    struct sh_access acc = { PG_ACCESS_EXEC,
                             !(hart_csr_get(v->hart, CSR_SSTATUS) & MSTATUS_SPP), false, false };
    uint32_t parcel[2];

    for (unsigned i = 0; i < 2; i++) {
        uint64_t a = pc + 2 * i;
        struct sh_gwalk gw;
        p2m_type_t t;
        mfn_t mfn;
        uint64_t w;

        if (sh_guest_walk(sd, sd->vcpus[v->vcpu_id].guest_satp, a, &acc, &gw))
            return -EFAULT;
        mfn = sh_p2m_lookup(sd, gw.gfn, &t);
        if (!mfn_valid_value(mfn))
            return -EFAULT;
        w = sh_read(sd, _maddr(maddr_x(mfn_to_maddr(mfn)) + (a & 0xff8)));
        parcel[i] = (uint16_t)(w >> (8 * (a & 6)));
        if (i == 0 && (parcel[0] & 3) != 3) {
            *insn = parcel[0];
            return 0;
        }
    }
    *insn = parcel[0] | (parcel[1] << 16);
    return 0;
}

/*
 * Emulate the store of exit ex, which hit guest page-table frame gfn. Returns
 * 0 (sepc advanced), -EOPNOTSUPP (not an emulable store: the domain is
 * crashed) or -EACCES/-EFAULT.
 */
int sh_emulate_pt_store(struct shadow_domain *sd, struct vcpu *v, const struct hart_exit *ex,
                        uint64_t gfn)
{
    uint32_t insn = ex->insn;
    struct sh_store st;
    uint64_t val, word, old_part;
    struct sh_gfn *g;
    p2m_type_t t;
    mfn_t mfn;
    unsigned idx;
    int rc;

    if (!insn && (rc = sh_fetch_insn(sd, v, ex->pc, &insn)))
        goto out;
    if ((rc = sh_decode_store(insn, &st)))
        goto out;
    rc = -EOPNOTSUPP;
    if (ex->tval & (st.size - 1))
        goto out;
    rc = -EACCES;
    mfn = sh_p2m_lookup(sd, gfn, &t);
    if (!mfn_valid_value(mfn) || !sh_p2m_type_writable(t))
        goto out;
    val = hart_get_reg(v->hart, st.rs2);
    word = sh_apply_store(sd, _maddr(maddr_x(mfn_to_maddr(mfn)) + (ex->tval & 0xfff)), &st, val,
                          &old_part);
    if (st.kind == SH_ST_AMO)
        hart_set_reg(v->hart, st.rd, (uint64_t)sh_sext(old_part, st.size));
    else if (st.kind == SH_ST_SC)
        hart_set_reg(v->hart, st.rd, 0);
    hart_csr_set(v->hart, CSR_SEPC, ex->pc + st.len);
    sd->stats.emulated_writes++;

    idx = (unsigned)((ex->tval & 0xfff) >> 3);
    g = sh_gfn_find(sd, gfn);
    for (unsigned level = 0; g && level < SH_MAX_LEVELS; level++) {
        struct shadow_page *sp;

        if ((g->levels & (1u << level)) && (sp = sh_lookup(sd, SH_GUEST, gfn, level, 0)))
            sh_validate_gentry(sd, sp, idx, word);
    }
    g = sh_gfn_find(sd, gfn);
    if (g) {
        g->writes++;
        g->zero_writes = word == 0 ? g->zero_writes + 1 : 0;
        if (g->zero_writes >= SH_UNSHADOW_ZERO_WRITES && g->levels) {
            g->zero_writes = 0;
            (void)sh_unshadow(sd, gfn);   /* -EBUSY: a running root stays shadowed */
        }
    }
    rc = 0;
out:
    return rc;
}
