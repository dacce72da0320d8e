/*
 * sv39.c: paging under Sv39 with 4 KiB, 2 MiB and 1 GiB pages (paging.c).
 */
#include "paging.h"

int main(void)
{
    paging_main(3);
}
