/*
 * The independent plan verifier: replays a plan over time against an instance
 * and reports every violation with its time and the elements involved.
 *
 * It shares no code with the solvers (only the models of the network and of
 * migration durations), so a plan it accepts is valid by construction: actions
 * consistent with the state they find, every network element and node resource
 * within capacity at every second, nodes booted before arrivals and emptied
 * before shutdowns, migrations no shorter than the duration model, the final
 * state satisfying the constraints, and the scheduling constraints respected.
 */
#ifndef MVM_VERIFY_H
#define MVM_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/error.h"
#include "mvm/instance.h"
#include "mvm/migration.h"
#include "mvm/plan.h"

enum mvm_violation_kind {
    MVM_VIOLATION_ORIGIN,        /* the plan's origin differs from the instance's model */
    MVM_VIOLATION_ACTION,        /* an action inconsistent with the state it finds */
    MVM_VIOLATION_CONSTRAINT,    /* the final state breaks a placement constraint */
    MVM_VIOLATION_NET_CAPACITY,  /* a network element over capacity */
    MVM_VIOLATION_NODE_CAPACITY, /* a node resource over capacity */
    MVM_VIOLATION_NOT_BOOTED,    /* a VM arriving on a node that is not online */
    MVM_VIOLATION_NODE_BUSY,     /* a node shut down while VMs are still on it */
    MVM_VIOLATION_DURATION,      /* an action shorter than its model duration */
    MVM_VIOLATION_BANDWIDTH,     /* a bandwidth above the path maximum or not convergent */
    MVM_VIOLATION_SYNC,
    MVM_VIOLATION_SERIALIZE,
    MVM_VIOLATION_PRECEDENCE,
    MVM_VIOLATION_DEADLINE,
    MVM_VIOLATION_POWER,       /* the power drawn above a powerBudget during some second */
    MVM_VIOLATION_UNSUPPORTED, /* a constraint or action this version cannot check */
    MVM_VIOLATION_KIND_COUNT_,
};

struct mvm_violation {
    enum mvm_violation_kind kind;
    int64_t time;      /* second at which it happens (start of the episode) */
    size_t action;     /* action index, or MVM_NONE */
    size_t constraint; /* constraint index, or MVM_NONE */
    char *message;     /* full description naming the elements */
};

struct mvm_verify_report {
    struct mvm_violation *items;
    size_t count;
    size_t capacity_; /* private */
};

struct mvm_verify_options {
    enum mvm_migration_model model; /* duration model migrations are checked against */
    int64_t tolerance_s;            /* allowed shortfall for rounding (default 1) */
    int64_t start_epoch;            /* Unix time the plan starts (wall-clock deadlines) */
};

/* Default options: pre-copy model, 1 s tolerance, start_epoch = now. */
void mvm_verify_options_init(struct mvm_verify_options *options);

/*
 * Verifies plan against instance, appending violations to report (which the
 * caller initialises to zero and releases with mvm_verify_report_clear).
 * Returns 0 when the verification ran (valid iff report->count == 0) and -1 on
 * bad input (dangling ids, missing memUsed): err is set then.
 */
int mvm_plan_verify(const struct mvm_instance *instance, const struct mvm_plan *plan,
                    const struct mvm_verify_options *options, struct mvm_verify_report *report,
                    struct mvm_error *err);

/* Frees what the report owns and leaves it empty. */
void mvm_verify_report_clear(struct mvm_verify_report *report);

/* Short name of a violation kind, e.g. "net-capacity". */
const char *mvm_violation_kind_name(enum mvm_violation_kind kind);

#endif
