/*
 * main.c: the CUnit runner for every Umbra suite.
 *
 * Usage: umbra-tests [PREFIX...]  runs the suites whose names start with any
 * PREFIX (all suites when none is given), and ends with CUnit's summary.
 * Exit status: 0 when every assertion passed, 1 otherwise.
 */
#include "umbra_test.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

static struct umbra_suite *suites;

void umbra_register_suite(struct umbra_suite *s)
{
    struct umbra_suite **p = &suites;

    while (*p && strcmp((*p)->name, s->name) < 0)
        p = &(*p)->next;
    s->next = *p;
    *p = s;
}

static int selected(const char *name, int argc, char **argv)
{
    if (argc < 2)
        return 1;
    for (int i = 1; i < argc; i++)
        if (strncmp(name, argv[i], strlen(argv[i])) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned failed;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    for (struct umbra_suite *s = suites; s; s = s->next) {
        CU_pSuite cs;

        if (!selected(s->name, argc, argv))
            continue;
        cs = CU_add_suite(s->name, s->init, s->cleanup);
        if (!cs)
            return 2;
        for (const struct umbra_test *t = s->tests; t->name; t++)
            if (!CU_add_test(cs, t->name, t->fn))
                return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed() +
             CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
