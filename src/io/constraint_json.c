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

/* The JSON members a kind carries, in the order they are written. */
enum field {
    F_VM = 1 << 0,          /* "vm": vms[0] */
    F_VMS = 1 << 1,         /* "vms" */
    F_PAIR = 1 << 2,        /* "vm1", "vm2": vms[0], vms[1] */
    F_NODE = 1 << 3,        /* "node": nodes[0] */
    F_NODES = 1 << 4,       /* "nodes" */
    F_VM_PARTS = 1 << 5,    /* "parts" as VM groups (split) */
    F_NODE_PARTS = 1 << 6,  /* "parts" as node groups (among) */
    F_VPARTS = 1 << 7,      /* "vParts" (splitAmong) */
    F_PPARTS = 1 << 8,      /* "pParts" (splitAmong) */
    F_RC = 1 << 9,          /* "rc" */
    F_AMOUNT = 1 << 10,     /* "amount", a non-negative integer */
    F_RATIO = 1 << 11,      /* "ratio", a number >= 1 */
    F_TIMESTAMP = 1 << 12,  /* "timestamp" */
    F_WINDOW = 1 << 13,     /* "start", "end", "watts" */
    F_CONTINUOUS = 1 << 14, /* "continuous" */
};

static unsigned fields_of(enum mvm_constraint_kind k)
{
    switch (k) {
    case MVM_CONSTRAINT_FENCE:
    case MVM_CONSTRAINT_BAN:
        return F_VM | F_NODES | F_CONTINUOUS;
    case MVM_CONSTRAINT_ROOT:
    case MVM_CONSTRAINT_RUNNING:
    case MVM_CONSTRAINT_READY:
    case MVM_CONSTRAINT_SLEEPING:
    case MVM_CONSTRAINT_KILLED:
    case MVM_CONSTRAINT_NO_DELAY:
        return F_VM | F_CONTINUOUS;
    case MVM_CONSTRAINT_ONLINE:
    case MVM_CONSTRAINT_OFFLINE:
        return F_NODE | F_CONTINUOUS;
    case MVM_CONSTRAINT_SYNC:
    case MVM_CONSTRAINT_SERIALIZE:
    case MVM_CONSTRAINT_SPREAD:
    case MVM_CONSTRAINT_GATHER:
    case MVM_CONSTRAINT_LONELY:
    case MVM_CONSTRAINT_SEQ:
        return F_VMS | F_CONTINUOUS;
    case MVM_CONSTRAINT_PRECEDENCE:
        return F_PAIR | F_CONTINUOUS;
    case MVM_CONSTRAINT_DEADLINE:
        return F_VM | F_TIMESTAMP | F_CONTINUOUS;
    case MVM_CONSTRAINT_POWER_BUDGET:
        return F_WINDOW;
    case MVM_CONSTRAINT_AMONG:
        return F_VMS | F_NODE_PARTS | F_CONTINUOUS;
    case MVM_CONSTRAINT_SPLIT:
        return F_VM_PARTS | F_CONTINUOUS;
    case MVM_CONSTRAINT_SPLIT_AMONG:
        return F_VPARTS | F_PPARTS | F_CONTINUOUS;
    case MVM_CONSTRAINT_QUARANTINE:
        return F_NODES | F_CONTINUOUS;
    case MVM_CONSTRAINT_PRESERVE:
        return F_VM | F_RC | F_AMOUNT | F_CONTINUOUS;
    case MVM_CONSTRAINT_OVERBOOK:
        return F_NODE | F_RC | F_RATIO | F_CONTINUOUS;
    case MVM_CONSTRAINT_RESOURCE_CAPACITY:
        return F_NODES | F_RC | F_AMOUNT | F_CONTINUOUS;
    case MVM_CONSTRAINT_RUNNING_CAPACITY:
    case MVM_CONSTRAINT_MAX_ONLINE:
        return F_NODES | F_AMOUNT | F_CONTINUOUS;
    case MVM_CONSTRAINT_OTHER:
        break;
    }
    return 0;
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

static int read_timestamp(struct mvm_jctx *c, const json_t *v, struct mvm_constraint *out)
{
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

/* powerBudget (ours): {start, end (optional), watts}, times in seconds */
static int read_window(struct mvm_jctx *c, const json_t *v, struct mvm_constraint *out)
{
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

static int read_ratio(struct mvm_jctx *c, const json_t *v, struct mvm_constraint *out)
{
    json_t *r = jctx_member(c, v, "ratio", true, "a ratio of at least 1");
    if (r == NULL)
        return -1;
    size_t at = jctx_key(c, "ratio");
    if (!json_is_number(r) || !(json_number_value(r) >= 1.0) || !isfinite(json_number_value(r)))
        return jctx_expected(c, "a ratio of at least 1", r);
    jctx_pop(c, at);
    out->ratio = json_number_value(r);
    return 0;
}

static int read_fields(struct mvm_jctx *c, const json_t *v, const struct mvm_model *m,
                       unsigned f, struct mvm_constraint *out)
{
    size_t idx, idx2;
    const char *rc;
    if ((f & F_VM) && (jctx_vm_ref(c, v, "vm", m, &idx) < 0 ||
                       one_index(c, &out->vms, &out->vm_count, idx) < 0))
        return -1;
    if ((f & F_VMS) && jctx_vm_refs(c, v, "vms", m, &out->vms, &out->vm_count) < 0)
        return -1;
    if (f & F_PAIR) {
        if (jctx_vm_ref(c, v, "vm1", m, &idx) < 0 || jctx_vm_ref(c, v, "vm2", m, &idx2) < 0)
            return -1;
        out->vms = mvm_calloc(2, sizeof(*out->vms), c->err);
        if (out->vms == NULL)
            return -1;
        out->vms[0] = idx;
        out->vms[1] = idx2;
        out->vm_count = 2;
    }
    if ((f & F_NODE) && (jctx_node_ref(c, v, "node", m, &idx) < 0 ||
                         one_index(c, &out->nodes, &out->node_count, idx) < 0))
        return -1;
    if ((f & F_NODES) && jctx_node_refs(c, v, "nodes", m, &out->nodes, &out->node_count) < 0)
        return -1;
    if (((f & F_VM_PARTS) && jctx_vm_groups(c, v, "parts", m, &out->vm_parts) < 0) ||
        ((f & F_NODE_PARTS) && jctx_node_groups(c, v, "parts", m, &out->node_parts) < 0) ||
        ((f & F_VPARTS) && jctx_vm_groups(c, v, "vParts", m, &out->vm_parts) < 0) ||
        ((f & F_PPARTS) && jctx_node_groups(c, v, "pParts", m, &out->node_parts) < 0))
        return -1;
    if (f & F_RC) {
        if (jctx_field_string(c, v, "rc", true, &rc) < 0)
            return -1;
        out->rc = mvm_strdup(rc, c->err);
        if (out->rc == NULL)
            return -1;
    }
    if ((f & F_AMOUNT) && jctx_field_nonneg(c, v, "amount", true, &out->amount) < 0)
        return -1;
    if ((f & F_RATIO) && read_ratio(c, v, out) < 0)
        return -1;
    if ((f & F_TIMESTAMP) && read_timestamp(c, v, out) < 0)
        return -1;
    if ((f & F_WINDOW) && read_window(c, v, out) < 0)
        return -1;
    return 0;
}

/* The keys a kind accepts: "id" and those of its fields. */
static void allowed_keys(unsigned f, const char **keys)
{
    static const struct {
        unsigned field;
        const char *key;
    } key_of[] = {
        {F_VM, "vm"},           {F_VMS, "vms"},           {F_PAIR, "vm1"},
        {F_PAIR, "vm2"},        {F_NODE, "node"},         {F_NODES, "nodes"},
        {F_VM_PARTS, "parts"},  {F_NODE_PARTS, "parts"},  {F_VPARTS, "vParts"},
        {F_PPARTS, "pParts"},   {F_RC, "rc"},             {F_AMOUNT, "amount"},
        {F_RATIO, "ratio"},     {F_TIMESTAMP, "timestamp"}, {F_WINDOW, "start"},
        {F_WINDOW, "end"},      {F_WINDOW, "watts"},      {F_CONTINUOUS, "continuous"},
    };
    size_t n = 0;
    keys[n++] = "id";
    for (size_t i = 0; i < sizeof(key_of) / sizeof(key_of[0]); i++)
        if (f & key_of[i].field)
            keys[n++] = key_of[i].key;
    keys[n] = NULL;
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
    unsigned f = fields_of(out->kind);
    const char *keys[24];
    allowed_keys(f, keys);
    if (jctx_only_keys(c, v, keys) < 0 || read_fields(c, v, m, f, out) < 0)
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

static json_t *id_groups(const struct mvm_id_groups *g, bool nodes, const struct mvm_model *m)
{
    json_t *a = json_array();
    for (size_t k = 0; a != NULL && k < g->count; k++)
        if (json_array_append_new(a, id_array(g->groups[k], g->sizes[k], nodes, m)) < 0) {
            json_decref(a);
            a = NULL;
        }
    return a;
}

/* Whole numbers are written as integers, so files read back as written. */
static json_t *number(double x)
{
    return x == floor(x) && fabs(x) < 9e15 ? json_integer((json_int_t)x) : json_real(x);
}

json_t *constraint_to_json(const struct mvm_constraint *k, const struct mvm_model *m,
                           struct mvm_error *err)
{
    if (k->kind == MVM_CONSTRAINT_OTHER)
        return json_from_text(k->json, err);
    unsigned f = fields_of(k->kind);
    json_t *o = json_object();
    int rc = o == NULL ? -1 : json_set(o, "id", json_string(k->name), err);
    if (f & F_VM)
        rc = rc ? rc : json_set(o, "vm", json_integer(m->vms[k->vms[0]].id), err);
    if (f & F_VMS)
        rc = rc ? rc : json_set(o, "vms", id_array(k->vms, k->vm_count, false, m), err);
    if (f & F_PAIR) {
        rc = rc ? rc : json_set(o, "vm1", json_integer(m->vms[k->vms[0]].id), err);
        rc = rc ? rc : json_set(o, "vm2", json_integer(m->vms[k->vms[1]].id), err);
    }
    if (f & F_NODE)
        rc = rc ? rc : json_set(o, "node", json_integer(m->nodes[k->nodes[0]].id), err);
    if (f & F_NODES)
        rc = rc ? rc : json_set(o, "nodes", id_array(k->nodes, k->node_count, true, m), err);
    if (f & F_VM_PARTS)
        rc = rc ? rc : json_set(o, "parts", id_groups(&k->vm_parts, false, m), err);
    if (f & F_NODE_PARTS)
        rc = rc ? rc : json_set(o, "parts", id_groups(&k->node_parts, true, m), err);
    if (f & F_VPARTS)
        rc = rc ? rc : json_set(o, "vParts", id_groups(&k->vm_parts, false, m), err);
    if (f & F_PPARTS)
        rc = rc ? rc : json_set(o, "pParts", id_groups(&k->node_parts, true, m), err);
    if (f & F_RC)
        rc = rc ? rc : json_set(o, "rc", json_string(k->rc), err);
    if (f & F_AMOUNT)
        rc = rc ? rc : json_set(o, "amount", json_integer((json_int_t)k->amount), err);
    if (f & F_RATIO)
        rc = rc ? rc : json_set(o, "ratio", number(k->ratio), err);
    if (f & F_TIMESTAMP)
        rc = rc ? rc : json_set(o, "timestamp", json_string(k->timestamp), err);
    if (f & F_WINDOW) {
        rc = rc ? rc : json_set(o, "start", json_integer((json_int_t)k->window_start), err);
        if (k->window_end >= 0)
            rc = rc ? rc : json_set(o, "end", json_integer((json_int_t)k->window_end), err);
        rc = rc ? rc : json_set(o, "watts", number(k->watts), err);
    }
    if (k->continuous != MVM_CONTINUOUS_UNSET)
        rc = rc ? rc : json_set(o, "continuous", json_boolean(k->continuous), err);
    if (rc != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}
