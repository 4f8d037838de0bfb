/*
 * The verifier's replay: every action's static checks (times, bandwidth, model
 * duration), then a sweep over start and end events in time order that tracks
 * node and VM states, node resource usage and network usage, and reports every
 * action that finds the wrong state and every over-capacity episode (once per
 * episode, with the second it starts and the elements involved).
 *
 * Resource rules (REFERENCE section 5): a migrating VM counts on its source until
 * the end and on its destination from the start; a booting VM from its start; a
 * VM shutting down until its end; sleeping VMs keep memory-like resources only.
 * Links carry each migration's bandwidth for [start, end).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mvm/instance.h"
#include "util/array.h"
#include "util/sbuf.h"
#include "verify/context.h"

enum load_mask { LOAD_ALL, LOAD_MEMORY, LOAD_NON_MEMORY };

struct event {
    int64_t time;
    int order; /* 0: end of a started action, 1: start, 2: end of a zero-length action */
    size_t action;
};

struct replay {
    struct vctx *ctx;
    const struct mvm_model *m;
    size_t nodes, vms, rcs, net_rcs;

    /* states */
    enum vstate *vm_state;
    size_t *vm_host;
    size_t *vm_busy;     /* action in progress on the VM, or MVM_NONE */
    size_t *vm_arriving; /* destination of an ongoing arrival, or MVM_NONE */
    enum nstate *node_state;
    size_t *node_busy;   /* node action in progress, or MVM_NONE */
    size_t *node_hosted; /* VMs on the node or arriving there */
    size_t *src;         /* per action: the VM's actual host when it started */

    /* node resources: [rc * nodes + node] */
    bool *is_memory;
    int64_t *cons; /* [rc * vms + vm], mutable (allocate) */
    int64_t *usage;
    int64_t *cap;
    bool *over;
    bool *touched;
    size_t *touched_list, touched_count;

    /* network */
    size_t *path_off, *path_len, *paths; /* per action: resources of its path */
    int64_t *net_use;
    bool *net_over, *net_touched;
    size_t *net_touched_list, net_touched_count;
    size_t *active, active_count; /* migrations in progress */
};

static const struct mvm_attrs *vm_attrs(const struct vctx *ctx, size_t v)
{
    return mvm_plan_vm_attrs(ctx->plan, ctx->instance, v);
}

static const struct mvm_attrs *node_attrs(const struct vctx *ctx, size_t n)
{
    return mvm_plan_node_attrs(ctx->plan, ctx->instance, n);
}

static int32_t node_id(const struct replay *r, size_t n)
{
    return r->m->nodes[n].id;
}

static int32_t vm_id(const struct replay *r, size_t v)
{
    return r->m->vms[v].id;
}

/* ---- static checks: times, bandwidth, durations ---- */

/* BtrPlace without a network: durations come from the VM's `migrate` attribute. */
static int check_unmanaged_migration(struct replay *r, size_t i, const struct mvm_action *a)
{
    struct vctx *ctx = r->ctx;
    int64_t need, length = a->end - a->start;
    if (mvm_attrs_get_duration(vm_attrs(ctx, a->vm), "migrate", &need, ctx->err) < 0)
        return -1;
    if (length < need) {
        char what[256];
        vctx_violation(ctx, MVM_VIOLATION_DURATION, a->start, i, MVM_NONE,
                       "%s lasts %" PRId64 " s, less than its migrate attribute (%" PRId64 " s)",
                       vctx_describe_action(ctx, i, what, sizeof(what)), length, need);
    }
    return 0;
}

/* Computes the path of every migration once (flat storage), reporting missing paths. */
static int compute_paths(struct replay *r)
{
    struct vctx *ctx = r->ctx;
    const struct mvm_plan *p = ctx->plan;
    size_t cap = 0, used = 0;
    struct mvm_path path = {0};
    int rc = 0;
    for (size_t i = 0; i < p->action_count && rc == 0; i++) {
        const struct mvm_action *a = &p->actions[i];
        r->path_off[i] = used;
        r->path_len[i] = 0;
        if (a->kind != MVM_ACTION_MIGRATE_VM || ctx->unmanaged_net || a->from == a->to)
            continue;
        size_t s = ctx->net_node[a->from], t = ctx->net_node[a->to];
        struct mvm_error perr;
        mvm_error_clear(&perr);
        if (s == MVM_NONE || t == MVM_NONE || mvm_net_path(ctx->net, s, t, &path, &perr) < 0) {
            char what[256];
            vctx_violation(ctx, MVM_VIOLATION_BANDWIDTH, a->start, i, MVM_NONE,
                           "%s: no network path: %s",
                           vctx_describe_action(ctx, i, what, sizeof(what)),
                           perr.message[0] ? perr.message : "node not in the network");
            continue;
        }
        rc = MVM_ARRAY_RESERVE(r->paths, cap, used + path.count, ctx->err);
        if (rc == 0) {
            memcpy(r->paths + used, path.resources, path.count * sizeof(size_t));
            r->path_len[i] = path.count;
            used += path.count;
        }
    }
    mvm_path_clear(&path);
    return rc;
}

/* Minimum capacity along an action's stored path. */
static int64_t path_max_bw(const struct replay *r, size_t i)
{
    int64_t m = INT64_MAX;
    for (size_t k = 0; k < r->path_len[i]; k++) {
        int64_t c = mvm_net_resource_capacity(r->ctx->net, r->paths[r->path_off[i] + k]);
        m = c < m ? c : m;
    }
    return m;
}

static int check_bandwidth_and_duration(struct replay *r, size_t i, const struct mvm_action *a)
{
    struct vctx *ctx = r->ctx;
    char what[256];
    vctx_describe_action(ctx, i, what, sizeof(what));
    if (a->bw_mbps <= 0) {
        vctx_violation(ctx, MVM_VIOLATION_BANDWIDTH, a->start, i, MVM_NONE,
                       "%s has bandwidth %" PRId64 " Mbit/s: a migration needs a positive one",
                       what, a->bw_mbps);
        return 0;
    }
    if (r->path_len[i] > 0) {
        int64_t max = path_max_bw(r, i);
        if (a->bw_mbps > max)
            vctx_violation(ctx, MVM_VIOLATION_BANDWIDTH, a->start, i, MVM_NONE,
                           "%s uses %" PRId64 " Mbit/s, above its path's maximum of %" PRId64
                           " Mbit/s",
                           what, a->bw_mbps, max);
    }
    struct mvm_vm_memory mem;
    if (mvm_vm_memory_from_attrs(vm_attrs(ctx, a->vm), &mem, ctx->err) < 0) {
        char msg[sizeof(ctx->err->message)];
        memcpy(msg, ctx->err->message, sizeof(msg));
        return mvm_error_set(ctx->err, MVM_ERR_INVALID, "vm %d: %s", (int)vm_id(r, a->vm), msg);
    }
    int64_t need;
    struct mvm_error derr;
    mvm_error_clear(&derr);
    if (mvm_migration_duration(&mem, (double)a->bw_mbps, ctx->opt->model, &need, &derr) < 0) {
        vctx_violation(ctx, MVM_VIOLATION_BANDWIDTH, a->start, i, MVM_NONE, "%s: %s", what,
                       derr.message);
        return 0;
    }
    int64_t length = a->end - a->start;
    if (length < need - ctx->opt->tolerance_s)
        vctx_violation(ctx, MVM_VIOLATION_DURATION, a->start, i, MVM_NONE,
                       "%s lasts %" PRId64 " s but the %s model needs %" PRId64 " s at %" PRId64
                       " Mbit/s",
                       what, length, mvm_migration_model_name(ctx->opt->model), need, a->bw_mbps);
    return 0;
}

static int static_checks(struct replay *r)
{
    struct vctx *ctx = r->ctx;
    for (size_t i = 0; i < ctx->plan->action_count; i++) {
        const struct mvm_action *a = &ctx->plan->actions[i];
        char what[256];
        vctx_describe_action(ctx, i, what, sizeof(what));
        if (a->kind == MVM_ACTION_OTHER) {
            vctx_violation(ctx, MVM_VIOLATION_UNSUPPORTED, a->start, i, MVM_NONE,
                           "%s: this action is not supported yet and was not checked", what);
            continue;
        }
        if (a->start < 0)
            vctx_violation(ctx, MVM_VIOLATION_ACTION, a->start, i, MVM_NONE,
                           "%s starts before the reconfiguration (t < 0)", what);
        if (a->end < a->start) {
            vctx_violation(ctx, MVM_VIOLATION_ACTION, a->start, i, MVM_NONE,
                           "%s ends before it starts", what);
            continue;
        }
        if (a->kind == MVM_ACTION_MIGRATE_VM) {
            if ((ctx->unmanaged_net ? check_unmanaged_migration(r, i, a)
                                    : check_bandwidth_and_duration(r, i, a)) < 0)
                return -1;
            continue;
        }
        bool node_action = a->kind == MVM_ACTION_BOOT_NODE || a->kind == MVM_ACTION_SHUTDOWN_NODE;
        const char *key = mvm_action_duration_attr(a->kind);
        int64_t need;
        if (mvm_attrs_get_duration(node_action ? node_attrs(ctx, a->node) : vm_attrs(ctx, a->vm),
                                   key, &need, ctx->err) < 0)
            return -1;
        if (a->end - a->start < need)
            vctx_violation(ctx, MVM_VIOLATION_DURATION, a->start, i, MVM_NONE,
                           "%s lasts %" PRId64 " s, less than the %s's %s duration (%" PRId64 " s)",
                           what, a->end - a->start, node_action ? "node" : "VM", key, need);
    }
    return 0;
}

/* ---- resources ---- */

static bool memory_like(const char *rc_id)
{
    return strncasecmp(rc_id, "mem", 3) == 0 || strcasecmp(rc_id, "ram") == 0;
}

/*
 * Resources whose usage changed at the current second, judged once all of its
 * events are replayed: an episode is a run of seconds over capacity, so a
 * departure and an arrival at the same second do not split it.
 */
static void mark_node(struct replay *r, size_t k, size_t n)
{
    size_t at = k * r->nodes + n;
    if (!r->touched[at]) {
        r->touched[at] = true;
        r->touched_list[r->touched_count++] = at;
    }
}

/* Adds (sign > 0) or removes the VM's consumption on node n. */
static void vm_load(struct replay *r, size_t v, size_t n, enum load_mask mask, int sign)
{
    if (n == MVM_NONE)
        return;
    for (size_t k = 0; k < r->rcs; k++) {
        if ((mask == LOAD_MEMORY && !r->is_memory[k]) ||
            (mask == LOAD_NON_MEMORY && r->is_memory[k]))
            continue;
        int64_t c = r->cons[k * r->vms + v];
        if (c == 0)
            continue;
        r->usage[k * r->nodes + n] += sign > 0 ? c : -c;
        mark_node(r, k, n);
    }
}

/*
 * Lists (the first 8) VMs on node n or arriving there, only those consuming
 * resource rc unless rc is MVM_NONE, into buf (returned).
 */
static const char *vms_on_node(const struct replay *r, size_t n, size_t rc, char *buf, size_t size)
{
    struct mvm_sbuf s;
    mvm_sbuf_init(&s, buf, size);
    size_t shown = 0;
    for (size_t v = 0; v < r->vms; v++) {
        if (r->vm_host[v] != n && r->vm_arriving[v] != n)
            continue;
        if (rc != MVM_NONE && (r->cons[rc * r->vms + v] == 0 || r->vm_state[v] == VS_READY ||
                               r->vm_state[v] == VS_KILLED))
            continue;
        if (shown++ == 8) {
            mvm_sbuf_printf(&s, ", ...");
            break;
        }
        mvm_sbuf_printf(&s, "%svm %d", shown > 1 ? ", " : "", (int)vm_id(r, v));
    }
    return buf;
}

static void report_node_over(struct replay *r, size_t at, int64_t t)
{
    size_t k = at / r->nodes, n = at % r->nodes;
    char list[512];
    vctx_violation(r->ctx, MVM_VIOLATION_NODE_CAPACITY, t, MVM_NONE, MVM_NONE,
                   "node %d: %s %" PRId64 " used > capacity %" PRId64 " (on it or arriving: %s)",
                   (int)node_id(r, n), r->ctx->res_model->resources[k].rc_id, r->usage[at],
                   r->cap[at], vms_on_node(r, n, k, list, sizeof(list)));
}

static void check_nodes(struct replay *r, int64_t t)
{
    for (size_t i = 0; i < r->touched_count; i++) {
        size_t at = r->touched_list[i];
        r->touched[at] = false;
        bool over = r->usage[at] > r->cap[at];
        if (over && !r->over[at])
            report_node_over(r, at, t);
        r->over[at] = over;
    }
    r->touched_count = 0;
}

/* ---- network ---- */

static void net_load(struct replay *r, size_t i, int64_t bw)
{
    for (size_t k = 0; k < r->path_len[i]; k++) {
        size_t res = r->paths[r->path_off[i] + k];
        r->net_use[res] += bw;
        /* judged once the second's events are replayed, as node resources (mark_node) */
        if (bw != 0 && !r->net_touched[res]) {
            r->net_touched[res] = true;
            r->net_touched_list[r->net_touched_count++] = res;
        }
    }
}

static bool path_uses(const struct replay *r, size_t i, size_t res)
{
    for (size_t k = 0; k < r->path_len[i]; k++)
        if (r->paths[r->path_off[i] + k] == res)
            return true;
    return false;
}

static void check_net(struct replay *r, int64_t t)
{
    for (size_t i = 0; i < r->net_touched_count; i++) {
        size_t res = r->net_touched_list[i];
        r->net_touched[res] = false;
        int64_t cap = mvm_net_resource_capacity(r->ctx->net, res);
        bool over = r->net_use[res] > cap;
        if (over && !r->net_over[res]) {
            char name[128], list[512];
            struct mvm_sbuf s;
            mvm_sbuf_init(&s, list, sizeof(list));
            size_t shown = 0;
            for (size_t j = 0; j < r->active_count; j++) {
                const struct mvm_action *a = &r->ctx->plan->actions[r->active[j]];
                if (!path_uses(r, r->active[j], res))
                    continue;
                if (shown++ == 8) {
                    mvm_sbuf_printf(&s, ", ...");
                    break;
                }
                mvm_sbuf_printf(&s, "%svm %d at %" PRId64, shown > 1 ? ", " : "",
                                (int)vm_id(r, a->vm), a->bw_mbps);
            }
            vctx_violation(r->ctx, MVM_VIOLATION_NET_CAPACITY, t, MVM_NONE, MVM_NONE,
                           "%s carries %" PRId64 " Mbit/s > capacity %" PRId64
                           " Mbit/s (migrations: %s)",
                           mvm_net_resource_name(r->ctx->net, res, name, sizeof(name)),
                           r->net_use[res], cap, list);
        }
        r->net_over[res] = over;
    }
    r->net_touched_count = 0;
}

/* ---- the sweep ---- */

static const char *node_state_text(enum nstate s)
{
    switch (s) {
    case NS_ONLINE:
        return "online";
    case NS_OFFLINE:
        return "offline";
    case NS_BOOTING:
        return "still booting";
    case NS_HALTING:
        return "shutting down";
    }
    return "?";
}

static bool vm_free(struct replay *r, size_t i, size_t v, int64_t t)
{
    if (r->vm_busy[v] == MVM_NONE) {
        r->vm_busy[v] = i;
        return true;
    }
    char what[256], other[256];
    vctx_violation(r->ctx, MVM_VIOLATION_ACTION, t, i, MVM_NONE, "%s overlaps %s on the same VM",
                   vctx_describe_action(r->ctx, i, what, sizeof(what)),
                   vctx_describe_action(r->ctx, r->vm_busy[v], other, sizeof(other)));
    return false;
}

static void require_online(struct replay *r, size_t i, size_t n, int64_t t, const char *role)
{
    if (r->node_state[n] == NS_ONLINE)
        return;
    char what[256];
    vctx_violation(r->ctx, MVM_VIOLATION_NOT_BOOTED, t, i, MVM_NONE, "%s: %s node %d is %s",
                   vctx_describe_action(r->ctx, i, what, sizeof(what)), role, (int)node_id(r, n),
                   node_state_text(r->node_state[n]));
}

/* Checks that VM v is in `state` on node `on` (MVM_NONE: anywhere) when action i starts. */
static void require_vm(struct replay *r, size_t i, size_t v, enum vstate state, size_t on,
                       int64_t t)
{
    static const char *const names[] = {"running", "sleeping", "ready", "killed"};
    char what[256];
    if (r->vm_state[v] != state)
        vctx_violation(r->ctx, MVM_VIOLATION_ACTION, t, i, MVM_NONE, "%s: vm %d is %s, not %s",
                       vctx_describe_action(r->ctx, i, what, sizeof(what)), (int)vm_id(r, v),
                       names[r->vm_state[v]], names[state]);
    else if (on != MVM_NONE && r->vm_host[v] != on)
        vctx_violation(r->ctx, MVM_VIOLATION_ACTION, t, i, MVM_NONE,
                       "%s: vm %d is on node %d, not on node %d",
                       vctx_describe_action(r->ctx, i, what, sizeof(what)), (int)vm_id(r, v),
                       (int)node_id(r, r->vm_host[v]), (int)node_id(r, on));
}

static void start_node_action(struct replay *r, size_t i, const struct mvm_action *a, int64_t t)
{
    char what[256];
    size_t n = a->node;
    if (r->node_busy[n] != MVM_NONE) {
        char other[256];
        vctx_violation(r->ctx, MVM_VIOLATION_ACTION, t, i, MVM_NONE, "%s overlaps %s",
                       vctx_describe_action(r->ctx, i, what, sizeof(what)),
                       vctx_describe_action(r->ctx, r->node_busy[n], other, sizeof(other)));
    }
    r->node_busy[n] = i;
    bool boot = a->kind == MVM_ACTION_BOOT_NODE;
    enum nstate want = boot ? NS_OFFLINE : NS_ONLINE;
    if (r->node_state[n] != want)
        vctx_violation(r->ctx, MVM_VIOLATION_ACTION, t, i, MVM_NONE, "%s: node %d is %s, not %s",
                       vctx_describe_action(r->ctx, i, what, sizeof(what)), (int)node_id(r, n),
                       node_state_text(r->node_state[n]), node_state_text(want));
    if (!boot && r->node_hosted[n] > 0) {
        char list[512];
        vctx_violation(r->ctx, MVM_VIOLATION_NODE_BUSY, t, i, MVM_NONE,
                       "%s: node %d still hosts %s",
                       vctx_describe_action(r->ctx, i, what, sizeof(what)), (int)node_id(r, n),
                       vms_on_node(r, n, MVM_NONE, list, sizeof(list)));
    }
    r->node_state[n] = boot ? NS_BOOTING : NS_HALTING;
}

static void start_action(struct replay *r, size_t i, int64_t t)
{
    const struct mvm_action *a = &r->ctx->plan->actions[i];
    char what[256];
    size_t v = a->vm;
    switch (a->kind) {
    case MVM_ACTION_MIGRATE_VM:
        vm_free(r, i, v, t);
        require_vm(r, i, v, VS_RUNNING, a->from, t);
        if (a->from == a->to)
            vctx_violation(r->ctx, MVM_VIOLATION_ACTION, t, i, MVM_NONE,
                           "%s migrates a VM to the node it is on",
                           vctx_describe_action(r->ctx, i, what, sizeof(what)));
        require_online(r, i, a->to, t, "destination");
        r->src[i] = r->vm_state[v] == VS_RUNNING ? r->vm_host[v] : MVM_NONE;
        if (r->src[i] != MVM_NONE && r->src[i] != a->to) {
            vm_load(r, v, a->to, LOAD_ALL, +1);
            r->vm_arriving[v] = a->to;
            r->node_hosted[a->to]++;
        }
        net_load(r, i, a->bw_mbps > 0 ? a->bw_mbps : 0);
        r->active[r->active_count++] = i;
        break;
    case MVM_ACTION_BOOT_NODE:
    case MVM_ACTION_SHUTDOWN_NODE:
        start_node_action(r, i, a, t);
        break;
    case MVM_ACTION_BOOT_VM:
        vm_free(r, i, v, t);
        require_vm(r, i, v, VS_READY, MVM_NONE, t);
        require_online(r, i, a->node, t, "host");
        vm_load(r, v, a->node, LOAD_ALL, +1);
        r->vm_host[v] = a->node;
        r->vm_state[v] = VS_RUNNING; /* holds resources from its start */
        r->node_hosted[a->node]++;
        break;
    case MVM_ACTION_SHUTDOWN_VM:
    case MVM_ACTION_KILL_VM:
        vm_free(r, i, v, t);
        if (a->kind == MVM_ACTION_SHUTDOWN_VM)
            require_vm(r, i, v, VS_RUNNING, a->node, t);
        else if (r->vm_state[v] == VS_KILLED ||
                 (r->vm_host[v] != MVM_NONE && r->vm_host[v] != a->node))
            vctx_violation(r->ctx, MVM_VIOLATION_ACTION, t, i, MVM_NONE,
                           "%s: vm %d is not on node %d",
                           vctx_describe_action(r->ctx, i, what, sizeof(what)), (int)vm_id(r, v),
                           (int)node_id(r, a->node));
        break;
    case MVM_ACTION_SUSPEND_VM:
        vm_free(r, i, v, t);
        require_vm(r, i, v, VS_RUNNING, a->from, t);
        require_online(r, i, a->to, t, "destination");
        if (a->to != a->from) {
            vm_load(r, v, a->to, LOAD_MEMORY, +1);
            r->vm_arriving[v] = a->to;
            r->node_hosted[a->to]++;
        }
        break;
    case MVM_ACTION_RESUME_VM:
        vm_free(r, i, v, t);
        require_vm(r, i, v, VS_SLEEPING, a->from, t);
        require_online(r, i, a->to, t, "destination");
        vm_load(r, v, a->to, a->to == a->from ? LOAD_NON_MEMORY : LOAD_ALL, +1);
        if (a->to != a->from) {
            r->vm_arriving[v] = a->to;
            r->node_hosted[a->to]++;
        }
        break;
    case MVM_ACTION_ALLOCATE: {
        vm_free(r, i, v, t);
        require_vm(r, i, v, VS_RUNNING, a->node, t);
        size_t k = 0;
        while (k < r->rcs && strcmp(r->ctx->res_model->resources[k].rc_id, a->rc) != 0)
            k++;
        if (k == r->rcs) {
            vctx_violation(r->ctx, MVM_VIOLATION_ACTION, t, i, MVM_NONE,
                           "%s: resource %s is not in the model",
                           vctx_describe_action(r->ctx, i, what, sizeof(what)), a->rc);
            break;
        }
        int64_t *c = &r->cons[k * r->vms + v];
        if (a->amount > *c && r->vm_host[v] != MVM_NONE) {
            r->usage[k * r->nodes + r->vm_host[v]] += a->amount - *c;
            mark_node(r, k, r->vm_host[v]);
            *c = a->amount;
        }
        break;
    }
    case MVM_ACTION_OTHER:
        break;
    }
}

/* Moves VM v's hosting from its current node to `to` at the end of an action. */
static void rehost(struct replay *r, size_t v, size_t to)
{
    size_t from = r->vm_host[v];
    if (from != MVM_NONE && r->node_hosted[from] > 0)
        r->node_hosted[from]--;
    r->vm_host[v] = to;
    r->vm_arriving[v] = MVM_NONE;
}

static void end_action(struct replay *r, size_t i)
{
    const struct mvm_action *a = &r->ctx->plan->actions[i];
    size_t v = a->vm;
    if (v != MVM_NONE && r->vm_busy[v] == i)
        r->vm_busy[v] = MVM_NONE;
    switch (a->kind) {
    case MVM_ACTION_MIGRATE_VM:
        net_load(r, i, a->bw_mbps > 0 ? -a->bw_mbps : 0);
        for (size_t j = 0; j < r->active_count; j++)
            if (r->active[j] == i) {
                r->active[j] = r->active[--r->active_count];
                break;
            }
        if (r->src[i] != MVM_NONE && r->src[i] != a->to) {
            vm_load(r, v, r->src[i], LOAD_ALL, -1);
            rehost(r, v, a->to);
        }
        break;
    case MVM_ACTION_BOOT_NODE:
    case MVM_ACTION_SHUTDOWN_NODE:
        if (r->node_busy[a->node] == i)
            r->node_busy[a->node] = MVM_NONE;
        r->node_state[a->node] = a->kind == MVM_ACTION_BOOT_NODE ? NS_ONLINE : NS_OFFLINE;
        break;
    case MVM_ACTION_BOOT_VM:
        break;
    case MVM_ACTION_SHUTDOWN_VM:
    case MVM_ACTION_KILL_VM: {
        size_t host = r->vm_host[v];
        enum vstate was = r->vm_state[v];
        if (was == VS_RUNNING || was == VS_SLEEPING) {
            vm_load(r, v, host, was == VS_RUNNING ? LOAD_ALL : LOAD_MEMORY, -1);
            rehost(r, v, MVM_NONE);
        }
        r->vm_state[v] = a->kind == MVM_ACTION_KILL_VM ? VS_KILLED : VS_READY;
        break;
    }
    case MVM_ACTION_SUSPEND_VM:
        if (r->vm_state[v] == VS_RUNNING && r->vm_host[v] == a->from) {
            vm_load(r, v, a->from, a->to == a->from ? LOAD_NON_MEMORY : LOAD_ALL, -1);
            if (a->to != a->from)
                rehost(r, v, a->to);
        }
        r->vm_state[v] = VS_SLEEPING;
        break;
    case MVM_ACTION_RESUME_VM:
        if (r->vm_state[v] == VS_SLEEPING && a->to != a->from && r->vm_host[v] == a->from) {
            vm_load(r, v, a->from, LOAD_MEMORY, -1);
            rehost(r, v, a->to);
        }
        r->vm_state[v] = VS_RUNNING;
        break;
    case MVM_ACTION_ALLOCATE: {
        size_t k = 0;
        while (k < r->rcs && strcmp(r->ctx->res_model->resources[k].rc_id, a->rc) != 0)
            k++;
        if (k < r->rcs && r->vm_host[v] != MVM_NONE) {
            int64_t *c = &r->cons[k * r->vms + v];
            r->usage[k * r->nodes + r->vm_host[v]] -= *c - a->amount;
            mark_node(r, k, r->vm_host[v]);
            *c = a->amount;
        }
        break;
    }
    case MVM_ACTION_OTHER:
        break;
    }
}

static int compare_events(const void *x, const void *y)
{
    const struct event *a = x, *b = y;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    if (a->order != b->order)
        return a->order - b->order;
    return a->action < b->action ? -1 : a->action > b->action;
}

static int sweep(struct replay *r)
{
    const struct mvm_plan *p = r->ctx->plan;
    struct event *ev = mvm_calloc(2 * p->action_count, sizeof(*ev), r->ctx->err);
    if (ev == NULL)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < p->action_count; i++) {
        const struct mvm_action *a = &p->actions[i];
        if (a->kind == MVM_ACTION_OTHER || a->end < a->start)
            continue;
        ev[n++] = (struct event){a->start, 1, i};
        ev[n++] = (struct event){a->end, a->end == a->start ? 2 : 0, i};
    }
    qsort(ev, n, sizeof(*ev), compare_events);
    /* usage at time 0 before any action: the origin itself may be over capacity */
    for (size_t at = 0; at < r->rcs * r->nodes; at++)
        if (!r->touched[at] && r->usage[at] > 0) {
            r->touched[at] = true;
            r->touched_list[r->touched_count++] = at;
        }
    check_nodes(r, n > 0 && ev[0].time < 0 ? ev[0].time : 0);
    for (size_t e = 0; e < n;) {
        int64_t t = ev[e].time;
        for (; e < n && ev[e].time == t; e++) {
            if (ev[e].order == 1)
                start_action(r, ev[e].action, t);
            else
                end_action(r, ev[e].action);
        }
        check_nodes(r, t);
        check_net(r, t);
    }
    free(ev);
    return 0;
}

static int init_state(struct replay *r)
{
    struct vctx *ctx = r->ctx;
    struct mvm_error *err = ctx->err;
    const struct mvm_model *m = r->m, *rm = ctx->res_model;
    size_t acts = ctx->plan->action_count;
    r->nodes = m->node_count;
    r->vms = m->vm_count;
    r->rcs = rm->resource_count;
    r->net_rcs = ctx->net != NULL ? mvm_net_resource_count(ctx->net) : 0;
    r->vm_state = ctx->vm_state;
    r->vm_host = ctx->vm_host;
    r->node_state = ctx->node_state;
    r->vm_busy = mvm_calloc(r->vms, sizeof(size_t), err);
    r->vm_arriving = mvm_calloc(r->vms, sizeof(size_t), err);
    r->node_busy = mvm_calloc(r->nodes, sizeof(size_t), err);
    r->node_hosted = mvm_calloc(r->nodes, sizeof(size_t), err);
    r->src = mvm_calloc(acts, sizeof(size_t), err);
    r->is_memory = mvm_calloc(r->rcs, sizeof(bool), err);
    r->cons = mvm_calloc(r->rcs * r->vms, sizeof(int64_t), err);
    r->usage = mvm_calloc(r->rcs * r->nodes, sizeof(int64_t), err);
    r->cap = mvm_calloc(r->rcs * r->nodes, sizeof(int64_t), err);
    r->over = mvm_calloc(r->rcs * r->nodes, sizeof(bool), err);
    r->touched = mvm_calloc(r->rcs * r->nodes, sizeof(bool), err);
    r->touched_list = mvm_calloc(r->rcs * r->nodes, sizeof(size_t), err);
    r->path_off = mvm_calloc(acts, sizeof(size_t), err);
    r->path_len = mvm_calloc(acts, sizeof(size_t), err);
    r->net_use = mvm_calloc(r->net_rcs, sizeof(int64_t), err);
    r->net_over = mvm_calloc(r->net_rcs, sizeof(bool), err);
    r->net_touched = mvm_calloc(r->net_rcs, sizeof(bool), err);
    r->net_touched_list = mvm_calloc(r->net_rcs, sizeof(size_t), err);
    r->active = mvm_calloc(acts, sizeof(size_t), err);
    if (!r->vm_busy || !r->vm_arriving || !r->node_busy || !r->node_hosted || !r->src ||
        !r->is_memory || !r->cons || !r->usage || !r->cap || !r->over || !r->touched ||
        !r->touched_list || !r->path_off || !r->path_len || !r->net_use || !r->net_over ||
        !r->net_touched || !r->net_touched_list || !r->active)
        return -1;
    for (size_t n = 0; n < r->nodes; n++) {
        r->node_state[n] = m->nodes[n].state == MVM_NODE_ONLINE ? NS_ONLINE : NS_OFFLINE;
        r->node_busy[n] = MVM_NONE;
    }
    for (size_t k = 0; k < r->rcs; k++) {
        const struct mvm_resource *res = &rm->resources[k];
        r->is_memory[k] = memory_like(res->rc_id);
        for (size_t n = 0; n < r->nodes; n++) {
            size_t j = ctx->res_node[n];
            r->cap[k * r->nodes + n] = j == MVM_NONE ? res->def_capacity : res->node_capacity[j];
        }
        for (size_t v = 0; v < r->vms; v++) {
            size_t j = ctx->res_vm[v];
            r->cons[k * r->vms + v] = j == MVM_NONE ? res->def_consumption : res->vm_consumption[j];
        }
    }
    for (size_t v = 0; v < r->vms; v++) {
        const struct mvm_vm *vm = &m->vms[v];
        r->vm_state[v] = vm->state == MVM_VM_RUNNING    ? VS_RUNNING
                         : vm->state == MVM_VM_SLEEPING ? VS_SLEEPING
                                                        : VS_READY;
        r->vm_host[v] = vm->host;
        r->vm_busy[v] = MVM_NONE;
        r->vm_arriving[v] = MVM_NONE;
        if (vm->host != MVM_NONE) {
            r->node_hosted[vm->host]++;
            for (size_t k = 0; k < r->rcs; k++)
                if (vm->state == MVM_VM_RUNNING || r->is_memory[k])
                    r->usage[k * r->nodes + vm->host] += r->cons[k * r->vms + v];
        }
    }
    return 0;
}

static void free_state(struct replay *r)
{
    free(r->vm_busy);
    free(r->vm_arriving);
    free(r->node_busy);
    free(r->node_hosted);
    free(r->src);
    free(r->is_memory);
    free(r->cons);
    free(r->usage);
    free(r->cap);
    free(r->over);
    free(r->touched);
    free(r->touched_list);
    free(r->path_off);
    free(r->path_len);
    free(r->paths);
    free(r->net_use);
    free(r->net_over);
    free(r->net_touched);
    free(r->net_touched_list);
    free(r->active);
}

int verify_replay(struct vctx *ctx)
{
    struct replay r = {.ctx = ctx, .m = ctx->origin};
    int rc = -1;
    if (init_state(&r) == 0 && compute_paths(&r) == 0 && static_checks(&r) == 0 && sweep(&r) == 0)
        rc = 0;
    free_state(&r);
    return rc;
}
