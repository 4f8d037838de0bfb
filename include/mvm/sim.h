/*
 * Simulating a plan the way an executor runs it (REFERENCE sections 3, 4, 9):
 * actions start as soon as their predecessors in the dependency graph finish
 * (never by the clock); concurrent migrations share each network element
 * max-min fairly, each capped at its planned bandwidth; each migration follows
 * pre-copy rounds with its VM's two-phase dirtying. Two engines produce the same
 * result structure: our fluid engine, and SimGrid (the field's reference
 * simulator) as a cross-check.
 */
#ifndef MVM_SIM_H
#define MVM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/energy.h"
#include "mvm/error.h"
#include "mvm/instance.h"
#include "mvm/net.h"
#include "mvm/plan.h"

enum mvm_sim_engine { MVM_SIM_FLUID, MVM_SIM_SIMGRID };

struct mvm_sim_options {
    enum mvm_sim_engine engine;
    double downtime_s;         /* pre-copy stops when the rest fits in this (default 0.030) */
    double give_up_s;          /* a migration still running this long after its start is
                                  abandoned as non-convergent (default 3600) */
    const struct mvm_net *net; /* the network to simulate on, or NULL: the plan's own
                                  (origin's view, else the instance's, else the
                                  default), as mvm_plan_network chooses it */
};

enum mvm_sim_status {
    MVM_SIM_DONE,          /* ran to completion */
    MVM_SIM_NOT_CONVERGED, /* a migration abandoned at the give-up time: the VM stays on its source
                            */
    MVM_SIM_SKIPPED,       /* not started: it depends on an action that did not complete */
};

/* What happened to one action of the plan (same index). */
struct mvm_sim_action {
    enum mvm_sim_status status;
    double start, end;      /* seconds; end is the give-up time for a non-converged migration */
    double transferred_mib; /* migrations: everything sent, re-sent pages included */
    size_t rounds;          /* migrations: pre-copy phases gone through */
};

struct mvm_sim_result {
    size_t action_count;
    struct mvm_sim_action *actions; /* [action_count], owned */
    double completion_s;            /* end of the last completed action */
    double mean_migration_s;        /* mean duration of the completed migrations */
    double transferred_mib;         /* total over all migrations */
    size_t migrations;              /* migrations in the plan */
    size_t completed_migrations;    /* of which ran to completion */
    size_t failed;                  /* migrations abandoned as non-convergent */
    size_t skipped;                 /* actions (of any kind) not started */
    double planned_completion_s;    /* the plan's own makespan, for comparison */
};

/* Default options: fluid engine, 30 ms downtime, give up after an hour, the plan's network. */
void mvm_sim_options_init(struct mvm_sim_options *options);

/*
 * Simulates plan (instance may be NULL: it supplies the network view and
 * attributes the plan's origin lacks). Fills result (free with
 * mvm_sim_result_clear). Fails on bad input (MVM_ERR_INVALID), on an action of
 * unknown kind (MVM_ERR_UNSUPPORTED), or when the engine is unavailable.
 */
int mvm_simulate(const struct mvm_plan *plan, const struct mvm_instance *instance,
                 const struct mvm_sim_options *options, struct mvm_sim_result *result,
                 struct mvm_error *err);

/*
 * Energy of a simulated run (mvm/energy.h's model at the simulated times and
 * transfers, power figures from the plan's origin) over [0, horizon) (horizon
 * <= 0: until the last end); with a per-second profile when profile is not NULL
 * (caller frees).
 */
int mvm_sim_energy(const struct mvm_plan *plan, const struct mvm_sim_result *result, double horizon,
                   struct mvm_energy *out, double **profile, size_t *seconds,
                   struct mvm_error *err);

/* Frees what the result owns and zeroes it. */
void mvm_sim_result_clear(struct mvm_sim_result *result);

/* "fluid" or "simgrid"; -1 for anything else. */
int mvm_sim_engine_parse(const char *name, enum mvm_sim_engine *out);

#endif
