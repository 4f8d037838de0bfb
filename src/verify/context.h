/*
 * State shared by the verifier's two halves: the replay of actions over time
 * (replay.c) and the checks of constraints on the schedule and the final state
 * (constraints.c). Everything is indexed by the plan origin's node and VM
 * indices; the instance's own indices are translated through the maps here.
 */
#ifndef MVM_VERIFY_CONTEXT_H
#define MVM_VERIFY_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/migration.h"
#include "mvm/net.h"
#include "mvm/verify.h"

/* Final or transient state of a VM during the replay. */
enum vstate { VS_RUNNING, VS_SLEEPING, VS_READY, VS_KILLED };

/* Node state during the replay. */
enum nstate { NS_ONLINE, NS_OFFLINE, NS_BOOTING, NS_HALTING };

struct vctx {
    const struct mvm_instance *instance;
    const struct mvm_plan *plan;
    const struct mvm_model *origin;
    const struct mvm_verify_options *opt;
    struct mvm_verify_report *report;
    struct mvm_error *err;
    bool failed; /* out of memory while reporting */

    /* instance index -> origin index (MVM_NONE when the origin lacks the element) */
    size_t *vm_of_instance;
    size_t *node_of_instance;

    /* the network, and origin node index -> index in the network's model */
    const struct mvm_net *net;
    struct mvm_net *own_net; /* the assumed default network, freed at the end */
    size_t *net_node;
    bool unmanaged_net;      /* BtrPlace without a network: bw 2147483647, `migrate` durations */

    /* resources: a model holding the shareableResource views and the index maps into it */
    const struct mvm_model *res_model;
    size_t *res_node;
    size_t *res_vm;

    /* final state after the replay */
    enum vstate *vm_state;
    size_t *vm_host;
    enum nstate *node_state;
};

/* Appends a violation (printf-style message). Sets ctx->failed on memory exhaustion. */
void vctx_violation(struct vctx *ctx, enum mvm_violation_kind kind, int64_t time, size_t action,
                    size_t constraint, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* "migrateVM of vm 3 from node 1 to node 2 [10, 30]" into buf (returned). */
const char *vctx_describe_action(const struct vctx *ctx, size_t action, char *buf, size_t size);

/* Replays the actions; fills the final state. Returns -1 on bad input (err set). */
int verify_replay(struct vctx *ctx);

/* Checks the scheduling constraints and the final state. */
int verify_constraints(struct vctx *ctx);

#endif
