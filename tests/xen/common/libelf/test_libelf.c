/*
 * test_libelf.c: the strict ELF reader: a well-formed riscv64 image built in
 * memory parses (entry, PT_LOAD fields, symbols); every malformed variant is
 * rejected with a reason.
 */
#include <errno.h>
#include <string.h>

#include "umbra/libelf.h"
#include "umbra_test.h"

static uint8_t img[1024];

static void put(unsigned off, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        img[off + i] = (uint8_t)(v >> (8 * i));
}

/* ELF header at 0, one PT_LOAD phdr at 64, section headers at 512:
 * [0] null, [1] .symtab at 256 (2 symbols), [2] .strtab at 320. */
static void build(void)
{
    memset(img, 0, sizeof(img));
    memcpy(img, "\177ELF", 4);
    img[4] = 2;
    img[5] = 1;
    img[6] = 1;
    put(16, 2, 2);            /* ET_EXEC */
    put(18, 243, 2);          /* EM_RISCV */
    put(24, 0x80000000, 8);   /* entry */
    put(32, 64, 8);           /* phoff */
    put(40, 512, 8);          /* shoff */
    put(54, 56, 2);
    put(56, 1, 2);
    put(58, 64, 2);
    put(60, 3, 2);
    put(64, 1, 4);            /* PT_LOAD */
    put(68, 5, 4);            /* R X */
    put(72, 128, 8);          /* offset */
    put(80, 0x80000000, 8);
    put(88, 0x80000000, 8);
    put(96, 16, 8);           /* filesz */
    put(104, 4096, 8);        /* memsz */
    put(256 + 24 + 0, 1, 4);  /* symbol 1: name "tohost" at strtab+1 */
    put(256 + 24 + 8, 0x80001000, 8);
    memcpy(img + 320, "\0tohost\0", 8);
    put(512 + 64 + 4, 2, 4);  /* SHT_SYMTAB */
    put(512 + 64 + 24, 256, 8);
    put(512 + 64 + 32, 48, 8);
    put(512 + 64 + 40, 2, 4); /* link -> strtab */
    put(512 + 64 + 56, 24, 8);
    put(512 + 128 + 4, 3, 4); /* SHT_STRTAB */
    put(512 + 128 + 24, 320, 8);
    put(512 + 128 + 32, 8, 8);
}

static void test_parse_good(void)
{
    struct elf_image e;
    char err[64];
    uint64_t v;

    build();
    CU_ASSERT_EQUAL(elf_parse(&e, img, sizeof(img), err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(e.entry, 0x80000000);
    CU_ASSERT_EQUAL(e.nsegs, 1);
    CU_ASSERT_EQUAL(e.segs[0].paddr, 0x80000000);
    CU_ASSERT_EQUAL(e.segs[0].filesz, 16);
    CU_ASSERT_EQUAL(e.segs[0].memsz, 4096);
    CU_ASSERT_EQUAL(e.segs[0].offset, 128);
    CU_ASSERT_EQUAL(e.segs[0].flags, ELF_PF_R | ELF_PF_X);
    CU_ASSERT_EQUAL(elf_find_symbol(&e, "tohost", &v), 0);
    CU_ASSERT_EQUAL(v, 0x80001000);
    CU_ASSERT_EQUAL(elf_find_symbol(&e, "fromhost", &v), -ENOENT);
    CU_ASSERT_EQUAL(elf_find_symbol(&e, "tohos", &v), -ENOENT);
}

static void expect_bad(const char *what)
{
    struct elf_image e;
    char err[64] = "";

    CU_ASSERT_EQUAL(elf_parse(&e, img, sizeof(img), err, sizeof(err)), -EINVAL);
    CU_ASSERT(strstr(err, what) != NULL);
}

static void test_parse_bad(void)
{
    struct elf_image e;

    build(); img[1] = 'X'; expect_bad("not an ELF");
    build(); img[4] = 1; expect_bad("ELF64");
    build(); img[5] = 2; expect_bad("little-endian");
    build(); put(16, 3, 2); expect_bad("ET_EXEC");
    build(); put(18, 62, 2); expect_bad("RISC-V");
    build(); put(32, 1000, 8); expect_bad("program headers outside");
    build(); put(72, 1020, 8); expect_bad("outside the file");
    build(); put(96, 8192, 8); expect_bad("outside the file");
    build(); put(104, 8, 8); expect_bad("filesz > memsz");
    build(); put(54, 20, 2); expect_bad("program header size");
    build();
    CU_ASSERT_EQUAL(elf_parse(&e, img, 10, NULL, 0), -EINVAL);
}

UMBRA_SUITE(libelf, "xen/common/libelf", NULL, NULL,
            UMBRA_TEST(test_parse_good), UMBRA_TEST(test_parse_bad))
