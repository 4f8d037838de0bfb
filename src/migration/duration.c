/*
 * Live-migration durations (REFERENCE section 3): pre-copy with two-phase
 * dirtying, plus the noDP and post-copy variants kept as baselines.
 */
#include "mvm/migration.h"

#include <math.h>
#include <string.h>

/* Reads the first present attribute among names; 1 found, 0 absent, -1 error. */
static int read_number(const struct mvm_attrs *attrs, const char *name, const char *old_name,
                       double fallback, double *out, struct mvm_error *err)
{
    const char *found_name = name;
    int found = mvm_attrs_get_number(attrs, name, out, err);
    if (found == 0 && old_name != NULL) {
        found_name = old_name;
        found = mvm_attrs_get_number(attrs, old_name, out, err);
    }
    if (found < 0)
        return -1;
    if (found == 0)
        *out = fallback;
    else if (!(*out >= 0.0) || !isfinite(*out))
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "attribute %s: expected a non-negative number, got %g", found_name,
                             *out);
    return found;
}

int mvm_vm_memory_from_attrs(const struct mvm_attrs *attrs, struct mvm_vm_memory *out,
                             struct mvm_error *err)
{
    int used = read_number(attrs, "memUsed", NULL, 0.0, &out->mem_used_mib, err);
    if (used < 0)
        return -1;
    if (used == 0)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "attribute memUsed (MiB) is required to migrate a VM");
    if (read_number(attrs, "hotDirtySize", "maxDirtySize", MVM_DEFAULT_HOT_DIRTY_SIZE_MIB,
                    &out->hot_size_mib, err) < 0 ||
        read_number(attrs, "hotDirtyDuration", "maxDirtyDuration", MVM_DEFAULT_HOT_DIRTY_DURATION_S,
                    &out->hot_duration_s, err) < 0 ||
        read_number(attrs, "coldDirtyRate", "dirtyRate", MVM_DEFAULT_COLD_DIRTY_RATE_MIBPS,
                    &out->cold_rate_mibps, err) < 0)
        return -1;
    if (out->hot_duration_s <= 0.0 && out->hot_size_mib > 0.0)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "attribute hotDirtyDuration: must be positive when hotDirtySize is");
    return 0;
}

/* hr = hs / hd, the rate at which hot pages are rewritten (MiB/s). */
static double hot_rate(const struct mvm_vm_memory *mem)
{
    return mem->hot_size_mib > 0.0 ? mem->hot_size_mib / mem->hot_duration_s : 0.0;
}

double mvm_migration_min_bandwidth(const struct mvm_vm_memory *mem)
{
    return 8.0 * fmax(hot_rate(mem), mem->cold_rate_mibps);
}

bool mvm_migration_converges(const struct mvm_vm_memory *mem, double bw_mbps)
{
    return bw_mbps > 0.0 && bw_mbps > mvm_migration_min_bandwidth(mem);
}

int mvm_migration_time(const struct mvm_vm_memory *mem, double bw_mbps,
                       enum mvm_migration_model model, double *seconds, struct mvm_error *err)
{
    if (!(bw_mbps > 0.0))
        return mvm_error_set(err, MVM_ERR_INFEASIBLE, "bandwidth %g Mbit/s: must be positive",
                             bw_mbps);
    const double b = bw_mbps / 8.0; /* MiB/s */
    const double dmin = mem->mem_used_mib / b;
    if (model == MVM_MIGRATION_NODP) {
        *seconds = dmin;
        return 0;
    }
    if (model == MVM_MIGRATION_POSTCOPY) {
        *seconds = dmin + MVM_DEFAULT_MAX_DOWNTIME_S;
        return 0;
    }
    if (!mvm_migration_converges(mem, bw_mbps))
        return mvm_error_set(err, MVM_ERR_INFEASIBLE,
                             "pre-copy never converges at %g Mbit/s: it needs more than %g Mbit/s "
                             "(hot pages %g MiB every %g s, cold pages %g MiB/s)",
                             bw_mbps, mvm_migration_min_bandwidth(mem), mem->hot_size_mib,
                             mem->hot_duration_s, mem->cold_rate_mibps);
    const double hs = mem->hot_size_mib, hd = mem->hot_duration_s;
    const double hr = hot_rate(mem), cr = mem->cold_rate_mibps;
    if (dmin > hd) {
        /* Two phases: hot pages are all dirty after hd, cold ones keep accruing. */
        double dcold = (hs + (dmin - hd) * cr) / (b - cr);
        double dhot = (hs / b) * (hr / (b - hr));
        *seconds = dmin + dcold + dhot;
    } else {
        /* The first copy ends while hot pages are still being dirtied. */
        *seconds = dmin + (hr * dmin) / (b - hr);
    }
    return 0;
}

int mvm_migration_duration(const struct mvm_vm_memory *mem, double bw_mbps,
                           enum mvm_migration_model model, int64_t *seconds, struct mvm_error *err)
{
    double d;
    if (mvm_migration_time(mem, bw_mbps, model, &d, err) < 0)
        return -1;
    double r = round(d);
    if (r > 1e15)
        return mvm_error_set(err, MVM_ERR_INFEASIBLE, "migration would last %g s", d);
    *seconds = r < 1.0 ? 1 : (int64_t)r;
    return 0;
}

static const char *const model_names[] = {
    [MVM_MIGRATION_PRECOPY] = "precopy",
    [MVM_MIGRATION_NODP] = "nodp",
    [MVM_MIGRATION_POSTCOPY] = "postcopy",
};

int mvm_migration_model_parse(const char *name, enum mvm_migration_model *out)
{
    for (size_t i = 0; i < sizeof(model_names) / sizeof(model_names[0]); i++)
        if (strcmp(name, model_names[i]) == 0) {
            *out = (enum mvm_migration_model)i;
            return 0;
        }
    return -1;
}

const char *mvm_migration_model_name(enum mvm_migration_model model)
{
    return model_names[model];
}
