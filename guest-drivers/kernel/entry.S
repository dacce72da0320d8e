/*
 * entry.S: the kernel's first instructions and its trap vector.
 *
 * _start: the hypervisor enters here in VS-mode, MMU off, a0 = GPA of
 * start_info. We take the boot stack, clear bss and call kmain(a0).
 *
 * trap_vector: stvec (direct mode). Invariant: sscratch holds the current
 * process's kernel stack top while user code runs, and 0 while the kernel
 * runs, so a nested trap from the kernel pushes its frame on the current stack.
 */
#define TF_SIZE 288
#define SSTATUS_SPP 0x100

    .section .text.entry, "ax"
    .globl _start
_start:
    la sp, boot_stack_top
    mv s0, a0
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  csrw sscratch, zero
    mv a0, s0
    call kmain
3:  j 3b                        /* kmain does not return */

    .text
    .align 4
    .globl trap_vector
trap_vector:
    csrrw sp, sscratch, sp
    bnez sp, 1f                 /* from user: sp = kernel stack top */
    csrrw sp, sscratch, sp      /* from the kernel: undo, sscratch stays 0 */
1:  addi sp, sp, -TF_SIZE
    sd x1, 1*8(sp)
    sd x3, 3*8(sp)
    sd x4, 4*8(sp)
    sd x5, 5*8(sp)
    sd x6, 6*8(sp)
    sd x7, 7*8(sp)
    sd x8, 8*8(sp)
    sd x9, 9*8(sp)
    sd x10, 10*8(sp)
    sd x11, 11*8(sp)
    sd x12, 12*8(sp)
    sd x13, 13*8(sp)
    sd x14, 14*8(sp)
    sd x15, 15*8(sp)
    sd x16, 16*8(sp)
    sd x17, 17*8(sp)
    sd x18, 18*8(sp)
    sd x19, 19*8(sp)
    sd x20, 20*8(sp)
    sd x21, 21*8(sp)
    sd x22, 22*8(sp)
    sd x23, 23*8(sp)
    sd x24, 24*8(sp)
    sd x25, 25*8(sp)
    sd x26, 26*8(sp)
    sd x27, 27*8(sp)
    sd x28, 28*8(sp)
    sd x29, 29*8(sp)
    sd x30, 30*8(sp)
    sd x31, 31*8(sp)
    csrrw t0, sscratch, zero    /* the user sp, or 0 from the kernel */
    bnez t0, 2f
    addi t0, sp, TF_SIZE
2:  sd t0, 2*8(sp)
    csrr t1, sepc
    sd t1, 32*8(sp)
    csrr t1, sstatus
    sd t1, 33*8(sp)
    csrr t1, scause
    sd t1, 34*8(sp)
    csrr t1, stval
    sd t1, 35*8(sp)
    mv a0, sp
    call trap_handler
    mv a0, sp

    .globl trap_return
trap_return:
    mv sp, a0
    ld t1, 32*8(sp)
    csrw sepc, t1
    ld t1, 33*8(sp)
    csrw sstatus, t1
    andi t2, t1, SSTATUS_SPP
    bnez t2, 3f
    addi t2, sp, TF_SIZE        /* back to user: arm sscratch */
    csrw sscratch, t2
3:  ld x1, 1*8(sp)
    ld x3, 3*8(sp)
    ld x4, 4*8(sp)
    ld x5, 5*8(sp)
    ld x6, 6*8(sp)
    ld x7, 7*8(sp)
    ld x8, 8*8(sp)
    ld x9, 9*8(sp)
    ld x10, 10*8(sp)
    ld x11, 11*8(sp)
    ld x12, 12*8(sp)
    ld x13, 13*8(sp)
    ld x14, 14*8(sp)
    ld x15, 15*8(sp)
    ld x16, 16*8(sp)
    ld x17, 17*8(sp)
    ld x18, 18*8(sp)
    ld x19, 19*8(sp)
    ld x20, 20*8(sp)
    ld x21, 21*8(sp)
    ld x22, 22*8(sp)
    ld x23, 23*8(sp)
    ld x24, 24*8(sp)
    ld x25, 25*8(sp)
    ld x26, 26*8(sp)
    ld x27, 27*8(sp)
    ld x28, 28*8(sp)
    ld x29, 29*8(sp)
    ld x30, 30*8(sp)
    ld x31, 31*8(sp)
    ld x2, 2*8(sp)
    sret

/* swtch(struct context *old, struct context *new): callee-saved registers only. */
    .globl swtch
swtch:
    sd ra, 0(a0)
    sd sp, 8(a0)
    sd s0, 16(a0)
    sd s1, 24(a0)
    sd s2, 32(a0)
    sd s3, 40(a0)
    sd s4, 48(a0)
    sd s5, 56(a0)
    sd s6, 64(a0)
    sd s7, 72(a0)
    sd s8, 80(a0)
    sd s9, 88(a0)
    sd s10, 96(a0)
    sd s11, 104(a0)
    ld ra, 0(a1)
    ld sp, 8(a1)
    ld s0, 16(a1)
    ld s1, 24(a1)
    ld s2, 32(a1)
    ld s3, 40(a1)
    ld s4, 48(a1)
    ld s5, 56(a1)
    ld s6, 64(a1)
    ld s7, 72(a1)
    ld s8, 80(a1)
    ld s9, 88(a1)
    ld s10, 96(a1)
    ld s11, 104(a1)
    ret

    .section .bss.stack, "aw", @nobits
    .align 12
boot_stack:
    .space 16384
    .globl boot_stack_top
boot_stack_top:
