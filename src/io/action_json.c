/*
 * Plan actions in JSON (REFERENCE section 5): each BtrPlace action id has a
 * fixed set of element keys plus `start`, `end` and `hooks` (kept verbatim).
 * Unknown action ids are kept verbatim and reported by the commands that need
 * to understand them.
 */
#include <stdlib.h>
#include <string.h>

#include "io/codec.h"
#include "util/array.h"

/* Element keys by kind: which of vm / node / on / from / to / bw / rc / amount appear. */
enum {
    F_VM = 1 << 0,
    F_NODE = 1 << 1,
    F_ON = 1 << 2,
    F_FROM = 1 << 3,
    F_TO = 1 << 4,
    F_BW = 1 << 5,
    F_RC = 1 << 6,
};

static unsigned fields_of(enum mvm_action_kind k)
{
    switch (k) {
    case MVM_ACTION_MIGRATE_VM:
        return F_VM | F_FROM | F_TO | F_BW;
    case MVM_ACTION_BOOT_NODE:
    case MVM_ACTION_SHUTDOWN_NODE:
        return F_NODE;
    case MVM_ACTION_BOOT_VM:
    case MVM_ACTION_SHUTDOWN_VM:
    case MVM_ACTION_KILL_VM:
        return F_VM | F_ON;
    case MVM_ACTION_SUSPEND_VM:
    case MVM_ACTION_RESUME_VM:
        return F_VM | F_FROM | F_TO;
    case MVM_ACTION_ALLOCATE:
        return F_VM | F_ON | F_RC;
    case MVM_ACTION_OTHER:
        break;
    }
    return 0;
}

int action_from_json(struct mvm_jctx *c, const json_t *v, const struct mvm_model *m,
                     struct mvm_action *out)
{
    memset(out, 0, sizeof(*out));
    out->vm = out->node = out->from = out->to = MVM_NONE;
    out->bw_mbps = -1;
    if (!json_is_object(v))
        return jctx_expected(c, "an action object", v);
    const char *name;
    if (jctx_field_string(c, v, "id", true, &name) < 0 ||
        jctx_field_int64(c, v, "start", true, &out->start) < 0 ||
        jctx_field_int64(c, v, "end", true, &out->end) < 0)
        return -1;
    out->kind = mvm_action_kind_from_name(name);
    if (out->kind == MVM_ACTION_OTHER) {
        out->json = json_text(v, c->err);
        return out->json == NULL ? -1 : 0;
    }
    unsigned f = fields_of(out->kind);
    const char *keys[12] = {"id", "start", "end", "hooks"};
    size_t nk = 4;
    if (f & F_VM)
        keys[nk++] = "vm";
    if (f & F_NODE)
        keys[nk++] = "node";
    if (f & F_ON)
        keys[nk++] = "on";
    if (f & F_FROM)
        keys[nk++] = "from";
    if (f & F_TO)
        keys[nk++] = "to";
    if (f & F_BW)
        keys[nk++] = "bw";
    if (f & F_RC) {
        keys[nk++] = "rc";
        keys[nk++] = "amount";
    }
    keys[nk] = NULL;
    if (jctx_only_keys(c, v, keys) < 0)
        return -1;
    if (((f & F_VM) && jctx_vm_ref(c, v, "vm", m, &out->vm) < 0) ||
        ((f & F_NODE) && jctx_node_ref(c, v, "node", m, &out->node) < 0) ||
        ((f & F_ON) && jctx_node_ref(c, v, "on", m, &out->node) < 0) ||
        ((f & F_FROM) && jctx_node_ref(c, v, "from", m, &out->from) < 0) ||
        ((f & F_TO) && jctx_node_ref(c, v, "to", m, &out->to) < 0))
        return -1;
    if ((f & F_BW) && jctx_field_int64(c, v, "bw", false, &out->bw_mbps) < 0)
        return -1;
    if (f & F_RC) {
        const char *rc_id;
        if (jctx_field_string(c, v, "rc", true, &rc_id) < 0 ||
            jctx_field_nonneg(c, v, "amount", true, &out->amount) < 0)
            return -1;
        out->rc = mvm_strdup(rc_id, c->err);
        if (out->rc == NULL)
            return -1;
    }
    json_t *hooks = json_object_get(v, "hooks");
    if (hooks != NULL) {
        size_t at = jctx_key(c, "hooks");
        if (!json_is_object(hooks)) {
            mvm_action_clear(out);
            return jctx_expected(c, "an object {pre: [...], post: [...]}", hooks);
        }
        jctx_pop(c, at);
        out->hooks = json_text(hooks, c->err);
        if (out->hooks == NULL) {
            mvm_action_clear(out);
            return -1;
        }
    }
    return 0;
}

json_t *action_to_json(const struct mvm_action *a, const struct mvm_model *m, struct mvm_error *err)
{
    if (a->kind == MVM_ACTION_OTHER)
        return json_from_text(a->json, err);
    unsigned f = fields_of(a->kind);
    json_t *o = json_object();
    int rc = o == NULL ? -1 : json_set(o, "id", json_string(mvm_action_kind_name(a->kind)), err);
    if (rc == 0 && (f & F_VM))
        rc = json_set(o, "vm", json_integer(m->vms[a->vm].id), err);
    if (rc == 0 && (f & (F_NODE | F_ON)))
        rc = json_set(o, (f & F_NODE) ? "node" : "on", json_integer(m->nodes[a->node].id), err);
    if (rc == 0 && (f & F_FROM))
        rc = json_set(o, "from", json_integer(m->nodes[a->from].id), err);
    if (rc == 0 && (f & F_TO))
        rc = json_set(o, "to", json_integer(m->nodes[a->to].id), err);
    if (rc == 0 && (f & F_BW) && a->bw_mbps >= 0)
        rc = json_set(o, "bw", json_integer((json_int_t)a->bw_mbps), err);
    if (rc == 0 && (f & F_RC))
        rc = json_set(o, "rc", json_string(a->rc), err) |
             json_set(o, "amount", json_integer((json_int_t)a->amount), err);
    if (rc == 0)
        rc = json_set(o, "start", json_integer((json_int_t)a->start), err) |
             json_set(o, "end", json_integer((json_int_t)a->end), err);
    if (rc == 0 && a->hooks != NULL)
        rc = json_set(o, "hooks", json_from_text(a->hooks, err), err);
    if (rc != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}
