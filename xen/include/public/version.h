/*
 * version.h: XENVER_* sub-operations of xen_version.
 */
#ifndef UMBRA_PUBLIC_VERSION_H
#define UMBRA_PUBLIC_VERSION_H

#define XENVER_version      0   /* returns (major << 16) | minor */
#define XENVER_extraversion 1   /* char[16] */
#define XENVER_compile_info 2
#define XENVER_capabilities 3   /* char[1024] */
#define XENVER_changeset    4   /* char[64] */
#define XENVER_platform_parameters 5
#define XENVER_get_features 6
#define XENVER_pagesize     7
#define XENVER_guest_handle 8
#define XENVER_commandline  9

#define UMBRA_XEN_MAJOR 4
#define UMBRA_XEN_MINOR 17
#define UMBRA_XEN_EXTRA "-umbra"

#endif
