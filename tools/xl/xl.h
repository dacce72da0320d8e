/*
 * xl.h: shared by xl's subcommands: the command table, the hypervisor handle
 * and domain lookup.
 * Invariants: one xc_interface per process, opened on first use by xl_xch();
 * subcommands return an exit status (EXIT_SUCCESS/EXIT_FAILURE) and print
 * their errors in Xen's words.
 */
#ifndef XL_H
#define XL_H

#include <stdbool.h>
#include <stdint.h>

#include "libxl_umbra.h"
#include "xenctrl.h"

struct xl_cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *usage;
    const char *help;
};

/*
 * The hypervisor handle; on failure prints why (naming EPERM for an
 * unprivileged caller) and exits 1.
 */
xc_interface *xl_xch(void);

/* Print "xl: <what>: <errno text>" (EPERM spelled out) and return EXIT_FAILURE. */
int xl_fail(const char *what);

/*
 * A domain named by id or name -> its id. Prints
 * "Error: Domain 'X' does not exist." and exits 1 if there is none.
 */
uint32_t xl_find_domain(const char *name_or_id);

/* The name to show for d (Domain-0 for id 0). */
const char *xl_domain_name(const xc_dominfo_t *d);

/* Info about one domain: 0, or -1 if it does not exist. */
int xl_domain_info(uint32_t domid, xc_dominfo_t *info);

/* Every domain, ascending ids, into a malloc'd array; returns the count or -1. */
int xl_domain_list(xc_dominfo_t **out);

/* Stream domid's console to stdout until it ends or Ctrl+] (xl_console.c).
 * Returns 0 when the domain ended, 1 when detached, -1 on error. */
int xl_console_attach(uint32_t domid);

/* Start the background monitor that applies on_poweroff/on_reboot/on_crash
 * for domid (xl_monitor.c). Returns 0 or -1. */
int xl_monitor_spawn(uint32_t domid);

/* Subcommands. */
int main_create(int argc, char **argv);
int main_list(int argc, char **argv);
int main_destroy(int argc, char **argv);
int main_shutdown(int argc, char **argv);
int main_reboot(int argc, char **argv);
int main_pause(int argc, char **argv);
int main_unpause(int argc, char **argv);
int main_console(int argc, char **argv);
int main_dmesg(int argc, char **argv);
int main_info(int argc, char **argv);
int main_top(int argc, char **argv);
int main_vcpulist(int argc, char **argv);
int main_sched_credit(int argc, char **argv);
int main_memmax(int argc, char **argv);
int main_memset(int argc, char **argv);

#endif
