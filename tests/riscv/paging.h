/*
 * paging.h: the Sv39/Sv48 test body (paging.c) shared by sv39.c and sv48.c.
 */
#ifndef TESTS_RISCV_PAGING_H
#define TESTS_RISCV_PAGING_H

/* Page faults the program raises, all handled by S (rvsim counts the same). */
#define PAGING_FAULTS_TOTAL 20

/* From M: build tables for `levels` (3 = Sv39, 4 = Sv48), run the checks in S. */
__attribute__((noreturn)) int paging_main(int levels);
void paging_s_phase2(void);

#endif
