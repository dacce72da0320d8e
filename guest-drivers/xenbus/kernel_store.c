/*
 * kernel_store.c: the guest kernel's xenstore client, as a Linux PV guest
 * has it: at boot it reads its own `name` (relative paths resolve under
 * /local/domain/<id>), writes `data/kernel`, watches `control/shutdown` and
 * then advertises `control/feature-poweroff` and `-reboot` = 1 (xl asks
 * through control/shutdown only when they are set).
 * When the toolstack writes `poweroff`/`halt` or `reboot` there, the guest
 * clears the node (in a transaction, as Linux's shutdown_handler) and shuts
 * down with that reason. `suspend` is not supported and is left in place.
 * For tests and diagnosis, each `xs-read=PATH` word of the command line is
 * read once at boot and its value or error printed (a guest may read only
 * what its permissions allow: another domain's nodes give EACCES).
 *
 * Waiting: the xenbus `wait` hook blocks in SCHEDOP_block with the store
 * event channel bound (its upcall wakes us), and with a 10 ms timer armed
 * when no earlier deadline is, so a lost notification costs latency only
 * (1 s in workload=xenstore's idle loop between watch events).
 * Invariant: xenbus is used only from boot code and kernel idle loops (never
 * from an interrupt), so a request is never interrupted by another.
 */
#include "kernel_store.h"

#include "../kernel/cmdline.h"
#include "../kernel/evtchn.h"
#include "../kernel/frame.h"
#include "../kernel/hypercall.h"
#include "../kernel/kernel.h"
#include "../kernel/time.h"
#include "../kernel/vm.h"
#include "../kernel/workload.h"
#include "xenbus.h"

#define WAIT_SLICE_NS 10000000ull     /* 10 ms, while a reply is awaited */
#define IDLE_SLICE_NS 1000000000ull   /* 1 s, while idle between watch events */

static struct xenbus bus;
static bool connected;
static evtchn_port_t store_port;
static uint64_t store_upcalls;

static void store_notify(void *arg)
{
    (void)arg;
    evtchn_send(store_port);
}

/* Block until an interrupt: the store's upcall, or a timer `slice_ns` from now at the latest. */
static void idle_for(uint64_t slice_ns)
{
    uint64_t now = time_now_ns(), old = time_deadline();
    bool armed = !old || old > now + slice_ns;

    if (armed)
        time_set_deadline(now + slice_ns);
    cpu_idle();
    if (armed)
        time_set_deadline(old);
}

/* xenbus's wait hook, while a request is in flight. */
static void store_wait(void *arg)
{
    (void)arg;
    idle_for(WAIT_SLICE_NS);
}

static void store_upcall(evtchn_port_t port, void *arg)
{
    (void)port;
    (void)arg;
    store_upcalls++;   /* waking the vCPU was the point */
}

/* Read control/shutdown and clear it, in one transaction. The request, or "" for none. */
static void take_request(char *req, size_t size)
{
    for (int tries = 0; tries < 10; tries++) {
        uint32_t tx;
        int rc;

        req[0] = '\0';
        if (xenbus_transaction_start(&bus, &tx) < 0)
            return;
        rc = xenbus_read(&bus, tx, "control/shutdown", req, size);
        if (rc <= 0) {
            xenbus_transaction_end(&bus, tx, false);
            req[0] = '\0';
            return;
        }
        if (xenbus_write(&bus, tx, "control/shutdown", "") < 0) {
            xenbus_transaction_end(&bus, tx, false);
            return;
        }
        rc = xenbus_transaction_end(&bus, tx, true);
        if (rc == 0)
            return;
        if (rc != -XENBUS_EAGAIN) {
            printk("xenstore: clearing control/shutdown failed (%d)\n", rc);
            return;
        }
    }
}

static void on_shutdown(struct xenbus *xb, const char *path, void *arg)
{
    char req[32];

    (void)xb;
    (void)path;
    (void)arg;
    take_request(req, sizeof(req));
    if (!req[0])
        return;   /* the watch's first firing, or our own clearing */
    printk("xenstore: control/shutdown = %s\n", req);
    if (!strcmp(req, "poweroff") || !strcmp(req, "halt"))
        kernel_poweroff();
    if (!strcmp(req, "reboot"))
        kernel_reboot();
    printk("xenstore: shutdown request '%s' not supported, ignored\n", req);
}

static const char *error_name(int err)
{
    switch (-err) {
    case XENBUS_EACCES: return "EACCES";
    case XENBUS_ENOENT: return "ENOENT";
    case XENBUS_EINVAL: return "EINVAL";
    case XENBUS_E2BIG: return "E2BIG";
    default: return "error";
    }
}

/* The command line's xs-read=PATH probes. */
static void read_probes(void)
{
    static const char key[] = "xs-read=";
    char value[128];

    for (int i = 0; i < cmdline_argc; i++) {
        const char *path = cmdline_argv[i] + sizeof(key) - 1;
        int rc;

        if (strncmp(cmdline_argv[i], key, sizeof(key) - 1) != 0)
            continue;
        rc = xenbus_read(&bus, XENBUS_TX_NONE, path, value, sizeof(value));
        if (rc < 0)
            printk("xenstore: read %s: %s (%d)\n", path, error_name(rc), rc);
        else
            printk("xenstore: read %s = \"%s\"\n", path, value);
    }
}

bool store_init(uint64_t gfn, uint32_t port)
{
    static const struct xenbus_ops ops = { 0, store_notify, store_wait };
    uint64_t pa = gfn << PAGE_SHIFT;
    char name[128];
    int rc;

    if (gfn == 0) {
        printk("xenstore: no store ring in start_info\n");
        return false;
    }
    store_port = port;
    xenbus_init(&bus, (void *)(frame_is_ram(pa) ? pa : vm_map_fixmap(pa)), &ops);
    if (evtchn_bind_handler(port, store_upcall, 0) < 0) {
        printk("xenstore: cannot bind event channel %u\n", port);
        return false;
    }
    rc = xenbus_read(&bus, XENBUS_TX_NONE, "name", name, sizeof(name));
    if (rc < 0) {
        printk("xenstore: reading name failed (%d)\n", rc);
        return false;
    }
    printk("xenstore: connected (ring gfn %lx, port %u), my name is %s\n",
           (unsigned long)gfn, port, name);
    rc = xenbus_write(&bus, XENBUS_TX_NONE, "data/kernel", KERNEL_BANNER);
    if (rc < 0)
        printk("xenstore: writing data/kernel failed (%d)\n", rc);
    rc = xenbus_watch(&bus, "control/shutdown", on_shutdown, 0);
    if (rc < 0) {
        printk("xenstore: watching control/shutdown failed (%d)\n", rc);
    } else {
        /* Listening now: tell the toolstack, as Linux does, so xl asks here first. */
        xenbus_write(&bus, XENBUS_TX_NONE, "control/feature-poweroff", "1");
        xenbus_write(&bus, XENBUS_TX_NONE, "control/feature-reboot", "1");
    }
    read_probes();
    connected = true;
    return true;
}

struct xenbus *store_bus(void)
{
    return connected ? &bus : 0;
}

void store_poll(void)
{
    if (connected)
        xenbus_dispatch(&bus);
}

void store_workload(void)
{
    if (!connected) {
        printk("xenstore: workload=xenstore needs a store; powering off\n");
        kernel_poweroff();
    }
    printk("xenstore: waiting for control/shutdown\n");
    for (;;) {
        store_poll();
        idle_for(IDLE_SLICE_NS);
    }
}
