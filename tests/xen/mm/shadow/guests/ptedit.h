/*
 * ptedit.h: the script format of the page-table-edit guest (ptedit.elf),
 * shared by the guest (riscv64) and the host test that writes scripts.
 *
 * A script is an array of struct pt_op in guest memory; the guest gets its
 * guest-physical address in a0 at boot and interprets it in order. Every
 * result the guest observes goes to the host through an ecall:
 *   a7 = PT_ECALL_LOG,   a0 = value          (a load, an AMO's old value, satp)
 *   a7 = PT_ECALL_FAULT, a0 = scause, a1 = stval   (a trap the guest took)
 *   a7 = PT_ECALL_END                          (end of script)
 * Invariant: the guest never writes byte 0 of any data page (it holds the
 * `ret` that PT_OP_EXEC jumps to).
 */
#ifndef PTEDIT_H
#define PTEDIT_H

#define PT_ECALL_END   0x50000000UL
#define PT_ECALL_LOG   0x50000001UL
#define PT_ECALL_FAULT 0x50000002UL

enum pt_opcode {
    PT_OP_END = 0,
    PT_OP_LOAD,      /* a: va; logs the 64-bit load */
    PT_OP_STORE,     /* a: va, b: value (sd) */
    PT_OP_STORE_C,   /* a: va, b: value (c.sd) */
    PT_OP_STORE_W,   /* a: va, b: value (sw) */
    PT_OP_AMOOR,     /* a: va, b: value (amoor.d); logs the old value */
    PT_OP_SFENCE,    /* a: va or ~0 (x0), b: asid or ~0 (x0) */
    PT_OP_SATP,      /* a: new satp (csrw) */
    PT_OP_READ_SATP, /* logs satp (csrr) */
    PT_OP_EXEC,      /* a: va; jalr to it (the page holds `ret` at offset 0) */
    PT_OP_SUM,       /* a: 0 or 1: sstatus.SUM */
    PT_OP_TOUCH,     /* a: va, b: count: load a, a + 4 KiB, ... quietly (benchmarks) */
};

struct pt_op {
    unsigned long op, a, b;
};

#endif
