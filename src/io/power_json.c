/*
 * The `power` view: defaults for every node and VM, then per-element figures.
 *   {"id": "power", "idleWatts": 110, "bootWatts": 20, "vmWatts": 16,
 *    "migrationJoulesPerMiB": 0.512, "migrationJoules": 20.165,
 *    "nodes": {"<id>": {"idleWatts": ..., "bootWatts": ...}},
 *    "vms": {"<id>": {"vmWatts": ...}}}
 * Every key is optional; every figure a non-negative number.
 */
#include "io/power_json.h"

#include <math.h>
#include <string.h>

#include "io/json.h"

static int read_watts(struct mvm_jctx *c, const json_t *obj, const char *key, double *out)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL)
        return 0;
    size_t at = jctx_key(c, key);
    if (!json_is_number(v) || !(json_number_value(v) >= 0.0) || !isfinite(json_number_value(v)))
        return jctx_expected(c, "a non-negative number", v);
    *out = json_number_value(v);
    jctx_pop(c, at);
    return 0;
}

static int read_group(struct mvm_jctx *c, const json_t *view, const struct mvm_model *m,
                      struct mvm_power_model *pm, bool nodes)
{
    const char *name = nodes ? "nodes" : "vms";
    json_t *group = json_object_get(view, name);
    if (group == NULL)
        return 0;
    size_t at = jctx_key(c, name);
    if (!json_is_object(group))
        return jctx_expected(c, "an object mapping ids to power figures", group);
    const char *key;
    json_t *figures;
    json_object_foreach(group, key, figures)
    {
        size_t k = jctx_key(c, key);
        int32_t id;
        if (jctx_key_id(c, key, &id) < 0)
            return -1;
        size_t idx = nodes ? mvm_model_node_index(m, id) : mvm_model_vm_index(m, id);
        if (idx == MVM_NONE)
            return jctx_fail(c, "%s %d is not in the model", nodes ? "node" : "vm", (int)id);
        if (!json_is_object(figures))
            return jctx_expected(c, "an object of power figures", figures);
        static const char *const node_keys[] = {"idleWatts", "bootWatts", NULL};
        static const char *const vm_keys[] = {"vmWatts", NULL};
        if (jctx_only_keys(c, figures, nodes ? node_keys : vm_keys) < 0)
            return -1;
        if (nodes ? read_watts(c, figures, "idleWatts", &pm->idle_w[idx]) < 0 ||
                        read_watts(c, figures, "bootWatts", &pm->boot_w[idx]) < 0
                  : read_watts(c, figures, "vmWatts", &pm->vm_w[idx]) < 0)
            return -1;
        jctx_pop(c, k);
    }
    jctx_pop(c, at);
    return 0;
}

int power_view_read(const char *json, const struct mvm_model *m, struct mvm_power_model *pm,
                    struct mvm_error *err)
{
    json_t *view = json_from_text(json, err);
    if (view == NULL)
        return -1;
    json_t *id = json_object_get(view, "id");
    if (!json_is_string(id) || strcmp(json_string_value(id), MVM_POWER_VIEW_ID) != 0) {
        json_decref(view);
        return 0; /* another view that merely mentions "power" */
    }
    struct mvm_jctx c = {.err = err};
    jctx_key(&c, "views.power");
    static const char *const keys[] = {
        "id",    "idleWatts", "bootWatts", "vmWatts", "migrationJoulesPerMiB", "migrationJoules",
        "nodes", "vms",       NULL};
    double idle = MVM_DEFAULT_IDLE_W, boot = MVM_DEFAULT_BOOT_W, vm = MVM_DEFAULT_VM_W;
    int rc = jctx_only_keys(&c, view, keys);
    if (rc == 0 &&
        (read_watts(&c, view, "idleWatts", &idle) < 0 ||
         read_watts(&c, view, "bootWatts", &boot) < 0 || read_watts(&c, view, "vmWatts", &vm) < 0 ||
         read_watts(&c, view, "migrationJoulesPerMiB", &pm->migration_j_per_mib) < 0 ||
         read_watts(&c, view, "migrationJoules", &pm->migration_j) < 0))
        rc = -1;
    if (rc == 0) {
        for (size_t n = 0; n < pm->node_count; n++) {
            pm->idle_w[n] = idle;
            pm->boot_w[n] = boot;
        }
        for (size_t v = 0; v < pm->vm_count; v++)
            pm->vm_w[v] = vm;
        rc = read_group(&c, view, m, pm, true) < 0 || read_group(&c, view, m, pm, false) < 0 ? -1
                                                                                             : 0;
    }
    json_decref(view);
    return rc < 0 ? -1 : 1;
}
