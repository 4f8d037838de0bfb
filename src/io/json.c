/*
 * JSON reading helpers with path-precise errors (see json.h). The path is kept
 * in a fixed buffer and extended/restored as readers descend, so error paths
 * cost nothing until an error happens.
 */
#include "io/json.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvm/io.h"
#include "util/array.h"

static size_t append(struct mvm_jctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static size_t append(struct mvm_jctx *c, const char *fmt, ...)
{
    size_t old = c->len;
    if (c->len < sizeof(c->path)) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(c->path + c->len, sizeof(c->path) - c->len, fmt, ap);
        va_end(ap);
        if (n > 0)
            c->len += (size_t)n;
        if (c->len >= sizeof(c->path))
            c->len = sizeof(c->path) - 1;
    }
    return old;
}

size_t jctx_key(struct mvm_jctx *c, const char *key)
{
    return c->len == 0 ? append(c, "%s", key) : append(c, ".%s", key);
}

size_t jctx_index(struct mvm_jctx *c, size_t index)
{
    return append(c, "[%zu]", index);
}

void jctx_pop(struct mvm_jctx *c, size_t len)
{
    c->len = len;
    c->path[len] = '\0';
}

int jctx_fail(struct mvm_jctx *c, const char *fmt, ...)
{
    if (c->err == NULL)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err->message, sizeof(c->err->message), fmt, ap);
    va_end(ap);
    c->err->code = MVM_ERR_INVALID;
    mvm_error_set_file(c->err, c->file);
    mvm_error_set_path(c->err, c->path);
    return -1;
}

int jctx_here(struct mvm_jctx *c)
{
    mvm_error_set_file(c->err, c->file);
    mvm_error_set_path(c->err, c->path);
    return -1;
}

const char *json_describe(const json_t *v, char *buf, size_t size)
{
    if (v == NULL)
        snprintf(buf, size, "nothing");
    else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = strlen(s);
        snprintf(buf, size, "\"%.40s%s\"", s, n > 40 ? "..." : "");
    } else if (json_is_integer(v))
        snprintf(buf, size, "%" PRId64, (int64_t)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, size, "%g", json_real_value(v));
    else if (json_is_boolean(v))
        snprintf(buf, size, "%s", json_is_true(v) ? "true" : "false");
    else if (json_is_null(v))
        snprintf(buf, size, "null");
    else if (json_is_object(v))
        snprintf(buf, size, "an object");
    else
        snprintf(buf, size, "an array");
    return buf;
}

int jctx_expected(struct mvm_jctx *c, const char *what, const json_t *v)
{
    char got[80];
    return jctx_fail(c, "expected %s, got %s", what, json_describe(v, got, sizeof(got)));
}

json_t *jctx_member(struct mvm_jctx *c, const json_t *obj, const char *key, bool required,
                    const char *what)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL && required) {
        size_t saved = jctx_key(c, key);
        jctx_fail(c, "missing: expected %s", what);
        jctx_pop(c, saved);
    }
    return v;
}

int jctx_int64(struct mvm_jctx *c, const json_t *v, int64_t *out)
{
    bool integral = json_is_integer(v);
    if (integral)
        *out = (int64_t)json_integer_value(v);
    else if (json_is_real(v)) {
        double d = json_real_value(v);
        integral = d == floor(d) && fabs(d) < 9.0e15;
        *out = integral ? (int64_t)d : 0;
    }
    if (!integral)
        return jctx_expected(c, "an integer", v);
    /* BtrPlace numbers are Java ints; the range also keeps every sum we form exact */
    if (*out < INT32_MIN || *out > INT32_MAX)
        return jctx_expected(c, "an integer between -2147483648 and 2147483647", v);
    return 0;
}

int jctx_nonneg(struct mvm_jctx *c, const json_t *v, int64_t *out)
{
    if (jctx_int64(c, v, out) < 0)
        return -1;
    if (*out < 0)
        return jctx_expected(c, "a non-negative integer", v);
    return 0;
}

int jctx_int32(struct mvm_jctx *c, const json_t *v, int32_t *out)
{
    int64_t x;
    if (jctx_int64(c, v, &x) < 0)
        return -1;
    *out = (int32_t)x; /* in range: jctx_int64 checked it */
    return 0;
}

int jctx_string(struct mvm_jctx *c, const json_t *v, const char **out)
{
    if (!json_is_string(v))
        return jctx_expected(c, "a string", v);
    *out = json_string_value(v);
    return 0;
}

int jctx_bool(struct mvm_jctx *c, const json_t *v, bool *out)
{
    if (!json_is_boolean(v))
        return jctx_expected(c, "true or false", v);
    *out = json_is_true(v);
    return 0;
}

/* The member-reading skeleton shared by the jctx_field_* readers. */
#define FIELD_READER(name, type, reader, what)                                                     \
    int name(struct mvm_jctx *c, const json_t *obj, const char *key, bool required, type *out)     \
    {                                                                                              \
        json_t *v = jctx_member(c, obj, key, required, what);                                      \
        if (v == NULL)                                                                             \
            return required ? -1 : 0;                                                              \
        size_t saved = jctx_key(c, key);                                                           \
        if (reader(c, v, out) < 0)                                                                 \
            return -1;                                                                             \
        jctx_pop(c, saved);                                                                        \
        return 1;                                                                                  \
    }

FIELD_READER(jctx_field_int64, int64_t, jctx_int64, "an integer")
FIELD_READER(jctx_field_nonneg, int64_t, jctx_nonneg, "a non-negative integer")
FIELD_READER(jctx_field_int32, int32_t, jctx_int32, "an integer")
FIELD_READER(jctx_field_string, const char *, jctx_string, "a string")
FIELD_READER(jctx_field_bool, bool, jctx_bool, "true or false")

int jctx_key_id(struct mvm_jctx *c, const char *key, int32_t *out)
{
    char *end;
    errno = 0;
    long long x = strtoll(key, &end, 10);
    if (key[0] == '\0' || *end != '\0' || errno != 0 || x < INT32_MIN || x > INT32_MAX ||
        (key[0] == '+' || key[0] == ' '))
        return jctx_fail(c, "expected an integer id as key, got \"%.40s\"", key);
    *out = (int32_t)x;
    return 0;
}

typedef size_t (*lookup_fn)(const struct mvm_model *, int32_t);

static int ref_value(struct mvm_jctx *c, const json_t *v, const struct mvm_model *model,
                     lookup_fn lookup, const char *kind, size_t *out)
{
    int32_t id;
    if (jctx_int32(c, v, &id) < 0)
        return -1;
    *out = lookup(model, id);
    if (*out == MVM_NONE)
        return jctx_fail(c, "%s %d is not in the model", kind, (int)id);
    return 0;
}

static int ref_member(struct mvm_jctx *c, const json_t *obj, const char *key,
                      const struct mvm_model *model, lookup_fn lookup, const char *kind,
                      size_t *out)
{
    char what[32];
    snprintf(what, sizeof(what), "a %s id", kind);
    json_t *v = jctx_member(c, obj, key, true, what);
    if (v == NULL)
        return -1;
    size_t saved = jctx_key(c, key);
    int rc = ref_value(c, v, model, lookup, kind, out);
    if (rc == 0)
        jctx_pop(c, saved);
    return rc;
}

/* An array value of ids at the current path into a fresh index array. */
static int ref_array_value(struct mvm_jctx *c, const json_t *v, const struct mvm_model *model,
                           lookup_fn lookup, const char *kind, size_t **out, size_t *count)
{
    char what[40];
    snprintf(what, sizeof(what), "an array of %s ids", kind);
    if (!json_is_array(v))
        return jctx_expected(c, what, v);
    size_t n = json_array_size(v);
    size_t *idx = mvm_calloc(n, sizeof(*idx), c->err);
    if (idx == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t at = jctx_index(c, i);
        if (ref_value(c, json_array_get(v, i), model, lookup, kind, &idx[i]) < 0) {
            free(idx);
            return -1;
        }
        jctx_pop(c, at);
    }
    *out = idx;
    *count = n;
    return 0;
}

static int ref_array(struct mvm_jctx *c, const json_t *obj, const char *key,
                     const struct mvm_model *model, lookup_fn lookup, const char *kind,
                     size_t **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    char what[40];
    snprintf(what, sizeof(what), "an array of %s ids", kind);
    json_t *v = jctx_member(c, obj, key, true, what);
    if (v == NULL)
        return -1;
    size_t saved = jctx_key(c, key);
    if (ref_array_value(c, v, model, lookup, kind, out, count) < 0)
        return -1;
    jctx_pop(c, saved);
    return 0;
}

static int ref_groups(struct mvm_jctx *c, const json_t *obj, const char *key,
                      const struct mvm_model *model, lookup_fn lookup, const char *kind,
                      struct mvm_id_groups *out)
{
    memset(out, 0, sizeof(*out));
    json_t *v = jctx_member(c, obj, key, true, "an array of arrays of ids");
    if (v == NULL)
        return -1;
    size_t saved = jctx_key(c, key);
    if (!json_is_array(v))
        return jctx_expected(c, "an array of arrays of ids", v);
    size_t n = json_array_size(v);
    size_t **groups = mvm_calloc(n, sizeof(*groups), c->err);
    size_t *sizes = mvm_calloc(n, sizeof(*sizes), c->err);
    if (groups == NULL || sizes == NULL)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        size_t at = jctx_index(c, i);
        if (ref_array_value(c, json_array_get(v, i), model, lookup, kind, &groups[i],
                            &sizes[i]) < 0)
            goto fail;
        jctx_pop(c, at);
    }
    jctx_pop(c, saved);
    out->groups = groups;
    out->sizes = sizes;
    out->count = n;
    return 0;
fail:
    out->groups = groups;
    out->sizes = sizes;
    out->count = groups == NULL ? 0 : n;
    mvm_id_groups_clear(out);
    return -1;
}

int jctx_node_ref(struct mvm_jctx *c, const json_t *obj, const char *key,
                  const struct mvm_model *model, size_t *out)
{
    return ref_member(c, obj, key, model, mvm_model_node_index, "node", out);
}

int jctx_vm_ref(struct mvm_jctx *c, const json_t *obj, const char *key,
                const struct mvm_model *model, size_t *out)
{
    return ref_member(c, obj, key, model, mvm_model_vm_index, "vm", out);
}

int jctx_node_refs(struct mvm_jctx *c, const json_t *obj, const char *key,
                   const struct mvm_model *model, size_t **out, size_t *count)
{
    return ref_array(c, obj, key, model, mvm_model_node_index, "node", out, count);
}

int jctx_vm_refs(struct mvm_jctx *c, const json_t *obj, const char *key,
                 const struct mvm_model *model, size_t **out, size_t *count)
{
    return ref_array(c, obj, key, model, mvm_model_vm_index, "vm", out, count);
}

int jctx_node_groups(struct mvm_jctx *c, const json_t *obj, const char *key,
                     const struct mvm_model *model, struct mvm_id_groups *out)
{
    return ref_groups(c, obj, key, model, mvm_model_node_index, "node", out);
}

int jctx_vm_groups(struct mvm_jctx *c, const json_t *obj, const char *key,
                   const struct mvm_model *model, struct mvm_id_groups *out)
{
    return ref_groups(c, obj, key, model, mvm_model_vm_index, "vm", out);
}

int jctx_only_keys(struct mvm_jctx *c, const json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a != NULL && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok) {
            char list[256] = "";
            size_t used = 0;
            for (const char *const *a = allowed; *a != NULL && used < sizeof(list); a++) {
                int n = snprintf(list + used, sizeof(list) - used, "%s%s", a == allowed ? "" : ", ",
                                 *a);
                if (n > 0)
                    used += (size_t)n;
            }
            return jctx_fail(c, "unexpected key \"%.40s\" (expected only: %s)", key, list);
        }
    }
    return 0;
}

char *json_text(const json_t *v, struct mvm_error *err)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (s == NULL)
        mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    return s;
}

json_t *json_from_text(const char *text, struct mvm_error *err)
{
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (v == NULL)
        mvm_error_set(err, MVM_ERR_INVALID, "invalid JSON fragment: %s", jerr.text);
    return v;
}

json_t *json_parse_document(const char *text, size_t length, const char *name,
                            struct mvm_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, length, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        mvm_error_set(err, MVM_ERR_SYNTAX, "invalid JSON: %s", jerr.text);
        mvm_error_set_file(err, name);
        if (err != NULL) {
            err->line = jerr.line > 0 ? jerr.line : 0;
            err->column = jerr.column > 0 ? jerr.column : 0;
        }
        return NULL;
    }
    if (!json_is_object(root)) {
        char got[80];
        mvm_error_set(err, MVM_ERR_INVALID, "expected a JSON object at the top level, got %s",
                      json_describe(root, got, sizeof(got)));
        mvm_error_set_file(err, name);
        json_decref(root);
        return NULL;
    }
    return root;
}

char *json_serialize(json_t *root, int flags, struct mvm_error *err)
{
    size_t jflags = (flags & MVM_JSON_PRETTY) ? JSON_INDENT(2) : JSON_COMPACT;
    char *s = json_dumps(root, jflags | JSON_REAL_PRECISION(17));
    if (s == NULL)
        mvm_error_set(err, MVM_ERR_NOMEM, "out of memory while writing JSON");
    return s;
}

int json_set(json_t *obj, const char *key, json_t *value, struct mvm_error *err)
{
    if (value == NULL || json_object_set_new(obj, key, value) < 0)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory while writing JSON");
    return 0;
}

int json_push(json_t *array, json_t *value, struct mvm_error *err)
{
    if (value == NULL || json_array_append_new(array, value) < 0)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory while writing JSON");
    return 0;
}
