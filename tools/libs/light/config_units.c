/*
 * config_units.c: memory sizes, as libvirt's XML and xl's command line write
 * them.
 *
 * Two grammars, one result (KiB, rounded up):
 *   - libvirt's scaled integers (virScaleInteger): a separate unit attribute,
 *     powers of 1024 for "k"/"KiB", powers of 1000 for "KB", bytes for "b";
 *   - xl's SIZE: a number with an optional one-letter suffix b/k/m/g/t.
 * Invariant: no overflow goes unreported; every result fits in uint64_t KiB.
 */
#include "libxl_umbra.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Parse an unsigned decimal with no sign, no spaces. Returns 0 or -1. */
static int parse_u64(const char *s, uint64_t *v)
{
    char *end;

    if (!isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    *v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    return 0;
}

/* Power of `base` for a one-letter prefix k/m/g/t/p/e; 0 if unknown. */
static unsigned prefix_power(char c)
{
    const char *order = "kmgtpe";
    const char *p = strchr(order, tolower((unsigned char)c));

    return (c && p) ? (unsigned)(p - order) + 1 : 0;
}

/* bytes = n * base^power, rounded up to KiB into *kib. -1 on overflow. */
static int scale_to_kib(uint64_t n, unsigned base, unsigned power, uint64_t *kib)
{
    unsigned __int128 bytes = n;

    for (unsigned i = 0; i < power; i++) {
        bytes *= base;
        if (bytes >> 74)   /* more than 2^64 KiB */
            return -1;
    }
    bytes = (bytes + 1023) / 1024;
    if (bytes > UINT64_MAX)
        return -1;
    *kib = (uint64_t)bytes;
    return 0;
}

int libxl_parse_scaled_kib(const char *number, const char *unit, uint64_t *kib,
                           char *err, size_t errlen)
{
    uint64_t n;
    unsigned base = 1024, power = 1;

    if (!number || parse_u64(number, &n) < 0) {
        snprintf(err, errlen, "invalid number '%s'", number ? number : "");
        return -1;
    }
    if (unit && *unit) {
        if (!strcasecmp(unit, "b") || !strcasecmp(unit, "byte") ||
            !strcasecmp(unit, "bytes")) {
            power = 0;
        } else {
            power = prefix_power(unit[0]);
            if (!power || !(unit[1] == '\0' || !strcasecmp(unit + 1, "iB") ||
                            !strcasecmp(unit + 1, "B"))) {
                snprintf(err, errlen, "unknown unit '%s'", unit);
                return -1;
            }
            if (!strcasecmp(unit + 1, "B"))
                base = 1000;
        }
    }
    if (scale_to_kib(n, base, power, kib) < 0) {
        snprintf(err, errlen, "size %s %s is too large", number, unit ? unit : "KiB");
        return -1;
    }
    return 0;
}

int64_t libxl_parse_mem_size_kb(const char *size)
{
    const char *end = size;
    char digits[32];
    uint64_t n, kib;
    unsigned power = 1;

    while (isdigit((unsigned char)*end))
        end++;
    if (end == size || (size_t)(end - size) >= sizeof(digits) || strlen(end) > 1)
        return -1;
    memcpy(digits, size, (size_t)(end - size));
    digits[end - size] = '\0';
    if (parse_u64(digits, &n) < 0)
        return -1;
    if (*end) {
        if (tolower((unsigned char)*end) == 'b')
            power = 0;
        else if (!strchr("kmgt", tolower((unsigned char)*end)))
            return -1;
        else
            power = prefix_power(*end);
    }
    if (scale_to_kib(n, 1024, power, &kib) < 0 || kib > INT64_MAX)
        return -1;
    return (int64_t)kib;
}
