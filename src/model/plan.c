/*
 * Plans (see mvm/plan.h): the origin model and its timed actions, with the JSON
 * ids of the action kinds BtrPlace defines.
 */
#include "mvm/plan.h"

#include <stdlib.h>
#include <string.h>

#include "mvm/instance.h"
#include "util/array.h"

static const char *const kind_names[] = {
    [MVM_ACTION_MIGRATE_VM] = "migrateVM",       [MVM_ACTION_BOOT_NODE] = "bootNode",
    [MVM_ACTION_SHUTDOWN_NODE] = "shutdownNode", [MVM_ACTION_BOOT_VM] = "bootVM",
    [MVM_ACTION_SHUTDOWN_VM] = "shutdownVM",     [MVM_ACTION_SUSPEND_VM] = "suspendVM",
    [MVM_ACTION_RESUME_VM] = "resumeVM",         [MVM_ACTION_KILL_VM] = "killVM",
    [MVM_ACTION_ALLOCATE] = "allocate",
};

enum mvm_action_kind mvm_action_kind_from_name(const char *name)
{
    for (size_t k = 0; k < MVM_ACTION_OTHER; k++)
        if (strcmp(kind_names[k], name) == 0)
            return (enum mvm_action_kind)k;
    return MVM_ACTION_OTHER;
}

const char *mvm_action_kind_name(enum mvm_action_kind kind)
{
    return kind < MVM_ACTION_OTHER ? kind_names[kind] : "other";
}

void mvm_action_clear(struct mvm_action *a)
{
    free(a->rc);
    free(a->hooks);
    free(a->json);
    memset(a, 0, sizeof(*a));
}

struct mvm_plan *mvm_plan_new(struct mvm_model *origin, struct mvm_error *err)
{
    struct mvm_plan *p = mvm_calloc(1, sizeof(*p), err);
    if (p == NULL) {
        mvm_model_free(origin);
        return NULL;
    }
    p->origin = origin;
    return p;
}

void mvm_plan_free(struct mvm_plan *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->action_count; i++)
        mvm_action_clear(&p->actions[i]);
    free(p->actions);
    mvm_model_free(p->origin);
    free(p);
}

int mvm_plan_add_action(struct mvm_plan *p, struct mvm_action *a, struct mvm_error *err)
{
    if (MVM_ARRAY_RESERVE(p->actions, p->action_capacity_, p->action_count + 1, err) < 0) {
        mvm_action_clear(a);
        return -1;
    }
    p->actions[p->action_count++] = *a;
    memset(a, 0, sizeof(*a));
    return 0;
}

int64_t mvm_plan_makespan(const struct mvm_plan *p)
{
    int64_t end = 0;
    for (size_t i = 0; i < p->action_count; i++)
        if (p->actions[i].end > end)
            end = p->actions[i].end;
    return end;
}

const char *mvm_action_duration_attr(enum mvm_action_kind kind)
{
    static const char *const keys[] = {
        [MVM_ACTION_BOOT_NODE] = "boot",     [MVM_ACTION_SHUTDOWN_NODE] = "shutdown",
        [MVM_ACTION_BOOT_VM] = "boot",       [MVM_ACTION_SHUTDOWN_VM] = "shutdown",
        [MVM_ACTION_SUSPEND_VM] = "suspend", [MVM_ACTION_RESUME_VM] = "resume",
        [MVM_ACTION_KILL_VM] = "kill",       [MVM_ACTION_ALLOCATE] = "allocate",
    };
    return kind < MVM_ACTION_OTHER ? keys[kind] : NULL;
}

const struct mvm_attrs *mvm_plan_vm_attrs(const struct mvm_plan *plan,
                                          const struct mvm_instance *instance, size_t v)
{
    const struct mvm_vm *vm = &plan->origin->vms[v];
    if (vm->attrs.count > 0 || instance == NULL || instance->model == NULL)
        return &vm->attrs;
    size_t j = mvm_model_vm_index(instance->model, vm->id);
    return j == MVM_NONE ? &vm->attrs : &instance->model->vms[j].attrs;
}

const struct mvm_attrs *mvm_plan_node_attrs(const struct mvm_plan *plan,
                                            const struct mvm_instance *instance, size_t n)
{
    const struct mvm_node *node = &plan->origin->nodes[n];
    if (node->attrs.count > 0 || instance == NULL || instance->model == NULL)
        return &node->attrs;
    size_t j = mvm_model_node_index(instance->model, node->id);
    return j == MVM_NONE ? &node->attrs : &instance->model->nodes[j].attrs;
}
