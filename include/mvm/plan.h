/*
 * A reconfiguration plan: the origin model and timed actions (BtrPlace's
 * `{origin, actions}`, REFERENCE section 5 and 8).
 */
#ifndef MVM_PLAN_H
#define MVM_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "mvm/error.h"
#include "mvm/model.h"

struct mvm_instance;

enum mvm_action_kind {
    MVM_ACTION_MIGRATE_VM,    /* vm, from, to, bw */
    MVM_ACTION_BOOT_NODE,     /* node */
    MVM_ACTION_SHUTDOWN_NODE, /* node */
    MVM_ACTION_BOOT_VM,       /* vm, on (node) */
    MVM_ACTION_SHUTDOWN_VM,   /* vm, on (node) */
    MVM_ACTION_SUSPEND_VM,    /* vm, from, to */
    MVM_ACTION_RESUME_VM,     /* vm, from, to */
    MVM_ACTION_KILL_VM,       /* vm, on (node) */
    MVM_ACTION_ALLOCATE,      /* vm, on (node), rc, amount */
    MVM_ACTION_OTHER,         /* unknown id, kept verbatim */
};

struct mvm_action {
    enum mvm_action_kind kind;
    int64_t start;
    int64_t end;
    size_t vm;       /* VM index or MVM_NONE */
    size_t node;     /* node index (node actions, `on`) or MVM_NONE */
    size_t from;     /* node index or MVM_NONE */
    size_t to;       /* node index or MVM_NONE */
    int64_t bw_mbps; /* migrations; -1 when absent */
    char *rc;        /* ALLOCATE: resource id */
    int64_t amount;  /* ALLOCATE: new amount */
    char *hooks;     /* the `hooks` object as JSON text, NULL when absent */
    char *json;      /* OTHER: the action's JSON text */
};

struct mvm_plan {
    struct mvm_model *origin;
    struct mvm_action *actions;
    size_t action_count;

    size_t action_capacity_; /* private */
};

/* A new plan owning origin, or NULL. Free with mvm_plan_free. */
struct mvm_plan *mvm_plan_new(struct mvm_model *origin, struct mvm_error *err);

/* Frees the plan, its origin and actions. Accepts NULL. */
void mvm_plan_free(struct mvm_plan *plan);

/* Appends an action, taking ownership of its strings (a is zeroed). */
int mvm_plan_add_action(struct mvm_plan *plan, struct mvm_action *a, struct mvm_error *err);

/* Latest action end, 0 for an empty plan. */
int64_t mvm_plan_makespan(const struct mvm_plan *plan);

/* Kind of a JSON action id ("migrateVM", ...); MVM_ACTION_OTHER if unknown. */
enum mvm_action_kind mvm_action_kind_from_name(const char *name);

/* The JSON id of a known kind. */
const char *mvm_action_kind_name(enum mvm_action_kind kind);

/* Frees what a owns and zeroes it. */
void mvm_action_clear(struct mvm_action *a);

/*
 * The attribute an action of this kind takes its duration from (REFERENCE
 * section 5): "boot" or "shutdown" of the node for node actions; "boot",
 * "shutdown", "suspend", "resume", "kill" or "allocate" of the VM for VM actions.
 * NULL for migrations (their duration comes from the migration model) and
 * unknown actions.
 */
const char *mvm_action_duration_attr(enum mvm_action_kind kind);

/*
 * The attributes of the plan origin's VM (node) at index v (n): its own when it
 * has any, else those of the instance model's element with the same id (plans
 * written without attributes take them from their instance). instance may be
 * NULL. The result is borrowed from plan or instance.
 */
const struct mvm_attrs *mvm_plan_vm_attrs(const struct mvm_plan *plan,
                                          const struct mvm_instance *instance, size_t v);
const struct mvm_attrs *mvm_plan_node_attrs(const struct mvm_plan *plan,
                                            const struct mvm_instance *instance, size_t n);

#endif
