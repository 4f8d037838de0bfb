/*
 * Execution semantics shared by the simulator and the executor (REFERENCE
 * section 9): predicted start times drift from reality, so a plan is run by its
 * dependency graph, not by the clock. An action waits for the actions that end
 * before its planned start and share a node or a network element with it, and
 * starts as soon as they have all finished. Written once here: the network a plan
 * runs on (chosen as the verifier chooses it), every action's duration under the
 * models (the verifier's rules), the graph, the earliest start of every action,
 * and re-timing a plan with it.
 */
#ifndef MVM_EXEC_H
#define MVM_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/error.h"
#include "mvm/instance.h"
#include "mvm/migration.h"
#include "mvm/net.h"
#include "mvm/plan.h"

/*
 * The dependency graph of a plan's actions, in compressed sparse rows: the
 * predecessors of action a are preds[pred_start[a] .. pred_start[a + 1]), in
 * ascending order, and its successors likewise in succs. Every edge goes from an
 * action to one that follows it in `order`.
 *
 * b precedes a when they share an element (a node both touch through from, to or
 * node/on, or a network resource on both migrations' paths) and b ends no later
 * than a starts (intervals are half-open: an end at t comes before a start at t;
 * two zero-length actions at the same second are ordered by index). Only the
 * necessary predecessors are stored, per element: on one element, if b1 precedes
 * b2 and both precede a, a lists b2 only. Actions overlapping on an element never
 * precede each other. Redundancy across elements (b1 before b2 on a node, b2
 * before a on a link) is kept.
 */
struct mvm_depgraph {
    size_t action_count;
    size_t edge_count;
    size_t *pred_start; /* [action_count + 1] */
    size_t *preds;      /* [edge_count] */
    size_t *succ_start; /* [action_count + 1] */
    size_t *succs;      /* [edge_count] */
    size_t *order;      /* [action_count]: by planned (start, end, index), a topological order */
};

/*
 * The network plan runs on, chosen as the verifier chooses it: the origin's
 * network view, else the instance's (instance may be NULL), else the assumed
 * default (one non-blocking switch, MVM_NET_DEFAULT_LINK_MBPS to every node,
 * marked implicit). Its node indices are always the origin's: when the view
 * belongs to an instance model whose nodes are not the origin's in the same order,
 * a copy re-indexed by node id is made (links to nodes the origin lacks, and
 * static routes through them, are left out). The result is borrowed from the plan
 * or the instance, or owned by the caller through *owned (set to NULL when
 * nothing was allocated; free it with mvm_net_free). NULL on error.
 */
const struct mvm_net *mvm_plan_network(const struct mvm_plan *plan,
                                       const struct mvm_instance *instance, struct mvm_net **owned,
                                       struct mvm_error *err);

/*
 * True when no network manages the plan's migrations: neither the origin nor the
 * instance (may be NULL) has a network view and every migration carries
 * BtrPlace's bandwidth 2147483647. Migrations then last the VM's `migrate`
 * attribute (1 s when absent), as the verifier assumes.
 */
bool mvm_plan_net_unmanaged(const struct mvm_plan *plan, const struct mvm_instance *instance);

/*
 * The duration of every action (durations[action_count], caller-owned) under the
 * verifier's rules: a migration lasts what `model` predicts at its own bandwidth
 * (mvm_migration_duration, memory from mvm_vm_memory_from_attrs), or its VM's
 * `migrate` attribute when the network is unmanaged; other actions last their
 * mvm_action_duration_attr attribute, 1 s when absent. Attributes are found by
 * mvm_plan_vm_attrs / mvm_plan_node_attrs (instance may be NULL). Fails with
 * MVM_ERR_INFEASIBLE naming the VM when a migration never converges at its
 * bandwidth, MVM_ERR_INVALID on a missing bandwidth or memUsed or a bad
 * attribute, MVM_ERR_UNSUPPORTED on an action of unknown kind.
 */
int mvm_plan_durations(const struct mvm_plan *plan, const struct mvm_instance *instance,
                       enum mvm_migration_model model, int64_t *durations, struct mvm_error *err);

/*
 * Builds the dependency graph of plan's actions. net gives the migrations' paths;
 * its node indices must be the origin's (as mvm_plan_network returns them). NULL
 * or an implicit network means the assumed default: there every link belongs to
 * one node and the switch is non-blocking, so sharing a network resource implies
 * sharing a node and only nodes are looked at. Fails (MVM_ERR_INVALID) on an
 * action ending before it starts or a migration without a path. The graph is the
 * caller's (mvm_depgraph_free); it does not refer to plan or net. Time
 * O(E log E + P) for E element uses and P stored edges.
 */
struct mvm_depgraph *mvm_depgraph_build(const struct mvm_plan *plan, const struct mvm_net *net,
                                        struct mvm_error *err);

/*
 * What else actions share, besides nodes and network resources, for
 * mvm_depgraph_build_with: the instance's Serialize and Precedence constraints
 * (each one an element shared by the actions of its VMs, so the planned order
 * among them holds), and the power drawn under a powerBudget (one element
 * shared by every action that changes it: node and VM actions, migrations).
 */
struct mvm_depgraph_options {
    const struct mvm_instance *instance; /* NULL: no constraint elements */
    bool power;
};

/* mvm_depgraph_build with the extra shared elements of options (which may be NULL). */
struct mvm_depgraph *mvm_depgraph_build_with(const struct mvm_plan *plan, const struct mvm_net *net,
                                             const struct mvm_depgraph_options *options,
                                             struct mvm_error *err);

/* Frees the graph. Accepts NULL. */
void mvm_depgraph_free(struct mvm_depgraph *graph);

/* The predecessors of action a, ascending; their number in *count. Borrowed from graph. */
const size_t *mvm_depgraph_preds(const struct mvm_depgraph *graph, size_t a, size_t *count);

/* The successors of action a, ascending; their number in *count. Borrowed from graph. */
const size_t *mvm_depgraph_succs(const struct mvm_depgraph *graph, size_t a, size_t *count);

/* The actions in a topological order (by planned start, end, index). Borrowed from graph. */
const size_t *mvm_depgraph_order(const struct mvm_depgraph *graph);

/*
 * Earliest schedule: every action starts as soon as its predecessors have ended,
 * starts[a] = max(0, max over preds p of starts[p] + durations[p]). Both arrays
 * have graph->action_count entries and belong to the caller.
 */
void mvm_depgraph_earliest_starts(const struct mvm_depgraph *graph, const int64_t *durations,
                                  int64_t *starts);

/*
 * Re-times plan: durations from mvm_plan_durations under `model` (each migration
 * keeps its bandwidth), dependencies from mvm_depgraph_build on the network of
 * mvm_plan_network, starts from mvm_depgraph_earliest_starts. *out receives a new
 * plan (the caller's, mvm_plan_free) holding a deep copy of the origin and a copy
 * of every action, in the same order, with the new start and end. instance may be
 * NULL. Errors as mvm_plan_durations and mvm_depgraph_build.
 */
int mvm_plan_retime(const struct mvm_plan *plan, const struct mvm_instance *instance,
                    enum mvm_migration_model model, struct mvm_plan **out, struct mvm_error *err);

#endif
