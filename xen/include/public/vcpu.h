/*
 * vcpu.h: VCPUOP_* sub-operations of vcpu_op (Xen's numbers).
 */
#ifndef UMBRA_PUBLIC_VCPU_H
#define UMBRA_PUBLIC_VCPU_H

#include <stdint.h>

#define VCPUOP_initialise               0
#define VCPUOP_up                       1
#define VCPUOP_down                     2
#define VCPUOP_is_up                    3
#define VCPUOP_get_runstate_info        4
#define VCPUOP_register_runstate_memory_area 5
#define VCPUOP_set_periodic_timer       6
#define VCPUOP_stop_periodic_timer      7
#define VCPUOP_set_singleshot_timer     8
#define VCPUOP_stop_singleshot_timer    9
#define VCPUOP_register_vcpu_info       10

struct vcpu_set_periodic_timer { uint64_t period_ns; };
struct vcpu_set_singleshot_timer { uint64_t timeout_abs_ns; uint32_t flags; uint32_t pad; };

/* 48 bytes: state@0 state_entry_time@8 time[4]@16 */
struct vcpu_runstate_info {
    int32_t state;
    uint32_t pad;
    uint64_t state_entry_time;
    uint64_t time[4];
};
#define RUNSTATE_running  0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked  2
#define RUNSTATE_offline  3

#endif
