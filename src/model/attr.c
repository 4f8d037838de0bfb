/*
 * Attributes of nodes and VMs: an ordered key/value list per element, values
 * kept with their JSON type so files round-trip unchanged (see mvm/attr.h).
 * Elements have a handful of attributes, so a linear search is the fastest lookup.
 */
#include "mvm/attr.h"

#include <stdlib.h>
#include <string.h>

#include "util/array.h"

static void attr_free(struct mvm_attr *a)
{
    free(a->key);
    free(a->text);
}

void mvm_attrs_clear(struct mvm_attrs *attrs)
{
    for (size_t i = 0; i < attrs->count; i++)
        attr_free(&attrs->items[i]);
    free(attrs->items);
    memset(attrs, 0, sizeof(*attrs));
}

int mvm_attrs_copy(struct mvm_attrs *dst, const struct mvm_attrs *src, struct mvm_error *err)
{
    memset(dst, 0, sizeof(*dst));
    if (src->count == 0)
        return 0;
    if (MVM_ARRAY_RESERVE(dst->items, dst->capacity, src->count, err) < 0)
        return -1;
    for (size_t i = 0; i < src->count; i++) {
        struct mvm_attr *d = &dst->items[i];
        *d = src->items[i];
        d->key = mvm_strdup(src->items[i].key, err);
        d->text = mvm_strdup(src->items[i].text, err);
        dst->count++;
        if (d->key == NULL || (src->items[i].text != NULL && d->text == NULL)) {
            mvm_attrs_clear(dst);
            return -1;
        }
    }
    return 0;
}

const struct mvm_attr *mvm_attrs_find(const struct mvm_attrs *attrs, const char *key)
{
    for (size_t i = 0; i < attrs->count; i++)
        if (strcmp(attrs->items[i].key, key) == 0)
            return &attrs->items[i];
    return NULL;
}

/* The slot for key: the existing one (its old value released) or a new one. */
static struct mvm_attr *slot_for(struct mvm_attrs *attrs, const char *key, struct mvm_error *err)
{
    for (size_t i = 0; i < attrs->count; i++) {
        struct mvm_attr *a = &attrs->items[i];
        if (strcmp(a->key, key) == 0) {
            free(a->text);
            a->text = NULL;
            return a;
        }
    }
    if (MVM_ARRAY_RESERVE(attrs->items, attrs->capacity, attrs->count + 1, err) < 0)
        return NULL;
    struct mvm_attr *a = &attrs->items[attrs->count];
    memset(a, 0, sizeof(*a));
    a->key = mvm_strdup(key, err);
    if (a->key == NULL)
        return NULL;
    attrs->count++;
    return a;
}

int mvm_attrs_set_bool(struct mvm_attrs *attrs, const char *key, bool value, struct mvm_error *err)
{
    struct mvm_attr *a = slot_for(attrs, key, err);
    if (a == NULL)
        return -1;
    a->type = MVM_ATTR_BOOL;
    a->boolean = value;
    return 0;
}

int mvm_attrs_set_int(struct mvm_attrs *attrs, const char *key, int64_t value,
                      struct mvm_error *err)
{
    struct mvm_attr *a = slot_for(attrs, key, err);
    if (a == NULL)
        return -1;
    a->type = MVM_ATTR_INT;
    a->integer = value;
    return 0;
}

int mvm_attrs_set_double(struct mvm_attrs *attrs, const char *key, double value,
                         struct mvm_error *err)
{
    struct mvm_attr *a = slot_for(attrs, key, err);
    if (a == NULL)
        return -1;
    a->type = MVM_ATTR_DOUBLE;
    a->real = value;
    return 0;
}

static int set_text(struct mvm_attrs *attrs, const char *key, enum mvm_attr_type type,
                    const char *text, struct mvm_error *err)
{
    char *copy = mvm_strdup(text, err);
    if (copy == NULL)
        return -1;
    struct mvm_attr *a = slot_for(attrs, key, err);
    if (a == NULL) {
        free(copy);
        return -1;
    }
    a->type = type;
    a->text = copy;
    return 0;
}

int mvm_attrs_set_string(struct mvm_attrs *attrs, const char *key, const char *value,
                         struct mvm_error *err)
{
    return set_text(attrs, key, MVM_ATTR_STRING, value, err);
}

int mvm_attrs_set_json(struct mvm_attrs *attrs, const char *key, const char *json_text,
                       struct mvm_error *err)
{
    return set_text(attrs, key, MVM_ATTR_JSON, json_text, err);
}

int mvm_attrs_get_number(const struct mvm_attrs *attrs, const char *key, double *out,
                         struct mvm_error *err)
{
    const struct mvm_attr *a = mvm_attrs_find(attrs, key);
    if (a == NULL)
        return 0;
    if (a->type == MVM_ATTR_INT)
        *out = (double)a->integer;
    else if (a->type == MVM_ATTR_DOUBLE)
        *out = a->real;
    else
        return mvm_error_set(err, MVM_ERR_INVALID, "attribute %s: expected a number", key);
    return 1;
}

int mvm_attrs_get_duration(const struct mvm_attrs *attrs, const char *key, int64_t *seconds,
                           struct mvm_error *err)
{
    double d = 1.0;
    if (mvm_attrs_get_number(attrs, key, &d, err) < 0)
        return -1;
    if (!(d >= 0.0 && d <= 1e9))
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "attribute %s: expected a duration between 0 and 1e9 s, got %g", key,
                             d);
    *seconds = (int64_t)(d + 0.5);
    return 0;
}

int mvm_attrs_get_bool(const struct mvm_attrs *attrs, const char *key, bool *out,
                       struct mvm_error *err)
{
    const struct mvm_attr *a = mvm_attrs_find(attrs, key);
    if (a == NULL)
        return 0;
    if (a->type != MVM_ATTR_BOOL)
        return mvm_error_set(err, MVM_ERR_INVALID, "attribute %s: expected a boolean", key);
    *out = a->boolean;
    return 1;
}
