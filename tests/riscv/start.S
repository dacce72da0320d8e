/*
 * start.S: the crt of the bare-metal test programs.
 *
 * _start runs in M-mode at reset: it sets the stack, the M trap vector and
 * the M trap stack (mscratch), zeroes .bss, calls main() and reports its
 * return value through rt_exit() (0 passes).
 *
 * Trap entries: m_trap_entry (mtvec), s_trap_entry (stvec, HS or plain S)
 * and vs_trap_entry (vstvec, installed by the guest as its stvec). Each
 * swaps sp with its mode's scratch CSR (which holds the top of that mode's
 * trap stack), saves x1..x31 in a struct trapframe, calls the C handler
 * with it (m_trap / s_trap / vs_trap in rt.c), restores the registers and
 * returns with mret/sret. Invariant: a handler may change any saved
 * register except sp (x2); it changes the return pc through xepc.
 */
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    la      sp, __stack_top
    la      t0, __mstack_top
    csrw    mscratch, t0
    /* PMP: let S and U reach all of memory (a hart without PMP traps: skip). */
    la      t0, 4f
    csrw    mtvec, t0
    li      t0, -1
    srli    t0, t0, 10
    csrw    pmpaddr0, t0
    li      t0, 0x1f                    /* NAPOT | X | W | R */
    csrw    pmpcfg0, t0
    .balign 4
4:  la      t0, m_trap_entry
    csrw    mtvec, t0
    csrw    satp, zero
    csrw    medeleg, zero
    csrw    mideleg, zero
    csrw    mie, zero
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  call    main
    call    rt_exit
3:  j       3b

/* TRAP_ENTRY name, scratch-csr, C handler, return instruction */
.macro TRAP_ENTRY name, scratch, handler, ret
    .text
    .balign 4
    .globl \name
\name:
    csrrw   sp, \scratch, sp
    addi    sp, sp, -256
    sd      x1, 8(sp)
    sd      x3, 24(sp)
    sd      x4, 32(sp)
    sd      x5, 40(sp)
    sd      x6, 48(sp)
    sd      x7, 56(sp)
    sd      x8, 64(sp)
    sd      x9, 72(sp)
    sd      x10, 80(sp)
    sd      x11, 88(sp)
    sd      x12, 96(sp)
    sd      x13, 104(sp)
    sd      x14, 112(sp)
    sd      x15, 120(sp)
    sd      x16, 128(sp)
    sd      x17, 136(sp)
    sd      x18, 144(sp)
    sd      x19, 152(sp)
    sd      x20, 160(sp)
    sd      x21, 168(sp)
    sd      x22, 176(sp)
    sd      x23, 184(sp)
    sd      x24, 192(sp)
    sd      x25, 200(sp)
    sd      x26, 208(sp)
    sd      x27, 216(sp)
    sd      x28, 224(sp)
    sd      x29, 232(sp)
    sd      x30, 240(sp)
    sd      x31, 248(sp)
    csrr    t0, \scratch
    sd      t0, 16(sp)
    mv      a0, sp
    call    \handler
    ld      x1, 8(sp)
    ld      x3, 24(sp)
    ld      x4, 32(sp)
    ld      x5, 40(sp)
    ld      x6, 48(sp)
    ld      x7, 56(sp)
    ld      x8, 64(sp)
    ld      x9, 72(sp)
    ld      x10, 80(sp)
    ld      x11, 88(sp)
    ld      x12, 96(sp)
    ld      x13, 104(sp)
    ld      x14, 112(sp)
    ld      x15, 120(sp)
    ld      x16, 128(sp)
    ld      x17, 136(sp)
    ld      x18, 144(sp)
    ld      x19, 152(sp)
    ld      x20, 160(sp)
    ld      x21, 168(sp)
    ld      x22, 176(sp)
    ld      x23, 184(sp)
    ld      x24, 192(sp)
    ld      x25, 200(sp)
    ld      x26, 208(sp)
    ld      x27, 216(sp)
    ld      x28, 224(sp)
    ld      x29, 232(sp)
    ld      x30, 240(sp)
    ld      x31, 248(sp)
    addi    sp, sp, 256
    csrrw   sp, \scratch, sp
    \ret
.endm

    TRAP_ENTRY m_trap_entry, mscratch, m_trap, mret
    TRAP_ENTRY s_trap_entry, sscratch, s_trap, sret
    TRAP_ENTRY vs_trap_entry, sscratch, vs_trap, sret

/*
 * A vectored-mode table for mtvec (MODE = 1): interrupt cause n enters at
 * base + 4n. Entry 7 (machine timer) and 3 (machine software) go to
 * m_vec_entry, whose handler records the cause it was entered for; every
 * other slot goes to the plain m_trap_entry (exceptions use slot 0).
 */
    .text
    .balign 64
    .globl m_vector_table
m_vector_table:
    .option push
    .option norvc
    j       m_trap_entry            /* 0: exceptions */
    j       m_trap_entry
    j       m_trap_entry
    j       m_vec_entry             /* 3: MSI */
    j       m_trap_entry
    j       m_trap_entry
    j       m_trap_entry
    j       m_vec_entry             /* 7: MTI */
    j       m_trap_entry
    j       m_trap_entry
    j       m_trap_entry
    j       m_trap_entry
    .option pop

    TRAP_ENTRY m_vec_entry, mscratch, m_trap_vectored, mret
