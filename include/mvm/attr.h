/*
 * Attributes: the free-form key/value pairs BtrPlace attaches to nodes and VMs
 * (`boot`, `memUsed`, `hotDirtySize`, `entropy_id`, ...).
 *
 * Values keep their JSON type so a file reads and writes back unchanged. Values
 * BtrPlace never produces (null, arrays, objects) are kept as verbatim JSON text.
 */
#ifndef MVM_ATTR_H
#define MVM_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/error.h"

enum mvm_attr_type {
    MVM_ATTR_BOOL,
    MVM_ATTR_INT,
    MVM_ATTR_DOUBLE,
    MVM_ATTR_STRING,
    MVM_ATTR_JSON, /* any other JSON value, kept verbatim in `text` */
};

struct mvm_attr {
    char *key;
    enum mvm_attr_type type;
    bool boolean;    /* MVM_ATTR_BOOL */
    int64_t integer; /* MVM_ATTR_INT */
    double real;     /* MVM_ATTR_DOUBLE */
    char *text;      /* MVM_ATTR_STRING (the string) and MVM_ATTR_JSON (JSON text) */
};

/* The attributes of one element, in the order they were read or set. */
struct mvm_attrs {
    struct mvm_attr *items;
    size_t count;
    size_t capacity;
};

/* Frees everything attrs owns and leaves it empty. */
void mvm_attrs_clear(struct mvm_attrs *attrs);

/* Deep copy of src into dst (dst must be empty). */
int mvm_attrs_copy(struct mvm_attrs *dst, const struct mvm_attrs *src, struct mvm_error *err);

/* The attribute named key, or NULL. */
const struct mvm_attr *mvm_attrs_find(const struct mvm_attrs *attrs, const char *key);

/* Sets key (replacing any previous value). Strings are copied. */
int mvm_attrs_set_bool(struct mvm_attrs *attrs, const char *key, bool value, struct mvm_error *err);
int mvm_attrs_set_int(struct mvm_attrs *attrs, const char *key, int64_t value,
                      struct mvm_error *err);
int mvm_attrs_set_double(struct mvm_attrs *attrs, const char *key, double value,
                         struct mvm_error *err);
int mvm_attrs_set_string(struct mvm_attrs *attrs, const char *key, const char *value,
                         struct mvm_error *err);
int mvm_attrs_set_json(struct mvm_attrs *attrs, const char *key, const char *json_text,
                       struct mvm_error *err);

/*
 * Reads a numeric attribute. Returns 1 and sets *out when key holds an integer or
 * a double, 0 when key is absent, -1 (with err) when it holds another type.
 */
int mvm_attrs_get_number(const struct mvm_attrs *attrs, const char *key, double *out,
                         struct mvm_error *err);

/*
 * Reads a duration attribute (`boot`, `shutdown`, `migrate`, ...) in whole seconds,
 * rounded to the nearest; 1 s when absent (REFERENCE section 5). Fails
 * (MVM_ERR_INVALID) unless the value is a number between 0 and 1e9.
 */
int mvm_attrs_get_duration(const struct mvm_attrs *attrs, const char *key, int64_t *seconds,
                           struct mvm_error *err);

/* Like mvm_attrs_get_number, for a boolean attribute. */
int mvm_attrs_get_bool(const struct mvm_attrs *attrs, const char *key, bool *out,
                       struct mvm_error *err);

#endif
