/*
 * Maps BtrPlace element ids (int32_t) to dense indices (size_t). Ids are dense
 * 0..n-1 in practice but nothing requires it, so this is an open-addressing hash
 * table rather than an array indexed by id.
 */
#ifndef MVM_UTIL_IDMAP_H
#define MVM_UTIL_IDMAP_H

#include <stddef.h>
#include <stdint.h>

#include "mvm/error.h"

struct mvm_idmap;

/* A new empty map, or NULL. */
struct mvm_idmap *mvm_idmap_new(struct mvm_error *err);

/* Frees the map. Accepts NULL. */
void mvm_idmap_free(struct mvm_idmap *map);

/* Deep copy, or NULL. */
struct mvm_idmap *mvm_idmap_copy(const struct mvm_idmap *map, struct mvm_error *err);

/* Maps id to index. Returns 0, 1 if id was already present (map unchanged), -1 (err). */
int mvm_idmap_put(struct mvm_idmap *map, int32_t id, size_t index, struct mvm_error *err);

/* The index of id, or SIZE_MAX. */
size_t mvm_idmap_get(const struct mvm_idmap *map, int32_t id);

#endif
