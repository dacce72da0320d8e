/*
 * hart_test_util.h: helpers for the hart's unit tests: a hart over 16 MiB of
 * RAM at 0x80000000, an instruction encoder, a code emitter, and page-table
 * builders for every format (VS tables are placed so that GPA = MA when
 * the G stage maps RAM one to one).
 */
#ifndef HART_TEST_UTIL_H
#define HART_TEST_UTIL_H

#include <stdint.h>

#include "riscv/hart.h"
#include "riscv/pte.h"

#define TH_RAM      0x80000000ULL
#define TH_RAM_SIZE (16ULL << 20)
#define TH_CODE     (TH_RAM + 0x1000)
#define TH_DATA     (TH_RAM + 0x100000)
#define TH_TOHOST   (TH_RAM + 0x0)

struct th {
    struct hart *h;
    uint8_t *mem;
    uint64_t cursor;   /* next emit address */
    uint64_t next_page;
};

void th_init(struct th *t, const struct hart_config *cfg);
void th_fini(struct th *t);
void th_org(struct th *t, uint64_t pa);
void th_emit(struct th *t, uint32_t insn);
void th_emit16(struct th *t, uint16_t insn);
void th_w64(struct th *t, uint64_t pa, uint64_t v);
uint64_t th_r64(struct th *t, uint64_t pa);
void th_w32(struct th *t, uint64_t pa, uint32_t v);
uint32_t th_r32(struct th *t, uint64_t pa);
uint64_t th_page(struct th *t);             /* zeroed 4 KiB page */
uint64_t th_page16k(struct th *t);          /* zeroed 16 KiB, 16 KiB-aligned */
void th_map(struct th *t, enum pt_format_id id, uint64_t root, uint64_t va, uint64_t pa,
            unsigned level, uint64_t flags);
/* G stage: map all RAM one to one with leaves of `level`. */
void th_gmap_ram(struct th *t, enum pt_format_id id, uint64_t root, unsigned level);
/* Run exactly n instructions (or until an exit); returns the exit kind. */
enum hart_exit_kind th_run(struct th *t, uint64_t n, struct hart_exit *ex);

/* ---- encoder ---- */
uint32_t enc_r(unsigned op, unsigned rd, unsigned f3, unsigned rs1, unsigned rs2, unsigned f7);
uint32_t enc_i(unsigned op, unsigned rd, unsigned f3, unsigned rs1, int32_t imm);
uint32_t enc_s(unsigned op, unsigned f3, unsigned rs1, unsigned rs2, int32_t imm);
uint32_t enc_b(unsigned f3, unsigned rs1, unsigned rs2, int32_t imm);
uint32_t enc_u(unsigned op, unsigned rd, uint32_t imm);
uint32_t enc_j(unsigned rd, int32_t imm);

#define ADDI(rd, rs1, imm) enc_i(0x13, rd, 0, rs1, imm)
#define LD(rd, rs1, imm)   enc_i(0x03, rd, 3, rs1, imm)
#define LW(rd, rs1, imm)   enc_i(0x03, rd, 2, rs1, imm)
#define SD(rs2, rs1, imm)  enc_s(0x23, 3, rs1, rs2, imm)
#define SW(rs2, rs1, imm)  enc_s(0x23, 2, rs1, rs2, imm)
#define CSRRW(rd, csr, rs1) enc_i(0x73, rd, 1, rs1, (int32_t)(csr))
#define CSRRS(rd, csr, rs1) enc_i(0x73, rd, 2, rs1, (int32_t)(csr))
#define ECALL  0x00000073u
#define EBREAK 0x00100073u
#define MRET   0x30200073u
#define SRET   0x10200073u
#define WFI    0x10500073u
#define NOP    ADDI(0, 0, 0)
#define SFENCE_VMA(rs1, rs2)  enc_r(0x73, 0, 0, rs1, rs2, 0x09)
#define HFENCE_VVMA(rs1, rs2) enc_r(0x73, 0, 0, rs1, rs2, 0x11)
#define HFENCE_GVMA(rs1, rs2) enc_r(0x73, 0, 0, rs1, rs2, 0x31)
#define HLV_D(rd, rs1)  enc_r(0x73, rd, 4, rs1, 0, 0x36)
#define HSV_D(rs2, rs1) enc_r(0x73, 0, 4, rs1, rs2, 0x37)

#define PTE_LEAF_RWX (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

#endif
