/*
 * sv48.c: paging under Sv48 with 4 KiB, 2 MiB, 1 GiB and 512 GiB pages (paging.c).
 */
#include "paging.h"

int main(void)
{
    paging_main(4);
}
