/*
 * lock-order.c: storage for the debug lock-order check of lock-order.h.
 * Invariant: the stack lists, in order, the locks this thread holds.
 */
#include "umbra/lock-order.h"

static _Thread_local struct lock_held_stack held_stack;

struct lock_held_stack *lock_held_this_thread(void)
{
    return &held_stack;
}
