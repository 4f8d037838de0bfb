/*
 * The network: switches, full-duplex links, routing, and what a migration
 * occupies on its way (REFERENCE section 4).
 *
 * A link joins a "physical element" (a node or a switch) to a switch. Each
 * direction of a link is its own resource: UP goes from the physical element to
 * the switch, DOWN from the switch to the physical element. A switch with a
 * positive capacity (below 2147483647) is blocking: its backplane is one more
 * resource shared by both directions, and it caps the paths through it. Network
 * resources are numbered 0..mvm_net_resource_count()-1: link l UP is 2l, link l
 * DOWN is 2l+1, switch s is 2*link_count+s.
 */
#ifndef MVM_NET_H
#define MVM_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/error.h"

struct mvm_idmap;

/* Capacity BtrPlace writes for "unlimited" (it stores -1 as this value). */
#define MVM_NET_UNLIMITED INT64_C(2147483647)

/* Capacity of the links of the network assumed when a model has none (1 Gbit/s). */
#define MVM_NET_DEFAULT_LINK_MBPS INT64_C(1000)

enum mvm_routing { MVM_ROUTING_DEFAULT, MVM_ROUTING_STATIC };
enum mvm_net_end { MVM_NET_END_NODE, MVM_NET_END_SWITCH };
enum mvm_link_dir { MVM_LINK_UP = 0, MVM_LINK_DOWN = 1 };

struct mvm_switch {
    int32_t id;
    int64_t capacity_mbps; /* <= 0 or >= MVM_NET_UNLIMITED: non-blocking; kept as read */
};

struct mvm_link {
    int32_t id;
    int64_t capacity_mbps;
    size_t sw;                 /* switch index */
    enum mvm_net_end end_type; /* what the physical element is */
    size_t end;                /* node index or switch index */
};

/* A static route from one node to another, as a sequence of link indices. */
struct mvm_route {
    size_t src_node;
    size_t dst_node;
    size_t *links;
    enum mvm_link_dir *dirs; /* direction each link is crossed in, derived from continuity */
    size_t link_count;
};

struct mvm_net {
    struct mvm_switch *switches;
    size_t switch_count;
    struct mvm_link *links;
    size_t link_count;
    enum mvm_routing routing;
    struct mvm_route *routes;
    size_t route_count;
    size_t node_count;
    int32_t *node_ids; /* [node_count], the model's node ids, for messages */
    bool implicit;     /* the network assumed when the model has none; never written out */

    /* private */
    size_t switch_capacity_, link_capacity_, route_capacity_;
    struct mvm_idmap *switch_ids_, *link_ids_;
    bool finalized_;
    size_t *adj_start_, *adj_link_;         /* switch adjacency through switch-switch links (CSR) */
    size_t *node_link_start_, *node_links_; /* links of each node (CSR) */
    size_t *route_order_;                   /* route indices sorted by (src, dst) */
};

/* The path a migration takes and the network resources it occupies. */
struct mvm_path {
    size_t *resources; /* network resource numbers, in path order */
    size_t count;
    int64_t max_bw_mbps; /* minimum capacity along the path */
    size_t capacity_;    /* private */
};

/*
 * A new network for a model whose nodes have these ids (copied; index i of the
 * array is node index i), or NULL. Free with mvm_net_free.
 */
struct mvm_net *mvm_net_new(const int32_t *node_ids, size_t node_count, struct mvm_error *err);

/*
 * The network assumed when none is given: one non-blocking switch (id 0) and one
 * link of link_mbps per node (link id = node index). Marked implicit. Finalized.
 */
struct mvm_net *mvm_net_new_default(const int32_t *node_ids, size_t node_count, int64_t link_mbps,
                                    struct mvm_error *err);

/* Frees net and everything it owns. Accepts NULL. */
void mvm_net_free(struct mvm_net *net);

/* Deep copy, or NULL. */
struct mvm_net *mvm_net_copy(const struct mvm_net *net, struct mvm_error *err);

/* Adds a switch; returns its index or MVM_NONE (duplicate id, memory). */
size_t mvm_net_add_switch(struct mvm_net *net, int32_t id, int64_t capacity_mbps,
                          struct mvm_error *err);

/*
 * Adds a link between switch index sw and a physical element (node or switch
 * index); returns its index or MVM_NONE (duplicate id, bad index, capacity <= 0,
 * a switch linked to itself).
 */
size_t mvm_net_add_link(struct mvm_net *net, int32_t id, int64_t capacity_mbps, size_t sw,
                        enum mvm_net_end end_type, size_t end, struct mvm_error *err);

/* Index of the switch (link) with this id, or MVM_NONE. */
size_t mvm_net_switch_index(const struct mvm_net *net, int32_t id);
size_t mvm_net_link_index(const struct mvm_net *net, int32_t id);

/*
 * Adds a static route (used when routing is MVM_ROUTING_STATIC). links holds link
 * indices from src_node to dst_node; they must form a continuous path, checked here.
 */
int mvm_net_add_route(struct mvm_net *net, size_t src_node, size_t dst_node, const size_t *links,
                      size_t link_count, struct mvm_error *err);

/*
 * Builds the routing structures. Must be called after the last add, before paths;
 * any add un-finalizes the network until it is called again.
 */
int mvm_net_finalize(struct mvm_net *net, struct mvm_error *err);

/* True when the switch's backplane is a shared resource. */
bool mvm_switch_is_blocking(const struct mvm_switch *sw);

/* Number of network resources (link directions and switches). */
size_t mvm_net_resource_count(const struct mvm_net *net);

/* Resource number of a link direction. */
size_t mvm_net_link_resource(size_t link, enum mvm_link_dir dir);

/* Capacity of a resource in Mbit/s (INT64_MAX for a non-blocking switch). */
int64_t mvm_net_resource_capacity(const struct mvm_net *net, size_t resource);

/*
 * Human-readable name of a resource, such as "link 5 (node 3 -> switch 0)" or
 * "switch 2", written into buf (returned).
 */
const char *mvm_net_resource_name(const struct mvm_net *net, size_t resource, char *buf,
                                  size_t size);

/*
 * The path from src_node to dst_node (node indices, distinct): default routing
 * takes a shortest path through the switch graph (ties: lowest link index first),
 * static routing takes the given route. Fills out (reusing its storage; release
 * with mvm_path_clear). Fails when no path exists.
 */
int mvm_net_path(const struct mvm_net *net, size_t src_node, size_t dst_node, struct mvm_path *out,
                 struct mvm_error *err);

/* Frees the storage of a path and leaves it empty. */
void mvm_path_clear(struct mvm_path *path);

#endif
