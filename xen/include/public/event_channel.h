/*
 * event_channel.h: EVTCHNOP_* sub-operations of event_channel_op, with Xen's
 * numbers and layouts (2-level ABI).
 */
#ifndef UMBRA_PUBLIC_EVENT_CHANNEL_H
#define UMBRA_PUBLIC_EVENT_CHANNEL_H

#include "xen.h"

typedef uint32_t evtchn_port_t;

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq        1
#define EVTCHNOP_bind_pirq        2
#define EVTCHNOP_close            3
#define EVTCHNOP_send             4
#define EVTCHNOP_status           5
#define EVTCHNOP_alloc_unbound    6
#define EVTCHNOP_bind_ipi         7
#define EVTCHNOP_bind_vcpu        8
#define EVTCHNOP_unmask           9
#define EVTCHNOP_reset            10

struct evtchn_alloc_unbound { domid_t dom, remote_dom; evtchn_port_t port; };
struct evtchn_bind_interdomain { domid_t remote_dom; uint16_t pad; evtchn_port_t remote_port; evtchn_port_t local_port; };
struct evtchn_bind_virq { uint32_t virq; uint32_t vcpu; evtchn_port_t port; };
struct evtchn_bind_ipi { uint32_t vcpu; evtchn_port_t port; };
struct evtchn_close { evtchn_port_t port; };
struct evtchn_send { evtchn_port_t port; };
struct evtchn_unmask { evtchn_port_t port; };

#define EVTCHNSTAT_closed       0
#define EVTCHNSTAT_unbound      1
#define EVTCHNSTAT_interdomain  2
#define EVTCHNSTAT_pirq         3
#define EVTCHNSTAT_virq         4
#define EVTCHNSTAT_ipi          5

/* 24 bytes: dom@0 port@4 status@8 vcpu@12 u@16 */
struct evtchn_status {
    domid_t dom;
    uint16_t pad;
    evtchn_port_t port;
    uint32_t status;
    uint32_t vcpu;
    union {
        struct { domid_t dom; } unbound;
        struct { domid_t dom; uint16_t pad; evtchn_port_t port; } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};

#endif
