/*
 * The seeded instance generator (see mvm/generate.h for the recipe inferred from
 * the published mVM scalability files). It builds the instance through the model
 * API only, so a generated instance is exactly what the reader would build from
 * the same JSON. Randomness comes from a private xoshiro256** stream seeded by
 * splitmix64, never from global state, so a seed names one instance on every
 * platform. Placements draw nodes "with room" from an open list, which keeps
 * 100,000 VMs on 10,000 nodes well under a second.
 */
#include "mvm/generate.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mvm/model.h"
#include "mvm/net.h"
#include "util/array.h"

/* BtrPlace reads ids and resource values as 32-bit integers. */
#define ID_MAX INT64_C(2147483647)

/* Node durations of the published files (seconds). */
#define SOURCE_SHUTDOWN_S 17
#define DESTINATION_BOOT_S 120

/* The four VM types, chosen by VM id modulo 4, as in the published files. */
struct vm_type {
    int64_t mem_used_mib;
    int64_t hot_size_mib;
    int64_t hot_duration_s;
    double cold_rate_mibps;
};

static const struct vm_type vm_types[4] = {
    {2000, 5, 3, 0.0},
    {4000, 96, 2, 3.0},
    {2000, 96, 2, 3.0},
    {4000, 5, 3, 0.0},
};

/* Resource consumption of a VM: mem in GB of memUsed, one cpu. */
static int64_t vm_mem(size_t v)
{
    return vm_types[v % 4].mem_used_mib / 1000;
}

#define VM_CPU 1
#define VM_MEM_MIN 2
#define VM_MEM_MAX 4

/* ---- random numbers: splitmix64 seeding xoshiro256** (Blackman and Vigna) ---- */

struct rng {
    uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n), n > 0, without modulo bias (rejects the short last cycle). */
static size_t rng_below(struct rng *r, size_t n)
{
    uint64_t bound = (uint64_t)n;
    uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        uint64_t x = rng_next(r);
        if (x >= threshold)
            return (size_t)(x % bound);
    }
}

/* ---- the instance's dimensions, from the options ---- */

struct layout {
    size_t racks, nodes_per_rack, node_count;
    size_t source_racks, source_nodes; /* the first racks; the rest are destinations */
    size_t vm_count;
    int64_t cpu, mem; /* every node's capacities */
    int64_t uplink_mbps;
};

static const char *family_name(enum mvm_generate_family f)
{
    return f == MVM_GENERATE_DECOMMISSION ? "decommission" : "random";
}

/* Total mem the VMs 0..n-1 consume: types 1 and 3 (odd ids) use VM_MEM_MAX. */
static int64_t mem_demand(size_t n)
{
    return (int64_t)(n - n / 2) * VM_MEM_MIN + (int64_t)(n / 2) * VM_MEM_MAX;
}

static int check_fits(const struct layout *l, size_t nodes, const char *what, struct mvm_error *err)
{
    int64_t cpu = l->cpu * (int64_t)nodes, mem = l->mem * (int64_t)nodes;
    if ((int64_t)l->vm_count * VM_CPU > cpu || mem_demand(l->vm_count) > mem)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "%zu VMs need %" PRId64 " cpu and %" PRId64
                             " mem but the %zu %s offer %" PRId64 " cpu and %" PRId64 " mem",
                             l->vm_count, (int64_t)l->vm_count * VM_CPU, mem_demand(l->vm_count),
                             nodes, what, cpu, mem);
    return 0;
}

static int resolve(const struct mvm_generate_options *o, struct layout *l, struct mvm_error *err)
{
    memset(l, 0, sizeof(*l));
    const char *fam = family_name(o->family);
    if (o->family != MVM_GENERATE_DECOMMISSION && o->family != MVM_GENERATE_RANDOM)
        return mvm_error_set(err, MVM_ERR_INVALID, "unknown family %d", (int)o->family);
    if (o->racks == 0 || o->nodes_per_rack == 0)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "expected at least one rack of at least one node, got %zu rack%s of "
                             "%zu node%s",
                             o->racks, o->racks == 1 ? "" : "s", o->nodes_per_rack,
                             o->nodes_per_rack == 1 ? "" : "s");
    /* node ids and then link ids (nodes, then one uplink per rack) must stay 32-bit */
    if (o->racks > (size_t)ID_MAX / 2 || o->nodes_per_rack > ((size_t)ID_MAX - o->racks) / o->racks)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "%zu racks of %zu nodes: node and link ids would exceed 2147483647",
                             o->racks, o->nodes_per_rack);
    l->racks = o->racks;
    l->nodes_per_rack = o->nodes_per_rack;
    l->node_count = o->racks * o->nodes_per_rack;
    l->source_racks = o->racks - (o->racks + 2) / 3;
    l->source_nodes = l->source_racks * o->nodes_per_rack;
    if (o->family == MVM_GENERATE_DECOMMISSION && l->source_racks == 0)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "decommission needs at least 2 racks (sources, then the "
                             "destinations: the last third, rounded up), got %zu",
                             o->racks);
    if (o->family == MVM_GENERATE_RANDOM && l->node_count < 2)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "random needs at least 2 nodes for a VM to move, got 1");

    if (o->vm_count > 0)
        l->vm_count = o->vm_count;
    else if (o->vms_per_node > (size_t)ID_MAX / (l->source_nodes ? l->source_nodes : 1))
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "%zu VMs per node on %zu source nodes: VM ids would exceed "
                             "2147483647",
                             o->vms_per_node, l->source_nodes);
    else
        l->vm_count = o->vms_per_node * l->source_nodes;
    if (l->vm_count == 0)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "%s: no VMs to generate (%zu VMs per node on %zu source node%s, "
                             "no VM count given)",
                             fam, o->vms_per_node, l->source_nodes,
                             l->source_nodes == 1 ? "" : "s");
    if (l->vm_count > (size_t)ID_MAX)
        return mvm_error_set(err, MVM_ERR_INVALID, "%zu VMs: VM ids would exceed 2147483647",
                             l->vm_count);

    if (o->cpu_capacity < 0 || o->mem_capacity < 0)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "expected non-negative capacities (0: derived), got cpu %" PRId64
                             " and mem %" PRId64,
                             o->cpu_capacity, o->mem_capacity);
    if (o->cpu_capacity == 0 && o->vms_per_node > (size_t)ID_MAX / 8)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "%zu VMs per node: the derived capacities would exceed 2147483647",
                             o->vms_per_node);
    l->cpu = o->cpu_capacity > 0 ? o->cpu_capacity : 2 * (int64_t)o->vms_per_node;
    l->mem = o->mem_capacity > 0 ? o->mem_capacity : 4 * l->cpu;
    if (l->cpu < VM_CPU || l->mem < VM_MEM_MAX || l->cpu > ID_MAX || l->mem > ID_MAX)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "expected node capacities of at least %d cpu and %d mem (the largest "
                             "VM) and at most 2147483647, got cpu %" PRId64 " and mem %" PRId64,
                             VM_CPU, VM_MEM_MAX, l->cpu, l->mem);

    double up = (double)MVM_GENERATE_AGGREGATION_MBPS * o->scale_aggregation;
    if (!isfinite(o->scale_aggregation) || !(up >= 0.5) || up >= (double)ID_MAX)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "expected an aggregation scale giving uplinks of 1 to 2147483646 "
                             "Mbit/s, got %g (%g Mbit/s)",
                             o->scale_aggregation, up);
    l->uplink_mbps = (int64_t)llround(up);

    bool decommission = o->family == MVM_GENERATE_DECOMMISSION;
    size_t hosts = decommission ? l->source_nodes : l->node_count;
    size_t targets = decommission ? l->node_count - l->source_nodes : l->node_count;
    if (check_fits(l, hosts, decommission ? "source nodes" : "nodes", err) < 0 ||
        check_fits(l, targets, decommission ? "destination nodes" : "nodes", err) < 0)
        return -1;
    return 0;
}

/* ---- drawing nodes with room ---- */

/*
 * Nodes first..first+count-1 with what each has left, and the list of those that
 * can still take the smallest VM ("open"), so a draw costs O(1) while most nodes
 * have room and full nodes are never drawn again.
 */
struct bins {
    size_t first;
    int64_t *cpu_left, *mem_left; /* [count] */
    size_t *open;                 /* node offsets */
    size_t open_count;
};

static int bins_init(struct bins *b, size_t first, size_t count, const struct layout *l,
                     struct mvm_error *err)
{
    memset(b, 0, sizeof(*b));
    b->first = first;
    b->cpu_left = mvm_calloc(count, sizeof(*b->cpu_left), err);
    b->mem_left = mvm_calloc(count, sizeof(*b->mem_left), err);
    b->open = mvm_calloc(count, sizeof(*b->open), err);
    if (b->cpu_left == NULL || b->mem_left == NULL || b->open == NULL)
        return -1;
    for (size_t i = 0; i < count; i++) {
        b->cpu_left[i] = l->cpu;
        b->mem_left[i] = l->mem;
        b->open[i] = i;
    }
    b->open_count = count;
    return 0;
}

static void bins_clear(struct bins *b)
{
    free(b->cpu_left);
    free(b->mem_left);
    free(b->open);
    memset(b, 0, sizeof(*b));
}

static bool bins_fit(const struct bins *b, size_t k, int64_t mem, size_t exclude)
{
    size_t i = b->open[k];
    return b->first + i != exclude && b->cpu_left[i] >= VM_CPU && b->mem_left[i] >= mem;
}

/*
 * Draws a node (model index) uniformly among the open ones that fit a VM of this
 * mem, other than exclude, and takes the room; MVM_NONE when none fits. A few
 * blind draws almost always succeed; a scan from a random start settles the rest.
 */
static size_t bins_take(struct bins *b, struct rng *r, int64_t mem, size_t exclude)
{
    if (b->open_count == 0)
        return MVM_NONE;
    size_t k = MVM_NONE;
    for (int tries = 0; tries < 16 && k == MVM_NONE; tries++) {
        size_t c = rng_below(r, b->open_count);
        if (bins_fit(b, c, mem, exclude))
            k = c;
    }
    for (size_t start = rng_below(r, b->open_count), j = 0; k == MVM_NONE && j < b->open_count; j++)
        if (bins_fit(b, (start + j) % b->open_count, mem, exclude))
            k = (start + j) % b->open_count;
    if (k == MVM_NONE)
        return MVM_NONE;
    size_t i = b->open[k];
    b->cpu_left[i] -= VM_CPU;
    b->mem_left[i] -= mem;
    if (b->cpu_left[i] < VM_CPU || b->mem_left[i] < VM_MEM_MIN)
        b->open[k] = b->open[--b->open_count];
    return b->first + i;
}

/*
 * For every VM in id order, a node of first..first+count-1 with room, other than
 * avoid[v] when avoid is given. Fills out[vm_count].
 */
static int place(const struct layout *l, struct rng *r, size_t first, size_t count,
                 const size_t *avoid, size_t *out, const char *what, struct mvm_error *err)
{
    struct bins b;
    int rc = bins_init(&b, first, count, l, err);
    for (size_t v = 0; rc == 0 && v < l->vm_count; v++) {
        out[v] = bins_take(&b, r, vm_mem(v), avoid ? avoid[v] : MVM_NONE);
        if (out[v] == MVM_NONE)
            rc = mvm_error_set(err, MVM_ERR_INVALID,
                               "no %s has room left for VM %zu (cpu %d, mem %" PRId64
                               "): the capacities (cpu %" PRId64 ", mem %" PRId64
                               ") leave too little room; raise them",
                               what, v, VM_CPU, vm_mem(v), l->cpu, l->mem);
    }
    bins_clear(&b);
    return rc;
}

/* ---- building the instance ---- */

static int add_nodes(struct mvm_model *m, const struct mvm_generate_options *o,
                     const struct layout *l, struct mvm_error *err)
{
    for (size_t i = 0; i < l->node_count; i++) {
        bool source = i < l->source_nodes;
        bool online = source || o->family == MVM_GENERATE_RANDOM;
        size_t k =
            mvm_model_add_node(m, (int32_t)i, online ? MVM_NODE_ONLINE : MVM_NODE_OFFLINE, err);
        if (k == MVM_NONE)
            return -1;
        if (!o->node_attributes)
            continue;
        int rc = source ? mvm_attrs_set_int(&m->nodes[k].attrs, "shutdown", SOURCE_SHUTDOWN_S, err)
                        : mvm_attrs_set_int(&m->nodes[k].attrs, "boot", DESTINATION_BOOT_S, err);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/*
 * Adds the VMs grouped by host (ids ascending within a node), the order the
 * reader gives them, so a generated instance saved and read back is the same
 * instance, index for index, and writes back to the same bytes.
 */
static int add_vms(struct mvm_model *m, const struct layout *l, const size_t *host,
                   struct mvm_error *err)
{
    size_t *start = mvm_calloc(l->node_count + 1, sizeof(*start), err);
    size_t *order = mvm_calloc(l->vm_count, sizeof(*order), err);
    int rc = start != NULL && order != NULL ? 0 : -1;
    if (rc == 0) { /* counting sort of the VM ids by host */
        for (size_t v = 0; v < l->vm_count; v++)
            start[host[v] + 1]++;
        for (size_t i = 0; i < l->node_count; i++)
            start[i + 1] += start[i];
        for (size_t v = 0; v < l->vm_count; v++)
            order[start[host[v]]++] = v;
    }
    for (size_t j = 0; rc == 0 && j < l->vm_count; j++) {
        size_t v = order[j];
        size_t k = mvm_model_add_vm(m, (int32_t)v, MVM_VM_RUNNING, host[v], err);
        const struct vm_type *t = &vm_types[v % 4];
        struct mvm_attrs *a = k == MVM_NONE ? NULL : &m->vms[k].attrs;
        if (a == NULL || mvm_attrs_set_double(a, "coldDirtyRate", t->cold_rate_mibps, err) < 0 ||
            mvm_attrs_set_int(a, "memUsed", t->mem_used_mib, err) < 0 ||
            mvm_attrs_set_int(a, "hotDirtySize", t->hot_size_mib, err) < 0 ||
            mvm_attrs_set_int(a, "hotDirtyDuration", t->hot_duration_s, err) < 0)
            rc = -1;
    }
    free(start);
    free(order);
    return rc;
}

/* A shareableResource listing every node's capacity and every VM's consumption. */
static int add_resource(struct mvm_model *m, const char *rc_id, int64_t capacity, bool is_mem,
                        struct mvm_error *err)
{
    size_t k = mvm_model_add_resource(m, rc_id, 0, 0, err);
    if (k == MVM_NONE)
        return -1;
    struct mvm_resource *r = &m->resources[k];
    for (size_t i = 0; i < m->node_count; i++) {
        r->node_capacity[i] = capacity;
        r->node_given[i] = true;
    }
    for (size_t j = 0; j < m->vm_count; j++) {
        r->vm_consumption[j] = is_mem ? vm_mem((size_t)m->vms[j].id) : VM_CPU;
        r->vm_given[j] = true;
    }
    return 0;
}

/* ToR r (switch r) links the nodes of rack r; the aggregation switch links every ToR. */
static int add_net(struct mvm_model *m, const struct layout *l, struct mvm_error *err)
{
    int32_t *ids = mvm_calloc(l->node_count, sizeof(*ids), err);
    if (ids == NULL)
        return -1;
    for (size_t i = 0; i < l->node_count; i++)
        ids[i] = (int32_t)i;
    struct mvm_net *net = mvm_net_new(ids, l->node_count, err);
    free(ids);
    if (net == NULL)
        return -1;
    int rc = 0;
    for (size_t s = 0; rc == 0 && s <= l->racks; s++)
        if (mvm_net_add_switch(net, (int32_t)s, -1, err) == MVM_NONE)
            rc = -1;
    for (size_t i = 0; rc == 0 && i < l->node_count; i++)
        if (mvm_net_add_link(net, (int32_t)i, MVM_GENERATE_NODE_LINK_MBPS, i / l->nodes_per_rack,
                             MVM_NET_END_NODE, i, err) == MVM_NONE)
            rc = -1;
    for (size_t s = 0; rc == 0 && s < l->racks; s++)
        if (mvm_net_add_link(net, (int32_t)(l->node_count + s), l->uplink_mbps, l->racks,
                             MVM_NET_END_SWITCH, s, err) == MVM_NONE)
            rc = -1;
    if (rc < 0 || mvm_net_finalize(net, err) < 0) {
        mvm_net_free(net);
        return -1;
    }
    return mvm_model_set_net(m, net, err);
}

/* Appends a constraint on one VM and/or one node, `continuous: false`. */
static int add_constraint(struct mvm_instance *in, enum mvm_constraint_kind kind, size_t vm,
                          size_t node, struct mvm_error *err)
{
    struct mvm_constraint c = {.kind = kind, .continuous = MVM_CONTINUOUS_FALSE};
    c.name = mvm_strdup(mvm_constraint_kind_name(kind), err);
    if (c.name == NULL)
        return -1;
    if (vm != MVM_NONE) {
        c.vms = mvm_calloc(1, sizeof(*c.vms), err);
        if (c.vms == NULL)
            goto fail;
        c.vms[0] = vm;
        c.vm_count = 1;
    }
    c.nodes = mvm_calloc(1, sizeof(*c.nodes), err);
    if (c.nodes == NULL)
        goto fail;
    c.nodes[0] = node;
    c.node_count = 1;
    return mvm_instance_add_constraint(in, &c, err);
fail:
    mvm_constraint_clear(&c);
    return -1;
}

static int add_constraints(struct mvm_instance *in, const struct mvm_generate_options *o,
                           const struct layout *l, const size_t *target, struct mvm_error *err)
{
    for (size_t v = 0; v < l->vm_count; v++)
        if (add_constraint(in, MVM_CONSTRAINT_FENCE, mvm_model_vm_index(in->model, (int32_t)v),
                           target[v], err) < 0)
            return -1;
    if (o->family == MVM_GENERATE_DECOMMISSION)
        for (size_t i = 0; i < l->source_nodes; i++)
            if (add_constraint(in, MVM_CONSTRAINT_OFFLINE, MVM_NONE, i, err) < 0)
                return -1;
    return mvm_instance_set_objective(in, "minimizeMTTRMigrationScheduling",
                                      "{\"id\":\"minimizeMTTRMigrationScheduling\"}", err);
}

void mvm_generate_options_init(struct mvm_generate_options *o, enum mvm_generate_family family)
{
    *o = (struct mvm_generate_options){
        .family = family,
        .racks = 3,
        .nodes_per_rack = 24,
        .vms_per_node = 2,
        .scale_aggregation = 1.0,
        .node_attributes = true,
        .seed = 1,
    };
}

struct mvm_instance *mvm_generate(const struct mvm_generate_options *o, struct mvm_error *err)
{
    struct layout l;
    if (resolve(o, &l, err) < 0)
        return NULL;
    bool decommission = o->family == MVM_GENERATE_DECOMMISSION;
    struct rng r;
    rng_seed(&r, o->seed);
    struct mvm_instance *in = NULL;
    struct mvm_model *m = NULL;
    size_t *host = mvm_calloc(l.vm_count, sizeof(*host), err);
    size_t *target = mvm_calloc(l.vm_count, sizeof(*target), err);
    if (host == NULL || target == NULL)
        goto fail;
    /* initial placement, then the fences' final placement from the same stream */
    if (place(&l, &r, 0, decommission ? l.source_nodes : l.node_count, NULL, host,
              decommission ? "source node" : "node", err) < 0 ||
        (decommission
             ? place(&l, &r, l.source_nodes, l.node_count - l.source_nodes, NULL, target,
                     "destination node", err)
             : place(&l, &r, 0, l.node_count, host, target, "node other than its host", err)) < 0)
        goto fail;
    m = mvm_model_new(err);
    if (m == NULL || add_nodes(m, o, &l, err) < 0 || add_vms(m, &l, host, err) < 0 ||
        add_resource(m, "mem", l.mem, true, err) < 0 ||
        add_resource(m, "cpu", l.cpu, false, err) < 0 || add_net(m, &l, err) < 0)
        goto fail;
    in = mvm_instance_new(m, err);
    m = NULL; /* owned by in, or freed */
    if (in == NULL || add_constraints(in, o, &l, target, err) < 0)
        goto fail;
    free(host);
    free(target);
    return in;
fail:
    mvm_instance_free(in);
    mvm_model_free(m);
    free(host);
    free(target);
    return NULL;
}
