/*
 * The schedule-generation scheme: an event-driven list scheduler. Time advances
 * from one action end to the next; at each instant, ready actions are started in
 * priority order as long as every network element on their path and every node
 * resource they arrive on has room. An action that does not fit waits in a
 * priority queue on the resource that stopped it, and is retried only when that
 * resource gets capacity back, so a pass costs O(n log n) rather than O(n^2).
 * When nothing runs and actions still wait on each other's nodes (a cycle), a
 * bypass migration through a node with room breaks the cycle. Baselines add
 * one resource: a number of migration slots, with its own queue.
 *
 * A struct sched_run is the workspace of one search thread: allocated once,
 * reused by every pass, never allocating in the hot loop except when a bypass
 * adds actions.
 */
#ifndef MVM_SCHED_SGS_H
#define MVM_SCHED_SGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/error.h"
#include "sched/problem.h"

struct sched_run {
    const struct sched_problem *p;
    size_t count;    /* tasks in this pass: the problem's, then bypass ones */
    size_t capacity; /* room in the per-task arrays */

    /* bypass tasks of this pass (index p->task_count + k) */
    struct sched_task *extra;
    size_t extra_count, extra_cap;
    size_t *extra_paths;
    size_t extra_paths_len, extra_paths_cap;
    size_t *then;   /* per task: the bypass leg that waits for it, or MVM_NONE */
    size_t *proxy;  /* per task: the replaced task whose successors it releases, or MVM_NONE */
    bool *replaced; /* per task: replaced by a bypass in this pass */

    /* result of the pass */
    int64_t *start, *end;
    int64_t makespan, sum_of_ends;
    size_t bypasses;

    /* state of the pass */
    const double *key; /* priority of the problem's tasks: lower starts first */
    double *rank;      /* per task of the pass (bypass legs too): its priority */
    size_t *left;      /* unfinished predecessors */
    int64_t *net_free, *node_free;
    bool *online;  /* node can receive VMs */
    size_t queues; /* waiting queues: one per net resource, per node resource, the
                      migration slots (p->max_migrations), + ready */
    size_t *queue; /* root of each queue (leftist heap), MVM_NONE when empty */
    size_t *heap_left, *heap_right, *heap_rank; /* intrusive heap links per task */
    size_t *running;                            /* binary min-heap of running tasks by end */
    size_t running_count;
    size_t done; /* finished tasks */
    int64_t now;
    int64_t *counter_used; /* Serialize counters */
    double power_now;      /* watts drawn (powerBudget) */
    double power_reserve;  /* watts of the budget kept for transient draws (migrations): what
                              stays drawn after a task (a booted node) may not use them */
    double lateness;       /* sum over tasks of how late they end after their deadline */
    size_t migrating;      /* migrations running */
    bool *dirty;           /* per queue: got capacity back at this instant */
    size_t *dirty_list, dirty_count;
};

/* Allocates the workspace for problem p. */
int sched_run_init(struct sched_run *run, const struct sched_problem *p, struct mvm_error *err);

/* Frees the workspace. */
void sched_run_clear(struct sched_run *run);

/* The task with index i in this pass (problem task or bypass). */
const struct sched_task *sched_run_task(const struct sched_run *run, size_t i);

/*
 * One pass with priorities key[i] (for the problem's tasks). Fills start/end,
 * makespan and sum_of_ends. Fails with MVM_ERR_INFEASIBLE when a dependency
 * cycle cannot be broken (the message describes the cycle).
 */
int sched_run_pass(struct sched_run *run, const double *key, struct mvm_error *err);

/* Recomputes makespan, sum_of_ends and lateness from start and end (after times changed). */
void sched_run_measure(struct sched_run *run);

#endif
