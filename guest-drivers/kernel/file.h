/*
 * file.h: open files: the console and the two ends of pipes. A process's
 * descriptors point at shared, reference-counted file objects (fork and dup
 * take references; close drops them).
 * Invariant: a pipe is freed when its last end is closed; a reader sees end
 * of file once no writer remains, a writer gets -EPIPE once no reader does.
 */
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include <stdint.h>

struct file;
struct mm;

struct file *file_console(void);
struct file *file_dup(struct file *f);
void file_close(struct file *f);
/* Creates a pipe: its read and write ends. 0 or -ENOMEM/-EMFILE. */
int file_pipe(struct file **rd, struct file **wr);

/* Moves bytes between the file and user memory; returns bytes or -errno. Pipes may block. */
long file_read(struct file *f, struct mm *mm, uint64_t buf, uint64_t len);
long file_write(struct file *f, struct mm *mm, uint64_t buf, uint64_t len);

#endif
