/*
 * SimGrid's routing, recomputed: the links a communication between two points
 * of a platform crosses, as SimGrid 3.32 finds them. A route between points in
 * different zones goes through their lowest common zone: the route there between
 * the two sub-zones (a zoneRoute) gives gateways, and the route continues inside
 * each sub-zone from the source to its gateway and from the other gateway to the
 * destination. Inside a zone: Full zones look the declared route up (or the
 * reverse of a symmetrical one, directions swapped); Floyd and Dijkstra zones
 * take the path with the fewest links through the declared routes, joining
 * consecutive routes through a zone by the route between their gateways (SimGrid
 * 3.32's Dijkstra zones list the same links in another order, which changes
 * nothing: a route's links are a set of resources); Cluster
 * zones cross the source's private link up, the backbone, the destination's
 * private link down. Where SimGrid would choose between equally short paths by
 * its own internal order, we cannot know its choice and say so.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "io/platform.h"
#include "util/array.h"

/* An edge of a Floyd/Dijkstra zone: a declared route, forwards or reversed. */
struct edge {
    size_t route;
    size_t to; /* local index of the other end */
    bool reversed;
};

struct heap_item {
    uint64_t dist;
    size_t vertex;
};

/* Shortest paths of one graph zone from its last source (built on first use). */
struct zone_paths {
    bool built;
    size_t *adj_start; /* [members + 1] */
    struct edge *adj;
    size_t source; /* local index the arrays below are for, PF_NONE before the first search */
    uint64_t *dist;
    unsigned char *ways; /* number of shortest paths, saturated at 2 */
    size_t *pred;        /* adjacency entry reaching the vertex */
    struct heap_item *heap;
    size_t heap_capacity;
};

struct pf_router {
    const struct pf_platform *p;
    struct zone_paths *zones;
    int depth; /* nesting of route computations, bounded against cycles of gateways */
};

int pf_hops_push(struct pf_hops *h, struct pf_hop hop, struct mvm_error *err)
{
    if (MVM_ARRAY_RESERVE(h->items, h->capacity, h->count + 1, err) < 0)
        return -1;
    h->items[h->count++] = hop;
    return 0;
}

struct pf_router *pf_router_new(const struct pf_platform *p, struct mvm_error *err)
{
    struct pf_router *r = mvm_calloc(1, sizeof(*r), err);
    if (r == NULL)
        return NULL;
    r->p = p;
    r->zones = mvm_calloc(p->zone_count, sizeof(*r->zones), err);
    if (r->zones == NULL) {
        free(r);
        return NULL;
    }
    return r;
}

void pf_router_free(struct pf_router *r)
{
    if (r == NULL)
        return;
    for (size_t z = 0; z < r->p->zone_count; z++) {
        struct zone_paths *zp = &r->zones[z];
        free(zp->adj_start);
        free(zp->adj);
        free(zp->dist);
        free(zp->ways);
        free(zp->pred);
        free(zp->heap);
    }
    free(r->zones);
    free(r);
}

/* An error about zone z: fmt takes the zone's name, then the strings a, b and c. */
static int fail_zone(struct pf_router *r, size_t z, struct mvm_error *err, const char *fmt,
                     const char *a, const char *b, const char *c)
{
    const struct pf_platform *p = r->p;
    mvm_error_set(err, MVM_ERR_INVALID, fmt, p->points[p->zones[z].point].name, a, b, c);
    if (err != NULL) {
        err->line = p->zones[z].line;
        mvm_error_set_file(err, p->file);
    }
    return -1;
}

static int build_adjacency(struct pf_router *r, size_t z, struct mvm_error *err)
{
    const struct pf_platform *p = r->p;
    const struct pf_zone *zone = &p->zones[z];
    struct zone_paths *zp = &r->zones[z];
    size_t v = zone->member_count, e = 0;
    zp->adj_start = mvm_calloc(v + 1, sizeof(size_t), err);
    if (zp->adj_start == NULL)
        return -1;
    for (size_t i = 0; i < zone->route_count; i++) {
        const struct pf_route *rt = &p->routes[zone->routes[i]];
        zp->adj_start[p->points[rt->src].local]++;
        if (rt->symmetrical)
            zp->adj_start[p->points[rt->dst].local]++;
    }
    for (size_t i = 0; i < v; i++) {
        size_t n = zp->adj_start[i];
        zp->adj_start[i] = e;
        e += n;
    }
    zp->adj_start[v] = e;
    zp->adj = mvm_calloc(e, sizeof(*zp->adj), err);
    size_t *fill = mvm_calloc(v + 1, sizeof(size_t), err);
    zp->dist = mvm_calloc(v, sizeof(*zp->dist), err);
    zp->ways = mvm_calloc(v, sizeof(*zp->ways), err);
    zp->pred = mvm_calloc(v, sizeof(*zp->pred), err);
    zp->heap_capacity = e + 1;
    zp->heap = mvm_calloc(zp->heap_capacity, sizeof(*zp->heap), err);
    if (zp->adj == NULL || fill == NULL || zp->dist == NULL || zp->ways == NULL ||
        zp->pred == NULL || zp->heap == NULL) {
        free(fill);
        return -1;
    }
    memcpy(fill, zp->adj_start, (v + 1) * sizeof(size_t));
    for (size_t i = 0; i < zone->route_count; i++) {
        size_t ri = zone->routes[i];
        const struct pf_route *rt = &p->routes[ri];
        size_t s = p->points[rt->src].local, d = p->points[rt->dst].local;
        zp->adj[fill[s]++] = (struct edge){ri, d, false};
        if (rt->symmetrical)
            zp->adj[fill[d]++] = (struct edge){ri, s, true};
    }
    free(fill);
    zp->source = PF_NONE;
    zp->built = true;
    return 0;
}

static void heap_push(struct zone_paths *zp, size_t *n, struct heap_item item)
{
    size_t i = (*n)++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (zp->heap[parent].dist <= item.dist)
            break;
        zp->heap[i] = zp->heap[parent];
        i = parent;
    }
    zp->heap[i] = item;
}

static struct heap_item heap_pop(struct zone_paths *zp, size_t *n)
{
    struct heap_item top = zp->heap[0], last = zp->heap[--(*n)];
    size_t i = 0;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= *n)
            break;
        if (child + 1 < *n && zp->heap[child + 1].dist < zp->heap[child].dist)
            child++;
        if (zp->heap[child].dist >= last.dist)
            break;
        zp->heap[i] = zp->heap[child];
        i = child;
    }
    if (*n > 0)
        zp->heap[i] = last;
    return top;
}

/*
 * Dijkstra from source over the zone's routes, weighted by their number of links
 * (SimGrid's Floyd and Dijkstra zones both minimise that), counting shortest paths.
 */
static void shortest_paths(struct pf_router *r, size_t z, size_t source)
{
    const struct pf_platform *p = r->p;
    struct zone_paths *zp = &r->zones[z];
    size_t v = p->zones[z].member_count, n = 0;
    for (size_t i = 0; i < v; i++) {
        zp->dist[i] = UINT64_MAX;
        zp->ways[i] = 0;
        zp->pred[i] = PF_NONE;
    }
    zp->dist[source] = 0;
    zp->ways[source] = 1;
    heap_push(zp, &n, (struct heap_item){0, source});
    while (n > 0) {
        struct heap_item it = heap_pop(zp, &n);
        if (it.dist != zp->dist[it.vertex])
            continue; /* a stale entry: the vertex was reached shorter since */
        for (size_t k = zp->adj_start[it.vertex]; k < zp->adj_start[it.vertex + 1]; k++) {
            const struct edge *e = &zp->adj[k];
            uint64_t d = it.dist + p->routes[e->route].hop_count;
            if (d < zp->dist[e->to]) {
                zp->dist[e->to] = d;
                zp->ways[e->to] = zp->ways[it.vertex];
                zp->pred[e->to] = k;
                if (n < zp->heap_capacity)
                    heap_push(zp, &n, (struct heap_item){d, e->to});
            } else if (d == zp->dist[e->to]) {
                unsigned ways = (unsigned)zp->ways[e->to] + zp->ways[it.vertex];
                zp->ways[e->to] = (unsigned char)(ways > 2 ? 2 : ways);
            }
        }
    }
    zp->source = source;
}

/* The vertex the shortest path to v comes from (the start of the edge reaching it). */
static size_t pred_vertex(const struct pf_platform *p, const struct zone_paths *zp, size_t v)
{
    struct edge e = zp->adj[zp->pred[v]];
    const struct pf_route *rt = &p->routes[e.route];
    return p->points[e.reversed ? rt->dst : rt->src].local;
}

/* Appends the hops of route ri, reversed (directions swapped) when asked. */
static int emit_route(const struct pf_platform *p, size_t ri, bool reversed, struct pf_hops *out,
                      struct mvm_error *err)
{
    const struct pf_route *rt = &p->routes[ri];
    for (size_t k = 0; k < rt->hop_count; k++) {
        struct pf_hop h = p->hops[rt->hop_start + (reversed ? rt->hop_count - 1 - k : k)];
        if (reversed && h.directed)
            h.dir = h.dir == PF_DIR_UP ? PF_DIR_DOWN : PF_DIR_UP;
        if (pf_hops_push(out, h, err) < 0)
            return -1;
    }
    return 0;
}

static void edge_gateways(const struct pf_platform *p, struct edge e, size_t *gs, size_t *gd)
{
    const struct pf_route *rt = &p->routes[e.route];
    *gs = e.reversed ? rt->gw_dst : rt->gw_src;
    *gd = e.reversed ? rt->gw_src : rt->gw_dst;
}

/* What a zone's own routing gives between two of its points, before it is emitted. */
struct local_plan {
    enum { PLAN_EDGES, PLAN_CLUSTER } kind;
    struct edge *edges; /* PLAN_EDGES: the declared routes to follow, in order */
    size_t edge_count;
    size_t gw_src, gw_dst;
};

static int plan_local(struct pf_router *r, size_t z, size_t va, size_t vb, struct local_plan *plan,
                      struct mvm_error *err)
{
    const struct pf_platform *p = r->p;
    const struct pf_zone *zone = &p->zones[z];
    plan->edges = NULL;
    plan->edge_count = 0;
    plan->gw_src = va;
    plan->gw_dst = vb;
    switch (zone->routing) {
    case PF_ROUTING_NONE:
        return 1;
    case PF_ROUTING_CLUSTER:
        plan->kind = PLAN_CLUSTER;
        return 0;
    case PF_ROUTING_FULL: {
        struct edge e = {pf_route_find(p, va, vb), vb, false};
        if (e.route == PF_NONE) {
            e = (struct edge){pf_route_find(p, vb, va), vb, true};
            if (e.route == PF_NONE || !p->routes[e.route].symmetrical)
                return 1;
        }
        plan->kind = PLAN_EDGES;
        plan->edges = mvm_calloc(1, sizeof(*plan->edges), err);
        if (plan->edges == NULL)
            return -1;
        plan->edges[0] = e;
        plan->edge_count = 1;
        edge_gateways(p, e, &plan->gw_src, &plan->gw_dst);
        return 0;
    }
    case PF_ROUTING_FLOYD:
    case PF_ROUTING_DIJKSTRA:
        break;
    }
    struct zone_paths *zp = &r->zones[z];
    if (!zp->built && build_adjacency(r, z, err) < 0)
        return -1;
    size_t s = p->points[va].local, t = p->points[vb].local;
    if (zp->source != s)
        shortest_paths(r, z, s);
    if (zp->dist[t] == UINT64_MAX)
        return 1;
    if (zp->ways[t] > 1)
        return fail_zone(r, z, err,
                         "zone \"%s\": two shortest routes from \"%s\" to \"%s\": SimGrid's choice "
                         "between them cannot be predicted (declare the routes of this zone "
                         "explicitly, with routing=\"Full\")",
                         p->points[va].name, p->points[vb].name, "");
    size_t n = 0;
    for (size_t v = t; v != s; v = pred_vertex(p, zp, v))
        n++;
    plan->kind = PLAN_EDGES;
    plan->edges = mvm_calloc(n, sizeof(*plan->edges), err);
    if (plan->edges == NULL)
        return -1;
    plan->edge_count = n;
    for (size_t i = n, v = t; i-- > 0; v = pred_vertex(p, zp, v))
        plan->edges[i] = zp->adj[zp->pred[v]];
    for (size_t i = 0; i + 1 < n; i++) {
        const struct pf_point *via = &p->points[zone->members[plan->edges[i].to]];
        if (via->kind == PF_HOST) {
            free(plan->edges);
            plan->edges = NULL;
            return fail_zone(r, z, err,
                             "zone \"%s\": the route from \"%s\" to \"%s\" passes through host "
                             "\"%s\": our nodes do not forward traffic",
                             p->points[va].name, p->points[vb].name, via->name);
        }
    }
    size_t unused;
    edge_gateways(p, plan->edges[0], &plan->gw_src, &unused);
    edge_gateways(p, plan->edges[n - 1], &unused, &plan->gw_dst);
    return 0;
}

static int route_between(struct pf_router *r, size_t a, size_t b, struct pf_hops *out,
                         struct mvm_error *err);

static int emit_local(struct pf_router *r, size_t z, size_t va, size_t vb,
                      const struct local_plan *plan, struct pf_hops *out, struct mvm_error *err)
{
    const struct pf_platform *p = r->p;
    if (plan->kind == PLAN_CLUSTER) {
        const struct pf_point *src = &p->points[va], *dst = &p->points[vb];
        if (src->kind == PF_HOST && src->up.link != PF_NONE && pf_hops_push(out, src->up, err) < 0)
            return -1;
        size_t bb = p->zones[z].backbone;
        if (bb != PF_NONE && pf_hops_push(out, (struct pf_hop){bb, PF_DIR_NONE, false}, err) < 0)
            return -1;
        if (dst->kind == PF_HOST && dst->down.link != PF_NONE &&
            pf_hops_push(out, dst->down, err) < 0)
            return -1;
        return 0;
    }
    size_t prev_gd = PF_NONE;
    for (size_t i = 0; i < plan->edge_count; i++) {
        size_t gs, gd;
        edge_gateways(p, plan->edges[i], &gs, &gd);
        /* crossing a zone between two of its routes: its own route from gateway to gateway */
        if (i > 0 && prev_gd != gs) {
            int rc = route_between(r, prev_gd, gs, out, err);
            if (rc != 0)
                return rc;
        }
        if (emit_route(p, plan->edges[i].route, plan->edges[i].reversed, out, err) < 0)
            return -1;
        prev_gd = gd;
    }
    return 0;
}

static int route_between(struct pf_router *r, size_t a, size_t b, struct pf_hops *out,
                         struct mvm_error *err)
{
    const struct pf_platform *p = r->p;
    if (a == b)
        return 0;
    if (r->depth > 64) {
        mvm_error_set(err, MVM_ERR_INVALID,
                      "routes from \"%s\" to \"%s\" nest more than 64 deep: a cycle of gateways?",
                      p->points[a].name, p->points[b].name);
        mvm_error_set_file(err, p->file);
        return -1;
    }
    /* climb to the lowest common zone, remembering which of its points holds a and b */
    size_t za = p->points[a].zone, zb = p->points[b].zone, va = a, vb = b;
    while (p->zones[za].depth > p->zones[zb].depth) {
        va = p->zones[za].point;
        za = p->zones[za].parent;
    }
    while (p->zones[zb].depth > p->zones[za].depth) {
        vb = p->zones[zb].point;
        zb = p->zones[zb].parent;
    }
    while (za != zb) {
        va = p->zones[za].point;
        za = p->zones[za].parent;
        vb = p->zones[zb].point;
        zb = p->zones[zb].parent;
    }
    struct local_plan plan;
    int rc = plan_local(r, za, va, vb, &plan, err);
    r->depth++;
    if (rc == 0 && va != a)
        rc = route_between(r, a, plan.gw_src, out, err);
    if (rc == 0)
        rc = emit_local(r, za, va, vb, &plan, out, err);
    if (rc == 0 && vb != b)
        rc = route_between(r, plan.gw_dst, b, out, err);
    r->depth--;
    free(plan.edges);
    return rc;
}

int pf_route(struct pf_router *r, size_t a, size_t b, struct pf_hops *out, struct mvm_error *err)
{
    r->depth = 0;
    return route_between(r, a, b, out, err);
}
