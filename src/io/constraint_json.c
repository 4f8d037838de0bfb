/*
 * Constraints in JSON (REFERENCE section 6). Each known constraint has a fixed
 * set of keys, decoded into element indices; an unknown key in a known
 * constraint is an error (a typo must not silently drop a requirement). Unknown
 * constraint ids are kept verbatim.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/codec.h"
#include "util/array.h"

/* Which JSON keys carry the elements of each kind. */
enum shape { VM_NODES, VM_ONLY, NODE_ONLY, VMS, VM_PAIR, VM_TIMESTAMP, WINDOW };

static enum shape shape_of(enum mvm_constraint_kind k)
{
    switch (k) {
    case MVM_CONSTRAINT_FENCE:
    case MVM_CONSTRAINT_BAN:
        return VM_NODES;
    case MVM_CONSTRAINT_ONLINE:
    case MVM_CONSTRAINT_OFFLINE:
        return NODE_ONLY;
    case MVM_CONSTRAINT_SYNC:
    case MVM_CONSTRAINT_SERIALIZE:
        return VMS;
    case MVM_CONSTRAINT_PRECEDENCE:
        return VM_PAIR;
    case MVM_CONSTRAINT_DEADLINE:
        return VM_TIMESTAMP;
    case MVM_CONSTRAINT_POWER_BUDGET:
        return WINDOW;
    default:
        return VM_ONLY;
    }
}

static int one_index(struct mvm_jctx *c, size_t **out, size_t *count, size_t value)
{
    *out = mvm_calloc(1, sizeof(**out), c->err);
    if (*out == NULL)
        return -1;
    (*out)[0] = value;
    *count = 1;
    return 0;
}

static int read_elements(struct mvm_jctx *c, const json_t *v, const struct mvm_model *m,
                         struct mvm_constraint *out)
{
    size_t idx, idx2;
    switch (shape_of(out->kind)) {
    case VM_NODES:
        if (jctx_vm_ref(c, v, "vm", m, &idx) < 0 ||
            one_index(c, &out->vms, &out->vm_count, idx) < 0)
            return -1;
        return jctx_node_refs(c, v, "nodes", m, &out->nodes, &out->node_count);
    case VM_ONLY:
        if (jctx_vm_ref(c, v, "vm", m, &idx) < 0)
            return -1;
        return one_index(c, &out->vms, &out->vm_count, idx);
    case NODE_ONLY:
        if (jctx_node_ref(c, v, "node", m, &idx) < 0)
            return -1;
        return one_index(c, &out->nodes, &out->node_count, idx);
    case VMS:
        return jctx_vm_refs(c, v, "vms", m, &out->vms, &out->vm_count);
    case VM_PAIR:
        if (jctx_vm_ref(c, v, "vm1", m, &idx) < 0 || jctx_vm_ref(c, v, "vm2", m, &idx2) < 0)
            return -1;
        out->vms = mvm_calloc(2, sizeof(*out->vms), c->err);
        if (out->vms == NULL)
            return -1;
        out->vms[0] = idx;
        out->vms[1] = idx2;
        out->vm_count = 2;
        return 0;
    case VM_TIMESTAMP: {
        if (jctx_vm_ref(c, v, "vm", m, &idx) < 0 ||
            one_index(c, &out->vms, &out->vm_count, idx) < 0)
            return -1;
        const char *text;
        if (jctx_field_string(c, v, "timestamp", true, &text) < 0)
            return -1;
        size_t at = jctx_key(c, "timestamp");
        int64_t seconds;
        struct mvm_error probe;
        mvm_error_clear(&probe);
        if (mvm_deadline_resolve(text, 0, &seconds, &probe) < 0)
            return jctx_fail(c, "%s", probe.message);
        jctx_pop(c, at);
        out->timestamp = mvm_strdup(text, c->err);
        return out->timestamp == NULL ? -1 : 0;
    }
    case WINDOW: {
        /* powerBudget (ours): {start, end (optional), watts}, times in seconds */
        out->window_end = -1;
        if (jctx_field_nonneg(c, v, "start", true, &out->window_start) < 0 ||
            jctx_field_int64(c, v, "end", false, &out->window_end) < 0)
            return -1;
        json_t *end = json_object_get(v, "end");
        if (end != NULL && out->window_end <= out->window_start) {
            jctx_key(c, "end");
            return jctx_expected(c, "an end after the start", end);
        }
        json_t *w = jctx_member(c, v, "watts", true, "a power in watts");
        if (w == NULL)
            return -1;
        size_t at = jctx_key(c, "watts");
        if (!json_is_number(w) || !(json_number_value(w) > 0.0) || !isfinite(json_number_value(w)))
            return jctx_expected(c, "a positive number of watts", w);
        jctx_pop(c, at);
        out->watts = json_number_value(w);
        return 0;
    }
    }
    return -1;
}

static const char *const *allowed_keys(enum shape s)
{
    static const char *const vm_nodes[] = {"id", "vm", "nodes", "continuous", NULL};
    static const char *const vm_only[] = {"id", "vm", "continuous", NULL};
    static const char *const node_only[] = {"id", "node", "continuous", NULL};
    static const char *const vms[] = {"id", "vms", "continuous", NULL};
    static const char *const pair[] = {"id", "vm1", "vm2", "continuous", NULL};
    static const char *const stamp[] = {"id", "vm", "timestamp", "continuous", NULL};
    static const char *const window[] = {"id", "start", "end", "watts", NULL};
    switch (s) {
    case VM_NODES:
        return vm_nodes;
    case VM_ONLY:
        return vm_only;
    case NODE_ONLY:
        return node_only;
    case VMS:
        return vms;
    case VM_PAIR:
        return pair;
    case VM_TIMESTAMP:
        return stamp;
    case WINDOW:
        return window;
    }
    return vm_only;
}

int constraint_from_json(struct mvm_jctx *c, const json_t *v, const struct mvm_model *m,
                         struct mvm_constraint *out)
{
    memset(out, 0, sizeof(*out));
    out->continuous = MVM_CONTINUOUS_UNSET;
    if (!json_is_object(v))
        return jctx_expected(c, "a constraint object", v);
    const char *name;
    if (jctx_field_string(c, v, "id", true, &name) < 0)
        return -1;
    out->kind = mvm_constraint_kind_from_name(name);
    out->name = mvm_strdup(name, c->err);
    if (out->name == NULL)
        return -1;
    if (out->kind == MVM_CONSTRAINT_OTHER) {
        out->json = json_text(v, c->err);
        return out->json == NULL ? -1 : 0;
    }
    if (jctx_only_keys(c, v, allowed_keys(shape_of(out->kind))) < 0 ||
        read_elements(c, v, m, out) < 0)
        goto fail;
    bool b;
    int found = jctx_field_bool(c, v, "continuous", false, &b);
    if (found < 0)
        goto fail;
    if (found > 0)
        out->continuous = b ? MVM_CONTINUOUS_TRUE : MVM_CONTINUOUS_FALSE;
    return 0;
fail:
    mvm_constraint_clear(out);
    return -1;
}

static json_t *id_array(const size_t *idx, size_t n, bool nodes, const struct mvm_model *m)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(
                a, json_integer(nodes ? m->nodes[idx[i]].id : m->vms[idx[i]].id)) < 0) {
            json_decref(a);
            a = NULL;
        }
    return a;
}

json_t *constraint_to_json(const struct mvm_constraint *k, const struct mvm_model *m,
                           struct mvm_error *err)
{
    if (k->kind == MVM_CONSTRAINT_OTHER)
        return json_from_text(k->json, err);
    json_t *o = json_object();
    int rc = o == NULL ? -1 : json_set(o, "id", json_string(k->name), err);
    switch (shape_of(k->kind)) {
    case VM_NODES:
        rc = rc ? rc : json_set(o, "vm", json_integer(m->vms[k->vms[0]].id), err);
        rc = rc ? rc : json_set(o, "nodes", id_array(k->nodes, k->node_count, true, m), err);
        break;
    case VM_ONLY:
        rc = rc ? rc : json_set(o, "vm", json_integer(m->vms[k->vms[0]].id), err);
        break;
    case NODE_ONLY:
        rc = rc ? rc : json_set(o, "node", json_integer(m->nodes[k->nodes[0]].id), err);
        break;
    case VMS:
        rc = rc ? rc : json_set(o, "vms", id_array(k->vms, k->vm_count, false, m), err);
        break;
    case VM_PAIR:
        rc = rc ? rc : json_set(o, "vm1", json_integer(m->vms[k->vms[0]].id), err);
        rc = rc ? rc : json_set(o, "vm2", json_integer(m->vms[k->vms[1]].id), err);
        break;
    case VM_TIMESTAMP:
        rc = rc ? rc : json_set(o, "vm", json_integer(m->vms[k->vms[0]].id), err);
        rc = rc ? rc : json_set(o, "timestamp", json_string(k->timestamp), err);
        break;
    case WINDOW:
        rc = rc ? rc : json_set(o, "start", json_integer((json_int_t)k->window_start), err);
        if (k->window_end >= 0)
            rc = rc ? rc : json_set(o, "end", json_integer((json_int_t)k->window_end), err);
        /* whole watts are written as integers, so files read back as written */
        rc = rc ? rc
                : json_set(o, "watts",
                           k->watts == floor(k->watts) && k->watts < 9e15
                               ? json_integer((json_int_t)k->watts)
                               : json_real(k->watts),
                           err);
        break;
    }
    if (k->continuous != MVM_CONTINUOUS_UNSET)
        rc = rc ? rc : json_set(o, "continuous", json_boolean(k->continuous), err);
    if (rc != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}
