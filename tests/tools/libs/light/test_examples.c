/*
 * test_examples.c: suite tools/libs/light/examples: every config in examples/
 * validates against libvirt's own schema (xmllint --relaxng domain.rng, from
 * Debian's libvirt0) and parses with Umbra's parser.
 * The source tree is the parent of $UMBRA_BUILD (else the current directory).
 */
#include "libxl_umbra.h"
#include "umbra_test.h"
#include "ut_proc.h"

#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SCHEMA "/usr/share/libvirt/schemas/domain.rng"

static char examples[PATH_MAX];

static int find_examples(void)
{
    const char *b = getenv("UMBRA_BUILD");
    char tmp[PATH_MAX];

    if (b && *b) {
        snprintf(tmp, sizeof(tmp), "%s", b);
        snprintf(examples, sizeof(examples), "%s/examples", dirname(tmp));
    } else {
        snprintf(examples, sizeof(examples), "examples");
    }
    return 0;
}

/* Call fn on every .xml file in examples; returns how many there were. */
static int each_example(void (*fn)(const char *path))
{
    DIR *d = opendir(examples);
    struct dirent *e;
    int n = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    while ((e = readdir(d))) {
        char path[PATH_MAX + 256];
        size_t l = strlen(e->d_name);

        if (l < 5 || strcmp(e->d_name + l - 4, ".xml"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", examples, e->d_name);
        fn(path);
        n++;
    }
    closedir(d);
    return n;
}

static void validate_one(const char *path)
{
    char cmd[PATH_MAX * 2], *out = NULL;
    int rc;

    snprintf(cmd, sizeof(cmd), "xmllint --noout --relaxng %s '%s'", SCHEMA, path);
    rc = ut_run(cmd, &out);
    CU_ASSERT_EQUAL(rc, 0);
    if (rc != 0)
        fprintf(stderr, "\n  %s\n", out ? out : "");
    free(out);
}

static void test_examples_validate(void)
{
    struct stat sb;

    CU_ASSERT_EQUAL_FATAL(stat(SCHEMA, &sb), 0);
    CU_ASSERT(each_example(validate_one) >= 2);
}

static void parse_one(const char *path)
{
    struct libxl_domain_config cfg;
    char err[LIBXL_ERR_MAX] = "";
    int rc = libxl_config_parse_file(path, &cfg, err, sizeof(err));

    CU_ASSERT_EQUAL(rc, 0);
    if (rc)
        fprintf(stderr, "\n  %s\n", err);
}

/* The examples name /usr/lib/umbra/guest/kernel.elf; give them one. */
static void test_examples_parse(void)
{
    char *dir = ut_rundir_create("examples");
    const char *saved = getenv("UMBRA_BUILD");
    char *saved_copy = saved ? strdup(saved) : NULL;
    char p[PATH_MAX + 32];
    FILE *f;
    struct libxl_domain_config cfg;
    char err[LIBXL_ERR_MAX], path[PATH_MAX + 32];

    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    snprintf(p, sizeof(p), "%s/guest", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof(p), "%s/guest/kernel.elf", dir);
    f = fopen(p, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fclose(f);
    setenv("UMBRA_BUILD", dir, 1);
    CU_ASSERT(each_example(parse_one) >= 2);
    /* hello.xml is HAP, hello-shadow.xml is not. */
    snprintf(path, sizeof(path), "%s/hello.xml", examples);
    CU_ASSERT_EQUAL_FATAL(libxl_config_parse_file(path, &cfg, err, sizeof(err)), 0);
    CU_ASSERT_TRUE(cfg.hap);
    CU_ASSERT_STRING_EQUAL(cfg.kernel, p);
    snprintf(path, sizeof(path), "%s/hello-shadow.xml", examples);
    CU_ASSERT_EQUAL_FATAL(libxl_config_parse_file(path, &cfg, err, sizeof(err)), 0);
    CU_ASSERT_FALSE(cfg.hap);
    if (saved_copy)
        setenv("UMBRA_BUILD", saved_copy, 1);
    else
        unsetenv("UMBRA_BUILD");
    free(saved_copy);
    ut_rundir_remove(dir);
    free(dir);
}

UMBRA_SUITE(examples, "tools/libs/light/examples", find_examples, NULL,
            UMBRA_TEST(test_examples_validate), UMBRA_TEST(test_examples_parse))
