/*
 * struct mvm_error: filling and formatting the error record every fallible
 * library function takes (see include/mvm/error.h).
 */
#include "mvm/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/sbuf.h"

static void copy_string(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void mvm_error_clear(struct mvm_error *err)
{
    if (err != NULL)
        memset(err, 0, sizeof(*err));
}

int mvm_error_set(struct mvm_error *err, enum mvm_error_code code, const char *fmt, ...)
{
    if (err == NULL)
        return -1;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    return -1;
}

void mvm_error_set_file(struct mvm_error *err, const char *file)
{
    if (err != NULL && file != NULL && err->file[0] == '\0')
        copy_string(err->file, sizeof(err->file), file);
}

void mvm_error_set_path(struct mvm_error *err, const char *path)
{
    if (err != NULL && path != NULL)
        copy_string(err->path, sizeof(err->path), path);
}

const char *mvm_error_format(const struct mvm_error *err, char *buf, size_t size)
{
    struct mvm_sbuf s;
    mvm_sbuf_init(&s, buf, size);
    if (err->file[0] != '\0')
        mvm_sbuf_printf(&s, "%s: ", err->file);
    if (err->line > 0 && err->column > 0)
        mvm_sbuf_printf(&s, "line %d column %d: ", err->line, err->column);
    else if (err->line > 0)
        mvm_sbuf_printf(&s, "line %d: ", err->line);
    if (err->path[0] != '\0')
        mvm_sbuf_printf(&s, "%s: ", err->path);
    mvm_sbuf_printf(&s, "%s", err->message[0] != '\0' ? err->message : "unknown error");
    return buf;
}
