/*
 * The search over schedules (see search.h).
 *
 * Priority rules (lower key starts first): longest first (fills shared links
 * with the long transfers while short ones pack the gaps), shortest first (what
 * the sum of end times wants), longest remaining chain first (critical path),
 * and busiest element first (the bottleneck link sets the pace, so its queue is
 * served before others). Then, while budget remains: the best schedule's own
 * start order with random nudges (a local search around it), a rule with
 * random noise (a restart elsewhere), or a forward-backward pass: the reversed
 * problem scheduled in the order of the best schedule's latest ends (which
 * right-justifies it), then the problem again in the order of that backward
 * schedule (which left-justifies it), closing the gaps a list scheduler leaves.
 */
#include "sched/search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sched/sgs.h"
#include "util/array.h"

double sched_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

bool sched_better(enum mvm_schedule_objective objective, const struct sched_score *a,
                  const struct sched_score *b)
{
    if (a->lateness != b->lateness)
        return a->lateness < b->lateness;
    if (objective == MVM_SCHEDULE_ENERGY && fabs(a->energy - b->energy) > 1e-6)
        return a->energy < b->energy;
    if (objective == MVM_SCHEDULE_MAKESPAN || objective == MVM_SCHEDULE_ENERGY) {
        if (a->makespan != b->makespan)
            return a->makespan < b->makespan;
        return a->sum < b->sum;
    }
    if (a->sum != b->sum)
        return a->sum < b->sum;
    return a->makespan < b->makespan;
}

struct sched_score sched_search_score(const struct sched_search *s)
{
    return (struct sched_score){s->best_lateness, s->best_makespan, s->best_sum, s->best_energy};
}

/*
 * Energy of a pass until its completion (mvm/energy.h's model at planned
 * times): nodes on, boot overheads, hosted VMs, migrations.
 */
static double pass_energy(const struct sched_run *run)
{
    const struct sched_problem *p = run->p;
    const struct mvm_power_model *pm = &p->power;
    double horizon = (double)run->makespan, e = 0.0;
    for (size_t v = 0; v < p->nodes; v++) {
        size_t b = p->boot_task[v], h = p->shutdown_task[v];
        double on = p->online0[v] ? 0.0 : horizon; /* switched on at: */
        if (b != MVM_NONE) {
            on = (double)run->start[b];
            e += pm->boot_w[v] * (double)(run->end[b] - run->start[b]);
        }
        double off = h != MVM_NONE ? (double)run->end[h] : horizon;
        if (off > on)
            e += pm->idle_w[v] * (off - on);
    }
    for (size_t v = 0; v < p->vms; v++)
        if (p->model->vms[v].state == MVM_VM_RUNNING)
            e += pm->vm_w[v] * horizon;
    for (size_t i = 0; i < run->count; i++) {
        if (run->replaced[i])
            continue;
        const struct sched_task *t = sched_run_task(run, i);
        double s = (double)run->start[i], f = (double)run->end[i];
        switch (t->kind) {
        case MVM_ACTION_MIGRATE_VM:
            e += pm->migration_j_per_mib * (double)t->bw / 8.0 * (f - s) + pm->migration_j;
            break;
        case MVM_ACTION_BOOT_VM:
        case MVM_ACTION_RESUME_VM:
            e += pm->vm_w[t->vm] * (horizon - s);
            break;
        case MVM_ACTION_SHUTDOWN_VM:
        case MVM_ACTION_SUSPEND_VM:
        case MVM_ACTION_KILL_VM:
            if (p->model->vms[t->vm].state == MVM_VM_RUNNING)
                e -= pm->vm_w[t->vm] * (horizon - f);
            break;
        default:
            break;
        }
    }
    return e;
}

/*
 * Boots as late as they can be: each ends when the first task that needs it
 * starts (a Sync group counts from its start, when it takes its resources).
 * Only for the energy objective without a power budget (a later boot could
 * draw its overhead when the budget has no room left).
 */
static void delay_boots(struct sched_run *run)
{
    const struct sched_problem *p = run->p;
    for (size_t v = 0; v < p->nodes; v++) {
        size_t b = p->boot_task[v];
        if (b == MVM_NONE || run->replaced[b])
            continue;
        int64_t latest = run->makespan;
        for (size_t e = p->succ_start[b]; e < p->succ_start[b + 1]; e++) {
            size_t j = p->succs[e];
            int64_t s = run->start[j];
            if (p->has_sync && p->sync_leader[j] == j)
                s -= p->sync_offset[j];
            latest = s < latest ? s : latest;
        }
        int64_t d = run->end[b] - run->start[b];
        if (latest - d > run->start[b]) {
            run->start[b] = latest - d;
            run->end[b] = latest;
        }
    }
    sched_run_measure(run);
}

static struct sched_score score_of(struct sched_search *s, struct sched_run *run)
{
    if (s->objective == MVM_SCHEDULE_ENERGY && !run->p->power_limited)
        delay_boots(run);
    return (struct sched_score){run->lateness, run->makespan, run->sum_of_ends,
                                s->objective == MVM_SCHEDULE_ENERGY ? pass_energy(run) : 0.0};
}

/* xoshiro256** seeded by splitmix64: small, fast, and owned by each search. */
struct rng {
    uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s, result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1). */
static double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

enum rule {
    RULE_LONGEST,
    RULE_SHORTEST,
    RULE_CHAIN,
    RULE_BOTTLENECK,
    RULE_LOAD_SUM,
    RULE_DEADLINE, /* earliest latest-start first (deadlines), then longest */
    RULE_SOURCE,   /* lightest source node first, a node at a time (sources off early) */
    RULE_COUNT
};

/*
 * Keys of a rule; load[i] is the busiest element's load (s) on task i's path,
 * load_sum[i] the sum over its path, source_rank[i] the rank of the node it
 * leaves by the work leaving that node (lightest 0; -1 when it leaves none).
 */
static void rule_keys(const struct sched_problem *p, enum rule rule, const double *load,
                      const double *load_sum, const double *source_rank, double *key)
{
    for (size_t i = 0; i < p->task_count; i++) {
        double d = (double)p->tasks[i].duration;
        switch (rule) {
        case RULE_LONGEST:
            key[i] = -d;
            break;
        case RULE_SHORTEST:
            key[i] = d;
            break;
        case RULE_CHAIN:
            key[i] = -(d + (double)p->tail[i]) - d * 1e-6;
            break;
        case RULE_BOTTLENECK:
            key[i] = -load[i] * 1e6 - d;
            break;
        case RULE_LOAD_SUM:
            key[i] = -load_sum[i] * 1e6 - d;
            break;
        case RULE_DEADLINE:
            key[i] = p->has_deadlines && p->deadline[i] != INT64_MAX
                         ? (double)(p->deadline[i] - p->tasks[i].duration)
                         : 1e15 - d;
            break;
        case RULE_SOURCE:
        case RULE_COUNT:
            key[i] = source_rank[i] * 1e7 - d;
            break;
        }
    }
}

struct ranked {
    double work;
    size_t node;
};

static int compare_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->work != y->work)
        return x->work < y->work ? -1 : 1;
    return x->node < y->node ? -1 : x->node > y->node;
}

/* Rank of the node each task leaves, by the work leaving it (lightest 0), -1 for none. */
static int source_ranks(const struct sched_problem *p, double *rank, struct mvm_error *err)
{
    struct ranked *nodes = mvm_calloc(p->nodes, sizeof(*nodes), err);
    double *of_node = mvm_calloc(p->nodes, sizeof(double), err);
    if (nodes == NULL || of_node == NULL) {
        free(nodes);
        free(of_node);
        return -1;
    }
    for (size_t v = 0; v < p->nodes; v++)
        nodes[v].node = v;
    for (size_t i = 0; i < p->task_count; i++)
        if (p->tasks[i].leave_node != MVM_NONE)
            nodes[p->tasks[i].leave_node].work += (double)p->tasks[i].duration;
    qsort(nodes, p->nodes, sizeof(*nodes), compare_ranked);
    for (size_t k = 0; k < p->nodes; k++)
        of_node[nodes[k].node] = (double)k;
    for (size_t i = 0; i < p->task_count; i++)
        rank[i] = p->tasks[i].leave_node != MVM_NONE ? of_node[p->tasks[i].leave_node] : -1.0;
    free(nodes);
    free(of_node);
    return 0;
}

/*
 * The load (s of transfer at capacity) of the busiest element on each task's
 * path, and the sum of the loads along it.
 */
static int path_loads(const struct sched_problem *p, double *load, double *load_sum,
                      struct mvm_error *err)
{
    double *per = mvm_calloc(p->net_rcs, sizeof(double), err);
    if (per == NULL)
        return -1;
    for (size_t i = 0; i < p->task_count; i++) {
        const struct sched_task *t = &p->tasks[i];
        for (size_t k = 0; k < t->path_len; k++) {
            size_t r = p->paths[t->path_off + k];
            per[r] += (double)t->bw * (double)t->duration / (double)p->net_cap[r];
        }
    }
    for (size_t i = 0; i < p->task_count; i++) {
        const struct sched_task *t = &p->tasks[i];
        load[i] = load_sum[i] = 0.0;
        for (size_t k = 0; k < t->path_len; k++) {
            load[i] = fmax(load[i], per[p->paths[t->path_off + k]]);
            load_sum[i] += per[p->paths[t->path_off + k]];
        }
    }
    free(per);
    return 0;
}

/* Keeps the pass's schedule as the search's best. */
static int keep(struct sched_search *s, const struct sched_run *run)
{
    struct mvm_error *err = &s->err;
    size_t n = run->count;
    struct sched_task *tasks = realloc(s->tasks, n * sizeof(*tasks));
    bool *replaced = tasks ? realloc(s->replaced, n * sizeof(bool)) : NULL;
    int64_t *start = replaced ? realloc(s->start, n * sizeof(int64_t)) : NULL;
    int64_t *end = start ? realloc(s->end, n * sizeof(int64_t)) : NULL;
    if (tasks)
        s->tasks = tasks;
    if (replaced)
        s->replaced = replaced;
    if (start)
        s->start = start;
    if (end)
        s->end = end;
    if (end == NULL)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    /* bypass legs keep their paths in the pass's own storage: copy them after the problem's */
    const struct sched_problem *p = run->p;
    size_t base = 0;
    for (size_t i = 0; i < p->task_count; i++)
        base = p->tasks[i].path_off + p->tasks[i].path_len > base
                   ? p->tasks[i].path_off + p->tasks[i].path_len
                   : base;
    size_t total = base + run->extra_paths_len;
    size_t *paths = realloc(s->paths, (total ? total : 1) * sizeof(size_t));
    if (paths == NULL)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    s->paths = paths;
    if (base > 0)
        memcpy(paths, p->paths, base * sizeof(size_t));
    if (run->extra_paths_len > 0)
        memcpy(paths + base, run->extra_paths, run->extra_paths_len * sizeof(size_t));
    for (size_t i = 0; i < n; i++) {
        tasks[i] = *sched_run_task(run, i);
        if (i >= p->task_count)
            tasks[i].path_off += base;
    }
    memcpy(replaced, run->replaced, n * sizeof(bool));
    memcpy(start, run->start, n * sizeof(int64_t));
    memcpy(end, run->end, n * sizeof(int64_t));
    s->task_count = n;
    s->best_makespan = run->makespan;
    s->best_sum = run->sum_of_ends;
    s->best_lateness = run->lateness;
    s->bypasses = run->bypasses;
    s->found = 1;
    return 0;
}

/*
 * Backward pass over the best schedule: the reversed problem, latest ends
 * first (ties nudged at random), then key = the forward order it implies.
 * False when the backward pass deadlocks (it then teaches nothing).
 */
static bool backward_keys(struct sched_search *s, struct sched_run *back, double *key,
                          struct rng *rng)
{
    size_t n = s->p->task_count;
    for (size_t i = 0; i < n; i++)
        key[i] = -(double)s->end[i] - 0.5 * rng_unit(rng);
    struct mvm_error ignored;
    mvm_error_clear(&ignored);
    if (sched_run_pass(back, key, &ignored) < 0)
        return false;
    for (size_t i = 0; i < n; i++)
        key[i] = -(double)back->end[i];
    return true;
}

/* Provably optimal for every measure: nothing left to search for. */
static bool at_bound(const struct sched_search *s)
{
    return s->objective != MVM_SCHEDULE_ENERGY && s->best_lateness == 0.0 &&
           s->best_makespan <= s->bounds->makespan && s->best_sum <= s->bounds->sum_of_ends;
}

void *sched_search_run(void *arg)
{
    struct sched_search *s = arg;
    const struct sched_problem *p = s->p;
    size_t n = p->task_count;
    struct sched_run run, back;
    struct rng rng;
    rng_seed(&rng, s->seed);
    mvm_error_clear(&s->err);
    double *load = mvm_calloc(3 * n, sizeof(double), &s->err); /* load, sum, source rank */
    double *key = mvm_calloc(n, sizeof(double), &s->err);
    double *rules = mvm_calloc(n * RULE_COUNT, sizeof(double), &s->err);
    memset(&back, 0, sizeof(back));
    if (!load || !key || !rules || path_loads(p, load, load + n, &s->err) < 0 ||
        source_ranks(p, load + 2 * n, &s->err) < 0 || sched_run_init(&run, p, &s->err) < 0 ||
        sched_run_init(&back, s->reversed, &s->err) < 0) {
        s->found = -1;
        sched_run_clear(&run);
        free(load);
        free(key);
        free(rules);
        return NULL;
    }
    for (int r = 0; r < RULE_COUNT; r++) {
        double *k = rules + (size_t)r * n;
        rule_keys(p, (enum rule)r, load, load + n, load + 2 * n, k);
        /* a boot matters as much as the most urgent task it lets start, no more: it
         * must not take the power or the turn of anything more urgent */
        for (size_t i = 0; i < n; i++) {
            if (p->tasks[i].kind != MVM_ACTION_BOOT_NODE ||
                p->succ_start[i] == p->succ_start[i + 1])
                continue;
            double first = INFINITY;
            for (size_t e = p->succ_start[i]; e < p->succ_start[i + 1]; e++)
                first = fmin(first, k[p->succs[e]]);
            k[i] = first - 1e-6 * fabs(first) - 1e-6;
        }
    }
    size_t since_best = 0;
    bool improved = false;
    s->passes = 0;
    for (size_t pass = 0; pass < s->max_passes; pass++) {
        s->passes = pass + 1;
        double dice = rng_unit(&rng);
        if (s->baseline) {
            /* one deterministic rule, as a baseline would apply it (see mvm_schedule_policy) */
            memcpy(key, rules + (size_t)RULE_SHORTEST * n, n * sizeof(double));
        } else if (pass < RULE_COUNT) {
            memcpy(key, rules + pass * n, n * sizeof(double));
        } else if (s->bypasses == 0 && (improved || dice < 0.25) &&
                   backward_keys(s, &back, key, &rng)) {
            /* key now holds the forward order of a backward pass */
        } else if (dice < 0.75) {
            /* around the best: its start order, each task nudged by up to amp of its length */
            double amp = 0.1 + 1.5 * rng_unit(&rng);
            for (size_t i = 0; i < n; i++)
                key[i] = (double)s->start[i] +
                         amp * (double)p->tasks[i].duration * (rng_unit(&rng) - 0.5);
        } else {
            /* a rule with noise proportional to its own spread */
            const double *base = rules + (size_t)(rng_next(&rng) % RULE_COUNT) * n;
            double lo = INFINITY, hi = -INFINITY;
            for (size_t i = 0; i < n; i++) {
                lo = fmin(lo, base[i]);
                hi = fmax(hi, base[i]);
            }
            double amp = (hi - lo + 1.0) * (0.05 + 0.5 * rng_unit(&rng));
            for (size_t i = 0; i < n; i++)
                key[i] = base[i] + amp * rng_unit(&rng);
        }
        if (p->power_limited) {
            /* under a power budget, how much to keep for migrations rather than boot nodes
             * is a choice: the rule passes try growing shares of the headroom, later
             * passes random ones or the best pass's */
            double headroom = sched_budget_at(p, 0) - p->power0;
            run.power_reserve = pass < RULE_COUNT ? (double)pass / RULE_COUNT * 0.5 * headroom
                                                  : rng_unit(&rng) * headroom;
            if (pass >= RULE_COUNT && s->found > 0 && rng_unit(&rng) < 0.5)
                run.power_reserve = s->best_reserve;
        }
        if (sched_run_pass(&run, key, &s->err) < 0) {
            s->found = -1;
            break;
        }
        struct sched_score now = score_of(s, &run), best = sched_search_score(s);
        if (s->found == 0 || sched_better(s->objective, &now, &best)) {
            s->best_energy = now.energy;
            s->best_reserve = run.power_reserve;
            if (keep(s, &run) < 0) {
                s->found = -1;
                break;
            }
            since_best = 0;
            improved = true;
            if (s->progress != NULL)
                s->progress(s->progress_data, pass + 1, s->best_makespan, s->best_sum);
        } else {
            since_best++;
            improved = false;
        }
        if (s->baseline || at_bound(s) || (pass >= RULE_COUNT && since_best >= s->patience) ||
            (s->deadline > 0 && sched_now() >= s->deadline))
            break;
    }
    sched_run_clear(&run);
    sched_run_clear(&back);
    free(load);
    free(key);
    free(rules);
    return NULL;
}

void sched_search_clear(struct sched_search *s)
{
    free(s->tasks);
    free(s->paths);
    free(s->replaced);
    free(s->start);
    free(s->end);
    s->tasks = NULL;
    s->paths = NULL;
    s->replaced = NULL;
    s->start = s->end = NULL;
}
