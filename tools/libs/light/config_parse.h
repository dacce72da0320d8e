/*
 * config_parse.h: private to the config parser (config_xml.c and its helpers
 * config_kernel.c, config_override.c).
 * Invariant: a struct parse lives for one parse; its error buffer receives
 * at most one message.
 */
#ifndef LIBXL_CONFIG_PARSE_H
#define LIBXL_CONFIG_PARSE_H

#include "libxl_umbra.h"

#include <libxml/tree.h>

struct parse {
    const char *file;                 /* as the user named it, for messages */
    char *err;
    size_t errlen;
    struct libxl_domain_config *cfg;
    char kernel_raw[PATH_MAX];        /* <kernel> as written */
    const xmlNode *kernel_node;       /* for its line */
    const xmlNode *memory_node, *curmem_node;
};

/* Write "file:line: reason" for node n (line 0 when n is NULL); returns -1. */
int parse_fail(struct parse *p, const xmlNode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Resolve p->kernel_raw into p->cfg->kernel (see config_kernel.c). 0 or -1. */
int config_resolve_kernel(struct parse *p);

/* libvirt's action name -> enum; 0, or -1 if unknown. */
int config_parse_action(const char *s, enum libxl_action *a);

#endif
