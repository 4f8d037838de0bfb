/* Open-addressing id -> index map with linear probing (see idmap.h). */
#include "util/idmap.h"

#include <stdlib.h>
#include <string.h>

struct slot {
    int32_t id;
    size_t index; /* SIZE_MAX marks an empty slot */
};

struct mvm_idmap {
    struct slot *slots;
    size_t mask; /* slot count - 1 (a power of two) */
    size_t count;
};

static size_t hash_id(int32_t id)
{
    uint32_t x = (uint32_t)id;
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

static struct slot *alloc_slots(size_t n)
{
    struct slot *s = malloc(n * sizeof(*s));
    if (s != NULL)
        for (size_t i = 0; i < n; i++)
            s[i].index = SIZE_MAX;
    return s;
}

struct mvm_idmap *mvm_idmap_new(struct mvm_error *err)
{
    struct mvm_idmap *map = calloc(1, sizeof(*map));
    if (map != NULL)
        map->slots = alloc_slots(16);
    if (map == NULL || map->slots == NULL) {
        free(map);
        mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    map->mask = 15;
    return map;
}

void mvm_idmap_free(struct mvm_idmap *map)
{
    if (map == NULL)
        return;
    free(map->slots);
    free(map);
}

struct mvm_idmap *mvm_idmap_copy(const struct mvm_idmap *map, struct mvm_error *err)
{
    struct mvm_idmap *c = malloc(sizeof(*c));
    if (c != NULL) {
        *c = *map;
        c->slots = malloc((map->mask + 1) * sizeof(*c->slots));
        if (c->slots != NULL) {
            memcpy(c->slots, map->slots, (map->mask + 1) * sizeof(*c->slots));
            return c;
        }
        free(c);
    }
    mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    return NULL;
}

static struct slot *find_slot(struct slot *slots, size_t mask, int32_t id)
{
    size_t i = hash_id(id) & mask;
    while (slots[i].index != SIZE_MAX && slots[i].id != id)
        i = (i + 1) & mask;
    return &slots[i];
}

static int grow(struct mvm_idmap *map, struct mvm_error *err)
{
    size_t n = (map->mask + 1) * 2;
    struct slot *slots = alloc_slots(n);
    if (slots == NULL)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i <= map->mask; i++)
        if (map->slots[i].index != SIZE_MAX)
            *find_slot(slots, n - 1, map->slots[i].id) = map->slots[i];
    free(map->slots);
    map->slots = slots;
    map->mask = n - 1;
    return 0;
}

int mvm_idmap_put(struct mvm_idmap *map, int32_t id, size_t index, struct mvm_error *err)
{
    /* Keep the load factor under 1/2 so probes stay short. */
    if ((map->count + 1) * 2 > map->mask + 1 && grow(map, err) < 0)
        return -1;
    struct slot *s = find_slot(map->slots, map->mask, id);
    if (s->index != SIZE_MAX)
        return 1;
    s->id = id;
    s->index = index;
    map->count++;
    return 0;
}

size_t mvm_idmap_get(const struct mvm_idmap *map, int32_t id)
{
    return find_slot(map->slots, map->mask, id)->index;
}
