/*
 * build_kernel.c: checking and loading the guest's ELF kernel.
 *
 * The whole image is checked before a byte is copied: libelf checks riscv64,
 * ELF64, EXEC, segments inside the file and filesz <= memsz; here, at least
 * one PT_LOAD, every PT_LOAD inside guest RAM below the special pages at its
 * top, and the entry inside a loaded segment. Then each segment is copied to its physical
 * address (p_paddr, which is where the guest runs with its MMU off) through a
 * foreign mapping, and the rest of its memory is zeroed.
 * Invariant: every mapping made here is dropped before returning.
 */
#include "build_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "umbra/libelf.h"

/* Parse the ELF headers (libelf: riscv64 ELF64 EXEC, segments inside the
 * file); 0, or -1 with a reason in b->err. */
static int image_parse(struct build *b, struct elf_image *img, const uint8_t *data, size_t size)
{
    char why[256];

    if (elf_parse(img, data, size, why, sizeof(why)) < 0) {
        errno = ENOEXEC;
        return build_fail(b, "kernel %s: %s", b->cfg->kernel, why);
    }
    if (!img->nsegs) {
        errno = ENOEXEC;
        return build_fail(b, "kernel %s: no loadable segment", b->cfg->kernel);
    }
    return 0;
}

/* Every segment inside [RAM base, special pages), the entry inside one. */
static int image_check_placement(struct build *b, const struct elf_image *img)
{
    uint64_t lo = b->lay->ram_base_gfn << LIBXL_PAGE_SHIFT;
    uint64_t hi = (b->lay->ram_end_gfn - LIBXL_SPECIAL_PAGES) << LIBXL_PAGE_SHIFT;
    bool entry_ok = false;

    b->lay->kernel_start = UINT64_MAX;
    b->lay->kernel_end = 0;
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct elf_segment *s = &img->segs[i];

        if (s->paddr < lo || s->paddr >= hi || s->memsz > hi - s->paddr) {
            errno = ERANGE;
            return build_fail(b, "kernel %s: segment at %#llx-%#llx is outside guest RAM "
                              "%#llx-%#llx", b->cfg->kernel, (unsigned long long)s->paddr,
                              (unsigned long long)(s->paddr + s->memsz),
                              (unsigned long long)lo, (unsigned long long)hi);
        }
        entry_ok |= img->entry >= s->paddr && img->entry < s->paddr + s->memsz;
        if (s->paddr < b->lay->kernel_start)
            b->lay->kernel_start = s->paddr;
        if (s->paddr + s->memsz > b->lay->kernel_end)
            b->lay->kernel_end = s->paddr + s->memsz;
    }
    if (!entry_ok) {
        errno = ERANGE;
        return build_fail(b, "kernel %s: entry point %#llx is in no loaded segment",
                          b->cfg->kernel, (unsigned long long)img->entry);
    }
    b->lay->entry = img->entry;
    return 0;
}

/* Copy one segment: map its pages, copy filesz bytes, zero the rest. */
static int load_segment(struct build *b, const struct elf_image *img, const struct elf_segment *s)
{
    xen_pfn_t first = s->paddr >> LIBXL_PAGE_SHIFT;
    uint64_t last = (s->paddr + s->memsz - 1) >> LIBXL_PAGE_SHIFT;
    uint64_t pages = last - first + 1;
    size_t off = s->paddr & (LIBXL_PAGE_SIZE - 1);
    uint8_t *p = build_map(b, first, pages);

    if (!p)
        return build_fail(b, "mapping kernel pages at %#llx: %s",
                          (unsigned long long)s->paddr, strerror(errno));
    memset(p, 0, off);
    memcpy(p + off, img->data + s->offset, s->filesz);
    memset(p + off + s->filesz, 0, pages * LIBXL_PAGE_SIZE - off - s->filesz);
    build_unmap(b, p, first, pages);
    return 0;
}

/* Read the whole kernel file into a malloc'd buffer *data of *size bytes. */
static int read_kernel(struct build *b, uint8_t **data, size_t *size)
{
    FILE *f = fopen(b->cfg->kernel, "rb");
    long len;
    uint8_t *buf;

    if (!f)
        return build_fail(b, "kernel %s: %s", b->cfg->kernel, strerror(errno));
    if (fseek(f, 0, SEEK_END) < 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
        fclose(f);
        return build_fail(b, "kernel %s: cannot read", b->cfg->kernel);
    }
    buf = malloc(len ? (size_t)len : 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        fclose(f);
        errno = EIO;
        return build_fail(b, "kernel %s: cannot read", b->cfg->kernel);
    }
    fclose(f);
    *data = buf;
    *size = (size_t)len;
    return 0;
}

int build_load_kernel(struct build *b)
{
    struct elf_image img;
    uint8_t *data = NULL;
    size_t size = 0;
    int rc;

    if (read_kernel(b, &data, &size) < 0)
        return -1;
    rc = image_parse(b, &img, data, size);
    if (!rc)
        rc = image_check_placement(b, &img);
    for (unsigned i = 0; !rc && i < img.nsegs; i++)
        rc = load_segment(b, &img, &img.segs[i]);
    free(data);
    return rc;
}
