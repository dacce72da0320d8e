/*
 * abi_xen_ref.c: the ABI facts as Xen 4.17's own public headers state them
 * (Debian's libxen-dev, /usr/include/xen). Compiled apart from our headers,
 * because both define the same names.
 */
#define __XEN_TOOLS__ 1   /* the latest interface version, as the toolstack sees it */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/vcpu.h>
#include <xen/io/console.h>

#include "abi.h"

const struct abi_fact abi_xen_ref[] = {
#include "abi_list.h"
};
const size_t abi_xen_ref_count = sizeof(abi_xen_ref) / sizeof(abi_xen_ref[0]);
