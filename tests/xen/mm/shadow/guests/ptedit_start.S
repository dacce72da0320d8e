/*
 * ptedit_start.S: entry and trap vector of the page-table-edit guest.
 * The trap handler reports every trap to the host (PT_ECALL_FAULT) and then
 * skips the faulting instruction (its length read from memory), or, for an
 * instruction page fault, returns to ra (PT_OP_EXEC's jalr came from there).
 * It preserves every register (the access's result register keeps whatever
 * the interpreter put there before the access).
 */
    .section .text.start, "ax"
    .globl _start
_start:
    la sp, ptedit_stack_top
    la t0, ptedit_trap
    csrw stvec, t0
    call ptedit_main
1:  j 1b

    .balign 4
ptedit_trap:
    addi sp, sp, -48
    sd a0, 0(sp)
    sd a1, 8(sp)
    sd a7, 16(sp)
    sd t3, 24(sp)
    sd t4, 32(sp)
    sd t5, 40(sp)
    csrr a0, scause
    csrr a1, stval
    li a7, 0x50000002
    ecall
    csrr t3, scause
    li t4, 12
    beq t3, t4, 2f
    csrr t3, sepc
    lhu t4, 0(t3)
    andi t4, t4, 3
    li t5, 3
    addi t3, t3, 2
    bne t4, t5, 3f
    addi t3, t3, 2
3:  csrw sepc, t3
    j 4f
2:  csrw sepc, ra
4:  ld a0, 0(sp)
    ld a1, 8(sp)
    ld a7, 16(sp)
    ld t3, 24(sp)
    ld t4, 32(sp)
    ld t5, 40(sp)
    addi sp, sp, 48
    sret
