/*
 * The network module's specification: topologies built by hand through the API
 * (the rack layout of the scale instances, blocking switches, static routes, the
 * implicit network) with the exact resources and bandwidth of their paths, the
 * names and capacities of resources, and every construction error.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mvm/model.h"
#include "mvm/net.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Node ids equal to indices 0..n-1. */
static int32_t *identity_ids(size_t n)
{
    int32_t *ids = calloc(n, sizeof(*ids));
    assert_non_null(ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = (int32_t)i;
    return ids;
}

static void add_switch(struct mvm_net *net, int32_t id, int64_t capacity, size_t expected_index)
{
    struct mvm_error err = {0};
    assert_int_equal(mvm_net_add_switch(net, id, capacity, &err), expected_index);
}

static size_t add_link(struct mvm_net *net, int32_t id, int64_t capacity, size_t sw,
                       enum mvm_net_end end_type, size_t end)
{
    struct mvm_error err = {0};
    size_t index = mvm_net_add_link(net, id, capacity, sw, end_type, end, &err);
    assert_int_not_equal(index, MVM_NONE);
    return index;
}

static void finalize(struct mvm_net *net)
{
    struct mvm_error err = {0};
    assert_int_equal(mvm_net_finalize(net, &err), 0);
}

/*
 * The rack layout of the scale instances: ToR switches 0, 1, 2 with 24 nodes each
 * on 1000 Mbit/s links (link id = node id), and uplinks 72, 73, 74 of 10000 Mbit/s
 * from each ToR (the physical element) to the aggregation switch 3.
 */
static struct mvm_net *rack_net(int64_t tor0_capacity, int64_t agg_capacity)
{
    struct mvm_error err = {0};
    int32_t *ids = identity_ids(72);
    struct mvm_net *net = mvm_net_new(ids, 72, &err);
    free(ids);
    assert_non_null(net);
    add_switch(net, 0, tor0_capacity, 0);
    add_switch(net, 1, -1, 1);
    add_switch(net, 2, -1, 2);
    add_switch(net, 3, agg_capacity, 3);
    for (size_t i = 0; i < 72; i++)
        assert_int_equal(add_link(net, (int32_t)i, 1000, i / 24, MVM_NET_END_NODE, i), i);
    for (size_t t = 0; t < 3; t++)
        assert_int_equal(add_link(net, (int32_t)(72 + t), 10000, 3, MVM_NET_END_SWITCH, t), 72 + t);
    finalize(net);
    return net;
}

static void assert_path(const struct mvm_net *net, size_t src, size_t dst, const size_t *expected,
                        size_t count, int64_t max_bw)
{
    struct mvm_error err = {0};
    struct mvm_path path = {0};
    assert_int_equal(mvm_net_path(net, src, dst, &path, &err), 0);
    assert_int_equal(path.count, count);
    for (size_t i = 0; i < count; i++)
        assert_int_equal(path.resources[i], expected[i]);
    assert_int_equal(path.max_bw_mbps, max_bw);
    mvm_path_clear(&path);
}

static void assert_path_error(const struct mvm_net *net, size_t src, size_t dst,
                              const char *message)
{
    struct mvm_error err = {0};
    struct mvm_path path = {0};
    assert_int_equal(mvm_net_path(net, src, dst, &path, &err), -1);
    assert_int_equal(err.code, MVM_ERR_INVALID);
    assert_string_equal(err.message, message);
    assert_int_equal(path.count, 0);
    mvm_path_clear(&path);
}

static void test_rack_intra(void **state)
{
    (void)state;
    struct mvm_net *net = rack_net(-1, -1);
    assert_int_equal(net->switch_count, 4);
    assert_int_equal(net->link_count, 75);
    assert_int_equal(mvm_net_resource_count(net), 154);
    assert_int_equal(mvm_net_switch_index(net, 3), 3);
    assert_int_equal(mvm_net_switch_index(net, 4), MVM_NONE);
    assert_int_equal(mvm_net_link_index(net, 74), 74);
    assert_int_equal(mvm_net_link_index(net, 75), MVM_NONE);

    /* Node 0 -> node 5, both under switch 0: link 0 UP, link 5 DOWN. */
    assert_path(net, 0, 5, (size_t[]){0, 11}, 2, 1000);
    assert_path(net, 5, 0, (size_t[]){10, 1}, 2, 1000);
    /* Last rack. */
    assert_path(net, 71, 48, (size_t[]){142, 97}, 2, 1000);
    mvm_net_free(net);
}

static void test_rack_inter(void **state)
{
    (void)state;
    struct mvm_net *net = rack_net(-1, -1);
    /* Node 0 -> node 50: link 0 UP, link 72 UP, link 74 DOWN, link 50 DOWN. */
    assert_path(net, 0, 50, (size_t[]){0, 144, 149, 101}, 4, 1000);
    assert_path(net, 50, 0, (size_t[]){100, 148, 145, 1}, 4, 1000);
    /* Node 30 (rack 1) -> node 23 (rack 0). */
    assert_path(net, 30, 23, (size_t[]){60, 146, 145, 47}, 4, 1000);

    /* Every pair: 2 resources within a rack, 4 across; 1000 Mbit/s always. */
    struct mvm_error err = {0};
    struct mvm_path path = {0};
    for (size_t a = 0; a < 72; a++) {
        for (size_t b = 0; b < 72; b++) {
            if (a == b)
                continue;
            assert_int_equal(mvm_net_path(net, a, b, &path, &err), 0);
            assert_int_equal(path.count, a / 24 == b / 24 ? 2 : 4);
            assert_int_equal(path.resources[0], 2 * a);
            assert_int_equal(path.resources[path.count - 1], 2 * b + 1);
            assert_int_equal(path.max_bw_mbps, 1000);
        }
    }
    mvm_path_clear(&path);
    mvm_net_free(net);
}

static void test_blocking_switch(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    int32_t ids[] = {0, 1};
    struct mvm_net *net = mvm_net_new(ids, 2, &err);
    assert_non_null(net);
    add_switch(net, 0, 500, 0);
    add_link(net, 0, 1000, 0, MVM_NET_END_NODE, 0);
    add_link(net, 1, 1000, 0, MVM_NET_END_NODE, 1);
    finalize(net);
    assert_true(mvm_switch_is_blocking(&net->switches[0]));
    assert_int_equal(mvm_net_resource_count(net), 5);
    assert_int_equal(mvm_net_resource_capacity(net, 4), 500);
    /* Link 0 UP, switch 0 (resource 4), link 1 DOWN; the backplane caps the path. */
    assert_path(net, 0, 1, (size_t[]){0, 4, 3}, 3, 500);
    assert_path(net, 1, 0, (size_t[]){2, 4, 1}, 3, 500);
    mvm_net_free(net);

    /* Blocking ToR 0 (800) and aggregation (5000): both appear, in path order. */
    net = rack_net(800, 5000);
    assert_path(net, 0, 50, (size_t[]){0, 150, 144, 153, 149, 101}, 6, 800);
    assert_path(net, 50, 0, (size_t[]){100, 148, 153, 145, 150, 1}, 6, 800);
    assert_path(net, 30, 50, (size_t[]){60, 146, 153, 149, 101}, 5, 1000);
    assert_path(net, 0, 1, (size_t[]){0, 150, 3}, 3, 800);
    assert_path(net, 24, 25, (size_t[]){48, 51}, 2, 1000);
    mvm_net_free(net);

    /* An aggregation slower than the links caps inter-rack paths only. */
    net = rack_net(-1, 300);
    assert_path(net, 0, 50, (size_t[]){0, 144, 153, 149, 101}, 5, 300);
    assert_path(net, 0, 1, (size_t[]){0, 3}, 2, 1000);
    mvm_net_free(net);
}

static void test_switch_blocking_values(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    int32_t ids[] = {0};
    struct mvm_net *net = mvm_net_new(ids, 1, &err);
    assert_non_null(net);
    add_switch(net, 10, -1, 0);
    add_switch(net, 11, 0, 1);
    add_switch(net, 12, MVM_NET_UNLIMITED, 2);
    add_switch(net, 13, MVM_NET_UNLIMITED - 1, 3);
    add_switch(net, 14, 1, 4);
    add_switch(net, 15, INT64_C(5000000000), 5);
    finalize(net);
    const bool blocking[] = {false, false, false, true, true, false};
    for (size_t s = 0; s < COUNT(blocking); s++)
        assert_int_equal(mvm_switch_is_blocking(&net->switches[s]), blocking[s]);
    /* Capacities are kept exactly as given (they are written back). */
    assert_int_equal(net->switches[0].capacity_mbps, -1);
    assert_int_equal(net->switches[2].capacity_mbps, MVM_NET_UNLIMITED);
    assert_int_equal(net->switches[5].capacity_mbps, INT64_C(5000000000));
    /* No links: switch s is resource s. */
    assert_int_equal(mvm_net_resource_capacity(net, 0), INT64_MAX);
    assert_int_equal(mvm_net_resource_capacity(net, 1), INT64_MAX);
    assert_int_equal(mvm_net_resource_capacity(net, 2), INT64_MAX);
    assert_int_equal(mvm_net_resource_capacity(net, 3), MVM_NET_UNLIMITED - 1);
    assert_int_equal(mvm_net_resource_capacity(net, 4), 1);
    assert_int_equal(mvm_net_resource_capacity(net, 5), INT64_MAX);
    assert_int_equal(mvm_net_resource_capacity(net, 6), 0);
    mvm_net_free(net);
}

/*
 * Three nodes (ids 10, 11, 12), switches 100 and 101, links: 0 node 10 - switch
 * 100, 1 node 11 - switch 101, 2 node 12 - switch 101, 3 from switch 100 (physical
 * element) to switch 101 at 300 Mbit/s. Static routing.
 */
static struct mvm_net *static_net(int64_t sw1_capacity)
{
    struct mvm_error err = {0};
    int32_t ids[] = {10, 11, 12};
    struct mvm_net *net = mvm_net_new(ids, 3, &err);
    assert_non_null(net);
    net->routing = MVM_ROUTING_STATIC;
    add_switch(net, 100, -1, 0);
    add_switch(net, 101, sw1_capacity, 1);
    add_link(net, 0, 1000, 0, MVM_NET_END_NODE, 0);
    add_link(net, 1, 1000, 1, MVM_NET_END_NODE, 1);
    add_link(net, 2, 1000, 1, MVM_NET_END_NODE, 2);
    add_link(net, 3, 300, 1, MVM_NET_END_SWITCH, 0);
    return net;
}

static void add_route_error(struct mvm_net *net, size_t src, size_t dst, const size_t *links,
                            size_t count, const char *message)
{
    struct mvm_error err = {0};
    size_t before = net->route_count;
    assert_int_equal(mvm_net_add_route(net, src, dst, links, count, &err), -1);
    assert_int_equal(err.code, MVM_ERR_INVALID);
    assert_string_equal(err.message, message);
    assert_int_equal(net->route_count, before);
}

static void test_static_routes(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_net *net = static_net(-1);
    assert_int_equal(mvm_net_add_route(net, 0, 1, (size_t[]){0, 3, 1}, 3, &err), 0);
    assert_int_equal(mvm_net_add_route(net, 1, 0, (size_t[]){1, 3, 0}, 3, &err), 0);
    assert_int_equal(mvm_net_add_route(net, 1, 2, (size_t[]){1, 2}, 2, &err), 0);
    assert_int_equal(net->route_count, 3);
    const struct mvm_route *r = &net->routes[0];
    assert_int_equal(r->src_node, 0);
    assert_int_equal(r->dst_node, 1);
    assert_int_equal(r->link_count, 3);
    assert_int_equal(r->dirs[0], MVM_LINK_UP);
    assert_int_equal(r->dirs[1], MVM_LINK_UP);
    assert_int_equal(r->dirs[2], MVM_LINK_DOWN);
    r = &net->routes[1];
    assert_int_equal(r->dirs[0], MVM_LINK_UP);
    assert_int_equal(r->dirs[1], MVM_LINK_DOWN);
    assert_int_equal(r->dirs[2], MVM_LINK_DOWN);
    finalize(net);

    assert_path(net, 0, 1, (size_t[]){0, 6, 3}, 3, 300);
    assert_path(net, 1, 0, (size_t[]){2, 7, 1}, 3, 300);
    assert_path(net, 1, 2, (size_t[]){2, 5}, 2, 1000);
    assert_path_error(net, 0, 2, "no static route from node 10 to node 12");
    assert_path_error(net, 2, 1, "no static route from node 12 to node 11");

    /* The same network routed by default finds the same paths, and all of them. */
    net->routing = MVM_ROUTING_DEFAULT;
    assert_path(net, 0, 1, (size_t[]){0, 6, 3}, 3, 300);
    assert_path(net, 0, 2, (size_t[]){0, 6, 5}, 3, 300);
    mvm_net_free(net);

    /* A blocking switch on a static route is a resource of the path. */
    net = static_net(200);
    assert_int_equal(mvm_net_add_route(net, 0, 2, (size_t[]){0, 3, 2}, 3, &err), 0);
    assert_int_equal(mvm_net_add_route(net, 2, 0, (size_t[]){2, 3, 0}, 3, &err), 0);
    finalize(net);
    assert_path(net, 0, 2, (size_t[]){0, 6, 9, 5}, 4, 200);
    assert_path(net, 2, 0, (size_t[]){4, 9, 7, 1}, 4, 200);
    mvm_net_free(net);
}

static void test_static_route_errors(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_net *net = static_net(-1);
    add_route_error(net, 0, 2, (size_t[]){0, 2}, 2,
                    "static route from node 10 to node 12: expected link 2 to touch switch 100, "
                    "reached by link 0, but it does not");
    add_route_error(net, 0, 1, (size_t[]){1, 3, 0}, 3,
                    "static route from node 10 to node 11: expected the first link to start at "
                    "node 10, got link 1");
    add_route_error(net, 0, 1, (size_t[]){3, 1}, 2,
                    "static route from node 10 to node 11: expected the first link to start at "
                    "node 10, got link 3");
    add_route_error(net, 0, 2, (size_t[]){0, 3, 1}, 3,
                    "static route from node 10 to node 12: expected to end at node 12, ends at "
                    "node 11");
    add_route_error(net, 0, 2, (size_t[]){0, 3}, 2,
                    "static route from node 10 to node 12: expected to end at node 12, ends at "
                    "switch 101");
    add_route_error(net, 0, 2, (size_t[]){0, 3, 1, 1, 2}, 5,
                    "static route from node 10 to node 12: link 1 reaches node 11 before the end "
                    "of the route (nodes are not transit)");
    add_route_error(net, 0, 2, (size_t[]){0, 9}, 2,
                    "static route from node 10 to node 12: expected a link index below 4, got 9");
    add_route_error(net, 0, 0, (size_t[]){0}, 1,
                    "static route from node 10 to node 10: expected two distinct nodes");
    add_route_error(net, 0, 1, NULL, 0,
                    "static route from node 10 to node 11: expected at least one link, got none");
    add_route_error(net, 0, 3, (size_t[]){0}, 1,
                    "static route: expected node indices below 3, got 0 and 3");

    /* Two routes for the same pair are caught when finalizing. */
    assert_int_equal(mvm_net_add_route(net, 0, 1, (size_t[]){0, 3, 1}, 3, &err), 0);
    assert_int_equal(mvm_net_add_route(net, 1, 0, (size_t[]){1, 3, 0}, 3, &err), 0);
    assert_int_equal(mvm_net_add_route(net, 0, 1, (size_t[]){0, 3, 1}, 3, &err), 0);
    assert_int_equal(mvm_net_finalize(net, &err), -1);
    assert_int_equal(err.code, MVM_ERR_INVALID);
    assert_string_equal(err.message, "static routes: expected one route from node 10 to node 11, "
                                     "got two (routes 0 and 2)");
    assert_path_error(net, 0, 1,
                      "network not finalized: expected mvm_net_finalize after the last switch, "
                      "link or route was added");
    mvm_net_free(net);
}

/* Routes are looked up by binary search: many of them, added in scrambled order. */
static void test_static_many_routes(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    int32_t *ids = identity_ids(40);
    struct mvm_net *net = mvm_net_new(ids, 40, &err);
    free(ids);
    assert_non_null(net);
    net->routing = MVM_ROUTING_STATIC;
    add_switch(net, 0, -1, 0);
    for (size_t i = 0; i < 40; i++)
        add_link(net, (int32_t)i, (int64_t)(100 + i), 0, MVM_NET_END_NODE, i);
    for (size_t k = 0; k < 40 * 40; k++) {
        size_t p = k * 37 % 1600; /* 37 is prime to 1600: a permutation of the pairs */
        size_t src = p / 40, dst = p % 40;
        if (src != dst)
            assert_int_equal(mvm_net_add_route(net, src, dst, (size_t[]){src, dst}, 2, &err), 0);
    }
    finalize(net);
    assert_int_equal(net->route_count, 40 * 39);
    for (size_t src = 0; src < 40; src++)
        for (size_t dst = 0; dst < 40; dst++)
            if (src != dst)
                assert_path(net, src, dst, (size_t[]){2 * src, 2 * dst + 1}, 2,
                            (int64_t)(100 + (src < dst ? src : dst)));
    mvm_net_free(net);
}

static void test_default_net(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    int32_t ids[] = {5, 9, 2};
    struct mvm_net *net = mvm_net_new_default(ids, 3, MVM_NET_DEFAULT_LINK_MBPS, &err);
    assert_non_null(net);
    assert_true(net->implicit);
    assert_int_equal(net->routing, MVM_ROUTING_DEFAULT);
    assert_int_equal(net->switch_count, 1);
    assert_int_equal(net->switches[0].id, 0);
    assert_int_equal(net->switches[0].capacity_mbps, -1);
    assert_false(mvm_switch_is_blocking(&net->switches[0]));
    assert_int_equal(net->link_count, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(net->links[i].id, (int32_t)i);
        assert_int_equal(net->links[i].capacity_mbps, 1000);
        assert_int_equal(net->links[i].sw, 0);
        assert_int_equal(net->links[i].end_type, MVM_NET_END_NODE);
        assert_int_equal(net->links[i].end, i);
    }
    assert_int_equal(net->node_count, 3);
    assert_int_equal(net->node_ids[1], 9);
    assert_int_equal(mvm_net_resource_count(net), 7);
    assert_int_equal(mvm_net_resource_capacity(net, 6), INT64_MAX);
    /* Finalized already. */
    assert_path(net, 0, 2, (size_t[]){0, 5}, 2, 1000);
    assert_path(net, 2, 1, (size_t[]){4, 3}, 2, 1000);
    char buf[64];
    assert_string_equal(mvm_net_resource_name(net, 1, buf, sizeof(buf)),
                        "link 0 (switch 0 -> node 5)");
    assert_string_equal(mvm_net_resource_name(net, 4, buf, sizeof(buf)),
                        "link 2 (node 2 -> switch 0)");
    mvm_net_free(net);

    /* Other link capacity; no nodes at all. */
    net = mvm_net_new_default(ids, 2, 250, &err);
    assert_non_null(net);
    assert_path(net, 1, 0, (size_t[]){2, 1}, 2, 250);
    mvm_net_free(net);
    net = mvm_net_new_default(NULL, 0, 1000, &err);
    assert_non_null(net);
    assert_int_equal(net->link_count, 0);
    assert_int_equal(mvm_net_resource_count(net), 1);
    mvm_net_free(net);
    mvm_net_free(NULL);
}

static void test_errors(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    int32_t ids[] = {1, 2, 3, 4};
    struct mvm_net *net = mvm_net_new(ids, 4, &err);
    assert_non_null(net);
    add_switch(net, 0, -1, 0);
    add_switch(net, 1, -1, 1);

    assert_int_equal(mvm_net_add_switch(net, 1, 10, &err), MVM_NONE);
    assert_int_equal(err.code, MVM_ERR_INVALID);
    assert_string_equal(err.message, "switch 1: duplicate switch id");
    assert_int_equal(net->switch_count, 2);

    add_link(net, 7, 1000, 0, MVM_NET_END_NODE, 0);
    struct {
        int32_t id;
        int64_t capacity;
        size_t sw;
        enum mvm_net_end type;
        size_t end;
        const char *message;
    } bad[] = {
        {7, 1000, 0, MVM_NET_END_NODE, 1, "link 7: duplicate link id"},
        {8, -5, 0, MVM_NET_END_NODE, 1, "link 8: capacity must be positive, got -5"},
        {8, 0, 0, MVM_NET_END_NODE, 1, "link 8: capacity must be positive, got 0"},
        {8, 10, 2, MVM_NET_END_NODE, 1, "link 8: expected a switch index below 2, got 2"},
        {8, 10, 0, MVM_NET_END_NODE, 4, "link 8: expected a node index below 4, got 4"},
        {8, 10, 0, MVM_NET_END_SWITCH, 5, "link 8: expected a switch index below 2, got 5"},
        {8, 10, 1, MVM_NET_END_SWITCH, 1,
         "link 8: expected two distinct elements, got switch 1 linked to itself"},
        {8, 10, 1, (enum mvm_net_end)7, 1,
         "link 8: expected a node or a switch as physical element, got element type 7"},
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        mvm_error_clear(&err);
        assert_int_equal(mvm_net_add_link(net, bad[i].id, bad[i].capacity, bad[i].sw, bad[i].type,
                                          bad[i].end, &err),
                         MVM_NONE);
        assert_int_equal(err.code, MVM_ERR_INVALID);
        assert_string_equal(err.message, bad[i].message);
    }
    assert_int_equal(net->link_count, 1);
    assert_int_equal(mvm_net_link_index(net, 8), MVM_NONE);

    /* Nodes 1, 2 under switch 0; node 3 under switch 1, not connected; node 4 alone. */
    add_link(net, 8, 1000, 0, MVM_NET_END_NODE, 1);
    add_link(net, 9, 1000, 1, MVM_NET_END_NODE, 2);

    assert_path_error(net, 0, 1,
                      "network not finalized: expected mvm_net_finalize after the last switch, "
                      "link or route was added");
    finalize(net);
    assert_path(net, 0, 1, (size_t[]){0, 3}, 2, 1000);
    assert_path_error(net, 0, 2,
                      "no network path from node 1 to node 3: their switches are not connected");
    assert_path_error(net, 2, 1,
                      "no network path from node 3 to node 2: their switches are not connected");
    assert_path_error(net, 0, 3,
                      "path from node 1 to node 4: expected node 4 to have a network link, it "
                      "has none");
    assert_path_error(net, 3, 0,
                      "path from node 4 to node 1: expected node 4 to have a network link, it "
                      "has none");
    assert_path_error(net, 1, 1, "path from node 2 to itself: expected two distinct nodes");
    assert_path_error(net, 0, 4, "path: expected node indices below 4, got 0 and 4");

    /* Adding un-finalizes; finalizing again connects the two switches. */
    add_link(net, 10, 40, 0, MVM_NET_END_SWITCH, 1);
    assert_path_error(net, 0, 2,
                      "network not finalized: expected mvm_net_finalize after the last switch, "
                      "link or route was added");
    finalize(net);
    assert_path(net, 0, 2, (size_t[]){0, 7, 5}, 3, 40);
    mvm_net_free(net);
}

static void test_names_and_capacities(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    /* Node ids differ from indices; switch and link ids differ from indices too. */
    int32_t ids[] = {30, 31};
    struct mvm_net *net = mvm_net_new(ids, 2, &err);
    assert_non_null(net);
    add_switch(net, 7, 2500, 0);
    add_switch(net, 3, -1, 1);
    add_link(net, 5, 1000, 0, MVM_NET_END_NODE, 1);
    add_link(net, 72, 10000, 1, MVM_NET_END_SWITCH, 0);
    add_link(net, 2, 100, 1, MVM_NET_END_NODE, 0);
    finalize(net);

    char buf[64];
    const char *names[] = {
        "link 5 (node 31 -> switch 7)",
        "link 5 (switch 7 -> node 31)",
        "link 72 (switch 7 -> switch 3)",
        "link 72 (switch 3 -> switch 7)",
        "link 2 (node 30 -> switch 3)",
        "link 2 (switch 3 -> node 30)",
        "switch 7",
        "switch 3",
        "resource 8 (out of range)",
    };
    const int64_t capacities[] = {1000, 1000, 10000, 10000, 100, 100, 2500, INT64_MAX, 0};
    assert_int_equal(mvm_net_resource_count(net), 8);
    for (size_t r = 0; r < COUNT(names); r++) {
        assert_ptr_equal(mvm_net_resource_name(net, r, buf, sizeof(buf)), buf);
        assert_string_equal(buf, names[r]);
        assert_int_equal(mvm_net_resource_capacity(net, r), capacities[r]);
    }
    assert_int_equal(mvm_net_link_resource(0, MVM_LINK_UP), 0);
    assert_int_equal(mvm_net_link_resource(0, MVM_LINK_DOWN), 1);
    assert_int_equal(mvm_net_link_resource(72, MVM_LINK_UP), 144);
    assert_int_equal(mvm_net_link_resource(72, MVM_LINK_DOWN), 145);

    /* Truncated into a small buffer, still terminated. */
    char small[8];
    assert_string_equal(mvm_net_resource_name(net, 2, small, sizeof(small)), "link 72");

    /* Node 30 -> node 31: link 2 UP, link 72 DOWN, switch 7, link 5 DOWN. */
    assert_path(net, 0, 1, (size_t[]){4, 3, 6, 1}, 4, 100);
    assert_path(net, 1, 0, (size_t[]){0, 6, 2, 5}, 4, 100);
    mvm_net_free(net);
}

static void assert_same_paths(const struct mvm_net *a, const struct mvm_net *b)
{
    struct mvm_error err = {0};
    struct mvm_path pa = {0}, pb = {0};
    assert_int_equal(a->node_count, b->node_count);
    for (size_t s = 0; s < a->node_count; s++) {
        for (size_t d = 0; d < a->node_count; d++) {
            if (s == d)
                continue;
            int ra = mvm_net_path(a, s, d, &pa, &err);
            int rb = mvm_net_path(b, s, d, &pb, &err);
            assert_int_equal(ra, rb);
            assert_int_equal(pa.count, pb.count);
            assert_memory_equal(pa.resources, pb.resources, pa.count * sizeof(size_t));
            assert_int_equal(pa.max_bw_mbps, pb.max_bw_mbps);
        }
    }
    mvm_path_clear(&pa);
    mvm_path_clear(&pb);
}

static void test_copy(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_net *net = rack_net(800, 5000);
    struct mvm_net *copy = mvm_net_copy(net, &err);
    assert_non_null(copy);
    assert_int_equal(copy->switch_count, net->switch_count);
    assert_int_equal(copy->link_count, net->link_count);
    for (size_t s = 0; s < net->switch_count; s++) {
        assert_int_equal(copy->switches[s].id, net->switches[s].id);
        assert_int_equal(copy->switches[s].capacity_mbps, net->switches[s].capacity_mbps);
    }
    for (size_t l = 0; l < net->link_count; l++) {
        assert_int_equal(copy->links[l].id, net->links[l].id);
        assert_int_equal(copy->links[l].capacity_mbps, net->links[l].capacity_mbps);
        assert_int_equal(copy->links[l].sw, net->links[l].sw);
        assert_int_equal(copy->links[l].end_type, net->links[l].end_type);
        assert_int_equal(copy->links[l].end, net->links[l].end);
    }
    assert_memory_equal(copy->node_ids, net->node_ids, net->node_count * sizeof(int32_t));
    assert_ptr_not_equal(copy->links, net->links);
    assert_int_equal(mvm_net_link_index(copy, 73), 73);
    assert_int_equal(mvm_net_switch_index(copy, 2), 2);
    assert_false(copy->implicit);
    assert_same_paths(net, copy);
    mvm_net_free(net);
    /* The copy stands alone. */
    assert_path(copy, 0, 50, (size_t[]){0, 150, 144, 153, 149, 101}, 6, 800);
    mvm_net_free(copy);

    /* Static routes, routing and implicitness are copied. */
    net = static_net(200);
    assert_int_equal(mvm_net_add_route(net, 0, 2, (size_t[]){0, 3, 2}, 3, &err), 0);
    assert_int_equal(mvm_net_add_route(net, 2, 1, (size_t[]){2, 1}, 2, &err), 0);
    finalize(net);
    net->implicit = true;
    copy = mvm_net_copy(net, &err);
    assert_non_null(copy);
    assert_int_equal(copy->routing, MVM_ROUTING_STATIC);
    assert_true(copy->implicit);
    assert_int_equal(copy->route_count, 2);
    assert_int_equal(copy->routes[0].link_count, 3);
    assert_ptr_not_equal(copy->routes[0].links, net->routes[0].links);
    assert_memory_equal(copy->routes[0].dirs, net->routes[0].dirs, 3 * sizeof(enum mvm_link_dir));
    assert_same_paths(net, copy);
    mvm_net_free(copy);

    /* A copy of a network not finalized is not finalized either. */
    assert_int_equal(mvm_net_add_route(net, 0, 1, (size_t[]){0, 3, 1}, 3, &err), 0);
    copy = mvm_net_copy(net, &err);
    assert_non_null(copy);
    assert_path_error(copy, 0, 1,
                      "network not finalized: expected mvm_net_finalize after the last switch, "
                      "link or route was added");
    finalize(copy);
    assert_path(copy, 0, 1, (size_t[]){0, 6, 9, 3}, 4, 200);
    mvm_net_free(copy);
    mvm_net_free(net);
}

static void test_path_reuse(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_net *net = rack_net(800, -1);
    struct mvm_path path = {0};
    assert_int_equal(mvm_net_path(net, 0, 50, &path, &err), 0);
    size_t *storage = path.resources;
    size_t capacity = path.capacity_;
    assert_non_null(storage);
    assert_true(capacity >= path.count);
    assert_int_equal(mvm_net_path(net, 60, 1, &path, &err), 0);
    assert_ptr_equal(path.resources, storage);
    assert_int_equal(path.capacity_, capacity);
    const size_t expected[] = {120, 148, 145, 150, 3};
    assert_int_equal(path.count, COUNT(expected));
    assert_memory_equal(path.resources, expected, sizeof(expected));
    assert_int_equal(path.max_bw_mbps, 800);
    /* A failing call keeps the storage too. */
    assert_int_equal(mvm_net_path(net, 3, 3, &path, &err), -1);
    assert_ptr_equal(path.resources, storage);
    assert_int_equal(path.count, 0);
    mvm_path_clear(&path);
    assert_null(path.resources);
    assert_int_equal(path.count, 0);
    assert_int_equal(path.capacity_, 0);

    /* Storage preallocated by the caller is used as is. */
    path.capacity_ = 64;
    path.resources = calloc(path.capacity_, sizeof(size_t));
    assert_non_null(path.resources);
    storage = path.resources;
    for (size_t i = 0; i < 100; i++) {
        size_t src = i % 72, dst = (src + 1 + i % 71) % 72;
        assert_int_equal(mvm_net_path(net, src, dst, &path, &err), 0);
        assert_ptr_equal(path.resources, storage);
        assert_int_equal(path.capacity_, 64);
    }
    mvm_path_clear(&path);
    mvm_net_free(net);
}

/*
 * Nodes with several links take the combination giving the shortest path; ties go
 * to the lowest link index. Switches A (id 0), B (1), C (2), D (3).
 */
static void test_multi_homed(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    int32_t ids[] = {0, 1, 2};
    struct mvm_net *net = mvm_net_new(ids, 3, &err);
    assert_non_null(net);
    for (size_t s = 0; s < 4; s++)
        add_switch(net, (int32_t)s, -1, s);
    /* Chain A - B - C - D. */
    add_link(net, 0, 100, 1, MVM_NET_END_SWITCH, 0); /* A -> B */
    add_link(net, 1, 100, 2, MVM_NET_END_SWITCH, 1); /* B -> C */
    add_link(net, 2, 100, 3, MVM_NET_END_SWITCH, 2); /* C -> D */
    /* Node 0 on A (link 3) and C (link 4); node 1 on D (link 5); node 2 on A and D. */
    add_link(net, 3, 1000, 0, MVM_NET_END_NODE, 0);
    add_link(net, 4, 500, 2, MVM_NET_END_NODE, 0);
    add_link(net, 5, 1000, 3, MVM_NET_END_NODE, 1);
    add_link(net, 6, 1000, 0, MVM_NET_END_NODE, 2);
    add_link(net, 7, 1000, 3, MVM_NET_END_NODE, 2);
    finalize(net);
    /* Node 0 -> node 1: via C (link 4 UP, link 2 UP, link 5 DOWN), not via A. */
    assert_path(net, 0, 1, (size_t[]){8, 4, 11}, 3, 100);
    assert_path(net, 1, 0, (size_t[]){10, 5, 9}, 3, 100);
    /* Node 1 -> node 2: node 2's link to D (same switch). */
    assert_path(net, 1, 2, (size_t[]){10, 15}, 2, 1000);
    /* Node 0 -> node 2: both on A (links 3 and 6), zero switch hops. */
    assert_path(net, 0, 2, (size_t[]){6, 13}, 2, 1000);
    assert_path(net, 2, 0, (size_t[]){12, 7}, 2, 1000);
    mvm_net_free(net);

    /* Ties: node 0 on A (link 2) and B (link 3), both one hop from C where node 1 is. */
    net = mvm_net_new(ids, 2, &err);
    assert_non_null(net);
    for (size_t s = 0; s < 3; s++)
        add_switch(net, (int32_t)s, -1, s);
    add_link(net, 10, 100, 2, MVM_NET_END_SWITCH, 1); /* B -> C, index 0 */
    add_link(net, 11, 100, 2, MVM_NET_END_SWITCH, 0); /* A -> C, index 1 */
    add_link(net, 12, 1000, 0, MVM_NET_END_NODE, 0);  /* index 2 */
    add_link(net, 13, 1000, 1, MVM_NET_END_NODE, 0);  /* index 3 */
    add_link(net, 14, 1000, 2, MVM_NET_END_NODE, 1);  /* index 4 */
    finalize(net);
    /* The lowest source link (2, on A) wins even though B's uplink has the lower index. */
    assert_path(net, 0, 1, (size_t[]){4, 2, 9}, 3, 100);
    /* Backwards, node 0's links tie too: the lowest (2, on A) wins. */
    assert_path(net, 1, 0, (size_t[]){8, 3, 5}, 3, 100);
    mvm_net_free(net);
}

/* Parallel links and a ring: the shortest path, lowest link indices on ties. */
static void test_shortest_and_ties(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    int32_t ids[] = {0, 1, 2};
    struct mvm_net *net = mvm_net_new(ids, 3, &err);
    assert_non_null(net);
    for (size_t s = 0; s < 6; s++)
        add_switch(net, (int32_t)s, -1, s);
    /* Ring 0-1-2-3-4-5-0, with a second, parallel 1-2 link of lower index. */
    add_link(net, 0, 70, 2, MVM_NET_END_SWITCH, 1);  /* 1 -> 2 (parallel, lowest) */
    add_link(net, 1, 100, 1, MVM_NET_END_SWITCH, 0); /* 0 -> 1 */
    add_link(net, 2, 100, 2, MVM_NET_END_SWITCH, 1); /* 1 -> 2 */
    add_link(net, 3, 100, 3, MVM_NET_END_SWITCH, 2); /* 2 -> 3 */
    add_link(net, 4, 100, 4, MVM_NET_END_SWITCH, 3); /* 3 -> 4 */
    add_link(net, 5, 100, 5, MVM_NET_END_SWITCH, 4); /* 4 -> 5 */
    add_link(net, 6, 100, 0, MVM_NET_END_SWITCH, 5); /* 5 -> 0 */
    add_link(net, 7, 1000, 0, MVM_NET_END_NODE, 0);  /* node 0 on switch 0 */
    add_link(net, 8, 1000, 2, MVM_NET_END_NODE, 1);  /* node 1 on switch 2 */
    add_link(net, 9, 1000, 3, MVM_NET_END_NODE, 2);  /* node 2 on switch 3 */
    finalize(net);
    /* 0 -> 2: two hops through 1 (parallel link 0 chosen over link 2). */
    assert_path(net, 0, 1, (size_t[]){14, 2, 0, 17}, 4, 70);
    assert_path(net, 1, 0, (size_t[]){16, 1, 3, 15}, 4, 70);
    /* 0 -> 3: three hops either way round; via switch 1 (link 1 < link 6). */
    assert_path(net, 0, 2, (size_t[]){14, 2, 0, 6, 19}, 5, 70);
    /* 3 -> 0: from switch 3, link 3 (to 2) is explored before link 4 (to 4). */
    assert_path(net, 2, 0, (size_t[]){18, 7, 1, 3, 15}, 5, 70);
    mvm_net_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rack_intra),
        cmocka_unit_test(test_rack_inter),
        cmocka_unit_test(test_blocking_switch),
        cmocka_unit_test(test_switch_blocking_values),
        cmocka_unit_test(test_static_routes),
        cmocka_unit_test(test_static_route_errors),
        cmocka_unit_test(test_static_many_routes),
        cmocka_unit_test(test_default_net),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_names_and_capacities),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_path_reuse),
        cmocka_unit_test(test_multi_homed),
        cmocka_unit_test(test_shortest_and_ties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
