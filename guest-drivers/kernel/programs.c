/*
 * programs.c: lookup in the table of built-in user programs. The table is
 * an array of {name, start, end} records the generated userprogs.S emits into
 * .rodata.progtab, delimited by the linker script's _progtab_start/_end.
 */
#include "kernel.h"
#include "programs.h"

extern const struct program _progtab_start[], _progtab_end[];

const struct program *program_at(int i)
{
    if (i < 0 || i >= _progtab_end - _progtab_start)
        return NULL;
    return &_progtab_start[i];
}

const struct program *program_find(const char *name)
{
    for (const struct program *p = _progtab_start; p < _progtab_end; p++)
        if (!strcmp(p->name, name))
            return p;
    return NULL;
}
