/*
 * Writing a network as a SimGrid 4.1 platform, so SimGrid simulates migrations
 * on the paths mvm plans them on. One zone: a host "node-<id>" per node (with a
 * node_id property), a router "switch-<id>" per switch, a SPLITDUPLEX link
 * "link-<id>" per link (our UP is its _UP: from the physical element to the
 * switch), and a SHARED link "backplane-<id>" per blocking switch. A tree of
 * non-blocking switches under default routing, whose paths are unique, is
 * written as a Dijkstra zone with one route per link; anything else (static
 * routes, blocking switches, cycles, where SimGrid's choice among equal paths
 * could differ from ours) as a Full zone holding every node pair's path from
 * mvm_net_path, plus one route per link from its physical element to its switch
 * that ties routers to link ends when the file is read back.
 */
#include "mvm/platform.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/platform.h"
#include "util/array.h"
#include "util/file.h"

struct text {
    char *data;
    size_t length, capacity;
    bool failed;
};

__attribute__((format(printf, 2, 3))) static void put(struct text *t, const char *fmt, ...)
{
    if (t->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = t->capacity - t->length;
        int n = vsnprintf(t->data ? t->data + t->length : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = true;
            return;
        }
        if ((size_t)n < room) {
            t->length += (size_t)n;
            return;
        }
        if (MVM_ARRAY_RESERVE(t->data, t->capacity, t->length + (size_t)n + 1, NULL) < 0) {
            t->failed = true;
            return;
        }
    }
}

/* "1Gf", "2.5Gf", "800Mf": SimGrid speeds take a unit. */
static void put_speed(struct text *t, double flops)
{
    static const struct {
        double scale;
        const char *prefix;
    } units[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1.0, ""}};
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (flops >= units[i].scale || i + 1 == sizeof(units) / sizeof(units[0])) {
            put(t, "%.15g%sf", flops / units[i].scale, units[i].prefix);
            return;
        }
    }
}

static void put_element(struct text *t, const struct mvm_net *net, enum mvm_net_end type,
                        size_t index)
{
    if (type == MVM_NET_END_NODE)
        put(t, "node-%" PRId32, net->node_ids[index]);
    else
        put(t, "switch-%" PRId32, net->switches[index].id);
}

static void put_resource(struct text *t, const struct mvm_net *net, size_t resource)
{
    if (resource < 2 * net->link_count)
        put(t, "<link_ctn id=\"link-%" PRId32 "\" direction=\"%s\"/>", net->links[resource / 2].id,
            resource % 2 == MVM_LINK_UP ? "UP" : "DOWN");
    else
        put(t, "<link_ctn id=\"backplane-%" PRId32 "\"/>",
            net->switches[resource - 2 * net->link_count].id);
}

static size_t uf_find(size_t *uf, size_t e)
{
    while (uf[e] != e) {
        uf[e] = uf[uf[e]];
        e = uf[e];
    }
    return e;
}

/* Default routing over non-blocking switches and no cycle: every path is the only one. */
static int is_plain_tree(const struct mvm_net *net, bool *tree, struct mvm_error *err)
{
    *tree = net->routing == MVM_ROUTING_DEFAULT;
    for (size_t s = 0; *tree && s < net->switch_count; s++)
        if (mvm_switch_is_blocking(&net->switches[s]))
            *tree = false;
    if (!*tree)
        return 0;
    size_t n = net->node_count + net->switch_count;
    size_t *uf = mvm_calloc(n, sizeof(size_t), err);
    if (uf == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        uf[i] = i;
    for (size_t l = 0; *tree && l < net->link_count; l++) {
        const struct mvm_link *k = &net->links[l];
        size_t x = uf_find(uf, net->node_count + k->sw);
        size_t y = uf_find(uf, k->end_type == MVM_NET_END_NODE ? k->end : net->node_count + k->end);
        if (x == y)
            *tree = false;
        else
            uf[x] = y;
    }
    free(uf);
    return 0;
}

/* The resources of back are those of fwd in reverse order, link directions swapped. */
static bool is_reverse(const struct mvm_net *net, const struct mvm_path *fwd,
                       const struct mvm_path *back)
{
    if (fwd->count != back->count)
        return false;
    for (size_t i = 0; i < fwd->count; i++) {
        size_t r = fwd->resources[fwd->count - 1 - i];
        if (r < 2 * net->link_count)
            r ^= 1; /* UP 2l <-> DOWN 2l+1 */
        if (back->resources[i] != r)
            return false;
    }
    return true;
}

static void put_route(struct text *t, const struct mvm_net *net, size_t src, size_t dst,
                      const struct mvm_path *path, bool symmetrical)
{
    put(t, "    <route src=\"node-%" PRId32 "\" dst=\"node-%" PRId32 "\"%s>", net->node_ids[src],
        net->node_ids[dst], symmetrical ? "" : " symmetrical=\"NO\"");
    for (size_t k = 0; k < path->count; k++)
        put_resource(t, net, path->resources[k]);
    put(t, "</route>\n");
}

/* Every node pair's path, one symmetrical route where the way back is the way there. */
static void put_full_routes(struct text *t, const struct mvm_net *net)
{
    struct mvm_path fwd = {0}, back = {0};
    struct mvm_error none;
    for (size_t i = 0; i < net->node_count; i++) {
        for (size_t j = i + 1; j < net->node_count; j++) {
            bool has_fwd = mvm_net_path(net, i, j, &fwd, &none) == 0;
            bool has_back = mvm_net_path(net, j, i, &back, &none) == 0;
            if (has_fwd && has_back && is_reverse(net, &fwd, &back)) {
                put_route(t, net, i, j, &fwd, true);
                continue;
            }
            if (has_fwd)
                put_route(t, net, i, j, &fwd, false);
            if (has_back)
                put_route(t, net, j, i, &back, false);
        }
    }
    /* each link once more, alone between its ends: it tells where the routers are */
    for (size_t l = 0; l < net->link_count; l++) {
        const struct mvm_link *k = &net->links[l];
        bool twin = false;
        for (size_t m = 0; m < l && !twin; m++) {
            const struct mvm_link *o = &net->links[m];
            bool same = o->sw == k->sw && o->end_type == k->end_type && o->end == k->end;
            bool swapped = k->end_type == MVM_NET_END_SWITCH && o->end_type == MVM_NET_END_SWITCH &&
                           o->sw == k->end && o->end == k->sw;
            twin = same || swapped;
        }
        if (twin)
            continue; /* SimGrid takes one route per pair of ends */
        put(t, "    <route src=\"");
        put_element(t, net, k->end_type, k->end);
        put(t, "\" dst=\"switch-%" PRId32 "\">", net->switches[k->sw].id);
        if (k->end_type == MVM_NET_END_SWITCH && mvm_switch_is_blocking(&net->switches[k->end]))
            put_resource(t, net, 2 * net->link_count + k->end);
        put_resource(t, net, mvm_net_link_resource(l, MVM_LINK_UP));
        if (mvm_switch_is_blocking(&net->switches[k->sw]))
            put_resource(t, net, 2 * net->link_count + k->sw);
        put(t, "</route>\n");
    }
    mvm_path_clear(&fwd);
    mvm_path_clear(&back);
}

static void put_tree_routes(struct text *t, const struct mvm_net *net)
{
    for (size_t l = 0; l < net->link_count; l++) {
        const struct mvm_link *k = &net->links[l];
        put(t, "    <route src=\"");
        put_element(t, net, k->end_type, k->end);
        put(t, "\" dst=\"switch-%" PRId32 "\">", net->switches[k->sw].id);
        put_resource(t, net, mvm_net_link_resource(l, MVM_LINK_UP));
        put(t, "</route>\n");
    }
}

int mvm_platform_save(const struct mvm_net *net, const struct mvm_model *model,
                      double host_speed_flops, const char *path, struct mvm_error *err)
{
    if (net->node_count != model->node_count)
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "platform export: the network has %zu nodes, the model %zu",
                             net->node_count, model->node_count);
    if (!(host_speed_flops > 0) || !isfinite(host_speed_flops))
        return mvm_error_set(err, MVM_ERR_INVALID,
                             "platform export: expected a positive host speed, got %g",
                             host_speed_flops);
    bool tree;
    if (is_plain_tree(net, &tree, err) < 0)
        return -1;
    struct text t = {0};
    put(&t,
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
        "<!-- written by mvm: hosts are nodes, routers switches, links links (UP: from the "
        "node or lower switch to the switch); a SHARED backplane-N is switch N's shared "
        "capacity. Latencies are not modelled (0). -->\n"
        "<platform version=\"4.1\">\n"
        "  <zone id=\"mvm\" routing=\"%s\">\n",
        tree ? "Dijkstra" : "Full");
    for (size_t i = 0; i < net->node_count; i++) {
        put(&t, "    <host id=\"node-%" PRId32 "\" speed=\"", net->node_ids[i]);
        put_speed(&t, host_speed_flops);
        put(&t, "\">\n      <prop id=\"node_id\" value=\"%" PRId32 "\"/>\n    </host>\n",
            net->node_ids[i]);
    }
    for (size_t s = 0; s < net->switch_count; s++)
        put(&t, "    <router id=\"switch-%" PRId32 "\"/>\n", net->switches[s].id);
    for (size_t l = 0; l < net->link_count; l++)
        put(&t,
            "    <link id=\"link-%" PRId32 "\" bandwidth=\"%" PRId64
            "Mbps\" latency=\"0ms\" sharing_policy=\"SPLITDUPLEX\"/>\n",
            net->links[l].id, net->links[l].capacity_mbps);
    for (size_t s = 0; s < net->switch_count; s++)
        if (mvm_switch_is_blocking(&net->switches[s]))
            put(&t,
                "    <link id=\"backplane-%" PRId32 "\" bandwidth=\"%" PRId64
                "Mbps\" latency=\"0ms\" sharing_policy=\"SHARED\"/>\n",
                net->switches[s].id, net->switches[s].capacity_mbps);
    if (tree)
        put_tree_routes(&t, net);
    else
        put_full_routes(&t, net);
    put(&t, "  </zone>\n</platform>\n");
    int rc = 0;
    if (rc == 0 && t.failed)
        rc = mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    if (rc == 0)
        rc = mvm_file_write(path, t.data, t.length, false, err);
    free(t.data);
    return rc;
}
