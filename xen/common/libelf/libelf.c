/*
 * libelf.c: strict ELF64 riscv64 parsing (see umbra/libelf.h).
 * Invariant: nothing is read outside [data, data + size); every offset and
 * size from the file is bounds-checked before use, without overflow.
 */
#include "umbra/libelf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define EM_RISCV 243
#define ET_EXEC 2
#define PT_LOAD 1
#define SHT_SYMTAB 2

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* Is [off, off + len) inside a buffer of `size` bytes? */
static int in_file(uint64_t off, uint64_t len, size_t size)
{
    return off <= size && len <= size - off;
}

int elf_parse(struct elf_image *img, const void *data, size_t size, char *err, size_t errlen)
{
    const uint8_t *d = data;
    uint64_t phoff;
    unsigned phentsize, phnum;

    memset(img, 0, sizeof(*img));
    if (size < 64 || memcmp(d, "\177ELF", 4) != 0)
        return fail(err, errlen, "not an ELF file");
    if (d[4] != 2)
        return fail(err, errlen, "not ELF64");
    if (d[5] != 1)
        return fail(err, errlen, "not little-endian");
    if (rd(d + 16, 2) != ET_EXEC)
        return fail(err, errlen, "not an executable (ET_EXEC)");
    if (rd(d + 18, 2) != EM_RISCV)
        return fail(err, errlen, "not a RISC-V file (e_machine %u)", (unsigned)rd(d + 18, 2));
    img->data = d;
    img->size = size;
    img->entry = rd(d + 24, 8);
    phoff = rd(d + 32, 8);
    phentsize = (unsigned)rd(d + 54, 2);
    phnum = (unsigned)rd(d + 56, 2);
    if (phnum && phentsize < 56)
        return fail(err, errlen, "bad program header size %u", phentsize);
    if (!in_file(phoff, (uint64_t)phnum * phentsize, size))
        return fail(err, errlen, "program headers outside the file");
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = d + phoff + (uint64_t)i * phentsize;
        struct elf_segment *s;

        if (rd(ph, 4) != PT_LOAD)
            continue;
        if (img->nsegs == ELF_MAX_SEGMENTS)
            return fail(err, errlen, "more than %d PT_LOAD segments", ELF_MAX_SEGMENTS);
        s = &img->segs[img->nsegs++];
        s->flags = (uint32_t)rd(ph + 4, 4);
        s->offset = rd(ph + 8, 8);
        s->vaddr = rd(ph + 16, 8);
        s->paddr = rd(ph + 24, 8);
        s->filesz = rd(ph + 32, 8);
        s->memsz = rd(ph + 40, 8);
        if (!in_file(s->offset, s->filesz, size))
            return fail(err, errlen, "segment %u outside the file", i);
        if (s->filesz > s->memsz)
            return fail(err, errlen, "segment %u: filesz > memsz", i);
        if (s->paddr + s->memsz < s->paddr)
            return fail(err, errlen, "segment %u wraps the address space", i);
    }
    return 0;
}

int elf_find_symbol(const struct elf_image *img, const char *name, uint64_t *value)
{
    const uint8_t *d = img->data;
    uint64_t shoff = rd(d + 40, 8);
    unsigned shentsize = (unsigned)rd(d + 58, 2), shnum = (unsigned)rd(d + 60, 2);
    size_t nlen = strlen(name);

    if (shentsize < 64 || !in_file(shoff, (uint64_t)shnum * shentsize, img->size))
        return -ENOENT;
    for (unsigned i = 0; i < shnum; i++) {
        const uint8_t *sh = d + shoff + (uint64_t)i * shentsize;
        uint64_t off = rd(sh + 24, 8), sz = rd(sh + 32, 8), ent = rd(sh + 56, 8);
        unsigned link = (unsigned)rd(sh + 40, 4);
        const uint8_t *str;
        uint64_t stroff, strsz;

        if (rd(sh + 4, 4) != SHT_SYMTAB || ent < 24 || !in_file(off, sz, img->size) ||
            link >= shnum)
            continue;
        str = d + shoff + (uint64_t)link * shentsize;
        stroff = rd(str + 24, 8);
        strsz = rd(str + 32, 8);
        if (!in_file(stroff, strsz, img->size))
            continue;
        for (uint64_t k = 0; k + ent <= sz; k += ent) {
            const uint8_t *sym = d + off + k;
            uint64_t n = rd(sym, 4);

            if (n >= strsz || strsz - n <= nlen)
                continue;
            if (memcmp(d + stroff + n, name, nlen + 1) == 0) {
                *value = rd(sym + 8, 8);
                return 0;
            }
        }
    }
    return -ENOENT;
}
