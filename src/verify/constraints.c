/*
 * The verifier's constraint checks: placement constraints on the state the
 * replay ends in (final-state semantics; `continuous` fence and ban also check
 * every destination a VM is sent to, and root forbids any migration), and the
 * scheduling constraints of mVM on the migrations' times (REFERENCE section 6).
 * Constraints not supported yet are reported, never skipped silently.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvm/energy.h"
#include "mvm/instance.h"
#include "verify/context.h"

static int32_t vm_id(const struct vctx *ctx, size_t v)
{
    return ctx->origin->vms[v].id;
}

static int32_t node_id(const struct vctx *ctx, size_t n)
{
    return ctx->origin->nodes[n].id;
}

static bool in_nodes(const struct vctx *ctx, const struct mvm_constraint *c, size_t origin_node)
{
    for (size_t k = 0; k < c->node_count; k++)
        if (ctx->node_of_instance[c->nodes[k]] == origin_node)
            return true;
    return false;
}

/* Destinations the plan sends VM v to (migrations, boots, resumes), checked against fence/ban. */
static void check_destinations(struct vctx *ctx, size_t ci, const struct mvm_constraint *c,
                               size_t v, bool must_be_in)
{
    const struct mvm_plan *p = ctx->plan;
    for (size_t i = 0; i < p->action_count; i++) {
        const struct mvm_action *a = &p->actions[i];
        if (a->vm != v)
            continue;
        size_t dest = a->kind == MVM_ACTION_MIGRATE_VM || a->kind == MVM_ACTION_RESUME_VM ? a->to
                      : a->kind == MVM_ACTION_BOOT_VM                                     ? a->node
                                                      : MVM_NONE;
        if (dest != MVM_NONE && in_nodes(ctx, c, dest) != must_be_in)
            vctx_violation(ctx, MVM_VIOLATION_CONSTRAINT, a->start, i, ci,
                           "constraint %zu (continuous %s): vm %d is sent to node %d", ci, c->name,
                           (int)vm_id(ctx, v), (int)node_id(ctx, dest));
    }
}

static const char *vstate_name(enum vstate s)
{
    static const char *const names[] = {"running", "sleeping", "ready", "killed"};
    return names[s];
}

static void check_placement(struct vctx *ctx, size_t ci, const struct mvm_constraint *c,
                            int64_t end)
{
    size_t v = c->vm_count > 0 ? ctx->vm_of_instance[c->vms[0]] : MVM_NONE;
    size_t n = c->node_count > 0 ? ctx->node_of_instance[c->nodes[0]] : MVM_NONE;
    bool needs_vm = c->kind != MVM_CONSTRAINT_ONLINE && c->kind != MVM_CONSTRAINT_OFFLINE;
    if ((needs_vm && v == MVM_NONE) || (!needs_vm && n == MVM_NONE)) {
        vctx_violation(ctx, MVM_VIOLATION_ORIGIN, 0, MVM_NONE, ci,
                       "constraint %zu (%s) names an element missing from the plan's origin", ci,
                       c->name);
        return;
    }
    switch (c->kind) {
    case MVM_CONSTRAINT_FENCE:
    case MVM_CONSTRAINT_BAN: {
        bool fence = c->kind == MVM_CONSTRAINT_FENCE;
        if (ctx->vm_state[v] == VS_RUNNING && in_nodes(ctx, c, ctx->vm_host[v]) != fence)
            vctx_violation(ctx, MVM_VIOLATION_CONSTRAINT, end, MVM_NONE, ci,
                           "constraint %zu (%s): vm %d ends on node %d, %s its nodes", ci, c->name,
                           (int)vm_id(ctx, v), (int)node_id(ctx, ctx->vm_host[v]),
                           fence ? "not one of" : "one of");
        if (c->continuous == MVM_CONTINUOUS_TRUE)
            check_destinations(ctx, ci, c, v, fence);
        break;
    }
    case MVM_CONSTRAINT_ROOT:
        for (size_t i = 0; i < ctx->plan->action_count; i++) {
            const struct mvm_action *a = &ctx->plan->actions[i];
            if (a->kind == MVM_ACTION_MIGRATE_VM && a->vm == v)
                vctx_violation(ctx, MVM_VIOLATION_CONSTRAINT, a->start, i, ci,
                               "constraint %zu (root): vm %d must not move but migrates to node %d",
                               ci, (int)vm_id(ctx, v), (int)node_id(ctx, a->to));
        }
        break;
    case MVM_CONSTRAINT_ONLINE:
    case MVM_CONSTRAINT_OFFLINE: {
        enum nstate want = c->kind == MVM_CONSTRAINT_ONLINE ? NS_ONLINE : NS_OFFLINE;
        if (ctx->node_state[n] != want)
            vctx_violation(ctx, MVM_VIOLATION_CONSTRAINT, end, MVM_NONE, ci,
                           "constraint %zu (%s): node %d ends %s", ci, c->name,
                           (int)node_id(ctx, n), want == NS_ONLINE ? "offline" : "online");
        break;
    }
    default: {
        enum vstate want = c->kind == MVM_CONSTRAINT_RUNNING    ? VS_RUNNING
                           : c->kind == MVM_CONSTRAINT_READY    ? VS_READY
                           : c->kind == MVM_CONSTRAINT_SLEEPING ? VS_SLEEPING
                                                                : VS_KILLED;
        if (ctx->vm_state[v] != want)
            vctx_violation(ctx, MVM_VIOLATION_CONSTRAINT, end, MVM_NONE, ci,
                           "constraint %zu (%s): vm %d ends %s", ci, c->name, (int)vm_id(ctx, v),
                           vstate_name(ctx->vm_state[v]));
        break;
    }
    }
}

/* The migrations of origin VM v: fills idx (capacity cap) and returns how many. */
static size_t migrations_of(const struct vctx *ctx, size_t v, size_t *idx, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < ctx->plan->action_count; i++) {
        const struct mvm_action *a = &ctx->plan->actions[i];
        if (a->kind == MVM_ACTION_MIGRATE_VM && a->vm == v && v != MVM_NONE && n < cap)
            idx[n++] = i;
    }
    return n;
}

/* Every migration of the constraint's VMs, with the VM each belongs to. */
struct migration_set {
    size_t *action;
    size_t count;
};

static int collect(struct vctx *ctx, const struct mvm_constraint *c, struct migration_set *set)
{
    set->count = 0;
    set->action = calloc(ctx->plan->action_count + 1, sizeof(size_t));
    if (set->action == NULL)
        return mvm_error_set(ctx->err, MVM_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < c->vm_count; k++) {
        size_t v = ctx->vm_of_instance[c->vms[k]];
        set->count +=
            migrations_of(ctx, v, set->action + set->count, ctx->plan->action_count - set->count);
    }
    return 0;
}

static bool post_copy(const struct vctx *ctx, size_t v)
{
    bool b = false;
    return mvm_attrs_get_bool(&ctx->origin->vms[v].attrs, "postCopy", &b, NULL) == 1 && b;
}

static int check_scheduling(struct vctx *ctx, size_t ci, const struct mvm_constraint *c)
{
    const struct mvm_plan *p = ctx->plan;
    struct migration_set set;
    if (collect(ctx, c, &set) < 0)
        return -1;
    switch (c->kind) {
    case MVM_CONSTRAINT_SYNC: {
        /* pre-copy VMs resume together (same end), post-copy ones switch together (same start) */
        for (size_t k = 1; k < set.count; k++) {
            const struct mvm_action *a = &p->actions[set.action[0]],
                                    *b = &p->actions[set.action[k]];
            int64_t ta = post_copy(ctx, a->vm) ? a->start : a->end;
            int64_t tb = post_copy(ctx, b->vm) ? b->start : b->end;
            if (ta != tb)
                vctx_violation(ctx, MVM_VIOLATION_SYNC, ta < tb ? ta : tb, set.action[k], ci,
                               "constraint %zu (Sync): vm %d switches at t=%" PRId64
                               " s but vm %d at t=%" PRId64 " s",
                               ci, (int)vm_id(ctx, a->vm), ta, (int)vm_id(ctx, b->vm), tb);
        }
        break;
    }
    case MVM_CONSTRAINT_SERIALIZE:
        for (size_t x = 0; x < set.count; x++)
            for (size_t y = x + 1; y < set.count; y++) {
                const struct mvm_action *a = &p->actions[set.action[x]];
                const struct mvm_action *b = &p->actions[set.action[y]];
                if (a->start < b->end && b->start < a->end)
                    vctx_violation(ctx, MVM_VIOLATION_SERIALIZE,
                                   a->start > b->start ? a->start : b->start, set.action[y], ci,
                                   "constraint %zu (Serialize): migrations of vm %d [%" PRId64
                                   ", %" PRId64 "] and vm %d [%" PRId64 ", %" PRId64 "] overlap",
                                   ci, (int)vm_id(ctx, a->vm), a->start, a->end,
                                   (int)vm_id(ctx, b->vm), b->start, b->end);
            }
        break;
    case MVM_CONSTRAINT_PRECEDENCE: {
        size_t first = ctx->vm_of_instance[c->vms[0]];
        for (size_t x = 0; x < set.count; x++)
            for (size_t y = 0; y < set.count; y++) {
                const struct mvm_action *a = &p->actions[set.action[x]];
                const struct mvm_action *b = &p->actions[set.action[y]];
                if (a->vm == first && b->vm != first && a->end > b->start)
                    vctx_violation(ctx, MVM_VIOLATION_PRECEDENCE, b->start, set.action[y], ci,
                                   "constraint %zu (Precedence): vm %d ends at t=%" PRId64
                                   " s, after vm %d starts at t=%" PRId64 " s",
                                   ci, (int)vm_id(ctx, a->vm), a->end, (int)vm_id(ctx, b->vm),
                                   b->start);
            }
        break;
    }
    case MVM_CONSTRAINT_DEADLINE: {
        int64_t deadline;
        if (mvm_deadline_resolve(c->timestamp, ctx->opt->start_epoch, &deadline, ctx->err) < 0) {
            free(set.action);
            return -1;
        }
        for (size_t x = 0; x < set.count; x++) {
            const struct mvm_action *a = &p->actions[set.action[x]];
            if (a->end > deadline)
                vctx_violation(ctx, MVM_VIOLATION_DEADLINE, a->end, set.action[x], ci,
                               "constraint %zu (Deadline %s = t=%" PRId64
                               " s): vm %d's migration ends at t=%" PRId64 " s",
                               ci, c->timestamp, deadline, (int)vm_id(ctx, a->vm), a->end);
        }
        break;
    }
    default:
        break;
    }
    free(set.action);
    return 0;
}

/*
 * powerBudget: the mean power of every second of the window (the energy model
 * of mvm/energy.h, at the plan's times) stays within the budget; each
 * over-budget episode is reported once, at its first second.
 */
static int check_power(struct vctx *ctx, size_t ci, const struct mvm_constraint *c)
{
    struct mvm_power_model pm;
    if (mvm_power_model_init(&pm, ctx->origin, ctx->err) < 0)
        return -1;
    struct mvm_energy e;
    double *watts = NULL;
    size_t seconds = 0;
    int rc = mvm_plan_energy(ctx->plan, &pm, 0.0, &e, &watts, &seconds, ctx->err);
    mvm_power_model_clear(&pm);
    if (rc < 0)
        return -1;
    size_t from = (size_t)c->window_start;
    size_t to =
        c->window_end < 0 || (size_t)c->window_end > seconds ? seconds : (size_t)c->window_end;
    bool over = false;
    for (size_t s = from; s < to; s++) {
        /* a tolerance for the rounding of a mean over the second */
        bool now = watts[s] > c->watts + 1e-6;
        if (now && !over)
            vctx_violation(ctx, MVM_VIOLATION_POWER, (int64_t)s, MVM_NONE, ci,
                           "constraint %zu (powerBudget %.0f W from t=%lld s): %.0f W drawn "
                           "during second %zu",
                           ci, c->watts, (long long)c->window_start, watts[s], s);
        over = now;
    }
    free(watts);
    return 0;
}

int verify_constraints(struct vctx *ctx)
{
    const struct mvm_instance *in = ctx->instance;
    int64_t end = mvm_plan_makespan(ctx->plan);
    for (size_t ci = 0; ci < in->constraint_count; ci++) {
        const struct mvm_constraint *c = &in->constraints[ci];
        switch (c->kind) {
        case MVM_CONSTRAINT_SYNC:
        case MVM_CONSTRAINT_SERIALIZE:
        case MVM_CONSTRAINT_PRECEDENCE:
        case MVM_CONSTRAINT_DEADLINE:
            if (check_scheduling(ctx, ci, c) < 0)
                return -1;
            break;
        case MVM_CONSTRAINT_POWER_BUDGET:
            if (check_power(ctx, ci, c) < 0)
                return -1;
            break;
        case MVM_CONSTRAINT_OTHER:
            vctx_violation(ctx, MVM_VIOLATION_UNSUPPORTED, 0, MVM_NONE, ci,
                           "constraint %zu (%s) is not supported yet and was not checked", ci,
                           c->name);
            break;
        default:
            check_placement(ctx, ci, c, end);
            break;
        }
    }
    return 0;
}
