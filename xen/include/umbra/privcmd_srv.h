/*
 * privcmd_srv.h: the daemon side of dom0's hypercall channel (privcmd.c):
 * the Unix socket $XEN_RUN_DIR/privcmd and its event loop.
 */
#ifndef UMBRA_PRIVCMD_SRV_H
#define UMBRA_PRIVCMD_SRV_H

/* Create and listen on dir/privcmd (mode 0600). Returns the fd or -errno. */
int privcmd_listen(const char *dir);
/*
 * Serve clients until a signal arrives on sigfd (a signalfd). Each client
 * is handled to completion of one request at a time; a malformed message
 * closes only that client. Returns the signal number that stopped it.
 */
int privcmd_serve(int lfd, int sigfd);
/* Close every client connection (dropping their references and ports). */
void privcmd_close_all(void);

#endif
