/*
 * JSON reading helpers shared by the instance and plan readers: typed getters
 * over jansson values that, on failure, report the file, the JSON path of the
 * value (kept incrementally in struct mvm_jctx) and what was expected versus
 * what was found.
 */
#ifndef MVM_IO_JSON_H
#define MVM_IO_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/constraint.h"
#include "mvm/error.h"
#include "mvm/model.h"

struct mvm_jctx {
    const char *file;
    struct mvm_error *err;
    char path[512];
    size_t len;
};

/* Appends ".key" ("key" at the root) to the path; returns the length to restore. */
size_t jctx_key(struct mvm_jctx *c, const char *key);

/* Appends "[index]"; returns the length to restore. */
size_t jctx_index(struct mvm_jctx *c, size_t index);

/* Restores the path to a length returned by jctx_key/jctx_index. */
void jctx_pop(struct mvm_jctx *c, size_t len);

/* Records an error at the current path (MVM_ERR_INVALID) and returns -1. */
int jctx_fail(struct mvm_jctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Attaches the file and current path to an error a library call already recorded; -1. */
int jctx_here(struct mvm_jctx *c);

/* Describes a value for messages: `"fast"`, `-5`, `an object`, `nothing`. */
const char *json_describe(const json_t *v, char *buf, size_t size);

/* Fails with "expected <what>, got <v>" at the current path. */
int jctx_expected(struct mvm_jctx *c, const char *what, const json_t *v);

/*
 * The member key of obj. When required and absent, fails at path.key with
 * "expected <what>". Returns NULL when absent (error set only if required).
 */
json_t *jctx_member(struct mvm_jctx *c, const json_t *obj, const char *key, bool required,
                    const char *what);

/*
 * Typed reads of v at the current path. Integral reals are accepted as integers;
 * integers must fit in 32 bits, as in BtrPlace.
 */
int jctx_int64(struct mvm_jctx *c, const json_t *v, int64_t *out);
int jctx_nonneg(struct mvm_jctx *c, const json_t *v, int64_t *out);
int jctx_int32(struct mvm_jctx *c, const json_t *v, int32_t *out);
int jctx_string(struct mvm_jctx *c, const json_t *v, const char **out);
int jctx_bool(struct mvm_jctx *c, const json_t *v, bool *out);

/*
 * Reads member key of obj at path.key with the typed reader of the same name.
 * Returns 1 when read, 0 when absent and optional (*out untouched), -1 on error
 * (a wrong type, or absent and required: "missing: expected <type>").
 */
int jctx_field_int64(struct mvm_jctx *c, const json_t *obj, const char *key, bool required,
                     int64_t *out);
int jctx_field_nonneg(struct mvm_jctx *c, const json_t *obj, const char *key, bool required,
                      int64_t *out);
int jctx_field_int32(struct mvm_jctx *c, const json_t *obj, const char *key, bool required,
                     int32_t *out);
int jctx_field_string(struct mvm_jctx *c, const json_t *obj, const char *key, bool required,
                      const char **out);
int jctx_field_bool(struct mvm_jctx *c, const json_t *obj, const char *key, bool required,
                    bool *out);

/* Reads an object key as an element id (a decimal int32 string). */
int jctx_key_id(struct mvm_jctx *c, const char *key, int32_t *out);

/*
 * Reads member key of obj (at path.key) as the id of a node (VM) of model and
 * stores its index; fails on a wrong type or an id not in the model.
 */
int jctx_node_ref(struct mvm_jctx *c, const json_t *obj, const char *key,
                  const struct mvm_model *model, size_t *out);
int jctx_vm_ref(struct mvm_jctx *c, const json_t *obj, const char *key,
                const struct mvm_model *model, size_t *out);

/* Same, for an array member: a freshly allocated index array (caller frees). */
int jctx_node_refs(struct mvm_jctx *c, const json_t *obj, const char *key,
                   const struct mvm_model *model, size_t **out, size_t *count);
int jctx_vm_refs(struct mvm_jctx *c, const json_t *obj, const char *key,
                 const struct mvm_model *model, size_t **out, size_t *count);

/* Same, for an array of arrays member (groups such as among's parts). */
int jctx_node_groups(struct mvm_jctx *c, const json_t *obj, const char *key,
                     const struct mvm_model *model, struct mvm_id_groups *out);
int jctx_vm_groups(struct mvm_jctx *c, const json_t *obj, const char *key,
                   const struct mvm_model *model, struct mvm_id_groups *out);

/* Fails on the first member of obj not listed in allowed (NULL-terminated). */
int jctx_only_keys(struct mvm_jctx *c, const json_t *obj, const char *const *allowed);

/* Compact JSON text of v (caller frees), or NULL (error set). */
char *json_text(const json_t *v, struct mvm_error *err);

/* Parses JSON text (any value); NULL with err on failure (should not happen for our text). */
json_t *json_from_text(const char *text, struct mvm_error *err);

/* Parses a whole document, mapping syntax errors to file, line and column. */
json_t *json_parse_document(const char *text, size_t length, const char *name,
                            struct mvm_error *err);

/* Serialises a document with mvm_json_flags into a string the caller frees. */
char *json_serialize(json_t *root, int flags, struct mvm_error *err);

/* Shorthands that record out-of-memory when a jansson constructor returns NULL. */
int json_set(json_t *obj, const char *key, json_t *value, struct mvm_error *err);
int json_push(json_t *array, json_t *value, struct mvm_error *err);

#endif
