/*
 * path.c: node names, as Xen's is_valid_nodename() and canonicalize() have
 * them.
 *
 * A valid name is absolute ("/..."), or special ("@..."; only where the
 * request allows), uses only [A-Za-z0-9-/_@], has no "//", no trailing "/"
 * (except "/" itself), is at most XENSTORE_ABS_PATH_MAX bytes, and for an
 * unprivileged connection the part below "/local/domain/<id>/" is within the
 * path-length quota. Relative names are resolved under the connection's home,
 * "/local/domain/<domid>/".
 */
#include "xenstored.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool valid_chars(const char *s)
{
    static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "abcdefghijklmnopqrstuvwxyz"
                             "0123456789-/_@";

    return s[strspn(s, ok)] == '\0';
}

bool path_is_special(const char *path)
{
    return path[0] == '@';
}

/* Length of a "/local/domain/<digits>/" prefix of s, or 0. */
static size_t home_prefix_len(const char *s)
{
    static const char pre[] = "/local/domain/";
    size_t i = sizeof(pre) - 1;
    size_t digits = 0;

    if (strncmp(s, pre, i) != 0)
        return 0;
    while (s[i] >= '0' && s[i] <= '9' && digits < 5) {
        i++;
        digits++;
    }
    if (!digits || s[i] != '/')
        return 0;
    return i + 1;
}

static bool valid_name(const struct xs_conn *conn, const char *s, bool allow_special)
{
    size_t len = strlen(s);

    if (s[0] != '/' && !(allow_special && s[0] == '@'))
        return false;
    if (len > XENSTORE_ABS_PATH_MAX)
        return false;
    if (len > 1 && s[len - 1] == '/')
        return false;
    if (strstr(s, "//"))
        return false;
    if (conn && quota_applies(conn) &&
        len - home_prefix_len(s) > conn->daemon->quota[QUOTA_PATH_LEN])
        return false;
    return valid_chars(s);
}

char *path_canonical(const struct xs_conn *conn, const char *path, bool allow_special, int *err)
{
    char *out;

    *err = EINVAL;
    if (path[0] == '/' || path[0] == '@') {
        if (!valid_name(conn, path, allow_special))
            return NULL;
        out = strdup(path);
    } else {
        if (strlen(path) > XENSTORE_REL_PATH_MAX)
            return NULL;
        if (asprintf(&out, "/local/domain/%u/%s", conn ? conn->domid : 0, path) < 0)
            out = NULL;
        else if (!valid_name(conn, out, false)) {
            free(out);
            return NULL;
        }
    }
    if (!out)
        *err = ENOMEM;
    return out;
}

bool path_is_subpath(const char *parent, const char *child)
{
    size_t len = strlen(parent);

    if (strcmp(parent, "/") == 0)
        return child[0] == '/';
    return strncmp(parent, child, len) == 0 && (child[len] == '\0' || child[len] == '/');
}

char *path_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 0;

    return len ? strndup(path, len) : strdup("/");
}

const char *path_basename(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}
