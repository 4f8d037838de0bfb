/*
 * Whole-file input and atomic output. Inputs may be gzip-compressed (detected
 * from the content, not the name); outputs are written to a temporary file in
 * the same directory and renamed, so a reader never sees half a file and a
 * failed command leaves nothing behind. "-" means standard input or output.
 */
#ifndef MVM_UTIL_FILE_H
#define MVM_UTIL_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "mvm/error.h"

/* Reads path (decompressing gzip) into a NUL-terminated buffer the caller frees. */
int mvm_file_read(const char *path, char **data, size_t *length, struct mvm_error *err);

/* Writes data to path atomically, gzip-compressed when gzip is true. */
int mvm_file_write(const char *path, const char *data, size_t length, bool gzip,
                   struct mvm_error *err);

/* True when name ends with ".gz". */
bool mvm_file_is_gz_name(const char *name);

#endif
