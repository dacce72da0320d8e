/*
 * ops.h: the pre-decoded operations of the virtual hart, as one X-macro list.
 * decode.c produces them; exec.c has one handler label per entry, built from
 * the same list so the two can never disagree in order or count.
 * Compressed instructions decode to the same ops as their 32-bit expansions.
 */
#ifndef RISCV_OPS_H
#define RISCV_OPS_H

#define HART_OPS(X) \
    X(DECODE) X(PAGE_END) X(CROSS) X(ILLEGAL) \
    X(LUI) X(AUIPC) X(JAL) X(JAL_LOCAL) X(JALR) \
    X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) X(BGEU) \
    X(BEQ_L) X(BNE_L) X(BLT_L) X(BGE_L) X(BLTU_L) X(BGEU_L) \
    X(LB) X(LH) X(LW) X(LD) X(LBU) X(LHU) X(LWU) \
    X(SB) X(SH) X(SW) X(SD) \
    X(ADDI) X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) X(SRAI) \
    X(ADDIW) X(SLLIW) X(SRLIW) X(SRAIW) \
    X(ADD) X(SUB) X(SLL) X(SLT) X(SLTU) X(XOR) X(SRL) X(SRA) X(OR) X(AND) \
    X(ADDW) X(SUBW) X(SLLW) X(SRLW) X(SRAW) \
    X(MUL) X(MULH) X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU) \
    X(MULW) X(DIVW) X(DIVUW) X(REMW) X(REMUW) \
    X(LR) X(SC) X(AMO) \
    X(FENCE) X(FENCE_I) X(ECALL) X(EBREAK) X(SRET) X(MRET) X(WFI) \
    X(SFENCE_VMA) X(HFENCE_VVMA) X(HFENCE_GVMA) X(HLV) X(HSV) \
    X(CSRRW) X(CSRRS) X(CSRRC) X(CSRRWI) X(CSRRSI) X(CSRRCI)

/* Ops that compressed instructions decode to: each has a twin OP_C_x whose
 * handler advances by one slot (2 bytes) instead of two. */
#define HART_COPS(X) \
    X(ADDI) X(ADDIW) X(LUI) X(SRLI) X(SRAI) X(ANDI) X(SLLI) X(SUB) X(XOR) X(OR) \
    X(AND) X(SUBW) X(ADDW) X(ADD) X(BEQ) X(BNE) X(BEQ_L) X(BNE_L) X(LW) X(LD) \
    X(SW) X(SD) X(JAL) X(JAL_LOCAL) X(JALR) X(EBREAK)

#define HART_OP_ENUM(name) OP_##name,
#define HART_COP_ENUM(name) OP_C_##name,
enum op { HART_OPS(HART_OP_ENUM) HART_COPS(HART_COP_ENUM) OP_COUNT };
#undef HART_OP_ENUM
#undef HART_COP_ENUM

#endif
