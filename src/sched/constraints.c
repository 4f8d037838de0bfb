/*
 * The scheduling constraints of mVM's library (REFERENCE section 6) and our
 * powerBudget, turned into what the list scheduler enforces: Precedence into
 * precedence edges, Serialize into counters of capacity one, Sync into groups
 * that start as one, Deadline into latest ends (the search minimises lateness
 * first; a deadline shorter than what must come before it is refused here),
 * powerBudget into a power resource whose capacity follows the budget windows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sched/problem.h"
#include "util/array.h"

/* The task that moves or changes VM v, MVM_NONE when the plan leaves it alone. */
static size_t *task_of_vm(const struct sched_problem *p, struct mvm_error *err)
{
    size_t *map = mvm_calloc(p->vms, sizeof(size_t), err);
    for (size_t v = 0; map != NULL && v < p->vms; v++)
        map[v] = MVM_NONE;
    for (size_t i = 0; map != NULL && i < p->task_count; i++)
        if (p->tasks[i].vm != MVM_NONE)
            map[p->tasks[i].vm] = i;
    return map;
}

static int add_pair(struct sched_edges *e, size_t a, size_t b, struct mvm_error *err)
{
    if (MVM_ARRAY_RESERVE(e->from, e->from_cap, e->count + 1, err) < 0 ||
        MVM_ARRAY_RESERVE(e->to, e->to_cap, e->count + 1, err) < 0)
        return -1;
    e->from[e->count] = a;
    e->to[e->count++] = b;
    return 0;
}

/* Serialize: one counter per constraint over the tasks of its VMs. */
static int build_counters(struct sched_problem *p, const size_t *vm_task, struct mvm_error *err)
{
    const struct mvm_instance *in = p->instance;
    size_t n = p->task_count, total = 0;
    p->counter_start = mvm_calloc(n + 1, sizeof(size_t), err);
    if (p->counter_start == NULL)
        return -1;
    for (size_t ci = 0; ci < in->constraint_count; ci++) {
        const struct mvm_constraint *c = &in->constraints[ci];
        if (c->kind != MVM_CONSTRAINT_SERIALIZE)
            continue;
        p->counter_count++;
        for (size_t k = 0; k < c->vm_count; k++)
            if (vm_task[c->vms[k]] != MVM_NONE) {
                p->counter_start[vm_task[c->vms[k]] + 1]++;
                total++;
            }
    }
    p->counter_cap = mvm_calloc(p->counter_count, sizeof(int64_t), err);
    p->counters = mvm_calloc(total, sizeof(size_t), err);
    size_t *fill = mvm_calloc(n, sizeof(size_t), err);
    if (p->counter_cap == NULL || p->counters == NULL || fill == NULL) {
        free(fill);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        p->counter_start[i + 1] += p->counter_start[i];
    size_t counter = 0;
    for (size_t ci = 0; ci < in->constraint_count; ci++) {
        const struct mvm_constraint *c = &in->constraints[ci];
        if (c->kind != MVM_CONSTRAINT_SERIALIZE)
            continue;
        p->counter_cap[counter] = 1;
        for (size_t k = 0; k < c->vm_count; k++) {
            size_t i = vm_task[c->vms[k]];
            if (i != MVM_NONE)
                p->counters[p->counter_start[i] + fill[i]++] = counter;
        }
        counter++;
    }
    free(fill);
    return 0;
}

static bool post_copy(const struct sched_problem *p, size_t vm)
{
    bool b = false;
    return mvm_attrs_get_bool(&p->model->vms[vm].attrs, "postCopy", &b, NULL) == 1 && b;
}

/*
 * Sync: the members' switch-over instants (a pre-copy migration's end, a
 * post-copy one's start) coincide at the group's start + the longest pre-copy
 * duration. A task in two Sync constraints joins both into one group.
 */
static int build_sync(struct sched_problem *p, const size_t *vm_task, struct mvm_error *err)
{
    const struct mvm_instance *in = p->instance;
    size_t n = p->task_count;
    p->sync_leader = mvm_calloc(n, sizeof(size_t), err);
    p->sync_offset = mvm_calloc(n, sizeof(int64_t), err);
    p->sync_start = mvm_calloc(n + 1, sizeof(size_t), err);
    p->sync_members = mvm_calloc(n, sizeof(size_t), err);
    size_t *fill = mvm_calloc(n, sizeof(size_t), err);
    int64_t *pre = mvm_calloc(n, sizeof(int64_t), err);
    int rc = p->sync_leader && p->sync_offset && p->sync_start && p->sync_members && fill && pre
                 ? 0
                 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        p->sync_leader[i] = MVM_NONE;
    /* union of groups: the lowest task index leads */
    for (size_t ci = 0; rc == 0 && ci < in->constraint_count; ci++) {
        const struct mvm_constraint *c = &in->constraints[ci];
        if (c->kind != MVM_CONSTRAINT_SYNC)
            continue;
        size_t lead = MVM_NONE;
        for (size_t k = 0; k < c->vm_count; k++) {
            size_t i = vm_task[c->vms[k]];
            if (i == MVM_NONE)
                continue;
            size_t l = p->sync_leader[i] == MVM_NONE ? i : p->sync_leader[i];
            lead = lead == MVM_NONE || l < lead ? l : lead;
        }
        if (lead == MVM_NONE)
            continue;
        for (size_t k = 0; k < c->vm_count; k++) {
            size_t i = vm_task[c->vms[k]];
            if (i == MVM_NONE)
                continue;
            size_t old = p->sync_leader[i];
            for (size_t j = 0; old != MVM_NONE && old != lead && j < n; j++)
                if (p->sync_leader[j] == old)
                    p->sync_leader[j] = lead;
            p->sync_leader[i] = lead;
        }
        p->sync_leader[lead] = lead;
        p->has_sync = true;
    }
    /* members per leader, the leader first; offsets from the longest pre-copy one */
    for (size_t i = 0; rc == 0 && i < n; i++) {
        size_t l = p->sync_leader[i];
        if (l == MVM_NONE)
            continue;
        p->sync_start[l + 1]++;
        if (!post_copy(p, p->tasks[i].vm) && p->tasks[i].duration > pre[l])
            pre[l] = p->tasks[i].duration;
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        p->sync_start[i + 1] += p->sync_start[i];
    for (size_t i = 0; rc == 0 && i < n; i++) {
        size_t l = p->sync_leader[i];
        if (l == MVM_NONE)
            continue;
        /* the leader has the group's lowest index, so it comes first */
        p->sync_members[p->sync_start[l] + fill[l]++] = i;
        p->sync_offset[i] = post_copy(p, p->tasks[i].vm) ? pre[l] : pre[l] - p->tasks[i].duration;
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (p->sync_leader[i] == i && p->sync_start[i + 1] - p->sync_start[i] == 1)
            p->sync_leader[i] = MVM_NONE; /* alone: no group */
    free(fill);
    free(pre);
    return rc;
}

/* The latest end of each task: the earliest of its Deadline constraints. */
static int build_deadlines(struct sched_problem *p, const size_t *vm_task, int64_t start_epoch,
                           struct mvm_error *err)
{
    const struct mvm_instance *in = p->instance;
    size_t n = p->task_count;
    p->deadline = mvm_calloc(n, sizeof(int64_t), err);
    p->deadline_cstr = mvm_calloc(n, sizeof(size_t), err);
    if (p->deadline == NULL || p->deadline_cstr == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        p->deadline[i] = INT64_MAX;
        p->deadline_cstr[i] = MVM_NONE;
    }
    for (size_t ci = 0; ci < in->constraint_count; ci++) {
        const struct mvm_constraint *c = &in->constraints[ci];
        if (c->kind != MVM_CONSTRAINT_DEADLINE)
            continue;
        size_t i = vm_task[c->vms[0]];
        int64_t seconds;
        if (mvm_deadline_resolve(c->timestamp, start_epoch, &seconds, err) < 0)
            return -1;
        if (i == MVM_NONE || seconds >= p->deadline[i])
            continue;
        p->deadline[i] = seconds;
        p->deadline_cstr[i] = ci;
        p->has_deadlines = true;
    }
    return 0;
}

static int compare_windows(const void *a, const void *b)
{
    const struct sched_window *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* Power drawn at t = 0, and taken and given back by each task. */
static int build_power(struct sched_problem *p, struct mvm_error *err)
{
    const struct mvm_instance *in = p->instance;
    const struct mvm_model *m = p->model;
    size_t n = p->task_count, windows = 0;
    for (size_t ci = 0; ci < in->constraint_count; ci++)
        windows += in->constraints[ci].kind == MVM_CONSTRAINT_POWER_BUDGET;
    if (mvm_power_model_init(&p->power, m, err) < 0)
        return -1;
    p->power_take = mvm_calloc(n, sizeof(double), err);
    p->power_give = mvm_calloc(n, sizeof(double), err);
    p->budget = mvm_calloc(windows, sizeof(*p->budget), err);
    if (!p->power_take || !p->power_give || !p->budget)
        return -1;
    for (size_t ci = 0; ci < in->constraint_count; ci++) {
        const struct mvm_constraint *c = &in->constraints[ci];
        if (c->kind == MVM_CONSTRAINT_POWER_BUDGET)
            p->budget[p->budget_count++] = (struct sched_window){
                c->window_start, c->window_end < 0 ? INT64_MAX : c->window_end, c->watts};
    }
    qsort(p->budget, p->budget_count, sizeof(*p->budget), compare_windows);
    p->power_limited = p->budget_count > 0;
    for (size_t v = 0; v < m->node_count; v++)
        if (m->nodes[v].state == MVM_NODE_ONLINE)
            p->power0 += p->power.idle_w[v];
    for (size_t v = 0; v < m->vm_count; v++)
        if (m->vms[v].state == MVM_VM_RUNNING)
            p->power0 += p->power.vm_w[v];
    for (size_t i = 0; i < n; i++) {
        const struct sched_task *t = &p->tasks[i];
        switch (t->kind) {
        case MVM_ACTION_MIGRATE_VM:
            p->power_take[i] = p->power_give[i] = sched_migration_power(p, t->bw, t->duration);
            break;
        case MVM_ACTION_BOOT_NODE:
            p->power_take[i] = p->power.idle_w[t->node] + p->power.boot_w[t->node];
            p->power_give[i] = p->power.boot_w[t->node];
            break;
        case MVM_ACTION_SHUTDOWN_NODE:
            p->power_give[i] = p->power.idle_w[t->node];
            break;
        case MVM_ACTION_BOOT_VM:
        case MVM_ACTION_RESUME_VM:
            p->power_take[i] = p->power.vm_w[t->vm];
            break;
        case MVM_ACTION_SHUTDOWN_VM:
        case MVM_ACTION_SUSPEND_VM:
        case MVM_ACTION_KILL_VM:
            p->power_give[i] = m->vms[t->vm].state == MVM_VM_RUNNING ? p->power.vm_w[t->vm] : 0.0;
            break;
        default:
            break;
        }
    }
    if (p->power_limited && p->power0 > sched_budget_at(p, 0))
        return mvm_error_set(err, MVM_ERR_INFEASIBLE,
                             "the datacenter already draws %.0f W at the start, above the power "
                             "budget of %.0f W",
                             p->power0, sched_budget_at(p, 0));
    return 0;
}

double sched_migration_power(const struct sched_problem *p, int64_t bw, int64_t duration)
{
    if (duration <= 0)
        return 0.0;
    double mib = (double)bw / 8.0 * (double)duration;
    return (p->power.migration_j_per_mib * mib + p->power.migration_j) / (double)duration;
}

double sched_budget_at(const struct sched_problem *p, int64_t t)
{
    return sched_budget_min(p, t, t + 1);
}

double sched_budget_min(const struct sched_problem *p, int64_t from, int64_t to)
{
    double w = INFINITY;
    for (size_t k = 0; k < p->budget_count; k++)
        if (p->budget[k].start < to && from < p->budget[k].end)
            w = fmin(w, p->budget[k].watts);
    return w;
}

int64_t sched_budget_next_change(const struct sched_problem *p, int64_t t)
{
    int64_t next = INT64_MAX;
    for (size_t k = 0; k < p->budget_count; k++) {
        if (p->budget[k].start > t && p->budget[k].start < next)
            next = p->budget[k].start;
        if (p->budget[k].end > t && p->budget[k].end < next)
            next = p->budget[k].end;
    }
    return next;
}

int sched_constraints_prepare(struct sched_problem *p, int64_t start_epoch,
                              struct sched_edges *edges, struct mvm_error *err)
{
    const struct mvm_instance *in = p->instance;
    size_t *vm_task = task_of_vm(p, err);
    int rc = vm_task == NULL ? -1 : 0;
    for (size_t ci = 0; rc == 0 && ci < in->constraint_count; ci++) {
        const struct mvm_constraint *c = &in->constraints[ci];
        if (c->kind != MVM_CONSTRAINT_PRECEDENCE)
            continue;
        size_t a = vm_task[c->vms[0]], b = vm_task[c->vms[1]];
        if (c->vms[0] == c->vms[1])
            rc = mvm_error_set(err, MVM_ERR_INFEASIBLE,
                               "constraint %zu (Precedence) puts vm %d before itself", ci,
                               (int)p->model->vms[c->vms[0]].id);
        else if (a != MVM_NONE && b != MVM_NONE)
            rc = add_pair(edges, a, b, err);
    }
    if (rc == 0)
        rc = build_counters(p, vm_task, err);
    if (rc == 0)
        rc = build_sync(p, vm_task, err);
    if (rc == 0)
        rc = build_deadlines(p, vm_task, start_epoch, err);
    if (rc == 0)
        rc = build_power(p, err);
    free(vm_task);
    return rc;
}

void sched_constraints_redirect(struct sched_problem *p)
{
    if (!p->has_sync)
        return;
    size_t n = p->task_count;
    for (size_t i = 0; i < n; i++)
        for (size_t e = p->succ_start[i]; e < p->succ_start[i + 1]; e++) {
            size_t j = p->succs[e], l = p->sync_leader[j];
            if (l != MVM_NONE && l != j) {
                p->succs[e] = l;
                p->pred_count[j]--;
                p->pred_count[l]++;
            }
        }
}

void sched_constraints_clear(struct sched_problem *p)
{
    free(p->counter_cap);
    free(p->counter_start);
    free(p->counters);
    free(p->sync_leader);
    free(p->sync_start);
    free(p->sync_members);
    free(p->sync_offset);
    free(p->deadline);
    free(p->deadline_cstr);
    free(p->power_take);
    free(p->power_give);
    free(p->budget);
    mvm_power_model_clear(&p->power);
}
