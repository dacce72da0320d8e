/*
 * boot.c: kmain, the kernel's C entry. Checks start_info, takes the command
 * line, sets up traps, the frame allocator, the page tables (MMU on), time
 * and event channels, prints the banner and hands over to the workload.
 * Invariant: start_info, shared_info and the console/store ring pages are
 * reserved in the frame allocator before anything else is allocated.
 */
#include "cmdline.h"
#include "evtchn.h"
#include "frame.h"
#include "hypercall.h"
#include "kernel.h"
#include "riscv.h"
#include "time.h"
#include "trap.h"
#include "vm.h"
#include "workload.h"
#include "../xenbus/kernel_store.h"

extern char _end[];

struct umbra_stats kstats;
struct start_info *start_info;
struct shared_info *shared_info;

static void check_start_info(struct start_info *si)
{
    if (strncmp(si->magic, XEN_START_INFO_MAGIC, sizeof(XEN_START_INFO_MAGIC)) != 0)
        panic("kmain: bad start_info magic at %p", si);
    if (si->nr_pages == 0 || si->nr_pages > (1UL << 24))
        panic("kmain: implausible nr_pages %lu", si->nr_pages);
    uint64_t ram_end = GUEST_RAM_BASE + si->nr_pages * PAGE_SIZE;
    if ((uint64_t)si < GUEST_RAM_BASE || (uint64_t)si >= ram_end || si->shared_info == 0 ||
        (si->shared_info & (PAGE_SIZE - 1)))
        panic("kmain: start_info %p or shared_info %lx outside RAM", si, si->shared_info);
    if ((uint64_t)_end >= ram_end)
        panic("kmain: the kernel does not fit in RAM");
}

static void print_banner(void)
{
    long ver = HYPERVISOR_xen_version(XENVER_version, 0);

    printk("%s booting\n", KERNEL_BANNER);
    if (ver >= 0)
        printk("hypervisor: Xen %ld.%ld ABI\n", ver >> 16, ver & 0xffff);
    printk("start_info: nr_pages %lu (%lu MiB), shared_info %lx (at %p), flags %x\n",
           start_info->nr_pages, start_info->nr_pages >> 8, start_info->shared_info,
           shared_info, start_info->flags);
    printk("cmdline: %s\n", cmdline_text);
    printk("paging: %s, %u ASID bits, fork %s, quantum %lu us, hugepages %s\n",
           kopts.paging_levels == 4 ? "sv48" : "sv39", vm_asid_bits(),
           kopts.fork_cow ? "cow" : "copy", kopts.quantum_ns / 1000,
           kopts.hugepages ? "on" : "off");
    printk("memory: %lu frames free of %lu\n", frame_free_count(), frame_total_count());
}

void kmain(uint64_t start_info_gpa) __attribute__((noreturn));
void kmain(uint64_t start_info_gpa)
{
    start_info = (struct start_info *)start_info_gpa;
    trap_init();
    check_start_info(start_info);
    start_info->cmd_line[MAX_GUEST_CMDLINE - 1] = '\0';
    cmdline_parse(start_info->cmd_line);

    uint64_t ram_end = GUEST_RAM_BASE + start_info->nr_pages * PAGE_SIZE;
    uint64_t reserved[] = {
        start_info_gpa,
        start_info->shared_info,
        start_info->console.mfn << PAGE_SHIFT,
        start_info->store_mfn << PAGE_SHIFT,
    };
    frame_init(GUEST_RAM_BASE, start_info->nr_pages, (uint64_t)_end, reserved,
               (int)ARRAY_SIZE(reserved));
    vm_init(GUEST_RAM_BASE, ram_end, kopts.paging_levels);
    if (frame_is_ram(start_info->shared_info))
        shared_info = (struct shared_info *)start_info->shared_info;
    else
        shared_info = (struct shared_info *)vm_map_fixmap(start_info->shared_info);
    time_init(shared_info);
    evtchn_init(shared_info);
    long timer_port = time_bind_virq();
    print_banner();
    if (timer_port < 0)
        printk("timer: VIRQ_TIMER unavailable (%ld), using the VS timer interrupt\n", timer_port);
    store_init(start_info->store_mfn, start_info->store_evtchn);
    workload_run(kopts.workload);
}
