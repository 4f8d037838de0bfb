/*
 * From a SimGrid platform to our network: SimGrid knows routes (lists of links),
 * we know a graph (switches and full-duplex links) and routing. The graph is
 * recovered from the routes the platform declares: where one link of a route
 * ends the next begins, so consecutive links meet at one place (a union-find
 * over link ends, hosts and routers). A SPLITDUPLEX link becomes one of our
 * links (its _UP and _DOWN are our two directions); a SHARED link, whose one
 * capacity both directions share, becomes a blocking switch of that capacity
 * (joined to its neighbours by links of its own capacity, which can never be
 * the tighter constraint); a FATPIPE link, which limits each flow but shares
 * nothing, becomes a non-blocking switch, and each route through it is checked
 * not to need that per-flow limit. A place that is only ever next to one shared
 * link is merged into that link's switch. Every host pair's SimGrid route
 * (platform_route.c) is then mapped onto the graph: when all equal the paths of
 * default routing, routing is default, otherwise the routes become static
 * routes. What cannot be mapped (routes that do not form a graph, traffic
 * through a host, a binding FATPIPE) is an error, never an approximation.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/platform.h"
#include "util/array.h"

/* A place in a route, next to at most two shared or fatpipe links. */
struct occurrence {
    size_t element;
    size_t near[2]; /* shared/fatpipe links on either side, PF_NONE when not one */
};

/* An element (a place, or another shared link) joined to a shared/fatpipe link. */
struct attachment {
    size_t element;
    size_t link;
};

/* A link between two classes that exists only to reach a shared/fatpipe switch. */
struct half_link {
    size_t lo, hi; /* classes, lo < hi */
    size_t link;   /* our link index */
};

struct builder {
    const struct pf_platform *p;
    const struct mvm_model *model;
    struct mvm_error *err;
    size_t points, links, elements;
    size_t *uf;
    struct occurrence *occ;
    size_t occ_count, occ_capacity;
    struct attachment *att;
    size_t att_count, att_capacity;
    bool *used; /* per element: touched by a route */

    /* per class root (element index) */
    size_t *host;   /* the host in the class, PF_NONE */
    size_t *shared; /* the shared/fatpipe link whose switch the class is, PF_NONE */
    size_t *place;  /* switch index or node index in the net, PF_NONE when unused */
    bool *is_node;
    size_t *node_of_host; /* per point: model node index, PF_NONE */
    size_t *host_of_node; /* per model node: its host point */

    struct mvm_net *net;
    size_t *our_link;  /* per platform link: our link index (first half when split) */
    size_t *our_link2; /* per platform link: the second half of a split link, PF_NONE */
    struct half_link *halves;
    size_t half_count;
};

static size_t el_end(const struct builder *b, size_t link, enum pf_dir dir)
{
    return b->points + 2 * link + (dir == PF_DIR_DOWN ? 1 : 0);
}

/* The element standing for a shared or fatpipe link: its first end. */
static size_t el_shared(const struct builder *b, size_t link)
{
    return b->points + 2 * link;
}

static size_t find(struct builder *b, size_t e)
{
    while (b->uf[e] != e) {
        b->uf[e] = b->uf[b->uf[e]];
        e = b->uf[e];
    }
    return e;
}

static void unite(struct builder *b, size_t x, size_t y)
{
    x = find(b, x);
    y = find(b, y);
    if (x != y)
        b->uf[x > y ? x : y] = x < y ? x : y; /* the lower index stays the root */
}

static bool is_shared_kind(const struct pf_platform *p, size_t link)
{
    return p->links[link].policy != PF_SPLITDUPLEX;
}

static int record(struct builder *b, size_t element, size_t left, size_t right)
{
    if (MVM_ARRAY_RESERVE(b->occ, b->occ_capacity, b->occ_count + 1, b->err) < 0)
        return -1;
    b->occ[b->occ_count++] = (struct occurrence){element, {left, right}};
    return 0;
}

static int attach(struct builder *b, size_t element, size_t link)
{
    if (MVM_ARRAY_RESERVE(b->att, b->att_capacity, b->att_count + 1, b->err) < 0)
        return -1;
    b->att[b->att_count++] = (struct attachment){element, link};
    b->used[element] = true;
    return 0;
}

/*
 * Follows a declared route from element start (PF_NONE: none) to element end:
 * consecutive SPLITDUPLEX links meet at one place; a shared link is attached to
 * the places on either side of it.
 */
static int walk(struct builder *b, size_t start, const struct pf_hop *hops, size_t count,
                size_t end)
{
    size_t cur = start, left = PF_NONE;
    if (start != PF_NONE)
        b->used[start] = true;
    for (size_t i = 0; i < count; i++) {
        size_t l = hops[i].link;
        if (is_shared_kind(b->p, l)) {
            b->used[el_shared(b, l)] = true;
            if (left != PF_NONE) {
                if (attach(b, el_shared(b, left), l) < 0)
                    return -1;
            } else if (cur != PF_NONE) {
                if (record(b, cur, PF_NONE, l) < 0 || attach(b, cur, l) < 0)
                    return -1;
            }
            cur = PF_NONE;
            left = l;
            continue;
        }
        enum pf_dir dir = hops[i].dir;
        size_t entry = el_end(b, l, dir),
               exit = el_end(b, l, dir == PF_DIR_UP ? PF_DIR_DOWN : PF_DIR_UP);
        b->used[entry] = b->used[exit] = true;
        if (cur != PF_NONE)
            unite(b, cur, entry);
        if (record(b, entry, left, PF_NONE) < 0)
            return -1;
        if (left != PF_NONE && attach(b, entry, left) < 0)
            return -1;
        cur = exit;
        left = PF_NONE;
    }
    if (end == PF_NONE)
        return 0;
    b->used[end] = true;
    if (left != PF_NONE)
        return record(b, end, left, PF_NONE) < 0 || attach(b, end, left) < 0 ? -1 : 0;
    if (cur != PF_NONE)
        unite(b, cur, end);
    return record(b, end, PF_NONE, PF_NONE);
}

/* Every declared route, and each cluster host's way to and from its router. */
static int walk_platform(struct builder *b)
{
    const struct pf_platform *p = b->p;
    for (size_t z = 0; z < p->zone_count; z++) {
        const struct pf_zone *zone = &p->zones[z];
        if (zone->routing != PF_ROUTING_CLUSTER) {
            for (size_t i = 0; i < zone->route_count; i++) {
                const struct pf_route *r = &p->routes[zone->routes[i]];
                if (walk(b, r->gw_src, p->hops + r->hop_start, r->hop_count, r->gw_dst) < 0)
                    return -1;
            }
            continue;
        }
        /* the router, or a place of its own standing for it */
        size_t center = b->points + 2 * b->links + z;
        for (size_t i = 0; i < zone->member_count; i++)
            if (p->points[zone->members[i]].kind == PF_ROUTER) {
                center = zone->members[i];
                break;
            }
        for (size_t i = 0; i < zone->member_count; i++) {
            const struct pf_point *h = &p->points[zone->members[i]];
            if (h->kind != PF_HOST)
                continue;
            struct pf_hop out[2], in[2];
            size_t n_out = 0, n_in = 0;
            if (h->up.link != PF_NONE)
                out[n_out++] = h->up;
            if (zone->backbone != PF_NONE) {
                out[n_out++] = (struct pf_hop){zone->backbone, PF_DIR_NONE, false};
                in[n_in++] = (struct pf_hop){zone->backbone, PF_DIR_NONE, false};
            }
            if (h->down.link != PF_NONE)
                in[n_in++] = h->down;
            if (walk(b, zone->members[i], out, n_out, center) < 0 ||
                walk(b, center, in, n_in, zone->members[i]) < 0)
                return -1;
        }
    }
    return 0;
}

static int fail_line(struct builder *b, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_line(struct builder *b, int line, const char *fmt, ...)
{
    if (b->err == NULL)
        return -1;
    char msg[sizeof(b->err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    mvm_error_set(b->err, MVM_ERR_INVALID, "%s", msg);
    b->err->line = line;
    mvm_error_set_file(b->err, b->p->file);
    return -1;
}

/*
 * A place only ever next to one same shared link (in every route through it) is
 * merged into that link's switch: every path through the place crosses the link
 * right there, so crossing the switch instead is the same.
 */
static int merge_shared_places(struct builder *b)
{
    size_t n = b->elements;
    size_t(*cand)[2] = calloc(n ? n : 1, sizeof(*cand));
    bool *seen = calloc(n ? n : 1, sizeof(*seen)), *has_host = calloc(n ? n : 1, sizeof(bool));
    if (cand == NULL || seen == NULL || has_host == NULL) {
        free(cand);
        free(seen);
        free(has_host);
        return mvm_error_set(b->err, MVM_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < b->points; i++)
        if (b->p->points[i].kind == PF_HOST)
            has_host[find(b, i)] = true;
    for (size_t i = 0; i < b->occ_count; i++) {
        const struct occurrence *o = &b->occ[i];
        size_t r = find(b, o->element);
        if (!seen[r]) {
            seen[r] = true;
            cand[r][0] = o->near[0];
            cand[r][1] = o->near[1];
            continue;
        }
        for (int k = 0; k < 2; k++)
            if (cand[r][k] != o->near[0] && cand[r][k] != o->near[1])
                cand[r][k] = PF_NONE;
    }
    /* decided on the classes as they were, then applied */
    size_t merges = 0;
    for (size_t r = 0; r < n; r++) {
        if (!seen[r] || has_host[r] || find(b, r) != r)
            continue;
        size_t s = cand[r][0] < cand[r][1] ? cand[r][0] : cand[r][1];
        if (s != PF_NONE) {
            cand[merges][0] = r;
            cand[merges][1] = s;
            merges++;
        }
    }
    for (size_t i = 0; i < merges; i++)
        unite(b, cand[i][0], el_shared(b, cand[i][1]));
    free(cand);
    free(seen);
    free(has_host);
    return 0;
}

/* "switch-12" -> 12 with prefix "switch-": names our export gives keep their ids. */
static bool id_suffix(const char *name, const char *prefix, int32_t *id)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0)
        return false;
    char *end;
    long long v = strtoll(name + n, &end, 10);
    char canon[32];
    if (end == name + n || *end != '\0' || v < 0 || v > INT32_MAX)
        return false;
    snprintf(canon, sizeof(canon), "%lld", v);
    if (strcmp(canon, name + n) != 0)
        return false;
    *id = (int32_t)v;
    return true;
}

/* The model node a host stands for, or MVM_NONE (err set). */
static size_t host_node(struct builder *b, size_t pt)
{
    const struct pf_point *h = &b->p->points[pt];
    int32_t id;
    if (h->has_node_id) {
        size_t n = mvm_model_node_index(b->model, h->node_id);
        if (n == MVM_NONE)
            fail_line(b, h->node_id_line,
                      "host \"%s\": node_id %" PRId32 " is not a node of the instance", h->name,
                      h->node_id);
        return n;
    }
    if (id_suffix(h->name, "", &id) || id_suffix(h->name, "node-", &id)) {
        size_t n = mvm_model_node_index(b->model, id);
        if (n != MVM_NONE)
            return n;
    }
    fail_line(
        b, h->line,
        "host \"%s\" is not a node of the instance: expected a host named by a node id (\"3\" "
        "or \"node-3\") or holding <prop id=\"node_id\" value=\"3\"/>",
        h->name);
    return MVM_NONE;
}

static int map_hosts(struct builder *b)
{
    const struct mvm_model *m = b->model;
    b->host_of_node = mvm_calloc(m->node_count, sizeof(size_t), b->err);
    b->node_of_host = mvm_calloc(b->points, sizeof(size_t), b->err);
    if (b->host_of_node == NULL || b->node_of_host == NULL)
        return -1;
    for (size_t i = 0; i < m->node_count; i++)
        b->host_of_node[i] = PF_NONE;
    for (size_t pt = 0; pt < b->points; pt++) {
        b->node_of_host[pt] = PF_NONE;
        if (b->p->points[pt].kind != PF_HOST)
            continue;
        size_t n = host_node(b, pt);
        if (n == MVM_NONE)
            return -1;
        size_t other = b->host_of_node[n];
        if (other != PF_NONE)
            return fail_line(b, b->p->points[pt].line,
                             "host \"%s\": node %" PRId32 " is already the host \"%s\" (line %d)",
                             b->p->points[pt].name, m->nodes[n].id, b->p->points[other].name,
                             b->p->points[other].line);
        b->host_of_node[n] = pt;
        b->node_of_host[pt] = n;
    }
    for (size_t i = 0; i < m->node_count; i++)
        if (b->host_of_node[i] == PF_NONE)
            return fail_line(b, 0,
                             "node %" PRId32 " of the instance has no host in the platform "
                             "(expected a host \"node-%" PRId32 "\" or one holding <prop "
                             "id=\"node_id\" value=\"%" PRId32 "\"/>)",
                             m->nodes[i].id, m->nodes[i].id, m->nodes[i].id);
    return 0;
}

struct switch_key {
    bool claimed;
    int32_t id;
    size_t root;
};

static int compare_switch_keys(const void *pa, const void *pb)
{
    const struct switch_key *a = pa, *b = pb;
    if (a->claimed != b->claimed)
        return a->claimed ? -1 : 1;
    if (a->claimed && a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return a->root < b->root ? -1 : a->root > b->root;
}

/* Switch capacity of a class: a shared link's, else non-blocking. */
static int64_t class_capacity(const struct builder *b, size_t root)
{
    size_t s = b->shared[root];
    return s != PF_NONE && b->p->links[s].policy == PF_SHARED ? b->p->links[s].mbps : -1;
}

/*
 * Nodes and switches: a used class holding a host is that host's node; any other
 * is a switch, whose id is kept from a router "switch-N" or a shared link
 * "backplane-N" in it (the names mvm_platform_save gives), else numbered after.
 */
static int make_places(struct builder *b)
{
    size_t n = b->elements, switches = 0;
    struct switch_key *keys = calloc(n ? n : 1, sizeof(*keys));
    if (keys == NULL)
        return mvm_error_set(b->err, MVM_ERR_NOMEM, "out of memory");
    for (size_t e = 0; e < n; e++) {
        b->host[e] = b->shared[e] = b->place[e] = PF_NONE;
        b->is_node[e] = false;
        keys[e] = (struct switch_key){false, 0, e};
    }
    for (size_t e = 0; e < n; e++) {
        if (!b->used[e])
            continue;
        size_t r = find(b, e);
        b->place[r] = 0; /* used; the index comes below */
        const char *name = NULL, *prefix = NULL;
        if (e < b->points && b->p->points[e].kind == PF_HOST) {
            if (b->host[r] != PF_NONE) {
                free(keys);
                return fail_line(b, b->p->points[e].line,
                                 "hosts \"%s\" and \"%s\" are at the same place of the network "
                                 "(their routes join them without a link between them)",
                                 b->p->points[b->host[r]].name, b->p->points[e].name);
            }
            b->host[r] = e;
        } else if (e < b->points && b->p->points[e].kind == PF_ROUTER) {
            name = b->p->points[e].name;
            prefix = "switch-";
        } else if (e >= b->points && e < b->points + 2 * b->links && (e - b->points) % 2 == 0 &&
                   is_shared_kind(b->p, (e - b->points) / 2)) {
            b->shared[r] = (e - b->points) / 2;
            name = b->p->links[b->shared[r]].name;
            prefix = "backplane-";
        }
        if (name != NULL && !keys[r].claimed)
            keys[r].claimed = id_suffix(name, prefix, &keys[r].id);
    }
    for (size_t r = 0; r < n; r++) {
        if (b->place[r] == PF_NONE || find(b, r) != r)
            continue;
        if (b->host[r] != PF_NONE) {
            b->is_node[r] = true;
            b->place[r] = b->node_of_host[b->host[r]];
        } else
            keys[switches++] = keys[r];
    }
    qsort(keys, switches, sizeof(*keys), compare_switch_keys);
    int32_t next = 0;
    for (size_t i = 0; i < switches; i++)
        if (keys[i].claimed && keys[i].id >= next)
            next = keys[i].id == INT32_MAX ? INT32_MAX : keys[i].id + 1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < switches; i++) {
        const struct switch_key *k = &keys[i];
        int32_t id = k->id;
        if (!k->claimed || mvm_net_switch_index(b->net, id) != MVM_NONE) {
            while (mvm_net_switch_index(b->net, next) != MVM_NONE)
                next++;
            id = next;
        }
        size_t s = mvm_net_add_switch(b->net, id, class_capacity(b, k->root), b->err);
        if (s == MVM_NONE)
            rc = -1;
        else
            b->place[k->root] = s;
    }
    free(keys);
    return rc;
}

static int compare_halves(const void *pa, const void *pb)
{
    const struct half_link *a = pa, *b = pb;
    if (a->lo != b->lo)
        return a->lo < b->lo ? -1 : 1;
    return a->hi < b->hi ? -1 : a->hi > b->hi;
}

static size_t find_half(const struct builder *b, size_t x, size_t y)
{
    struct half_link key = {x < y ? x : y, x < y ? y : x, 0};
    const struct half_link *h =
        bsearch(&key, b->halves, b->half_count, sizeof(*b->halves), compare_halves);
    return h == NULL ? PF_NONE : h->link;
}

/* A link between the places of two class roots; sw_root must be a switch. */
static size_t add_between(struct builder *b, int32_t id, int64_t mbps, size_t sw_root,
                          size_t phys_root)
{
    return mvm_net_add_link(b->net, id, mbps, b->place[sw_root],
                            b->is_node[phys_root] ? MVM_NET_END_NODE : MVM_NET_END_SWITCH,
                            b->place[phys_root], b->err);
}

struct link_key {
    bool claimed;
    int32_t id;
    size_t link;
};

static int compare_link_keys(const void *pa, const void *pb)
{
    const struct link_key *a = pa, *b = pb;
    if (a->claimed != b->claimed)
        return a->claimed ? -1 : 1;
    if (a->claimed && a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return a->link < b->link ? -1 : a->link > b->link;
}

static int32_t fresh_link_id(struct builder *b, int32_t *next)
{
    while (mvm_net_link_index(b->net, *next) != MVM_NONE)
        (*next)++;
    return (*next)++;
}

/* Capacity of a link reaching a shared/fatpipe switch: never tighter than the switch. */
static int64_t half_capacity(const struct builder *b, size_t root)
{
    size_t s = b->shared[root];
    return s != PF_NONE && b->p->links[s].policy == PF_SHARED ? b->p->links[s].mbps
                                                              : MVM_NET_UNLIMITED;
}

static int make_links(struct builder *b)
{
    const struct pf_platform *p = b->p;
    struct link_key *keys = calloc(b->links ? b->links : 1, sizeof(*keys));
    if (keys == NULL)
        return mvm_error_set(b->err, MVM_ERR_NOMEM, "out of memory");
    size_t count = 0;
    for (size_t l = 0; l < b->links; l++) {
        b->our_link[l] = b->our_link2[l] = PF_NONE;
        if (p->links[l].policy != PF_SPLITDUPLEX || !b->used[el_end(b, l, PF_DIR_UP)])
            continue;
        struct link_key k = {false, 0, l};
        k.claimed = id_suffix(p->links[l].name, "link-", &k.id);
        keys[count++] = k;
    }
    qsort(keys, count, sizeof(*keys), compare_link_keys);
    int32_t next = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        size_t l = keys[i].link;
        size_t ra = find(b, el_end(b, l, PF_DIR_UP)), rb = find(b, el_end(b, l, PF_DIR_DOWN));
        if (ra == rb) {
            rc = fail_line(b, p->links[l].line,
                           "link \"%s\": its routes make it a loop from one place back to the "
                           "same place",
                           p->links[l].name);
            break;
        }
        if (!keys[i].claimed || mvm_net_link_index(b->net, keys[i].id) != MVM_NONE)
            continue; /* numbered after the claimed ones */
        if (b->is_node[ra] && b->is_node[rb])
            continue; /* split below */
        size_t sw = b->is_node[rb] ? ra : rb, phys = sw == ra ? rb : ra;
        b->our_link[l] = add_between(b, keys[i].id, p->links[l].mbps, sw, phys);
        if (b->our_link[l] == MVM_NONE)
            rc = -1;
    }
    /* unclaimed links, then links joining two hosts, split by a switch of their own */
    for (size_t i = 0; rc == 0 && i < count; i++) {
        size_t l = keys[i].link;
        size_t ra = find(b, el_end(b, l, PF_DIR_UP)), rb = find(b, el_end(b, l, PF_DIR_DOWN));
        if (b->our_link[l] != PF_NONE || (b->is_node[ra] && b->is_node[rb]))
            continue;
        size_t sw = b->is_node[rb] ? ra : rb, phys = sw == ra ? rb : ra;
        b->our_link[l] = add_between(b, fresh_link_id(b, &next), p->links[l].mbps, sw, phys);
        if (b->our_link[l] == MVM_NONE)
            rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < count; i++) {
        size_t l = keys[i].link;
        size_t ra = find(b, el_end(b, l, PF_DIR_UP)), rb = find(b, el_end(b, l, PF_DIR_DOWN));
        if (!(b->is_node[ra] && b->is_node[rb]))
            continue;
        int32_t sid = 0;
        while (mvm_net_switch_index(b->net, sid) != MVM_NONE)
            sid++;
        size_t s = mvm_net_add_switch(b->net, sid, -1, b->err);
        int32_t id = keys[i].claimed && mvm_net_link_index(b->net, keys[i].id) == MVM_NONE
                         ? keys[i].id
                         : fresh_link_id(b, &next);
        if (s == MVM_NONE)
            rc = -1;
        else {
            b->our_link[l] = mvm_net_add_link(b->net, id, p->links[l].mbps, s, MVM_NET_END_NODE,
                                              b->place[ra], b->err);
            b->our_link2[l] =
                b->our_link[l] == MVM_NONE
                    ? MVM_NONE
                    : mvm_net_add_link(b->net, fresh_link_id(b, &next), p->links[l].mbps, s,
                                       MVM_NET_END_NODE, b->place[rb], b->err);
            if (b->our_link2[l] == MVM_NONE)
                rc = -1;
        }
    }
    free(keys);
    if (rc < 0)
        return -1;

    /* links reaching shared/fatpipe switches, one per pair of places */
    b->halves = calloc(b->att_count ? b->att_count : 1, sizeof(*b->halves));
    if (b->halves == NULL)
        return mvm_error_set(b->err, MVM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < b->att_count; i++) {
        size_t x = find(b, b->att[i].element), s = find(b, el_shared(b, b->att[i].link));
        if (x != s)
            b->halves[b->half_count++] = (struct half_link){x < s ? x : s, x < s ? s : x, s};
    }
    if (b->half_count > 1)
        qsort(b->halves, b->half_count, sizeof(*b->halves), compare_halves);
    size_t kept = 0;
    for (size_t i = 0; i < b->half_count; i++) {
        struct half_link h = b->halves[i];
        if (kept > 0 && b->halves[kept - 1].lo == h.lo && b->halves[kept - 1].hi == h.hi)
            continue;
        size_t s = h.link, x = s == h.lo ? h.hi : h.lo;
        int64_t cap = half_capacity(b, s);
        if (b->shared[x] != PF_NONE && half_capacity(b, x) < cap)
            cap = half_capacity(b, x);
        h.link = add_between(b, fresh_link_id(b, &next), cap, s, x);
        if (h.link == MVM_NONE)
            return -1;
        b->halves[kept++] = h;
    }
    b->half_count = kept;
    return 0;
}

/* A route whose hop i does not begin where the one before it (or the source) ends. */
static int discontinuity(struct builder *b, size_t a, size_t dst, const struct pf_hops *hops,
                         size_t i)
{
    const struct pf_platform *p = b->p;
    char next[600], prev[600];
    const struct pf_hop *h = i < hops->count ? &hops->items[i] : NULL;
    if (h == NULL)
        snprintf(next, sizeof(next), "host \"%s\" is not", p->points[dst].name);
    else
        snprintf(next, sizeof(next), "link \"%.500s\"%s does not start", p->links[h->link].name,
                 h->dir == PF_DIR_UP     ? " crossed UP"
                 : h->dir == PF_DIR_DOWN ? " crossed DOWN"
                                         : "");
    if (i == 0)
        snprintf(prev, sizeof(prev), "at host \"%s\"", p->points[a].name);
    else
        snprintf(prev, sizeof(prev), "where link \"%.500s\" ends",
                 p->links[hops->items[i - 1].link].name);
    bool named = h != NULL && h->dir != PF_DIR_NONE && !h->directed;
    return fail_line(b, h == NULL ? p->points[dst].line : p->links[h->link].line,
                     "route from host \"%s\" to host \"%s\": %s %s: these routes are not paths "
                     "of one network of full-duplex links%s",
                     p->points[a].name, p->points[dst].name, next, prev,
                     named ? " (a link named with _UP or _DOWN keeps that direction in the "
                             "reverse of a symmetrical route)"
                           : "");
}

/* Our links for a SimGrid route from host a to host b (continuity checked by the classes). */
static int map_route(struct builder *b, size_t a, size_t dst, const struct pf_hops *hops,
                     size_t **links, size_t *count, size_t *capacity, int64_t *fatpipe_mbps,
                     size_t *fatpipe_link)
{
    const struct pf_platform *p = b->p;
    size_t pos = find(b, a);
    *count = 0;
    *fatpipe_mbps = INT64_MAX;
    *fatpipe_link = PF_NONE;
    for (size_t i = 0; i <= hops->count; i++) {
        size_t next_root, l = i < hops->count ? hops->items[i].link : PF_NONE;
        if (l == PF_NONE)
            next_root = find(b, dst);
        else if (is_shared_kind(p, l))
            next_root = find(b, el_shared(b, l));
        else
            next_root = find(b, el_end(b, l, hops->items[i].dir));
        if (MVM_ARRAY_RESERVE(*links, *capacity, *count + 3, b->err) < 0)
            return -1;
        if (next_root != pos) {
            size_t h = find_half(b, pos, next_root);
            if (h == PF_NONE)
                return discontinuity(b, a, dst, hops, i);
            (*links)[(*count)++] = h;
            pos = next_root;
        }
        if (l == PF_NONE)
            break;
        if (is_shared_kind(p, l)) {
            if (p->links[l].policy == PF_FATPIPE && p->links[l].mbps < *fatpipe_mbps) {
                *fatpipe_mbps = p->links[l].mbps;
                *fatpipe_link = l;
            }
        } else {
            bool up = hops->items[i].dir == PF_DIR_UP;
            if (b->our_link2[l] != PF_NONE) {
                (*links)[(*count)++] = up ? b->our_link[l] : b->our_link2[l];
                (*links)[(*count)++] = up ? b->our_link2[l] : b->our_link[l];
            } else
                (*links)[(*count)++] = b->our_link[l];
            pos = find(b, el_end(b, l, up ? PF_DIR_DOWN : PF_DIR_UP));
        }
    }
    return 0;
}

/*
 * The resources a list of our links occupies from node src (as static routing
 * would give them), into path. Fails when the links pass through a node.
 */
static int links_to_path(struct builder *b, size_t src_pt, size_t dst_pt, const size_t *links,
                         size_t count, struct mvm_path *path)
{
    const struct mvm_net *net = b->net;
    if (MVM_ARRAY_RESERVE(path->resources, path->capacity_, 2 * count + 1, b->err) < 0)
        return -1;
    path->count = 0;
    path->max_bw_mbps = INT64_MAX;
    bool at_node = true;
    size_t at = b->node_of_host[src_pt];
    for (size_t i = 0; i < count; i++) {
        const struct mvm_link *l = &net->links[links[i]];
        enum mvm_link_dir dir;
        if (at_node) {
            if (i > 0)
                return fail_line(b, 0,
                                 "route from host \"%s\" to host \"%s\" passes through node "
                                 "%" PRId32 ": our nodes do not forward traffic",
                                 b->p->points[src_pt].name, b->p->points[dst_pt].name,
                                 net->node_ids[at]);
            dir = MVM_LINK_UP;
            at = l->sw;
            at_node = false;
        } else if (l->sw == at) {
            dir = MVM_LINK_DOWN;
            at_node = l->end_type == MVM_NET_END_NODE;
            at = l->end;
        } else {
            dir = MVM_LINK_UP;
            at = l->sw;
        }
        size_t res = mvm_net_link_resource(links[i], dir);
        path->resources[path->count++] = res;
        int64_t cap = mvm_net_resource_capacity(net, res);
        if (cap < path->max_bw_mbps)
            path->max_bw_mbps = cap;
        if (!at_node && mvm_switch_is_blocking(&net->switches[at])) {
            res = 2 * net->link_count + at;
            path->resources[path->count++] = res;
            if (net->switches[at].capacity_mbps < path->max_bw_mbps)
                path->max_bw_mbps = net->switches[at].capacity_mbps;
        }
    }
    return 0;
}

static bool same_path(const struct mvm_path *x, const struct mvm_path *y)
{
    return x->count == y->count &&
           (x->count == 0 || memcmp(x->resources, y->resources, x->count * sizeof(size_t)) == 0);
}

/*
 * Maps every node pair's SimGrid route onto the network. With add_routes false,
 * tells whether default routing gives exactly those paths (need_static false);
 * with add_routes true, adds them as static routes.
 */
static int map_pairs(struct builder *b, struct pf_router *router, bool add_routes,
                     bool *need_static)
{
    const struct pf_platform *p = b->p;
    size_t nodes = b->model->node_count;
    struct pf_hops hops = {0};
    struct mvm_path mine = {0}, dflt = {0};
    size_t *links = NULL, count = 0, capacity = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < nodes; i++) {
        for (size_t j = 0; rc == 0 && j < nodes; j++) {
            if (i == j)
                continue;
            size_t a = b->host_of_node[i], d = b->host_of_node[j];
            hops.count = 0;
            rc = pf_route(router, a, d, &hops, b->err);
            if (rc == 1) { /* no route in SimGrid: none in ours either */
                *need_static = true;
                rc = 0;
                continue;
            }
            int64_t fat_mbps;
            size_t fat;
            if (rc < 0 ||
                map_route(b, a, d, &hops, &links, &count, &capacity, &fat_mbps, &fat) < 0 ||
                links_to_path(b, a, d, links, count, &mine) < 0) {
                rc = -1;
                break;
            }
            if (fat != PF_NONE && fat_mbps < mine.max_bw_mbps) {
                rc = fail_line(b, p->links[fat].line,
                               "route from host \"%s\" to host \"%s\": FATPIPE link \"%s\" "
                               "limits each flow to %" PRId64 " Mbit/s, below the rest of the "
                               "route (%" PRId64 " Mbit/s): our model has no per-flow limit "
                               "without sharing",
                               p->points[a].name, p->points[d].name, p->links[fat].name, fat_mbps,
                               mine.max_bw_mbps);
                break;
            }
            if (add_routes) {
                rc = mvm_net_add_route(b->net, i, j, links, count, b->err);
                continue;
            }
            if (*need_static)
                continue;
            struct mvm_error ignored;
            if (mvm_net_path(b->net, i, j, &dflt, &ignored) < 0 || !same_path(&mine, &dflt))
                *need_static = true;
        }
    }
    free(hops.items);
    free(links);
    mvm_path_clear(&mine);
    mvm_path_clear(&dflt);
    return rc;
}

static void builder_clear(struct builder *b)
{
    free(b->uf);
    free(b->occ);
    free(b->att);
    free(b->used);
    free(b->host);
    free(b->shared);
    free(b->place);
    free(b->is_node);
    free(b->node_of_host);
    free(b->host_of_node);
    free(b->our_link);
    free(b->our_link2);
    free(b->halves);
}

static int builder_init(struct builder *b, const struct pf_platform *p,
                        const struct mvm_model *model, struct mvm_error *err)
{
    memset(b, 0, sizeof(*b));
    b->p = p;
    b->model = model;
    b->err = err;
    b->points = p->point_count;
    b->links = p->link_count;
    b->elements = b->points + 2 * b->links + p->zone_count;
    size_t n = b->elements ? b->elements : 1, l = b->links ? b->links : 1;
    b->uf = mvm_calloc(n, sizeof(size_t), err);
    b->used = mvm_calloc(n, sizeof(bool), err);
    b->host = mvm_calloc(n, sizeof(size_t), err);
    b->shared = mvm_calloc(n, sizeof(size_t), err);
    b->place = mvm_calloc(n, sizeof(size_t), err);
    b->is_node = mvm_calloc(n, sizeof(bool), err);
    b->our_link = mvm_calloc(l, sizeof(size_t), err);
    b->our_link2 = mvm_calloc(l, sizeof(size_t), err);
    if (b->uf == NULL || b->used == NULL || b->host == NULL || b->shared == NULL ||
        b->place == NULL || b->is_node == NULL || b->our_link == NULL || b->our_link2 == NULL)
        return -1;
    for (size_t e = 0; e < b->elements; e++)
        b->uf[e] = e;
    return 0;
}

static struct mvm_net *new_net(const struct mvm_model *model, struct mvm_error *err)
{
    int32_t *ids = mvm_calloc(model->node_count, sizeof(*ids), err);
    if (ids == NULL)
        return NULL;
    for (size_t i = 0; i < model->node_count; i++)
        ids[i] = model->nodes[i].id;
    struct mvm_net *net = mvm_net_new(ids, model->node_count, err);
    free(ids);
    return net;
}

struct mvm_net *pf_build_net(const struct pf_platform *p, const struct mvm_model *model,
                             struct mvm_error *err)
{
    struct builder b;
    struct pf_router *router = NULL;
    bool need_static = false;
    int rc = builder_init(&b, p, model, err);
    if (rc == 0)
        rc = walk_platform(&b);
    if (rc == 0)
        rc = merge_shared_places(&b);
    if (rc == 0)
        rc = map_hosts(&b);
    if (rc == 0 && (b.net = new_net(model, err)) == NULL)
        rc = -1;
    if (rc == 0)
        rc = make_places(&b);
    if (rc == 0)
        rc = make_links(&b);
    if (rc == 0)
        rc = mvm_net_finalize(b.net, err);
    if (rc == 0 && (router = pf_router_new(p, err)) == NULL)
        rc = -1;
    if (rc == 0)
        rc = map_pairs(&b, router, false, &need_static);
    if (rc == 0 && need_static) {
        b.net->routing = MVM_ROUTING_STATIC;
        rc = map_pairs(&b, router, true, &need_static);
        if (rc == 0)
            rc = mvm_net_finalize(b.net, err);
    }
    pf_router_free(router);
    struct mvm_net *net = b.net;
    if (rc < 0) {
        mvm_net_free(net);
        net = NULL;
    }
    builder_clear(&b);
    return net;
}
