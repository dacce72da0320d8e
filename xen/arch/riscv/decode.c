/*
 * decode.c: RV64IMAC + Zicsr + Zifencei + H instruction decoder.
 *
 * Turns raw instruction bits into a struct dinsn (op + fields). Compressed
 * instructions are expanded to the op of their 32-bit equivalent with len 1.
 * Invariants: any encoding not in RV64IMAC/Zicsr/Zifencei/H (including F/D
 * and reserved compressed encodings) decodes to OP_ILLEGAL; an rd of x0 is
 * reported as 32 (the write sink), so executing never disturbs x0.
 * Side-effect-free: the same bits always give the same dinsn.
 */
#include "riscv/hart_impl.h"

#define BITS(v, hi, lo) (((v) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))

static void set(struct dinsn *d, enum op op, unsigned rd, unsigned rs1, unsigned rs2,
                int32_t imm)
{
    d->op = op;
    d->rd = (uint8_t)(rd ? rd : 32);
    d->rs1 = (uint8_t)rs1;
    d->rs2 = (uint8_t)rs2;
    d->imm = imm;
}

static int32_t sext(uint32_t v, unsigned bits)
{
    uint32_t m = 1u << (bits - 1);
    return (int32_t)((v ^ m) - m);
}

/* Atomics: LR/SC/AMO with width in imm bits 8.. and funct5 in bits 0..4. */
static void decode_amo(uint32_t raw, struct dinsn *d, unsigned rd, unsigned rs1, unsigned rs2)
{
    unsigned f3 = BITS(raw, 14, 12), f5 = raw >> 27;
    int32_t size = f3 == 2 ? 4 : 8;

    if (f3 != 2 && f3 != 3)
        return;
    switch (f5) {
    case 0x02:
        if (rs2 == 0)
            set(d, OP_LR, rd, rs1, 0, (size << 8) | 2);
        return;
    case 0x03:
        set(d, OP_SC, rd, rs1, rs2, (size << 8) | 3);
        return;
    case 0x00: case 0x01: case 0x04: case 0x08: case 0x0C:
    case 0x10: case 0x14: case 0x18: case 0x1C:
        set(d, OP_AMO, rd, rs1, rs2, (size << 8) | (int32_t)f5);
        return;
    }
}

/* SYSTEM opcode: privileged instructions, H loads/stores, CSR ops. */
static void decode_system(uint32_t raw, struct dinsn *d, unsigned rd, unsigned rs1, unsigned rs2)
{
    unsigned f3 = BITS(raw, 14, 12), f7 = raw >> 25;
    static const enum op csrops[8] = { OP_ILLEGAL, OP_CSRRW, OP_CSRRS, OP_CSRRC,
                                       OP_ILLEGAL, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI };

    if (f3 == 0) {
        switch (raw) {
        case 0x00000073: set(d, OP_ECALL, 0, 0, 0, 0); return;
        case 0x00100073: set(d, OP_EBREAK, 0, 0, 0, 0); return;
        case 0x10200073: set(d, OP_SRET, 0, 0, 0, 0); return;
        case 0x30200073: set(d, OP_MRET, 0, 0, 0, 0); return;
        case 0x10500073: set(d, OP_WFI, 0, 0, 0, 0); return;
        }
        if (rd != 0)
            return;
        if (f7 == 0x09)
            set(d, OP_SFENCE_VMA, 0, rs1, rs2, 0);
        else if (f7 == 0x11)
            set(d, OP_HFENCE_VVMA, 0, rs1, rs2, 0);
        else if (f7 == 0x31)
            set(d, OP_HFENCE_GVMA, 0, rs1, rs2, 0);
        return;
    }
    if (f3 == 4) {
        /* HLV/HLVX/HSV: imm = size | 0x100 unsigned | 0x200 hlvx. */
        unsigned size = 1u << ((f7 >> 1) & 3);

        if ((f7 & 0x79) == 0x30) {
            if (rs2 == 0)
                set(d, OP_HLV, rd, rs1, 0, (int32_t)size);
            else if (rs2 == 1 && size < 8)
                set(d, OP_HLV, rd, rs1, 0, (int32_t)(size | 0x100));
            else if (rs2 == 3 && (size == 2 || size == 4))
                set(d, OP_HLV, rd, rs1, 0, (int32_t)(size | 0x300));
        } else if ((f7 & 0x79) == 0x31 && rd == 0) {
            set(d, OP_HSV, 0, rs1, rs2, (int32_t)size);
        }
        return;
    }
    /* rs2 carries the CSR operation: 1 write, 2 set, 3 clear, +4 immediate form. */
    set(d, csrops[f3], rd, rs1, f3, (int32_t)(raw >> 20));
}

static void decode32(uint32_t raw, struct dinsn *d)
{
    unsigned rd = BITS(raw, 11, 7), f3 = BITS(raw, 14, 12), rs1 = BITS(raw, 19, 15);
    unsigned rs2 = BITS(raw, 24, 20), f7 = raw >> 25;
    int32_t iimm = (int32_t)raw >> 20;
    int32_t simm = (int32_t)(((int32_t)raw >> 25) * 32) | (int32_t)BITS(raw, 11, 7);
    int32_t bimm = sext((BITS(raw, 31, 31) << 12) | (BITS(raw, 7, 7) << 11) |
                        (BITS(raw, 30, 25) << 5) | (BITS(raw, 11, 8) << 1), 13);
    int32_t jimm = sext((BITS(raw, 31, 31) << 20) | (BITS(raw, 19, 12) << 12) |
                        (BITS(raw, 20, 20) << 11) | (BITS(raw, 30, 21) << 1), 21);
    static const enum op loads[8] = { OP_LB, OP_LH, OP_LW, OP_LD, OP_LBU, OP_LHU, OP_LWU,
                                      OP_ILLEGAL };
    static const enum op stores[8] = { OP_SB, OP_SH, OP_SW, OP_SD, OP_ILLEGAL, OP_ILLEGAL,
                                       OP_ILLEGAL, OP_ILLEGAL };
    static const enum op branches[8] = { OP_BEQ, OP_BNE, OP_ILLEGAL, OP_ILLEGAL, OP_BLT,
                                         OP_BGE, OP_BLTU, OP_BGEU };
    static const enum op alu[8] = { OP_ADD, OP_SLL, OP_SLT, OP_SLTU, OP_XOR, OP_SRL, OP_OR,
                                    OP_AND };
    static const enum op mul[8] = { OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU, OP_DIV, OP_DIVU,
                                    OP_REM, OP_REMU };
    static const enum op mulw[8] = { OP_MULW, OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL, OP_DIVW,
                                     OP_DIVUW, OP_REMW, OP_REMUW };
    static const enum op aluimm[8] = { OP_ADDI, OP_SLLI, OP_SLTI, OP_SLTIU, OP_XORI, OP_SRLI,
                                       OP_ORI, OP_ANDI };

    switch (raw & 0x7f) {
    case 0x37: set(d, OP_LUI, rd, 0, 0, (int32_t)(raw & 0xfffff000u)); return;
    case 0x17: set(d, OP_AUIPC, rd, 0, 0, (int32_t)(raw & 0xfffff000u)); return;
    case 0x6f: set(d, OP_JAL, rd, 0, 0, jimm); return;
    case 0x67:
        if (f3 == 0)
            set(d, OP_JALR, rd, rs1, 0, iimm);
        return;
    case 0x63: set(d, branches[f3], 0, rs1, rs2, bimm); return;
    case 0x03: set(d, loads[f3], rd, rs1, 0, iimm); return;
    case 0x23: set(d, stores[f3], 0, rs1, rs2, simm); return;
    case 0x13:
        if (f3 == 1 && (raw >> 26) != 0)
            return;
        if (f3 == 5) {
            if ((raw >> 26) == 0x10)
                set(d, OP_SRAI, rd, rs1, 0, iimm & 63);
            else if ((raw >> 26) == 0)
                set(d, OP_SRLI, rd, rs1, 0, iimm & 63);
            return;
        }
        set(d, aluimm[f3], rd, rs1, 0, f3 == 1 ? (iimm & 63) : iimm);
        return;
    case 0x1b:
        if (f3 == 0)
            set(d, OP_ADDIW, rd, rs1, 0, iimm);
        else if (f3 == 1 && f7 == 0)
            set(d, OP_SLLIW, rd, rs1, 0, (int32_t)rs2);
        else if (f3 == 5 && f7 == 0)
            set(d, OP_SRLIW, rd, rs1, 0, (int32_t)rs2);
        else if (f3 == 5 && f7 == 0x20)
            set(d, OP_SRAIW, rd, rs1, 0, (int32_t)rs2);
        return;
    case 0x33:
        if (f7 == 0)
            set(d, alu[f3], rd, rs1, rs2, 0);
        else if (f7 == 1)
            set(d, mul[f3], rd, rs1, rs2, 0);
        else if (f7 == 0x20 && f3 == 0)
            set(d, OP_SUB, rd, rs1, rs2, 0);
        else if (f7 == 0x20 && f3 == 5)
            set(d, OP_SRA, rd, rs1, rs2, 0);
        return;
    case 0x3b:
        if (f7 == 1)
            set(d, mulw[f3], rd, rs1, rs2, 0);
        else if (f7 == 0 && f3 == 0)
            set(d, OP_ADDW, rd, rs1, rs2, 0);
        else if (f7 == 0 && f3 == 1)
            set(d, OP_SLLW, rd, rs1, rs2, 0);
        else if (f7 == 0 && f3 == 5)
            set(d, OP_SRLW, rd, rs1, rs2, 0);
        else if (f7 == 0x20 && f3 == 0)
            set(d, OP_SUBW, rd, rs1, rs2, 0);
        else if (f7 == 0x20 && f3 == 5)
            set(d, OP_SRAW, rd, rs1, rs2, 0);
        return;
    case 0x0f:
        if (f3 == 0)
            set(d, OP_FENCE, 0, 0, 0, 0);
        else if (f3 == 1)
            set(d, OP_FENCE_I, 0, 0, 0, 0);
        return;
    case 0x2f: decode_amo(raw, d, rd, rs1, rs2); return;
    case 0x73: decode_system(raw, d, rd, rs1, rs2); return;
    }
}

/* Quadrant 0: stack-relative address and register-based loads/stores. */
static void decode_c0(uint32_t raw, struct dinsn *d)
{
    unsigned rdp = 8 + BITS(raw, 4, 2), rs1p = 8 + BITS(raw, 9, 7);
    uint32_t lw = (BITS(raw, 12, 10) << 3) | (BITS(raw, 6, 6) << 2) | (BITS(raw, 5, 5) << 6);
    uint32_t ld = (BITS(raw, 12, 10) << 3) | (BITS(raw, 6, 5) << 6);

    switch (BITS(raw, 15, 13)) {
    case 0: {
        uint32_t u = (BITS(raw, 12, 11) << 4) | (BITS(raw, 10, 7) << 6) |
                     (BITS(raw, 6, 6) << 2) | (BITS(raw, 5, 5) << 3);
        if (u)
            set(d, OP_ADDI, rdp, 2, 0, (int32_t)u);
        return;
    }
    case 2: set(d, OP_LW, rdp, rs1p, 0, (int32_t)lw); return;
    case 3: set(d, OP_LD, rdp, rs1p, 0, (int32_t)ld); return;
    case 6: set(d, OP_SW, 0, rs1p, rdp, (int32_t)lw); return;
    case 7: set(d, OP_SD, 0, rs1p, rdp, (int32_t)ld); return;
    }
}

/* Quadrant 1: immediates, arithmetic, jumps and branches. */
static void decode_c1(uint32_t raw, struct dinsn *d)
{
    unsigned rd = BITS(raw, 11, 7), rdp = 8 + BITS(raw, 9, 7), rs2p = 8 + BITS(raw, 4, 2);
    int32_t imm6 = sext((BITS(raw, 12, 12) << 5) | BITS(raw, 6, 2), 6);
    static const enum op arith[8] = { OP_SUB, OP_XOR, OP_OR, OP_AND, OP_SUBW, OP_ADDW,
                                      OP_ILLEGAL, OP_ILLEGAL };

    switch (BITS(raw, 15, 13)) {
    case 0: set(d, OP_ADDI, rd, rd, 0, imm6); return;
    case 1:
        if (rd)
            set(d, OP_ADDIW, rd, rd, 0, imm6);
        return;
    case 2: set(d, OP_ADDI, rd, 0, 0, imm6); return;
    case 3:
        if (rd == 2) {
            int32_t i = sext((BITS(raw, 12, 12) << 9) | (BITS(raw, 6, 6) << 4) |
                             (BITS(raw, 5, 5) << 6) | (BITS(raw, 4, 3) << 7) |
                             (BITS(raw, 2, 2) << 5), 10);
            if (i)
                set(d, OP_ADDI, 2, 2, 0, i);
        } else if (imm6) {
            set(d, OP_LUI, rd, 0, 0, imm6 * 4096);
        }
        return;
    case 4:
        switch (BITS(raw, 11, 10)) {
        case 0: set(d, OP_SRLI, rdp, rdp, 0, imm6 & 63); return;
        case 1: set(d, OP_SRAI, rdp, rdp, 0, imm6 & 63); return;
        case 2: set(d, OP_ANDI, rdp, rdp, 0, imm6); return;
        default:
            set(d, arith[(BITS(raw, 12, 12) << 2) | BITS(raw, 6, 5)], rdp, rdp, rs2p, 0);
            return;
        }
    case 5: {
        int32_t j = sext((BITS(raw, 12, 12) << 11) | (BITS(raw, 11, 11) << 4) |
                         (BITS(raw, 10, 9) << 8) | (BITS(raw, 8, 8) << 10) |
                         (BITS(raw, 7, 7) << 6) | (BITS(raw, 6, 6) << 7) |
                         (BITS(raw, 5, 3) << 1) | (BITS(raw, 2, 2) << 5), 12);
        set(d, OP_JAL, 0, 0, 0, j);
        return;
    }
    default: {
        int32_t b = sext((BITS(raw, 12, 12) << 8) | (BITS(raw, 11, 10) << 3) |
                         (BITS(raw, 6, 5) << 6) | (BITS(raw, 4, 3) << 1) |
                         (BITS(raw, 2, 2) << 5), 9);
        set(d, BITS(raw, 15, 13) == 6 ? OP_BEQ : OP_BNE, 0, rdp, 0, b);
        return;
    }
    }
}

/* Quadrant 2: shifts, stack-pointer loads/stores, jumps, moves. */
static void decode_c2(uint32_t raw, struct dinsn *d)
{
    unsigned rd = BITS(raw, 11, 7), rs2 = BITS(raw, 6, 2);

    switch (BITS(raw, 15, 13)) {
    case 0: set(d, OP_SLLI, rd, rd, 0, (int32_t)((BITS(raw, 12, 12) << 5) | rs2)); return;
    case 2:
        if (rd)
            set(d, OP_LW, rd, 2, 0, (int32_t)((BITS(raw, 12, 12) << 5) |
                                              (BITS(raw, 6, 4) << 2) | (BITS(raw, 3, 2) << 6)));
        return;
    case 3:
        if (rd)
            set(d, OP_LD, rd, 2, 0, (int32_t)((BITS(raw, 12, 12) << 5) |
                                              (BITS(raw, 6, 5) << 3) | (BITS(raw, 4, 2) << 6)));
        return;
    case 4:
        if (!BITS(raw, 12, 12)) {
            if (rs2 == 0) {
                if (rd)
                    set(d, OP_JALR, 0, rd, 0, 0);
            } else {
                set(d, OP_ADD, rd, 0, rs2, 0);
            }
        } else if (rs2 == 0) {
            if (rd == 0)
                set(d, OP_EBREAK, 0, 0, 0, 0);
            else
                set(d, OP_JALR, 1, rd, 0, 0);
        } else {
            set(d, OP_ADD, rd, rd, rs2, 0);
        }
        return;
    case 6:
        set(d, OP_SW, 0, 2, rs2, (int32_t)((BITS(raw, 12, 9) << 2) | (BITS(raw, 8, 7) << 6)));
        return;
    case 7:
        set(d, OP_SD, 0, 2, rs2, (int32_t)((BITS(raw, 12, 10) << 3) | (BITS(raw, 9, 7) << 6)));
        return;
    }
}

/*
 * decode: fill *d from raw bits (a 16-bit instruction in the low half when
 * (raw & 3) != 3). Never fails: unknown encodings give OP_ILLEGAL.
 */
void decode(uint32_t raw, struct dinsn *d)
{
    set(d, OP_ILLEGAL, 0, 0, 0, 0);
    if ((raw & 3) == 3) {
        d->len = 2;
        decode32(raw, d);
        return;
    }
    d->len = 1;
    raw &= 0xffff;
    switch (raw & 3) {
    case 0:
        if (raw)
            decode_c0(raw, d);
        return;
    case 1: decode_c1(raw, d); return;
    default: decode_c2(raw, d); return;
    }
}

/*
 * htinst_transform: the "transformed instruction" the H extension reports in
 * htinst/mtinst for a guest-page fault of an explicit memory access: the
 * 32-bit form with the address fields (rs1, offset) zeroed, and bit 1 clear
 * when the original was compressed. Returns 0 for instructions that are not
 * loads, stores, AMOs or HLV/HSV (the spec allows 0).
 */
uint32_t htinst_transform(uint32_t raw)
{
    struct dinsn d;
    unsigned f3;

    decode(raw, &d);
    if ((raw & 3) == 3) {
        switch (raw & 0x7f) {
        case 0x03: return raw & 0x00007fffu;
        case 0x23: return raw & 0x01f0707fu;
        case 0x2f: return raw & ~0x000f8000u;
        case 0x73: return (d.op == OP_HLV || d.op == OP_HSV) ? (raw & ~0x000f8000u) : 0;
        default: return 0;
        }
    }
    switch (d.op) {
    case OP_LW: f3 = 2; break;
    case OP_LD: f3 = 3; break;
    case OP_SW: f3 = 2; break;
    case OP_SD: f3 = 3; break;
    default: return 0;
    }
    if (d.op == OP_LW || d.op == OP_LD)
        return ((unsigned)(d.rd & 31) << 7) | (f3 << 12) | 0x01;
    return ((unsigned)d.rs2 << 20) | (f3 << 12) | 0x21;
}
