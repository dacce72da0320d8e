/*
 * true.c: exits at once with code=N (default 0). execbench's exec target.
 */
#include "guest/ulib.h"

int main(int argc, char **argv)
{
    return (int)args_u64(argc, argv, "code", 0);
}
