/*
 * The datacenter model (see mvm/model.h): dense arrays of nodes and VMs with id
 * lookups, shareable resources sized to match, and the list of views in file
 * order so unknown views are written back where they were.
 */
#include "mvm/model.h"

#include <stdlib.h>
#include <string.h>

#include "mvm/net.h"
#include "util/array.h"
#include "util/idmap.h"

struct mvm_model *mvm_model_new(struct mvm_error *err)
{
    struct mvm_model *m = mvm_calloc(1, sizeof(*m), err);
    if (m == NULL)
        return NULL;
    m->node_ids_ = mvm_idmap_new(err);
    m->vm_ids_ = mvm_idmap_new(err);
    if (m->node_ids_ == NULL || m->vm_ids_ == NULL) {
        mvm_model_free(m);
        return NULL;
    }
    return m;
}

static void resource_free(struct mvm_resource *r)
{
    free(r->rc_id);
    free(r->node_capacity);
    free(r->node_given);
    free(r->vm_consumption);
    free(r->vm_given);
}

void mvm_model_free(struct mvm_model *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->node_count; i++)
        mvm_attrs_clear(&m->nodes[i].attrs);
    for (size_t i = 0; i < m->vm_count; i++)
        mvm_attrs_clear(&m->vms[i].attrs);
    for (size_t i = 0; i < m->resource_count; i++)
        resource_free(&m->resources[i]);
    for (size_t i = 0; i < m->view_count; i++)
        free(m->views[i].json);
    free(m->nodes);
    free(m->vms);
    free(m->resources);
    free(m->views);
    mvm_net_free(m->net);
    mvm_idmap_free(m->node_ids_);
    mvm_idmap_free(m->vm_ids_);
    free(m);
}

/* Grows an int64/bool pair of per-element arrays from old_cap to new_cap entries. */
static int grow_values(int64_t **values, bool **given, size_t old_cap, size_t new_cap, int64_t fill,
                       struct mvm_error *err)
{
    if (new_cap <= old_cap)
        return 0;
    int64_t *v = realloc(*values, new_cap * sizeof(*v));
    if (v == NULL)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    *values = v;
    bool *g = realloc(*given, new_cap * sizeof(*g));
    if (g == NULL)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    *given = g;
    for (size_t i = old_cap; i < new_cap; i++) {
        v[i] = fill;
        g[i] = false;
    }
    return 0;
}

/* Keeps every resource's per-node and per-VM arrays as large as the model's. */
static int sync_resources(struct mvm_model *m, size_t old_node_cap, size_t old_vm_cap,
                          struct mvm_error *err)
{
    for (size_t i = 0; i < m->resource_count; i++) {
        struct mvm_resource *r = &m->resources[i];
        if (m->node_capacity_ != old_node_cap &&
            grow_values(&r->node_capacity, &r->node_given, old_node_cap, m->node_capacity_,
                        r->def_capacity, err) < 0)
            return -1;
        if (m->vm_capacity_ != old_vm_cap &&
            grow_values(&r->vm_consumption, &r->vm_given, old_vm_cap, m->vm_capacity_,
                        r->def_consumption, err) < 0)
            return -1;
    }
    return 0;
}

size_t mvm_model_add_node(struct mvm_model *m, int32_t id, enum mvm_node_state state,
                          struct mvm_error *err)
{
    if (mvm_idmap_get(m->node_ids_, id) != SIZE_MAX) {
        mvm_error_set(err, MVM_ERR_INVALID, "node %d is declared twice", (int)id);
        return MVM_NONE;
    }
    size_t old_cap = m->node_capacity_;
    if (MVM_ARRAY_RESERVE(m->nodes, m->node_capacity_, m->node_count + 1, err) < 0 ||
        sync_resources(m, old_cap, m->vm_capacity_, err) < 0 ||
        mvm_idmap_put(m->node_ids_, id, m->node_count, err) < 0)
        return MVM_NONE;
    struct mvm_node *n = &m->nodes[m->node_count];
    memset(n, 0, sizeof(*n));
    n->id = id;
    n->state = state;
    return m->node_count++;
}

size_t mvm_model_add_vm(struct mvm_model *m, int32_t id, enum mvm_vm_state state, size_t host,
                        struct mvm_error *err)
{
    if (mvm_idmap_get(m->vm_ids_, id) != SIZE_MAX) {
        mvm_error_set(err, MVM_ERR_INVALID, "vm %d is placed twice", (int)id);
        return MVM_NONE;
    }
    if (state == MVM_VM_READY ? host != MVM_NONE : host >= m->node_count) {
        mvm_error_set(err, MVM_ERR_INVALID, "vm %d: %s", (int)id,
                      state == MVM_VM_READY ? "a ready VM has no host" : "host node unknown");
        return MVM_NONE;
    }
    if (host != MVM_NONE && m->nodes[host].state != MVM_NODE_ONLINE) {
        mvm_error_set(err, MVM_ERR_INVALID, "vm %d: host node %d is offline", (int)id,
                      (int)m->nodes[host].id);
        return MVM_NONE;
    }
    size_t old_cap = m->vm_capacity_;
    if (MVM_ARRAY_RESERVE(m->vms, m->vm_capacity_, m->vm_count + 1, err) < 0 ||
        sync_resources(m, m->node_capacity_, old_cap, err) < 0 ||
        mvm_idmap_put(m->vm_ids_, id, m->vm_count, err) < 0)
        return MVM_NONE;
    struct mvm_vm *v = &m->vms[m->vm_count];
    memset(v, 0, sizeof(*v));
    v->id = id;
    v->state = state;
    v->host = host;
    return m->vm_count++;
}

size_t mvm_model_node_index(const struct mvm_model *m, int32_t id)
{
    return mvm_idmap_get(m->node_ids_, id);
}

size_t mvm_model_vm_index(const struct mvm_model *m, int32_t id)
{
    return mvm_idmap_get(m->vm_ids_, id);
}

static int add_view(struct mvm_model *m, enum mvm_view_kind kind, size_t index, char *json,
                    struct mvm_error *err)
{
    if (MVM_ARRAY_RESERVE(m->views, m->view_capacity_, m->view_count + 1, err) < 0)
        return -1;
    m->views[m->view_count++] = (struct mvm_view){.kind = kind, .index = index, .json = json};
    return 0;
}

size_t mvm_model_add_resource(struct mvm_model *m, const char *rc_id, int64_t def_capacity,
                              int64_t def_consumption, struct mvm_error *err)
{
    if (mvm_model_resource(m, rc_id) != NULL) {
        mvm_error_set(err, MVM_ERR_INVALID, "resource %s is declared twice", rc_id);
        return MVM_NONE;
    }
    if (MVM_ARRAY_RESERVE(m->resources, m->resource_capacity_, m->resource_count + 1, err) < 0)
        return MVM_NONE;
    struct mvm_resource *r = &m->resources[m->resource_count];
    memset(r, 0, sizeof(*r));
    r->def_capacity = def_capacity;
    r->def_consumption = def_consumption;
    r->rc_id = mvm_strdup(rc_id, err);
    if (r->rc_id == NULL ||
        grow_values(&r->node_capacity, &r->node_given, 0, m->node_capacity_, def_capacity, err) <
            0 ||
        grow_values(&r->vm_consumption, &r->vm_given, 0, m->vm_capacity_, def_consumption, err) <
            0 ||
        add_view(m, MVM_VIEW_RESOURCE, m->resource_count, NULL, err) < 0) {
        resource_free(r);
        memset(r, 0, sizeof(*r));
        return MVM_NONE;
    }
    return m->resource_count++;
}

const struct mvm_resource *mvm_model_resource(const struct mvm_model *m, const char *rc_id)
{
    for (size_t i = 0; i < m->resource_count; i++)
        if (strcmp(m->resources[i].rc_id, rc_id) == 0)
            return &m->resources[i];
    return NULL;
}

int mvm_model_add_other_view(struct mvm_model *m, const char *json, struct mvm_error *err)
{
    char *copy = mvm_strdup(json, err);
    if (copy == NULL)
        return -1;
    if (add_view(m, MVM_VIEW_OTHER, 0, copy, err) < 0) {
        free(copy);
        return -1;
    }
    return 0;
}

int mvm_model_set_net(struct mvm_model *m, struct mvm_net *net, struct mvm_error *err)
{
    if (m->net != NULL) {
        mvm_net_free(net);
        return mvm_error_set(err, MVM_ERR_INVALID, "the model has two network views");
    }
    if (add_view(m, MVM_VIEW_NET, 0, NULL, err) < 0) {
        mvm_net_free(net);
        return -1;
    }
    m->net = net;
    return 0;
}

int mvm_model_replace_net(struct mvm_model *m, struct mvm_net *net, struct mvm_error *err)
{
    bool same_nodes = net->node_count == m->node_count;
    for (size_t i = 0; same_nodes && i < m->node_count; i++)
        same_nodes = net->node_ids[i] == m->nodes[i].id;
    if (!same_nodes) {
        mvm_net_free(net);
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "replacing the network: expected a network over the model's %zu "
                             "nodes, in order",
                             m->node_count);
    }
    bool has_view = false;
    for (size_t i = 0; i < m->view_count && !has_view; i++)
        has_view = m->views[i].kind == MVM_VIEW_NET;
    /* an implicit network has no view entry; the new one is a real view */
    if (!has_view && add_view(m, MVM_VIEW_NET, 0, NULL, err) < 0) {
        mvm_net_free(net);
        return -1;
    }
    mvm_net_free(m->net);
    m->net = net;
    return 0;
}

size_t mvm_model_count_vms(const struct mvm_model *m, enum mvm_vm_state state)
{
    size_t n = 0;
    for (size_t i = 0; i < m->vm_count; i++)
        n += m->vms[i].state == state;
    return n;
}

size_t mvm_model_count_nodes(const struct mvm_model *m, enum mvm_node_state state)
{
    size_t n = 0;
    for (size_t i = 0; i < m->node_count; i++)
        n += m->nodes[i].state == state;
    return n;
}

bool mvm_model_same_mapping(const struct mvm_model *a, const struct mvm_model *b)
{
    if (a->node_count != b->node_count || a->vm_count != b->vm_count)
        return false;
    for (size_t i = 0; i < a->node_count; i++) {
        size_t j = mvm_model_node_index(b, a->nodes[i].id);
        if (j == MVM_NONE || b->nodes[j].state != a->nodes[i].state)
            return false;
    }
    for (size_t i = 0; i < a->vm_count; i++) {
        const struct mvm_vm *va = &a->vms[i];
        size_t j = mvm_model_vm_index(b, va->id);
        if (j == MVM_NONE)
            return false;
        const struct mvm_vm *vb = &b->vms[j];
        if (vb->state != va->state || (va->host == MVM_NONE) != (vb->host == MVM_NONE))
            return false;
        if (va->host != MVM_NONE && a->nodes[va->host].id != b->nodes[vb->host].id)
            return false;
    }
    return true;
}

struct mvm_model *mvm_model_copy(const struct mvm_model *src, struct mvm_error *err)
{
    struct mvm_model *m = mvm_model_new(err);
    if (m == NULL)
        return NULL;
    for (size_t i = 0; i < src->node_count; i++) {
        if (mvm_model_add_node(m, src->nodes[i].id, src->nodes[i].state, err) == MVM_NONE ||
            mvm_attrs_copy(&m->nodes[i].attrs, &src->nodes[i].attrs, err) < 0)
            goto fail;
    }
    for (size_t i = 0; i < src->vm_count; i++) {
        const struct mvm_vm *v = &src->vms[i];
        if (mvm_model_add_vm(m, v->id, v->state, v->host, err) == MVM_NONE ||
            mvm_attrs_copy(&m->vms[i].attrs, &v->attrs, err) < 0)
            goto fail;
    }
    for (size_t i = 0; i < src->view_count; i++) {
        const struct mvm_view *view = &src->views[i];
        if (view->kind == MVM_VIEW_OTHER) {
            if (mvm_model_add_other_view(m, view->json, err) < 0)
                goto fail;
        } else if (view->kind == MVM_VIEW_NET) {
            struct mvm_net *net = mvm_net_copy(src->net, err);
            if (net == NULL || mvm_model_set_net(m, net, err) < 0)
                goto fail;
        } else {
            const struct mvm_resource *r = &src->resources[view->index];
            size_t k =
                mvm_model_add_resource(m, r->rc_id, r->def_capacity, r->def_consumption, err);
            if (k == MVM_NONE)
                goto fail;
            /* add_resource sized the arrays for every node and VM already added */
            struct mvm_resource *d = &m->resources[k];
            if (m->node_count > 0) {
                memcpy(d->node_capacity, r->node_capacity, m->node_count * sizeof(int64_t));
                memcpy(d->node_given, r->node_given, m->node_count * sizeof(bool));
            }
            if (m->vm_count > 0) {
                memcpy(d->vm_consumption, r->vm_consumption, m->vm_count * sizeof(int64_t));
                memcpy(d->vm_given, r->vm_given, m->vm_count * sizeof(bool));
            }
        }
    }
    if (src->net != NULL && m->net == NULL) {
        /* an implicit network has no view entry */
        m->net = mvm_net_copy(src->net, err);
        if (m->net == NULL)
            goto fail;
    }
    return m;
fail:
    mvm_model_free(m);
    return NULL;
}
