/*
 * shim.c: a development stand-in for the Umbra hypervisor, so the PV guest
 * kernel can be debugged under QEMU (qemu-system-riscv64 -cpu rv64,h=true)
 * before and beside the real one. Not part of the product.
 *
 * It implements just the PV ABI the guest kernel uses, with Umbra's calling
 * convention (ecall from VS, a7 = 0x0A000000 + number): console_io write,
 * sched_op (yield, block, shutdown), set_timer_op, xen_version; everything
 * else answers -ENOSYS. It loads the guest ELF (placed raw at GUEST_ELF by
 * QEMU's loader device) into 64 MiB of guest RAM at GPA 0x80000000, mapped
 * by a G-stage Sv39x4 table onto host RAM at GUEST_PA, writes start_info and
 * shared_info at the top of RAM, and enters the guest in VS-mode, MMU off,
 * a0 = start_info. Shutdown exits QEMU through the sifive_test device:
 * status 0 for poweroff, 3 for crash, 1 for a guest fault the shim caught.
 * Invariant: the shim runs with interrupts masked; guest time is the time
 * CSR (10 MHz on QEMU virt), so set_timer_op ns convert at 100 ns a tick.
 */
#include <stdint.h>

#include "guest/fmt.h"
#include "guest/string.h"
#include "public/sched.h"
#include "public/version.h"
#include "public/xen.h"

#define GUEST_PA     0x88000000UL
#define GUEST_PAGES  16384UL                 /* 64 MiB */
#define GUEST_ELF    0x8E000000UL
#define GUEST_CMDLINE 0x8F000000UL
#define UART         0x10000000UL
#define TEST_DEV     0x100000UL

uint64_t gregs[32];
static uint64_t g_root[2048] __attribute__((aligned(16384)));
static uint64_t g_l1[512] __attribute__((aligned(4096)));
static int timer_armed;

#define csr_read(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" :: "r"((uint64_t)(v)))
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" :: "r"((uint64_t)(v)))
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" :: "r"((uint64_t)(v)))

#define HVIP_VSTIP (1UL << 6)

static void uart_putc(char c)
{
    volatile uint8_t *u = (volatile uint8_t *)UART;

    while (!(u[5] & 0x20))
        ;
    u[0] = (uint8_t)c;
}

static void shim_printf(const char *fmt, ...)
{
    char buf[256];
    __builtin_va_list ap;

    __builtin_va_start(ap, fmt);
    fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    __builtin_va_end(ap);
    for (char *p = buf; *p; p++)
        uart_putc(*p);
}

static void __attribute__((noreturn)) qemu_exit(unsigned code)
{
    volatile uint32_t *t = (volatile uint32_t *)TEST_DEV;

    *t = code == 0 ? 0x5555 : (code << 16) | 0x3333;
    for (;;)
        __asm__ volatile("wfi");
}

static long sbi_call(long eid, long fid, long a0)
{
    register long r0 __asm__("a0") = a0;
    register long r1 __asm__("a1") = 0;
    register long r6 __asm__("a6") = fid;
    register long r7 __asm__("a7") = eid;

    __asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r6), "r"(r7) : "memory");
    return r0;
}

static void sbi_set_timer(uint64_t ticks)
{
    sbi_call(0x54494D45, 0, (long)ticks);
}

/* Loads one byte / word from a guest virtual address with the guest's translation. */
static uint8_t guest_load_u8(uint64_t gva)
{
    uint64_t v;

    __asm__ volatile(".insn r 0x73, 0x4, 0x30, %0, %1, x1" : "=r"(v) : "r"(gva) : "memory");
    return (uint8_t)v;
}

static uint32_t guest_load_u32(uint64_t gva)
{
    uint64_t v;

    __asm__ volatile(".insn r 0x73, 0x4, 0x34, %0, %1, x1" : "=r"(v) : "r"(gva) : "memory");
    return (uint32_t)v;
}

static void *gpa_to_host(uint64_t gpa)
{
    return (void *)(gpa - GUEST_RAM_BASE + GUEST_PA);
}

struct elf64_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static uint64_t load_guest(void)
{
    const struct elf64_ehdr *eh = (const struct elf64_ehdr *)GUEST_ELF;

    if (memcmp(eh->ident, "\177ELF", 4) != 0 || eh->machine != 243) {
        shim_printf("[shim] no riscv64 ELF at %lx\n", GUEST_ELF);
        qemu_exit(1);
    }
    for (unsigned i = 0; i < eh->phnum; i++) {
        const struct elf64_phdr *ph =
            (const void *)(GUEST_ELF + eh->phoff + i * eh->phentsize);
        if (ph->type != 1)
            continue;
        if (ph->paddr < GUEST_RAM_BASE ||
            ph->paddr + ph->memsz > GUEST_RAM_BASE + GUEST_PAGES * 4096) {
            shim_printf("[shim] segment %lx+%lx outside guest RAM\n", ph->paddr, ph->memsz);
            qemu_exit(1);
        }
        memcpy(gpa_to_host(ph->paddr), (const void *)(GUEST_ELF + ph->offset), ph->filesz);
    }
    return eh->entry;
}

static void setup_gstage(void)
{
    uint64_t flags = 0xDF;      /* V R W X U A D */

    for (unsigned i = 0; i < GUEST_PAGES / 512; i++)
        g_l1[i] = (((GUEST_PA + i * 0x200000UL) >> 12) << 10) | flags;
    g_root[GUEST_RAM_BASE >> 30] = (((uint64_t)g_l1 >> 12) << 10) | 1;
    csr_write(0x680, (8UL << 60) | (1UL << 44) | ((uint64_t)g_root >> 12));
    __asm__ volatile(".insn r 0x73, 0, 0x31, x0, x0, x0" ::: "memory");   /* hfence.gvma */
}

void shim_main(void)
{
    uint64_t si_gpa = GUEST_RAM_BASE + (GUEST_PAGES - 2) * 4096;
    uint64_t shared_gpa = si_gpa + 4096;

    shim_printf("[shim] Umbra PV ABI shim for QEMU: %lu MiB guest\n", GUEST_PAGES >> 8);
    memset((void *)GUEST_PA, 0, GUEST_PAGES * 4096);
    uint64_t entry = load_guest();
    struct start_info *si = gpa_to_host(si_gpa);
    memcpy(si->magic, XEN_START_INFO_MAGIC, sizeof(XEN_START_INFO_MAGIC));
    si->nr_pages = GUEST_PAGES;
    si->shared_info = shared_gpa;
    const char *cmd = (const char *)GUEST_CMDLINE;
    size_t n = 0;
    while (n < MAX_GUEST_CMDLINE - 1 && cmd[n] && cmd[n] != '\n')
        n++;
    memcpy(si->cmd_line, cmd, n);
    si->cmd_line[n] = '\0';

    setup_gstage();
    csr_write(0x602, (1UL << 0) | (1UL << 2) | (1UL << 3) | (1UL << 4) | (1UL << 6) |
                     (1UL << 8) | (1UL << 12) | (1UL << 13) | (1UL << 15));   /* hedeleg */
    csr_write(0x603, (1UL << 2) | (1UL << 6) | (1UL << 10));                  /* hideleg */
    csr_write(0x606, ~0UL);                                                  /* hcounteren */
    csr_write(0x645, 0);                                                     /* hvip */
    csr_write(0x280, 0);                                                     /* vsatp */
    csr_write(0x200, 0);                                                     /* vsstatus */
    csr_write(0x600, (1UL << 7) | (1UL << 8));                   /* hstatus.SPV, SPVP */
    csr_set(sstatus, 1UL << 8);                                  /* SPP = S: enter VS */
    csr_clear(sstatus, 1UL << 1);
    csr_set(sie, 1UL << 5);                                      /* our own timer */
    csr_write(sepc, entry);
    sbi_set_timer(~0UL);
    gregs[10] = si_gpa;
}

static void timer_fired(void)
{
    sbi_set_timer(~0UL);
    timer_armed = 0;
    csr_set(0x645, HVIP_VSTIP);
}

static long hypercall(unsigned long nr, uint64_t *a)
{
    switch (nr) {
    case __HYPERVISOR_console_io:
        if (a[0] != CONSOLEIO_write)
            return -XEN_ENOSYS;
        for (uint64_t i = 0; i < a[1]; i++)
            uart_putc((char)guest_load_u8(a[2] + i));
        return 0;
    case __HYPERVISOR_set_timer_op:
        csr_clear(0x645, HVIP_VSTIP);
        timer_armed = a[0] != 0;
        sbi_set_timer(a[0] ? a[0] / 100 : ~0UL);
        return 0;
    case __HYPERVISOR_xen_version:
        return a[0] == XENVER_version ? (UMBRA_XEN_MAJOR << 16) | UMBRA_XEN_MINOR : -XEN_ENOSYS;
    case __HYPERVISOR_sched_op:
        if (a[0] == SCHEDOP_yield)
            return 0;
        if (a[0] == SCHEDOP_block) {
            if (csr_read(0x645) & HVIP_VSTIP)
                return 0;
            if (!timer_armed)
                return 0;
            while (!(csr_read(sip) & (1UL << 5)))
                __asm__ volatile("wfi");
            timer_fired();
            return 0;
        }
        if (a[0] == SCHEDOP_shutdown) {
            uint32_t reason = guest_load_u32(a[1]);
            shim_printf("[shim] guest shutdown, reason %u\n", reason);
            qemu_exit(reason == SHUTDOWN_poweroff ? 0 : reason == SHUTDOWN_crash ? 3 : 4);
        }
        return -XEN_ENOSYS;
    default:
        return -XEN_ENOSYS;
    }
}

void shim_trap(void)
{
    uint64_t cause = csr_read(scause);

    if (cause == ((1UL << 63) | 5)) {
        timer_fired();
        return;
    }
    if (cause == 10) {          /* ecall from VS */
        uint64_t a7 = gregs[17];
        if (a7 >= XEN_HYPERCALL_BASE && a7 < XEN_HYPERCALL_BASE + 64)
            gregs[10] = (uint64_t)hypercall(a7 - XEN_HYPERCALL_BASE, &gregs[10]);
        else
            gregs[10] = (uint64_t)-XEN_ENOSYS;
        csr_write(sepc, csr_read(sepc) + 4);
        return;
    }
    shim_printf("[shim] guest trap: scause %lx sepc %lx stval %lx htval %lx\n",
                cause, csr_read(sepc), csr_read(stval), csr_read(0x643));
    qemu_exit(1);
}
