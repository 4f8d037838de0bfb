/* Bounded string building (see sbuf.h). */
#include "util/sbuf.h"

#include <stdarg.h>
#include <stdio.h>

void mvm_sbuf_init(struct mvm_sbuf *s, char *buf, size_t size)
{
    s->buf = buf;
    s->size = size;
    s->used = 0;
    buf[0] = '\0';
}

void mvm_sbuf_printf(struct mvm_sbuf *s, const char *fmt, ...)
{
    if (s->used + 1 >= s->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->buf + s->used, s->size - s->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        s->used = s->used + (size_t)n < s->size ? s->used + (size_t)n : s->size - 1;
}
