/*
 * The time-reversed problem (see sched_problem_reverse in problem.h). Used by
 * forward-backward improvement: scheduling the reversed problem in the order of
 * decreasing end times of a schedule right-justifies it, and scheduling forward
 * again in the order of the reversed ends left-justifies it, closing gaps.
 */
#include <stdlib.h>
#include <string.h>

#include "sched/problem.h"
#include "util/array.h"

static enum mvm_action_kind reversed_kind(enum mvm_action_kind k)
{
    return k == MVM_ACTION_BOOT_NODE       ? MVM_ACTION_SHUTDOWN_NODE
           : k == MVM_ACTION_SHUTDOWN_NODE ? MVM_ACTION_BOOT_NODE
                                           : k;
}

int sched_problem_reverse(const struct sched_problem *p, struct sched_problem *r,
                          struct mvm_error *err)
{
    *r = *p;
    r->reversed = true;
    /* the reversed problem only orders tasks for the forward pass that follows, which
     * enforces them: groups, deadlines and budgets are left out (counters are
     * symmetric in time and stay) */
    r->has_sync = false;
    r->has_deadlines = false;
    r->power_limited = false;
    r->own_net = NULL;
    size_t n = p->task_count, cells = p->rcs * p->nodes;
    r->tasks = mvm_calloc(n, sizeof(*r->tasks), err);
    r->succ_start = mvm_calloc(n + 1, sizeof(size_t), err);
    r->succs = mvm_calloc(p->succ_start[n], sizeof(size_t), err);
    r->pred_count = mvm_calloc(n, sizeof(size_t), err);
    r->node_usage = mvm_calloc(cells, sizeof(int64_t), err);
    r->online0 = mvm_calloc(p->nodes, sizeof(bool), err);
    r->head = mvm_calloc(n, sizeof(int64_t), err);
    r->tail = mvm_calloc(n, sizeof(int64_t), err);
    r->head0 = mvm_calloc(n, sizeof(int64_t), err);
    r->tail0 = mvm_calloc(n, sizeof(int64_t), err);
    size_t *fill = mvm_calloc(n, sizeof(size_t), err);
    if (!r->tasks || !r->succ_start || !r->succs || !r->pred_count || !r->node_usage ||
        !r->online0 || !r->head || !r->tail || !r->head0 || !r->tail0 || !fill) {
        free(fill);
        sched_problem_reverse_clear(r);
        return -1;
    }
    memcpy(r->node_usage, p->node_usage, cells * sizeof(int64_t));
    memcpy(r->online0, p->online0, p->nodes * sizeof(bool));
    for (size_t i = 0; i < n; i++) {
        const struct sched_task *t = &p->tasks[i];
        struct sched_task *u = &r->tasks[i];
        *u = *t;
        u->kind = reversed_kind(t->kind);
        u->from = t->to;
        u->to = t->from;
        u->arrive_node = t->leave_node;
        u->arrive_load = t->leave_load;
        u->leave_node = t->arrive_node;
        u->leave_load = t->arrive_load;
        /* the reversed problem starts from the forward problem's final state */
        for (size_t k = 0; k < p->rcs; k++) {
            if (t->arrive_node != MVM_NONE)
                r->node_usage[k * p->nodes + t->arrive_node] +=
                    sched_cons(p, k, t->vm, t->arrive_load);
            if (t->leave_node != MVM_NONE)
                r->node_usage[k * p->nodes + t->leave_node] -=
                    sched_cons(p, k, t->vm, t->leave_load);
        }
        if (t->kind == MVM_ACTION_BOOT_NODE || t->kind == MVM_ACTION_SHUTDOWN_NODE)
            r->online0[t->node] = t->kind == MVM_ACTION_BOOT_NODE;
        r->head[i] = p->tail[i];
        r->tail[i] = p->head[i];
        r->head0[i] = p->tail0[i];
        r->tail0[i] = p->head0[i];
        r->pred_count[i] = p->succ_start[i + 1] - p->succ_start[i];
    }
    /* reversed edges: for every forward edge i -> j, j -> i */
    for (size_t i = 0; i < n; i++)
        for (size_t e = p->succ_start[i]; e < p->succ_start[i + 1]; e++)
            r->succ_start[p->succs[e] + 1]++;
    for (size_t i = 0; i < n; i++)
        r->succ_start[i + 1] += r->succ_start[i];
    for (size_t i = 0; i < n; i++)
        for (size_t e = p->succ_start[i]; e < p->succ_start[i + 1]; e++) {
            size_t j = p->succs[e];
            r->succs[r->succ_start[j] + fill[j]++] = i;
        }
    free(fill);
    return 0;
}

void sched_problem_reverse_clear(struct sched_problem *r)
{
    free(r->tasks);
    free(r->succ_start);
    free(r->succs);
    free(r->pred_count);
    free(r->node_usage);
    free(r->online0);
    free(r->head);
    free(r->tail);
    free(r->head0);
    free(r->tail0);
    memset(r, 0, sizeof(*r));
}
