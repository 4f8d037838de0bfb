/* Growable arrays and checked allocation (see array.h). */
#include "util/array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int mvm_array_reserve(void **items, size_t *capacity, size_t need, size_t size,
                      struct mvm_error *err)
{
    if (need <= *capacity)
        return 0;
    size_t cap = *capacity < 8 ? 8 : *capacity;
    while (cap < need) {
        if (cap > SIZE_MAX / 2)
            return mvm_error_set(err, MVM_ERR_NOMEM, "too many elements");
        cap *= 2;
    }
    if (cap > SIZE_MAX / size)
        return mvm_error_set(err, MVM_ERR_NOMEM, "too many elements");
    void *p = realloc(*items, cap * size);
    if (p == NULL)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    memset((char *)p + *capacity * size, 0, (cap - *capacity) * size);
    *items = p;
    *capacity = cap;
    return 0;
}

char *mvm_strdup(const char *s, struct mvm_error *err)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d == NULL) {
        mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memcpy(d, s, n);
    return d;
}

void *mvm_calloc(size_t count, size_t size, struct mvm_error *err)
{
    void *p = calloc(count == 0 ? 1 : count, size == 0 ? 1 : size);
    if (p == NULL)
        mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    return p;
}
