/*
 * The search over schedules: priority rules give the first schedules, then
 * perturbations of the rules and of the best schedule found (its start order
 * with random nudges) are tried while effort and time remain. One search per
 * thread; each owns its workspace and random stream, so results depend only on
 * the seed (and on the time limit when it cuts the search short).
 */
#ifndef MVM_SCHED_SEARCH_H
#define MVM_SCHED_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/schedule.h"
#include "sched/bound.h"
#include "sched/problem.h"

struct sched_search {
    const struct sched_problem *p;
    const struct sched_problem *reversed; /* p with time reversed (forward-backward passes) */
    const struct sched_bounds *bounds;
    enum mvm_schedule_objective objective; /* MTTR or MAKESPAN */
    uint64_t seed;
    size_t max_passes; /* effort budget */
    size_t patience;   /* stop after this many passes without improvement */
    double deadline;   /* absolute time (mvm_search_now) to stop at, <= 0: none */
    bool baseline;     /* a baseline policy: one pass, shortest first, no improvement */
    mvm_schedule_progress_fn progress;
    void *progress_data;

    /* result */
    int found; /* 0: none yet, 1: best_* valid, -1: failed (err set) */
    struct mvm_error err;
    int64_t best_makespan, best_sum;
    double best_lateness; /* sum of how late tasks end after their deadlines: 0 is required */
    double best_energy;
    double best_reserve; /* the power reserve of the best pass */
    size_t passes;
    /* the best schedule: tasks (problem's then bypasses), replaced flags, times */
    struct sched_task *tasks;
    size_t task_count;
    size_t *paths;
    bool *replaced;
    int64_t *start, *end;
    size_t bypasses;
};

/* Runs the search (thread entry point: the argument is a struct sched_search *). */
void *sched_search_run(void *search);

/* Frees the result held by a search. */
void sched_search_clear(struct sched_search *s);

/* Seconds on a monotonic clock. */
double sched_now(void);

/* What a schedule is judged on. */
struct sched_score {
    double lateness; /* first: a plan missing deadlines is worse than any that meets them */
    int64_t makespan, sum;
    double energy;
};

/*
 * True when a is better than b: less late, then better for the objective, then
 * for the other measures (sum or makespan, then energy).
 */
bool sched_better(enum mvm_schedule_objective objective, const struct sched_score *a,
                  const struct sched_score *b);

/* The score of the best schedule a search kept. */
struct sched_score sched_search_score(const struct sched_search *s);

#endif
