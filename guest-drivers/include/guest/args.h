/*
 * args.h: `key=value` parameters, as the kernel command line and every user
 * program's argv carry them (e.g. `workload=randmem size=64M iters=1000000`).
 * Invariant: parsing never modifies the strings it reads.
 */
#ifndef GUEST_ARGS_H
#define GUEST_ARGS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Parses a number: decimal or 0x-hex, with an optional suffix K, M, G
 * (binary multiples, either case) or k/m/g. Returns false on any junk.
 */
bool args_parse_u64(const char *s, uint64_t *out);

/* The value of the last `key=...` among argv[0..argc), or NULL. */
const char *args_find(int argc, char *const argv[], const char *key);

/* The numeric value of `key`, or `def` when it is absent or malformed. */
uint64_t args_u64(int argc, char *const argv[], const char *key, uint64_t def);

/* The string value of `key`, or `def`. */
const char *args_str(int argc, char *const argv[], const char *key, const char *def);

/* True for "1", "on", "yes", "true"; false for "0", "off", "no", "false"; else def. */
bool args_bool(int argc, char *const argv[], const char *key, bool def);

#endif
