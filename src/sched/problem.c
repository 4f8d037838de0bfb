/*
 * Derivation of the scheduling problem from an instance (see problem.h):
 * which actions the constraints imply, how long each lasts, what it occupies,
 * and what must precede what. Everything that makes an instance unsolvable
 * whatever the schedule (a fence to a node that must go offline, a final
 * placement over capacity, a migration that cannot converge) is reported here,
 * with the constraint, node, resource or VM at fault.
 */
#include "sched/problem.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/array.h"
#include "util/sbuf.h"

/* Target of each element after the reconfiguration. */
struct target {
    size_t *host;                /* per VM: node it must end on (MVM_NONE: none) */
    enum mvm_vm_state *state;    /* per VM */
    bool *killed;                /* per VM */
    enum mvm_node_state *nstate; /* per node */
    size_t *nstate_cstr;         /* per node: constraint fixing the state, MVM_NONE if none */
    size_t *fence_cstr;          /* per VM: the fence fixing its host, MVM_NONE if none */
};

static void target_free(struct target *t)
{
    free(t->host);
    free(t->state);
    free(t->killed);
    free(t->nstate);
    free(t->nstate_cstr);
    free(t->fence_cstr);
}

static bool memory_like(const char *rc_id)
{
    return strncasecmp(rc_id, "mem", 3) == 0 || strcasecmp(rc_id, "ram") == 0;
}

int64_t sched_cons(const struct sched_problem *p, size_t rc, size_t vm, enum sched_load load)
{
    if (load == LOAD_NONE || (load == LOAD_MEMORY && !p->is_memory[rc]) ||
        (load == LOAD_NON_MEMORY && p->is_memory[rc]))
        return 0;
    return p->cons[rc * p->vms + vm];
}

/* Duration attribute `key` (1 s when absent); at least 1 s, so every action takes time. */
static int attr_seconds(const struct mvm_attrs *attrs, const char *key, int64_t *out,
                        struct mvm_error *err)
{
    if (mvm_attrs_get_duration(attrs, key, out, err) < 0)
        return -1;
    if (*out < 1)
        *out = 1;
    return 0;
}

int sched_migration_task(const struct sched_problem *p, size_t vm, size_t from, size_t to,
                         struct sched_task *t, size_t **paths, size_t *paths_len, size_t *paths_cap,
                         struct mvm_error *err)
{
    const struct mvm_model *m = p->model;
    struct mvm_vm_memory mem;
    if (mvm_vm_memory_from_attrs(&m->vms[vm].attrs, &mem, err) < 0) {
        char msg[sizeof(err->message)];
        memcpy(msg, err->message, sizeof(msg));
        return mvm_error_set(err, MVM_ERR_INVALID, "vm %d: %s", (int)m->vms[vm].id, msg);
    }
    struct mvm_path path = {0};
    if (mvm_net_path(p->net, from, to, &path, err) < 0)
        return -1;
    int rc = MVM_ARRAY_RESERVE(*paths, *paths_cap, *paths_len + path.count, err);
    if (rc == 0) {
        memcpy(*paths + *paths_len, path.resources, path.count * sizeof(size_t));
        *t = (struct sched_task){.kind = MVM_ACTION_MIGRATE_VM,
                                 .vm = vm,
                                 .node = MVM_NONE,
                                 .from = from,
                                 .to = to,
                                 .bw = path.max_bw_mbps,
                                 .path_off = *paths_len,
                                 .path_len = path.count,
                                 .arrive_node = to,
                                 .arrive_load = LOAD_ALL,
                                 .leave_node = from,
                                 .leave_load = LOAD_ALL};
        *paths_len += path.count;
        struct mvm_error derr;
        mvm_error_clear(&derr);
        if (mvm_migration_duration(&mem, (double)path.max_bw_mbps, p->duration_model, &t->duration,
                                   &derr) < 0)
            rc = mvm_error_set(
                err, MVM_ERR_INFEASIBLE, "vm %d cannot migrate from node %d to node %d: %s",
                (int)m->vms[vm].id, (int)m->nodes[from].id, (int)m->nodes[to].id, derr.message);
    }
    mvm_path_clear(&path);
    return rc;
}

/* ---- targets from constraints ---- */

static int unsupported(const struct mvm_instance *in, size_t ci, const char *why,
                       struct mvm_error *err)
{
    return mvm_error_set(err, MVM_ERR_UNSUPPORTED, "constraint %zu (%s): %s", ci,
                         in->constraints[ci].name, why);
}

static int compute_targets(const struct mvm_instance *in, struct target *t, struct mvm_error *err)
{
    const struct mvm_model *m = in->model;
    t->host = mvm_calloc(m->vm_count, sizeof(size_t), err);
    t->state = mvm_calloc(m->vm_count, sizeof(*t->state), err);
    t->killed = mvm_calloc(m->vm_count, sizeof(bool), err);
    t->fence_cstr = mvm_calloc(m->vm_count, sizeof(size_t), err);
    t->nstate = mvm_calloc(m->node_count, sizeof(*t->nstate), err);
    t->nstate_cstr = mvm_calloc(m->node_count, sizeof(size_t), err);
    if (!t->host || !t->state || !t->killed || !t->fence_cstr || !t->nstate || !t->nstate_cstr)
        return -1;
    for (size_t v = 0; v < m->vm_count; v++) {
        t->host[v] = m->vms[v].host;
        t->state[v] = m->vms[v].state;
        t->fence_cstr[v] = MVM_NONE;
    }
    for (size_t n = 0; n < m->node_count; n++) {
        t->nstate[n] = m->nodes[n].state;
        t->nstate_cstr[n] = MVM_NONE;
    }
    for (size_t ci = 0; ci < in->constraint_count; ci++) {
        const struct mvm_constraint *c = &in->constraints[ci];
        size_t v = c->vm_count > 0 ? c->vms[0] : MVM_NONE;
        switch (c->kind) {
        case MVM_CONSTRAINT_FENCE:
            if (c->node_count != 1)
                return unsupported(in, ci,
                                   "a fence naming several nodes needs placement (choosing "
                                   "destinations), not supported yet",
                                   err);
            if (t->fence_cstr[v] != MVM_NONE && t->host[v] != c->nodes[0])
                return mvm_error_set(err, MVM_ERR_INFEASIBLE,
                                     "constraints %zu and %zu fence vm %d to different nodes",
                                     t->fence_cstr[v], ci, (int)m->vms[v].id);
            t->host[v] = c->nodes[0];
            t->fence_cstr[v] = ci;
            break;
        case MVM_CONSTRAINT_ONLINE:
        case MVM_CONSTRAINT_OFFLINE: {
            size_t n = c->nodes[0];
            enum mvm_node_state s =
                c->kind == MVM_CONSTRAINT_ONLINE ? MVM_NODE_ONLINE : MVM_NODE_OFFLINE;
            if (t->nstate_cstr[n] != MVM_NONE && t->nstate[n] != s)
                return mvm_error_set(err, MVM_ERR_INFEASIBLE,
                                     "constraints %zu and %zu want node %d both online and offline",
                                     t->nstate_cstr[n], ci, (int)m->nodes[n].id);
            t->nstate[n] = s;
            t->nstate_cstr[n] = ci;
            break;
        }
        case MVM_CONSTRAINT_RUNNING:
            t->state[v] = MVM_VM_RUNNING;
            break;
        case MVM_CONSTRAINT_READY:
            t->state[v] = MVM_VM_READY;
            break;
        case MVM_CONSTRAINT_SLEEPING:
            t->state[v] = MVM_VM_SLEEPING;
            break;
        case MVM_CONSTRAINT_KILLED:
            t->killed[v] = true;
            break;
        case MVM_CONSTRAINT_BAN:
        case MVM_CONSTRAINT_ROOT:
            break; /* checked once the targets are known */
        case MVM_CONSTRAINT_SYNC:
        case MVM_CONSTRAINT_SERIALIZE:
        case MVM_CONSTRAINT_PRECEDENCE:
        case MVM_CONSTRAINT_DEADLINE:
        case MVM_CONSTRAINT_POWER_BUDGET:
            break; /* scheduling constraints: src/sched/constraints.c */
        case MVM_CONSTRAINT_SPREAD:
        case MVM_CONSTRAINT_GATHER:
        case MVM_CONSTRAINT_AMONG:
        case MVM_CONSTRAINT_SPLIT:
        case MVM_CONSTRAINT_SPLIT_AMONG:
        case MVM_CONSTRAINT_LONELY:
        case MVM_CONSTRAINT_QUARANTINE:
        case MVM_CONSTRAINT_PRESERVE:
        case MVM_CONSTRAINT_OVERBOOK:
        case MVM_CONSTRAINT_RESOURCE_CAPACITY:
        case MVM_CONSTRAINT_RUNNING_CAPACITY:
        case MVM_CONSTRAINT_MAX_ONLINE:
        case MVM_CONSTRAINT_NO_DELAY:
        case MVM_CONSTRAINT_SEQ:
        case MVM_CONSTRAINT_OTHER:
            return unsupported(in, ci, "not supported yet by the scheduler", err);
        }
    }
    return 0;
}

/* Checks what the targets imply and completes them (hosts of VMs, nodes to boot). */
static int check_targets(const struct mvm_instance *in, struct target *t, struct mvm_error *err)
{
    const struct mvm_model *m = in->model;
    for (size_t v = 0; v < m->vm_count; v++) {
        const struct mvm_vm *vm = &m->vms[v];
        if (t->killed[v]) {
            t->host[v] = MVM_NONE;
            continue;
        }
        if (t->state[v] == MVM_VM_READY) {
            t->host[v] = MVM_NONE;
            continue;
        }
        if (t->host[v] == MVM_NONE)
            return mvm_error_set(err, MVM_ERR_UNSUPPORTED,
                                 "vm %d must run but no fence names its node: choosing a "
                                 "destination needs placement, not supported yet",
                                 (int)vm->id);
        if (t->state[v] == MVM_VM_SLEEPING && vm->state == MVM_VM_RUNNING && t->host[v] != vm->host)
            return mvm_error_set(err, MVM_ERR_UNSUPPORTED,
                                 "vm %d must go to sleep on another node: not supported yet",
                                 (int)vm->id);
        if (vm->state == MVM_VM_READY && t->state[v] == MVM_VM_SLEEPING)
            return mvm_error_set(err, MVM_ERR_INFEASIBLE,
                                 "vm %d is ready and cannot be put to sleep without running",
                                 (int)vm->id);
        size_t n = t->host[v];
        if (t->nstate[n] == MVM_NODE_OFFLINE) {
            /* a node going offline keeps no VM: an unfenced one stays only by default */
            if (t->nstate_cstr[n] != MVM_NONE && t->fence_cstr[v] == MVM_NONE)
                return mvm_error_set(err, MVM_ERR_UNSUPPORTED,
                                     "node %d must go offline (constraint %zu) but vm %d has no "
                                     "destination: fence it, choosing one needs placement, not "
                                     "supported yet",
                                     (int)m->nodes[n].id, t->nstate_cstr[n], (int)vm->id);
            if (t->nstate_cstr[n] != MVM_NONE)
                return mvm_error_set(
                    err, MVM_ERR_INFEASIBLE,
                    "vm %d must end on node %d (constraint %zu) but constraint %zu wants that "
                    "node offline",
                    (int)vm->id, (int)m->nodes[n].id, t->fence_cstr[v], t->nstate_cstr[n]);
            t->nstate[n] = MVM_NODE_ONLINE; /* booted to receive the VM */
        }
    }
    for (size_t ci = 0; ci < in->constraint_count; ci++) {
        const struct mvm_constraint *c = &in->constraints[ci];
        if (c->kind != MVM_CONSTRAINT_BAN && c->kind != MVM_CONSTRAINT_ROOT)
            continue;
        size_t v = c->vms[0];
        if (c->kind == MVM_CONSTRAINT_ROOT && t->host[v] != m->vms[v].host &&
            m->vms[v].host != MVM_NONE && t->host[v] != MVM_NONE)
            return mvm_error_set(err, MVM_ERR_INFEASIBLE,
                                 "constraint %zu (root) keeps vm %d on node %d but it must move "
                                 "to node %d",
                                 ci, (int)m->vms[v].id, (int)m->nodes[m->vms[v].host].id,
                                 (int)m->nodes[t->host[v]].id);
        for (size_t k = 0; c->kind == MVM_CONSTRAINT_BAN && k < c->node_count; k++)
            if (t->host[v] == c->nodes[k] && t->host[v] != MVM_NONE)
                return mvm_error_set(err, MVM_ERR_INFEASIBLE,
                                     "constraint %zu (ban) forbids node %d to vm %d, which must "
                                     "end there%s",
                                     ci, (int)m->nodes[c->nodes[k]].id, (int)m->vms[v].id,
                                     t->fence_cstr[v] != MVM_NONE ? " (fenced)" : "");
    }
    return 0;
}

/* ---- resources ---- */

static int build_resources(struct sched_problem *p, const struct target *t, struct mvm_error *err)
{
    const struct mvm_model *m = p->model;
    p->nodes = m->node_count;
    p->vms = m->vm_count;
    p->rcs = m->resource_count;
    p->node_cap = mvm_calloc(p->rcs * p->nodes, sizeof(int64_t), err);
    p->node_usage = mvm_calloc(p->rcs * p->nodes, sizeof(int64_t), err);
    p->cons = mvm_calloc(p->rcs * p->vms, sizeof(int64_t), err);
    p->is_memory = mvm_calloc(p->rcs, sizeof(bool), err);
    int64_t *final = mvm_calloc(p->rcs * p->nodes, sizeof(int64_t), err);
    if (!p->node_cap || !p->node_usage || !p->cons || !p->is_memory || !final) {
        free(final);
        return -1;
    }
    for (size_t k = 0; k < p->rcs; k++) {
        const struct mvm_resource *r = &m->resources[k];
        p->is_memory[k] = memory_like(r->rc_id);
        for (size_t n = 0; n < p->nodes; n++)
            p->node_cap[k * p->nodes + n] = r->node_capacity[n];
        for (size_t v = 0; v < p->vms; v++)
            p->cons[k * p->vms + v] = r->vm_consumption[v];
    }
    for (size_t v = 0; v < p->vms; v++) {
        const struct mvm_vm *vm = &m->vms[v];
        enum sched_load now = vm->state == MVM_VM_RUNNING    ? LOAD_ALL
                              : vm->state == MVM_VM_SLEEPING ? LOAD_MEMORY
                                                             : LOAD_NONE;
        enum sched_load then = t->host[v] == MVM_NONE           ? LOAD_NONE
                               : t->state[v] == MVM_VM_SLEEPING ? LOAD_MEMORY
                                                                : LOAD_ALL;
        for (size_t k = 0; k < p->rcs; k++) {
            if (vm->host != MVM_NONE)
                p->node_usage[k * p->nodes + vm->host] += sched_cons(p, k, v, now);
            if (t->host[v] != MVM_NONE)
                final[k * p->nodes + t->host[v]] += sched_cons(p, k, v, then);
        }
    }
    /* a final placement over capacity can never be reached */
    for (size_t k = 0; k < p->rcs; k++)
        for (size_t n = 0; n < p->nodes; n++) {
            size_t at = k * p->nodes + n;
            if (final[at] > p->node_cap[at]) {
                int64_t need = final[at], cap = p->node_cap[at];
                free(final);
                return mvm_error_set(err, MVM_ERR_INFEASIBLE,
                                     "node %d: the VMs the constraints put on it need %" PRId64
                                     " %s, more than its capacity of %" PRId64,
                                     (int)m->nodes[n].id, need, m->resources[k].rc_id, cap);
            }
        }
    free(final);
    return 0;
}

/* ---- tasks ---- */

struct builder {
    struct sched_problem *p;
    size_t task_cap, path_len, path_cap;
    struct sched_edges edges; /* precedences as pairs, turned into CSR at the end */
};

static size_t add_task(struct builder *b, const struct sched_task *t, struct mvm_error *err)
{
    struct sched_problem *p = b->p;
    if (MVM_ARRAY_RESERVE(p->tasks, b->task_cap, p->task_count + 1, err) < 0)
        return MVM_NONE;
    p->tasks[p->task_count] = *t;
    return p->task_count++;
}

static int add_edge(struct builder *b, size_t from, size_t to, struct mvm_error *err)
{
    if (from == MVM_NONE || to == MVM_NONE)
        return 0;
    struct sched_edges *e = &b->edges;
    if (MVM_ARRAY_RESERVE(e->from, e->from_cap, e->count + 1, err) < 0 ||
        MVM_ARRAY_RESERVE(e->to, e->to_cap, e->count + 1, err) < 0)
        return -1;
    e->from[e->count] = from;
    e->to[e->count++] = to;
    return 0;
}

static struct sched_task plain_task(enum mvm_action_kind kind, size_t vm, size_t node)
{
    return (struct sched_task){.kind = kind,
                               .vm = vm,
                               .node = node,
                               .from = MVM_NONE,
                               .to = MVM_NONE,
                               .arrive_node = MVM_NONE,
                               .leave_node = MVM_NONE};
}

static int add_node_tasks(struct builder *b, const struct target *t, struct mvm_error *err)
{
    struct sched_problem *p = b->p;
    const struct mvm_model *m = p->model;
    for (size_t n = 0; n < m->node_count; n++) {
        b->p->boot_task[n] = b->p->shutdown_task[n] = MVM_NONE;
        if (m->nodes[n].state == t->nstate[n])
            continue;
        bool boot = t->nstate[n] == MVM_NODE_ONLINE;
        struct sched_task task =
            plain_task(boot ? MVM_ACTION_BOOT_NODE : MVM_ACTION_SHUTDOWN_NODE, MVM_NONE, n);
        if (attr_seconds(&m->nodes[n].attrs, boot ? "boot" : "shutdown", &task.duration, err) < 0)
            return -1;
        size_t i = add_task(b, &task, err);
        if (i == MVM_NONE)
            return -1;
        (boot ? b->p->boot_task : b->p->shutdown_task)[n] = i;
        p->node_halts[n] = !boot;
    }
    return 0;
}

/* The VM action taking vm from its current state to its target, if any. */
static int add_vm_task(struct builder *b, const struct target *t, size_t v, struct mvm_error *err)
{
    struct sched_problem *p = b->p;
    const struct mvm_model *m = p->model;
    const struct mvm_vm *vm = &m->vms[v];
    size_t host = vm->host, dest = t->host[v];
    struct sched_task task;
    const char *key;
    if (t->killed[v]) {
        if (vm->state == MVM_VM_READY) /* still in the mapping, so a killVM is needed */
            return mvm_error_set(err, MVM_ERR_UNSUPPORTED,
                                 "vm %d is ready and must be killed: a killVM names the node the "
                                 "VM is on and a ready VM has none, not supported yet",
                                 (int)vm->id);
        task = plain_task(MVM_ACTION_KILL_VM, v, host);
        task.leave_node = host;
        task.leave_load = vm->state == MVM_VM_RUNNING ? LOAD_ALL : LOAD_MEMORY;
        key = "kill";
    } else if (vm->state == MVM_VM_RUNNING && t->state[v] == MVM_VM_RUNNING) {
        if (dest == host)
            return 0;
        task = (struct sched_task){0};
        if (sched_migration_task(p, v, host, dest, &task, &p->paths, &b->path_len, &b->path_cap,
                                 err) < 0)
            return -1;
        size_t i = add_task(b, &task, err);
        return i == MVM_NONE || add_edge(b, b->p->boot_task[dest], i, err) < 0 ||
                       add_edge(b, i, b->p->shutdown_task[host], err) < 0
                   ? -1
                   : 0;
    } else if (vm->state == MVM_VM_RUNNING && t->state[v] == MVM_VM_READY) {
        task = plain_task(MVM_ACTION_SHUTDOWN_VM, v, host);
        task.leave_node = host;
        task.leave_load = LOAD_ALL;
        key = "shutdown";
    } else if (vm->state == MVM_VM_RUNNING && t->state[v] == MVM_VM_SLEEPING) {
        task = plain_task(MVM_ACTION_SUSPEND_VM, v, MVM_NONE);
        task.from = task.to = host;
        task.leave_node = host;
        task.leave_load = LOAD_NON_MEMORY;
        key = "suspend";
    } else if (vm->state == MVM_VM_READY && t->state[v] == MVM_VM_RUNNING) {
        task = plain_task(MVM_ACTION_BOOT_VM, v, dest);
        task.arrive_node = dest;
        task.arrive_load = LOAD_ALL;
        key = "boot";
    } else if (vm->state == MVM_VM_SLEEPING && t->state[v] == MVM_VM_RUNNING) {
        task = plain_task(MVM_ACTION_RESUME_VM, v, MVM_NONE);
        task.from = host;
        task.to = dest;
        task.arrive_node = dest;
        task.arrive_load = dest == host ? LOAD_NON_MEMORY : LOAD_ALL;
        if (dest != host) {
            task.leave_node = host;
            task.leave_load = LOAD_MEMORY;
        }
        key = "resume";
    } else if (vm->state == t->state[v]) {
        if (host != dest && vm->state == MVM_VM_SLEEPING)
            return mvm_error_set(err, MVM_ERR_UNSUPPORTED,
                                 "vm %d sleeps on node %d and is fenced to node %d: moving a "
                                 "sleeping VM is not supported yet",
                                 (int)vm->id, (int)m->nodes[host].id, (int)m->nodes[dest].id);
        return 0;
    } else {
        return mvm_error_set(err, MVM_ERR_INFEASIBLE, "vm %d cannot go from %s to %s", (int)vm->id,
                             vm->state == MVM_VM_SLEEPING ? "sleeping" : "ready",
                             t->state[v] == MVM_VM_READY ? "ready" : "sleeping");
    }
    if (attr_seconds(&vm->attrs, key, &task.duration, err) < 0)
        return -1;
    size_t i = add_task(b, &task, err);
    if (i == MVM_NONE)
        return -1;
    if (task.arrive_node != MVM_NONE && add_edge(b, b->p->boot_task[task.arrive_node], i, err) < 0)
        return -1;
    return task.leave_node != MVM_NONE ? add_edge(b, i, b->p->shutdown_task[task.leave_node], err)
                                       : 0;
}

static int build_edges(struct builder *b, struct mvm_error *err)
{
    struct sched_problem *p = b->p;
    size_t n = p->task_count;
    p->succ_start = mvm_calloc(n + 1, sizeof(size_t), err);
    p->succs = mvm_calloc(b->edges.count, sizeof(size_t), err);
    p->pred_count = mvm_calloc(n, sizeof(size_t), err);
    if (!p->succ_start || !p->succs || !p->pred_count)
        return -1;
    for (size_t e = 0; e < b->edges.count; e++) {
        p->succ_start[b->edges.from[e] + 1]++;
        p->pred_count[b->edges.to[e]]++;
    }
    for (size_t i = 0; i < n; i++)
        p->succ_start[i + 1] += p->succ_start[i];
    size_t *fill = mvm_calloc(n, sizeof(size_t), err);
    if (fill == NULL)
        return -1;
    for (size_t e = 0; e < b->edges.count; e++) {
        size_t f = b->edges.from[e];
        p->succs[p->succ_start[f] + fill[f]++] = b->edges.to[e];
    }
    free(fill);
    return 0;
}

/* The capacity of node n's fastest link: no transfer to or from n goes faster. */
static int64_t node_link_mbps(const struct mvm_net *net, size_t n)
{
    int64_t best = 0;
    for (size_t l = 0; l < net->link_count; l++)
        if (net->links[l].end_type == MVM_NET_END_NODE && net->links[l].end == n &&
            net->links[l].capacity_mbps > best)
            best = net->links[l].capacity_mbps;
    return best;
}

/*
 * The least time task i can take when it leaves or reaches node n: a migration
 * rerouted through a bypass still crosses n's fastest link at best.
 */
static int64_t least_duration(const struct sched_problem *p, size_t i, const int64_t *link_mbps,
                              size_t n)
{
    const struct sched_task *t = &p->tasks[i];
    if (t->kind != MVM_ACTION_MIGRATE_VM)
        return t->duration;
    struct mvm_vm_memory mem;
    int64_t d;
    if (mvm_vm_memory_from_attrs(&p->model->vms[t->vm].attrs, &mem, NULL) < 0 ||
        mvm_migration_duration(&mem, (double)link_mbps[n], p->duration_model, &d, NULL) < 0 ||
        d > t->duration)
        return t->duration;
    return d;
}

/* Does task i take (give back) more of some resource than node n has free at t = 0 (at the end)? */
static bool short_of_room(const struct sched_problem *p, const struct sched_task *t, size_t n,
                          enum sched_load load, const int64_t *usage)
{
    for (size_t k = 0; k < p->rcs; k++)
        if (sched_cons(p, k, t->vm, load) > p->node_cap[k * p->nodes + n] - usage[k * p->nodes + n])
            return true;
    return false;
}

/*
 * Precedence constraints that wait on each other: those whose two tasks are
 * both still waiting when Kahn's order stopped (left[i] > 0).
 */
static int report_cycle(const struct sched_problem *p, const size_t *left, struct mvm_error *err)
{
    const struct mvm_instance *in = p->instance;
    char list[400];
    struct mvm_sbuf s;
    mvm_sbuf_init(&s, list, sizeof(list));
    size_t named = 0;
    for (size_t ci = 0; ci < in->constraint_count; ci++) {
        const struct mvm_constraint *c = &in->constraints[ci];
        if (c->kind != MVM_CONSTRAINT_PRECEDENCE)
            continue;
        bool stuck[2] = {false, false};
        for (size_t i = 0; i < p->task_count; i++)
            for (int k = 0; k < 2; k++)
                if (p->tasks[i].vm == c->vms[k] && left[i] > 0)
                    stuck[k] = true;
        if (stuck[0] && stuck[1])
            mvm_sbuf_printf(&s, "%s%zu (vm %d before vm %d)", named++ ? ", " : "", ci,
                            (int)p->model->vms[c->vms[0]].id, (int)p->model->vms[c->vms[1]].id);
    }
    return mvm_error_set(err, MVM_ERR_INFEASIBLE,
                         "Precedence constraints %s form a cycle%s: no order satisfies them", list,
                         p->has_sync ? " (with the Sync constraints that make tasks start as one)"
                                     : "");
}

/* A deadline nothing can meet: the task cannot end in time even with nothing in its way. */
static int check_deadlines(const struct sched_problem *p, struct mvm_error *err)
{
    for (size_t i = 0; p->has_deadlines && i < p->task_count; i++) {
        int64_t earliest = p->head[i] + p->tasks[i].duration;
        if (earliest <= p->deadline[i])
            continue;
        const struct mvm_constraint *c = &p->instance->constraints[p->deadline_cstr[i]];
        return mvm_error_set(err, MVM_ERR_INFEASIBLE,
                             "constraint %zu (Deadline %s of vm %d): its %s cannot end before "
                             "t=%lld s (it lasts %lld s and cannot start before t=%lld s), after "
                             "the deadline t=%lld s",
                             p->deadline_cstr[i], c->timestamp, (int)p->model->vms[c->vms[0]].id,
                             mvm_action_kind_name(p->tasks[i].kind), (long long)earliest,
                             (long long)p->tasks[i].duration, (long long)p->head[i],
                             (long long)p->deadline[i]);
    }
    return 0;
}

/* Longest chains of durations before (head) and after (tail) each task, in Kahn order. */
static void propagate_chains(struct sched_problem *p, const size_t *order, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        size_t i = order[k];
        for (size_t e = p->succ_start[i]; e < p->succ_start[i + 1]; e++) {
            size_t j = p->succs[e];
            if (p->head[i] + p->tasks[i].duration > p->head[j])
                p->head[j] = p->head[i] + p->tasks[i].duration;
        }
    }
    for (size_t k = count; k-- > 0;) {
        size_t i = order[k];
        for (size_t e = p->succ_start[i]; e < p->succ_start[i + 1]; e++) {
            size_t j = p->succs[e];
            if (p->tail[j] + p->tasks[j].duration > p->tail[i])
                p->tail[i] = p->tail[j] + p->tasks[j].duration;
        }
    }
}

/*
 * Can moves (tasks taking a VM from one node to another) form a loop of "arrives
 * where the next one leaves"? Only then may a plan split a task into bypass
 * legs. Kahn's algorithm on the graph of nodes linked by moves.
 */
static int moves_may_cycle(const struct sched_problem *p, bool *out, struct mvm_error *err)
{
    size_t nodes = p->nodes, n = p->task_count;
    size_t *indeg = mvm_calloc(nodes, sizeof(size_t), err);
    size_t *start = mvm_calloc(nodes + 1, sizeof(size_t), err);
    size_t *fill = mvm_calloc(nodes, sizeof(size_t), err);
    size_t *targets = mvm_calloc(n, sizeof(size_t), err);
    size_t *queue = mvm_calloc(nodes, sizeof(size_t), err);
    int rc = indeg && start && fill && targets && queue ? 0 : -1;
    size_t edges = 0, removed = 0, count = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct sched_task *t = &p->tasks[i];
        if (t->arrive_node != MVM_NONE && t->leave_node != MVM_NONE &&
            t->arrive_node != t->leave_node) {
            start[t->leave_node + 1]++;
            indeg[t->arrive_node]++;
            edges++;
        }
    }
    for (size_t v = 0; rc == 0 && v < nodes; v++)
        start[v + 1] += start[v];
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct sched_task *t = &p->tasks[i];
        if (t->arrive_node != MVM_NONE && t->leave_node != MVM_NONE &&
            t->arrive_node != t->leave_node)
            targets[start[t->leave_node] + fill[t->leave_node]++] = t->arrive_node;
    }
    for (size_t v = 0; rc == 0 && v < nodes; v++)
        if (indeg[v] == 0)
            queue[count++] = v;
    for (size_t k = 0; rc == 0 && k < count; k++)
        for (size_t e = start[queue[k]]; e < start[queue[k] + 1]; e++) {
            removed++;
            if (--indeg[targets[e]] == 0)
                queue[count++] = targets[e];
        }
    *out = removed < edges;
    free(indeg);
    free(start);
    free(fill);
    free(targets);
    free(queue);
    return rc;
}

/*
 * head: the earliest a task can start; tail: the least time that must follow its
 * end; head0 and tail0: the same from precedences alone (boot, migration,
 * shutdown chains). Full nodes raise head and tail: an arrival on a node with no
 * room at first cannot start before some departure from it ended, and a
 * departure from a node left with no room for it at the end must be followed by
 * some arrival there. Any plan may send a VM through another node first (a
 * bypass), so the departure that makes room is only known to take at least the
 * quickest transfer out of the node, from t = 0, and symmetrically for tails.
 * A bypass also splits a task into a departure leg and a later arrival leg, so
 * the raised head (which bounds the arrival) and the raised tail (which follows
 * the departure) may only be combined when moves cannot cycle (may_split false).
 */
static int compute_chains(struct sched_problem *p, struct mvm_error *err)
{
    size_t n = p->task_count, cells = p->rcs * p->nodes;
    p->head = mvm_calloc(n, sizeof(int64_t), err);
    p->tail = mvm_calloc(n, sizeof(int64_t), err);
    p->head0 = mvm_calloc(n, sizeof(int64_t), err);
    p->tail0 = mvm_calloc(n, sizeof(int64_t), err);
    size_t *order = mvm_calloc(n, sizeof(size_t), err);
    size_t *left = mvm_calloc(n, sizeof(size_t), err);
    int64_t *link_mbps = mvm_calloc(p->nodes, sizeof(int64_t), err);
    int64_t *final = mvm_calloc(cells, sizeof(int64_t), err);
    int64_t *leave_min = mvm_calloc(n, sizeof(int64_t), err);      /* least duration leaving */
    int64_t *arrive_min = mvm_calloc(n, sizeof(int64_t), err);     /* least duration arriving */
    int64_t *release = mvm_calloc(p->nodes, sizeof(int64_t), err); /* quickest departure */
    int64_t *refill = mvm_calloc(p->nodes, sizeof(int64_t), err);  /* quickest arrival */
    int rc = p->head && p->tail && p->head0 && p->tail0 && order && left && link_mbps && final &&
                     leave_min && arrive_min && release && refill
                 ? 0
                 : -1;
    size_t count = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        left[i] = p->pred_count[i];
        if (left[i] == 0)
            order[count++] = i;
    }
    /* Kahn's order; only Precedence (and Sync joining tasks) can make a cycle */
    for (size_t k = 0; rc == 0 && k < count; k++)
        for (size_t e = p->succ_start[order[k]]; e < p->succ_start[order[k] + 1]; e++)
            if (--left[p->succs[e]] == 0)
                order[count++] = p->succs[e];
    if (rc == 0 && count < n)
        rc = report_cycle(p, left, err);
    if (rc == 0) {
        memcpy(final, p->node_usage, cells * sizeof(int64_t));
        for (size_t v = 0; v < p->nodes; v++)
            link_mbps[v] = node_link_mbps(p->net, v);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct sched_task *t = &p->tasks[i];
        for (size_t k = 0; k < p->rcs; k++) {
            if (t->arrive_node != MVM_NONE)
                final[k * p->nodes + t->arrive_node] += sched_cons(p, k, t->vm, t->arrive_load);
            if (t->leave_node != MVM_NONE)
                final[k * p->nodes + t->leave_node] -= sched_cons(p, k, t->vm, t->leave_load);
        }
        if (t->leave_node != MVM_NONE)
            leave_min[i] = least_duration(p, i, link_mbps, t->leave_node);
        if (t->arrive_node != MVM_NONE)
            arrive_min[i] = least_duration(p, i, link_mbps, t->arrive_node);
    }
    if (rc == 0)
        rc = moves_may_cycle(p, &p->may_split, err);
    if (rc == 0) {
        /* precedences alone first: head0 and tail0 */
        propagate_chains(p, order, count);
        memcpy(p->head0, p->head, n * sizeof(int64_t));
        memcpy(p->tail0, p->tail, n * sizeof(int64_t));
    }
    for (size_t v = 0; rc == 0 && v < p->nodes; v++)
        release[v] = refill[v] = INT64_MAX;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct sched_task *t = &p->tasks[i];
        if (t->leave_node != MVM_NONE && leave_min[i] < release[t->leave_node])
            release[t->leave_node] = leave_min[i];
        if (t->arrive_node != MVM_NONE && arrive_min[i] < refill[t->arrive_node])
            refill[t->arrive_node] = arrive_min[i];
    }
    /* the raises; they travel along precedences only when no task can be split */
    for (size_t k = 0; rc == 0 && k < count; k++) {
        size_t i = order[k];
        const struct sched_task *t = &p->tasks[i];
        if (t->arrive_node != MVM_NONE && release[t->arrive_node] != INT64_MAX &&
            release[t->arrive_node] > p->head[i] &&
            short_of_room(p, t, t->arrive_node, t->arrive_load, p->node_usage))
            p->head[i] = release[t->arrive_node];
        for (size_t e = p->succ_start[i]; !p->may_split && e < p->succ_start[i + 1]; e++) {
            size_t j = p->succs[e];
            if (p->head[i] + t->duration > p->head[j])
                p->head[j] = p->head[i] + t->duration;
        }
    }
    for (size_t k = count; rc == 0 && k-- > 0;) {
        size_t i = order[k];
        const struct sched_task *t = &p->tasks[i];
        for (size_t e = p->succ_start[i]; !p->may_split && e < p->succ_start[i + 1]; e++) {
            size_t j = p->succs[e];
            if (p->tail[j] + p->tasks[j].duration > p->tail[i])
                p->tail[i] = p->tail[j] + p->tasks[j].duration;
        }
        if (t->leave_node != MVM_NONE && refill[t->leave_node] != INT64_MAX &&
            refill[t->leave_node] > p->tail[i] &&
            short_of_room(p, t, t->leave_node, t->leave_load, final))
            p->tail[i] = refill[t->leave_node];
    }
    free(order);
    free(left);
    free(link_mbps);
    free(final);
    free(leave_min);
    free(arrive_min);
    free(release);
    free(refill);
    return rc;
}

static int choose_network(struct sched_problem *p, struct mvm_error *err)
{
    const struct mvm_model *m = p->model;
    if (m->net != NULL) {
        p->net = m->net;
    } else {
        int32_t *ids = mvm_calloc(m->node_count, sizeof(int32_t), err);
        if (ids == NULL)
            return -1;
        for (size_t n = 0; n < m->node_count; n++)
            ids[n] = m->nodes[n].id;
        p->own_net = mvm_net_new_default(ids, m->node_count, MVM_NET_DEFAULT_LINK_MBPS, err);
        free(ids);
        if (p->own_net == NULL)
            return -1;
        p->net = p->own_net;
    }
    p->net_rcs = mvm_net_resource_count(p->net);
    p->net_cap = mvm_calloc(p->net_rcs, sizeof(int64_t), err);
    if (p->net_cap == NULL)
        return -1;
    for (size_t r = 0; r < p->net_rcs; r++)
        p->net_cap[r] = mvm_net_resource_capacity(p->net, r);
    return 0;
}

int sched_problem_build(const struct mvm_instance *in, enum mvm_migration_model model,
                        int64_t start_epoch, struct sched_problem *p, struct mvm_error *err)
{
    memset(p, 0, sizeof(*p));
    p->instance = in;
    p->model = in->model;
    p->duration_model = model;
    p->max_migrations = SIZE_MAX;
    struct target t = {0};
    struct builder b = {.p = p};
    int rc = -1;
    if (compute_targets(in, &t, err) < 0 || check_targets(in, &t, err) < 0 ||
        choose_network(p, err) < 0 || build_resources(p, &t, err) < 0)
        goto done;
    size_t nodes = p->model->node_count;
    p->boot_task = mvm_calloc(nodes, sizeof(size_t), err);
    p->shutdown_task = mvm_calloc(nodes, sizeof(size_t), err);
    p->node_halts = mvm_calloc(nodes, sizeof(bool), err);
    p->online0 = mvm_calloc(nodes, sizeof(bool), err);
    if (!p->boot_task || !p->shutdown_task || !p->node_halts || !p->online0 ||
        add_node_tasks(&b, &t, err) < 0)
        goto done;
    for (size_t n = 0; n < nodes; n++)
        p->online0[n] = p->model->nodes[n].state == MVM_NODE_ONLINE;
    for (size_t v = 0; v < p->model->vm_count; v++)
        if (add_vm_task(&b, &t, v, err) < 0)
            goto done;
    if (sched_constraints_prepare(p, start_epoch, &b.edges, err) < 0 || build_edges(&b, err) < 0)
        goto done;
    sched_constraints_redirect(p);
    if (compute_chains(p, err) < 0 || check_deadlines(p, err) < 0)
        goto done;
    rc = 0;
done:
    free(b.edges.from);
    free(b.edges.to);
    target_free(&t);
    if (rc < 0)
        sched_problem_clear(p);
    return rc;
}

int sched_problem_set_baseline(struct sched_problem *p, size_t max_migrations, bool check_net,
                               enum mvm_migration_model model, struct mvm_error *err)
{
    const struct mvm_model *m = p->model;
    p->max_migrations = max_migrations;
    for (size_t r = 0; !check_net && r < p->net_rcs; r++)
        p->net_cap[r] = INT64_MAX;
    if (model == p->duration_model)
        return 0;
    p->duration_model = model; /* bypass legs, computed during passes, follow it too */
    for (size_t i = 0; i < p->task_count; i++) {
        struct sched_task *t = &p->tasks[i];
        if (t->kind != MVM_ACTION_MIGRATE_VM)
            continue;
        struct mvm_vm_memory mem;
        struct mvm_error derr;
        mvm_error_clear(&derr);
        if (mvm_vm_memory_from_attrs(&m->vms[t->vm].attrs, &mem, &derr) < 0 ||
            mvm_migration_duration(&mem, (double)t->bw, model, &t->duration, &derr) < 0)
            return mvm_error_set(err, derr.code, "vm %d cannot migrate from node %d to node %d: %s",
                                 (int)m->vms[t->vm].id, (int)m->nodes[t->from].id,
                                 (int)m->nodes[t->to].id, derr.message);
    }
    return 0;
}

void sched_problem_clear(struct sched_problem *p)
{
    free(p->tasks);
    free(p->paths);
    free(p->succ_start);
    free(p->succs);
    free(p->pred_count);
    free(p->net_cap);
    free(p->node_cap);
    free(p->node_usage);
    free(p->cons);
    free(p->is_memory);
    free(p->node_halts);
    free(p->online0);
    free(p->head);
    free(p->tail);
    free(p->head0);
    free(p->tail0);
    free(p->boot_task);
    free(p->shutdown_task);
    sched_constraints_clear(p);
    mvm_net_free(p->own_net);
    memset(p, 0, sizeof(*p));
}
