/*
 * Instances (see mvm/instance.h): a model, its constraints and objective, and
 * the migrations the constraints imply when they fix a VM's destination.
 */
#include "mvm/instance.h"

#include <stdlib.h>
#include <string.h>

#include "util/array.h"

struct mvm_instance *mvm_instance_new(struct mvm_model *model, struct mvm_error *err)
{
    struct mvm_instance *in = mvm_calloc(1, sizeof(*in), err);
    if (in == NULL) {
        mvm_model_free(model);
        return NULL;
    }
    in->model = model;
    return in;
}

void mvm_instance_free(struct mvm_instance *in)
{
    if (in == NULL)
        return;
    for (size_t i = 0; i < in->constraint_count; i++)
        mvm_constraint_clear(&in->constraints[i]);
    free(in->constraints);
    free(in->objective_json);
    free(in->objective_name);
    mvm_model_free(in->model);
    free(in);
}

int mvm_instance_add_constraint(struct mvm_instance *in, struct mvm_constraint *c,
                                struct mvm_error *err)
{
    if (MVM_ARRAY_RESERVE(in->constraints, in->constraint_capacity_, in->constraint_count + 1,
                          err) < 0) {
        mvm_constraint_clear(c);
        return -1;
    }
    in->constraints[in->constraint_count++] = *c;
    memset(c, 0, sizeof(*c));
    return 0;
}

int mvm_instance_set_objective(struct mvm_instance *in, const char *name, const char *json,
                               struct mvm_error *err)
{
    char *n = mvm_strdup(name, err);
    char *j = mvm_strdup(json, err);
    if ((name != NULL && n == NULL) || (json != NULL && j == NULL)) {
        free(n);
        free(j);
        return -1;
    }
    free(in->objective_name);
    free(in->objective_json);
    in->objective_name = n;
    in->objective_json = j;
    if (name == NULL)
        in->objective = MVM_OBJECTIVE_NONE;
    else if (strcmp(name, "minimizeMTTR") == 0 ||
             strcmp(name, "minimizeMTTRMigrationScheduling") == 0)
        in->objective = MVM_OBJECTIVE_MIN_MTTR;
    else if (strcmp(name, "minimizeEnergy") == 0)
        in->objective = MVM_OBJECTIVE_MIN_ENERGY;
    else
        in->objective = MVM_OBJECTIVE_OTHER;
    return 0;
}

size_t mvm_instance_count_unsupported(const struct mvm_instance *in)
{
    size_t n = 0;
    for (size_t i = 0; i < in->constraint_count; i++)
        n += in->constraints[i].kind == MVM_CONSTRAINT_OTHER;
    return n;
}

int mvm_instance_implied_moves(const struct mvm_instance *in, struct mvm_move **moves,
                               size_t *count, struct mvm_error *err)
{
    const struct mvm_model *m = in->model;
    *moves = NULL;
    *count = 0;
    /* allowed[v]: MVM_NONE while no fence names v, the node when every fence on v names
     * that single node, `several` otherwise */
    const size_t several = MVM_NONE - 1;
    size_t *allowed = malloc((m->vm_count ? m->vm_count : 1) * sizeof(*allowed));
    if (allowed == NULL)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    for (size_t v = 0; v < m->vm_count; v++)
        allowed[v] = MVM_NONE;
    for (size_t i = 0; i < in->constraint_count; i++) {
        const struct mvm_constraint *c = &in->constraints[i];
        if (c->kind != MVM_CONSTRAINT_FENCE)
            continue;
        size_t target = c->node_count == 1 ? c->nodes[0] : several;
        for (size_t k = 0; k < c->vm_count; k++) {
            size_t v = c->vms[k];
            allowed[v] = allowed[v] == MVM_NONE || allowed[v] == target ? target : several;
        }
    }
    size_t cap = 0;
    int rc = 0;
    for (size_t v = 0; v < m->vm_count && rc == 0; v++) {
        const struct mvm_vm *vm = &m->vms[v];
        if (vm->state != MVM_VM_RUNNING || allowed[v] >= several || allowed[v] == vm->host)
            continue;
        rc = MVM_ARRAY_RESERVE(*moves, cap, *count + 1, err);
        if (rc == 0)
            (*moves)[(*count)++] = (struct mvm_move){.vm = v, .from = vm->host, .to = allowed[v]};
    }
    free(allowed);
    if (rc < 0) {
        free(*moves);
        *moves = NULL;
        *count = 0;
    }
    return rc;
}
