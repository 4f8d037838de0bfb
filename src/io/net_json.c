/*
 * The BtrPlace network view in JSON: `switches`, `links` (each joining a switch
 * to a node or switch `physicalElement`) and `routing` (`default`, or `static`
 * with explicit routes). Static route links are written as
 * {"link": id, "direction": "true"|"false"} (true: crossed from the physical
 * element up to the switch), the form BtrPlace's converter uses; on reading, the
 * direction is derived from the route's continuity, which is what it must be.
 */
#include <stdlib.h>
#include <string.h>

#include "io/codec.h"

static int read_switches(struct mvm_jctx *c, struct mvm_net *net, const json_t *list)
{
    if (!json_is_array(list))
        return jctx_expected(c, "an array of switches", list);
    for (size_t i = 0; i < json_array_size(list); i++) {
        size_t at = jctx_index(c, i);
        json_t *sw = json_array_get(list, i);
        static const char *const keys[] = {"id", "capacity", NULL};
        if (!json_is_object(sw))
            return jctx_expected(c, "a switch object {id, capacity}", sw);
        if (jctx_only_keys(c, sw, keys) < 0)
            return -1;
        int32_t id;
        int64_t cap;
        if (jctx_field_int32(c, sw, "id", true, &id) < 0 ||
            jctx_field_int64(c, sw, "capacity", true, &cap) < 0)
            return -1;
        if (mvm_net_add_switch(net, id, cap, c->err) == MVM_NONE)
            return jctx_here(c);
        jctx_pop(c, at);
    }
    return 0;
}

static int read_link(struct mvm_jctx *c, struct mvm_net *net, const struct mvm_model *m,
                     const json_t *link)
{
    static const char *const keys[] = {"id", "capacity", "switch", "physicalElement", NULL};
    if (!json_is_object(link))
        return jctx_expected(c, "a link object {id, capacity, switch, physicalElement}", link);
    if (jctx_only_keys(c, link, keys) < 0)
        return -1;
    int32_t id, sw_id, pe_id;
    int64_t cap;
    if (jctx_field_int32(c, link, "id", true, &id) < 0 ||
        jctx_field_int64(c, link, "capacity", true, &cap) < 0 ||
        jctx_field_int32(c, link, "switch", true, &sw_id) < 0)
        return -1;
    json_t *pe = jctx_member(c, link, "physicalElement", true, "{id, type: node|switch}");
    if (pe == NULL)
        return -1;
    size_t k = jctx_key(c, "capacity");
    if (cap <= 0)
        return jctx_expected(c, "a positive capacity in Mbit/s", json_object_get(link, "capacity"));
    jctx_pop(c, k);
    k = jctx_key(c, "switch");
    size_t sw = mvm_net_switch_index(net, sw_id);
    if (sw == MVM_NONE)
        return jctx_fail(c, "switch %d is not declared in switches", (int)sw_id);
    jctx_pop(c, k);

    k = jctx_key(c, "physicalElement");
    if (!json_is_object(pe))
        return jctx_expected(c, "an object {id, type: node|switch}", pe);
    static const char *const pe_keys[] = {"id", "type", NULL};
    if (jctx_only_keys(c, pe, pe_keys) < 0)
        return -1;
    const char *type;
    if (jctx_field_string(c, pe, "type", true, &type) < 0 ||
        jctx_field_int32(c, pe, "id", true, &pe_id) < 0)
        return -1;
    bool is_node = strcmp(type, "node") == 0;
    size_t k2 = jctx_key(c, "type");
    if (!is_node && strcmp(type, "switch") != 0)
        return jctx_expected(c, "\"node\" or \"switch\"", json_object_get(pe, "type"));
    jctx_pop(c, k2);
    k2 = jctx_key(c, "id");
    size_t end = is_node ? mvm_model_node_index(m, pe_id) : mvm_net_switch_index(net, pe_id);
    if (end == MVM_NONE)
        return jctx_fail(c, "%s %d is not %s", type, (int)pe_id,
                         is_node ? "in the model" : "declared in switches");
    jctx_pop(c, k2);
    jctx_pop(c, k);
    if (mvm_net_add_link(net, id, cap, sw, is_node ? MVM_NET_END_NODE : MVM_NET_END_SWITCH, end,
                         c->err) == MVM_NONE)
        return jctx_here(c);
    return 0;
}

static int read_route(struct mvm_jctx *c, struct mvm_net *net, const struct mvm_model *m,
                      const json_t *route)
{
    static const char *const keys[] = {"nodes_map", "links", NULL};
    if (!json_is_object(route))
        return jctx_expected(c, "a route object {nodes_map, links}", route);
    if (jctx_only_keys(c, route, keys) < 0)
        return -1;
    json_t *nm = jctx_member(c, route, "nodes_map", true, "{src, dst}");
    json_t *links = jctx_member(c, route, "links", true, "an array of links");
    if (nm == NULL || links == NULL)
        return -1;
    size_t src, dst;
    size_t k = jctx_key(c, "nodes_map");
    if (!json_is_object(nm))
        return jctx_expected(c, "an object {src, dst}", nm);
    if (jctx_node_ref(c, nm, "src", m, &src) < 0 || jctx_node_ref(c, nm, "dst", m, &dst) < 0)
        return -1;
    jctx_pop(c, k);
    k = jctx_key(c, "links");
    if (!json_is_array(links))
        return jctx_expected(c, "an array of links", links);
    size_t n = json_array_size(links);
    size_t *idx = malloc((n ? n : 1) * sizeof(*idx));
    if (idx == NULL)
        return mvm_error_set(c->err, MVM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        size_t at = jctx_index(c, i);
        json_t *l = json_array_get(links, i);
        /* {"link": id, "direction": ...} as BtrPlace writes, or a bare link id */
        json_t *lid = json_is_object(l) ? json_object_get(l, "link") : l;
        if (json_is_object(l))
            jctx_key(c, "link");
        int32_t id;
        if (jctx_int32(c, lid, &id) < 0) {
            free(idx);
            return -1;
        }
        idx[i] = mvm_net_link_index(net, id);
        if (idx[i] == MVM_NONE) {
            free(idx);
            return jctx_fail(c, "link %d is not declared in links", (int)id);
        }
        jctx_pop(c, at);
    }
    jctx_pop(c, k);
    int rc = mvm_net_add_route(net, src, dst, idx, n, c->err);
    free(idx);
    return rc < 0 ? jctx_here(c) : 0;
}

static int read_routing(struct mvm_jctx *c, struct mvm_net *net, const struct mvm_model *m,
                        const json_t *routing)
{
    if (!json_is_object(routing))
        return jctx_expected(c, "an object {type: default|static}", routing);
    const char *type;
    if (jctx_field_string(c, routing, "type", true, &type) < 0)
        return -1;
    size_t k = jctx_key(c, "type");
    if (strcmp(type, "default") == 0) {
        jctx_pop(c, k);
        static const char *const keys[] = {"type", NULL};
        net->routing = MVM_ROUTING_DEFAULT;
        return jctx_only_keys(c, routing, keys);
    }
    if (strcmp(type, "static") != 0)
        return jctx_expected(c, "\"default\" or \"static\"", json_object_get(routing, "type"));
    jctx_pop(c, k);
    static const char *const keys[] = {"type", "routes", NULL};
    if (jctx_only_keys(c, routing, keys) < 0)
        return -1;
    net->routing = MVM_ROUTING_STATIC;
    json_t *routes = jctx_member(c, routing, "routes", true, "an array of routes");
    if (routes == NULL)
        return -1;
    k = jctx_key(c, "routes");
    if (!json_is_array(routes))
        return jctx_expected(c, "an array of routes", routes);
    for (size_t i = 0; i < json_array_size(routes); i++) {
        size_t at = jctx_index(c, i);
        if (read_route(c, net, m, json_array_get(routes, i)) < 0)
            return -1;
        jctx_pop(c, at);
    }
    jctx_pop(c, k);
    return 0;
}

struct mvm_net *net_from_json(struct mvm_jctx *c, const json_t *view, const struct mvm_model *m)
{
    static const char *const keys[] = {"id", "routing", "switches", "links", NULL};
    if (jctx_only_keys(c, view, keys) < 0)
        return NULL;
    int32_t *ids = malloc((m->node_count ? m->node_count : 1) * sizeof(*ids));
    if (ids == NULL) {
        mvm_error_set(c->err, MVM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < m->node_count; i++)
        ids[i] = m->nodes[i].id;
    struct mvm_net *net = mvm_net_new(ids, m->node_count, c->err);
    free(ids);
    if (net == NULL)
        return NULL;
    json_t *switches = jctx_member(c, view, "switches", true, "an array of switches");
    json_t *links = jctx_member(c, view, "links", true, "an array of links");
    json_t *routing = json_object_get(view, "routing");
    if (switches == NULL || links == NULL)
        goto fail;
    size_t k = jctx_key(c, "switches");
    if (read_switches(c, net, switches) < 0)
        goto fail;
    jctx_pop(c, k);
    k = jctx_key(c, "links");
    if (!json_is_array(links)) {
        jctx_expected(c, "an array of links", links);
        goto fail;
    }
    for (size_t i = 0; i < json_array_size(links); i++) {
        size_t at = jctx_index(c, i);
        if (read_link(c, net, m, json_array_get(links, i)) < 0)
            goto fail;
        jctx_pop(c, at);
    }
    jctx_pop(c, k);
    k = jctx_key(c, "routing");
    if (routing != NULL && read_routing(c, net, m, routing) < 0)
        goto fail;
    if (mvm_net_finalize(net, c->err) < 0) {
        jctx_here(c);
        goto fail;
    }
    jctx_pop(c, k);
    return net;
fail:
    mvm_net_free(net);
    return NULL;
}

static json_t *routing_to_json(const struct mvm_net *net, struct mvm_error *err)
{
    json_t *r = json_object();
    if (r == NULL ||
        json_set(r, "type", json_string(net->routing == MVM_ROUTING_STATIC ? "static" : "default"),
                 err) < 0) {
        json_decref(r);
        return NULL;
    }
    if (net->routing != MVM_ROUTING_STATIC)
        return r;
    json_t *routes = json_array();
    int rc = json_set(r, "routes", routes, err);
    for (size_t i = 0; rc == 0 && i < net->route_count; i++) {
        const struct mvm_route *route = &net->routes[i];
        json_t *o = json_object(), *links = json_array();
        rc = json_push(routes, o, err);
        rc = rc ? rc
                : json_set(o, "nodes_map",
                           json_pack("{s:i,s:i}", "src", (int)net->node_ids[route->src_node], "dst",
                                     (int)net->node_ids[route->dst_node]),
                           err);
        rc = rc ? rc : json_set(o, "links", links, err);
        for (size_t l = 0; rc == 0 && l < route->link_count; l++)
            rc = json_push(links,
                           json_pack("{s:i,s:s}", "link", (int)net->links[route->links[l]].id,
                                     "direction", route->dirs[l] == MVM_LINK_UP ? "true" : "false"),
                           err);
    }
    if (rc != 0) {
        json_decref(r);
        return NULL;
    }
    return r;
}

json_t *net_to_json(const struct mvm_net *net, struct mvm_error *err)
{
    json_t *o = json_object(), *switches = json_array(), *links = json_array();
    int rc = o && switches && links ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < net->switch_count; i++)
        rc = json_push(switches,
                       json_pack("{s:i,s:I}", "id", (int)net->switches[i].id, "capacity",
                                 (json_int_t)net->switches[i].capacity_mbps),
                       err);
    for (size_t i = 0; rc == 0 && i < net->link_count; i++) {
        const struct mvm_link *l = &net->links[i];
        bool node = l->end_type == MVM_NET_END_NODE;
        int32_t end_id = node ? net->node_ids[l->end] : net->switches[l->end].id;
        rc = json_push(links,
                       json_pack("{s:i,s:I,s:i,s:{s:i,s:s}}", "id", (int)l->id, "capacity",
                                 (json_int_t)l->capacity_mbps, "switch",
                                 (int)net->switches[l->sw].id, "physicalElement", "id", (int)end_id,
                                 "type", node ? "node" : "switch"),
                       err);
    }
    if (rc == 0)
        rc = json_set(o, "id", json_string("net"), err);
    if (rc == 0)
        rc = json_set(o, "routing", routing_to_json(net, err), err);
    if (rc == 0) {
        rc = json_set(o, "switches", switches, err);
        switches = NULL;
        rc = rc ? rc : json_set(o, "links", links, err);
        links = NULL;
    }
    json_decref(switches);
    json_decref(links);
    if (rc != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}
