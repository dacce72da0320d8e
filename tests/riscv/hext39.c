/*
 * hext39.c: the H-extension program (hext.c) with vsatp Sv39 over hgatp Sv39x4.
 */
#include "hext.h"

int main(void)
{
    hext_main(3);
}
