/*
 * hext48.c: the H-extension program (hext.c) with vsatp Sv48 over hgatp Sv48x4.
 */
#include "hext.h"

int main(void)
{
    hext_main(4);
}
