/*
 * libxl_umbra.h: Umbra's libxl: domain configs (libvirt domain XML) and the
 * domain builder, used by `xl` and the create benchmark.
 *
 * A config is parsed into a plain value (struct libxl_domain_config: no
 * pointers, so copying it is safe and freeing it is never needed). The builder
 * turns a config into a running (or paused) domain through a table of
 * hypervisor operations, normally libxl_xc_ops (libxenctrl); tests pass a fake
 * table to inject failures.
 * Invariants:
 *   - every parse error is one line, "file:line: reason";
 *   - a failed build leaves nothing behind: no domain, no frame, no mapping.
 */
#ifndef LIBXL_UMBRA_H
#define LIBXL_UMBRA_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "public/xen.h"
#include "xenctrl.h"

#define LIBXL_NAME_MAX     63                /* like Xen's domain names */
#define LIBXL_ERR_MAX      (PATH_MAX + 256)  /* room for any error message */
#define LIBXL_INSTALL_DIR  "/usr/lib/umbra"   /* kernels: see libxl_config_parse_file */
#define LIBXL_PAGE_SHIFT   12
#define LIBXL_PAGE_SIZE    (1UL << LIBXL_PAGE_SHIFT)

/* What to do when the domain powers off, reboots or crashes (libvirt's names). */
enum libxl_action {
    LIBXL_ACTION_DESTROY,
    LIBXL_ACTION_RESTART,
    LIBXL_ACTION_PRESERVE,
    LIBXL_ACTION_RENAME_RESTART,
    LIBXL_ACTION_COREDUMP_DESTROY,
    LIBXL_ACTION_COREDUMP_RESTART,
};

struct libxl_domain_config {
    char name[LIBXL_NAME_MAX + 1];
    uint8_t uuid[16];
    bool uuid_given;                 /* false: the parser made a random one */
    uint64_t max_memkb;              /* <memory>, rounded up to whole pages */
    uint64_t target_memkb;           /* <currentMemory> (default: <memory>) */
    unsigned max_vcpus;              /* <vcpu> (default 1) */
    char os_type[16];                /* xen, linux or xenpvh */
    char machine[16];                /* xenpv, xenpvh, or "" */
    char kernel[PATH_MAX];           /* resolved, absolute */
    char cmdline[MAX_GUEST_CMDLINE]; /* NUL-terminated, may be empty */
    bool hap;                        /* <features><hap state=...>, default on */
    bool nosharepages;               /* <memoryBacking><nosharepages/> */
    bool nosuperpages;               /* Umbra: 4 KiB p2m (G-stage) pages only (xl create
                                        superpages=0); default: 2 MiB where contiguous */
    bool console;                    /* <devices><console> */
    bool balloon;                    /* <devices><memballoon model='xen'> */
    enum libxl_action on_poweroff, on_reboot, on_crash;
    char config_file[PATH_MAX];      /* absolute path of the file parsed */
};

/* ---- Sizes (config_units.c) ---- */

/*
 * libvirt's scaled integers: `number` is unsigned decimal, `unit` one of
 * b, byte(s), k, KiB, KB, m, MiB, MB, g, GiB, GB, t, TiB, TB, p.., e.. (case
 * insensitive; NULL or "" means KiB). The result is rounded up to whole KiB.
 * Returns 0, or -1 with a reason ("unknown unit 'x'", ...) in err.
 */
int libxl_parse_scaled_kib(const char *number, const char *unit, uint64_t *kib,
                           char *err, size_t errlen);

/*
 * xl's SIZE argument (mem-max, mem-set, key=value overrides): a decimal
 * number and an optional suffix b, k, m, g or t (any case); the default is
 * KiB. Returns the size in KiB (bytes round up), or -1 if malformed.
 */
int64_t libxl_parse_mem_size_kb(const char *size);

/* ---- Configs (config_xml.c, config_kernel.c, config_override.c) ---- */

const char *libxl_action_name(enum libxl_action a);

/*
 * Parse the libvirt domain XML file at `path`. <kernel> LIBXL_INSTALL_DIR/X
 * falls back to $UMBRA_BUILD/X when not installed; relative <kernel> paths
 * are looked up relative to the file's directory, then to $UMBRA_BUILD.
 * Returns 0 with *cfg filled, or -1 with "path:line: reason" in err (cfg is
 * then unspecified).
 */
int libxl_config_parse_file(const char *path, struct libxl_domain_config *cfg,
                            char *err, size_t errlen);

/* The same on an in-memory document; `path` names it in messages and anchors
 * relative kernel paths. */
int libxl_config_parse_memory(const char *path, const char *buf, size_t len,
                              struct libxl_domain_config *cfg, char *err, size_t errlen);

/*
 * Apply an xl command-line override "key=value" (name, memory, maxmem,
 * currentMemory, vcpus, kernel, cmdline, hap, superpages, on_poweroff,
 * on_reboot, on_crash). Memory values take xl SIZE syntax, but a bare number is MiB as
 * in xl.cfg. Returns 0, or -1 with "override 'kv': reason" in err.
 */
int libxl_config_override(struct libxl_domain_config *cfg, const char *kv,
                          char *err, size_t errlen);

/*
 * Render cfg as the "config" object of `xl list -l` (libxl's JSON names:
 * c_info, b_info, on_poweroff, ...), for domain `domid`, into a malloc'd
 * string. Returns NULL on allocation failure.
 */
char *libxl_config_to_json(const struct libxl_domain_config *cfg, uint32_t domid);

/* ---- Saved configs of running domains (userdata.c) ---- */

/*
 * The toolstack keeps each domain's parsed config in
 * $XEN_RUN_DIR/userdata/d<domid> (a versioned binary record), as libxl keeps
 * its userdata files; `xl list -l` and the domain's monitor read it back.
 * save: returns 0 or -1 with errno. load: 0, or -1 (errno ENOENT if none).
 */
int libxl_userdata_save(uint32_t domid, const struct libxl_domain_config *cfg);
int libxl_userdata_load(uint32_t domid, struct libxl_domain_config *cfg);
void libxl_userdata_remove(uint32_t domid);

/* ---- The domain builder (build*.c) ---- */

/*
 * The hypervisor operations the builder needs, with libxenctrl's contracts
 * (-1 with errno on failure; map returns NULL with errno).
 */
struct libxl_hv_ops {
    int (*domain_create)(void *h, uint32_t *domid, struct xen_domctl_createdomain *cfg);
    int (*domain_destroy)(void *h, uint32_t domid);
    int (*setmaxmem)(void *h, uint32_t domid, uint64_t max_memkb);
    int (*populate)(void *h, uint32_t domid, unsigned long nr_extents,
                    unsigned int order, xen_pfn_t *gfns);
    void *(*map)(void *h, uint32_t domid, int size, int prot, unsigned long gfn);
    int (*unmap)(void *h, uint32_t domid, void *addr, int size, unsigned long gfn);
    int (*setcontext)(void *h, uint32_t domid, uint32_t vcpu, vcpu_guest_context_any_t *ctx);
    int (*unpause)(void *h, uint32_t domid);
    /* The GFN where the hypervisor mapped the domain's shared_info page. */
    int (*shared_info_gfn)(void *h, uint32_t domid, xen_pfn_t *gfn);
    /* An unbound event channel in domid for remote_domid: the port, or -1. */
    int (*alloc_unbound)(void *h, uint32_t domid, uint32_t remote_domid);
};

/* libxenctrl's implementation; its handle is an xc_interface *. */
extern const struct libxl_hv_ops libxl_xc_ops;

/* Guest physical layout (docs/config.md): RAM from GUEST_RAM_BASE; the top
 * LIBXL_SPECIAL_PAGES pages hold, from the top down: start_info, the console
 * ring, the xenstore ring. shared_info is the hypervisor's own page, which it
 * maps where it chooses (just below RAM); start_info gives its GPA. */
#define LIBXL_RAM_BASE_GFN     (GUEST_RAM_BASE >> LIBXL_PAGE_SHIFT)
#define LIBXL_SPECIAL_PAGES    3
#define LIBXL_START_INFO_IDX   1  /* pages below the top of RAM */
#define LIBXL_CONSOLE_IDX      2
#define LIBXL_XENSTORE_IDX     3

struct libxl_layout {
    uint64_t nr_pages;            /* RAM pages populated */
    xen_pfn_t ram_base_gfn, ram_end_gfn;   /* [base, end) */
    xen_pfn_t start_info_gfn, console_gfn, xenstore_gfn;
    xen_pfn_t shared_info_gfn;    /* the hypervisor's choice, read back */
    uint32_t store_evtchn;        /* the guest's xenstore port (LIBXL_BUILD_XENSTORE), else 0 */
    uint64_t entry;               /* kernel entry point (GPA) */
    uint64_t kernel_start, kernel_end;     /* GPA range of the loaded image */
};

/* Compute the layout for cfg (no hypervisor calls). Returns 0, or -1 if the
 * memory is too small for the special pages. */
int libxl_layout_compute(const struct libxl_domain_config *cfg, struct libxl_layout *lay);

#define LIBXL_BUILD_PAUSED   (1U << 0)  /* leave the domain paused */
#define LIBXL_BUILD_XENSTORE (1U << 1)  /* give it a xenstore ring and port for dom0 */

/*
 * Build the domain described by cfg: create it, set its maximum memory,
 * populate its RAM, load the kernel, (with LIBXL_BUILD_XENSTORE) allocate the
 * xenstore event channel, write start_info, set up the console and the vCPU
 * context, and unpause it unless LIBXL_BUILD_PAUSED.
 * Returns 0 with *domid set, or -1 with errno set and a reason in err; on
 * failure every step already done is undone (the domain is destroyed, which
 * frees its frames; mappings are dropped first).
 */
int libxl_domain_build(const struct libxl_hv_ops *ops, void *h,
                       const struct libxl_domain_config *cfg, unsigned flags,
                       uint32_t *domid, struct libxl_layout *lay,
                       char *err, size_t errlen);

/* ---- Whole domains (domain.c; link libxenctrl and libxenstore) ---- */

/*
 * Create cfg as a new domain, as `xl create` does: build it paused (with a
 * xenstore ring and port when xenstored is reachable), write its xenstore
 * layout and introduce it, then unpause it unless `paused`. Returns 0 with
 * *domid, or -1 with a reason in err and nothing left behind.
 */
int libxl_domain_create(xc_interface *xch, const struct libxl_domain_config *cfg, bool paused,
                        uint32_t *domid, char *err, size_t errlen);

/* Destroy domid, its xenstore entries and its recorded config. 0, or -1 with errno. */
int libxl_domain_destroy(xc_interface *xch, uint32_t domid);

/* ---- xenstore (xs_domain.c; link libxenstore) ---- */

struct xs_handle;

/*
 * Write domid's standard xenstore layout (/local/domain/<id>, /vm/<uuid>, with
 * Xen's permissions; store/ring-ref and store/port from lay) and introduce the
 * domain to xenstored. All or nothing: returns 0, or -1 with a reason in err
 * and nothing left in the store.
 */
int libxl_xs_domain_setup(struct xs_handle *xs, uint32_t domid,
                          const struct libxl_domain_config *cfg, const struct libxl_layout *lay,
                          char *err, size_t errlen);

/* Release domid and remove its trees (best effort; for destroy and rollback). */
void libxl_xs_domain_teardown(struct xs_handle *xs, uint32_t domid, const uint8_t uuid[16]);

/*
 * Ask domid to "poweroff" or "reboot" through control/shutdown. Returns 1 if
 * written, 0 if the guest does not advertise control/feature-<what> (the
 * caller then uses the hypervisor's remote shutdown), -1 on error.
 */
int libxl_xs_request_shutdown(struct xs_handle *xs, uint32_t domid, const char *what);

#endif
