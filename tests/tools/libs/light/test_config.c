/*
 * test_config.c: suite tools/libs/light/config: the libvirt XML parser.
 * Valid documents and what they yield; every rejection with its exact
 * "file:line: reason"; kernel path resolution; command-line overrides; JSON.
 * Fixture: a private directory holding k.elf and guest/kernel.elf (any bytes:
 * the parser only resolves the kernel, the builder checks it).
 */
#include "libxl_umbra.h"
#include "umbra_test.h"
#include "ut_proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *dir;
static char xmlpath[PATH_MAX];

static int fixture_up(void)
{
    char p[PATH_MAX + 32];
    FILE *f;

    dir = ut_rundir_create("cfg");
    if (!dir)
        return -1;
    snprintf(xmlpath, sizeof(xmlpath), "%s/t.xml", dir);
    snprintf(p, sizeof(p), "%s/guest", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof(p), "%s/k.elf", dir);
    if (!(f = fopen(p, "w")))
        return -1;
    fclose(f);
    snprintf(p, sizeof(p), "%s/guest/kernel.elf", dir);
    if (!(f = fopen(p, "w")))
        return -1;
    fclose(f);
    return 0;
}

static int fixture_down(void)
{
    ut_rundir_remove(dir);
    free(dir);
    return 0;
}

/* Lines 1-3 are fixed; `body` starts on line 4. */
#define HEAD "<domain type='xen'>\n<name>t</name>\n<os><type>xen</type><kernel>k.elf</kernel></os>\n"
#define MEM "<memory unit='MiB'>16</memory>\n"

static int parse(const char *doc, struct libxl_domain_config *cfg, char *err)
{
    int rc = libxl_config_parse_memory(xmlpath, doc, strlen(doc), cfg, err, LIBXL_ERR_MAX);

    if (getenv("TEST_VERBOSE") && rc)
        fprintf(stderr, "\n  parse: %s\n", err);
    return rc;
}

static void expect_error(const char *doc, int line, const char *reason)
{
    struct libxl_domain_config cfg;
    char err[LIBXL_ERR_MAX] = "", want[LIBXL_ERR_MAX];

    snprintf(want, sizeof(want), "%s:%d: %s", xmlpath, line, reason);
    CU_ASSERT_EQUAL(parse(doc, &cfg, err), -1);
    CU_ASSERT_STRING_EQUAL(err, want);
    if (strcmp(err, want))
        fprintf(stderr, "\n  got:  %s\n  want: %s\n", err, want);
}

static void test_full_document(void)
{
    const char *doc =
        "<domain type='xen'>\n"
        "  <name>guest1</name>\n"
        "  <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>\n"
        "  <memory unit='MiB'>64</memory>\n"
        "  <currentMemory unit='MiB'>48</currentMemory>\n"
        "  <vcpu>2</vcpu>\n"
        "  <os>\n"
        "    <type machine='xenpvh'>xenpvh</type>\n"
        "    <kernel>guest/kernel.elf</kernel>\n"
        "    <cmdline>workload=fork iterations=100</cmdline>\n"
        "  </os>\n"
        "  <features><hap state='off'/></features>\n"
        "  <memoryBacking><nosharepages/></memoryBacking>\n"
        "  <on_poweroff>preserve</on_poweroff>\n"
        "  <on_reboot>destroy</on_reboot>\n"
        "  <on_crash>coredump-destroy</on_crash>\n"
        "  <devices>\n"
        "    <console type='pty'><target type='xen' port='0'/></console>\n"
        "    <memballoon model='xen'/>\n"
        "  </devices>\n"
        "</domain>\n";
    struct libxl_domain_config cfg;
    char err[LIBXL_ERR_MAX] = "", kernel[PATH_MAX + 32];
    static const uint8_t uuid[16] = { 0x4d, 0xea, 0x22, 0xb3, 0x1d, 0x52, 0xd8, 0xf3,
                                      0x25, 0x16, 0x78, 0x2e, 0x98, 0xab, 0x3f, 0xa0 };

    CU_ASSERT_EQUAL_FATAL(parse(doc, &cfg, err), 0);
    CU_ASSERT_STRING_EQUAL(cfg.name, "guest1");
    CU_ASSERT_TRUE(cfg.uuid_given);
    CU_ASSERT_EQUAL(memcmp(cfg.uuid, uuid, 16), 0);
    CU_ASSERT_EQUAL(cfg.max_memkb, 65536);
    CU_ASSERT_EQUAL(cfg.target_memkb, 49152);
    CU_ASSERT_EQUAL(cfg.max_vcpus, 2);
    CU_ASSERT_STRING_EQUAL(cfg.os_type, "xenpvh");
    CU_ASSERT_STRING_EQUAL(cfg.machine, "xenpvh");
    snprintf(kernel, sizeof(kernel), "%s/guest/kernel.elf", dir);
    CU_ASSERT_STRING_EQUAL(cfg.kernel, kernel);
    CU_ASSERT_STRING_EQUAL(cfg.cmdline, "workload=fork iterations=100");
    CU_ASSERT_FALSE(cfg.hap);
    CU_ASSERT_TRUE(cfg.nosharepages);
    CU_ASSERT_TRUE(cfg.console);
    CU_ASSERT_TRUE(cfg.balloon);
    CU_ASSERT_EQUAL(cfg.on_poweroff, LIBXL_ACTION_PRESERVE);
    CU_ASSERT_EQUAL(cfg.on_reboot, LIBXL_ACTION_DESTROY);
    CU_ASSERT_EQUAL(cfg.on_crash, LIBXL_ACTION_COREDUMP_DESTROY);
}

static void test_defaults(void)
{
    struct libxl_domain_config cfg, cfg2;
    char err[LIBXL_ERR_MAX] = "";

    CU_ASSERT_EQUAL_FATAL(parse(HEAD MEM "</domain>", &cfg, err), 0);
    CU_ASSERT_EQUAL(cfg.max_memkb, 16384);
    CU_ASSERT_EQUAL(cfg.target_memkb, 16384);     /* currentMemory defaults to memory */
    CU_ASSERT_EQUAL(cfg.max_vcpus, 1);
    CU_ASSERT_TRUE(cfg.hap);                      /* HAP on by default */
    CU_ASSERT_FALSE(cfg.nosharepages);
    CU_ASSERT_FALSE(cfg.console);
    CU_ASSERT_STRING_EQUAL(cfg.cmdline, "");
    CU_ASSERT_EQUAL(cfg.on_poweroff, LIBXL_ACTION_DESTROY);
    CU_ASSERT_EQUAL(cfg.on_reboot, LIBXL_ACTION_RESTART);
    CU_ASSERT_EQUAL(cfg.on_crash, LIBXL_ACTION_DESTROY);
    CU_ASSERT_FALSE(cfg.uuid_given);
    CU_ASSERT_EQUAL(cfg.uuid[6] >> 4, 4);         /* a random version-4 uuid */
    CU_ASSERT_EQUAL_FATAL(parse(HEAD MEM "</domain>", &cfg2, err), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(cfg.uuid, cfg2.uuid, 16), 0);
    /* <hap/> without state means on; whitespace around values is trimmed. */
    CU_ASSERT_EQUAL_FATAL(parse(HEAD "<memory> 2048 </memory><features><hap/></features>"
                                "<uuid>4dea22b31d52d8f32516782e98ab3fa0</uuid></domain>", &cfg, err), 0);
    CU_ASSERT_TRUE(cfg.hap);
    CU_ASSERT_EQUAL(cfg.max_memkb, 2048);
    CU_ASSERT_EQUAL(cfg.uuid[15], 0xa0);
}

static void test_memory_units(void)
{
    struct { const char *xml; uint64_t kib; } cases[] = {
        { "<memory>16384</memory>", 16384 },
        { "<memory unit='KiB'>16384</memory>", 16384 },
        { "<memory unit='k'>16384</memory>", 16384 },
        { "<memory unit='M'>16</memory>", 16384 },
        { "<memory unit='MiB'>16</memory>", 16384 },
        { "<memory unit='MB'>16</memory>", 15628 },          /* 15625 KiB, whole pages */
        { "<memory unit='G'>1</memory>", 1048576 },
        { "<memory unit='GiB'>1</memory>", 1048576 },
        { "<memory unit='GB'>1</memory>", 976564 },
        { "<memory unit='b'>16777216</memory>", 16384 },
        { "<memory unit='bytes'>16777217</memory>", 16388 },  /* rounded up to a page */
        { "<memory unit='KB'>2048</memory>", 2000 },
        { "<memory unit='T'>1</memory>", 1073741824ULL },
        { "<memory unit='TiB'>1</memory>", 1073741824ULL },
    };

    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct libxl_domain_config cfg;
        char doc[512], err[LIBXL_ERR_MAX] = "";

        snprintf(doc, sizeof(doc), HEAD "%s</domain>", cases[i].xml);
        CU_ASSERT_EQUAL(parse(doc, &cfg, err), 0);
        CU_ASSERT_EQUAL(cfg.max_memkb, cases[i].kib);
        if (cfg.max_memkb != cases[i].kib)
            fprintf(stderr, "\n  %s -> %llu (%s)\n", cases[i].xml,
                    (unsigned long long)cfg.max_memkb, err);
    }
}

static void test_structure_errors(void)
{
    expect_error("<domain type='xen'>\n<name>t</name>\n<memory>16384</oops>\n</domain>", 3,
                 "malformed XML: Opening and ending tag mismatch: memory line 3 and oops");
    expect_error("", 1, "malformed XML: Document is empty");
    expect_error("<vm type='xen'/>", 1, "root element is <vm>, expected <domain>");
    expect_error("<domain>\n</domain>", 1, "<domain> needs type='xen'");
    expect_error("<domain type='kvm'>\n</domain>", 1,
                 "domain type 'kvm' is not supported (use type='xen')");
    expect_error("<domain type='xen' id='3'>\n</domain>", 1, "unknown attribute 'id' on <domain>");
    expect_error(HEAD MEM "<title>x</title>\n</domain>", 5, "unknown element <title> in <domain>");
    expect_error(HEAD MEM "hello\n</domain>", 1, "unexpected text in <domain>");
    expect_error(HEAD MEM "<name>u</name>\n</domain>", 5, "duplicate <name>");
    expect_error("<domain type='xen'>\n" MEM "<os><type>xen</type><kernel>k.elf</kernel></os>\n</domain>",
                 1, "<domain> needs <name>");
    expect_error(HEAD "</domain>", 1, "<domain> needs <memory>");
    expect_error("<domain type='xen'>\n<name>t</name>\n" MEM "</domain>", 1, "<domain> needs <os>");
}

static void test_leaf_errors(void)
{
    expect_error(HEAD MEM "<x:name xmlns:x='urn:x'>u</x:name>\n</domain>", 5,
                 "unknown element <name> in <domain>");
    expect_error("<domain type='xen'>\n<name></name>\n</domain>", 2, "<name> is empty");
    expect_error("<domain type='xen'>\n<name>42</name>\n</domain>", 2,
                 "name '42' is a number; xl would take it for a domain id");
    expect_error("<domain type='xen'>\n<name>a/b</name>\n</domain>", 2,
                 "name 'a/b' contains '/', a space or a control character");
    expect_error("<domain type='xen'>\n<name>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</name>\n</domain>",
                 2, "name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is longer than 63 characters");
    expect_error("<domain type='xen'>\n<name lang='en'>t</name>\n</domain>", 2,
                 "unknown attribute 'lang' on <name>");
    expect_error("<domain type='xen'>\n<name><b>t</b></name>\n</domain>", 2,
                 "unknown element <b> in <name>");
    expect_error(HEAD MEM "<uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa</uuid>\n</domain>", 5,
                 "invalid uuid '4dea22b3-1d52-d8f3-2516-782e98ab3fa'");
    expect_error(HEAD MEM "<uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fzz</uuid>\n</domain>", 5,
                 "invalid uuid '4dea22b3-1d52-d8f3-2516-782e98ab3fzz'");
    expect_error(HEAD "<memory unit='MiBs'>16</memory>\n</domain>", 4,
                 "<memory>: unknown unit 'MiBs'");
    expect_error(HEAD "<memory>sixteen</memory>\n</domain>", 4,
                 "<memory>: invalid number 'sixteen'");
    expect_error(HEAD "<memory>-16</memory>\n</domain>", 4, "<memory>: invalid number '-16'");
    expect_error(HEAD "<memory dumpCore='on'>16</memory>\n</domain>", 4,
                 "unknown attribute 'dumpCore' on <memory>");
    expect_error(HEAD "<memory unit='KiB'>512</memory>\n</domain>", 4,
                 "<memory> is 512 KiB; the minimum is 1024 KiB");
    expect_error(HEAD "<memory unit='TiB'>2</memory>\n</domain>", 4,
                 "<memory> is 2147483648 KiB; the maximum is 1073741824 KiB (1 TiB)");
    expect_error(HEAD MEM "<currentMemory unit='MiB'>32</currentMemory>\n</domain>", 5,
                 "<currentMemory> (32768 KiB) exceeds <memory> (16384 KiB)");
    expect_error(HEAD MEM "<currentMemory unit='parsec'>32</currentMemory>\n</domain>", 5,
                 "<currentMemory>: unknown unit 'parsec'");
    expect_error(HEAD MEM "<vcpu>0</vcpu>\n</domain>", 5, "<vcpu> is 0; it must be between 1 and 128");
    expect_error(HEAD MEM "<vcpu>129</vcpu>\n</domain>", 5, "<vcpu> is 129; it must be between 1 and 128");
    expect_error(HEAD MEM "<vcpu>two</vcpu>\n</domain>", 5, "<vcpu>: invalid number 'two'");
    expect_error(HEAD MEM "<vcpu placement='static'>1</vcpu>\n</domain>", 5,
                 "unknown attribute 'placement' on <vcpu>");
    expect_error(HEAD MEM "<on_poweroff>explode</on_poweroff>\n</domain>", 5,
                 "<on_poweroff> 'explode' is not one of destroy, restart, preserve, "
                 "rename-restart, coredump-destroy, coredump-restart");
    expect_error(HEAD MEM "<on_crash>restart</on_crash><on_crash>destroy</on_crash>\n</domain>", 5,
                 "duplicate <on_crash>");
}

#define DOMNAME "<domain type='xen'>\n<name>t</name>\n" MEM

static void test_os_errors(void)
{
    expect_error(DOMNAME "<os>\n<type>hvm</type>\n</os>\n</domain>", 5,
                 "os type 'hvm' is not supported (use xen, linux or xenpvh)");
    expect_error(DOMNAME "<os>\n<type arch='x86_64'>xen</type>\n</os>\n</domain>", 5,
                 "arch 'x86_64' is not supported; leave arch out (riscv64 is implied)");
    expect_error(DOMNAME "<os>\n<type machine='xenfv'>xen</type>\n</os>\n</domain>", 5,
                 "machine 'xenfv' is not supported (use xenpv or xenpvh)");
    expect_error(DOMNAME "<os>\n<type>xen</type>\n</os>\n</domain>", 4,
                 "<os> needs <kernel> (Umbra boots PV kernels directly)");
    expect_error(DOMNAME "<os>\n<kernel>k.elf</kernel>\n</os>\n</domain>", 4, "<os> needs <type>");
    expect_error(DOMNAME "<os>\n<type>xen</type><initrd>/i</initrd>\n</os>\n</domain>", 5,
                 "unknown element <initrd> in <os>");
    expect_error(DOMNAME "<os>\n<type>xen</type><kernel></kernel>\n</os>\n</domain>", 5,
                 "<kernel> is empty");
    expect_error(DOMNAME "<os firmware='efi'>\n</os>\n</domain>", 4, "unknown attribute 'firmware' on <os>");
}

static void test_feature_device_errors(void)
{
    expect_error(HEAD MEM "<features><hap state='maybe'/></features>\n</domain>", 5,
                 "hap state 'maybe' must be 'on' or 'off'");
    expect_error(HEAD MEM "<features>\n<pae/>\n</features>\n</domain>", 6,
                 "unknown element <pae> in <features>");
    expect_error(HEAD MEM "<features><hap state='on'/><hap/></features>\n</domain>", 5,
                 "duplicate <hap>");
    expect_error(HEAD MEM "<memoryBacking><hugepages/></memoryBacking>\n</domain>", 5,
                 "unknown element <hugepages> in <memoryBacking>");
    expect_error(HEAD MEM "<memoryBacking><nosharepages>x</nosharepages></memoryBacking>\n</domain>",
                 5, "unexpected text in <nosharepages>");
    expect_error(HEAD MEM "<devices>\n<disk/>\n</devices>\n</domain>", 6,
                 "unknown element <disk> in <devices>");
    expect_error(HEAD MEM "<devices><console type='file'/></devices>\n</domain>", 5,
                 "console type 'file' is not supported (use 'pty')");
    expect_error(HEAD MEM "<devices><console><target type='serial'/></console></devices>\n</domain>", 5,
                 "console target type 'serial' is not supported (use 'xen')");
    expect_error(HEAD MEM "<devices><console><target port='1'/></console></devices>\n</domain>", 5,
                 "console port '1' is not supported (Umbra has one console, port 0)");
    expect_error(HEAD MEM "<devices><console><source path='/x'/></console></devices>\n</domain>", 5,
                 "unknown element <source> in <console>");
    expect_error(HEAD MEM "<devices><memballoon model='virtio'/></devices>\n</domain>", 5,
                 "memballoon model 'virtio' is not supported (use 'xen' or 'none')");
    expect_error(HEAD MEM "<devices><memballoon/></devices>\n</domain>", 5,
                 "<memballoon> needs model='xen' or model='none'");
    expect_error(HEAD MEM "<devices><memballoon model='xen' autodeflate='on'/></devices>\n</domain>", 5,
                 "unknown attribute 'autodeflate' on <memballoon>");
}

static void test_kernel_resolution(void)
{
    struct libxl_domain_config cfg;
    char err[LIBXL_ERR_MAX] = "", want[PATH_MAX * 2], doc[PATH_MAX * 2];
    const char *saved = getenv("UMBRA_BUILD");
    char *saved_copy = saved ? strdup(saved) : NULL;

    /* Absolute and existing. */
    snprintf(doc, sizeof(doc), DOMNAME "<os><type>xen</type><kernel>%s/k.elf</kernel></os></domain>", dir);
    CU_ASSERT_EQUAL(parse(doc, &cfg, err), 0);
    snprintf(want, sizeof(want), "%s/k.elf", dir);
    CU_ASSERT_STRING_EQUAL(cfg.kernel, want);
    /* Absolute, missing. */
    expect_error(DOMNAME "<os>\n<type>xen</type><kernel>/nonexistent/k.elf</kernel>\n</os>\n</domain>", 5,
                 "kernel '/nonexistent/k.elf' not found");
    /* The install dir falls back to $UMBRA_BUILD. */
    setenv("UMBRA_BUILD", dir, 1);
    CU_ASSERT_EQUAL(parse(DOMNAME "<os><type>xen</type><kernel>/usr/lib/umbra/guest/kernel.elf</kernel>"
                          "</os></domain>", &cfg, err), 0);
    snprintf(want, sizeof(want), "%s/guest/kernel.elf", dir);
    CU_ASSERT_STRING_EQUAL(cfg.kernel, want);
    /* Relative: the config's directory first, then $UMBRA_BUILD. */
    CU_ASSERT_EQUAL(parse(DOMNAME "<os><type>xen</type><kernel>guest/kernel.elf</kernel></os></domain>",
                          &cfg, err), 0);
    CU_ASSERT_STRING_EQUAL(cfg.kernel, want);
    snprintf(want, sizeof(want), "%s/t.xml:5: kernel 'nope.elf' not found (looked in %s and %s)",
             dir, dir, dir);
    CU_ASSERT_EQUAL(parse(DOMNAME "<os>\n<type>xen</type><kernel>nope.elf</kernel>\n</os>\n</domain>",
                          &cfg, err), -1);
    CU_ASSERT_STRING_EQUAL(err, want);
    unsetenv("UMBRA_BUILD");
    expect_error(DOMNAME "<os>\n<type>xen</type><kernel>/usr/lib/umbra/nope.elf</kernel>\n</os>\n</domain>",
                 5, "kernel '/usr/lib/umbra/nope.elf' not found (nor $UMBRA_BUILD, which is not set,/nope.elf)");
    if (saved_copy)
        setenv("UMBRA_BUILD", saved_copy, 1);
    free(saved_copy);
}

static void test_file_errors(void)
{
    struct libxl_domain_config cfg;
    char err[LIBXL_ERR_MAX] = "";

    CU_ASSERT_EQUAL(libxl_config_parse_file("/nonexistent.xml", &cfg, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "/nonexistent.xml:0: cannot open: No such file or directory");
}

static void test_overrides(void)
{
    struct libxl_domain_config cfg, before;
    char err[LIBXL_ERR_MAX] = "";

    CU_ASSERT_EQUAL_FATAL(parse(HEAD MEM "</domain>", &cfg, err), 0);
    CU_ASSERT_EQUAL(libxl_config_override(&cfg, "memory=32", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(cfg.target_memkb, 32768);
    CU_ASSERT_EQUAL(cfg.max_memkb, 32768);      /* raised to fit */
    CU_ASSERT_EQUAL(libxl_config_override(&cfg, "memory=8192k", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(cfg.target_memkb, 8192);
    CU_ASSERT_EQUAL(cfg.max_memkb, 32768);
    CU_ASSERT_EQUAL(libxl_config_override(&cfg, "name=other", err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(cfg.name, "other");
    CU_ASSERT_EQUAL(libxl_config_override(&cfg, "hap=0", err, sizeof(err)), 0);
    CU_ASSERT_FALSE(cfg.hap);
    CU_ASSERT_FALSE(cfg.nosuperpages);            /* 2 MiB p2m pages by default */
    CU_ASSERT_EQUAL(libxl_config_override(&cfg, "superpages=0", err, sizeof(err)), 0);
    CU_ASSERT_TRUE(cfg.nosuperpages);
    CU_ASSERT_EQUAL(libxl_config_override(&cfg, "superpages=on", err, sizeof(err)), 0);
    CU_ASSERT_FALSE(cfg.nosuperpages);
    CU_ASSERT_EQUAL(libxl_config_override(&cfg, "superpages=off", err, sizeof(err)), 0);
    CU_ASSERT_TRUE(cfg.nosuperpages);
    CU_ASSERT_EQUAL(libxl_config_override(&cfg, "cmdline=a b=c", err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(cfg.cmdline, "a b=c");
    CU_ASSERT_EQUAL(libxl_config_override(&cfg, "on_crash=preserve", err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(cfg.on_crash, LIBXL_ACTION_PRESERVE);
    before = cfg;
    CU_ASSERT_EQUAL(libxl_config_override(&cfg, "colour=blue", err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "override 'colour=blue': unknown key");
    CU_ASSERT_EQUAL(libxl_config_override(&cfg, "memory", err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "override 'memory': expected key=value");
    CU_ASSERT_EQUAL(libxl_config_override(&cfg, "maxmem=4", err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "override 'maxmem=4': maxmem is below the current memory");
    CU_ASSERT_EQUAL(libxl_config_override(&cfg, "vcpus=0", err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(libxl_config_override(&cfg, "superpages=2", err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "override 'superpages=2': superpages must be 1/on or 0/off");
    CU_ASSERT_EQUAL(memcmp(&cfg, &before, sizeof(cfg)), 0);   /* untouched on error */
}

static void test_json(void)
{
    struct libxl_domain_config cfg;
    char err[LIBXL_ERR_MAX] = "";
    char *j;

    CU_ASSERT_EQUAL_FATAL(parse(HEAD MEM "<uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid></domain>",
                                &cfg, err), 0);
    snprintf(cfg.cmdline, sizeof(cfg.cmdline), "say \"hi\"\\");
    j = libxl_config_to_json(&cfg, 3);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "    \"c_info\": {\n        \"type\": \"pv\",\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"name\": \"t\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"uuid\": \"4dea22b3-1d52-d8f3-2516-782e98ab3fa0\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"max_memkb\": 16384,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"target_memkb\": 16384,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"cmdline\": \"say \\\"hi\\\"\\\\\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"on_poweroff\": \"destroy\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"on_reboot\": \"restart\""));
    CU_ASSERT_EQUAL(j[strlen(j) - 1], '}');
    free(j);
}

/* Mutated documents: never a crash, always 0 or one "file:line: reason" message. */
static void test_mutations_are_reported(void)
{
    const char *base =
        "<domain type='xen'>\n<name>m</name>\n<memory unit='MiB'>16</memory>\n"
        "<os><type>xen</type><kernel>k.elf</kernel><cmdline>a=b</cmdline></os>\n"
        "<features><hap state='off'/></features>\n<on_crash>preserve</on_crash>\n"
        "<devices><console type='pty'><target type='xen' port='0'/></console></devices>\n"
        "</domain>\n";
    static const char junk[] = "<>/='\"&;x0 \n\xff";
    size_t len = strlen(base), plen = strlen(xmlpath);
    unsigned seed = 12345, ok = 0, bad = 0;
    char doc[1024];

    for (int i = 0; i < 3000; i++) {
        struct libxl_domain_config cfg;
        char err[LIBXL_ERR_MAX] = "";
        size_t n = len;

        memcpy(doc, base, len + 1);
        for (int k = 0; k < 1 + i % 3 && n > 0; k++) {
            size_t at;

            seed = seed * 1103515245u + 12345u;
            at = (seed >> 8) % n;
            seed = seed * 1103515245u + 12345u;
            switch ((seed >> 8) % 3) {
            case 0: doc[at] = junk[(seed >> 16) % (sizeof(junk) - 1)]; break;   /* replace */
            case 1: memmove(doc + at, doc + at + 1, n - at); n--; break;          /* delete */
            default: n = at; doc[n] = '\0'; break;                                  /* truncate */
            }
        }
        if (libxl_config_parse_memory(xmlpath, doc, n, &cfg, err, sizeof(err)) == 0) {
            ok++;
            continue;
        }
        bad++;
        CU_ASSERT(strncmp(err, xmlpath, plen) == 0 && err[plen] == ':' && strstr(err + plen + 1, ": "));
        CU_ASSERT_PTR_NULL(strchr(err, '\n'));
        if (getenv("TEST_VERBOSE") && (strchr(err, '\n') || strncmp(err, xmlpath, plen)))
            fprintf(stderr, "\n  [%s]\n", err);
    }
    CU_ASSERT(bad > 2000);
    CU_ASSERT(ok > 0);
}

UMBRA_SUITE(config, "tools/libs/light/config", fixture_up, fixture_down,
            UMBRA_TEST(test_full_document), UMBRA_TEST(test_defaults),
            UMBRA_TEST(test_memory_units), UMBRA_TEST(test_structure_errors),
            UMBRA_TEST(test_leaf_errors), UMBRA_TEST(test_os_errors),
            UMBRA_TEST(test_feature_device_errors), UMBRA_TEST(test_kernel_resolution),
            UMBRA_TEST(test_file_errors), UMBRA_TEST(test_overrides), UMBRA_TEST(test_json),
            UMBRA_TEST(test_mutations_are_reported))
