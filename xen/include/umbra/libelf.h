/*
 * libelf.h: a small, strict ELF64 reader for riscv64 images (the bare-metal
 * runner and the domain builder load guest kernels with it).
 *
 * elf_parse() accepts only little-endian ELF64 EXEC files for EM_RISCV whose
 * program headers, and every segment's file bytes, lie inside the buffer.
 * The image keeps pointers into the caller's buffer: keep it alive.
 */
#ifndef UMBRA_LIBELF_H
#define UMBRA_LIBELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 16

#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

struct elf_segment {          /* one PT_LOAD program header */
    uint64_t paddr, vaddr;
    uint64_t filesz, memsz;
    uint64_t offset;          /* in the file */
    uint32_t flags;           /* ELF_PF_* */
};

struct elf_image {
    const uint8_t *data;
    size_t size;
    uint64_t entry;
    unsigned nsegs;
    struct elf_segment segs[ELF_MAX_SEGMENTS];
};

/* Parse `data`. Returns 0, or -EINVAL with a reason in err (if errlen > 0). */
int elf_parse(struct elf_image *img, const void *data, size_t size, char *err, size_t errlen);

/* Look up a symbol in .symtab. Returns 0 and *value, or -ENOENT. */
int elf_find_symbol(const struct elf_image *img, const char *name, uint64_t *value);

#endif
