/*
 * crt0.S: user program entry. The kernel enters with a0 = argc, a1 = argv
 * and sp 16-byte aligned at the argument strings; main's return value
 * becomes the exit code.
 */
    .section .text.entry, "ax"
    .globl _start
_start:
    call main
    li a7, 1            /* SYS_exit */
    ecall
1:  j 1b
