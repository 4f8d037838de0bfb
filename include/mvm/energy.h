/*
 * The energy model (REFERENCE section 7, calibrated by mVM on Grid'5000): a
 * node that is on draws its idle power, plus an overhead while it boots; every
 * running VM adds its own power to its host; a migration costs
 * alpha x MiB transferred + beta joules, spread over its duration. The figures
 * come from the model's power view when it has one (`power`, defined in
 * docs/energy.md; mVM's `EnergyView` carries none and means the defaults).
 */
#ifndef MVM_ENERGY_H
#define MVM_ENERGY_H

#include <stddef.h>

#include "mvm/constraint.h"
#include "mvm/error.h"
#include "mvm/model.h"
#include "mvm/plan.h"

/* Defaults of REFERENCE section 7. */
#define MVM_DEFAULT_IDLE_W 110.0
#define MVM_DEFAULT_BOOT_W 20.0
#define MVM_DEFAULT_VM_W 16.0
#define MVM_DEFAULT_MIGRATION_J_PER_MIB 0.512
#define MVM_DEFAULT_MIGRATION_J 20.165

struct mvm_power_model {
    size_t node_count, vm_count;
    double *idle_w; /* [node_count] */
    double *boot_w; /* [node_count] extra while booting */
    double *vm_w;   /* [vm_count] */
    double migration_j_per_mib;
    double migration_j;
};

/*
 * The power model of a model's nodes and VMs: its `power` view, else the
 * defaults (also for an `EnergyView`, which has no figures). Fails with an error
 * naming the view's key on a malformed power view. Free with
 * mvm_power_model_clear.
 */
int mvm_power_model_init(struct mvm_power_model *pm, const struct mvm_model *model,
                         struct mvm_error *err);

/* Frees what the power model owns. */
void mvm_power_model_clear(struct mvm_power_model *pm);

/* Energy of a reconfiguration, by kind, and the power peak. */
struct mvm_energy {
    double horizon_s; /* energy counted over [0, horizon) */
    double total_j;
    double nodes_j;      /* idle power of the nodes that are on */
    double boots_j;      /* boot overheads */
    double vms_j;        /* hosted VMs */
    double migrations_j; /* alpha x MiB + beta per migration */
    double peak_w;       /* highest power over any second */
};

/*
 * Energy of the plan's actions run at the given times (start[a], end[a],
 * seconds), each migration transferring mib[a] MiB (mib may be NULL: the
 * planned bandwidth x duration). Counts [0, horizon); horizon <= 0 means the
 * last end. When profile is not NULL, fills *profile with the mean power of
 * every second of the horizon (caller frees) and *seconds with their number.
 */
int mvm_energy_compute(const struct mvm_plan *plan, const struct mvm_power_model *pm,
                       const double *start, const double *end, const double *mib, double horizon,
                       struct mvm_energy *out, double **profile, size_t *seconds,
                       struct mvm_error *err);

/* The same for the plan's own (planned) times. */
int mvm_plan_energy(const struct mvm_plan *plan, const struct mvm_power_model *pm, double horizon,
                    struct mvm_energy *out, double **profile, size_t *seconds,
                    struct mvm_error *err);

/*
 * The seconds of a power profile (watts[seconds], mean power of every second)
 * above the powerBudget constraint c within its window: their number, and the
 * first one in *first (when there is one). A watt of a millionth is tolerated
 * for the rounding of the means.
 */
size_t mvm_power_over_budget(const struct mvm_constraint *c, const double *watts, size_t seconds,
                             size_t *first);

#endif
