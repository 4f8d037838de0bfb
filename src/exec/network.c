/*
 * Which network a plan runs on (see mvm/exec.h): the same choice the verifier
 * makes (origin's view, else the instance's, else the assumed default), so that
 * what is simulated or executed is what was verified. A network's node indices
 * are those of the model holding it; a view borrowed from an instance whose nodes
 * differ from the origin's is rebuilt with the origin's indices, matching nodes
 * by id as the verifier does.
 */
#include "mvm/exec.h"

#include <stdlib.h>

#include "util/array.h"

/* True when both models have the same node ids at the same indices. */
static bool same_nodes(const struct mvm_model *a, const struct mvm_model *b)
{
    if (a->node_count != b->node_count)
        return false;
    for (size_t i = 0; i < a->node_count; i++)
        if (a->nodes[i].id != b->nodes[i].id)
            return false;
    return true;
}

static int32_t *node_ids(const struct mvm_model *m, struct mvm_error *err)
{
    int32_t *ids = mvm_calloc(m->node_count, sizeof(*ids), err);
    for (size_t i = 0; ids != NULL && i < m->node_count; i++)
        ids[i] = m->nodes[i].id;
    return ids;
}

/* Adds the static routes of src to dst, with nodes and links translated. */
static int copy_routes(const struct mvm_net *src, struct mvm_net *dst, const size_t *node_map,
                       const size_t *link_map, struct mvm_error *err)
{
    size_t longest = 0;
    for (size_t r = 0; r < src->route_count; r++)
        longest = src->routes[r].link_count > longest ? src->routes[r].link_count : longest;
    size_t *links = mvm_calloc(longest, sizeof(*links), err);
    if (links == NULL)
        return -1;
    int rc = 0;
    for (size_t r = 0; r < src->route_count && rc == 0; r++) {
        const struct mvm_route *route = &src->routes[r];
        size_t s = node_map[route->src_node], t = node_map[route->dst_node];
        bool kept = s != MVM_NONE && t != MVM_NONE;
        for (size_t k = 0; kept && k < route->link_count; k++) {
            links[k] = link_map[route->links[k]];
            kept = links[k] != MVM_NONE;
        }
        if (kept)
            rc = mvm_net_add_route(dst, s, t, links, route->link_count, err);
    }
    free(links);
    return rc;
}

/*
 * A copy of holder's network with the origin's node indices; node_map[i] is the
 * origin index of the holder's node i (MVM_NONE when the origin lacks it).
 */
static struct mvm_net *reindexed(const struct mvm_model *holder, const struct mvm_model *origin,
                                 struct mvm_error *err)
{
    const struct mvm_net *src = holder->net;
    int32_t *ids = node_ids(origin, err);
    struct mvm_net *net = ids != NULL ? mvm_net_new(ids, origin->node_count, err) : NULL;
    free(ids);
    size_t *node_map = mvm_calloc(holder->node_count, sizeof(*node_map), err);
    size_t *link_map = mvm_calloc(src->link_count, sizeof(*link_map), err);
    int rc = net != NULL && node_map != NULL && link_map != NULL ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < holder->node_count; i++)
        node_map[i] = mvm_model_node_index(origin, holder->nodes[i].id);
    for (size_t s = 0; rc == 0 && s < src->switch_count; s++)
        if (mvm_net_add_switch(net, src->switches[s].id, src->switches[s].capacity_mbps, err) ==
            MVM_NONE)
            rc = -1;
    for (size_t l = 0; rc == 0 && l < src->link_count; l++) {
        const struct mvm_link *link = &src->links[l];
        size_t end = link->end_type == MVM_NET_END_NODE ? node_map[link->end] : link->end;
        link_map[l] = MVM_NONE;
        if (end == MVM_NONE)
            continue; /* a node the origin lacks: no migration of the plan can use it */
        link_map[l] = mvm_net_add_link(net, link->id, link->capacity_mbps, link->sw, link->end_type,
                                       end, err);
        rc = link_map[l] == MVM_NONE ? -1 : 0;
    }
    if (rc == 0) {
        net->routing = src->routing;
        rc = copy_routes(src, net, node_map, link_map, err);
    }
    if (rc == 0)
        rc = mvm_net_finalize(net, err);
    free(node_map);
    free(link_map);
    if (rc < 0) {
        mvm_net_free(net);
        return NULL;
    }
    return net;
}

const struct mvm_net *mvm_plan_network(const struct mvm_plan *plan,
                                       const struct mvm_instance *instance, struct mvm_net **owned,
                                       struct mvm_error *err)
{
    const struct mvm_model *o = plan->origin;
    const struct mvm_model *im = instance != NULL ? instance->model : NULL;
    *owned = NULL;
    if (o->net != NULL)
        return o->net;
    if (im != NULL && im->net != NULL) {
        if (same_nodes(o, im))
            return im->net;
        *owned = reindexed(im, o, err);
        return *owned;
    }
    int32_t *ids = node_ids(o, err);
    if (ids == NULL)
        return NULL;
    *owned = mvm_net_new_default(ids, o->node_count, MVM_NET_DEFAULT_LINK_MBPS, err);
    free(ids);
    return *owned;
}

bool mvm_plan_net_unmanaged(const struct mvm_plan *plan, const struct mvm_instance *instance)
{
    if (plan->origin->net != NULL ||
        (instance != NULL && instance->model != NULL && instance->model->net != NULL))
        return false;
    for (size_t i = 0; i < plan->action_count; i++) {
        const struct mvm_action *a = &plan->actions[i];
        if (a->kind == MVM_ACTION_MIGRATE_VM && a->bw_mbps != MVM_NET_UNLIMITED)
            return false;
    }
    return true;
}
