/*
 * The live-migration scheduler (mVM's problem, REFERENCE sections 3-6): given an
 * instance whose target placement is fixed by its constraints, derive the
 * actions (migrations, node boots and shutdowns, VM state changes), then decide
 * every action's start and every migration's bandwidth so the reconfiguration
 * ends as early as possible (makespan) or restores service as early as possible
 * (sum of end times, BtrPlace's MinMTTR), without ever oversubscribing a network
 * element or a node resource.
 *
 * Each migration runs at the maximum bandwidth of its path (MaxBandwidth), so
 * its duration is fixed by the duration model; the decisions are the start
 * times. Dependency cycles between full nodes are broken by bypass migrations
 * through a node with room. The result comes with a lower bound, so every
 * plan's gap to the optimum is known.
 */
#ifndef MVM_SCHEDULE_H
#define MVM_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/error.h"
#include "mvm/instance.h"
#include "mvm/migration.h"
#include "mvm/plan.h"

enum mvm_schedule_objective {
    MVM_SCHEDULE_FROM_INSTANCE, /* the instance's objective (MTTR when none is given) */
    MVM_SCHEDULE_MTTR,          /* minimise the sum of action end times */
    MVM_SCHEDULE_MAKESPAN,      /* minimise the completion time */
    MVM_SCHEDULE_ENERGY,        /* minimise the energy (mvm/energy.h) until completion */
};

/*
 * Who decides the start times: mVM's scheduler, or one of the baselines every
 * comparison includes (REFERENCE section 10), so their cost can be shown.
 * Baselines are plain list scheduling with one deterministic rule and no
 * search (time limit, seed and threads do not apply): the shortest action
 * first (what the sum of end times wants; ties in the instance's order of
 * nodes, then VMs). Whatever the policy, node and VM actions follow the usual
 * rules (node resources, boots before arrivals, departures before shutdowns,
 * bypasses for cycles) and every migration's planned bandwidth is its path's
 * maximum, so none is planned at a bandwidth where it cannot converge. What
 * a baseline ignores is ignored in its plan only: `mvm verify` reports the
 * links it oversubscribes and the durations it underestimates, and the lower
 * bounds stay those of valid plans (a plan that breaks the rules may go
 * below them).
 */
enum mvm_schedule_policy {
    MVM_SCHEDULE_POLICY_MVM,        /* "mvm": network-aware list scheduling and search (default) */
    MVM_SCHEDULE_POLICY_SEQUENTIAL, /* "sequential": one migration at a time; a valid plan */
    MVM_SCHEDULE_POLICY_MB,         /* "mb:K", Memory Buddies: at most K (options.concurrency)
                                       migrations at once, links not checked, each migration
                                       lasting what the model says at its bandwidth alone */
    MVM_SCHEDULE_POLICY_BTRPLACE,   /* "btrplace", original BtrPlace: as parallel as node
                                       resources allow, links not checked, durations
                                       memUsed / bandwidth (noDP) whatever options.model says */
};

/* Called now and then during the search (from the calling thread); may be NULL. */
typedef void (*mvm_schedule_progress_fn)(void *data, size_t schedules_tried, int64_t best_makespan,
                                         int64_t best_sum_of_ends);

struct mvm_schedule_options {
    enum mvm_schedule_objective objective;
    enum mvm_migration_model model; /* duration model (pre-copy by default) */
    /* mVM's scheduler (default) or a baseline; concurrency: K of mb:K, >= 1 (default 2) */
    enum mvm_schedule_policy policy;
    unsigned concurrency;
    double time_limit_s; /* stop improving after this long (the search may end sooner) */
    size_t max_passes;   /* schedules to try per thread; 0: sized to the instance,
                            SIZE_MAX: until the time limit or the lower bound */
    uint64_t seed;       /* same seed, same plan (unless the time limit cuts the search) */
    int64_t start_epoch; /* Unix time the plan starts: resolves wall-clock deadlines */
    unsigned threads;    /* parallel searches; 0 or 1: one */
    mvm_schedule_progress_fn progress;
    void *progress_data;
};

/* What the scheduler reports beside the plan. */
struct mvm_schedule_stats {
    enum mvm_schedule_objective objective; /* the objective actually optimised */
    size_t migrations;                     /* migrateVM actions, bypasses included */
    size_t bypasses;                       /* extra migrations added to break dependency cycles */
    size_t node_actions;                   /* bootNode and shutdownNode actions */
    size_t vm_actions;         /* bootVM, shutdownVM, suspendVM, resumeVM, killVM actions */
    int64_t makespan;          /* completion time of the plan (s) */
    int64_t sum_of_ends;       /* sum of all action end times (s) */
    int64_t makespan_bound;    /* lower bound on any plan's makespan */
    int64_t sum_of_ends_bound; /* lower bound on any plan's sum of end times */
    double energy_j;           /* energy until completion, planned times (mvm/energy.h) */
    double peak_w;             /* highest power over any second */
    size_t schedules_tried;    /* schedules generated by the search */
    double solve_time_s;       /* wall-clock time of mvm_schedule */
};

/*
 * Default options: objective from the instance, pre-copy, mVM's policy, effort
 * sized to the instance within a 10 s limit, seed 1, one thread.
 */
void mvm_schedule_options_init(struct mvm_schedule_options *options);

/*
 * Schedules the reconfiguration the instance describes. On success returns a new
 * plan (origin: a copy of the instance's model; actions sorted by start) that
 * the caller frees with mvm_plan_free, and fills stats (may be NULL).
 * Fails with MVM_ERR_INFEASIBLE when no plan exists (the message names the
 * constraint, node, resource or cycle at fault), MVM_ERR_UNSUPPORTED when the
 * instance needs what this version cannot do (choosing destinations, an
 * unsupported constraint), MVM_ERR_INVALID on inconsistent input.
 */
struct mvm_plan *mvm_schedule(const struct mvm_instance *instance,
                              const struct mvm_schedule_options *options,
                              struct mvm_schedule_stats *stats, struct mvm_error *err);

/* "mttr", "makespan" or "energy". */
const char *mvm_schedule_objective_name(enum mvm_schedule_objective objective);

/* Parses "mttr", "makespan" or "energy"; -1 otherwise. */
int mvm_schedule_objective_parse(const char *name, enum mvm_schedule_objective *out);

/* "mvm", "sequential", "mb" (written "mb:K" with its concurrency K) or "btrplace". */
const char *mvm_schedule_policy_name(enum mvm_schedule_policy policy);

/*
 * Parses "mvm", "sequential", "mb:K" (K a decimal integer >= 1, stored in
 * *concurrency, which the other policies leave alone) or "btrplace"; -1
 * otherwise.
 */
int mvm_schedule_policy_parse(const char *name, enum mvm_schedule_policy *policy,
                              unsigned *concurrency);

#endif
