/*
 * Appending formatted text to a fixed caller-owned buffer, truncating safely:
 * how messages that list elements ("vm 3, vm 7, ...") are built without
 * allocating and without repeating snprintf bookkeeping at every call site.
 */
#ifndef MVM_UTIL_SBUF_H
#define MVM_UTIL_SBUF_H

#include <stddef.h>

struct mvm_sbuf {
    char *buf;
    size_t size;
    size_t used; /* characters written so far (never more than size - 1) */
};

/* Starts an empty string in buf (size > 0). */
void mvm_sbuf_init(struct mvm_sbuf *s, char *buf, size_t size);

/* Appends printf-style text; what does not fit is cut off. */
void mvm_sbuf_printf(struct mvm_sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
