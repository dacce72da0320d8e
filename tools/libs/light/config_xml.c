/*
 * config_xml.c: libvirt domain XML -> struct libxl_domain_config.
 *
 * The document is read with libxml2 and walked once, element by element.
 * Every element and attribute is matched against what Umbra supports; any
 * other is an error naming it, never silently skipped.
 * Invariants:
 *   - every error is one line "file:line: reason", the line being the
 *     offending node's (libxml2's own line for malformed XML); control
 *     characters in the reason become spaces or '?';
 *   - the first error stops the walk; the caller gets -1 and no config;
 *   - libxml2 prints nothing itself (NOERROR/NOWARNING, no network).
 */
#include "config_parse.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define MAX_VCPUS        128
#define MIN_MEMKB        1024ULL                  /* 1 MiB */
#define MAX_MEMKB        (1ULL << 30)             /* 1 TiB */

/* Keep a message on one line: whitespace controls become spaces, others '?'. */
static void one_line(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = strchr("\n\r\t", *s) ? ' ' : '?';
}

int parse_fail(struct parse *p, const xmlNode *n, const char *fmt, ...)
{
    va_list ap;
    char reason[LIBXL_ERR_MAX];

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    one_line(reason);
    snprintf(p->err, p->errlen, "%s:%ld: %s", p->file, n ? xmlGetLineNo(n) : 0L, reason);
    return -1;
}

static bool is_blank(const xmlChar *s)
{
    for (; s && *s; s++)
        if (!strchr(" \t\r\n", *s))
            return false;
    return true;
}

/* Reject any attribute of n not in the NULL-terminated list `allowed`. */
static int check_attrs(struct parse *p, const xmlNode *n, const char *const *allowed)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        bool ok = false;

        for (int i = 0; allowed && allowed[i]; i++)
            ok |= !a->ns && !strcmp((const char *)a->name, allowed[i]);
        if (!ok)
            return parse_fail(p, n, "unknown attribute '%s' on <%s>", a->name, n->name);
    }
    return 0;
}

/* Attribute value (libxml2-owned copy in buf), or NULL when absent. */
static const char *attr(const xmlNode *n, const char *name, char *buf, size_t len)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);

    if (!v)
        return NULL;
    snprintf(buf, len, "%s", (const char *)v);
    xmlFree(v);
    return buf;
}

/*
 * The trimmed text content of a leaf element into buf. Fails on a child
 * element, or if the text does not fit in len bytes.
 */
static int leaf_text(struct parse *p, const xmlNode *n, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (const xmlNode *c = n->children; c; c = c->next) {
        size_t l;

        if (c->type == XML_ELEMENT_NODE)
            return parse_fail(p, c, "unknown element <%s> in <%s>", c->name, n->name);
        if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
            continue;
        l = strlen((const char *)c->content);
        if (used + l >= len)
            return parse_fail(p, n, "<%s> is longer than %zu bytes", n->name, len - 1);
        memcpy(buf + used, c->content, l + 1);
        used += l;
    }
    while (used && strchr(" \t\r\n", buf[used - 1]))
        buf[--used] = '\0';
    size_t lead = strspn(buf, " \t\r\n");
    memmove(buf, buf + lead, used - lead + 1);
    return 0;
}

/* A container's text must be blank; returns -1 on stray text. */
static int check_container_text(struct parse *p, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
            !is_blank(c->content))
            return parse_fail(p, n, "unexpected text in <%s>", n->name);
    return 0;
}

/* An element that must have no content at all (e.g. <nosharepages/>). */
static int check_empty(struct parse *p, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return parse_fail(p, c, "unknown element <%s> in <%s>", c->name, n->name);
    return check_container_text(p, n);
}

/* Mark `bit` seen; a second sighting is a duplicate. */
static int once(struct parse *p, const xmlNode *n, unsigned *seen, unsigned bit)
{
    if (*seen & bit)
        return parse_fail(p, n, "duplicate <%s>", n->name);
    *seen |= bit;
    return 0;
}

static bool named(const xmlNode *n, const char *name)
{
    return !strcmp((const char *)n->name, name);
}

/* ---- leaf elements of <domain> ---- */

static int parse_name(struct parse *p, const xmlNode *n)
{
    struct libxl_domain_config *cfg = p->cfg;
    char buf[256];

    if (check_attrs(p, n, NULL) || leaf_text(p, n, buf, sizeof(buf)))
        return -1;
    if (!*buf)
        return parse_fail(p, n, "<name> is empty");
    if (strlen(buf) > LIBXL_NAME_MAX)
        return parse_fail(p, n, "name '%s' is longer than %d characters", buf, LIBXL_NAME_MAX);
    if (strspn(buf, "0123456789") == strlen(buf))
        return parse_fail(p, n, "name '%s' is a number; xl would take it for a domain id", buf);
    for (const char *c = buf; *c; c++)
        if (*c == '/' || (unsigned char)*c <= ' ' || *c == 0x7f)
            return parse_fail(p, n, "name '%s' contains '/', a space or a control character", buf);
    snprintf(cfg->name, sizeof(cfg->name), "%s", buf);
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* libvirt accepts 32 hex digits, optionally grouped by dashes. */
static int parse_uuid(struct parse *p, const xmlNode *n)
{
    char buf[64];
    int nib = 0;

    if (check_attrs(p, n, NULL) || leaf_text(p, n, buf, sizeof(buf)))
        return -1;
    for (const char *c = buf; *c; c++) {
        int v;

        if (*c == '-')
            continue;
        v = hexval(*c);
        if (v < 0 || nib >= 32)
            return parse_fail(p, n, "invalid uuid '%s'", buf);
        p->cfg->uuid[nib / 2] = (uint8_t)(p->cfg->uuid[nib / 2] << 4 | v);
        nib++;
    }
    if (nib != 32)
        return parse_fail(p, n, "invalid uuid '%s'", buf);
    p->cfg->uuid_given = true;
    return 0;
}

static const char *const unit_attrs[] = { "unit", NULL };

/* <memory> and <currentMemory>: a scaled integer, into whole pages' KiB. */
static int parse_memory(struct parse *p, const xmlNode *n, uint64_t *kib)
{
    char num[64], unit[32], reason[128];
    const char *u;

    if (check_attrs(p, n, unit_attrs) || leaf_text(p, n, num, sizeof(num)))
        return -1;
    u = attr(n, "unit", unit, sizeof(unit));
    if (libxl_parse_scaled_kib(num, u, kib, reason, sizeof(reason)) < 0)
        return parse_fail(p, n, "<%s>: %s", n->name, reason);
    *kib = (*kib + 3) & ~3ULL;    /* whole 4 KiB pages */
    if (*kib < MIN_MEMKB)
        return parse_fail(p, n, "<%s> is %llu KiB; the minimum is %llu KiB", n->name,
                          (unsigned long long)*kib, MIN_MEMKB);
    if (*kib > MAX_MEMKB)
        return parse_fail(p, n, "<%s> is %llu KiB; the maximum is %llu KiB (1 TiB)", n->name,
                          (unsigned long long)*kib, MAX_MEMKB);
    return 0;
}

static int parse_vcpu(struct parse *p, const xmlNode *n)
{
    char buf[32];
    char *end;
    unsigned long v;

    if (check_attrs(p, n, NULL) || leaf_text(p, n, buf, sizeof(buf)))
        return -1;
    v = strtoul(buf, &end, 10);
    if (!*buf || *end || buf[0] == '-' || buf[0] == '+')
        return parse_fail(p, n, "<vcpu>: invalid number '%s'", buf);
    if (v < 1 || v > MAX_VCPUS)
        return parse_fail(p, n, "<vcpu> is %s; it must be between 1 and %d", buf, MAX_VCPUS);
    p->cfg->max_vcpus = (unsigned)v;
    return 0;
}

static const char *const action_names[] = {
    [LIBXL_ACTION_DESTROY] = "destroy",
    [LIBXL_ACTION_RESTART] = "restart",
    [LIBXL_ACTION_PRESERVE] = "preserve",
    [LIBXL_ACTION_RENAME_RESTART] = "rename-restart",
    [LIBXL_ACTION_COREDUMP_DESTROY] = "coredump-destroy",
    [LIBXL_ACTION_COREDUMP_RESTART] = "coredump-restart",
};

const char *libxl_action_name(enum libxl_action a)
{
    return (unsigned)a < sizeof(action_names) / sizeof(action_names[0]) ? action_names[a] : "?";
}

int config_parse_action(const char *s, enum libxl_action *a)
{
    for (unsigned i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
        if (!strcmp(s, action_names[i])) {
            *a = (enum libxl_action)i;
            return 0;
        }
    return -1;
}

static int parse_action(struct parse *p, const xmlNode *n, enum libxl_action *a)
{
    char buf[64];

    if (check_attrs(p, n, NULL) || leaf_text(p, n, buf, sizeof(buf)))
        return -1;
    if (config_parse_action(buf, a) < 0)
        return parse_fail(p, n, "<%s> '%s' is not one of destroy, restart, preserve, "
                          "rename-restart, coredump-destroy, coredump-restart", n->name, buf);
    return 0;
}

/* ---- container elements ---- */

static int parse_os(struct parse *p, const xmlNode *os)
{
    static const char *const type_attrs[] = { "arch", "machine", NULL };
    unsigned seen = 0;
    char buf[64];

    if (check_attrs(p, os, NULL) || check_container_text(p, os))
        return -1;
    for (const xmlNode *n = os->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (named(n, "type")) {
            if (once(p, n, &seen, 1) || check_attrs(p, n, type_attrs) ||
                leaf_text(p, n, p->cfg->os_type, sizeof(p->cfg->os_type)))
                return -1;
            if (strcmp(p->cfg->os_type, "xen") && strcmp(p->cfg->os_type, "linux") &&
                strcmp(p->cfg->os_type, "xenpvh"))
                return parse_fail(p, n, "os type '%s' is not supported (use xen, linux or xenpvh)",
                                  p->cfg->os_type);
            if (attr(n, "arch", buf, sizeof(buf)) && strcmp(buf, "riscv64"))
                return parse_fail(p, n, "arch '%s' is not supported; leave arch out (riscv64 is implied)",
                                  buf);
            if (attr(n, "machine", p->cfg->machine, sizeof(p->cfg->machine)) &&
                strcmp(p->cfg->machine, "xenpv") && strcmp(p->cfg->machine, "xenpvh"))
                return parse_fail(p, n, "machine '%s' is not supported (use xenpv or xenpvh)",
                                  p->cfg->machine);
        } else if (named(n, "kernel")) {
            if (once(p, n, &seen, 2) || check_attrs(p, n, NULL) ||
                leaf_text(p, n, p->kernel_raw, sizeof(p->kernel_raw)))
                return -1;
            if (!*p->kernel_raw)
                return parse_fail(p, n, "<kernel> is empty");
            p->kernel_node = n;
        } else if (named(n, "cmdline")) {
            if (once(p, n, &seen, 4) || check_attrs(p, n, NULL) ||
                leaf_text(p, n, p->cfg->cmdline, sizeof(p->cfg->cmdline)))
                return -1;
        } else {
            return parse_fail(p, n, "unknown element <%s> in <os>", n->name);
        }
    }
    if (!(seen & 1))
        return parse_fail(p, os, "<os> needs <type>");
    if (!(seen & 2))
        return parse_fail(p, os, "<os> needs <kernel> (Umbra boots PV kernels directly)");
    return 0;
}

static int parse_features(struct parse *p, const xmlNode *f)
{
    static const char *const hap_attrs[] = { "state", NULL };
    unsigned seen = 0;
    char buf[32];

    if (check_attrs(p, f, NULL) || check_container_text(p, f))
        return -1;
    for (const xmlNode *n = f->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!named(n, "hap"))
            return parse_fail(p, n, "unknown element <%s> in <features>", n->name);
        if (once(p, n, &seen, 1) || check_attrs(p, n, hap_attrs) || check_empty(p, n))
            return -1;
        if (!attr(n, "state", buf, sizeof(buf)) || !strcmp(buf, "on"))
            p->cfg->hap = true;
        else if (!strcmp(buf, "off"))
            p->cfg->hap = false;
        else
            return parse_fail(p, n, "hap state '%s' must be 'on' or 'off'", buf);
    }
    return 0;
}

static int parse_memory_backing(struct parse *p, const xmlNode *m)
{
    unsigned seen = 0;

    if (check_attrs(p, m, NULL) || check_container_text(p, m))
        return -1;
    for (const xmlNode *n = m->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!named(n, "nosharepages"))
            return parse_fail(p, n, "unknown element <%s> in <memoryBacking>", n->name);
        if (once(p, n, &seen, 1) || check_attrs(p, n, NULL) || check_empty(p, n))
            return -1;
        p->cfg->nosharepages = true;
    }
    return 0;
}

static int parse_console(struct parse *p, const xmlNode *c)
{
    static const char *const console_attrs[] = { "type", NULL };
    static const char *const target_attrs[] = { "type", "port", NULL };
    unsigned seen = 0;
    char buf[32];

    if (check_attrs(p, c, console_attrs) || check_container_text(p, c))
        return -1;
    if (attr(c, "type", buf, sizeof(buf)) && strcmp(buf, "pty"))
        return parse_fail(p, c, "console type '%s' is not supported (use 'pty')", buf);
    for (const xmlNode *n = c->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!named(n, "target"))
            return parse_fail(p, n, "unknown element <%s> in <console>", n->name);
        if (once(p, n, &seen, 1) || check_attrs(p, n, target_attrs) || check_empty(p, n))
            return -1;
        if (attr(n, "type", buf, sizeof(buf)) && strcmp(buf, "xen"))
            return parse_fail(p, n, "console target type '%s' is not supported (use 'xen')", buf);
        if (attr(n, "port", buf, sizeof(buf)) && strcmp(buf, "0"))
            return parse_fail(p, n, "console port '%s' is not supported (Umbra has one console, port 0)",
                              buf);
    }
    p->cfg->console = true;
    return 0;
}

static int parse_devices(struct parse *p, const xmlNode *d)
{
    static const char *const balloon_attrs[] = { "model", NULL };
    unsigned seen = 0;
    char buf[32];

    if (check_attrs(p, d, NULL) || check_container_text(p, d))
        return -1;
    for (const xmlNode *n = d->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (named(n, "console")) {
            if (once(p, n, &seen, 1) || parse_console(p, n))
                return -1;
        } else if (named(n, "memballoon")) {
            if (once(p, n, &seen, 2) || check_attrs(p, n, balloon_attrs) || check_empty(p, n))
                return -1;
            if (!attr(n, "model", buf, sizeof(buf)))
                return parse_fail(p, n, "<memballoon> needs model='xen' or model='none'");
            if (strcmp(buf, "xen") && strcmp(buf, "none"))
                return parse_fail(p, n, "memballoon model '%s' is not supported (use 'xen' or 'none')",
                                  buf);
            p->cfg->balloon = !strcmp(buf, "xen");
        } else {
            return parse_fail(p, n, "unknown element <%s> in <devices>", n->name);
        }
    }
    return 0;
}

/* ---- the document ---- */

enum {
    SEEN_NAME = 1 << 0, SEEN_UUID = 1 << 1, SEEN_MEMORY = 1 << 2, SEEN_CURMEM = 1 << 3,
    SEEN_VCPU = 1 << 4, SEEN_OS = 1 << 5, SEEN_FEATURES = 1 << 6, SEEN_BACKING = 1 << 7,
    SEEN_POWEROFF = 1 << 8, SEEN_REBOOT = 1 << 9, SEEN_CRASH = 1 << 10, SEEN_DEVICES = 1 << 11,
};

/* One child of <domain>: dispatch on its name. */
static int parse_domain_child(struct parse *p, const xmlNode *n, unsigned *seen)
{
    struct libxl_domain_config *cfg = p->cfg;
    static const struct { const char *name; unsigned bit; } kids[] = {
        { "name", SEEN_NAME }, { "uuid", SEEN_UUID }, { "memory", SEEN_MEMORY },
        { "currentMemory", SEEN_CURMEM }, { "vcpu", SEEN_VCPU }, { "os", SEEN_OS },
        { "features", SEEN_FEATURES }, { "memoryBacking", SEEN_BACKING },
        { "on_poweroff", SEEN_POWEROFF }, { "on_reboot", SEEN_REBOOT },
        { "on_crash", SEEN_CRASH }, { "devices", SEEN_DEVICES },
    };
    unsigned bit = 0;

    for (unsigned i = 0; i < sizeof(kids) / sizeof(kids[0]); i++)
        if (named(n, kids[i].name))
            bit = kids[i].bit;
    if (!bit || n->ns)
        return parse_fail(p, n, "unknown element <%s> in <domain>", n->name);
    if (once(p, n, seen, bit))
        return -1;
    switch (bit) {
    case SEEN_NAME: return parse_name(p, n);
    case SEEN_UUID: return parse_uuid(p, n);
    case SEEN_MEMORY: p->memory_node = n; return parse_memory(p, n, &cfg->max_memkb);
    case SEEN_CURMEM: p->curmem_node = n; return parse_memory(p, n, &cfg->target_memkb);
    case SEEN_VCPU: return parse_vcpu(p, n);
    case SEEN_OS: return parse_os(p, n);
    case SEEN_FEATURES: return parse_features(p, n);
    case SEEN_BACKING: return parse_memory_backing(p, n);
    case SEEN_POWEROFF: return parse_action(p, n, &cfg->on_poweroff);
    case SEEN_REBOOT: return parse_action(p, n, &cfg->on_reboot);
    case SEEN_CRASH: return parse_action(p, n, &cfg->on_crash);
    default: return parse_devices(p, n);
    }
}

static void config_defaults(struct libxl_domain_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->max_vcpus = 1;
    cfg->hap = true;
    cfg->on_poweroff = LIBXL_ACTION_DESTROY;
    cfg->on_reboot = LIBXL_ACTION_RESTART;
    cfg->on_crash = LIBXL_ACTION_DESTROY;
}

/* A random (version 4) UUID for configs that give none, as libvirt makes. */
static void random_uuid(uint8_t uuid[16])
{
    if (getrandom(uuid, 16, 0) != 16)
        for (int i = 0; i < 16; i++)
            uuid[i] = (uint8_t)rand();
    uuid[6] = (uint8_t)((uuid[6] & 0x0f) | 0x40);
    uuid[8] = (uint8_t)((uuid[8] & 0x3f) | 0x80);
}

static int parse_domain(struct parse *p, const xmlNode *root)
{
    static const char *const domain_attrs[] = { "type", NULL };
    struct libxl_domain_config *cfg = p->cfg;
    unsigned seen = 0;
    char buf[32];

    if (!root || strcmp((const char *)root->name, "domain") || root->ns)
        return parse_fail(p, root, "root element is <%s>, expected <domain>",
                          root ? (const char *)root->name : "");
    if (check_attrs(p, root, domain_attrs) || check_container_text(p, root))
        return -1;
    if (!attr(root, "type", buf, sizeof(buf)))
        return parse_fail(p, root, "<domain> needs type='xen'");
    if (strcmp(buf, "xen"))
        return parse_fail(p, root, "domain type '%s' is not supported (use type='xen')", buf);
    for (const xmlNode *n = root->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && parse_domain_child(p, n, &seen))
            return -1;
    if (!(seen & SEEN_NAME))
        return parse_fail(p, root, "<domain> needs <name>");
    if (!(seen & SEEN_MEMORY))
        return parse_fail(p, root, "<domain> needs <memory>");
    if (!(seen & SEEN_OS))
        return parse_fail(p, root, "<domain> needs <os>");
    if (!(seen & SEEN_CURMEM))
        cfg->target_memkb = cfg->max_memkb;
    else if (cfg->target_memkb > cfg->max_memkb)
        return parse_fail(p, p->curmem_node, "<currentMemory> (%llu KiB) exceeds <memory> (%llu KiB)",
                          (unsigned long long)cfg->target_memkb,
                          (unsigned long long)cfg->max_memkb);
    if (!cfg->uuid_given)
        random_uuid(cfg->uuid);
    return config_resolve_kernel(p);
}

/* libxml2's last error, as "file:line: malformed XML: message". */
static int malformed(struct parse *p, xmlParserCtxtPtr ctxt)
{
    const xmlError *e = xmlCtxtGetLastError(ctxt);
    char msg[512];
    size_t l;

    snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message : "cannot parse");
    l = strlen(msg);
    while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
        msg[--l] = '\0';
    one_line(msg);
    snprintf(p->err, p->errlen, "%s:%d: malformed XML: %s", p->file, e ? e->line : 0, msg);
    return -1;
}

int libxl_config_parse_memory(const char *path, const char *buf, size_t len,
                              struct libxl_domain_config *cfg, char *err, size_t errlen)
{
    struct parse p = { .file = path, .err = err, .errlen = errlen, .cfg = cfg };
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;
    int rc;

    config_defaults(cfg);
    if (!realpath(path, cfg->config_file))
        snprintf(cfg->config_file, sizeof(cfg->config_file), "%s", path);
    if (len > INT_MAX) {
        snprintf(err, errlen, "%s:0: file too large", path);
        return -1;
    }
    ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        snprintf(err, errlen, "%s:0: out of memory", path);
        return -1;
    }
    doc = xmlCtxtReadMemory(ctxt, buf, (int)len, path, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc)
        rc = malformed(&p, ctxt);
    else
        rc = parse_domain(&p, xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}
