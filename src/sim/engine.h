/*
 * The simulation engines behind mvm_simulate (include/mvm/sim.h). sim.c checks
 * the inputs and prepares what every engine needs (the network, the dependency
 * graph, each action's VM memory, cap and fixed duration), then hands over to
 * one engine, which fills the result's per-action times, statuses and
 * transfers; sim.c computes the summary figures.
 */
#ifndef MVM_SIM_ENGINE_H
#define MVM_SIM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "mvm/exec.h"
#include "mvm/migration.h"
#include "mvm/sim.h"

/* Everything an engine needs about the plan, prepared once. */
struct sim_input {
    const struct mvm_plan *plan;
    const struct mvm_instance *instance; /* may be NULL */
    const struct mvm_net *net;           /* origin node indices (mvm_plan_network) */
    const struct mvm_depgraph *graph;
    const struct mvm_sim_options *options;
    /* per action */
    struct mvm_vm_memory *memory; /* migrations: the VM's memory behaviour */
    double *cap_mbps;             /* migrations: the planned bandwidth, or the path's maximum
                                     when the plan gives none usable (0, absent, unlimited) */
    double *fixed_s;              /* non-migrations: duration from attributes (1 s when absent) */
    size_t **paths;               /* migrations: network resources of the path */
    size_t *path_len;
};

/* The fluid engine (src/sim/fluid.c). */
int sim_fluid_run(const struct sim_input *in, struct mvm_sim_result *out, struct mvm_error *err);

/*
 * The SimGrid engine (src/sim/simgrid.c). Fails with MVM_ERR_UNSUPPORTED when
 * mvm was built without SimGrid.
 */
int sim_simgrid_run(const struct sim_input *in, struct mvm_sim_result *out, struct mvm_error *err);

#endif
