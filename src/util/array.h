/*
 * Growable arrays: the one helper every dynamic list in the library uses, so
 * growth policy and overflow checks live in one place.
 */
#ifndef MVM_UTIL_ARRAY_H
#define MVM_UTIL_ARRAY_H

#include <stddef.h>

#include "mvm/error.h"

/*
 * Makes room for at least `need` elements of `size` bytes in *items (capacity in
 * *capacity), doubling as needed. New memory is zeroed. Returns 0 or -1 (err).
 */
int mvm_array_reserve(void **items, size_t *capacity, size_t need, size_t size,
                      struct mvm_error *err);

/* Typed convenience: MVM_ARRAY_RESERVE(array, capacity, need, err). */
#define MVM_ARRAY_RESERVE(items, capacity, need, err)                                              \
    mvm_array_reserve((void **)&(items), &(capacity), (need), sizeof(*(items)), (err))

/* strdup that reports failure through err. NULL in gives NULL out without error. */
char *mvm_strdup(const char *s, struct mvm_error *err);

/* calloc that reports failure through err (count 0 allocates one byte). */
void *mvm_calloc(size_t count, size_t size, struct mvm_error *err);

#endif
