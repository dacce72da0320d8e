/*
 * memory.h: XENMEM_* operations of the memory_op hypercall (Xen's numbers
 * and struct xen_memory_reservation layout).
 */
#ifndef UMBRA_PUBLIC_MEMORY_H
#define UMBRA_PUBLIC_MEMORY_H

#include "xen.h"

#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_maximum_ram_page     2
#define XENMEM_current_reservation  3
#define XENMEM_maximum_reservation  4
#define XENMEM_populate_physmap     6

/* 32 bytes: extent_start@0 nr_extents@8 extent_order@16 mem_flags@20 domid@24 */
struct xen_memory_reservation {
    uint64_t extent_start;      /* guest handle: GVA of an array of xen_pfn_t */
    xen_ulong_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;
    domid_t domid;
    uint16_t pad[3];
};

#endif
