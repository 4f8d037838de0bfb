/*
 * SimGrid platforms inside the library: what a platform file says once read
 * (zones, hosts, routers, links, routes, clusters), how SimGrid routes between
 * two of its hosts, and how that becomes our network (REFERENCE section 4).
 * platform_xml.c reads the XML into this representation, platform_route.c
 * computes SimGrid's route between two points the way SimGrid 3.32 does,
 * platform_net.c builds the mvm_net, platform_save.c writes a network back out.
 */
#ifndef MVM_IO_PLATFORM_H
#define MVM_IO_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/error.h"
#include "mvm/model.h"
#include "mvm/net.h"

/* No element (link, point, zone, route). */
#define PF_NONE SIZE_MAX

enum pf_policy { PF_SHARED, PF_SPLITDUPLEX, PF_FATPIPE };

/* How a route crosses a link: SPLITDUPLEX links have two directions, others none. */
enum pf_dir { PF_DIR_NONE, PF_DIR_UP, PF_DIR_DOWN };

enum pf_routing {
    PF_ROUTING_FULL,
    PF_ROUTING_FLOYD,
    PF_ROUTING_DIJKSTRA,
    PF_ROUTING_CLUSTER,
    PF_ROUTING_NONE
};

/* A netpoint: something a route starts or ends at. Zones are netpoints of their parent. */
enum pf_point_kind { PF_HOST, PF_ROUTER, PF_ZONE };

struct pf_link {
    char *name;
    int line;
    int64_t mbps; /* bandwidth in Mbit/s (rounded, at least 1, at most MVM_NET_UNLIMITED) */
    enum pf_policy policy;
};

/*
 * One link of a route, in the direction it is crossed. `directed`: the direction
 * came from a link_ctn direction attribute, so the reverse of a symmetrical
 * route crosses the link the other way; a link named "x_UP" without one stays
 * "x_UP" both ways, as in SimGrid.
 */
struct pf_hop {
    size_t link;
    enum pf_dir dir;
    bool directed;
};

struct pf_point {
    char *name;
    int line;
    enum pf_point_kind kind;
    size_t zone;  /* the zone holding it; PF_NONE for the root zone's own point */
    size_t inner; /* PF_ZONE: the zone it stands for */
    size_t local; /* its index among the points of its zone */
    bool has_node_id;
    int32_t node_id; /* the node_id property of a host */
    int node_id_line;
    struct pf_hop up, down; /* a cluster host's private link (link PF_NONE: none) */
};

/* A <route> or <zoneRoute>: hops[hop_start .. hop_start+hop_count) of the platform. */
struct pf_route {
    size_t src, dst;       /* points of the zone */
    size_t gw_src, gw_dst; /* hosts or routers; the endpoints themselves for a <route> */
    size_t hop_start, hop_count;
    bool symmetrical;
    int line;
};

struct pf_zone {
    size_t point;  /* its own netpoint */
    size_t parent; /* PF_NONE for the root */
    size_t depth;
    enum pf_routing routing;
    int line;
    size_t backbone; /* cluster: the backbone link or PF_NONE */
    size_t *members; /* points whose zone this is, by local index */
    size_t member_count, member_capacity_;
    size_t *routes; /* route indices declared in this zone */
    size_t route_count, route_capacity_;
};

/* String -> index map (open addressing); keys are owned copies. */
struct pf_names {
    char **keys;
    size_t *values;
    size_t capacity, count;
};

struct pf_platform {
    const char *file; /* for messages */
    struct pf_link *links;
    size_t link_count, link_capacity_;
    struct pf_point *points;
    size_t point_count, point_capacity_;
    struct pf_zone *zones;
    size_t zone_count, zone_capacity_;
    struct pf_route *routes;
    size_t route_count, route_capacity_;
    struct pf_hop *hops;
    size_t hop_count, hop_capacity_;
    struct pf_names point_names; /* hosts, routers and zones share one namespace */
    struct pf_names link_names;  /* declared link ids */
    struct pf_names hop_names;   /* names routes use: "x" or "x_UP"/"x_DOWN", value 2*link+dir */
    size_t *route_order;         /* route indices sorted by (src, dst), for Full zones */
};

/* A growable list of hops (a computed route). */
struct pf_hops {
    struct pf_hop *items;
    size_t count, capacity;
};

/* ---- platform_xml.c ---- */

/*
 * Reads a platform file into p (zeroed before; clear it with pf_platform_clear in
 * any case). p->file points to path, which must outlive p.
 */
int pf_platform_read(const char *path, struct pf_platform *p, struct mvm_error *err);

/* The same from text in memory; name stands for the file in messages. */
int pf_platform_parse(const char *text, size_t length, const char *name, struct pf_platform *p,
                      struct mvm_error *err);

/* Frees what p owns (not p). */
void pf_platform_clear(struct pf_platform *p);

/*
 * Bandwidth text as SimGrid reads it (a number, then bps or Bps with a decimal
 * prefix k M G T P E Z Y or a binary one Ki Mi ... Yi; no unit: bytes per second)
 * in bytes per second. -1 when it is not such a text.
 */
int pf_parse_bandwidth(const char *text, double *bytes_per_s);

/* Latency text (s, ms, us, ns, ps, m, h, d, w; no unit: seconds) in seconds, or -1. */
int pf_parse_latency(const char *text, double *seconds);

/* Bytes per second as our Mbit/s: rounded to the nearest, at least 1, at most unlimited. */
int64_t pf_mbps(double bytes_per_s);

/* The route declared from point src to point dst (not its reverse), or PF_NONE. */
size_t pf_route_find(const struct pf_platform *p, size_t src, size_t dst);

/* Name lookup; PF_NONE when absent. */
size_t pf_names_get(const struct pf_names *m, const char *key);

/* ---- platform_route.c ---- */

struct pf_router;

/* Route computation state over a read platform (caches per zone). NULL on memory. */
struct pf_router *pf_router_new(const struct pf_platform *p, struct mvm_error *err);
void pf_router_free(struct pf_router *r);

/*
 * Appends to out the hops SimGrid takes from point a to point b (hosts or
 * routers). Returns 0, 1 when SimGrid has no route between them, -1 on an error
 * (err set: a route SimGrid would choose among equals, or memory).
 */
int pf_route(struct pf_router *r, size_t a, size_t b, struct pf_hops *out, struct mvm_error *err);

/* Appends one hop. */
int pf_hops_push(struct pf_hops *h, struct pf_hop hop, struct mvm_error *err);

/* ---- platform_net.c ---- */

/* Builds our network for model's nodes from a read platform (finalized), or NULL. */
struct mvm_net *pf_build_net(const struct pf_platform *p, const struct mvm_model *model,
                             struct mvm_error *err);

#endif
