/*
 * Action durations under the models and plan re-timing (see mvm/exec.h). The
 * durations follow the verifier's rules exactly (same attributes, same fallback
 * from the origin to the instance, same model call), so a re-timed plan is
 * judged by the verifier against the very durations it was given. Re-timing
 * keeps every action's dependencies and each migration's bandwidth and lets each
 * action start as soon as its predecessors end: how the scheduler's benchmark
 * replays plans computed by others with our duration model.
 */
#include "mvm/exec.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"

/* Prefixes err's message with "vm ID: " and sets its code. Returns -1. */
static int about_vm(struct mvm_error *err, enum mvm_error_code code, int32_t vm_id)
{
    if (err == NULL)
        return -1;
    char msg[sizeof(err->message)];
    memcpy(msg, err->message, sizeof(msg));
    return mvm_error_set(err, code, "vm %d: %s", (int)vm_id, msg);
}

static int migration_duration(const struct mvm_plan *plan, const struct mvm_instance *instance,
                              const struct mvm_action *a, enum mvm_migration_model model,
                              bool unmanaged, int64_t *out, struct mvm_error *err)
{
    const struct mvm_model *o = plan->origin;
    const struct mvm_attrs *attrs = mvm_plan_vm_attrs(plan, instance, a->vm);
    int32_t id = o->vms[a->vm].id;
    if (unmanaged)
        return mvm_attrs_get_duration(attrs, "migrate", out, err) < 0
                   ? about_vm(err, MVM_ERR_INVALID, id)
                   : 0;
    if (a->bw_mbps <= 0)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "vm %d: migration with bandwidth %" PRId64
                             " Mbit/s: expected a positive one",
                             (int)id, a->bw_mbps);
    struct mvm_vm_memory mem;
    if (mvm_vm_memory_from_attrs(attrs, &mem, err) < 0)
        return about_vm(err, MVM_ERR_INVALID, id);
    if (mvm_migration_duration(&mem, (double)a->bw_mbps, model, out, err) < 0)
        return about_vm(err, MVM_ERR_INFEASIBLE, id);
    return 0;
}

int mvm_plan_durations(const struct mvm_plan *plan, const struct mvm_instance *instance,
                       enum mvm_migration_model model, int64_t *durations, struct mvm_error *err)
{
    bool unmanaged = mvm_plan_net_unmanaged(plan, instance);
    for (size_t i = 0; i < plan->action_count; i++) {
        const struct mvm_action *a = &plan->actions[i];
        if (a->kind == MVM_ACTION_OTHER)
            return mvm_error_set(err, MVM_ERR_UNSUPPORTED,
                                 "action %zu: an action of unknown kind has no known duration", i);
        if (a->kind == MVM_ACTION_MIGRATE_VM) {
            if (migration_duration(plan, instance, a, model, unmanaged, &durations[i], err) < 0)
                return -1;
            continue;
        }
        bool node_action = a->kind == MVM_ACTION_BOOT_NODE || a->kind == MVM_ACTION_SHUTDOWN_NODE;
        const struct mvm_attrs *attrs = node_action ? mvm_plan_node_attrs(plan, instance, a->node)
                                                    : mvm_plan_vm_attrs(plan, instance, a->vm);
        if (mvm_attrs_get_duration(attrs, mvm_action_duration_attr(a->kind), &durations[i], err) <
            0) {
            if (err == NULL)
                return -1;
            char msg[sizeof(err->message)];
            memcpy(msg, err->message, sizeof(msg));
            const struct mvm_model *o = plan->origin;
            return mvm_error_set(err, MVM_ERR_INVALID, "%s %d: %s", node_action ? "node" : "vm",
                                 node_action ? (int)o->nodes[a->node].id : (int)o->vms[a->vm].id,
                                 msg);
        }
    }
    return 0;
}

/* Copies action a (its strings duplicated) with new times. */
static int copy_action(struct mvm_plan *dst, const struct mvm_action *a, int64_t start, int64_t end,
                       struct mvm_error *err)
{
    struct mvm_action c = *a;
    c.start = start;
    c.end = end;
    c.rc = mvm_strdup(a->rc, err);
    c.hooks = mvm_strdup(a->hooks, err);
    c.json = mvm_strdup(a->json, err);
    if ((a->rc != NULL && c.rc == NULL) || (a->hooks != NULL && c.hooks == NULL) ||
        (a->json != NULL && c.json == NULL)) {
        mvm_action_clear(&c);
        return -1;
    }
    return mvm_plan_add_action(dst, &c, err);
}

int mvm_plan_retime(const struct mvm_plan *plan, const struct mvm_instance *instance,
                    enum mvm_migration_model model, struct mvm_plan **out, struct mvm_error *err)
{
    size_t n = plan->action_count;
    *out = NULL;
    int64_t *durations = mvm_calloc(n, sizeof(*durations), err);
    int64_t *starts = mvm_calloc(n, sizeof(*starts), err);
    struct mvm_net *owned = NULL;
    const struct mvm_net *net = NULL;
    struct mvm_depgraph *g = NULL;
    struct mvm_model *origin = NULL;
    struct mvm_plan *p = NULL;
    int rc = -1;
    if (durations == NULL || starts == NULL ||
        mvm_plan_durations(plan, instance, model, durations, err) < 0)
        goto done;
    net = mvm_plan_network(plan, instance, &owned, err);
    if (net == NULL || (g = mvm_depgraph_build(plan, net, err)) == NULL)
        goto done;
    mvm_depgraph_earliest_starts(g, durations, starts);
    origin = mvm_model_copy(plan->origin, err);
    if (origin == NULL || (p = mvm_plan_new(origin, err)) == NULL)
        goto done;
    for (size_t i = 0; i < n; i++)
        if (copy_action(p, &plan->actions[i], starts[i], starts[i] + durations[i], err) < 0)
            goto done;
    *out = p;
    p = NULL;
    rc = 0;
done:
    mvm_plan_free(p);
    mvm_depgraph_free(g);
    mvm_net_free(owned);
    free(durations);
    free(starts);
    return rc;
}
