/*
 * Reading and writing BtrPlace JSON files: instances `{model, constraints,
 * objective}` and plans `{origin, actions}`, plain or gzip-compressed.
 *
 * Every error names the file and the JSON path of the offending value (for
 * example `model.views[2].links[5].capacity: expected a number, got "fast"`).
 * Writes go to a temporary file renamed at the end, so an output is either
 * complete or absent. A path of "-" means standard input or output.
 */
#ifndef MVM_IO_H
#define MVM_IO_H

#include <stddef.h>

#include "mvm/error.h"
#include "mvm/instance.h"
#include "mvm/plan.h"

enum mvm_json_flags {
    MVM_JSON_COMPACT = 0,
    MVM_JSON_PRETTY = 1 << 0, /* indented output */
    MVM_JSON_GZIP = 1 << 1,   /* gzip the output (implied by a ".gz" file name) */
};

enum mvm_document_kind { MVM_DOCUMENT_INSTANCE, MVM_DOCUMENT_PLAN };

/* A file that is either an instance or a plan. */
struct mvm_document {
    enum mvm_document_kind kind;
    struct mvm_instance *instance; /* when kind is MVM_DOCUMENT_INSTANCE */
    struct mvm_plan *plan;         /* when kind is MVM_DOCUMENT_PLAN */
};

/* Reads an instance file (gzip detected from content). NULL on error. */
struct mvm_instance *mvm_instance_load(const char *path, struct mvm_error *err);

/* Reads a plan file. NULL on error. */
struct mvm_plan *mvm_plan_load(const char *path, struct mvm_error *err);

/* Reads a file and tells an instance from a plan by its top-level keys. */
int mvm_document_load(const char *path, struct mvm_document *doc, struct mvm_error *err);

/* Frees what doc owns. */
void mvm_document_clear(struct mvm_document *doc);

/* Parses an instance (plan) from JSON text; name is used in error messages. */
struct mvm_instance *mvm_instance_parse(const char *text, size_t length, const char *name,
                                        struct mvm_error *err);
struct mvm_plan *mvm_plan_parse(const char *text, size_t length, const char *name,
                                struct mvm_error *err);

/* Writes atomically (temporary file, then rename). */
int mvm_instance_save(const struct mvm_instance *instance, const char *path, int flags,
                      struct mvm_error *err);
int mvm_plan_save(const struct mvm_plan *plan, const char *path, int flags, struct mvm_error *err);

/* The JSON text of an instance (plan), NUL-terminated; the caller frees it. */
char *mvm_instance_to_json(const struct mvm_instance *instance, int flags, struct mvm_error *err);
char *mvm_plan_to_json(const struct mvm_plan *plan, int flags, struct mvm_error *err);

#endif
