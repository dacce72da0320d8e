/*
 * fail.c: a program that fails on purpose, so the suite can check how the
 * runner reports a failure: a console line through HTIF, then code 42.
 */
#include "rt.h"

int main(void)
{
    rt_puts("failing on purpose: code 42\n");
    return 42;
}
