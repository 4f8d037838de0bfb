/*
 * The BtrPlace model in JSON: `mapping` (which nodes are on, which VMs run or
 * sleep where, which are ready), `attributes` and `views`. Shareable resources
 * and the network are decoded; any other view is kept verbatim.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/codec.h"

/* Reads the VM ids of list (at path .key; absent lists are empty) into the model. */
static int read_vm_list(struct mvm_jctx *c, struct mvm_model *m, const json_t *list,
                        const char *key, enum mvm_vm_state state, size_t host)
{
    if (list == NULL)
        return 0;
    size_t saved = jctx_key(c, key);
    if (!json_is_array(list))
        return jctx_expected(c, "an array of vm ids", list);
    for (size_t i = 0; i < json_array_size(list); i++) {
        size_t at = jctx_index(c, i);
        int32_t id;
        if (jctx_int32(c, json_array_get(list, i), &id) < 0)
            return -1;
        size_t prev = mvm_model_vm_index(m, id);
        if (prev != MVM_NONE) {
            const struct mvm_vm *p = &m->vms[prev];
            if (p->host != MVM_NONE)
                return jctx_fail(c, "vm %d is already on node %d", (int)id,
                                 (int)m->nodes[p->host].id);
            return jctx_fail(c, "vm %d is listed twice", (int)id);
        }
        if (mvm_model_add_vm(m, id, state, host, c->err) == MVM_NONE)
            return jctx_here(c);
        jctx_pop(c, at);
    }
    jctx_pop(c, saved);
    return 0;
}

static int read_mapping(struct mvm_jctx *c, struct mvm_model *m, const json_t *mapping)
{
    if (!json_is_object(mapping))
        return jctx_expected(c, "an object with onlineNodes, offlineNodes and readyVMs", mapping);
    static const char *const keys[] = {"onlineNodes", "offlineNodes", "readyVMs", NULL};
    if (jctx_only_keys(c, mapping, keys) < 0)
        return -1;
    json_t *online = jctx_member(c, mapping, "onlineNodes", true, "an object");
    json_t *offline = jctx_member(c, mapping, "offlineNodes", true, "an array of node ids");
    json_t *ready = json_object_get(mapping, "readyVMs");
    if (online == NULL || offline == NULL)
        return -1;

    size_t saved = jctx_key(c, "onlineNodes");
    if (!json_is_object(online))
        return jctx_expected(c, "an object mapping node ids to their VMs", online);
    const char *key;
    json_t *node_obj;
    json_object_foreach(online, key, node_obj)
    {
        size_t at = jctx_key(c, key);
        int32_t id;
        if (jctx_key_id(c, key, &id) < 0)
            return -1;
        if (!json_is_object(node_obj))
            return jctx_expected(c, "an object with runningVMs and sleepingVMs", node_obj);
        static const char *const node_keys[] = {"runningVMs", "sleepingVMs", NULL};
        if (jctx_only_keys(c, node_obj, node_keys) < 0)
            return -1;
        if (mvm_model_add_node(m, id, MVM_NODE_ONLINE, c->err) == MVM_NONE)
            return jctx_here(c);
        jctx_pop(c, at);
    }
    /* VMs after all nodes, so VM indices follow the file's node order */
    size_t node = 0;
    json_object_foreach(online, key, node_obj)
    {
        size_t at = jctx_key(c, key);
        if (read_vm_list(c, m, json_object_get(node_obj, "runningVMs"), "runningVMs",
                         MVM_VM_RUNNING, node) < 0 ||
            read_vm_list(c, m, json_object_get(node_obj, "sleepingVMs"), "sleepingVMs",
                         MVM_VM_SLEEPING, node) < 0)
            return -1;
        jctx_pop(c, at);
        node++;
    }
    jctx_pop(c, saved);

    saved = jctx_key(c, "offlineNodes");
    if (!json_is_array(offline))
        return jctx_expected(c, "an array of node ids", offline);
    for (size_t i = 0; i < json_array_size(offline); i++) {
        size_t at = jctx_index(c, i);
        int32_t id;
        if (jctx_int32(c, json_array_get(offline, i), &id) < 0)
            return -1;
        if (mvm_model_node_index(m, id) != MVM_NONE)
            return jctx_fail(c, "node %d is declared twice (online and offline, or twice offline)",
                             (int)id);
        if (mvm_model_add_node(m, id, MVM_NODE_OFFLINE, c->err) == MVM_NONE)
            return jctx_here(c);
        jctx_pop(c, at);
    }
    jctx_pop(c, saved);

    return read_vm_list(c, m, ready, "readyVMs", MVM_VM_READY, MVM_NONE);
}

static int read_attr_value(struct mvm_jctx *c, struct mvm_attrs *attrs, const char *key,
                           const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_TRUE:
    case JSON_FALSE:
        return mvm_attrs_set_bool(attrs, key, json_is_true(v), c->err);
    case JSON_INTEGER:
        return mvm_attrs_set_int(attrs, key, (int64_t)json_integer_value(v), c->err);
    case JSON_REAL:
        return mvm_attrs_set_double(attrs, key, json_real_value(v), c->err);
    case JSON_STRING:
        return mvm_attrs_set_string(attrs, key, json_string_value(v), c->err);
    default: {
        char *text = json_text(v, c->err);
        if (text == NULL)
            return -1;
        int rc = mvm_attrs_set_json(attrs, key, text, c->err);
        free(text);
        return rc;
    }
    }
}

static int read_attr_group(struct mvm_jctx *c, struct mvm_model *m, const json_t *group, bool nodes)
{
    if (!json_is_object(group))
        return jctx_expected(c, "an object mapping ids to attributes", group);
    const char *key;
    json_t *attrs;
    json_object_foreach((json_t *)group, key, attrs)
    {
        size_t at = jctx_key(c, key);
        int32_t id;
        if (jctx_key_id(c, key, &id) < 0)
            return -1;
        size_t idx = nodes ? mvm_model_node_index(m, id) : mvm_model_vm_index(m, id);
        if (idx == MVM_NONE)
            return jctx_fail(c, "%s %d is not in the mapping", nodes ? "node" : "vm", (int)id);
        if (!json_is_object(attrs))
            return jctx_expected(c, "an object of attributes", attrs);
        struct mvm_attrs *dst = nodes ? &m->nodes[idx].attrs : &m->vms[idx].attrs;
        const char *name;
        json_t *value;
        json_object_foreach(attrs, name, value)
        {
            if (read_attr_value(c, dst, name, value) < 0)
                return -1;
        }
        jctx_pop(c, at);
    }
    return 0;
}

static int read_attributes(struct mvm_jctx *c, struct mvm_model *m, const json_t *attrs)
{
    if (!json_is_object(attrs))
        return jctx_expected(c, "an object with nodes and vms", attrs);
    static const char *const keys[] = {"nodes", "vms", NULL};
    if (jctx_only_keys(c, attrs, keys) < 0)
        return -1;
    for (int nodes = 1; nodes >= 0; nodes--) {
        const char *k = nodes ? "nodes" : "vms";
        json_t *group = json_object_get(attrs, k);
        if (group == NULL)
            continue;
        size_t at = jctx_key(c, k);
        if (read_attr_group(c, m, group, nodes != 0) < 0)
            return -1;
        jctx_pop(c, at);
    }
    return 0;
}

/* Reads the values of a resource view's "nodes" or "vms" object. */
static int read_resource_values(struct mvm_jctx *c, struct mvm_model *m, const json_t *obj,
                                const char *key, struct mvm_resource *r)
{
    json_t *values = json_object_get(obj, key);
    if (values == NULL)
        return 0;
    bool nodes = strcmp(key, "nodes") == 0;
    size_t saved = jctx_key(c, key);
    if (!json_is_object(values))
        return jctx_expected(c, "an object mapping ids to amounts", values);
    const char *id_text;
    json_t *v;
    json_object_foreach(values, id_text, v)
    {
        size_t at = jctx_key(c, id_text);
        int32_t id;
        int64_t amount;
        if (jctx_key_id(c, id_text, &id) < 0 || jctx_nonneg(c, v, &amount) < 0)
            return -1;
        size_t idx = nodes ? mvm_model_node_index(m, id) : mvm_model_vm_index(m, id);
        if (idx == MVM_NONE)
            return jctx_fail(c, "%s %d is not in the mapping", nodes ? "node" : "vm", (int)id);
        if (nodes) {
            r->node_capacity[idx] = amount;
            r->node_given[idx] = true;
        } else {
            r->vm_consumption[idx] = amount;
            r->vm_given[idx] = true;
        }
        jctx_pop(c, at);
    }
    jctx_pop(c, saved);
    return 0;
}

static int read_resource(struct mvm_jctx *c, struct mvm_model *m, const json_t *view)
{
    static const char *const keys[] = {"id",  "rcId", "defConsumption", "defCapacity", "nodes",
                                       "vms", NULL};
    if (jctx_only_keys(c, view, keys) < 0)
        return -1;
    const char *rc_id;
    int64_t def_cons = 0, def_cap = 0;
    if (jctx_field_string(c, view, "rcId", true, &rc_id) < 0 ||
        jctx_field_nonneg(c, view, "defConsumption", false, &def_cons) < 0 ||
        jctx_field_nonneg(c, view, "defCapacity", false, &def_cap) < 0)
        return -1;
    size_t k = mvm_model_add_resource(m, rc_id, def_cap, def_cons, c->err);
    if (k == MVM_NONE)
        return jctx_here(c);
    return read_resource_values(c, m, view, "nodes", &m->resources[k]) < 0 ||
                   read_resource_values(c, m, view, "vms", &m->resources[k]) < 0
               ? -1
               : 0;
}

static int read_views(struct mvm_jctx *c, struct mvm_model *m, const json_t *views)
{
    if (!json_is_array(views))
        return jctx_expected(c, "an array of views", views);
    for (size_t i = 0; i < json_array_size(views); i++) {
        size_t at = jctx_index(c, i);
        json_t *view = json_array_get(views, i);
        if (!json_is_object(view))
            return jctx_expected(c, "a view object", view);
        const char *id;
        if (jctx_field_string(c, view, "id", true, &id) < 0)
            return -1;
        if (strcmp(id, "shareableResource") == 0) {
            if (read_resource(c, m, view) < 0)
                return -1;
        } else if (strcmp(id, "net") == 0) {
            if (m->net != NULL)
                return jctx_fail(c, "a second network view (only one is allowed)");
            struct mvm_net *net = net_from_json(c, view, m);
            if (net == NULL || mvm_model_set_net(m, net, c->err) < 0)
                return -1;
        } else {
            char *text = json_text(view, c->err);
            int rc = text == NULL ? -1 : mvm_model_add_other_view(m, text, c->err);
            free(text);
            if (rc < 0)
                return -1;
        }
        jctx_pop(c, at);
    }
    return 0;
}

struct mvm_model *model_from_json(struct mvm_jctx *c, const json_t *v)
{
    if (!json_is_object(v)) {
        jctx_expected(c, "a model object with mapping, attributes and views", v);
        return NULL;
    }
    static const char *const keys[] = {"mapping", "attributes", "views", NULL};
    if (jctx_only_keys(c, v, keys) < 0)
        return NULL;
    json_t *mapping = jctx_member(c, v, "mapping", true, "the mapping of VMs on nodes");
    if (mapping == NULL)
        return NULL;
    struct mvm_model *m = mvm_model_new(c->err);
    if (m == NULL)
        return NULL;
    size_t at = jctx_key(c, "mapping");
    if (read_mapping(c, m, mapping) < 0)
        goto fail;
    jctx_pop(c, at);
    json_t *attrs = json_object_get(v, "attributes");
    at = jctx_key(c, "attributes");
    if (attrs != NULL && read_attributes(c, m, attrs) < 0)
        goto fail;
    jctx_pop(c, at);
    json_t *views = json_object_get(v, "views");
    at = jctx_key(c, "views");
    if (views != NULL && read_views(c, m, views) < 0)
        goto fail;
    jctx_pop(c, at);
    return m;
fail:
    mvm_model_free(m);
    return NULL;
}

/* ---- writing ---- */

static const char *id_key(int32_t id, char *buf, size_t size)
{
    snprintf(buf, size, "%" PRId32, id);
    return buf;
}

static json_t *attr_to_json(const struct mvm_attr *a, struct mvm_error *err)
{
    switch (a->type) {
    case MVM_ATTR_BOOL:
        return json_boolean(a->boolean);
    case MVM_ATTR_INT:
        return json_integer((json_int_t)a->integer);
    case MVM_ATTR_DOUBLE:
        return json_real(a->real);
    case MVM_ATTR_STRING:
        return json_string(a->text);
    case MVM_ATTR_JSON:
        return json_from_text(a->text, err);
    }
    return NULL;
}

static json_t *attrs_to_json(const struct mvm_attrs *attrs, struct mvm_error *err)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    for (size_t i = 0; i < attrs->count; i++)
        if (json_set(o, attrs->items[i].key, attr_to_json(&attrs->items[i], err), err) < 0) {
            json_decref(o);
            return NULL;
        }
    return o;
}

static json_t *resource_to_json(const struct mvm_model *m, const struct mvm_resource *r,
                                struct mvm_error *err)
{
    json_t *o = json_object(), *nodes = json_object(), *vms = json_object();
    char key[16];
    int rc = o && nodes && vms ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < m->node_count; i++)
        if (r->node_given[i])
            rc = json_set(nodes, id_key(m->nodes[i].id, key, sizeof(key)),
                          json_integer((json_int_t)r->node_capacity[i]), err);
    for (size_t i = 0; rc == 0 && i < m->vm_count; i++)
        if (r->vm_given[i])
            rc = json_set(vms, id_key(m->vms[i].id, key, sizeof(key)),
                          json_integer((json_int_t)r->vm_consumption[i]), err);
    if (rc == 0)
        rc = json_set(o, "id", json_string("shareableResource"), err) |
             json_set(o, "rcId", json_string(r->rc_id), err) |
             json_set(o, "defConsumption", json_integer((json_int_t)r->def_consumption), err) |
             json_set(o, "defCapacity", json_integer((json_int_t)r->def_capacity), err);
    if (rc == 0) {
        rc = json_set(o, "nodes", nodes, err) | json_set(o, "vms", vms, err);
        nodes = vms = NULL;
    }
    json_decref(nodes);
    json_decref(vms);
    if (rc != 0) {
        json_decref(o);
        mvm_error_set(err, MVM_ERR_NOMEM, "out of memory while writing JSON");
        return NULL;
    }
    return o;
}

static json_t *mapping_to_json(const struct mvm_model *m, struct mvm_error *err)
{
    json_t *mapping = json_object(), *online = json_object(), *offline = json_array(),
           *ready = json_array();
    json_t **running = calloc(m->node_count + 1, sizeof(*running));
    json_t **sleeping = calloc(m->node_count + 1, sizeof(*sleeping));
    int rc = mapping && online && offline && ready && running && sleeping ? 0 : -1;
    char key[16];
    for (size_t i = 0; rc == 0 && i < m->node_count; i++) {
        const struct mvm_node *n = &m->nodes[i];
        if (n->state == MVM_NODE_OFFLINE) {
            rc = json_push(offline, json_integer(n->id), err);
            continue;
        }
        json_t *node_obj = json_object();
        running[i] = json_array();
        sleeping[i] = json_array();
        rc = json_set(online, id_key(n->id, key, sizeof(key)), node_obj, err);
        if (rc == 0 && running[i] && sleeping[i]) {
            json_object_set(node_obj, "runningVMs", running[i]);
            json_object_set(node_obj, "sleepingVMs", sleeping[i]);
        } else
            rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < m->vm_count; i++) {
        const struct mvm_vm *v = &m->vms[i];
        json_t *list = v->state == MVM_VM_READY     ? ready
                       : v->state == MVM_VM_RUNNING ? running[v->host]
                                                    : sleeping[v->host];
        rc = json_push(list, json_integer(v->id), err);
    }
    for (size_t i = 0; running && sleeping && i < m->node_count; i++) {
        json_decref(running[i]);
        json_decref(sleeping[i]);
    }
    free(running);
    free(sleeping);
    if (rc == 0) {
        json_object_set(mapping, "onlineNodes", online);
        json_object_set(mapping, "offlineNodes", offline);
        json_object_set(mapping, "readyVMs", ready);
    }
    json_decref(online);
    json_decref(offline);
    json_decref(ready);
    if (rc != 0 || json_object_size(mapping) != 3) {
        json_decref(mapping);
        mvm_error_set(err, MVM_ERR_NOMEM, "out of memory while writing JSON");
        return NULL;
    }
    return mapping;
}

json_t *model_to_json(const struct mvm_model *m, struct mvm_error *err)
{
    json_t *o = json_object(), *attrs = json_object(), *nodes = json_object(), *vms = json_object(),
           *views = json_array();
    int rc = o && attrs && nodes && vms && views ? 0 : -1;
    char key[16];
    if (rc == 0)
        rc = json_set(o, "mapping", mapping_to_json(m, err), err);
    for (size_t i = 0; rc == 0 && i < m->node_count; i++)
        if (m->nodes[i].attrs.count > 0)
            rc = json_set(nodes, id_key(m->nodes[i].id, key, sizeof(key)),
                          attrs_to_json(&m->nodes[i].attrs, err), err);
    for (size_t i = 0; rc == 0 && i < m->vm_count; i++)
        if (m->vms[i].attrs.count > 0)
            rc = json_set(vms, id_key(m->vms[i].id, key, sizeof(key)),
                          attrs_to_json(&m->vms[i].attrs, err), err);
    for (size_t i = 0; rc == 0 && i < m->view_count; i++) {
        const struct mvm_view *view = &m->views[i];
        json_t *v = view->kind == MVM_VIEW_RESOURCE
                        ? resource_to_json(m, &m->resources[view->index], err)
                    : view->kind == MVM_VIEW_NET ? net_to_json(m->net, err)
                                                 : json_from_text(view->json, err);
        rc = json_push(views, v, err);
    }
    if (rc == 0) {
        json_object_set(attrs, "nodes", nodes);
        json_object_set(attrs, "vms", vms);
        rc = json_set(o, "attributes", attrs, err);
        attrs = NULL;
        if (rc == 0)
            rc = json_set(o, "views", views, err);
        views = NULL;
    }
    json_decref(attrs);
    json_decref(nodes);
    json_decref(vms);
    json_decref(views);
    if (rc != 0) {
        json_decref(o);
        if (err != NULL && err->code == MVM_OK)
            mvm_error_set(err, MVM_ERR_NOMEM, "out of memory while writing JSON");
        return NULL;
    }
    return o;
}
