/*
 * umbra_test.h: self-registering CUnit suites.
 *
 * Every test file declares its suite with UMBRA_SUITE(); a constructor adds it
 * to one list, and tests/harness/main.c runs the suites in name order. Suite
 * names follow the file's place in the tree (e.g. "xen/arch/riscv/mmu").
 * Invariant: no central list of suites to edit; adding a file adds its suite.
 */
#ifndef UMBRA_TEST_H
#define UMBRA_TEST_H

#include <CUnit/CUnit.h>
#include <stddef.h>

struct umbra_test {
    const char *name;
    void (*fn)(void);
};

struct umbra_suite {
    const char *name;
    int (*init)(void);
    int (*cleanup)(void);
    const struct umbra_test *tests;
    struct umbra_suite *next;
};

void umbra_register_suite(struct umbra_suite *s);

#define UMBRA_TEST(fn) { #fn, fn }

/* UMBRA_SUITE(ident, "path/name", init, cleanup, UMBRA_TEST(a), UMBRA_TEST(b)...) */
#define UMBRA_SUITE(ident, sname, init_fn, cleanup_fn, ...)                       \
    static const struct umbra_test ident##_tests[] = { __VA_ARGS__, { NULL, NULL } }; \
    static struct umbra_suite ident##_suite = { sname, init_fn, cleanup_fn,         \
                                                ident##_tests, NULL };             \
    __attribute__((constructor)) static void ident##_register(void)                 \
    {                                                                               \
        umbra_register_suite(&ident##_suite);                                       \
    }

#endif
