/*
 * exec.c: hart_run, the interpreter of the virtual hart.
 *
 * Structure: an outer loop (interrupts, WFI, budget, timer limit, fetch of
 * the page at pc) around an inner threaded loop over pre-decoded slots of
 * one physical code page (struct code_page), dispatched with computed goto
 * (a GNU C extension that gcc accepts under -std=c11 without -Wpedantic).
 * Slots start as DECODE and decode themselves on first execution; branches
 * and JAL whose target lies in the same page are decoded to "_L" variants
 * that move the slot pointer directly.
 *
 * Fast path of a load/store: one direct-mapped host-TLB probe that also
 * rejects misaligned addresses, then a host memory access, plus the modeled
 * TLB-hit counter. Everything else (misses, faults, MMIO, tohost, code
 * pages) goes through mem.c.
 *
 * Invariants: instret (local n) counts retired instructions exactly; the
 * inner loop stops when n reaches h->lim (budget end or timer due), after
 * any CSR instruction, xRET, fence, WFI, and after slow-path stores that set
 * h->stop (tohost, CLINT), so interrupts are taken at the next boundary.
 * The pc is derived from the slot pointer: vbase + 2 * slot index.
 */
#include <string.h>

#include "riscv/hart_impl.h"

/*
 * Keep one indirect jump per handler (threaded dispatch): stop gcc from
 * merging the handlers' identical dispatch tails into one shared jump.
 */
#pragma GCC optimize("no-crossjumping", "no-gcse")

/* For each op, its compressed twin (fixed length 1), or OP_COUNT. */
static enum op hart_cop_of[OP_COUNT];

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Fill `s` from a decoded instruction at slot index idx of a page. */
static void fill_slot(struct slot *s, const struct dinsn *d, unsigned idx, bool allow_local)
{
    enum op op = d->op;
    int32_t imm = d->imm;
    int64_t target = (int64_t)idx * 2 + imm;

    if (allow_local && target >= 0 && target < (int64_t)PAGE_SIZE) {
        if (op >= OP_BEQ && op <= OP_BGEU) {
            op = (enum op)(op + (OP_BEQ_L - OP_BEQ));
            imm /= 2;
        } else if (op == OP_JAL) {
            op = OP_JAL_LOCAL;
            imm /= 2;
        }
    }
    if (d->len == 1 && hart_cop_of[op] != OP_COUNT)
        s->handler = hart_op_label[hart_cop_of[op]];
    else
        s->handler = hart_op_label[op];
    s->imm = imm;
    s->rd = d->rd;
    s->rs1 = d->rs1;
    s->rs2 = d->rs2;
    s->len = d->len;
}

/* Exception fix-ups that need the instruction bits. */
static void trap_fixup(struct trap *t, uint32_t insn)
{
    if (t->cause == CAUSE_ILLEGAL_INSN || t->cause == CAUSE_VIRTUAL_INSN)
        t->tval = insn;
    if ((t->cause == CAUSE_LOAD_GUEST_PAGE_FAULT || t->cause == CAUSE_STORE_GUEST_PAGE_FAULT) &&
        t->tinst == 0)
        t->tinst = htinst_transform(insn);
}

/*
 * An exception handled inside the hart retires nothing, so it takes one unit
 * of the budget instead: a program that traps forever cannot hang hart_run.
 */
static void trap_consume_budget(struct hart *h)
{
    if (h->budget_end > h->ctr.instret)
        h->budget_end--;
}

static int64_t div64(int64_t a, int64_t b)
{
    if (b == 0)
        return -1;
    if (a == INT64_MIN && b == -1)
        return a;
    return a / b;
}

static int64_t rem64(int64_t a, int64_t b)
{
    if (b == 0)
        return a;
    if (a == INT64_MIN && b == -1)
        return 0;
    return a % b;
}

static int32_t div32(int32_t a, int32_t b)
{
    if (b == 0)
        return -1;
    if (a == INT32_MIN && b == -1)
        return a;
    return a / b;
}

static int32_t rem32(int32_t a, int32_t b)
{
    if (b == 0)
        return a;
    if (a == INT32_MIN && b == -1)
        return 0;
    return a % b;
}

static uint64_t sx32(uint64_t v)
{
    return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
}

static uint64_t mulhsu(int64_t a, uint64_t b)
{
    return (uint64_t)(((__int128)a * (unsigned __int128)b) >> 64);
}

/* Privilege check for SFENCE.VMA/HFENCE/SRET/WFI/HLV-class: 0 or a cause. */
static int sys_check(const struct hart *h, enum op op)
{
    bool v = h->virt;
    unsigned p = h->priv;

    if (p == PRIV_M)
        return 0;
    switch (op) {
    case OP_SFENCE_VMA:
        if (p == PRIV_U)
            return v ? CAUSE_VIRTUAL_INSN : CAUSE_ILLEGAL_INSN;
        if (!v && (h->mstatus & MSTATUS_TVM))
            return CAUSE_ILLEGAL_INSN;
        if (v && (h->hstatus & HSTATUS_VTVM))
            return CAUSE_VIRTUAL_INSN;
        return 0;
    case OP_HFENCE_VVMA: case OP_HFENCE_GVMA:
        if (v)
            return CAUSE_VIRTUAL_INSN;
        if (p == PRIV_U)
            return CAUSE_ILLEGAL_INSN;
        if (op == OP_HFENCE_GVMA && (h->mstatus & MSTATUS_TVM))
            return CAUSE_ILLEGAL_INSN;
        return 0;
    case OP_HLV: case OP_HSV:
        if (v)
            return CAUSE_VIRTUAL_INSN;
        if (p == PRIV_U && !(h->hstatus & HSTATUS_HU))
            return CAUSE_ILLEGAL_INSN;
        return 0;
    case OP_SRET:
        if (p == PRIV_U)
            return v ? CAUSE_VIRTUAL_INSN : CAUSE_ILLEGAL_INSN;
        if (!v && (h->mstatus & MSTATUS_TSR))
            return CAUSE_ILLEGAL_INSN;
        if (v && (h->hstatus & HSTATUS_VTSR))
            return CAUSE_VIRTUAL_INSN;
        return 0;
    case OP_WFI:
        if (h->mstatus & MSTATUS_TW)
            return CAUSE_ILLEGAL_INSN;
        if (p == PRIV_U)
            return v ? CAUSE_VIRTUAL_INSN : CAUSE_ILLEGAL_INSN;
        if (v && (h->hstatus & HSTATUS_VTW))
            return CAUSE_VIRTUAL_INSN;
        return 0;
    default:
        return CAUSE_ILLEGAL_INSN;
    }
}

/* SFENCE.VMA / HFENCE.VVMA / HFENCE.GVMA with the rs1/rs2 = x0 forms. */
static void do_fence(struct hart *h, enum op op, unsigned rs1, unsigned rs2)
{
    uint64_t a = rs1 ? h->x[rs1] : ~0ULL, b = rs2 ? h->x[rs2] : ~0ULL;
    uint16_t vmid = (uint16_t)((h->hgatp & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT);

    if (op == OP_HFENCE_GVMA)
        tlb_flush_gvma(h, rs1 ? a << 2 : ~0ULL, b);
    else if (op == OP_HFENCE_VVMA || h->virt)
        tlb_flush_vma(h, true, vmid, a, b == ~0ULL ? b : (b & 0xffff));
    else
        tlb_flush_vma(h, false, 0, a, b == ~0ULL ? b : (b & 0xffff));
}

#define LABEL_ADDR(name) &&L_##name,
#define LABEL_ADDR_C(name) &&L_C_##name,

/*
 * hart_run: see hart.h. h == NULL only at start-up, to publish the handler
 * label table (label addresses exist only inside this function).
 */
enum hart_exit_kind hart_run(struct hart *h, uint64_t budget, struct hart_exit *ex)
{
    static const void *const labels[OP_COUNT] = { HART_OPS(LABEL_ADDR)
                                                  HART_COPS(LABEL_ADDR_C) };
    uint64_t *x, n, lim, vbase, target = 0;
    /* One-entry host TLBs in registers, in front of h->htlb_r/htlb_w; reset
     * (tag 1) after every slow path, which may flush the host TLBs. */
    uint64_t rtag = 1, wtag = 1, dhits = 0, dcnt = 0;
    uintptr_t radd = 0, wadd = 0;
    struct code_page *cp;
    struct slot *s;
    struct trap t;

    if (!h) {
        memcpy(hart_op_label, labels, sizeof(labels));
        for (unsigned i = 0; i < OP_COUNT; i++)
            hart_cop_of[i] = OP_COUNT;
#define SET_COP(name) hart_cop_of[OP_##name] = OP_C_##name;
        HART_COPS(SET_COP)
#undef SET_COP
        return HART_EXIT_BUDGET;
    }
    x = h->x;
    memset(ex, 0, sizeof(*ex));
    h->budget_end = h->ctr.instret + budget < h->ctr.instret ? ~0ULL : h->ctr.instret + budget;

    for (;;) {
        bool taken;

        if (h->tohost_hit) {
            h->tohost_hit = false;
            ex->kind = HART_EXIT_TOHOST;
            ex->tohost = h->tohost_val;
            ex->pc = h->pc;
            return HART_EXIT_TOHOST;
        }
        if (trap_interrupt(h, ex, &taken))
            return HART_EXIT_TRAP;
        if (h->wfi) {
            if (!irq_pending_any(h)) {
                ex->kind = HART_EXIT_WFI;
                ex->pc = h->pc;
                return HART_EXIT_WFI;
            }
            h->wfi = false;
        }
        if (h->ctr.instret >= h->budget_end) {
            ex->kind = HART_EXIT_BUDGET;
            ex->pc = h->pc;
            return HART_EXIT_BUDGET;
        }
        h->stop = false;
        hart_recompute_limit(h);
        if (fetch_page(h, h->pc, &cp, &t)) {
            if (trap_exception(h, &t, h->pc, 0, ex))
                return HART_EXIT_TRAP;
            trap_consume_budget(h);
            continue;
        }
        n = h->ctr.instret;
        lim = h->lim;
        rtag = wtag = 1;
        dcnt = h->data_counted;
        vbase = h->pc & ~(PAGE_SIZE - 1);
        s = &cp->slots[(h->pc & (PAGE_SIZE - 1)) >> 1];
        goto *s->handler;

#define PC_OF(sp) (vbase + (uint64_t)((sp) - cp->slots) * 2)
#define SYNC()                                   \
    do {                                         \
        h->ctr.instret = n;                      \
        h->ctr.tlb_hits += dhits;                \
        dhits = 0;                               \
    } while (0)
#define HTLB_RESET()                             \
    do {                                         \
        rtag = wtag = 1;                         \
        dcnt = h->data_counted;                  \
    } while (0)
#define DISPATCH() goto *s->handler
#define NEXT()                                   \
    do {                                         \
        s += LEN;                             \
        if (unlikely(++n >= lim))                \
            goto stop;                           \
        DISPATCH();                              \
    } while (0)
/* After a slow path: retire, then stop if it asked to. */
#define NEXT_SLOW()                              \
    do {                                         \
        lim = h->lim;                            \
        HTLB_RESET();                            \
        if (unlikely(h->stop)) {                 \
            s += LEN;                         \
            n++;                                 \
            goto stop;                           \
        }                                        \
        NEXT();                                  \
    } while (0)
#define RETIRE_STOP()                            \
    do {                                         \
        s += LEN;                             \
        n++;                                     \
        goto stop;                               \
    } while (0)
#define EXC(c, v)                                \
    do {                                         \
        trap_set(&t, (c), (v));                  \
        goto exception;                          \
    } while (0)
#define RD x[s->rd]
#define RS1 x[s->rs1]
#define RS2 x[s->rs2]
#define IMM ((uint64_t)(int64_t)s->imm)
#define ALU(expr)                                \
    do {                                         \
        RD = (expr);                             \
        NEXT();                                  \
    } while (0)
#define LOAD(type)                                                                 \
    do {                                                                           \
        uint64_t va_ = RS1 + IMM;                                                  \
        uint64_t vt_ = va_ & (~(PAGE_SIZE - 1) | (sizeof(type) - 1));              \
        if (likely(vt_ == rtag)) {                                                 \
            type v_;                                                               \
            memcpy(&v_, (const void *)(radd + (uintptr_t)va_), sizeof(v_));        \
            dhits += dcnt;                                                         \
            RD = (uint64_t)(int64_t)v_;                                            \
            NEXT();                                                                \
        } else {                                                                   \
            struct htlb_entry *e_ = &h->htlb_r[(va_ >> PAGE_SHIFT) % HTLB_SIZE];   \
            if (likely(e_->tag == vt_)) {                                          \
                type v_;                                                           \
                rtag = vt_ & ~(PAGE_SIZE - 1);                                     \
                radd = e_->addend;                                                 \
                memcpy(&v_, (const void *)(radd + (uintptr_t)va_), sizeof(v_));    \
                dhits += dcnt;                                                     \
                RD = (uint64_t)(int64_t)v_;                                        \
                NEXT();                                                            \
            } else {                                                               \
                uint64_t v_;                                                       \
                SYNC();                                                            \
                if (mem_load(h, va_, sizeof(type), &v_, &t))                       \
                    goto exception;                                                \
                RD = (uint64_t)(int64_t)(type)v_;                                  \
                NEXT_SLOW();                                                       \
            }                                                                      \
        }                                                                          \
    } while (0)
#define STORE(type)                                                                \
    do {                                                                           \
        uint64_t va_ = RS1 + IMM;                                                  \
        uint64_t vt_ = va_ & (~(PAGE_SIZE - 1) | (sizeof(type) - 1));              \
        type v_ = (type)RS2;                                                       \
        if (likely(vt_ == wtag)) {                                                 \
            memcpy((void *)(wadd + (uintptr_t)va_), &v_, sizeof(v_));              \
            dhits += dcnt;                                                         \
            NEXT();                                                                \
        } else {                                                                   \
            struct htlb_entry *e_ = &h->htlb_w[(va_ >> PAGE_SHIFT) % HTLB_SIZE];   \
            if (likely(e_->tag == vt_)) {                                          \
                wtag = vt_ & ~(PAGE_SIZE - 1);                                     \
                wadd = e_->addend;                                                 \
                memcpy((void *)(wadd + (uintptr_t)va_), &v_, sizeof(v_));          \
                dhits += dcnt;                                                     \
                NEXT();                                                            \
            } else {                                                               \
                SYNC();                                                            \
                if (mem_store(h, va_, sizeof(type), (uint64_t)v_, &t))             \
                    goto exception;                                                \
                NEXT_SLOW();                                                       \
            }                                                                      \
        }                                                                          \
    } while (0)
#define BRANCH(cond)                             \
    do {                                         \
        if (cond) {                              \
            target = PC_OF(s) + IMM;             \
            goto jump;                           \
        }                                        \
        NEXT();                                  \
    } while (0)
#define BRANCH_L(cond)                           \
    do {                                         \
        s += (cond) ? s->imm : LEN;           \
        if (unlikely(++n >= lim))                \
            goto stop;                           \
        DISPATCH();                              \
    } while (0)

    {
        /* LEN: the instruction length in slots; DUAL handlers redefine it as
         * 1 for their compressed twin, so the slot pointer advances by a
         * constant and never waits for a load. */
        enum { LEN = 2 };
#define DUAL(name, ...)                          \
    L_##name: { __VA_ARGS__ }                    \
    L_C_##name: {                                \
        enum { LEN = 1 };                        \
        __VA_ARGS__                              \
    }

L_DECODE: {
        unsigned idx = (unsigned)(s - cp->slots);
        uint16_t lo, hi = 0;
        struct dinsn d;

        if (!cp->live) {
            code_make_live(h, cp);
            HTLB_RESET();
        }
        memcpy(&lo, cp->host + 2 * idx, 2);
        if ((lo & 3) == 3) {
            if (idx == SLOTS_PER_PAGE - 1) {
                s->handler = hart_op_label[OP_CROSS];
                goto L_CROSS;
            }
            memcpy(&hi, cp->host + 2 * idx + 2, 2);
        }
        decode(lo | ((uint32_t)hi << 16), &d);
        fill_slot(s, &d, idx, true);
        DISPATCH();
    }
L_CROSS: {
        uint64_t pc = PC_OF(s);
        uint16_t lo, hi;
        struct xlate xl;
        struct dinsn d;
        uint8_t *p;

        SYNC();
        memcpy(&lo, cp->host + PAGE_SIZE - 2, 2);
        if (mmu_translate(h, pc + 2, ACC_FETCH, h->priv, h->virt, false, &xl, &t)) {
            h->pc = pc;
            if (trap_exception(h, &t, pc, 0, ex))
                return HART_EXIT_TRAP;
            trap_consume_budget(h);
            continue;
        }
        p = mem_host(h, xl.ma, 2);
        if (!p) {
            trap_set(&t, CAUSE_FETCH_ACCESS, pc + 2);
            t.gva = h->virt;
            h->pc = pc;
            if (trap_exception(h, &t, pc, 0, ex))
                return HART_EXIT_TRAP;
            trap_consume_budget(h);
            continue;
        }
        memcpy(&hi, p, 2);
        h->xpage_raw = lo | ((uint32_t)hi << 16);
        decode(h->xpage_raw, &d);
        cp = h->xpage;
        s = &cp->slots[SLOTS_PER_PAGE - 1];
        fill_slot(s, &d, SLOTS_PER_PAGE - 1, false);
        lim = h->lim;
        HTLB_RESET();
        DISPATCH();
    }
L_PAGE_END:
        target = PC_OF(s);
        goto newpage;
L_ILLEGAL:
        EXC(CAUSE_ILLEGAL_INSN, 0);
DUAL(LUI, ALU(IMM);)
L_AUIPC: ALU(PC_OF(s) + IMM);
DUAL(JAL, target = PC_OF(s) + IMM; RD = PC_OF(s) + 2 * LEN; goto jump;)
DUAL(JAL_LOCAL, RD = PC_OF(s) + 2 * LEN; s += s->imm;
     if (unlikely(++n >= lim))
         goto stop;
     DISPATCH();)
DUAL(JALR, target = (RS1 + IMM) & ~1ULL; RD = PC_OF(s) + 2 * LEN; goto jump;)
DUAL(BEQ, BRANCH(RS1 == RS2);)
DUAL(BNE, BRANCH(RS1 != RS2);)
L_BLT: BRANCH((int64_t)RS1 < (int64_t)RS2);
L_BGE: BRANCH((int64_t)RS1 >= (int64_t)RS2);
L_BLTU: BRANCH(RS1 < RS2);
L_BGEU: BRANCH(RS1 >= RS2);
DUAL(BEQ_L, BRANCH_L(RS1 == RS2);)
DUAL(BNE_L, BRANCH_L(RS1 != RS2);)
L_BLT_L: BRANCH_L((int64_t)RS1 < (int64_t)RS2);
L_BGE_L: BRANCH_L((int64_t)RS1 >= (int64_t)RS2);
L_BLTU_L: BRANCH_L(RS1 < RS2);
L_BGEU_L: BRANCH_L(RS1 >= RS2);
L_LB: LOAD(int8_t);
L_LH: LOAD(int16_t);
DUAL(LW, LOAD(int32_t);)
DUAL(LD, LOAD(int64_t);)
L_LBU: LOAD(uint8_t);
L_LHU: LOAD(uint16_t);
L_LWU: LOAD(uint32_t);
L_SB: STORE(uint8_t);
L_SH: STORE(uint16_t);
DUAL(SW, STORE(uint32_t);)
DUAL(SD, STORE(uint64_t);)
DUAL(ADDI, ALU(RS1 + IMM);)
L_SLTI: ALU((int64_t)RS1 < (int64_t)IMM);
L_SLTIU: ALU(RS1 < IMM);
L_XORI: ALU(RS1 ^ IMM);
L_ORI: ALU(RS1 | IMM);
DUAL(ANDI, ALU(RS1 & IMM);)
DUAL(SLLI, ALU(RS1 << s->imm);)
DUAL(SRLI, ALU(RS1 >> s->imm);)
DUAL(SRAI, ALU((uint64_t)((int64_t)RS1 >> s->imm));)
DUAL(ADDIW, ALU(sx32(RS1 + IMM));)
L_SLLIW: ALU(sx32(RS1 << s->imm));
L_SRLIW: ALU(sx32((uint32_t)RS1 >> s->imm));
L_SRAIW: ALU((uint64_t)(int64_t)((int32_t)RS1 >> s->imm));
DUAL(ADD, ALU(RS1 + RS2);)
DUAL(SUB, ALU(RS1 - RS2);)
L_SLL: ALU(RS1 << (RS2 & 63));
L_SLT: ALU((int64_t)RS1 < (int64_t)RS2);
L_SLTU: ALU(RS1 < RS2);
DUAL(XOR, ALU(RS1 ^ RS2);)
L_SRL: ALU(RS1 >> (RS2 & 63));
L_SRA: ALU((uint64_t)((int64_t)RS1 >> (RS2 & 63)));
DUAL(OR, ALU(RS1 | RS2);)
DUAL(AND, ALU(RS1 & RS2);)
DUAL(ADDW, ALU(sx32(RS1 + RS2));)
DUAL(SUBW, ALU(sx32(RS1 - RS2));)
L_SLLW: ALU(sx32((uint32_t)RS1 << (RS2 & 31)));
L_SRLW: ALU(sx32((uint32_t)RS1 >> (RS2 & 31)));
L_SRAW: ALU((uint64_t)(int64_t)((int32_t)RS1 >> (RS2 & 31)));
L_MUL: ALU(RS1 * RS2);
L_MULH: ALU((uint64_t)(((__int128)(int64_t)RS1 * (__int128)(int64_t)RS2) >> 64));
L_MULHSU: ALU(mulhsu((int64_t)RS1, RS2));
L_MULHU: ALU((uint64_t)(((unsigned __int128)RS1 * RS2) >> 64));
L_DIV: ALU((uint64_t)div64((int64_t)RS1, (int64_t)RS2));
L_DIVU: ALU(RS2 ? RS1 / RS2 : ~0ULL);
L_REM: ALU((uint64_t)rem64((int64_t)RS1, (int64_t)RS2));
L_REMU: ALU(RS2 ? RS1 % RS2 : RS1);
L_MULW: ALU(sx32(RS1 * RS2));
L_DIVW: ALU((uint64_t)(int64_t)div32((int32_t)RS1, (int32_t)RS2));
L_DIVUW: ALU((uint32_t)RS2 ? sx32((uint32_t)RS1 / (uint32_t)RS2) : ~0ULL);
L_REMW: ALU((uint64_t)(int64_t)rem32((int32_t)RS1, (int32_t)RS2));
L_REMUW: ALU((uint32_t)RS2 ? sx32((uint32_t)RS1 % (uint32_t)RS2) : sx32(RS1));
L_LR:
L_SC:
L_AMO: {
        uint64_t old;

        SYNC();
        if (mem_amo(h, 0, RS1, (unsigned)(s->imm >> 8), (unsigned)(s->imm & 0x1f), RS2, &old, &t))
            goto exception;
        RD = old;
        NEXT_SLOW();
    }
L_FENCE: NEXT();
L_FENCE_I:
        code_flush_all(h);
        RETIRE_STOP();
L_ECALL:
        EXC(h->priv == PRIV_M ? CAUSE_ECALL_M : h->priv == PRIV_U ? CAUSE_ECALL_U
            : h->virt ? CAUSE_ECALL_VS : CAUSE_ECALL_S, 0);
DUAL(EBREAK, trap_set(&t, CAUSE_BREAKPOINT, PC_OF(s)); t.gva = h->virt; goto exception;)
L_MRET:
        if (h->priv != PRIV_M)
            EXC(CAUSE_ILLEGAL_INSN, 0);
        do_mret(h);
        n++;
        goto resync;
L_SRET: {
        int c = sys_check(h, OP_SRET);

        if (c)
            EXC((uint64_t)c, 0);
        do_sret(h);
        n++;
        goto resync;
    }
L_WFI: {
        int c = sys_check(h, OP_WFI);

        if (c)
            EXC((uint64_t)c, 0);
        if (!irq_pending_any(h))
            h->wfi = true;
        RETIRE_STOP();
    }
L_SFENCE_VMA: {
        int c = sys_check(h, OP_SFENCE_VMA);

        if (c)
            EXC((uint64_t)c, 0);
        do_fence(h, OP_SFENCE_VMA, s->rs1, s->rs2);
        RETIRE_STOP();
    }
L_HFENCE_VVMA: {
        int c = sys_check(h, OP_HFENCE_VVMA);

        if (c)
            EXC((uint64_t)c, 0);
        do_fence(h, OP_HFENCE_VVMA, s->rs1, s->rs2);
        RETIRE_STOP();
    }
L_HFENCE_GVMA: {
        int c = sys_check(h, OP_HFENCE_GVMA);

        if (c)
            EXC((uint64_t)c, 0);
        do_fence(h, OP_HFENCE_GVMA, s->rs1, s->rs2);
        RETIRE_STOP();
    }
L_HLV: {
        int c = sys_check(h, OP_HLV);
        unsigned size = (unsigned)(s->imm & 0xff);
        uint64_t v = 0;

        if (c)
            EXC((uint64_t)c, 0);
        SYNC();
        if (mem_hlv(h, RS1, size, (s->imm & 0x200) != 0, &v, &t))
            goto exception;
        if (!(s->imm & 0x100) && size < 8) {
            unsigned sh = 64 - 8 * size;

            v = (uint64_t)((int64_t)(v << sh) >> sh);
        }
        RD = v;
        NEXT_SLOW();
    }
L_HSV: {
        int c = sys_check(h, OP_HSV);

        if (c)
            EXC((uint64_t)c, 0);
        SYNC();
        if (mem_hsv(h, RS1, (unsigned)s->imm, RS2, &t))
            goto exception;
        NEXT_SLOW();
    }
L_CSRRW: L_CSRRS: L_CSRRC: L_CSRRWI: L_CSRRSI: L_CSRRCI: {
        unsigned op = s->rs2 & 3;
        uint64_t src = (s->rs2 & 4) ? s->rs1 : x[s->rs1], old = 0;
        int c;

        SYNC();
        h->pc = PC_OF(s);
        c = csr_insn(h, (unsigned)s->imm & 0xfff, op, src, op == 1 || s->rs1 != 0, &old);
        if (c)
            EXC((uint64_t)c, 0);
        RD = old;
        RETIRE_STOP();
    }
    }

jump:
        if (unlikely(++n >= lim)) {
            h->pc = target;
            SYNC();
            continue;
        }
        if (likely((target ^ vbase) < PAGE_SIZE && cp != h->xpage)) {
            s = &cp->slots[(target & (PAGE_SIZE - 1)) >> 1];
            DISPATCH();
        }
newpage:
        SYNC();
        if (fetch_page(h, target, &cp, &t)) {
            h->pc = target;
            if (trap_exception(h, &t, target, 0, ex))
                return HART_EXIT_TRAP;
            trap_consume_budget(h);
            continue;
        }
        lim = h->lim;
        HTLB_RESET();
        vbase = target & ~(PAGE_SIZE - 1);
        s = &cp->slots[(target & (PAGE_SIZE - 1)) >> 1];
        if (unlikely(n >= lim)) {
            h->pc = target;
            continue;
        }
        DISPATCH();

stop:
        h->pc = PC_OF(s);
        SYNC();
        continue;

resync:     /* xRET: pc and mode already set by do_mret/do_sret */
        SYNC();
        continue;

exception: {
            uint64_t epc = PC_OF(s);
            uint32_t insn = insn_bits_at(h, cp, (unsigned)(s - cp->slots));

            SYNC();
            h->pc = epc;
            trap_fixup(&t, insn);
            if (trap_exception(h, &t, epc, insn, ex))
                return HART_EXIT_TRAP;
            trap_consume_budget(h);
            continue;
        }
    }
}

/* Publish the label table before any hart exists. */
__attribute__((constructor)) static void exec_init(void)
{
    (void)hart_run(NULL, 0, NULL);
}
