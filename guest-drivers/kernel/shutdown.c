/*
 * shutdown.c: leaving the domain through SCHEDOP_shutdown.
 * Invariant: these never return. If the hypervisor refuses the shutdown (it
 * should not), the vCPU keeps asking, then spins with interrupts off rather
 * than running on into a broken state.
 */
#include "hypercall.h"
#include "kernel.h"
#include "riscv.h"

static void __attribute__((noreturn)) shutdown(unsigned reason)
{
    struct sched_shutdown arg = { .reason = reason };

    intr_off();
    for (int tries = 0;; tries++) {
        HYPERVISOR_sched_op(SCHEDOP_shutdown, &arg);
        if (tries == 0)
            console_write("shutdown: hypervisor refused SCHEDOP_shutdown\n", 47);
    }
}

void kernel_poweroff(void)
{
    printk("Powering off.\n");
    shutdown(SHUTDOWN_poweroff);
}

void kernel_reboot(void)
{
    printk("Rebooting.\n");
    shutdown(SHUTDOWN_reboot);
}

void kernel_crash(void)
{
    shutdown(SHUTDOWN_crash);
}
