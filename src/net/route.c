/*
 * Routing: which network resources a migration from one node to another occupies
 * (REFERENCE section 4). Default routing is a breadth-first search over the switch
 * graph only (nodes are endpoints, never transit), through the CSR adjacency that
 * mvm_net_finalize builds, so the scheduler can ask for a path per migration
 * without allocating: the search's scratch space lives in the caller's path
 * storage, after the resources. Static routing looks the given route up by binary
 * search over the routes sorted by (source, destination).
 */
#include "mvm/net.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mvm/model.h"
#include "util/array.h"

/* What a route walk stands on between two links. */
struct position {
    enum mvm_net_end type;
    size_t index;
};

static int32_t position_id(const struct mvm_net *net, struct position at)
{
    return at.type == MVM_NET_END_NODE ? net->node_ids[at.index] : net->switches[at.index].id;
}

static const char *position_kind(struct position at)
{
    return at.type == MVM_NET_END_NODE ? "node" : "switch";
}

/*
 * Walks links from src_node, deriving the direction each is crossed in: a link is
 * crossed UP from its physical element to its switch and DOWN the other way. Only
 * the last link may reach a node, since nodes do not forward traffic.
 */
static int route_directions(const struct mvm_net *net, size_t src_node, size_t dst_node,
                            const size_t *links, size_t link_count, enum mvm_link_dir *dirs,
                            struct mvm_error *err)
{
    int32_t src_id = net->node_ids[src_node], dst_id = net->node_ids[dst_node];
    struct position at = {MVM_NET_END_NODE, src_node};
    for (size_t i = 0; i < link_count; i++) {
        if (links[i] >= net->link_count)
            return mvm_error_set(err, MVM_ERR_INVALID,
                                 "static route from node %" PRId32 " to node %" PRId32
                                 ": expected a link index below %zu, got %zu",
                                 src_id, dst_id, net->link_count, links[i]);
        const struct mvm_link *l = &net->links[links[i]];
        if (at.type == MVM_NET_END_NODE) {
            /* Only the first link starts at a node (the check below stops the others). */
            if (l->end_type != MVM_NET_END_NODE || l->end != at.index)
                return mvm_error_set(err, MVM_ERR_INVALID,
                                     "static route from node %" PRId32 " to node %" PRId32
                                     ": expected the first link to start at node %" PRId32
                                     ", got link %" PRId32,
                                     src_id, dst_id, src_id, l->id);
            dirs[i] = MVM_LINK_UP;
            at = (struct position){MVM_NET_END_SWITCH, l->sw};
        } else if (l->sw == at.index) {
            dirs[i] = MVM_LINK_DOWN;
            at = (struct position){l->end_type, l->end};
        } else if (l->end_type == MVM_NET_END_SWITCH && l->end == at.index) {
            dirs[i] = MVM_LINK_UP;
            at = (struct position){MVM_NET_END_SWITCH, l->sw};
        } else {
            return mvm_error_set(
                err, MVM_ERR_INVALID,
                "static route from node %" PRId32 " to node %" PRId32 ": expected link %" PRId32
                " to touch switch %" PRId32 ", reached by link %" PRId32 ", but it does not",
                src_id, dst_id, l->id, net->switches[at.index].id, net->links[links[i - 1]].id);
        }
        if (at.type == MVM_NET_END_NODE && i + 1 < link_count)
            return mvm_error_set(err, MVM_ERR_INVALID,
                                 "static route from node %" PRId32 " to node %" PRId32
                                 ": link %" PRId32 " reaches node %" PRId32
                                 " before the end of the route (nodes are not transit)",
                                 src_id, dst_id, l->id, net->node_ids[at.index]);
    }
    if (at.type != MVM_NET_END_NODE || at.index != dst_node)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "static route from node %" PRId32 " to node %" PRId32
                             ": expected to end at node %" PRId32 ", ends at %s %" PRId32,
                             src_id, dst_id, dst_id, position_kind(at), position_id(net, at));
    return 0;
}

int mvm_net_add_route(struct mvm_net *net, size_t src_node, size_t dst_node, const size_t *links,
                      size_t link_count, struct mvm_error *err)
{
    if (src_node >= net->node_count || dst_node >= net->node_count)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "static route: expected node indices below %zu, got %zu and %zu",
                             net->node_count, src_node, dst_node);
    int32_t src_id = net->node_ids[src_node], dst_id = net->node_ids[dst_node];
    if (src_node == dst_node)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "static route from node %" PRId32 " to node %" PRId32
                             ": expected two distinct nodes",
                             src_id, dst_id);
    if (link_count == 0)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "static route from node %" PRId32 " to node %" PRId32
                             ": expected at least one link, got none",
                             src_id, dst_id);
    if (MVM_ARRAY_RESERVE(net->routes, net->route_capacity_, net->route_count + 1, err) < 0)
        return -1;
    size_t *copy = mvm_calloc(link_count, sizeof(*copy), err);
    enum mvm_link_dir *dirs = mvm_calloc(link_count, sizeof(*dirs), err);
    if (copy == NULL || dirs == NULL ||
        route_directions(net, src_node, dst_node, links, link_count, dirs, err) < 0) {
        free(copy);
        free(dirs);
        return -1;
    }
    memcpy(copy, links, link_count * sizeof(*links));
    net->routes[net->route_count++] = (struct mvm_route){.src_node = src_node,
                                                         .dst_node = dst_node,
                                                         .links = copy,
                                                         .dirs = dirs,
                                                         .link_count = link_count};
    net->finalized_ = false;
    return 0;
}

/*
 * CSR indices from per-link keys: start[k]..start[k+1] delimits the links of key k,
 * in ascending link order. Counts are accumulated into start[k], turned into block
 * ends by csr_ends, then links are placed from the highest down so each block
 * comes out sorted and start ends up holding block beginnings, without a cursor
 * array.
 */
static void csr_ends(size_t *start, size_t key_count)
{
    size_t sum = 0;
    for (size_t k = 0; k < key_count; k++) {
        sum += start[k];
        start[k] = sum;
    }
    start[key_count] = sum;
}

static void csr_place(size_t *start, size_t *out, size_t key, size_t link)
{
    out[--start[key]] = link;
}

static int build_node_links(struct mvm_net *net, struct mvm_error *err)
{
    size_t n = net->node_count;
    net->node_link_start_ = mvm_calloc(n + 1, sizeof(size_t), err);
    if (net->node_link_start_ == NULL)
        return -1;
    for (size_t l = 0; l < net->link_count; l++)
        if (net->links[l].end_type == MVM_NET_END_NODE)
            net->node_link_start_[net->links[l].end]++;
    csr_ends(net->node_link_start_, n);
    net->node_links_ = mvm_calloc(net->node_link_start_[n], sizeof(size_t), err);
    if (net->node_links_ == NULL)
        return -1;
    for (size_t l = net->link_count; l-- > 0;)
        if (net->links[l].end_type == MVM_NET_END_NODE)
            csr_place(net->node_link_start_, net->node_links_, net->links[l].end, l);
    return 0;
}

/* Each switch-switch link appears in the adjacency of both its switches. */
static int build_switch_adjacency(struct mvm_net *net, struct mvm_error *err)
{
    size_t s = net->switch_count;
    net->adj_start_ = mvm_calloc(s + 1, sizeof(size_t), err);
    if (net->adj_start_ == NULL)
        return -1;
    for (size_t l = 0; l < net->link_count; l++) {
        if (net->links[l].end_type == MVM_NET_END_SWITCH) {
            net->adj_start_[net->links[l].sw]++;
            net->adj_start_[net->links[l].end]++;
        }
    }
    csr_ends(net->adj_start_, s);
    net->adj_link_ = mvm_calloc(net->adj_start_[s], sizeof(size_t), err);
    if (net->adj_link_ == NULL)
        return -1;
    for (size_t l = net->link_count; l-- > 0;) {
        if (net->links[l].end_type == MVM_NET_END_SWITCH) {
            csr_place(net->adj_start_, net->adj_link_, net->links[l].sw, l);
            csr_place(net->adj_start_, net->adj_link_, net->links[l].end, l);
        }
    }
    return 0;
}

struct route_key {
    size_t src, dst, index;
};

static int compare_route_keys(const void *pa, const void *pb)
{
    const struct route_key *a = pa, *b = pb;
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    if (a->dst != b->dst)
        return a->dst < b->dst ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* The routes keep the order they were given in (files are written back as read). */
static int build_route_order(struct mvm_net *net, struct mvm_error *err)
{
    size_t n = net->route_count;
    net->route_order_ = mvm_calloc(n, sizeof(size_t), err);
    struct route_key *keys = mvm_calloc(n, sizeof(*keys), err);
    if (net->route_order_ == NULL || keys == NULL) {
        free(keys);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        keys[i] = (struct route_key){net->routes[i].src_node, net->routes[i].dst_node, i};
    if (n > 1)
        qsort(keys, n, sizeof(*keys), compare_route_keys);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && keys[i].src == keys[i - 1].src && keys[i].dst == keys[i - 1].dst) {
            mvm_error_set(err, MVM_ERR_INVALID,
                          "static routes: expected one route from node %" PRId32 " to node %" PRId32
                          ", got two (routes %zu and %zu)",
                          net->node_ids[keys[i].src], net->node_ids[keys[i].dst], keys[i - 1].index,
                          keys[i].index);
            free(keys);
            return -1;
        }
        net->route_order_[i] = keys[i].index;
    }
    free(keys);
    return 0;
}

int mvm_net_finalize(struct mvm_net *net, struct mvm_error *err)
{
    net->finalized_ = false;
    free(net->adj_start_);
    free(net->adj_link_);
    free(net->node_link_start_);
    free(net->node_links_);
    free(net->route_order_);
    net->adj_start_ = net->adj_link_ = NULL;
    net->node_link_start_ = net->node_links_ = NULL;
    net->route_order_ = NULL;
    if (build_node_links(net, err) < 0 || build_switch_adjacency(net, err) < 0 ||
        build_route_order(net, err) < 0)
        return -1;
    net->finalized_ = true;
    return 0;
}

/* Appends a resource to the path and lowers its bandwidth to the resource's capacity. */
static void path_push(const struct mvm_net *net, struct mvm_path *out, size_t resource)
{
    out->resources[out->count++] = resource;
    int64_t cap = mvm_net_resource_capacity(net, resource);
    if (cap < out->max_bw_mbps)
        out->max_bw_mbps = cap;
}

/* Adds the switch's backplane to the path when it is a shared resource. */
static void path_push_switch(const struct mvm_net *net, struct mvm_path *out, size_t sw)
{
    if (mvm_switch_is_blocking(&net->switches[sw]))
        path_push(net, out, 2 * net->link_count + sw);
}

static const struct mvm_route *find_route(const struct mvm_net *net, size_t src, size_t dst)
{
    size_t lo = 0, hi = net->route_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct mvm_route *r = &net->routes[net->route_order_[mid]];
        if (r->src_node == src && r->dst_node == dst)
            return r;
        if (r->src_node < src || (r->src_node == src && r->dst_node < dst))
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int static_path(const struct mvm_net *net, size_t src, size_t dst, struct mvm_path *out,
                       struct mvm_error *err)
{
    const struct mvm_route *r = find_route(net, src, dst);
    if (r == NULL)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "no static route from node %" PRId32 " to node %" PRId32,
                             net->node_ids[src], net->node_ids[dst]);
    /* Each link is followed by at most one switch. */
    if (MVM_ARRAY_RESERVE(out->resources, out->capacity_, 2 * r->link_count, err) < 0)
        return -1;
    for (size_t i = 0; i < r->link_count; i++) {
        const struct mvm_link *l = &net->links[r->links[i]];
        path_push(net, out, mvm_net_link_resource(r->links[i], r->dirs[i]));
        if (r->dirs[i] == MVM_LINK_UP)
            path_push_switch(net, out, l->sw);
        else if (l->end_type == MVM_NET_END_SWITCH)
            path_push_switch(net, out, l->end);
    }
    return 0;
}

/* Lowers *best to d when switch v is where one of the destination's links arrives. */
static void note_target(const struct mvm_net *net, size_t dst, size_t v, size_t d, size_t *best)
{
    for (size_t k = net->node_link_start_[dst]; k < net->node_link_start_[dst + 1]; k++)
        if (net->links[net->node_links_[k]].sw == v && d < *best)
            *best = d;
}

/*
 * Multi-source BFS from the switches of the source's links (in link order), over
 * switch-switch links in link order, so among shortest paths the first found is
 * the one with the lowest link indices, source link first. The destination link
 * is the one reached in the fewest hops (ties: lowest index). The path is built
 * backwards from the destination through parent links, then reversed.
 */
static int default_path(const struct mvm_net *net, size_t src, size_t dst, struct mvm_path *out,
                        struct mvm_error *err)
{
    const size_t *nls = net->node_link_start_;
    if (nls[src] == nls[src + 1] || nls[dst] == nls[dst + 1])
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "path from node %" PRId32 " to node %" PRId32
                             ": expected node %" PRId32 " to have a network link, it has none",
                             net->node_ids[src], net->node_ids[dst],
                             net->node_ids[nls[src] == nls[src + 1] ? src : dst]);

    /* A path holds at most 2 node links, S-1 switch links and S switches; then scratch. */
    size_t s = net->switch_count, room = 2 * s + 2;
    if (MVM_ARRAY_RESERVE(out->resources, out->capacity_, room + 3 * s, err) < 0)
        return -1;
    size_t *parent = out->resources + room; /* link a switch was reached by, or MVM_NONE */
    size_t *dist = parent + s;              /* switch hops from the nearest source switch */
    size_t *queue = dist + s;
    for (size_t v = 0; v < s; v++)
        parent[v] = MVM_NONE;

    size_t head = 0, tail = 0, best = MVM_NONE;
    for (size_t k = nls[src]; k < nls[src + 1]; k++) {
        size_t la = net->node_links_[k], v = net->links[la].sw;
        if (parent[v] != MVM_NONE)
            continue;
        parent[v] = la;
        dist[v] = 0;
        queue[tail++] = v;
        note_target(net, dst, v, 0, &best);
    }
    /* Once a target is reached at distance best, nothing farther can beat it. */
    while (head < tail && dist[queue[head]] < best) {
        size_t u = queue[head++];
        for (size_t k = net->adj_start_[u]; k < net->adj_start_[u + 1]; k++) {
            size_t l = net->adj_link_[k];
            size_t w = net->links[l].sw == u ? net->links[l].end : net->links[l].sw;
            if (parent[w] != MVM_NONE)
                continue;
            parent[w] = l;
            dist[w] = dist[u] + 1;
            queue[tail++] = w;
            note_target(net, dst, w, dist[w], &best);
        }
    }

    size_t lb = MVM_NONE;
    for (size_t k = nls[dst]; k < nls[dst + 1]; k++) {
        size_t l = net->node_links_[k], v = net->links[l].sw;
        if (parent[v] != MVM_NONE && (lb == MVM_NONE || dist[v] < dist[net->links[lb].sw]))
            lb = l;
    }
    if (lb == MVM_NONE)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "no network path from node %" PRId32 " to node %" PRId32
                             ": their switches are not connected",
                             net->node_ids[src], net->node_ids[dst]);

    path_push(net, out, mvm_net_link_resource(lb, MVM_LINK_DOWN));
    for (size_t v = net->links[lb].sw;;) {
        path_push_switch(net, out, v);
        size_t l = parent[v];
        const struct mvm_link *link = &net->links[l];
        if (link->end_type == MVM_NET_END_NODE) {
            path_push(net, out, mvm_net_link_resource(l, MVM_LINK_UP));
            break;
        }
        /* Walking backwards: arriving at the link's switch means it was crossed UP. */
        if (link->sw == v) {
            path_push(net, out, mvm_net_link_resource(l, MVM_LINK_UP));
            v = link->end;
        } else {
            path_push(net, out, mvm_net_link_resource(l, MVM_LINK_DOWN));
            v = link->sw;
        }
    }
    for (size_t i = 0, j = out->count - 1; i < j; i++, j--) {
        size_t t = out->resources[i];
        out->resources[i] = out->resources[j];
        out->resources[j] = t;
    }
    return 0;
}

int mvm_net_path(const struct mvm_net *net, size_t src_node, size_t dst_node, struct mvm_path *out,
                 struct mvm_error *err)
{
    out->count = 0;
    out->max_bw_mbps = INT64_MAX;
    if (!net->finalized_)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "network not finalized: expected mvm_net_finalize after the last "
                             "switch, link or route was added");
    if (src_node >= net->node_count || dst_node >= net->node_count)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "path: expected node indices below %zu, got %zu and %zu",
                             net->node_count, src_node, dst_node);
    if (src_node == dst_node)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "path from node %" PRId32 " to itself: expected two distinct nodes",
                             net->node_ids[src_node]);
    int rc = net->routing == MVM_ROUTING_STATIC ? static_path(net, src_node, dst_node, out, err)
                                                : default_path(net, src_node, dst_node, out, err);
    if (rc < 0) {
        out->count = 0;
        out->max_bw_mbps = 0;
    }
    return rc;
}

void mvm_path_clear(struct mvm_path *path)
{
    free(path->resources);
    memset(path, 0, sizeof(*path));
}
