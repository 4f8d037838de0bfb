/*
 * Errors reported by the mvm library.
 *
 * The library never prints and never exits: every function that can fail returns
 * -1 (or NULL) and fills a caller-owned struct mvm_error saying what was expected,
 * what was found and where (file, JSON path, line). Only the CLI turns errors into
 * messages and exit codes.
 */
#ifndef MVM_ERROR_H
#define MVM_ERROR_H

#include <stddef.h>

enum mvm_error_code {
    MVM_OK = 0,
    MVM_ERR_IO,          /* a file could not be read or written */
    MVM_ERR_SYNTAX,      /* not JSON (or truncated, or bad gzip) */
    MVM_ERR_INVALID,     /* well-formed but wrong: types, ranges, dangling ids */
    MVM_ERR_UNSUPPORTED, /* understood but not implemented yet */
    MVM_ERR_NOMEM,       /* out of memory */
    MVM_ERR_INFEASIBLE,  /* no solution exists (e.g. a non-convergent bandwidth) */
};

struct mvm_error {
    enum mvm_error_code code;
    char file[256];    /* file the error is about, "" when none */
    char path[256];    /* JSON path such as model.views[2].links[5].capacity, "" when none */
    int line;          /* 1-based line in the file, 0 when unknown */
    int column;        /* 1-based column, 0 when unknown */
    char message[768]; /* what was expected and what was found */
};

/* Resets err to "no error". err may be NULL. */
void mvm_error_clear(struct mvm_error *err);

/*
 * Records an error (printf-style message) and returns -1 so callers can write
 * `return mvm_error_set(err, ...)`. err may be NULL (the error is then dropped).
 */
int mvm_error_set(struct mvm_error *err, enum mvm_error_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records the file an error is about, unless one is already recorded. */
void mvm_error_set_file(struct mvm_error *err, const char *file);

/* Records the JSON path an error is about. */
void mvm_error_set_path(struct mvm_error *err, const char *path);

/*
 * Formats err as "file: line L column C: path: message" (absent parts omitted)
 * into buf, which it returns.
 */
const char *mvm_error_format(const struct mvm_error *err, char *buf, size_t size);

#endif
