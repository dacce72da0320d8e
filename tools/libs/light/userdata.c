/*
 * userdata.c: the toolstack's record of each running domain's config, kept
 * in $XEN_RUN_DIR/userdata/d<domid> (default /run/xen), as libxl keeps its
 * userdata files: written by `xl create`, read by `xl list -l` and by the
 * domain's monitor, removed when the domain is destroyed.
 * Invariant: a record is written to a temporary file and renamed, so readers
 * never see a partial one; a record of another version is not loaded.
 */
#include "libxl_umbra.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define USERDATA_MAGIC 0x554d4231u   /* "UMB1" */

struct record {
    uint32_t magic;
    uint32_t size;
    struct libxl_domain_config cfg;
};

static void record_path(uint32_t domid, char *out, size_t len, const char *suffix)
{
    const char *dir = getenv("XEN_RUN_DIR");

    snprintf(out, len, "%s/userdata/d%u%s", dir && *dir ? dir : "/run/xen", domid, suffix);
}

int libxl_userdata_save(uint32_t domid, const struct libxl_domain_config *cfg)
{
    struct record r = { USERDATA_MAGIC, sizeof(r), *cfg };
    char path[PATH_MAX], tmp[PATH_MAX + 8], dir[PATH_MAX];
    FILE *f;

    record_path(domid, path, sizeof(path), "");
    record_path(domid, tmp, sizeof(tmp), ".tmp");
    snprintf(dir, sizeof(dir), "%s", path);
    *strrchr(dir, '/') = '\0';
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return -1;
    f = fopen(tmp, "w");
    if (!f)
        return -1;
    if (fwrite(&r, sizeof(r), 1, f) != 1) {
        fclose(f);
        unlink(tmp);
        return -1;
    }
    if (fclose(f) != 0 || rename(tmp, path) < 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

int libxl_userdata_load(uint32_t domid, struct libxl_domain_config *cfg)
{
    struct record r;
    char path[PATH_MAX];
    FILE *f;
    size_t n;

    record_path(domid, path, sizeof(path), "");
    f = fopen(path, "r");
    if (!f)
        return -1;
    n = fread(&r, 1, sizeof(r), f);
    fclose(f);
    if (n != sizeof(r) || r.magic != USERDATA_MAGIC || r.size != sizeof(r)) {
        errno = EINVAL;
        return -1;
    }
    *cfg = r.cfg;
    return 0;
}

void libxl_userdata_remove(uint32_t domid)
{
    char path[PATH_MAX];

    record_path(domid, path, sizeof(path), "");
    unlink(path);
}
