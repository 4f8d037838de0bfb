/*
 * An instance: a model, the constraints its target must satisfy and the
 * objective to optimise (BtrPlace's `{model, constraints, objective}`).
 */
#ifndef MVM_INSTANCE_H
#define MVM_INSTANCE_H

#include <stddef.h>

#include "mvm/constraint.h"
#include "mvm/error.h"
#include "mvm/model.h"

enum mvm_objective {
    MVM_OBJECTIVE_NONE,       /* no objective given */
    MVM_OBJECTIVE_MIN_MTTR,   /* minimizeMTTR, minimizeMTTRMigrationScheduling */
    MVM_OBJECTIVE_MIN_ENERGY, /* minimizeEnergy */
    MVM_OBJECTIVE_OTHER,      /* not supported yet */
};

struct mvm_instance {
    struct mvm_model *model;
    struct mvm_constraint *constraints;
    size_t constraint_count;
    enum mvm_objective objective;
    char *objective_json; /* the objective object as read, NULL when absent */
    char *objective_name; /* its id, NULL when absent */

    size_t constraint_capacity_; /* private */
};

/* A new instance owning model (which may be NULL), or NULL. */
struct mvm_instance *mvm_instance_new(struct mvm_model *model, struct mvm_error *err);

/* Frees the instance, its model and constraints. Accepts NULL. */
void mvm_instance_free(struct mvm_instance *instance);

/* Appends a constraint, taking ownership of what it points to (c is zeroed). */
int mvm_instance_add_constraint(struct mvm_instance *instance, struct mvm_constraint *c,
                                struct mvm_error *err);

/* Sets the objective from its JSON id; json (copied) is the whole object, or NULL. */
int mvm_instance_set_objective(struct mvm_instance *instance, const char *name, const char *json,
                               struct mvm_error *err);

/* Number of constraints whose kind is MVM_CONSTRAINT_OTHER. */
size_t mvm_instance_count_unsupported(const struct mvm_instance *instance);

/* A migration the constraints imply: vm leaves from for to. */
struct mvm_move {
    size_t vm;
    size_t from;
    size_t to;
};

/*
 * The migrations the constraints imply: every running VM whose fences all name
 * the same single node, other than its host, moves there. Fills *moves (caller frees) and *count.
 */
int mvm_instance_implied_moves(const struct mvm_instance *instance, struct mvm_move **moves,
                               size_t *count, struct mvm_error *err);

#endif
