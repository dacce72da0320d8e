/*
 * config_kernel.c: where a config's <kernel> is, and reading config files.
 *
 * The rule (docs/config.md):
 *   - an absolute path that exists is used as is;
 *   - LIBXL_INSTALL_DIR/X (/usr/lib/umbra/X), when not installed there, is
 *     $UMBRA_BUILD/X: the build tree (build/ or build-san/) stands in for the
 *     install directory, so one example config serves every build and still
 *     passes libvirt's schema, which wants absolute kernel paths;
 *   - a relative path (Umbra accepts it; libvirt's schema does not) is looked
 *     up relative to the config file's directory, then to $UMBRA_BUILD.
 * Invariant: cfg->kernel is an absolute path to an existing regular file.
 */
#include "config_parse.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* True if dir/rel is a regular file; its absolute path goes to out. */
static bool try_dir(const char *dir, const char *rel, char *out)
{
    char cand[PATH_MAX * 2];
    struct stat sb;

    snprintf(cand, sizeof(cand), "%s/%s", dir, rel);
    return stat(cand, &sb) == 0 && S_ISREG(sb.st_mode) && realpath(cand, out);
}

int config_resolve_kernel(struct parse *p)
{
    const char *raw = p->kernel_raw;
    const char *build = getenv("UMBRA_BUILD");
    char cfgfile[PATH_MAX], cfgdir[PATH_MAX];
    struct stat sb;

    if (raw[0] == '/') {
        size_t pl = strlen(LIBXL_INSTALL_DIR);

        if (stat(raw, &sb) == 0 && S_ISREG(sb.st_mode) && realpath(raw, p->cfg->kernel))
            return 0;
        if (strncmp(raw, LIBXL_INSTALL_DIR "/", pl + 1))
            return parse_fail(p, p->kernel_node, "kernel '%s' not found", raw);
        if (build && *build && try_dir(build, raw + pl + 1, p->cfg->kernel))
            return 0;
        return parse_fail(p, p->kernel_node, "kernel '%s' not found (nor %s/%s)", raw,
                          build && *build ? build : "$UMBRA_BUILD, which is not set,",
                          raw + pl + 1);
    }
    snprintf(cfgfile, sizeof(cfgfile), "%s", p->cfg->config_file);
    snprintf(cfgdir, sizeof(cfgdir), "%s", dirname(cfgfile));
    if (try_dir(cfgdir, raw, p->cfg->kernel))
        return 0;
    if (build && *build && try_dir(build, raw, p->cfg->kernel))
        return 0;
    return parse_fail(p, p->kernel_node, "kernel '%s' not found (looked in %s and %s)", raw,
                      cfgdir, build && *build ? build : "$UMBRA_BUILD, which is not set");
}

/* The whole file at path into a malloc'd buffer; 0, or -1 with errno. */
static int read_file(const char *path, char **buf, size_t *len)
{
    FILE *f = fopen(path, "r");
    FILE *mem;
    char chunk[8192];
    size_t n;
    int rc = 0;

    if (!f)
        return -1;
    *buf = NULL;
    mem = open_memstream(buf, len);
    if (!mem) {
        fclose(f);
        return -1;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        fwrite(chunk, 1, n, mem);
    if (ferror(f)) {
        rc = -1;
        errno = EIO;
    }
    fclose(f);
    if (fclose(mem) != 0)
        rc = -1;
    if (rc < 0) {
        free(*buf);
        *buf = NULL;
    }
    return rc;
}

int libxl_config_parse_file(const char *path, struct libxl_domain_config *cfg,
                            char *err, size_t errlen)
{
    char *buf;
    size_t len;
    int rc;

    if (read_file(path, &buf, &len) < 0) {
        snprintf(err, errlen, "%s:0: cannot open: %s", path, strerror(errno));
        return -1;
    }
    rc = libxl_config_parse_memory(path, buf, len, cfg, err, errlen);
    free(buf);
    return rc;
}
