/*
 * quota.c: the quota table, with the C xenstored's defaults.
 *
 * Quotas bind unprivileged connections (guests); dom0's local clients are
 * privileged and exempt, as in Xen. The live values sit in
 * struct xs_daemon.quota and can be changed with "CONTROL quota set".
 */
#include "xenstored.h"

#include <string.h>

const struct quota_desc quota_desc[QUOTA_COUNT] = {
    [QUOTA_NODES] = { "nodes", 1000, "Nodes per domain" },
    [QUOTA_WATCHES] = { "watches", 128, "Watches per domain" },
    [QUOTA_TRANSACTIONS] = { "transactions", 10, "Transactions per domain" },
    [QUOTA_NODE_SIZE] = { "node-size", 2048, "Max. size of a node" },
    [QUOTA_PERMS] = { "permissions", 5, "Max. number of permissions per node" },
    [QUOTA_PATH_LEN] = { "path-length", 2048, "Max. length of a node path" },
    [QUOTA_OUTSTANDING] = { "outstanding", 20, "Max. number of outstanding requests" },
};

int quota_by_name(const char *name)
{
    for (int i = 0; i < QUOTA_COUNT; i++)
        if (strcmp(quota_desc[i].name, name) == 0)
            return i;
    return -1;
}

bool quota_applies(const struct xs_conn *conn)
{
    return conn->domid != 0;
}
