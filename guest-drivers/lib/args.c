/*
 * args.c: `key=value` parameter lookup and number parsing (see args.h).
 */
#include "guest/args.h"
#include "guest/string.h"

bool args_parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    unsigned base = 10;
    int digits = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    for (;; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            break;
        v = v * base + d;
        digits++;
    }
    if (digits == 0)
        return false;
    switch (*s) {
    case 'k': case 'K': v <<= 10; s++; break;
    case 'm': case 'M': v <<= 20; s++; break;
    case 'g': case 'G': v <<= 30; s++; break;
    default: break;
    }
    if (*s == 'i' && s[1] == 'B')      /* accept KiB/MiB/GiB too */
        s += 2;
    else if (*s == 'B')
        s++;
    if (*s != '\0')
        return false;
    *out = v;
    return true;
}

const char *args_find(int argc, char *const argv[], const char *key)
{
    size_t klen = strlen(key);
    const char *found = NULL;

    for (int i = 0; i < argc; i++)
        if (strncmp(argv[i], key, klen) == 0 && argv[i][klen] == '=')
            found = argv[i] + klen + 1;
    return found;
}

uint64_t args_u64(int argc, char *const argv[], const char *key, uint64_t def)
{
    const char *v = args_find(argc, argv, key);
    uint64_t n;

    if (v && args_parse_u64(v, &n))
        return n;
    return def;
}

const char *args_str(int argc, char *const argv[], const char *key, const char *def)
{
    const char *v = args_find(argc, argv, key);

    return v ? v : def;
}

bool args_bool(int argc, char *const argv[], const char *key, bool def)
{
    const char *v = args_find(argc, argv, key);

    if (!v)
        return def;
    if (!strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true"))
        return true;
    if (!strcmp(v, "0") || !strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false"))
        return false;
    return def;
}
