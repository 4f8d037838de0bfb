/*
 * Seeded generation of the mVM scalability instances (REFERENCE section 10; the
 * published files are in tests/data/instances/scale): racks of nodes behind one
 * top-of-rack switch each, one aggregation switch, VMs of four types, and either
 * a decommissioning (the first two thirds of the racks drained into the last
 * third, which is off at first) or random moves (every VM fenced to another
 * node). The same options and seed always give the same instance, at any scale,
 * so benchmarks can go beyond the published x1 and x2 files.
 *
 * The recipe, as the published files show it (x1: 3 racks of 24 nodes, 96 VMs):
 * - node i is in rack i / nodes_per_rack; the destination racks are the last
 *   ceil(racks / 3), the others are the source racks;
 * - switches: ToR r has id r, the aggregation switch id racks; all non-blocking
 *   (capacity -1). Links: node i's link has id i (1000 Mbit/s to its ToR), then
 *   ToR r's uplink has id node_count + r (10,000 Mbit/s x scale_aggregation);
 * - views `mem` then `cpu` (shareableResource), then `net`: every node gets the
 *   same capacities (cpu 2 x vms_per_node, mem 4 x cpu: 4 and 16 at x1), VM
 *   consumption mem 2 or 4 (memUsed / 1000) and cpu 1;
 * - VM v has type v mod 4: memUsed 2000, 4000, 2000, 4000 MiB with dirtying
 *   {hotDirtySize 5, hotDirtyDuration 3, coldDirtyRate 0.0}, {96, 2, 3.0},
 *   {96, 2, 3.0}, {5, 3, 0.0} (attribute order coldDirtyRate, memUsed,
 *   hotDirtySize, hotDirtyDuration, as in the files);
 * - there are vms_per_node x (nodes of the source racks) VMs;
 * - node attributes (when node_attributes): shutdown 17 on the source racks,
 *   boot 120 on the destination racks;
 * - objective minimizeMTTRMigrationScheduling; constraints are all
 *   `continuous: false`.
 * Decommissioning: source racks online, destination racks offline; VMs 0, 1, ...
 * each go to a uniformly random source node with room; then each VM is fenced
 * to a random destination node with room left (at the default capacities the
 * destinations end exactly full), then every source node gets `offline`
 * (in node order). Destinations get no `online` constraint.
 * Random: every node online; VMs go to random nodes with room; each VM is fenced
 * to a random node other than its host with room in the final placement (every
 * VM moves). No `offline` constraint.
 */
#ifndef MVM_GENERATE_H
#define MVM_GENERATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/error.h"
#include "mvm/instance.h"

/* Capacities of the published instances' links, in Mbit/s. */
#define MVM_GENERATE_NODE_LINK_MBPS INT64_C(1000)
#define MVM_GENERATE_AGGREGATION_MBPS INT64_C(10000)

enum mvm_generate_family {
    MVM_GENERATE_DECOMMISSION, /* drain the source racks into the destination racks */
    MVM_GENERATE_RANDOM,       /* every VM moves to a random other node */
};

struct mvm_generate_options {
    enum mvm_generate_family family;
    size_t racks;             /* 3; the last ceil(racks / 3) are the destination racks */
    size_t nodes_per_rack;    /* 24 */
    size_t vms_per_node;      /* 2: VMs per node of the source racks, on average */
    size_t vm_count;          /* 0: vms_per_node x nodes of the source racks */
    int64_t cpu_capacity;     /* 0: 2 x vms_per_node (4 at x1) */
    int64_t mem_capacity;     /* 0: 4 x the cpu capacity (16 at x1) */
    double scale_aggregation; /* 1.0: uplinks of MVM_GENERATE_AGGREGATION_MBPS x this */
    bool node_attributes;     /* true: shutdown/boot durations on the nodes */
    uint64_t seed;            /* 1 */
};

/* Sets the options that reproduce the published x1 instances of family. */
void mvm_generate_options_init(struct mvm_generate_options *options,
                               enum mvm_generate_family family);

/*
 * A new instance built from options, or NULL (err set). MVM_ERR_INVALID when the
 * options are impossible (no racks or nodes, a decommissioning without a source
 * rack, no VMs, ids beyond 32 bits, VMs that do not fit the capacities). The
 * final placement the fences describe always respects every node's capacities.
 * VMs are indexed grouped by host, as the reader orders them, so a saved
 * instance reads back index for index. Free with mvm_instance_free.
 */
struct mvm_instance *mvm_generate(const struct mvm_generate_options *options,
                                  struct mvm_error *err);

#endif
