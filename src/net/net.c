/*
 * The network as data: switches and full-duplex links, how they are added and
 * checked, and the numbering of the resources a migration occupies (each link
 * direction, each blocking switch backplane; REFERENCE section 4). Routing, which
 * turns this data into paths, lives in route.c.
 */
#include "mvm/net.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvm/model.h"
#include "util/array.h"
#include "util/idmap.h"

struct mvm_net *mvm_net_new(const int32_t *node_ids, size_t node_count, struct mvm_error *err)
{
    struct mvm_net *net = mvm_calloc(1, sizeof(*net), err);
    if (net == NULL)
        return NULL;
    net->node_count = node_count;
    net->node_ids = mvm_calloc(node_count, sizeof(*net->node_ids), err);
    if (net->node_ids == NULL)
        goto fail;
    if (node_count > 0)
        memcpy(net->node_ids, node_ids, node_count * sizeof(*node_ids));
    net->switch_ids_ = mvm_idmap_new(err);
    if (net->switch_ids_ == NULL)
        goto fail;
    net->link_ids_ = mvm_idmap_new(err);
    if (net->link_ids_ == NULL)
        goto fail;
    return net;
fail:
    mvm_net_free(net);
    return NULL;
}

struct mvm_net *mvm_net_new_default(const int32_t *node_ids, size_t node_count, int64_t link_mbps,
                                    struct mvm_error *err)
{
    struct mvm_net *net = mvm_net_new(node_ids, node_count, err);
    if (net == NULL)
        return NULL;
    net->implicit = true;
    if (mvm_net_add_switch(net, 0, -1, err) == MVM_NONE)
        goto fail;
    for (size_t i = 0; i < node_count; i++) {
        if (i > (size_t)INT32_MAX) {
            mvm_error_set(err, MVM_ERR_INVALID,
                          "default network: expected at most %" PRId32 " nodes, got %zu", INT32_MAX,
                          node_count);
            goto fail;
        }
        if (mvm_net_add_link(net, (int32_t)i, link_mbps, 0, MVM_NET_END_NODE, i, err) == MVM_NONE)
            goto fail;
    }
    if (mvm_net_finalize(net, err) < 0)
        goto fail;
    return net;
fail:
    mvm_net_free(net);
    return NULL;
}

void mvm_net_free(struct mvm_net *net)
{
    if (net == NULL)
        return;
    for (size_t i = 0; i < net->route_count; i++) {
        free(net->routes[i].links);
        free(net->routes[i].dirs);
    }
    free(net->routes);
    free(net->switches);
    free(net->links);
    free(net->node_ids);
    mvm_idmap_free(net->switch_ids_);
    mvm_idmap_free(net->link_ids_);
    free(net->adj_start_);
    free(net->adj_link_);
    free(net->node_link_start_);
    free(net->node_links_);
    free(net->route_order_);
    free(net);
}

/*
 * Rebuilt through the public adders rather than memcpy'd, so the copy's id maps,
 * route directions and routing structures are derived exactly as the original's.
 */
struct mvm_net *mvm_net_copy(const struct mvm_net *net, struct mvm_error *err)
{
    struct mvm_net *copy = mvm_net_new(net->node_ids, net->node_count, err);
    if (copy == NULL)
        return NULL;
    copy->routing = net->routing;
    copy->implicit = net->implicit;
    for (size_t i = 0; i < net->switch_count; i++) {
        const struct mvm_switch *s = &net->switches[i];
        if (mvm_net_add_switch(copy, s->id, s->capacity_mbps, err) == MVM_NONE)
            goto fail;
    }
    for (size_t i = 0; i < net->link_count; i++) {
        const struct mvm_link *l = &net->links[i];
        if (mvm_net_add_link(copy, l->id, l->capacity_mbps, l->sw, l->end_type, l->end, err) ==
            MVM_NONE)
            goto fail;
    }
    for (size_t i = 0; i < net->route_count; i++) {
        const struct mvm_route *r = &net->routes[i];
        if (mvm_net_add_route(copy, r->src_node, r->dst_node, r->links, r->link_count, err) < 0)
            goto fail;
    }
    if (net->finalized_ && mvm_net_finalize(copy, err) < 0)
        goto fail;
    return copy;
fail:
    mvm_net_free(copy);
    return NULL;
}

size_t mvm_net_add_switch(struct mvm_net *net, int32_t id, int64_t capacity_mbps,
                          struct mvm_error *err)
{
    if (mvm_idmap_get(net->switch_ids_, id) != MVM_NONE) {
        mvm_error_set(err, MVM_ERR_INVALID, "switch %" PRId32 ": duplicate switch id", id);
        return MVM_NONE;
    }
    if (MVM_ARRAY_RESERVE(net->switches, net->switch_capacity_, net->switch_count + 1, err) < 0)
        return MVM_NONE;
    size_t index = net->switch_count;
    if (mvm_idmap_put(net->switch_ids_, id, index, err) < 0)
        return MVM_NONE;
    net->switches[index] = (struct mvm_switch){.id = id, .capacity_mbps = capacity_mbps};
    net->switch_count++;
    net->finalized_ = false;
    return index;
}

size_t mvm_net_add_link(struct mvm_net *net, int32_t id, int64_t capacity_mbps, size_t sw,
                        enum mvm_net_end end_type, size_t end, struct mvm_error *err)
{
    if (mvm_idmap_get(net->link_ids_, id) != MVM_NONE) {
        mvm_error_set(err, MVM_ERR_INVALID, "link %" PRId32 ": duplicate link id", id);
        return MVM_NONE;
    }
    if (capacity_mbps <= 0) {
        mvm_error_set(err, MVM_ERR_INVALID,
                      "link %" PRId32 ": capacity must be positive, got %" PRId64, id,
                      capacity_mbps);
        return MVM_NONE;
    }
    if (sw >= net->switch_count) {
        mvm_error_set(err, MVM_ERR_INVALID,
                      "link %" PRId32 ": expected a switch index below %zu, got %zu", id,
                      net->switch_count, sw);
        return MVM_NONE;
    }
    if (end_type == MVM_NET_END_NODE) {
        if (end >= net->node_count) {
            mvm_error_set(err, MVM_ERR_INVALID,
                          "link %" PRId32 ": expected a node index below %zu, got %zu", id,
                          net->node_count, end);
            return MVM_NONE;
        }
    } else if (end_type == MVM_NET_END_SWITCH) {
        if (end >= net->switch_count) {
            mvm_error_set(err, MVM_ERR_INVALID,
                          "link %" PRId32 ": expected a switch index below %zu, got %zu", id,
                          net->switch_count, end);
            return MVM_NONE;
        }
        if (end == sw) {
            mvm_error_set(err, MVM_ERR_INVALID,
                          "link %" PRId32 ": expected two distinct elements, got switch %" PRId32
                          " linked to itself",
                          id, net->switches[sw].id);
            return MVM_NONE;
        }
    } else {
        mvm_error_set(err, MVM_ERR_INVALID,
                      "link %" PRId32 ": expected a node or a switch as physical element, got "
                      "element type %d",
                      id, (int)end_type);
        return MVM_NONE;
    }
    if (MVM_ARRAY_RESERVE(net->links, net->link_capacity_, net->link_count + 1, err) < 0)
        return MVM_NONE;
    size_t index = net->link_count;
    if (mvm_idmap_put(net->link_ids_, id, index, err) < 0)
        return MVM_NONE;
    net->links[index] = (struct mvm_link){
        .id = id, .capacity_mbps = capacity_mbps, .sw = sw, .end_type = end_type, .end = end};
    net->link_count++;
    net->finalized_ = false;
    return index;
}

size_t mvm_net_switch_index(const struct mvm_net *net, int32_t id)
{
    return mvm_idmap_get(net->switch_ids_, id);
}

size_t mvm_net_link_index(const struct mvm_net *net, int32_t id)
{
    return mvm_idmap_get(net->link_ids_, id);
}

bool mvm_switch_is_blocking(const struct mvm_switch *sw)
{
    return sw->capacity_mbps > 0 && sw->capacity_mbps < MVM_NET_UNLIMITED;
}

size_t mvm_net_resource_count(const struct mvm_net *net)
{
    return 2 * net->link_count + net->switch_count;
}

size_t mvm_net_link_resource(size_t link, enum mvm_link_dir dir)
{
    return 2 * link + (size_t)dir;
}

/* Out-of-range resources have capacity 0: nothing fits on what does not exist. */
int64_t mvm_net_resource_capacity(const struct mvm_net *net, size_t resource)
{
    if (resource < 2 * net->link_count)
        return net->links[resource / 2].capacity_mbps;
    size_t s = resource - 2 * net->link_count;
    if (s >= net->switch_count)
        return 0;
    return mvm_switch_is_blocking(&net->switches[s]) ? net->switches[s].capacity_mbps : INT64_MAX;
}

const char *mvm_net_resource_name(const struct mvm_net *net, size_t resource, char *buf,
                                  size_t size)
{
    if (size == 0)
        return buf;
    if (resource < 2 * net->link_count) {
        const struct mvm_link *l = &net->links[resource / 2];
        const char *end_kind = l->end_type == MVM_NET_END_NODE ? "node" : "switch";
        int32_t end_id =
            l->end_type == MVM_NET_END_NODE ? net->node_ids[l->end] : net->switches[l->end].id;
        int32_t sw_id = net->switches[l->sw].id;
        if (resource % 2 == MVM_LINK_UP)
            snprintf(buf, size, "link %" PRId32 " (%s %" PRId32 " -> switch %" PRId32 ")", l->id,
                     end_kind, end_id, sw_id);
        else
            snprintf(buf, size, "link %" PRId32 " (switch %" PRId32 " -> %s %" PRId32 ")", l->id,
                     sw_id, end_kind, end_id);
        return buf;
    }
    size_t s = resource - 2 * net->link_count;
    if (s < net->switch_count)
        snprintf(buf, size, "switch %" PRId32, net->switches[s].id);
    else
        snprintf(buf, size, "resource %zu (out of range)", resource);
    return buf;
}
