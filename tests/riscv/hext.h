/*
 * hext.h: the H-extension test body (hext.c) shared by hext39.c and hext48.c.
 */
#ifndef TESTS_RISCV_HEXT_H
#define TESTS_RISCV_HEXT_H

/* Guest-page faults HS takes plus the VS page fault the guest takes. */
#define HEXT_FAULTS_TOTAL 5

/* From M: build both stages with `levels` (3: Sv39/Sv39x4, 4: Sv48/Sv48x4), run it. */
__attribute__((noreturn)) int hext_main(int levels);

#endif
