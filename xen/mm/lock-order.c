/*
 * lock-order.c: storage for the debug lock-order check of lock-order.h.
 * Invariant: lock_held_this_thread lists, in order, the locks this thread holds.
 */
#include "umbra/lock-order.h"

_Thread_local struct lock_held_stack lock_held_this_thread;
