/*
 * mvm_schedule: derives the problem, computes its lower bounds, runs one search
 * per thread (or, for a baseline policy, adapts the problem and runs one pass),
 * and turns the best schedule into a BtrPlace plan.
 */
#include "mvm/schedule.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mvm/energy.h"
#include "sched/bound.h"
#include "sched/problem.h"
#include "sched/search.h"
#include "util/array.h"

/* Hooks BtrPlace writes on every action; the scheduler adds none. */
#define EMPTY_HOOKS "{\"pre\":[],\"post\":[]}"

void mvm_schedule_options_init(struct mvm_schedule_options *o)
{
    memset(o, 0, sizeof(*o));
    o->objective = MVM_SCHEDULE_FROM_INSTANCE;
    o->model = MVM_MIGRATION_PRECOPY;
    o->time_limit_s = 10.0;
    o->max_passes = 0;
    o->seed = 1;
    o->threads = 1;
    o->start_epoch = (int64_t)time(NULL);
    o->policy = MVM_SCHEDULE_POLICY_MVM;
    o->concurrency = 2; /* MB-2, the published comparison's baseline */
}

const char *mvm_schedule_objective_name(enum mvm_schedule_objective objective)
{
    return objective == MVM_SCHEDULE_MAKESPAN ? "makespan"
           : objective == MVM_SCHEDULE_ENERGY ? "energy"
                                              : "mttr";
}

int mvm_schedule_objective_parse(const char *name, enum mvm_schedule_objective *out)
{
    if (strcmp(name, "mttr") == 0)
        *out = MVM_SCHEDULE_MTTR;
    else if (strcmp(name, "makespan") == 0)
        *out = MVM_SCHEDULE_MAKESPAN;
    else if (strcmp(name, "energy") == 0)
        *out = MVM_SCHEDULE_ENERGY;
    else
        return -1;
    return 0;
}

const char *mvm_schedule_policy_name(enum mvm_schedule_policy policy)
{
    switch (policy) {
    case MVM_SCHEDULE_POLICY_SEQUENTIAL:
        return "sequential";
    case MVM_SCHEDULE_POLICY_MB:
        return "mb";
    case MVM_SCHEDULE_POLICY_BTRPLACE:
        return "btrplace";
    case MVM_SCHEDULE_POLICY_MVM:
        break;
    }
    return "mvm";
}

int mvm_schedule_policy_parse(const char *name, enum mvm_schedule_policy *policy,
                              unsigned *concurrency)
{
    if (strcmp(name, "mvm") == 0) {
        *policy = MVM_SCHEDULE_POLICY_MVM;
    } else if (strcmp(name, "sequential") == 0) {
        *policy = MVM_SCHEDULE_POLICY_SEQUENTIAL;
    } else if (strcmp(name, "btrplace") == 0) {
        *policy = MVM_SCHEDULE_POLICY_BTRPLACE;
    } else if (strncmp(name, "mb:", 3) == 0) {
        /* digits only (no sign, no blanks), 1 .. UINT_MAX */
        unsigned long long k = 0;
        const char *d = name + 3;
        if (*d == '\0')
            return -1;
        for (; *d != '\0'; d++) {
            if (*d < '0' || *d > '9')
                return -1;
            k = k * 10 + (unsigned long long)(*d - '0');
            if (k > UINT_MAX)
                return -1;
        }
        if (k < 1)
            return -1;
        *policy = MVM_SCHEDULE_POLICY_MB;
        *concurrency = (unsigned)k;
    } else {
        return -1;
    }
    return 0;
}

/* What a baseline changes in the problem it schedules (see enum mvm_schedule_policy). */
static int apply_policy(struct sched_problem *p, const struct mvm_schedule_options *o,
                        struct mvm_error *err)
{
    switch (o->policy) {
    case MVM_SCHEDULE_POLICY_MVM:
        return 0;
    case MVM_SCHEDULE_POLICY_SEQUENTIAL:
        return sched_problem_set_baseline(p, 1, true, o->model, err);
    case MVM_SCHEDULE_POLICY_MB:
        return sched_problem_set_baseline(p, o->concurrency, false, o->model, err);
    case MVM_SCHEDULE_POLICY_BTRPLACE:
        return sched_problem_set_baseline(p, SIZE_MAX, false, MVM_MIGRATION_NODP, err);
    }
    return mvm_error_set(err, MVM_ERR_INVALID, "unknown scheduling policy %d", (int)o->policy);
}

static int resolve_objective(const struct mvm_instance *in, enum mvm_schedule_objective asked,
                             enum mvm_schedule_objective *out, struct mvm_error *err)
{
    if (asked != MVM_SCHEDULE_FROM_INSTANCE) {
        *out = asked;
        return 0;
    }
    if (in->objective == MVM_OBJECTIVE_OTHER)
        return mvm_error_set(err, MVM_ERR_UNSUPPORTED,
                             "objective %s is not supported yet (choose one with --objective "
                             "mttr|makespan)",
                             in->objective_name);
    /* MTTR is BtrPlace's default, and what minimizeMTTR* ask for */
    *out = in->objective == MVM_OBJECTIVE_MIN_ENERGY ? MVM_SCHEDULE_ENERGY : MVM_SCHEDULE_MTTR;
    return 0;
}

struct timed {
    int64_t start;
    size_t task;
};

static int compare_timed(const void *a, const void *b)
{
    const struct timed *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->task < y->task ? -1 : x->task > y->task;
}

/* The best schedule of a search as a plan over a copy of the instance's model. */
static struct mvm_plan *build_plan(const struct mvm_instance *in, const struct sched_search *s,
                                   struct mvm_error *err)
{
    struct mvm_model *origin = mvm_model_copy(in->model, err);
    struct mvm_plan *plan = origin ? mvm_plan_new(origin, err) : NULL;
    struct timed *order = mvm_calloc(s->task_count, sizeof(*order), err);
    if (plan == NULL || order == NULL) {
        mvm_plan_free(plan);
        free(order);
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < s->task_count; i++)
        if (!s->replaced[i])
            order[n++] = (struct timed){s->start[i], i};
    qsort(order, n, sizeof(*order), compare_timed);
    for (size_t k = 0; k < n; k++) {
        const struct sched_task *t = &s->tasks[order[k].task];
        struct mvm_action a = {.kind = t->kind,
                               .start = s->start[order[k].task],
                               .end = s->end[order[k].task],
                               .vm = t->vm,
                               .node = t->node,
                               .from = t->from,
                               .to = t->to,
                               .bw_mbps = t->kind == MVM_ACTION_MIGRATE_VM ? t->bw : -1};
        a.hooks = mvm_strdup(EMPTY_HOOKS, err);
        if (a.hooks == NULL || mvm_plan_add_action(plan, &a, err) < 0) {
            mvm_action_clear(&a);
            mvm_plan_free(plan);
            free(order);
            return NULL;
        }
    }
    free(order);
    return plan;
}

/* The deadline the best plan missed by the most: no plan meets them all that was found. */
static void missed_deadline(const struct sched_problem *p, const struct sched_search *best,
                            struct mvm_error *err)
{
    size_t worst = MVM_NONE;
    int64_t late = 0;
    for (size_t i = 0; i < p->task_count; i++)
        if (!best->replaced[i] && best->end[i] - p->deadline[i] > late) {
            late = best->end[i] - p->deadline[i];
            worst = i;
        }
    if (worst == MVM_NONE) { /* only a bypass leg was late */
        mvm_error_set(err, MVM_ERR_INFEASIBLE, "no plan meeting every deadline was found");
        return;
    }
    const struct mvm_constraint *c = &p->instance->constraints[p->deadline_cstr[worst]];
    mvm_error_set(err, MVM_ERR_INFEASIBLE,
                  "no plan meeting every deadline was found: the best one ends vm %d's %s at "
                  "t=%lld s, %lld s after constraint %zu (Deadline %s)",
                  (int)p->model->vms[p->tasks[worst].vm].id,
                  mvm_action_kind_name(p->tasks[worst].kind), (long long)best->end[worst],
                  (long long)late, p->deadline_cstr[worst], c->timestamp);
}

/* Energy and power peak of the plan at its planned times. */
static int plan_energy(const struct mvm_plan *plan, struct mvm_schedule_stats *st,
                       struct mvm_error *err)
{
    struct mvm_power_model pm;
    if (mvm_power_model_init(&pm, plan->origin, err) < 0)
        return -1;
    struct mvm_energy e;
    int rc = mvm_plan_energy(plan, &pm, 0.0, &e, NULL, NULL, err);
    mvm_power_model_clear(&pm);
    st->energy_j = e.total_j;
    st->peak_w = e.peak_w;
    return rc;
}

static void fill_stats(struct mvm_schedule_stats *st, const struct mvm_plan *plan,
                       const struct sched_search *best, const struct sched_bounds *b)
{
    for (size_t i = 0; i < plan->action_count; i++) {
        enum mvm_action_kind k = plan->actions[i].kind;
        if (k == MVM_ACTION_MIGRATE_VM)
            st->migrations++;
        else if (k == MVM_ACTION_BOOT_NODE || k == MVM_ACTION_SHUTDOWN_NODE)
            st->node_actions++;
        else
            st->vm_actions++;
    }
    st->bypasses = best->bypasses;
    st->makespan = best->best_makespan;
    st->sum_of_ends = best->best_sum;
    st->makespan_bound = b->makespan;
    st->sum_of_ends_bound = b->sum_of_ends;
}

struct mvm_plan *mvm_schedule(const struct mvm_instance *in,
                              const struct mvm_schedule_options *options,
                              struct mvm_schedule_stats *stats, struct mvm_error *err)
{
    double t0 = sched_now();
    if (stats != NULL)
        memset(stats, 0, sizeof(*stats));
    struct mvm_schedule_options defaults;
    if (options == NULL) {
        mvm_schedule_options_init(&defaults);
        options = &defaults;
    }
    enum mvm_schedule_objective objective = MVM_SCHEDULE_MTTR;
    if (resolve_objective(in, options->objective, &objective, err) < 0)
        return NULL;
    if (options->policy == MVM_SCHEDULE_POLICY_MB && options->concurrency < 1) {
        mvm_error_set(err, MVM_ERR_INVALID, "policy mb:K needs K >= 1, got %u",
                      options->concurrency);
        return NULL;
    }
    bool baseline = options->policy != MVM_SCHEDULE_POLICY_MVM;
    struct sched_problem p;
    if (sched_problem_build(in, options->model, options->start_epoch, &p, err) < 0)
        return NULL;
    /* the bounds come from the problem itself, before a baseline relaxes it: valid plans' */
    struct sched_bounds bounds;
    struct sched_problem reversed;
    if (sched_bounds_compute(&p, &bounds, err) < 0 || apply_policy(&p, options, err) < 0 ||
        sched_problem_reverse(&p, &reversed, err) < 0) {
        sched_problem_clear(&p);
        return NULL;
    }
    /* a baseline's single pass is deterministic: more threads would only repeat it */
    size_t threads = options->threads > 1 && !baseline ? options->threads : 1;
    struct sched_search *searches = mvm_calloc(threads, sizeof(*searches), err);
    pthread_t *ids = mvm_calloc(threads, sizeof(pthread_t), err);
    bool *started = mvm_calloc(threads, sizeof(bool), err);
    struct mvm_plan *plan = NULL;
    if (searches == NULL || ids == NULL || started == NULL)
        goto done;
    /* effort sized so a pass budget costs about the same whatever the instance */
    size_t n = p.task_count > 0 ? p.task_count : 1;
    size_t passes = options->max_passes;
    size_t patience = SIZE_MAX;
    if (passes == 0) {
        passes = 300000 / n;
        passes = passes < 8 ? 8 : passes > 3000 ? 3000 : passes;
        patience = passes / 3 > 20 ? passes / 3 : 20;
    }
    uint64_t seed = options->seed;
    for (size_t k = 0; k < threads; k++) {
        struct sched_search *s = &searches[k];
        s->p = &p;
        s->reversed = &reversed;
        s->bounds = &bounds;
        s->objective = objective;
        s->seed = seed + 0x9e3779b97f4a7c15ULL * k;
        s->max_passes = passes;
        s->patience = patience;
        s->deadline = options->time_limit_s > 0 ? t0 + options->time_limit_s : 0;
        s->baseline = baseline;
        if (k == 0) {
            s->progress = options->progress;
            s->progress_data = options->progress_data;
        }
    }
    for (size_t k = 1; k < threads; k++)
        started[k] = pthread_create(&ids[k], NULL, sched_search_run, &searches[k]) == 0;
    sched_search_run(&searches[0]);
    for (size_t k = 1; k < threads; k++)
        if (started[k])
            pthread_join(ids[k], NULL);
        else
            sched_search_run(&searches[k]); /* no thread: run it here */
    /* the best result, ties to the lowest thread so the outcome is deterministic */
    struct sched_search *best = NULL;
    size_t tried = 0;
    for (size_t k = 0; k < threads; k++) {
        struct sched_search *s = &searches[k];
        tried += s->passes;
        if (s->found < 0) {
            *err = s->err;
            goto done;
        }
        struct sched_score score = sched_search_score(s);
        struct sched_score kept = best != NULL ? sched_search_score(best) : score;
        if (s->found > 0 && (best == NULL || sched_better(objective, &score, &kept)))
            best = s;
    }
    if (best == NULL) {
        mvm_error_set(err, MVM_ERR_INFEASIBLE, "no schedule was found");
        goto done;
    }
    if (best->best_lateness > 0.0) {
        missed_deadline(&p, best, err);
        goto done;
    }
    plan = build_plan(in, best, err);
    if (plan != NULL && stats != NULL && plan_energy(plan, stats, err) < 0) {
        mvm_plan_free(plan);
        plan = NULL;
    }
    if (plan != NULL && stats != NULL) {
        fill_stats(stats, plan, best, &bounds);
        stats->objective = objective;
        stats->schedules_tried = tried;
        stats->solve_time_s = sched_now() - t0;
    }
done:
    for (size_t k = 0; searches != NULL && k < threads; k++)
        sched_search_clear(&searches[k]);
    free(searches);
    free(ids);
    free(started);
    sched_problem_reverse_clear(&reversed);
    sched_problem_clear(&p);
    return plan;
}
