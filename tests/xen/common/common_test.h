/*
 * common_test.h: helpers for the xen/common unit suites: a hypervisor core
 * in the test process (64 MiB machine memory, Domain-0, one pCPU run on the
 * test's own thread) and tiny riscv64 guests assembled in C.
 * Invariant: ct_up()/ct_down() bracket every suite; ct_down() destroys every
 * domain and checks that machine memory is all free again.
 */
#ifndef COMMON_TEST_H
#define COMMON_TEST_H

#include <stdint.h>

#include "umbra/domain.h"

#define CT_RAM_GFN   0x80000ULL
#define CT_RAM_PAGES 16

int ct_up(void);
int ct_down(void);
/* A paused HAP domain with CT_RAM_PAGES of RAM at CT_RAM_GFN (xen_lock held). */
struct domain *ct_domain(const char *name);
/* The same with creation flags (0: shadow paging). */
struct domain *ct_domain_flags(const char *name, uint32_t flags);
/* Load code at GPA 0x80000000, set the boot context there and unpause (xen_lock held). */
void ct_boot(struct domain *d, const uint32_t *code, unsigned n);
/* Write bytes into guest RAM at gpa. */
void ct_poke(struct domain *d, uint64_t gpa, const void *src, unsigned len);
/* Read the domain's console_io buffer (NUL-terminated, static). */
const char *ct_console(struct domain *d);

/* RV64 encodings. */
static inline uint32_t rv_addi(unsigned rd, unsigned rs1, int imm)
{
    return ((uint32_t)(imm & 0xFFF) << 20) | (rs1 << 15) | (rd << 7) | 0x13;
}
static inline uint32_t rv_slli(unsigned rd, unsigned rs1, unsigned sh)
{
    return (sh << 20) | (rs1 << 15) | (1 << 12) | (rd << 7) | 0x13;
}
static inline uint32_t rv_lui(unsigned rd, uint32_t imm20)
{
    return (imm20 << 12) | (rd << 7) | 0x37;
}
#define RV_ECALL 0x00000073U
#define RV_JSELF 0x0000006FU   /* j . */
#define RV_WFI   0x10500073U
enum { RV_ZERO = 0, RV_A0 = 10, RV_A1, RV_A2, RV_A3, RV_A4, RV_A5, RV_A6, RV_A7 };

/* a7 = XEN_HYPERCALL_BASE + nr: 2 instructions at p. */
static inline unsigned rv_hcall_nr(uint32_t *p, unsigned nr)
{
    p[0] = rv_lui(RV_A7, 0x0A000);
    p[1] = rv_addi(RV_A7, RV_A7, (int)nr);
    return 2;
}
/* rd = 0x80000000 + off (off < 2048): 3 instructions at p. */
static inline unsigned rv_gpa(uint32_t *p, unsigned rd, unsigned off)
{
    p[0] = rv_addi(rd, RV_ZERO, 1);
    p[1] = rv_slli(rd, rd, 31);
    p[2] = rv_addi(rd, rd, (int)off);
    return 3;
}

#endif
