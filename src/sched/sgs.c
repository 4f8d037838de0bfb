/*
 * The event-driven list scheduler (see sgs.h). Waiting actions sit in leftist
 * heaps (intrusive: the links live in per-task arrays), one per resource that
 * can stop an action: each network element, each node resource, the migration
 * slots of a baseline's concurrency limit, plus the heap of actions ready to
 * try. Ties between equal priorities go to the lower task index, so a pass is
 * deterministic.
 */
#include "sched/sgs.h"

#include <stdlib.h>
#include <string.h>

#include "util/array.h"
#include "util/sbuf.h"

#define NONE ((size_t)-1)

const struct sched_task *sched_run_task(const struct sched_run *run, size_t i)
{
    size_t n = run->p->task_count;
    return i < n ? &run->p->tasks[i] : &run->extra[i - n];
}

static const size_t *task_path(const struct sched_run *run, size_t i)
{
    const struct sched_task *t = sched_run_task(run, i);
    return (i < run->p->task_count ? run->p->paths : run->extra_paths) + t->path_off;
}

static bool before(const struct sched_run *run, size_t a, size_t b)
{
    double ka = run->rank[a], kb = run->rank[b];
    return ka < kb || (ka == kb && a < b);
}

/* ---- leftist heaps of waiting tasks ---- */

static size_t rank_of(const struct sched_run *run, size_t i)
{
    return i == NONE ? 0 : run->heap_rank[i];
}

static size_t heap_merge(struct sched_run *run, size_t a, size_t b)
{
    if (a == NONE)
        return b;
    if (b == NONE)
        return a;
    if (before(run, b, a)) {
        size_t t = a;
        a = b;
        b = t;
    }
    run->heap_right[a] = heap_merge(run, run->heap_right[a], b);
    if (rank_of(run, run->heap_left[a]) < rank_of(run, run->heap_right[a])) {
        size_t t = run->heap_left[a];
        run->heap_left[a] = run->heap_right[a];
        run->heap_right[a] = t;
    }
    run->heap_rank[a] = rank_of(run, run->heap_right[a]) + 1;
    return a;
}

static void queue_push(struct sched_run *run, size_t q, size_t i)
{
    run->heap_left[i] = run->heap_right[i] = NONE;
    run->heap_rank[i] = 1;
    run->queue[q] = heap_merge(run, run->queue[q], i);
}

static size_t queue_pop(struct sched_run *run, size_t q)
{
    size_t i = run->queue[q];
    run->queue[q] = heap_merge(run, run->heap_left[i], run->heap_right[i]);
    return i;
}

static size_t ready_queue(const struct sched_run *run)
{
    return run->queues - 1;
}

static size_t node_queue(const struct sched_run *run, size_t rc, size_t node)
{
    return run->p->net_rcs + rc * run->p->nodes + node;
}

/* Migrations waiting for one of the p->max_migrations slots (empty when there is no limit). */
static size_t slot_queue(const struct sched_run *run)
{
    return run->queues - 2;
}

/* Tasks waiting for power under a powerBudget. */
static size_t power_queue(const struct sched_run *run)
{
    return run->queues - 3;
}

/* Tasks waiting for a Serialize counter. */
static size_t counter_queue(const struct sched_run *run, size_t counter)
{
    return run->p->net_rcs + run->p->rcs * run->p->nodes + counter;
}

/* The problem task whose constraints task i carries: itself, or the one a bypass replaced. */
static size_t origin_of(const struct sched_run *run, size_t i)
{
    return i < run->p->task_count ? i : run->proxy[i];
}

static const size_t *task_counters(const struct sched_run *run, size_t i, size_t *count)
{
    const struct sched_problem *p = run->p;
    size_t o = origin_of(run, i);
    *count = p->counter_start[o + 1] - p->counter_start[o];
    return p->counters + p->counter_start[o];
}

/* Watts task i takes at its start and gives back at its end. */
static void task_power(const struct sched_run *run, size_t i, double *take, double *give)
{
    const struct sched_problem *p = run->p;
    if (i < p->task_count) {
        *take = p->power_take[i];
        *give = p->power_give[i];
        return;
    }
    const struct sched_task *t = sched_run_task(run, i); /* a bypass leg */
    *take = *give = sched_migration_power(p, t->bw, t->duration);
}

/* A Sync group's leader stands for its members. */
static bool leads_group(const struct sched_run *run, size_t i)
{
    return i < run->p->task_count && run->p->has_sync && run->p->sync_leader[i] == i;
}

static bool follows_leader(const struct sched_run *run, size_t i)
{
    return i < run->p->task_count && run->p->has_sync && run->p->sync_leader[i] != MVM_NONE &&
           run->p->sync_leader[i] != i;
}

/* ---- running tasks: binary heap by end time ---- */

static bool ends_before(const struct sched_run *run, size_t a, size_t b)
{
    return run->end[a] < run->end[b] || (run->end[a] == run->end[b] && a < b);
}

static void running_push(struct sched_run *run, size_t i)
{
    size_t k = run->running_count++;
    while (k > 0) {
        size_t parent = (k - 1) / 2;
        if (!ends_before(run, i, run->running[parent]))
            break;
        run->running[k] = run->running[parent];
        k = parent;
    }
    run->running[k] = i;
}

static size_t running_pop(struct sched_run *run)
{
    size_t top = run->running[0], last = run->running[--run->running_count], k = 0;
    for (;;) {
        size_t c = 2 * k + 1;
        if (c >= run->running_count)
            break;
        if (c + 1 < run->running_count && ends_before(run, run->running[c + 1], run->running[c]))
            c++;
        if (!ends_before(run, run->running[c], last))
            break;
        run->running[k] = run->running[c];
        k = c;
    }
    if (run->running_count > 0)
        run->running[k] = last;
    return top;
}

/* ---- workspace ---- */

static int grow_tasks(struct sched_run *run, size_t need, struct mvm_error *err)
{
    if (need <= run->capacity)
        return 0;
    size_t cap = run->capacity * 2 > need ? run->capacity * 2 : need;
#define GROW(field)                                                                                \
    do {                                                                                           \
        void *p_ = realloc(run->field, cap * sizeof(*run->field));                                 \
        if (p_ == NULL)                                                                            \
            return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");                             \
        run->field = p_;                                                                           \
    } while (0)
    GROW(start);
    GROW(end);
    GROW(then);
    GROW(proxy);
    GROW(replaced);
    GROW(left);
    GROW(heap_left);
    GROW(heap_right);
    GROW(heap_rank);
    GROW(running);
    GROW(rank);
#undef GROW
    run->capacity = cap;
    return 0;
}

int sched_run_init(struct sched_run *run, const struct sched_problem *p, struct mvm_error *err)
{
    memset(run, 0, sizeof(*run));
    run->p = p;
    run->queues = p->net_rcs + p->rcs * p->nodes + p->counter_count + 3;
    run->counter_used = mvm_calloc(p->counter_count, sizeof(int64_t), err);
    run->net_free = mvm_calloc(p->net_rcs, sizeof(int64_t), err);
    run->node_free = mvm_calloc(p->rcs * p->nodes, sizeof(int64_t), err);
    run->online = mvm_calloc(p->nodes, sizeof(bool), err);
    run->queue = mvm_calloc(run->queues, sizeof(size_t), err);
    run->dirty = mvm_calloc(run->queues, sizeof(bool), err);
    run->dirty_list = mvm_calloc(run->queues, sizeof(size_t), err);
    if (!run->net_free || !run->node_free || !run->online || !run->queue || !run->dirty ||
        !run->counter_used || !run->dirty_list || grow_tasks(run, p->task_count + 16, err) < 0) {
        sched_run_clear(run);
        return -1;
    }
    return 0;
}

void sched_run_clear(struct sched_run *run)
{
    free(run->extra);
    free(run->extra_paths);
    free(run->then);
    free(run->proxy);
    free(run->replaced);
    free(run->start);
    free(run->end);
    free(run->left);
    free(run->net_free);
    free(run->node_free);
    free(run->online);
    free(run->queue);
    free(run->dirty);
    free(run->dirty_list);
    free(run->heap_left);
    free(run->heap_right);
    free(run->heap_rank);
    free(run->running);
    free(run->rank);
    free(run->counter_used);
    memset(run, 0, sizeof(*run));
}

/* ---- the pass ---- */

/* The queue of the first resource that stops task i now, or NONE when it fits. */
static size_t blocking(const struct sched_run *run, size_t i)
{
    const struct sched_problem *p = run->p;
    const struct sched_task *t = sched_run_task(run, i);
    const size_t *path = task_path(run, i);
    if (t->kind == MVM_ACTION_MIGRATE_VM && run->migrating >= p->max_migrations)
        return slot_queue(run);
    size_t nc;
    const size_t *counters = task_counters(run, i, &nc);
    for (size_t k = 0; k < nc; k++)
        if (run->counter_used[counters[k]] >= p->counter_cap[counters[k]])
            return counter_queue(run, counters[k]);
    if (p->power_limited) {
        double take, give;
        task_power(run, i, &take, &give);
        /* what it draws while it runs, and what it leaves drawn afterwards */
        if (run->power_now + take > sched_budget_min(p, run->now, run->now + t->duration) ||
            (take > give &&
             run->power_now + take + run->power_reserve > sched_budget_min(p, run->now, INT64_MAX)))
            return power_queue(run);
    }
    for (size_t k = 0; k < t->path_len; k++)
        if (run->net_free[path[k]] < t->bw)
            return path[k];
    if (t->arrive_node != MVM_NONE)
        for (size_t k = 0; k < p->rcs; k++) {
            int64_t c = sched_cons(p, k, t->vm, t->arrive_load);
            if (c > run->node_free[k * p->nodes + t->arrive_node])
                return node_queue(run, k, t->arrive_node);
        }
    return NONE;
}

/*
 * Takes (sign +1) or puts back (-1) what task i holds from its start: its
 * bandwidth, the resources of the node it arrives on, its counters, a
 * migration slot, its power.
 */
static void hold(struct sched_run *run, size_t i, int sign)
{
    const struct sched_problem *p = run->p;
    const struct sched_task *t = sched_run_task(run, i);
    const size_t *path = task_path(run, i);
    for (size_t k = 0; k < t->path_len; k++)
        run->net_free[path[k]] -= sign * t->bw;
    if (t->arrive_node != MVM_NONE)
        for (size_t k = 0; k < p->rcs; k++)
            run->node_free[k * p->nodes + t->arrive_node] -=
                sign * sched_cons(p, k, t->vm, t->arrive_load);
    size_t nc;
    const size_t *counters = task_counters(run, i, &nc);
    for (size_t k = 0; k < nc; k++)
        run->counter_used[counters[k]] += sign;
    double take, give;
    task_power(run, i, &take, &give);
    run->power_now += sign * take;
    if (t->kind == MVM_ACTION_MIGRATE_VM)
        run->migrating = sign > 0 ? run->migrating + 1 : run->migrating - 1;
}

/* Starts task i now; it runs from now + offset (a Sync member's place in its group). */
static void start_task(struct sched_run *run, size_t i, int64_t now, int64_t offset)
{
    const struct sched_task *t = sched_run_task(run, i);
    run->start[i] = now + offset;
    run->end[i] = now + offset + t->duration;
    hold(run, i, +1);
    if (t->kind == MVM_ACTION_SHUTDOWN_NODE)
        run->online[t->node] = false;
    running_push(run, i);
}

/* The members of the group task i leads (just i when it leads none). */
static const size_t *members_of(const struct sched_run *run, const size_t *self, size_t i,
                                size_t *count)
{
    const struct sched_problem *p = run->p;
    if (!leads_group(run, i)) {
        *count = 1;
        return self;
    }
    *count = p->sync_start[i + 1] - p->sync_start[i];
    return p->sync_members + p->sync_start[i];
}

/*
 * The queue of the first resource that stops task i, or the group it leads,
 * now; NONE when it fits. A group is checked member after member, each as if
 * the previous ones had started, then everything is put back.
 */
static size_t fits(struct sched_run *run, size_t i)
{
    size_t count, self = i, b = NONE, k = 0;
    const size_t *members = members_of(run, &self, i, &count);
    if (count == 1)
        return blocking(run, i);
    for (; k < count && (b = blocking(run, members[k])) == NONE; k++)
        hold(run, members[k], +1);
    while (k-- > 0)
        hold(run, members[k], -1);
    return b;
}

/* Starts task i, or every member of the group it leads at its offset. */
static void launch(struct sched_run *run, size_t i, int64_t now)
{
    size_t count, self = i;
    const size_t *members = members_of(run, &self, i, &count);
    for (size_t k = 0; k < count; k++)
        start_task(run, members[k], now, count == 1 ? 0 : run->p->sync_offset[members[k]]);
}

static void mark_dirty(struct sched_run *run, size_t q)
{
    if (!run->dirty[q] && run->queue[q] != NONE) {
        run->dirty[q] = true;
        run->dirty_list[run->dirty_count++] = q;
    }
}

static void make_ready(struct sched_run *run, size_t i)
{
    queue_push(run, ready_queue(run), i);
}

static void finish_task(struct sched_run *run, size_t i)
{
    const struct sched_problem *p = run->p;
    const struct sched_task *t = sched_run_task(run, i);
    const size_t *path = task_path(run, i);
    for (size_t k = 0; k < t->path_len; k++) {
        run->net_free[path[k]] += t->bw;
        mark_dirty(run, path[k]);
    }
    if (t->leave_node != MVM_NONE)
        for (size_t k = 0; k < p->rcs; k++) {
            int64_t c = sched_cons(p, k, t->vm, t->leave_load);
            if (c > 0) {
                run->node_free[k * p->nodes + t->leave_node] += c;
                mark_dirty(run, node_queue(run, k, t->leave_node));
            }
        }
    if (t->kind == MVM_ACTION_BOOT_NODE)
        run->online[t->node] = true;
    if (t->kind == MVM_ACTION_MIGRATE_VM) {
        run->migrating--;
        mark_dirty(run, slot_queue(run));
    }
    size_t nc;
    const size_t *counters = task_counters(run, i, &nc);
    for (size_t k = 0; k < nc; k++) {
        run->counter_used[counters[k]]--;
        mark_dirty(run, counter_queue(run, counters[k]));
    }
    double take, give;
    task_power(run, i, &take, &give);
    run->power_now -= give;
    if (give > 0.0)
        mark_dirty(run, power_queue(run));
    /* a problem task, or the first leg of a bypass, releases the successors */
    size_t released = i < p->task_count ? i : run->then[i] != NONE ? run->proxy[i] : NONE;
    if (released != NONE)
        for (size_t e = p->succ_start[released]; e < p->succ_start[released + 1]; e++) {
            size_t j = p->succs[e];
            if (--run->left[j] == 0)
                make_ready(run, j);
        }
    if (run->then[i] != NONE)
        make_ready(run, run->then[i]);
    run->done++;
}

/* Tries task i now: starts it, or parks it on the resource that stops it. */
static void try_task(struct sched_run *run, size_t i, int64_t now)
{
    size_t q = fits(run, i);
    if (q == NONE)
        launch(run, i, now);
    else
        queue_push(run, q, i);
}

/* Retries the tasks waiting on queue q, best first, while the best one fits there. */
static void wake_queue(struct sched_run *run, size_t q, int64_t now)
{
    while (run->queue[q] != NONE) {
        size_t i = run->queue[q];
        if (run->replaced[i]) {
            queue_pop(run, q);
            continue;
        }
        size_t b = fits(run, i);
        if (b == q)
            break; /* still no room here: keep the order, stop */
        queue_pop(run, q);
        if (b == NONE)
            launch(run, i, now);
        else
            queue_push(run, b, i);
    }
}

static int compare_queues_by_top(const struct sched_run *run, size_t a, size_t b)
{
    size_t ta = run->queue[a], tb = run->queue[b];
    if (ta == NONE || tb == NONE)
        return ta == NONE ? (tb == NONE ? 0 : 1) : -1;
    return before(run, ta, tb) ? -1 : before(run, tb, ta) ? 1 : 0;
}

/* Wakes the queues that got capacity back, best top first, then the ready tasks. */
static void dispatch(struct sched_run *run, int64_t now)
{
    /* insertion sort: only a few queues change at each instant */
    for (size_t a = 1; a < run->dirty_count; a++) {
        size_t q = run->dirty_list[a], b = a;
        while (b > 0 && compare_queues_by_top(run, q, run->dirty_list[b - 1]) < 0) {
            run->dirty_list[b] = run->dirty_list[b - 1];
            b--;
        }
        run->dirty_list[b] = q;
    }
    for (size_t a = 0; a < run->dirty_count; a++) {
        run->dirty[run->dirty_list[a]] = false;
        wake_queue(run, run->dirty_list[a], now);
    }
    run->dirty_count = 0;
    size_t rq = ready_queue(run);
    while (run->queue[rq] != NONE) {
        size_t i = queue_pop(run, rq);
        if (!run->replaced[i])
            try_task(run, i, now);
    }
}

/* Moves every waiting task back to the ready queue (before declaring a deadlock). */
static void requeue_all(struct sched_run *run)
{
    size_t rq = ready_queue(run);
    for (size_t q = 0; q + 1 < run->queues; q++)
        if (run->queue[q] != NONE) {
            run->queue[rq] = heap_merge(run, run->queue[rq], run->queue[q]);
            run->queue[q] = NONE;
        }
}

/* Collects the tasks of heap rooted at i into out (depth-first, explicit stack in out). */
static size_t heap_collect(const struct sched_run *run, size_t root, size_t *out, size_t cap)
{
    size_t n = 0, top = 0;
    if (root == NONE || cap == 0)
        return 0;
    out[n++] = root;
    while (top < n) {
        size_t i = out[top++];
        if (run->heap_left[i] != NONE && n < cap)
            out[n++] = run->heap_left[i];
        if (run->heap_right[i] != NONE && n < cap)
            out[n++] = run->heap_right[i];
    }
    return n;
}

int sched_bypass(struct sched_run *run, int64_t now, struct mvm_error *err);

/* Nothing runs and tasks wait for power: the budget is too low for what must happen. */
static int explain_power(const struct sched_run *run, struct mvm_error *err)
{
    const struct sched_problem *p = run->p;
    size_t i = run->queue[power_queue(run)];
    const struct sched_task *t = sched_run_task(run, i);
    double take, give;
    task_power(run, i, &take, &give);
    const char *what = t->kind == MVM_ACTION_BOOT_NODE ? "node" : "vm";
    int id = t->kind == MVM_ACTION_BOOT_NODE ? (int)p->model->nodes[t->node].id
                                             : (int)p->model->vms[t->vm].id;
    return mvm_error_set(err, MVM_ERR_INFEASIBLE,
                         "the power budget (%.0f W at t=%lld s) is too low: with %.0f W drawn and "
                         "nothing running, the %s of %s %d needs %.0f W more and nothing can give "
                         "power back first",
                         sched_budget_at(p, run->now), (long long)run->now, run->power_now,
                         mvm_action_kind_name(t->kind), what, id, take);
}

int sched_run_pass(struct sched_run *run, const double *key, struct mvm_error *err)
{
    const struct sched_problem *p = run->p;
    size_t n = p->task_count;
    run->key = key;
    run->count = n;
    run->extra_count = 0;
    run->extra_paths_len = 0;
    run->bypasses = 0;
    run->done = 0;
    run->migrating = 0;
    run->now = 0;
    run->power_now = p->power0;
    run->lateness = 0.0;
    if (p->counter_count > 0)
        memset(run->counter_used, 0, p->counter_count * sizeof(int64_t));
    run->running_count = 0;
    run->dirty_count = 0;
    memcpy(run->rank, key, n * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        run->left[i] = p->pred_count[i];
        run->replaced[i] = false;
        run->then[i] = NONE;
        run->proxy[i] = NONE;
    }
    memcpy(run->net_free, p->net_cap, p->net_rcs * sizeof(int64_t));
    for (size_t a = 0; a < p->rcs * p->nodes; a++)
        run->node_free[a] = p->node_cap[a] - p->node_usage[a];
    for (size_t v = 0; v < p->nodes; v++)
        run->online[v] = p->online0[v];
    for (size_t q = 0; q < run->queues; q++) {
        run->queue[q] = NONE;
        run->dirty[q] = false;
    }
    for (size_t i = 0; i < n; i++)
        if (run->left[i] == 0 && !follows_leader(run, i))
            make_ready(run, i);
    for (;;) {
        int64_t now = run->now;
        dispatch(run, now);
        if (run->done == run->count - run->bypasses)
            break;
        int64_t next = run->running_count > 0 ? run->end[run->running[0]] : INT64_MAX;
        if (p->power_limited && run->queue[power_queue(run)] != NONE) {
            /* the budget may rise before anything ends: the power waiters try again then */
            int64_t change = sched_budget_next_change(p, now);
            if (change < next) {
                run->now = change;
                mark_dirty(run, power_queue(run));
                continue;
            }
        }
        if (run->running_count == 0) {
            /* nothing runs: give every waiting task a full retry, then break a cycle */
            requeue_all(run);
            dispatch(run, now);
            if (run->running_count > 0)
                continue;
            if (p->reversed)
                return mvm_error_set(err, MVM_ERR_INFEASIBLE, "reversed pass deadlocked");
            if (run->queue[power_queue(run)] != NONE && run->power_reserve > 0.0) {
                /* the reserve is a preference: with nothing running, it only stalls */
                run->power_reserve = 0.0;
                mark_dirty(run, power_queue(run));
                continue;
            }
            if (run->queue[power_queue(run)] != NONE)
                return explain_power(run, err);
            if (sched_bypass(run, now, err) < 0)
                return -1;
            continue;
        }
        run->now = next;
        while (run->running_count > 0 && run->end[run->running[0]] == next)
            finish_task(run, running_pop(run));
    }
    sched_run_measure(run);
    return 0;
}

void sched_run_measure(struct sched_run *run)
{
    const struct sched_problem *p = run->p;
    run->makespan = 0;
    run->sum_of_ends = 0;
    run->lateness = 0.0;
    for (size_t i = 0; i < run->count; i++) {
        if (run->replaced[i])
            continue;
        run->sum_of_ends += run->end[i];
        if (run->end[i] > run->makespan)
            run->makespan = run->end[i];
        /* a task's deadline binds its arrival: a bypass's second leg, not its first */
        size_t o = origin_of(run, i);
        if (p->has_deadlines && (i < p->task_count || run->then[i] == NONE) &&
            run->end[i] > p->deadline[o])
            run->lateness += (double)(run->end[i] - p->deadline[o]);
    }
}

/* ---- bypasses ---- */

/* Adds a bypass task (copy of t) to the pass and returns its index. */
static size_t add_extra(struct sched_run *run, const struct sched_task *t, struct mvm_error *err)
{
    size_t i = run->count;
    if (grow_tasks(run, i + 1, err) < 0 ||
        MVM_ARRAY_RESERVE(run->extra, run->extra_cap, run->extra_count + 1, err) < 0)
        return NONE;
    run->extra[run->extra_count++] = *t;
    run->then[i] = NONE;
    run->proxy[i] = NONE;
    run->replaced[i] = false;
    run->left[i] = 0;
    run->rank[i] = 0.0; /* set by the caller */
    run->count++;
    return i;
}

/* Is any arrival waiting for room on node n? */
static bool someone_waits_on(const struct sched_run *run, size_t n)
{
    for (size_t k = 0; k < run->p->rcs; k++)
        if (run->queue[node_queue(run, k, n)] != NONE)
            return true;
    return false;
}

static bool fits_on(const struct sched_run *run, size_t vm, size_t node)
{
    const struct sched_problem *p = run->p;
    for (size_t k = 0; k < p->rcs; k++)
        if (sched_cons(p, k, vm, LOAD_ALL) > run->node_free[k * p->nodes + node])
            return false;
    return true;
}

/* Explains a deadlock no bypass can break: the waiting migrations and their needs. */
static int explain_cycle(const struct sched_run *run, const size_t *waiting, size_t count,
                         struct mvm_error *err)
{
    const struct sched_problem *p = run->p;
    const struct mvm_model *m = p->model;
    char buf[600];
    struct mvm_sbuf s;
    mvm_sbuf_init(&s, buf, sizeof(buf));
    for (size_t w = 0; w < count && w < 6; w++) {
        const struct sched_task *t = sched_run_task(run, waiting[w]);
        size_t q = blocking(run, waiting[w]);
        size_t rc = (q - p->net_rcs) / p->nodes;
        mvm_sbuf_printf(&s, "%svm %d (node %d -> node %d) waits for %s on node %d", w ? "; " : "",
                        (int)m->vms[t->vm].id, (int)m->nodes[t->from].id, (int)m->nodes[t->to].id,
                        m->resources[rc].rc_id, (int)m->nodes[t->to].id);
    }
    return mvm_error_set(err, MVM_ERR_INFEASIBLE,
                         "dependency cycle between full nodes and no node has room for a bypass "
                         "migration: %s%s",
                         buf, count > 6 ? "; ..." : "");
}

/*
 * Breaks a deadlock: a waiting migration y (S -> D) whose source S someone is
 * waiting on goes S -> P first, P a node with room now, then P -> D once D has
 * room. Chooses the best waiting migration and the closest pivot with the most
 * room.
 */
int sched_bypass(struct sched_run *run, int64_t now, struct mvm_error *err)
{
    const struct sched_problem *p = run->p;
    size_t cap = run->count, count = 0;
    size_t *waiting = malloc(cap * sizeof(size_t));
    if (waiting == NULL)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    for (size_t q = p->net_rcs; q + 1 < run->queues && count < cap; q++)
        count += heap_collect(run, run->queue[q], waiting + count, cap - count);
    size_t best = NONE;
    for (size_t w = 0; w < count; w++) {
        size_t y = waiting[w];
        const struct sched_task *t = sched_run_task(run, y);
        if (run->replaced[y] || y >= p->task_count || t->kind != MVM_ACTION_MIGRATE_VM ||
            (p->has_sync && p->sync_leader[y] != MVM_NONE) || !someone_waits_on(run, t->from))
            continue;
        if (best == NONE || before(run, y, best))
            best = y;
    }
    if (best == NONE) {
        int rc = count == 0 ? mvm_error_set(err, MVM_ERR_INFEASIBLE,
                                            "the schedule is stuck with nothing waiting")
                            : explain_cycle(run, waiting, count, err);
        free(waiting);
        return rc;
    }
    const struct sched_task *y = sched_run_task(run, best);
    size_t pivot = NONE, pivot_hops = 0;
    int64_t pivot_room = 0;
    struct sched_task leg = {0};
    for (size_t n = 0; n < p->nodes; n++) {
        if (!run->online[n] || p->node_halts[n] || n == y->from || n == y->to ||
            !fits_on(run, y->vm, n))
            continue;
        size_t saved = run->extra_paths_len;
        struct mvm_error probe;
        mvm_error_clear(&probe);
        if (sched_migration_task(p, y->vm, y->from, n, &leg, &run->extra_paths,
                                 &run->extra_paths_len, &run->extra_paths_cap, &probe) < 0) {
            run->extra_paths_len = saved;
            continue;
        }
        run->extra_paths_len = saved;
        int64_t room = p->rcs > 0 ? run->node_free[n] : 0; /* first resource's room */
        if (pivot == NONE || leg.path_len < pivot_hops ||
            (leg.path_len == pivot_hops && room > pivot_room)) {
            pivot = n;
            pivot_hops = leg.path_len;
            pivot_room = room;
        }
    }
    if (pivot == NONE) {
        int rc = explain_cycle(run, waiting, count, err);
        free(waiting);
        return rc;
    }
    free(waiting);
    size_t vm = y->vm, from = y->from, to = y->to, orig = best;
    struct sched_task first, second;
    if (sched_migration_task(p, vm, from, pivot, &first, &run->extra_paths, &run->extra_paths_len,
                             &run->extra_paths_cap, err) < 0 ||
        sched_migration_task(p, vm, pivot, to, &second, &run->extra_paths, &run->extra_paths_len,
                             &run->extra_paths_cap, err) < 0)
        return -1;
    size_t a = add_extra(run, &first, err);
    size_t b = a == NONE ? NONE : add_extra(run, &second, err);
    if (b == NONE)
        return -1;
    run->replaced[orig] = true;
    run->start[orig] = run->end[orig] = now; /* where it stands in the start order */
    run->proxy[a] = run->proxy[b] = orig;
    run->rank[a] = run->rank[b] = run->rank[orig];
    run->then[a] = b;
    run->left[b] = 1;
    run->bypasses++;
    make_ready(run, a);
    return 0;
}
