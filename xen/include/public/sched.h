/*
 * sched.h: SCHEDOP_* sub-operations of sched_op and the shutdown reasons.
 */
#ifndef UMBRA_PUBLIC_SCHED_H
#define UMBRA_PUBLIC_SCHED_H

#include "xen.h"

#define SCHEDOP_yield           0
#define SCHEDOP_block           1
#define SCHEDOP_shutdown        2
#define SCHEDOP_poll            3
#define SCHEDOP_remote_shutdown 4
#define SCHEDOP_shutdown_code   5
#define SCHEDOP_watchdog        6

#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot   1
#define SHUTDOWN_suspend  2
#define SHUTDOWN_crash    3
#define SHUTDOWN_watchdog 4

struct sched_shutdown { uint32_t reason; };
/* 24 bytes: ports@0 nr_ports@8 timeout@16 */
struct sched_poll { uint64_t ports; uint32_t nr_ports; uint32_t pad; uint64_t timeout; };
struct sched_remote_shutdown { domid_t domain_id; uint16_t pad; uint32_t reason; };

#endif
