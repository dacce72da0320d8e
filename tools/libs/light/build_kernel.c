/*
 * build_kernel.c: checking and loading the guest's ELF kernel.
 *
 * The whole image is checked before a byte is copied: riscv64, ELF64, EXEC,
 * at least one PT_LOAD, every PT_LOAD inside guest RAM below the special
 * pages at its top, filesz <= memsz, file ranges inside the file, the entry
 * inside a loaded segment. Then each segment is copied to its physical
 * address (p_paddr, which is where the guest runs with its MMU off) through a
 * foreign mapping, and the rest of its memory is zeroed.
 * Invariant: every mapping made here is dropped before returning.
 */
#include "build_priv.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

struct segment { uint64_t paddr, memsz, filesz, offset; };

struct image {
    const uint8_t *data;
    size_t size;
    uint64_t entry;
    unsigned nseg;
    struct segment seg[16];
};

/* Parse the ELF headers into img; 0, or -1 with a reason in b->err. */
static int image_parse(struct build *b, struct image *img)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img->data;
    const char *k = b->cfg->kernel;

    if (img->size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG))
        return build_fail(b, "kernel %s: not an ELF file", k);
    if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return build_fail(b, "kernel %s: not a little-endian ELF64 file", k);
    if (eh->e_machine != EM_RISCV)
        return build_fail(b, "kernel %s: not a riscv64 image (e_machine %u)", k, eh->e_machine);
    if (eh->e_type != ET_EXEC)
        return build_fail(b, "kernel %s: not an executable (e_type %u)", k, eh->e_type);
    if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > img->size ||
        (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > img->size - eh->e_phoff)
        return build_fail(b, "kernel %s: program headers outside the file", k);
    img->entry = eh->e_entry;
    img->nseg = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;

        memcpy(&ph, img->data + eh->e_phoff + i * sizeof(ph), sizeof(ph));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (img->nseg == sizeof(img->seg) / sizeof(img->seg[0]))
            return build_fail(b, "kernel %s: more than 16 loadable segments", k);
        if (ph.p_filesz > ph.p_memsz || ph.p_offset > img->size ||
            ph.p_filesz > img->size - ph.p_offset)
            return build_fail(b, "kernel %s: segment %u lies outside the file", k, i);
        img->seg[img->nseg++] = (struct segment){ ph.p_paddr, ph.p_memsz, ph.p_filesz,
                                                  ph.p_offset };
    }
    if (!img->nseg)
        return build_fail(b, "kernel %s: no loadable segment", k);
    return 0;
}

/* Every segment inside [RAM base, special pages), the entry inside one. */
static int image_check_placement(struct build *b, const struct image *img)
{
    uint64_t lo = b->lay->ram_base_gfn << LIBXL_PAGE_SHIFT;
    uint64_t hi = (b->lay->ram_end_gfn - LIBXL_SPECIAL_PAGES) << LIBXL_PAGE_SHIFT;
    bool entry_ok = false;

    b->lay->kernel_start = UINT64_MAX;
    b->lay->kernel_end = 0;
    for (unsigned i = 0; i < img->nseg; i++) {
        const struct segment *s = &img->seg[i];

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
static int load_segment(struct build *b, const struct image *img, const struct segment *s)
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

/* Read the whole kernel file into a malloc'd buffer. */
static int read_kernel(struct build *b, struct image *img)
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
    img->data = buf;
    img->size = (size_t)len;
    return 0;
}

int build_load_kernel(struct build *b)
{
    struct image img = { 0 };
    int rc;

    if (read_kernel(b, &img) < 0)
        return -1;
    rc = image_parse(b, &img);
    if (!rc)
        rc = image_check_placement(b, &img);
    for (unsigned i = 0; !rc && i < img.nseg; i++)
        rc = load_segment(b, &img, &img.seg[i]);
    free((void *)img.data);
    if (rc && !errno)
        errno = ENOEXEC;
    return rc;
}
