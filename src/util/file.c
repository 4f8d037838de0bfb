/* Whole-file input with gzip detection and atomic output (see file.h). */
#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static int io_error(struct mvm_error *err, const char *path, const char *what)
{
    mvm_error_set(err, MVM_ERR_IO, "cannot %s: %s", what, strerror(errno));
    mvm_error_set_file(err, path);
    return -1;
}

static int read_all(FILE *f, const char *path, char **data, size_t *length, struct mvm_error *err)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    for (;;) {
        if (len + 1 >= cap) {
            char *p = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (p == NULL) {
                free(buf);
                return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
            }
            buf = p;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0) {
            if (ferror(f)) {
                free(buf);
                return io_error(err, path, "read");
            }
            break;
        }
    }
    buf[len] = '\0';
    *data = buf;
    *length = len;
    return 0;
}

/* Inflates gzip data (all members) into a new NUL-terminated buffer. */
static int gunzip(const char *in, size_t in_len, const char *path, char **data, size_t *length,
                  struct mvm_error *err)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return mvm_error_set(err, MVM_ERR_NOMEM, "cannot start gzip decompression");
    size_t cap = in_len * 4 + 1024, len = 0;
    char *out = malloc(cap);
    int rc = Z_OK;
    z.next_in = (Bytef *)(uintptr_t)in;
    while (out != NULL) {
        if (cap - len < 1024) {
            char *p = realloc(out, cap * 2);
            if (p == NULL) {
                free(out);
                out = NULL;
                break;
            }
            out = p;
            cap *= 2;
        }
        size_t left = in_len - (size_t)((const char *)z.next_in - in);
        z.avail_in = left > UINT32_MAX ? UINT32_MAX : (uInt)left;
        size_t room = cap - len - 1;
        z.avail_out = room > UINT32_MAX ? UINT32_MAX : (uInt)room;
        z.next_out = (Bytef *)out + len;
        uInt before = z.avail_out;
        rc = inflate(&z, Z_NO_FLUSH);
        len += before - z.avail_out;
        left = in_len - (size_t)((const char *)z.next_in - in);
        if (rc == Z_STREAM_END) {
            if (left == 0)
                break;
            inflateReset(&z); /* another gzip member follows */
            continue;
        }
        if (rc == Z_BUF_ERROR && left == 0)
            break; /* input ended before the stream did */
        if (rc != Z_OK)
            break;
    }
    inflateEnd(&z);
    if (out == NULL)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    if (rc != Z_STREAM_END) {
        free(out);
        mvm_error_set(err, MVM_ERR_SYNTAX, "%s gzip data",
                      rc == Z_BUF_ERROR || rc == Z_OK ? "truncated" : "corrupt");
        mvm_error_set_file(err, path);
        return -1;
    }
    out[len] = '\0';
    *data = out;
    *length = len;
    return 0;
}

int mvm_file_read(const char *path, char **data, size_t *length, struct mvm_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL)
        return io_error(err, path, "open");
    char *raw = NULL;
    size_t raw_len = 0;
    int rc = read_all(f, path, &raw, &raw_len, err);
    if (!is_stdin)
        fclose(f);
    if (rc < 0)
        return -1;
    if (raw_len >= 2 && (unsigned char)raw[0] == 0x1f && (unsigned char)raw[1] == 0x8b) {
        rc = gunzip(raw, raw_len, path, data, length, err);
        free(raw);
        return rc;
    }
    *data = raw;
    *length = raw_len;
    return 0;
}

bool mvm_file_is_gz_name(const char *name)
{
    size_t n = strlen(name);
    return n >= 3 && strcmp(name + n - 3, ".gz") == 0;
}

static int write_fd(int fd, const char *data, size_t length)
{
    while (length > 0) {
        ssize_t n = write(fd, data, length);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        length -= (size_t)n;
    }
    return 0;
}

static int write_gzip_fd(int fd, const char *data, size_t length)
{
    gzFile gz = gzdopen(dup(fd), "wb");
    if (gz == NULL)
        return -1;
    while (length > 0) {
        unsigned chunk = length > (1u << 30) ? (1u << 30) : (unsigned)length;
        if (gzwrite(gz, data, chunk) != (int)chunk) {
            gzclose(gz);
            errno = EIO;
            return -1;
        }
        data += chunk;
        length -= chunk;
    }
    return gzclose(gz) == Z_OK ? 0 : -1;
}

int mvm_file_write(const char *path, const char *data, size_t length, bool gzip,
                   struct mvm_error *err)
{
    if (strcmp(path, "-") == 0) {
        int rc = gzip ? write_gzip_fd(STDOUT_FILENO, data, length)
                      : write_fd(STDOUT_FILENO, data, length);
        return rc < 0 ? io_error(err, "<stdout>", "write") : 0;
    }
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (tmp == NULL)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return io_error(err, path, "create a temporary file beside the output");
    }
    int rc = gzip ? write_gzip_fd(fd, data, length) : write_fd(fd, data, length);
    if (rc == 0)
        rc = fsync(fd);
    /* mkstemp creates 0600; give the output ordinary permissions */
    if (rc == 0) {
        mode_t mask = umask(0);
        umask(mask);
        rc = fchmod(fd, 0666 & ~mask);
    }
    if (close(fd) < 0)
        rc = -1;
    if (rc == 0)
        rc = rename(tmp, path);
    if (rc < 0) {
        int saved = errno;
        unlink(tmp);
        errno = saved;
        free(tmp);
        return io_error(err, path, "write");
    }
    free(tmp);
    return 0;
}
