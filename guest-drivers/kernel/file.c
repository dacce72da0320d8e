/*
 * file.c: console and pipe files (see file.h). A pipe's data is a one-page
 * ring buffer with free-running read and write counters.
 * Costs: a pipe transfer copies through the kernel once per contiguous chunk.
 */
#include "file.h"
#include "frame.h"
#include "kernel.h"
#include "proc.h"
#include "uvm.h"

#define NFILE 128
#define NPIPE 32
#define PIPE_SIZE PAGE_SIZE

enum file_type { F_NONE, F_CONSOLE, F_PIPE_READ, F_PIPE_WRITE };

struct pipe {
    char *buf;                  /* one frame; NULL when the slot is free */
    uint64_t nread, nwrite;     /* free-running */
    int readers, writers;
};

struct file {
    enum file_type type;
    int refs;
    struct pipe *pipe;
};

static struct file files[NFILE];
static struct pipe pipes[NPIPE];
static struct file console = { F_CONSOLE, 1, NULL };

struct file *file_console(void)
{
    console.refs++;
    return &console;
}

struct file *file_dup(struct file *f)
{
    f->refs++;
    return f;
}

static struct file *file_alloc(enum file_type type, struct pipe *pipe)
{
    for (int i = 0; i < NFILE; i++)
        if (files[i].refs == 0) {
            files[i] = (struct file){ type, 1, pipe };
            return &files[i];
        }
    return NULL;
}

void file_close(struct file *f)
{
    if (--f->refs > 0 || f->type == F_CONSOLE)
        return;
    struct pipe *p = f->pipe;
    if (f->type == F_PIPE_READ) {
        p->readers--;
        proc_wakeup(&p->nwrite);
    } else {
        p->writers--;
        proc_wakeup(&p->nread);
    }
    if (p->readers == 0 && p->writers == 0) {
        frame_put((uint64_t)p->buf);
        p->buf = NULL;
    }
    f->type = F_NONE;
}

int file_pipe(struct file **rd, struct file **wr)
{
    struct pipe *p = NULL;

    for (int i = 0; i < NPIPE && !p; i++)
        if (!pipes[i].buf)
            p = &pipes[i];
    if (!p)
        return -EMFILE;
    uint64_t buf = frame_alloc_dirty();
    if (!buf)
        return -ENOMEM;
    *rd = file_alloc(F_PIPE_READ, p);
    *wr = *rd ? file_alloc(F_PIPE_WRITE, p) : NULL;
    if (!*rd || !*wr) {
        if (*rd)
            (*rd)->refs = 0;
        frame_put(buf);
        return -EMFILE;
    }
    *p = (struct pipe){ (char *)buf, 0, 0, 1, 1 };
    return 0;
}

static long console_write_user(struct mm *mm, uint64_t buf, uint64_t len)
{
    char tmp[512];
    uint64_t done = 0;

    while (done < len) {
        uint64_t n = len - done < sizeof(tmp) ? len - done : sizeof(tmp);
        if (copy_from_user(mm, tmp, buf + done, n))
            return done ? (long)done : -EFAULT;
        console_write(tmp, n);
        done += n;
    }
    return (long)done;
}

static long pipe_write(struct pipe *p, struct mm *mm, uint64_t buf, uint64_t len)
{
    uint64_t done = 0;

    while (done < len) {
        if (p->readers == 0)
            return done ? (long)done : -EPIPE;
        uint64_t space = PIPE_SIZE - (p->nwrite - p->nread);
        if (space == 0) {
            proc_wakeup(&p->nread);
            proc_sleep(&p->nwrite, 0);
            continue;
        }
        uint64_t off = p->nwrite % PIPE_SIZE;
        uint64_t n = len - done;
        if (n > space)
            n = space;
        if (n > PIPE_SIZE - off)
            n = PIPE_SIZE - off;
        if (copy_from_user(mm, p->buf + off, buf + done, n))
            return done ? (long)done : -EFAULT;
        p->nwrite += n;
        done += n;
    }
    proc_wakeup(&p->nread);
    return (long)done;
}

static long pipe_read(struct pipe *p, struct mm *mm, uint64_t buf, uint64_t len)
{
    while (p->nread == p->nwrite) {
        if (p->writers == 0)
            return 0;
        proc_sleep(&p->nread, 0);
    }
    uint64_t avail = p->nwrite - p->nread;
    uint64_t off = p->nread % PIPE_SIZE;
    uint64_t n = len < avail ? len : avail;
    if (n > PIPE_SIZE - off)
        n = PIPE_SIZE - off;
    if (copy_to_user(mm, buf, p->buf + off, n))
        return -EFAULT;
    p->nread += n;
    proc_wakeup(&p->nwrite);
    return (long)n;
}

long file_read(struct file *f, struct mm *mm, uint64_t buf, uint64_t len)
{
    switch (f->type) {
    case F_CONSOLE:
        return 0;               /* no console input: end of file */
    case F_PIPE_READ:
        return len ? pipe_read(f->pipe, mm, buf, len) : 0;
    default:
        return -EBADF;
    }
}

long file_write(struct file *f, struct mm *mm, uint64_t buf, uint64_t len)
{
    switch (f->type) {
    case F_CONSOLE:
        return console_write_user(mm, buf, len);
    case F_PIPE_WRITE:
        return pipe_write(f->pipe, mm, buf, len);
    default:
        return -EBADF;
    }
}
