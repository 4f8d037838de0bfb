/*
 * Live-migration duration models (REFERENCE section 3).
 *
 * The default model is pre-copy with two-phase dirtying: hot pages (hs MiB
 * rewritten every hd seconds) and cold pages (cr MiB/s after that). Sending X MiB
 * at B MiB/s while Z MiB/s get dirtied takes X / (B - Z), so a bandwidth not above
 * the hot rate hs/hd and the cold rate cr never converges; that is reported, never
 * looped on. "noDP" ignores dirty pages and post-copy sends memory once and adds
 * the downtime.
 */
#ifndef MVM_MIGRATION_H
#define MVM_MIGRATION_H

#include <stdbool.h>
#include <stdint.h>

#include "mvm/attr.h"
#include "mvm/error.h"

/* Defaults of REFERENCE section 2. */
#define MVM_DEFAULT_HOT_DIRTY_SIZE_MIB 5.0
#define MVM_DEFAULT_HOT_DIRTY_DURATION_S 2.0
#define MVM_DEFAULT_COLD_DIRTY_RATE_MIBPS 0.0
#define MVM_DEFAULT_MAX_DOWNTIME_S 0.030

enum mvm_migration_model {
    MVM_MIGRATION_PRECOPY,  /* two-phase dirtying, the default */
    MVM_MIGRATION_NODP,     /* memUsed / B: no dirty pages */
    MVM_MIGRATION_POSTCOPY, /* memUsed / B + downtime */
};

/* What a VM's memory does during a migration. */
struct mvm_vm_memory {
    double mem_used_mib;    /* memUsed: transferred by the first copy */
    double hot_size_mib;    /* hotDirtySize (maxDirtySize) */
    double hot_duration_s;  /* hotDirtyDuration (maxDirtyDuration) */
    double cold_rate_mibps; /* coldDirtyRate (dirtyRate) */
};

/*
 * Reads a VM's memory behaviour from its attributes, accepting the current and
 * older names and applying the defaults. Fails (MVM_ERR_INVALID) when memUsed is
 * absent or a value is negative or not a number.
 */
int mvm_vm_memory_from_attrs(const struct mvm_attrs *attrs, struct mvm_vm_memory *out,
                             struct mvm_error *err);

/* True when a pre-copy migration at bw_mbps terminates (B above hot and cold rates). */
bool mvm_migration_converges(const struct mvm_vm_memory *mem, double bw_mbps);

/*
 * The lowest bandwidth (Mbit/s) at which a pre-copy migration converges: any
 * bandwidth strictly above it does.
 */
double mvm_migration_min_bandwidth(const struct mvm_vm_memory *mem);

/*
 * Exact duration in seconds of a migration at bw_mbps under the given model.
 * Fails with MVM_ERR_INFEASIBLE when it never converges (or bw_mbps <= 0).
 */
int mvm_migration_time(const struct mvm_vm_memory *mem, double bw_mbps,
                       enum mvm_migration_model model, double *seconds, struct mvm_error *err);

/* mvm_migration_time rounded to whole seconds, at least 1 (plans use integer times). */
int mvm_migration_duration(const struct mvm_vm_memory *mem, double bw_mbps,
                           enum mvm_migration_model model, int64_t *seconds, struct mvm_error *err);

/* Parses "precopy", "nodp" or "postcopy". Returns -1 for anything else. */
int mvm_migration_model_parse(const char *name, enum mvm_migration_model *out);

/* The name mvm_migration_model_parse accepts for model. */
const char *mvm_migration_model_name(enum mvm_migration_model model);

#endif
