/*
 * programs.h: the user programs built into the kernel image (ELF files
 * linked in by the generated userprogs.S; see module.mk).
 */
#ifndef KERNEL_PROGRAMS_H
#define KERNEL_PROGRAMS_H

#include <stdint.h>

struct program {
    const char *name;
    const uint8_t *start;
    const uint8_t *end;
};

/* The program called name, or NULL. */
const struct program *program_find(const char *name);
/* The i-th program (0-based), or NULL past the last. */
const struct program *program_at(int i);

#endif
