/*
 * rvsim.c: the bare-metal runner. Loads a riscv64 ELF into machine memory
 * (RAM at 0x80000000), starts the hart in M-mode at the entry point and runs
 * until the program writes `tohost` (HTIF, device 0 command 0: 1 = pass,
 * other odd values fail with code value >> 1, even values point to a
 * syscall-proxy block (write/exit); device 1 command 1 prints a character)
 * or until the budget runs out. Prints
 * the counters on stderr when it stops.
 *
 * Exit status: 0 pass; the HTIF code (>> 1, at most 255) on failure; 124 when
 * the budget ran out; 125 on a hang (WFI with no wake-up); 2 on usage/load
 * errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "riscv/hart.h"
#include "umbra/libelf.h"

#define RAM_BASE 0x80000000ULL

struct opts {
    uint64_t mem_mib, budget;
    struct hart_config cfg;
    bool quiet, json;
    const char *file;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rvsim [options] program.elf\n"
            "  -m MiB            RAM size (default 256)\n"
            "  -b N              instruction budget (default 10^12)\n"
            "  --tlb-sets N      TLB sets (default 64)\n"
            "  --tlb-ways N      TLB ways (default 4)\n"
            "  --pwc N           page-walk cache entries per stage (default 0 = off)\n"
            "  --ntlb N          nested TLB entries (default 0 = off)\n"
            "  -q                do not print counters\n"
            "  --stats-json      print counters as JSON on stderr\n"
            "  -h                this help\n");
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option lo[] = {
        { "tlb-sets", required_argument, NULL, 1 }, { "tlb-ways", required_argument, NULL, 2 },
        { "pwc", required_argument, NULL, 3 },      { "ntlb", required_argument, NULL, 4 },
        { "stats-json", no_argument, NULL, 5 },     { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c;

    memset(o, 0, sizeof(*o));
    o->mem_mib = 256;
    o->budget = 1000000000000ULL;
    while ((c = getopt_long(argc, argv, "m:b:qh", lo, NULL)) != -1) {
        switch (c) {
        case 'm': o->mem_mib = strtoull(optarg, NULL, 0); break;
        case 'b': o->budget = strtoull(optarg, NULL, 0); break;
        case 'q': o->quiet = true; break;
        case 1: o->cfg.tlb_sets = (unsigned)strtoul(optarg, NULL, 0); break;
        case 2: o->cfg.tlb_ways = (unsigned)strtoul(optarg, NULL, 0); break;
        case 3: o->cfg.pwc_entries = (unsigned)strtoul(optarg, NULL, 0); break;
        case 4: o->cfg.ntlb_entries = (unsigned)strtoul(optarg, NULL, 0); break;
        case 5: o->json = true; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if (optind != argc - 1 || o->mem_mib == 0 || o->mem_mib > 65536) {
        usage(stderr);
        return -1;
    }
    o->file = argv[optind];
    return 0;
}

/* Load the PT_LOAD segments at their physical addresses. */
static int load_elf(const char *path, uint8_t *mem, uint64_t size, struct elf_image *img,
                    void **filebuf)
{
    struct stat st;
    char err[128];
    int fd = open(path, O_RDONLY);
    void *buf;

    if (fd < 0 || fstat(fd, &st) < 0) {
        fprintf(stderr, "rvsim: %s: %s\n", path, strerror(errno));
        return -1;
    }
    buf = malloc((size_t)st.st_size + 1);
    if (!buf || read(fd, buf, (size_t)st.st_size) != st.st_size) {
        fprintf(stderr, "rvsim: %s: read failed\n", path);
        close(fd);
        free(buf);
        return -1;
    }
    close(fd);
    if (elf_parse(img, buf, (size_t)st.st_size, err, sizeof(err))) {
        fprintf(stderr, "rvsim: %s: %s\n", path, err);
        free(buf);
        return -1;
    }
    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct elf_segment *s = &img->segs[i];

        if (s->memsz == 0)
            continue;
        if (s->paddr < RAM_BASE || s->paddr - RAM_BASE > size ||
            s->memsz > size - (s->paddr - RAM_BASE)) {
            fprintf(stderr, "rvsim: %s: segment at 0x%" PRIx64 " is outside RAM\n", path,
                    s->paddr);
            free(buf);
            return -1;
        }
        memcpy(mem + (s->paddr - RAM_BASE), (const uint8_t *)buf + s->offset, s->filesz);
    }
    *filebuf = buf;
    return 0;
}

static void print_counters(const struct hart *h, double secs, bool json)
{
    const struct hart_counters *c = hart_counters(h);
    double mips = secs > 0 ? c->instret / secs / 1e6 : 0;

    if (json) {
        fprintf(stderr,
                "{\"instret\":%" PRIu64 ",\"tlb_hits\":%" PRIu64 ",\"tlb_misses\":%" PRIu64
                ",\"walk_refs_s\":%" PRIu64 ",\"walk_refs_vs\":%" PRIu64 ",\"walk_refs_g\":%" PRIu64
                ",\"page_faults\":%" PRIu64 ",\"exits\":%" PRIu64 ",\"cycles\":%" PRIu64
                ",\"seconds\":%.6f,\"mips\":%.1f}\n",
                c->instret, c->tlb_hits, c->tlb_misses, c->walk_refs_s, c->walk_refs_vs,
                c->walk_refs_g, c->page_faults, c->exits, hart_modeled_cycles(h), secs, mips);
        return;
    }
    fprintf(stderr,
            "rvsim: instret %" PRIu64 "  tlb hits %" PRIu64 "  misses %" PRIu64
            "  walk refs s/vs/g %" PRIu64 "/%" PRIu64 "/%" PRIu64 "  page faults %" PRIu64
            "\nrvsim: modeled cycles %" PRIu64 "  host time %.3f s  %.1f MIPS\n",
            c->instret, c->tlb_hits, c->tlb_misses, c->walk_refs_s, c->walk_refs_vs,
            c->walk_refs_g, c->page_faults, hart_modeled_cycles(h), secs, mips);
}

static uint8_t *host_ptr(uint8_t *mem, uint64_t size, uint64_t pa, uint64_t len)
{
    if (pa < RAM_BASE || pa - RAM_BASE > size || len > size - (pa - RAM_BASE))
        return NULL;
    return mem + (pa - RAM_BASE);
}

/*
 * An even tohost value: an HTIF device command. Device 1 cmd 1 prints a
 * character; device 0 cmd 0 is the syscall proxy (magic_mem: write, exit).
 * Returns -1 to keep running, or an exit status.
 */
static int htif_command(struct hart *h, uint8_t *mem, uint64_t size, uint64_t tohost,
                        uint64_t fromhost, uint64_t v)
{
    unsigned dev = (unsigned)(v >> 56), cmd = (unsigned)((v >> 48) & 0xff);
    uint64_t payload = v & 0xffffffffffffULL, ack = 1;
    uint8_t *tp = host_ptr(mem, size, tohost, 8), *fp = fromhost ? host_ptr(mem, size, fromhost, 8) : NULL;

    if (dev == 1 && cmd == 1) {
        fputc((int)(payload & 0xff), stdout);
        fflush(stdout);
        ack = (1ULL << 56) | (1ULL << 48);
    } else if (dev == 0 && cmd == 0) {
        uint64_t *mm = (uint64_t *)host_ptr(mem, size, payload, 64);

        if (!mm)
            return 3;
        if (mm[0] == 93)        /* exit */
            return (int)(mm[1] & 0xff);
        if (mm[0] == 64) {      /* write(fd, buf, len) */
            uint8_t *b = host_ptr(mem, size, mm[2], mm[3]);

            mm[0] = b ? (uint64_t)fwrite(b, 1, mm[3], mm[1] == 2 ? stderr : stdout) : (uint64_t)-1;
            fflush(stdout);
        } else {
            mm[0] = (uint64_t)-38;   /* -ENOSYS */
        }
    }
    memset(tp, 0, 8);
    if (fp)
        memcpy(fp, &ack, 8);
    hart_code_written(h, tohost, 8);
    return -1;
}

int main(int argc, char **argv)
{
    struct opts o;
    struct elf_image img;
    struct hart *h;
    struct hart_exit ex;
    uint64_t size, tohost = 0, fromhost = 0;
    uint8_t *mem;
    void *filebuf = NULL;
    struct timespec t0, t1;
    int status = 124;

    if (parse_args(argc, argv, &o))
        return 2;
    size = o.mem_mib << 20;
    mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
               -1, 0);
    if (mem == MAP_FAILED) {
        perror("rvsim: mmap");
        return 2;
    }
    if (load_elf(o.file, mem, size, &img, &filebuf))
        return 2;
    if (elf_find_symbol(&img, "tohost", &tohost))
        fprintf(stderr, "rvsim: warning: no tohost symbol; runs until the budget ends\n");
    (void)elf_find_symbol(&img, "fromhost", &fromhost);
    h = hart_create(mem, RAM_BASE, size, &o.cfg);
    if (!h) {
        fprintf(stderr, "rvsim: out of memory\n");
        return 2;
    }
    hart_reset(h, img.entry);
    hart_set_tohost(h, tohost);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        uint64_t left = o.budget - hart_counters(h)->instret;
        enum hart_exit_kind k;

        if (hart_counters(h)->instret >= o.budget) {
            fprintf(stderr, "rvsim: budget of %" PRIu64 " instructions ran out at pc 0x%" PRIx64
                    "\n", o.budget, hart_get_pc(h));
            status = 124;
            break;
        }
        k = hart_run(h, left, &ex);
        if (k == HART_EXIT_TOHOST) {
            if ((ex.tohost >> 48) == 0 && (ex.tohost & 1)) {   /* device 0, cmd 0: exit */
                status = ex.tohost == 1 ? 0 : (int)((ex.tohost >> 1) > 255 ? 255 : ex.tohost >> 1);
                if (status)
                    fprintf(stderr, "rvsim: FAIL: tohost = %" PRIu64 " (test %" PRIu64 ")\n",
                            ex.tohost, ex.tohost >> 1);
                break;
            }
            status = htif_command(h, mem, size, tohost, fromhost, ex.tohost);
            if (status >= 0)
                break;
            continue;
        }
        if (k == HART_EXIT_WFI) {
            if (!hart_idle_to_timer(h)) {
                fprintf(stderr, "rvsim: hang: WFI with no interrupt that can wake the hart\n");
                status = 125;
                break;
            }
            continue;
        }
        if (k == HART_EXIT_TRAP) {
            fprintf(stderr, "rvsim: unexpected host trap cause %" PRIu64 "\n", ex.cause);
            status = 3;
            break;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!o.quiet)
        print_counters(h, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
                       o.json);
    hart_destroy(h);
    free(filebuf);
    munmap(mem, size);
    return status;
}
