/*
 * mvm_plan_verify: sets up the verification context (which network, which
 * resource views, how the instance's elements map onto the plan's origin), then
 * runs the replay and the constraint checks. See mvm/verify.h for the contract.
 */
#include "mvm/verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/array.h"
#include "util/sbuf.h"
#include "verify/context.h"

static const char *const kind_names[] = {
    [MVM_VIOLATION_ORIGIN] = "origin",
    [MVM_VIOLATION_ACTION] = "action",
    [MVM_VIOLATION_CONSTRAINT] = "constraint",
    [MVM_VIOLATION_NET_CAPACITY] = "net-capacity",
    [MVM_VIOLATION_NODE_CAPACITY] = "node-capacity",
    [MVM_VIOLATION_NOT_BOOTED] = "not-booted",
    [MVM_VIOLATION_NODE_BUSY] = "node-busy",
    [MVM_VIOLATION_DURATION] = "duration",
    [MVM_VIOLATION_BANDWIDTH] = "bandwidth",
    [MVM_VIOLATION_SYNC] = "sync",
    [MVM_VIOLATION_SERIALIZE] = "serialize",
    [MVM_VIOLATION_PRECEDENCE] = "precedence",
    [MVM_VIOLATION_DEADLINE] = "deadline",
    [MVM_VIOLATION_POWER] = "power",
    [MVM_VIOLATION_UNSUPPORTED] = "unsupported",
};

const char *mvm_violation_kind_name(enum mvm_violation_kind kind)
{
    return kind < MVM_VIOLATION_KIND_COUNT_ ? kind_names[kind] : "unknown";
}

void mvm_verify_options_init(struct mvm_verify_options *o)
{
    o->model = MVM_MIGRATION_PRECOPY;
    o->tolerance_s = 1;
    o->start_epoch = (int64_t)time(NULL);
}

void mvm_verify_report_clear(struct mvm_verify_report *r)
{
    for (size_t i = 0; i < r->count; i++)
        free(r->items[i].message);
    free(r->items);
    memset(r, 0, sizeof(*r));
}

void vctx_violation(struct vctx *ctx, enum mvm_violation_kind kind, int64_t time, size_t action,
                    size_t constraint, const char *fmt, ...)
{
    struct mvm_verify_report *r = ctx->report;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    char *copy = mvm_strdup(msg, NULL);
    if (copy == NULL || MVM_ARRAY_RESERVE(r->items, r->capacity_, r->count + 1, NULL) < 0) {
        free(copy);
        ctx->failed = true;
        return;
    }
    r->items[r->count++] = (struct mvm_violation){
        .kind = kind, .time = time, .action = action, .constraint = constraint, .message = copy};
}

const char *vctx_describe_action(const struct vctx *ctx, size_t i, char *buf, size_t size)
{
    const struct mvm_action *a = &ctx->plan->actions[i];
    const struct mvm_model *m = ctx->origin;
    struct mvm_sbuf s;
    mvm_sbuf_init(&s, buf, size);
    mvm_sbuf_printf(&s, "action %zu (%s", i, mvm_action_kind_name(a->kind));
    if (a->vm != MVM_NONE)
        mvm_sbuf_printf(&s, " of vm %d", (int)m->vms[a->vm].id);
    if (a->node != MVM_NONE)
        mvm_sbuf_printf(&s, " %s node %d", a->vm != MVM_NONE ? "on" : "of",
                        (int)m->nodes[a->node].id);
    if (a->from != MVM_NONE && a->to != MVM_NONE)
        mvm_sbuf_printf(&s, " from node %d to node %d", (int)m->nodes[a->from].id,
                        (int)m->nodes[a->to].id);
    mvm_sbuf_printf(&s, ", from t=%lld s to t=%lld s)", (long long)a->start, (long long)a->end);
    return buf;
}

/* Builds dst[i] = index in `to` of the element with the id of element i of `from`. */
static size_t *map_nodes(const struct mvm_model *from, const struct mvm_model *to,
                         struct mvm_error *err)
{
    size_t *map = mvm_calloc(from->node_count, sizeof(*map), err);
    for (size_t i = 0; map != NULL && i < from->node_count; i++)
        map[i] = mvm_model_node_index(to, from->nodes[i].id);
    return map;
}

static size_t *map_vms(const struct mvm_model *from, const struct mvm_model *to,
                       struct mvm_error *err)
{
    size_t *map = mvm_calloc(from->vm_count, sizeof(*map), err);
    for (size_t i = 0; map != NULL && i < from->vm_count; i++)
        map[i] = mvm_model_vm_index(to, from->vms[i].id);
    return map;
}

/* Reports how the origin and the instance's model disagree, element by element (first few). */
static void compare_origin(struct vctx *ctx)
{
    const struct mvm_model *o = ctx->origin, *im = ctx->instance->model;
    if (mvm_model_same_mapping(o, im))
        return;
    size_t reported = 0;
    for (size_t i = 0; i < im->vm_count && reported < 5; i++) {
        const struct mvm_vm *v = &im->vms[i];
        size_t j = ctx->vm_of_instance[i];
        if (j == MVM_NONE) {
            vctx_violation(ctx, MVM_VIOLATION_ORIGIN, 0, MVM_NONE, MVM_NONE,
                           "vm %d of the instance is missing from the plan's origin", (int)v->id);
            reported++;
            continue;
        }
        const struct mvm_vm *w = &o->vms[j];
        int32_t ih = v->host == MVM_NONE ? -1 : im->nodes[v->host].id;
        int32_t oh = w->host == MVM_NONE ? -1 : o->nodes[w->host].id;
        if (ih != oh || v->state != w->state) {
            vctx_violation(ctx, MVM_VIOLATION_ORIGIN, 0, MVM_NONE, MVM_NONE,
                           "vm %d is on node %d in the instance but on node %d in the plan's "
                           "origin (-1: no node)",
                           (int)v->id, (int)ih, (int)oh);
            reported++;
        }
    }
    if (reported == 0)
        vctx_violation(ctx, MVM_VIOLATION_ORIGIN, 0, MVM_NONE, MVM_NONE,
                       "the plan's origin does not have the instance's nodes, node states or "
                       "VMs");
}

/* Chooses the network: the origin's, else the instance's, else the assumed default. */
static int setup_net(struct vctx *ctx)
{
    const struct mvm_model *o = ctx->origin, *im = ctx->instance->model;
    const struct mvm_model *holder = o->net != NULL ? o : im->net != NULL ? im : NULL;
    if (holder != NULL) {
        ctx->net = holder->net;
        ctx->net_node = map_nodes(o, holder, ctx->err);
        return ctx->net_node == NULL ? -1 : 0;
    }
    int32_t *ids = mvm_calloc(o->node_count, sizeof(*ids), ctx->err);
    if (ids == NULL)
        return -1;
    for (size_t i = 0; i < o->node_count; i++)
        ids[i] = o->nodes[i].id;
    ctx->own_net = mvm_net_new_default(ids, o->node_count, MVM_NET_DEFAULT_LINK_MBPS, ctx->err);
    free(ids);
    ctx->net = ctx->own_net;
    ctx->net_node = map_nodes(o, o, ctx->err);
    /* BtrPlace without a network view writes this bandwidth and manages none */
    ctx->unmanaged_net = true;
    for (size_t i = 0; i < ctx->plan->action_count; i++) {
        const struct mvm_action *a = &ctx->plan->actions[i];
        if (a->kind == MVM_ACTION_MIGRATE_VM && a->bw_mbps != MVM_NET_UNLIMITED)
            ctx->unmanaged_net = false;
    }
    return ctx->net == NULL || ctx->net_node == NULL ? -1 : 0;
}

int mvm_plan_verify(const struct mvm_instance *instance, const struct mvm_plan *plan,
                    const struct mvm_verify_options *options, struct mvm_verify_report *report,
                    struct mvm_error *err)
{
    struct mvm_verify_options defaults;
    if (options == NULL) {
        mvm_verify_options_init(&defaults);
        options = &defaults;
    }
    struct vctx ctx = {.instance = instance,
                       .plan = plan,
                       .origin = plan->origin,
                       .opt = options,
                       .report = report,
                       .err = err};
    const struct mvm_model *o = plan->origin, *im = instance->model;
    int rc = -1;
    ctx.vm_of_instance = map_vms(im, o, err);
    ctx.node_of_instance = map_nodes(im, o, err);
    if (ctx.vm_of_instance == NULL || ctx.node_of_instance == NULL || setup_net(&ctx) < 0)
        goto done;
    ctx.res_model = o->resource_count > 0 ? o : im;
    ctx.res_node = map_nodes(o, ctx.res_model, err);
    ctx.res_vm = map_vms(o, ctx.res_model, err);
    ctx.vm_state = mvm_calloc(o->vm_count, sizeof(*ctx.vm_state), err);
    ctx.vm_host = mvm_calloc(o->vm_count, sizeof(*ctx.vm_host), err);
    ctx.node_state = mvm_calloc(o->node_count, sizeof(*ctx.node_state), err);
    if (ctx.res_node == NULL || ctx.res_vm == NULL || ctx.vm_state == NULL || ctx.vm_host == NULL ||
        ctx.node_state == NULL)
        goto done;
    compare_origin(&ctx);
    if (verify_replay(&ctx) < 0 || verify_constraints(&ctx) < 0)
        goto done;
    rc = 0;
    if (ctx.failed)
        rc = mvm_error_set(err, MVM_ERR_NOMEM, "out of memory while reporting violations");
done:
    free(ctx.vm_of_instance);
    free(ctx.node_of_instance);
    mvm_net_free(ctx.own_net);
    free(ctx.net_node);
    free(ctx.res_node);
    free(ctx.res_vm);
    free(ctx.vm_state);
    free(ctx.vm_host);
    free(ctx.node_state);
    return rc;
}
