/*
 * mvm_simulate (see mvm/sim.h): prepares what every engine needs from a plan —
 * the network, the dependency graph, each migration's memory behaviour, path
 * and bandwidth cap, each other action's duration — runs the chosen engine and
 * sums up the result.
 */
#include "mvm/sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mvm/exec.h"
#include "sim/engine.h"
#include "util/array.h"

void mvm_sim_options_init(struct mvm_sim_options *o)
{
    memset(o, 0, sizeof(*o));
    o->engine = MVM_SIM_FLUID;
    o->downtime_s = MVM_DEFAULT_MAX_DOWNTIME_S;
    o->give_up_s = 3600.0;
}

int mvm_sim_engine_parse(const char *name, enum mvm_sim_engine *out)
{
    if (strcmp(name, "fluid") == 0)
        *out = MVM_SIM_FLUID;
    else if (strcmp(name, "simgrid") == 0)
        *out = MVM_SIM_SIMGRID;
    else
        return -1;
    return 0;
}

int mvm_sim_energy(const struct mvm_plan *plan, const struct mvm_sim_result *r, double horizon,
                   struct mvm_energy *out, double **profile, size_t *seconds, struct mvm_error *err)
{
    size_t n = plan->action_count;
    struct mvm_power_model pm;
    if (mvm_power_model_init(&pm, plan->origin, err) < 0)
        return -1;
    double *start = mvm_calloc(n, sizeof(double), err);
    double *end = mvm_calloc(n, sizeof(double), err);
    double *mib = mvm_calloc(n, sizeof(double), err);
    int rc = -1;
    if (start != NULL && end != NULL && mib != NULL) {
        for (size_t a = 0; a < n; a++) {
            start[a] = r->actions[a].start;
            end[a] = r->actions[a].end;
            mib[a] = r->actions[a].transferred_mib;
        }
        rc = mvm_energy_compute(plan, &pm, start, end, mib, horizon, out, profile, seconds, err);
    }
    free(start);
    free(end);
    free(mib);
    mvm_power_model_clear(&pm);
    return rc;
}

void mvm_sim_result_clear(struct mvm_sim_result *r)
{
    free(r->actions);
    memset(r, 0, sizeof(*r));
}

static void input_clear(struct sim_input *in, size_t n)
{
    for (size_t a = 0; in->paths != NULL && a < n; a++)
        free(in->paths[a]);
    free(in->paths);
    free(in->path_len);
    free(in->memory);
    free(in->cap_mbps);
    free(in->fixed_s);
}

/* Prepares action a: a migration's memory, path and cap, or another action's duration. */
static int prepare_action(struct sim_input *in, size_t a, struct mvm_path *path,
                          struct mvm_error *err)
{
    const struct mvm_plan *plan = in->plan;
    const struct mvm_action *act = &plan->actions[a];
    if (act->kind == MVM_ACTION_OTHER)
        return mvm_error_set(err, MVM_ERR_UNSUPPORTED,
                             "action %zu is of a kind not supported yet: cannot simulate it", a);
    if (act->kind != MVM_ACTION_MIGRATE_VM) {
        const struct mvm_attrs *attrs =
            act->kind == MVM_ACTION_BOOT_NODE || act->kind == MVM_ACTION_SHUTDOWN_NODE
                ? mvm_plan_node_attrs(plan, in->instance, act->node)
                : mvm_plan_vm_attrs(plan, in->instance, act->vm);
        int64_t d;
        if (mvm_attrs_get_duration(attrs, mvm_action_duration_attr(act->kind), &d, err) < 0)
            return -1;
        in->fixed_s[a] = (double)d;
        return 0;
    }
    int32_t vm_id = plan->origin->vms[act->vm].id;
    if (mvm_vm_memory_from_attrs(mvm_plan_vm_attrs(plan, in->instance, act->vm), &in->memory[a],
                                 err) < 0) {
        char msg[sizeof(err->message)];
        memcpy(msg, err->message, sizeof(msg));
        return mvm_error_set(err, MVM_ERR_INVALID, "vm %d: %s", (int)vm_id, msg);
    }
    if (act->from == act->to)
        return mvm_error_set(err, MVM_ERR_INVALID, "action %zu migrates vm %d to its own node", a,
                             (int)vm_id);
    if (mvm_net_path(in->net, act->from, act->to, path, err) < 0)
        return -1;
    in->paths[a] = mvm_calloc(path->count, sizeof(size_t), err);
    if (in->paths[a] == NULL)
        return -1;
    if (path->count > 0)
        memcpy(in->paths[a], path->resources, path->count * sizeof(size_t));
    in->path_len[a] = path->count;
    /* a bandwidth the plan cannot mean (none, 0, BtrPlace's unlimited) is the path's */
    int64_t bw = act->bw_mbps;
    in->cap_mbps[a] = (double)(bw > 0 && bw < path->max_bw_mbps ? bw : path->max_bw_mbps);
    return 0;
}

static void summarize(const struct mvm_plan *plan, struct mvm_sim_result *r)
{
    double migration_time = 0.0;
    size_t done_migrations = 0;
    for (size_t a = 0; a < r->action_count; a++) {
        const struct mvm_sim_action *s = &r->actions[a];
        bool migration = plan->actions[a].kind == MVM_ACTION_MIGRATE_VM;
        r->migrations += migration;
        r->transferred_mib += s->transferred_mib;
        if (s->status == MVM_SIM_NOT_CONVERGED)
            r->failed++;
        else if (s->status == MVM_SIM_SKIPPED)
            r->skipped++;
        else {
            r->completion_s = fmax(r->completion_s, s->end);
            if (migration) {
                migration_time += s->end - s->start;
                done_migrations++;
            }
        }
    }
    r->completed_migrations = done_migrations;
    r->mean_migration_s = done_migrations > 0 ? migration_time / (double)done_migrations : 0.0;
    r->planned_completion_s = (double)mvm_plan_makespan(plan);
}

int mvm_simulate(const struct mvm_plan *plan, const struct mvm_instance *instance,
                 const struct mvm_sim_options *options, struct mvm_sim_result *result,
                 struct mvm_error *err)
{
    struct mvm_sim_options defaults;
    if (options == NULL) {
        mvm_sim_options_init(&defaults);
        options = &defaults;
    }
    memset(result, 0, sizeof(*result));
    size_t n = plan->action_count;
    struct mvm_net *owned = NULL;
    struct sim_input in = {.plan = plan, .instance = instance, .options = options};
    in.net = options->net != NULL ? options->net : mvm_plan_network(plan, instance, &owned, err);
    if (in.net == NULL)
        return -1;
    int rc = -1;
    struct mvm_depgraph *graph = NULL;
    struct mvm_path path = {0};
    if (mvm_plan_net_unmanaged(plan, instance)) {
        mvm_error_set(err, MVM_ERR_UNSUPPORTED,
                      "the plan manages no network (no network view, bandwidth 2147483647): "
                      "give the instance (--instance) or a platform (--platform) to simulate it");
        goto done;
    }
    in.memory = mvm_calloc(n, sizeof(*in.memory), err);
    in.cap_mbps = mvm_calloc(n, sizeof(double), err);
    in.fixed_s = mvm_calloc(n, sizeof(double), err);
    in.paths = mvm_calloc(n, sizeof(size_t *), err);
    in.path_len = mvm_calloc(n, sizeof(size_t), err);
    result->actions = mvm_calloc(n, sizeof(*result->actions), err);
    if (!in.memory || !in.cap_mbps || !in.fixed_s || !in.paths || !in.path_len || !result->actions)
        goto done;
    result->action_count = n;
    for (size_t a = 0; a < n; a++)
        if (prepare_action(&in, a, &path, err) < 0)
            goto done;
    /* under a powerBudget the planned order of power changes must hold too; the
     * instance's Serialize and Precedence hold through their own shared elements */
    struct mvm_depgraph_options dep = {.instance = instance, .power = false};
    for (size_t c = 0; instance != NULL && c < instance->constraint_count; c++)
        dep.power |= instance->constraints[c].kind == MVM_CONSTRAINT_POWER_BUDGET;
    graph = mvm_depgraph_build_with(plan, in.net, &dep, err);
    if (graph == NULL)
        goto done;
    in.graph = graph;
    rc = options->engine == MVM_SIM_SIMGRID ? sim_simgrid_run(&in, result, err)
                                            : sim_fluid_run(&in, result, err);
    if (rc == 0)
        summarize(plan, result);
done:
    if (rc < 0)
        mvm_sim_result_clear(result);
    mvm_path_clear(&path);
    mvm_depgraph_free(graph);
    input_clear(&in, n);
    mvm_net_free(owned);
    return rc;
}

#ifndef MVM_HAVE_SIMGRID
int sim_simgrid_run(const struct sim_input *in, struct mvm_sim_result *out, struct mvm_error *err)
{
    (void)in;
    (void)out;
    return mvm_error_set(err, MVM_ERR_UNSUPPORTED,
                         "mvm was built without SimGrid (install libsimgrid-dev and rebuild)");
}
#endif
