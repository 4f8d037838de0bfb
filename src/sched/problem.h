/*
 * The scheduling problem derived from an instance: the tasks (one per plan
 * action), their fixed durations and bandwidths, the network resources each
 * migration occupies, the precedences (boots before arrivals, departures before
 * shutdowns) and the node resources every task takes or gives back. Built once
 * per instance by problem.c and read-only afterwards, so several searches
 * (threads) can share it.
 */
#ifndef MVM_SCHED_PROBLEM_H
#define MVM_SCHED_PROBLEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/energy.h"
#include "mvm/instance.h"
#include "mvm/migration.h"
#include "mvm/net.h"
#include "mvm/plan.h"

/* Precedence edges being collected: from[k] must end before to[k] starts. */
struct sched_edges {
    size_t *from, *to;
    size_t count, from_cap, to_cap;
};

/* A powerBudget window: at most watts over [start, end) (end INT64_MAX: no end). */
struct sched_window {
    int64_t start, end;
    double watts;
};

/* Which of a VM's resources a task adds or removes on a node. */
enum sched_load { LOAD_NONE, LOAD_ALL, LOAD_MEMORY, LOAD_NON_MEMORY };

struct sched_task {
    enum mvm_action_kind kind;
    size_t vm, node, from, to; /* model indices, MVM_NONE when unused (as in struct mvm_action) */
    int64_t bw;                /* migrations: Mbit/s */
    int64_t duration;          /* seconds, >= 1 */
    size_t path_off, path_len; /* migrations: network resources in problem->paths */
    size_t arrive_node;        /* node whose resources the task takes at its start */
    enum sched_load arrive_load;
    size_t leave_node; /* node whose resources the task gives back at its end */
    enum sched_load leave_load;
};

struct sched_problem {
    const struct mvm_instance *instance;
    const struct mvm_model *model;
    enum mvm_migration_model duration_model;
    const struct mvm_net *net;
    struct mvm_net *own_net; /* the assumed default network, when the model has none */

    struct sched_task *tasks;
    size_t task_count;
    size_t *paths;

    /* precedences, CSR: successors of task i are succs[succ_start[i] .. succ_start[i+1]) */
    size_t *succ_start, *succs;
    size_t *pred_count;

    /* resources */
    size_t nodes, vms, rcs, net_rcs;
    int64_t *net_cap;      /* [net_rcs]; INT64_MAX everywhere when links are not checked */
    int64_t *node_cap;     /* [rc * nodes + node] */
    int64_t *node_usage;   /* [rc * nodes + node] at t = 0 */
    int64_t *cons;         /* [rc * vms + vm] */
    bool *is_memory;       /* [rc] */
    bool *node_halts;      /* the node is shut down by the plan */
    bool *online0;         /* the node is online at t = 0 */
    bool reversed;         /* built by sched_problem_reverse: bypasses are not allowed */
    size_t max_migrations; /* migrations running at once: SIZE_MAX, or a baseline's limit */
    size_t *boot_task, *shutdown_task; /* per node: its bootNode / shutdownNode task or MVM_NONE */

    /* Serialize: counters of tasks running at once, each at most counter_cap (1) */
    size_t counter_count;
    int64_t *counter_cap;
    size_t *counter_start, *counters; /* CSR over tasks: the counters of task i */

    /*
     * Sync: the members of a group start as one when all are ready (the leader
     * stands for the group), each at its offset from the group's start, and hold
     * their resources from the group's start (conservative, so always valid)
     */
    bool has_sync;
    size_t *sync_leader;               /* [task_count]: the group's leader, MVM_NONE if none */
    size_t *sync_start, *sync_members; /* CSR over tasks: members of leader i, itself first */
    int64_t *sync_offset;              /* [task_count] */

    /* Deadline: the latest end of each task (INT64_MAX: none) and the constraint behind it */
    bool has_deadlines;
    int64_t *deadline;
    size_t *deadline_cstr;

    /* powerBudget: the power drawn (watts) stays under the budget at every second */
    struct mvm_power_model power;
    bool power_limited;
    double power0;               /* drawn at t = 0 */
    double *power_take;          /* [task_count]: taken at the task's start */
    double *power_give;          /* [task_count]: given back at its end */
    struct sched_window *budget; /* windows sorted by start */
    size_t budget_count;

    /*
     * critical-path bounds: earliest start and least time after the end of each
     * task (head, tail), and the same from precedences alone (head0, tail0); head
     * and tail may be combined only when may_split is false (see problem.c)
     */
    int64_t *head, *tail, *head0, *tail0;
    bool may_split;
};

/*
 * Derives the problem from the instance. Fails with MVM_ERR_INFEASIBLE (no plan
 * can exist: the message says why), MVM_ERR_UNSUPPORTED (needs placement or an
 * unsupported constraint) or MVM_ERR_INVALID.
 */
int sched_problem_build(const struct mvm_instance *instance, enum mvm_migration_model model,
                        int64_t start_epoch, struct sched_problem *out, struct mvm_error *err);

/* Frees what the problem owns. */
void sched_problem_clear(struct sched_problem *p);

/*
 * Turns p into the problem a baseline policy schedules (REFERENCE section 10):
 * at most max_migrations migrations at once (SIZE_MAX: no limit), links not
 * checked unless check_net (every capacity set to INT64_MAX, so no path ever
 * blocks), and every migration's duration, bypass legs included, from the
 * given model at its path's maximum bandwidth. Call it after the bounds are
 * computed and before reversing: the bounds stay those of valid plans.
 */
int sched_problem_set_baseline(struct sched_problem *p, size_t max_migrations, bool check_net,
                               enum mvm_migration_model model, struct mvm_error *err);

/*
 * The same problem with time reversed, for forward-backward improvement: a
 * schedule of one, read backwards, is a schedule of the other. Each task takes
 * at its start what it gave back at its end and vice versa, precedences are
 * reversed, the initial state is the final one. Shares the paths, capacities
 * and consumptions of p (which must outlive it).
 */
int sched_problem_reverse(const struct sched_problem *p, struct sched_problem *r,
                          struct mvm_error *err);

/* Frees what sched_problem_reverse allocated. */
void sched_problem_reverse_clear(struct sched_problem *r);

/*
 * The scheduling constraints of the instance (Sync, Serialize, Precedence,
 * Deadline, powerBudget), once the tasks exist and before precedences are
 * indexed: fills the problem's counters, sync groups, deadlines and power, and
 * appends the Precedence edges.
 * Deadlines in wall-clock forms are resolved from start_epoch. Contradictions
 * fail with MVM_ERR_INFEASIBLE naming the constraints (src/sched/constraints.c).
 */
int sched_constraints_prepare(struct sched_problem *p, int64_t start_epoch,
                              struct sched_edges *edges, struct mvm_error *err);

/* Once precedences are indexed: a Sync group's members wait through their leader. */
void sched_constraints_redirect(struct sched_problem *p);

/* Frees what sched_constraints_prepare allocated. */
void sched_constraints_clear(struct sched_problem *p);

/* The power budget at second t (INFINITY outside every window). */
double sched_budget_at(const struct sched_problem *p, int64_t t);

/* The lowest budget over [from, to), INFINITY when no window meets it. */
double sched_budget_min(const struct sched_problem *p, int64_t from, int64_t to);

/* The first budget change after t (INT64_MAX when none). */
int64_t sched_budget_next_change(const struct sched_problem *p, int64_t t);

/* Watts a migration of vm lasting duration at bw takes while it runs (energy spread). */
double sched_migration_power(const struct sched_problem *p, int64_t bw, int64_t duration);

/* A VM's consumption of every resource on nodes, through the mask. */
int64_t sched_cons(const struct sched_problem *p, size_t rc, size_t vm, enum sched_load load);

/*
 * Computes a migration of vm from one node to another at its path's maximum
 * bandwidth: path resources appended to *paths (grown as needed), bandwidth and
 * duration set in t. Used for derivation and for bypasses.
 */
int sched_migration_task(const struct sched_problem *p, size_t vm, size_t from, size_t to,
                         struct sched_task *t, size_t **paths, size_t *paths_len, size_t *paths_cap,
                         struct mvm_error *err);

#endif
