/*
 * The execution semantics' specification (REFERENCE section 9): the exact
 * dependency graph of a hand-made plan (a shared node, a shared link direction,
 * overlapping actions left independent, the per-element transitive reduction,
 * zero-length actions) and of mVM's random4 plan 1 (worked out by hand from its
 * times and paths); the network chosen for a plan and its re-indexing by node id;
 * a 100,000-action plan; action durations (model, attributes, the instance's
 * attributes, BtrPlace without a network); and re-timing: the ten random4 mVM
 * plans and mVM's energy plan re-timed with our model (makespans pinned, every
 * result verified), re-timing a plan without slack at model durations changes
 * nothing, and a migration that never converges is reported with its VM.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvm/constraint.h"
#include "mvm/exec.h"
#include "mvm/instance.h"
#include "mvm/io.h"
#include "mvm/net.h"
#include "mvm/plan.h"
#include "mvm/verify.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define NO MVM_NONE

/* ---- building models and plans ---- */

/*
 * Four online nodes (ids = indices) in two racks: nodes 0, 1 on switch 0, nodes
 * 2, 3 on switch 1, switch 1 linked up to switch 0 by link 4. Resources: link l
 * UP is 2l, DOWN 2l+1, so a migration 0 -> 2 takes {0, 9, 5}, 1 -> 3 takes
 * {2, 9, 7} and 3 -> 1 takes {6, 8, 3}. VM v (ids = indices) runs on node v % 4
 * and has memUsed 1000 MiB and no hot pages: at 1000 Mbit/s it migrates in 8 s.
 */
static struct mvm_model *racks_model(bool with_net)
{
    struct mvm_error err = {0};
    struct mvm_model *m = mvm_model_new(&err);
    assert_non_null(m);
    for (int32_t n = 0; n < 4; n++)
        assert_int_equal(mvm_model_add_node(m, n, MVM_NODE_ONLINE, &err), (size_t)n);
    for (int32_t v = 0; v < 8; v++) {
        size_t i = mvm_model_add_vm(m, v, MVM_VM_RUNNING, (size_t)v % 4, &err);
        assert_int_equal(i, (size_t)v);
        assert_int_equal(mvm_attrs_set_int(&m->vms[i].attrs, "memUsed", 1000, &err), 0);
        assert_int_equal(mvm_attrs_set_int(&m->vms[i].attrs, "hotDirtySize", 0, &err), 0);
    }
    if (!with_net)
        return m;
    const int32_t ids[] = {0, 1, 2, 3};
    struct mvm_net *net = mvm_net_new(ids, 4, &err);
    assert_non_null(net);
    assert_int_equal(mvm_net_add_switch(net, 0, -1, &err), 0);
    assert_int_equal(mvm_net_add_switch(net, 1, -1, &err), 1);
    for (size_t n = 0; n < 4; n++)
        assert_int_equal(mvm_net_add_link(net, (int32_t)n, 1000, n / 2, MVM_NET_END_NODE, n, &err),
                         n);
    assert_int_equal(mvm_net_add_link(net, 4, 1000, 0, MVM_NET_END_SWITCH, 1, &err), 4);
    assert_int_equal(mvm_net_finalize(net, &err), 0);
    assert_int_equal(mvm_model_set_net(m, net, &err), 0);
    return m;
}

static void add(struct mvm_plan *p, enum mvm_action_kind kind, size_t vm, size_t node, size_t from,
                size_t to, int64_t bw, int64_t start, int64_t end)
{
    struct mvm_error err = {0};
    struct mvm_action a = {.kind = kind,
                           .vm = vm,
                           .node = node,
                           .from = from,
                           .to = to,
                           .bw_mbps = bw,
                           .start = start,
                           .end = end};
    assert_int_equal(mvm_plan_add_action(p, &a, &err), 0);
}

static void migrate(struct mvm_plan *p, size_t vm, size_t from, size_t to, int64_t bw,
                    int64_t start, int64_t end)
{
    add(p, MVM_ACTION_MIGRATE_VM, vm, NO, from, to, bw, start, end);
}

/*
 * The hand-made plan (times are not meant to be consistent with VM states: the
 * graph looks at elements and times only):
 *   0 migrate vm0 0 -> 2 [0, 10]
 *   1 migrate vm1 1 -> 3 [10, 20]  no common node with 0, but link 4 downward
 *   2 migrate vm3 3 -> 1 [10, 20]  link 4 upward only: full duplex, not after 0
 *   3 shutdownVM vm4 on 0 [10, 15]
 *   4 allocate vm5 on 0 [12, 18]   overlaps 3
 *   5 suspendVM vm6 0 -> 0 [20, 25] after 3 and 4, not (also) after 0
 *   6 killVM vm4 on 0 [25, 25]     zero length
 *   7 killVM vm5 on 0 [25, 25]     zero length at the same second: after 6
 *   8 migrate vm7 3 -> 2 [5, 30]   overlaps everything it shares
 *   9 shutdownNode 3 [30, 40]      after 1, 2 and 8, which overlap
 */
static struct mvm_plan *hand_plan(bool with_net)
{
    struct mvm_error err = {0};
    struct mvm_plan *p = mvm_plan_new(racks_model(with_net), &err);
    assert_non_null(p);
    migrate(p, 0, 0, 2, 1000, 0, 10);
    migrate(p, 1, 1, 3, 1000, 10, 20);
    migrate(p, 3, 3, 1, 1000, 10, 20);
    add(p, MVM_ACTION_SHUTDOWN_VM, 4, 0, NO, NO, -1, 10, 15);
    add(p, MVM_ACTION_ALLOCATE, 5, 0, NO, NO, -1, 12, 18);
    add(p, MVM_ACTION_SUSPEND_VM, 6, NO, 0, 0, -1, 20, 25);
    add(p, MVM_ACTION_KILL_VM, 4, 0, NO, NO, -1, 25, 25);
    add(p, MVM_ACTION_KILL_VM, 5, 0, NO, NO, -1, 25, 25);
    migrate(p, 7, 3, 2, 500, 5, 30);
    add(p, MVM_ACTION_SHUTDOWN_NODE, NO, 3, NO, NO, -1, 30, 40);
    return p;
}

static struct mvm_depgraph *build(const struct mvm_plan *p, const struct mvm_net *net)
{
    struct mvm_error err = {0};
    struct mvm_depgraph *g = mvm_depgraph_build(p, net, &err);
    if (g == NULL)
        fail_msg("depgraph: %s", err.message);
    return g;
}

/* Checks the predecessors of action a; expected ends with NO (PREDS(g, a, NO): none). */
static void assert_preds(const struct mvm_depgraph *g, size_t a, const size_t *expected)
{
    size_t count, n = 0;
    const size_t *preds = mvm_depgraph_preds(g, a, &count);
    while (expected[n] != NO)
        n++;
    if (count != n)
        fail_msg("action %zu: %zu predecessors, expected %zu", a, count, n);
    for (size_t k = 0; k < n; k++)
        if (preds[k] != expected[k])
            fail_msg("action %zu: predecessor %zu is %zu, expected %zu", a, k, preds[k],
                     expected[k]);
}

#define PREDS(g, a, ...) assert_preds((g), (a), (const size_t[]){__VA_ARGS__, NO})

static void assert_succs(const struct mvm_depgraph *g, size_t a, const size_t *expected)
{
    size_t count, n = 0;
    const size_t *succs = mvm_depgraph_succs(g, a, &count);
    while (expected[n] != NO)
        n++;
    assert_int_equal(count, n);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(succs[k], expected[k]);
}

#define SUCCS(g, a, ...) assert_succs((g), (a), (const size_t[]){__VA_ARGS__, NO})

/* Every edge goes forward in the order and from an action ending by its successor's start. */
static void assert_consistent(const struct mvm_plan *p, const struct mvm_depgraph *g)
{
    size_t *rank = calloc(p->action_count + 1, sizeof(*rank));
    assert_non_null(rank);
    const size_t *order = mvm_depgraph_order(g);
    for (size_t r = 0; r < p->action_count; r++)
        rank[order[r]] = r;
    for (size_t a = 0; a < p->action_count; a++) {
        size_t count;
        const size_t *preds = mvm_depgraph_preds(g, a, &count);
        for (size_t k = 0; k < count; k++) {
            assert_true(rank[preds[k]] < rank[a]);
            assert_true(p->actions[preds[k]].end <= p->actions[a].start);
            assert_true(k == 0 || preds[k - 1] < preds[k]);
        }
    }
    free(rank);
}

/* ---- the dependency graph ---- */

static void test_hand_plan_graph(void **state)
{
    (void)state;
    struct mvm_plan *p = hand_plan(true);
    struct mvm_depgraph *g = build(p, p->origin->net);
    assert_int_equal(g->action_count, 10);
    PREDS(g, 0, NO);
    PREDS(g, 1, 0);  /* link 4 downward only */
    PREDS(g, 2, NO); /* link 4 upward: the other direction of a full-duplex link */
    PREDS(g, 3, 0);
    PREDS(g, 4, 0);    /* 3 still runs at 12 */
    PREDS(g, 5, 3, 4); /* 0 is implied by 3 (and 4) on node 0 */
    PREDS(g, 6, 5);
    PREDS(g, 7, 6);  /* same second, zero length: index order, and 5 is implied by 6 */
    PREDS(g, 8, NO); /* overlaps 0 on node 2 and link 2 down, 1 and 2 on node 3 */
    PREDS(g, 9, 1, 2, 8);
    assert_int_equal(g->edge_count, 10);
    SUCCS(g, 0, 1, 3, 4);
    SUCCS(g, 1, 9);
    SUCCS(g, 2, 9);
    SUCCS(g, 3, 5);
    SUCCS(g, 4, 5);
    SUCCS(g, 5, 6);
    SUCCS(g, 6, 7);
    SUCCS(g, 7, NO);
    SUCCS(g, 8, 9);
    SUCCS(g, 9, NO);
    const size_t order[] = {0, 8, 3, 1, 2, 4, 5, 6, 7, 9};
    for (size_t r = 0; r < COUNT(order); r++)
        assert_int_equal(mvm_depgraph_order(g)[r], order[r]);
    assert_consistent(p, g);
    mvm_depgraph_free(g);

    /* without the network (the assumed default), only nodes are shared: 1 no longer waits */
    g = build(p, NULL);
    PREDS(g, 1, NO);
    PREDS(g, 5, 3, 4);
    PREDS(g, 9, 1, 2, 8);
    assert_int_equal(g->edge_count, 9);
    mvm_depgraph_free(g);
    mvm_plan_free(p);
}

static void test_graph_rejects_bad_input(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_plan *p = hand_plan(true);
    p->actions[4].end = 11; /* before its start at 12 */
    assert_null(mvm_depgraph_build(p, p->origin->net, &err));
    assert_int_equal(err.code, MVM_ERR_INVALID);
    assert_non_null(strstr(err.message, "action 4 (allocate) ends at t=11 s, before it starts"));
    p->actions[4].end = 18;

    /* a network of another model's nodes */
    const int32_t ids[] = {0, 1};
    struct mvm_net *other = mvm_net_new_default(ids, 2, 1000, &err);
    assert_non_null(other);
    other->implicit = false;
    mvm_error_clear(&err);
    assert_null(mvm_depgraph_build(p, other, &err));
    assert_int_equal(err.code, MVM_ERR_INVALID);
    mvm_net_free(other);

    /* a migration the network has no path for: a node cut off */
    struct mvm_error e2 = {0};
    struct mvm_model *m = mvm_model_new(&e2);
    for (int32_t n = 0; n < 2; n++)
        mvm_model_add_node(m, n, MVM_NODE_ONLINE, &e2);
    mvm_model_add_vm(m, 0, MVM_VM_RUNNING, 0, &e2);
    struct mvm_net *net = mvm_net_new(ids, 2, &e2);
    mvm_net_add_switch(net, 0, -1, &e2);
    mvm_net_add_link(net, 0, 1000, 0, MVM_NET_END_NODE, 0, &e2);
    assert_int_equal(mvm_net_finalize(net, &e2), 0);
    assert_int_equal(mvm_model_set_net(m, net, &e2), 0);
    struct mvm_plan *q = mvm_plan_new(m, &e2);
    migrate(q, 0, 0, 1, 1000, 0, 10);
    assert_null(mvm_depgraph_build(q, m->net, &err));
    assert_int_equal(err.code, MVM_ERR_INVALID);
    assert_non_null(strstr(err.message, "migrateVM of vm 0 from node 0 to node 1"));
    mvm_plan_free(q);
    mvm_plan_free(p);
}

static struct mvm_instance *load_instance(const char *path)
{
    struct mvm_error err = {0};
    struct mvm_instance *in = mvm_instance_load(path, &err);
    if (in == NULL)
        fail_msg("%s: %s", path, err.message);
    return in;
}

static struct mvm_plan *load_plan(const char *path)
{
    struct mvm_error err = {0};
    struct mvm_plan *plan = mvm_plan_load(path, &err);
    if (plan == NULL)
        fail_msg("%s: %s", path, err.message);
    return plan;
}

static struct mvm_instance *random4_instance(int n)
{
    char rel[64];
    snprintf(rel, sizeof(rel), "instances/random4/instance.%d.json", n);
    return load_instance(DATA(rel));
}

static struct mvm_plan *random4_plan(int n)
{
    char rel[64];
    snprintf(rel, sizeof(rel), "instances/random4/mvm-plan.%d.json", n);
    return load_plan(DATA(rel));
}

/*
 * mVM's random4 plan 1, actions by index (vm, from -> to, Mbit/s, [start, end]):
 *   0 vm2 2->3 1000 [70,90]    5 vm8 0->3 500 [0,70]
 *   1 vm6 2->0  500 [0,70]     6 vm5 1->3 500 [0,70]
 *   2 vm0 0->3  500 [90,141]   7 vm7 3->2 1000 [0,29]
 *   3 vm1 1->0  500 [140,191]  8 vm3 3->2 1000 [29,49]
 *   4 vm4 0->1  500 [141,192]  9 vm9 1->0 500 [70,140]
 * One non-blocking switch: a path is the source's link up and the destination's
 * link down. By element: node 0 orders {1, 5} < 9 and 2 (9 and 2 overlap) < 3,
 * 4 waits for 9 and 2; node 1: 6 < 9 < 3, 4; node 2: 7 < 8, then 8 and 1 < 0;
 * node 3: 7 < 8, then 8, 5, 6 < 0 < 2. Links add nothing: each belongs to one
 * node.
 */
static void test_random4_plan1_graph(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_instance *in = random4_instance(1);
    struct mvm_plan *p = random4_plan(1);
    struct mvm_net *owned = NULL;
    const struct mvm_net *net = mvm_plan_network(p, in, &owned, &err);
    assert_ptr_equal(net, in->model->net); /* the origin has no view; same nodes: borrowed */
    assert_null(owned);
    struct mvm_depgraph *g = build(p, net);
    PREDS(g, 0, 1, 5, 6, 8);
    PREDS(g, 1, NO);
    PREDS(g, 2, 0, 1, 5);
    PREDS(g, 3, 9);
    PREDS(g, 4, 2, 9);
    PREDS(g, 5, NO);
    PREDS(g, 6, NO);
    PREDS(g, 7, NO);
    PREDS(g, 8, 7);
    PREDS(g, 9, 1, 5, 6);
    assert_int_equal(g->edge_count, 14);
    assert_consistent(p, g);
    mvm_depgraph_free(g);

    /* the default network gives the same graph: a star of one link per node */
    g = build(p, NULL);
    assert_int_equal(g->edge_count, 14);
    PREDS(g, 0, 1, 5, 6, 8);
    PREDS(g, 4, 2, 9);
    mvm_depgraph_free(g);
    mvm_plan_free(p);
    mvm_instance_free(in);
}

/* Minimal linear congruential generator: the synthetic plan is the same on every run. */
static uint32_t next_random(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(*s >> 33);
}

/*
 * 100,000 migrations among 1,000 nodes in 50 racks of 20 (10 Gbit/s uplinks to
 * one aggregation switch), at random times: the graph builds and is consistent,
 * and its earliest schedule at the planned durations starts no action later than
 * planned (the plan is one schedule of the graph) and respects every edge.
 */
static void test_large_plan_builds(void **state)
{
    (void)state;
    enum { NODES = 1000, RACK = 20, VMS = 10000, ACTIONS = 100000 };
    struct mvm_error err = {0};
    struct mvm_model *m = mvm_model_new(&err);
    int32_t *ids = calloc(NODES, sizeof(*ids));
    assert_non_null(ids);
    for (int32_t n = 0; n < NODES; n++) {
        ids[n] = n;
        mvm_model_add_node(m, n, MVM_NODE_ONLINE, &err);
    }
    for (int32_t v = 0; v < VMS; v++)
        mvm_model_add_vm(m, v, MVM_VM_RUNNING, (size_t)v % NODES, &err);
    struct mvm_net *net = mvm_net_new(ids, NODES, &err);
    free(ids);
    for (size_t s = 0; s <= NODES / RACK; s++)
        assert_int_equal(mvm_net_add_switch(net, (int32_t)s, -1, &err), s);
    for (size_t n = 0; n < NODES; n++)
        mvm_net_add_link(net, (int32_t)n, 1000, n / RACK, MVM_NET_END_NODE, n, &err);
    for (size_t t = 0; t < NODES / RACK; t++)
        mvm_net_add_link(net, (int32_t)(NODES + t), 10000, NODES / RACK, MVM_NET_END_SWITCH, t,
                         &err);
    assert_int_equal(mvm_net_finalize(net, &err), 0);
    assert_int_equal(mvm_model_set_net(m, net, &err), 0);
    struct mvm_plan *p = mvm_plan_new(m, &err);
    uint64_t seed = 42;
    for (size_t k = 0; k < ACTIONS; k++) {
        size_t from = next_random(&seed) % NODES;
        size_t to = (from + 1 + next_random(&seed) % (NODES - 1)) % NODES;
        int64_t start = next_random(&seed) % 200000, length = 5 + next_random(&seed) % 60;
        migrate(p, k % VMS, from, to, 1000, start, start + length);
    }
    struct mvm_depgraph *g = build(p, m->net);
    assert_int_equal(g->action_count, ACTIONS);
    assert_true(g->edge_count > 0);
    assert_consistent(p, g);
    int64_t *d = calloc(ACTIONS, sizeof(*d)), *s = calloc(ACTIONS, sizeof(*s));
    assert_non_null(d);
    assert_non_null(s);
    for (size_t k = 0; k < ACTIONS; k++)
        d[k] = p->actions[k].end - p->actions[k].start;
    mvm_depgraph_earliest_starts(g, d, s);
    for (size_t a = 0; a < ACTIONS; a++) {
        assert_true(s[a] >= 0 && s[a] <= p->actions[a].start);
        size_t count;
        const size_t *preds = mvm_depgraph_preds(g, a, &count);
        for (size_t k = 0; k < count; k++)
            assert_true(s[preds[k]] + d[preds[k]] <= s[a]);
    }
    free(d);
    free(s);
    mvm_depgraph_free(g);
    mvm_plan_free(p);
}

/* ---- which network ---- */

/* A model of nodes with these ids, online, and optionally a star network (link id = index). */
static struct mvm_model *star_model(const int32_t *ids, size_t count, bool with_net,
                                    bool static_routing)
{
    struct mvm_error err = {0};
    struct mvm_model *m = mvm_model_new(&err);
    for (size_t n = 0; n < count; n++)
        assert_int_equal(mvm_model_add_node(m, ids[n], MVM_NODE_ONLINE, &err), n);
    if (!with_net)
        return m;
    struct mvm_net *net = mvm_net_new(ids, count, &err);
    mvm_net_add_switch(net, 7, -1, &err);
    for (size_t n = 0; n < count; n++)
        mvm_net_add_link(net, (int32_t)n, 100 * (int64_t)(n + 1), 0, MVM_NET_END_NODE, n, &err);
    if (static_routing) {
        net->routing = MVM_ROUTING_STATIC;
        const size_t route[] = {0, 2}; /* node 10 to node 30 only */
        assert_int_equal(mvm_net_add_route(net, 0, 2, route, 2, &err), 0);
    }
    assert_int_equal(mvm_net_finalize(net, &err), 0);
    assert_int_equal(mvm_model_set_net(m, net, &err), 0);
    return m;
}

/* The path between origin nodes src and dst as link ids and directions ("0u 2d"). */
static void path_links(const struct mvm_net *net, size_t src, size_t dst, char *buf, size_t size)
{
    struct mvm_error err = {0};
    struct mvm_path path = {0};
    assert_int_equal(mvm_net_path(net, src, dst, &path, &err), 0);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < path.count && used < size; k++)
        used += (size_t)snprintf(buf + used, size - used, "%s%d%c", k ? " " : "",
                                 (int)net->links[path.resources[k] / 2].id,
                                 path.resources[k] % 2 == MVM_LINK_UP ? 'u' : 'd');
    mvm_path_clear(&path);
}

static void test_network_choice(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    const int32_t holder_ids[] = {10, 20, 30}, origin_ids[] = {30, 10};
    for (int routing = 0; routing < 2; routing++) {
        struct mvm_instance *in =
            mvm_instance_new(star_model(holder_ids, 3, true, routing == 1), &err);
        struct mvm_plan *p = mvm_plan_new(star_model(origin_ids, 2, false, false), &err);
        struct mvm_net *owned = NULL;
        const struct mvm_net *net = mvm_plan_network(p, in, &owned, &err);
        /* the instance's nodes are not the origin's: re-indexed copy, node 20 left out */
        assert_non_null(owned);
        assert_ptr_equal(net, owned);
        assert_int_equal(net->node_count, 2);
        assert_int_equal(net->node_ids[0], 30);
        assert_int_equal(net->node_ids[1], 10);
        assert_int_equal(net->link_count, 2);
        assert_int_equal(net->routing, routing == 1 ? MVM_ROUTING_STATIC : MVM_ROUTING_DEFAULT);
        char links[64];
        path_links(net, 1, 0, links, sizeof(links)); /* node 10 to node 30 */
        assert_string_equal(links, "0u 2d");
        mvm_net_free(owned);
        mvm_plan_free(p);
        mvm_instance_free(in);
    }

    /* the origin's own view comes first; none at all gives the implicit default */
    struct mvm_instance *in = mvm_instance_new(star_model(holder_ids, 3, true, false), &err);
    struct mvm_plan *p = mvm_plan_new(star_model(origin_ids, 2, true, false), &err);
    struct mvm_net *owned = NULL;
    assert_ptr_equal(mvm_plan_network(p, in, &owned, &err), p->origin->net);
    assert_null(owned);
    mvm_plan_free(p);
    p = mvm_plan_new(star_model(origin_ids, 2, false, false), &err);
    const struct mvm_net *net = mvm_plan_network(p, NULL, &owned, &err);
    assert_non_null(owned);
    assert_true(net->implicit);
    assert_int_equal(net->node_count, 2);
    assert_int_equal(net->links[0].capacity_mbps, MVM_NET_DEFAULT_LINK_MBPS);
    mvm_net_free(owned);
    mvm_plan_free(p);
    mvm_instance_free(in);
}

/* ---- durations ---- */

static void test_durations(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_plan *p = hand_plan(true);
    struct mvm_model *o = p->origin;
    assert_int_equal(mvm_attrs_set_int(&o->nodes[3].attrs, "shutdown", 30, &err), 0);
    assert_int_equal(mvm_attrs_set_double(&o->vms[4].attrs, "kill", 2.4, &err), 0);
    assert_int_equal(mvm_attrs_set_int(&o->vms[5].attrs, "allocate", 0, &err), 0);
    int64_t d[10];
    assert_int_equal(mvm_plan_durations(p, NULL, MVM_MIGRATION_PRECOPY, d, &err), 0);
    /* 1000 MiB at 125 MiB/s: 8 s; at 500 Mbit/s: 16 s; attributes rounded, 1 s when absent */
    const int64_t expected[] = {8, 8, 8, 1, 0, 1, 2, 1, 16, 30};
    for (size_t i = 0; i < COUNT(expected); i++)
        assert_int_equal(d[i], expected[i]);
    assert_false(mvm_plan_net_unmanaged(p, NULL));

    /* an action of unknown kind has no known duration */
    struct mvm_action other = {.kind = MVM_ACTION_OTHER,
                               .vm = NO,
                               .node = NO,
                               .from = NO,
                               .to = NO,
                               .json = strdup("{\"id\":\"x\"}")};
    assert_int_equal(mvm_plan_add_action(p, &other, &err), 0);
    int64_t d11[11];
    assert_int_equal(mvm_plan_durations(p, NULL, MVM_MIGRATION_PRECOPY, d11, &err), -1);
    assert_int_equal(err.code, MVM_ERR_UNSUPPORTED);
    mvm_plan_free(p);
}

/* Attributes missing from the origin come from the instance's elements with the same ids. */
static void test_durations_from_instance_attributes(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_plan *p = hand_plan(true);
    struct mvm_instance *in = mvm_instance_new(mvm_model_copy(p->origin, &err), &err);
    assert_int_equal(mvm_attrs_set_int(&in->model->vms[0].attrs, "memUsed", 2000, &err), 0);
    assert_int_equal(mvm_attrs_set_int(&in->model->nodes[3].attrs, "shutdown", 30, &err), 0);
    mvm_attrs_clear(&p->origin->vms[0].attrs);
    int64_t d[10];
    assert_int_equal(mvm_plan_durations(p, NULL, MVM_MIGRATION_PRECOPY, d, &err), -1);
    assert_int_equal(err.code, MVM_ERR_INVALID);
    assert_non_null(strstr(err.message, "vm 0: attribute memUsed"));
    assert_int_equal(mvm_plan_durations(p, in, MVM_MIGRATION_PRECOPY, d, &err), 0);
    assert_int_equal(d[0], 16); /* 2000 MiB from the instance */
    assert_int_equal(d[9], 30); /* the origin's node 3 has no attributes: the instance's */
    mvm_plan_free(p);
    mvm_instance_free(in);
}

/* BtrPlace without a network: bandwidth 2147483647 and durations from `migrate`. */
static void test_durations_unmanaged_network(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_plan *p = mvm_plan_new(racks_model(false), &err);
    assert_int_equal(mvm_attrs_set_int(&p->origin->vms[0].attrs, "migrate", 7, &err), 0);
    migrate(p, 0, 0, 1, MVM_NET_UNLIMITED, 0, 3);
    migrate(p, 1, 1, 0, MVM_NET_UNLIMITED, 0, 3);
    assert_true(mvm_plan_net_unmanaged(p, NULL));
    int64_t d[2];
    assert_int_equal(mvm_plan_durations(p, NULL, MVM_MIGRATION_PRECOPY, d, &err), 0);
    assert_int_equal(d[0], 7);
    assert_int_equal(d[1], 1);
    struct mvm_plan *r = NULL;
    assert_int_equal(mvm_plan_retime(p, NULL, MVM_MIGRATION_PRECOPY, &r, &err), 0);
    assert_int_equal(r->actions[0].end, 7); /* they overlap: independent */
    assert_int_equal(r->actions[1].end, 1);
    mvm_plan_free(r);
    /* one managed bandwidth and the model applies: at 2147483647 Mbit/s, 1 s */
    p->actions[1].bw_mbps = 1000;
    assert_false(mvm_plan_net_unmanaged(p, NULL));
    assert_int_equal(mvm_plan_durations(p, NULL, MVM_MIGRATION_PRECOPY, d, &err), 0);
    assert_int_equal(d[0], 1);
    assert_int_equal(d[1], 8);
    mvm_plan_free(p);
}

/* ---- re-timing ---- */

static struct mvm_plan *retime(const struct mvm_plan *p, const struct mvm_instance *in,
                               enum mvm_migration_model model)
{
    struct mvm_error err = {0};
    struct mvm_plan *out = NULL;
    if (mvm_plan_retime(p, in, model, &out, &err) < 0)
        fail_msg("retime: %s", err.message);
    return out;
}

static void assert_verifies(const struct mvm_instance *in, const struct mvm_plan *p,
                            enum mvm_migration_model model)
{
    struct mvm_error err = {0};
    struct mvm_verify_options o;
    mvm_verify_options_init(&o);
    o.model = model;
    o.start_epoch = INT64_C(1700000000);
    struct mvm_verify_report r = {0};
    assert_int_equal(mvm_plan_verify(in, p, &o, &r, &err), 0);
    if (r.count > 0)
        fail_msg("re-timed plan invalid: %s", r.items[0].message);
    mvm_verify_report_clear(&r);
}

static int64_t sum_of_ends(const struct mvm_plan *p)
{
    int64_t s = 0;
    for (size_t i = 0; i < p->action_count; i++)
        s += p->actions[i].end;
    return s;
}

/*
 * Plan 1 by hand. Pre-copy, hot pages 96 MiB every 2 s, cold 2 MiB/s: at
 * 500 Mbit/s (62.5 MiB/s) 2000 MiB take 32 + 156/60.5 + 1.536 * 48/14.5 = 39.7 s
 * -> 40 and 3000 MiB 48 + 188/60.5 + 5.08 = 56.2 -> 56; at 1000 Mbit/s 2000 MiB
 * take 16 + 124/123 + 0.768 * 48/77 = 17.5 -> 17 and 3000 MiB 25.6 -> 26. With
 * the graph of test_random4_plan1_graph: 1, 5, 6 [0, 56], 7 [0, 26], 8 [26, 43],
 * 0 [56, 73], 9 [56, 112], 2 [73, 113], 3 [112, 152], 4 [113, 153].
 */
static void test_retime_random4_plan1(void **state)
{
    (void)state;
    struct mvm_instance *in = random4_instance(1);
    struct mvm_plan *p = random4_plan(1);
    struct mvm_plan *r = retime(p, in, MVM_MIGRATION_PRECOPY);
    const int64_t start[] = {56, 0, 73, 112, 113, 0, 0, 0, 26, 56};
    const int64_t end[] = {73, 56, 113, 152, 153, 56, 56, 26, 43, 112};
    assert_int_equal(r->action_count, 10);
    for (size_t i = 0; i < COUNT(start); i++) {
        assert_int_equal(r->actions[i].start, start[i]);
        assert_int_equal(r->actions[i].end, end[i]);
        /* everything but the times is kept */
        assert_int_equal(r->actions[i].vm, p->actions[i].vm);
        assert_int_equal(r->actions[i].bw_mbps, p->actions[i].bw_mbps);
        assert_string_equal(r->actions[i].hooks, p->actions[i].hooks);
    }
    assert_ptr_not_equal(r->origin, p->origin);
    assert_true(mvm_model_same_mapping(r->origin, p->origin));
    assert_int_equal(mvm_plan_makespan(r), 153);
    assert_int_equal(sum_of_ends(r), 840);
    assert_verifies(in, r, MVM_MIGRATION_PRECOPY);
    mvm_plan_free(r);

    /* noDP: 32, 48, 16 and 24 s; the chain 9 -> 3 ends at 48 + 48 + 32 */
    r = retime(p, in, MVM_MIGRATION_NODP);
    assert_int_equal(mvm_plan_makespan(r), 128);
    assert_verifies(in, r, MVM_MIGRATION_NODP);
    mvm_plan_free(r);
    mvm_plan_free(p);
    mvm_instance_free(in);
}

/*
 * The ten random4 plans of mVM (durations from bandwidth/9) re-timed with our
 * pre-copy model: about 20% shorter, and every one still valid. Re-timing keeps
 * every pair of actions that share an element and do not overlap in order, so
 * what runs together on an element after re-timing ran together before: no
 * capacity can be exceeded that was not before.
 */
static void test_retime_random4_plans(void **state)
{
    (void)state;
    const int64_t published[] = {192, 312, 310, 291, 261, 191, 211, 242, 191, 223};
    const int64_t makespan[] = {153, 248, 251, 235, 208, 152, 169, 192, 152, 176};
    const int64_t ends[] = {840, 1217, 1378, 1166, 1107, 888, 949, 1041, 819, 996};
    for (int n = 1; n <= 10; n++) {
        struct mvm_instance *in = random4_instance(n);
        struct mvm_plan *p = random4_plan(n);
        assert_int_equal(mvm_plan_makespan(p), published[n - 1]);
        struct mvm_plan *r = retime(p, in, MVM_MIGRATION_PRECOPY);
        assert_int_equal(mvm_plan_makespan(r), makespan[n - 1]);
        assert_int_equal(sum_of_ends(r), ends[n - 1]);
        assert_verifies(in, r, MVM_MIGRATION_PRECOPY);

        /* identity: at model durations and without slack, re-timing changes nothing */
        struct mvm_plan *again = retime(r, in, MVM_MIGRATION_PRECOPY);
        for (size_t i = 0; i < r->action_count; i++) {
            assert_int_equal(again->actions[i].start, r->actions[i].start);
            assert_int_equal(again->actions[i].end, r->actions[i].end);
        }
        mvm_plan_free(again);
        mvm_plan_free(r);
        mvm_plan_free(p);
        mvm_instance_free(in);
    }
}

/*
 * A hand-made plan at model durations without slack keeps its times; the same
 * plan with slack (everything after the first action delayed) gets them back.
 */
static void test_retime_identity_and_slack(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_plan *p = mvm_plan_new(racks_model(true), &err);
    assert_int_equal(mvm_attrs_set_int(&p->origin->vms[4].attrs, "shutdown", 5, &err), 0);
    migrate(p, 0, 0, 2, 1000, 0, 8);                           /* 8 s at 1000 Mbit/s */
    add(p, MVM_ACTION_SHUTDOWN_VM, 4, 0, NO, NO, -1, 8, 13);   /* after 0 on node 0 */
    migrate(p, 1, 1, 3, 1000, 8, 16);                          /* after 0 on link 4 */
    migrate(p, 5, 1, 0, 500, 16, 32);                          /* after 2 (node 1), 1 (node 0) */
    add(p, MVM_ACTION_SHUTDOWN_NODE, NO, 2, NO, NO, -1, 8, 9); /* after 0 on node 2 */
    struct mvm_plan *r = retime(p, NULL, MVM_MIGRATION_PRECOPY);
    for (size_t i = 0; i < p->action_count; i++) {
        assert_int_equal(r->actions[i].start, p->actions[i].start);
        assert_int_equal(r->actions[i].end, p->actions[i].end);
    }
    mvm_plan_free(r);
    for (size_t i = 1; i < p->action_count; i++) {
        p->actions[i].start += 5;
        p->actions[i].end += 5;
    }
    r = retime(p, NULL, MVM_MIGRATION_PRECOPY);
    const int64_t start[] = {0, 8, 8, 16, 8};
    for (size_t i = 0; i < COUNT(start); i++)
        assert_int_equal(r->actions[i].start, start[i]);
    assert_int_equal(mvm_plan_makespan(r), 32);
    mvm_plan_free(r);
    mvm_plan_free(p);
}

/* Adds a constraint on one VM and/or one node (instance indices). */
static void add_constraint(struct mvm_instance *in, enum mvm_constraint_kind kind, size_t vm,
                           size_t node)
{
    struct mvm_error err = {0};
    struct mvm_constraint c = {.kind = kind, .continuous = MVM_CONTINUOUS_UNSET};
    c.name = strdup(mvm_constraint_kind_name(kind));
    if (vm != NO) {
        c.vms = malloc(sizeof(*c.vms));
        c.vms[0] = vm;
        c.vm_count = 1;
    }
    if (node != NO) {
        c.nodes = malloc(sizeof(*c.nodes));
        c.nodes[0] = node;
        c.node_count = 1;
    }
    assert_int_equal(mvm_instance_add_constraint(in, &c, &err), 0);
}

/*
 * mVM's energy decommissioning plan (96 migrations, 24 boots, 48 shutdowns; its
 * origin carries the network) re-timed: node actions keep their `boot` and
 * `shutdown` attributes, migrations get the model, and the result verifies
 * against the decommissioning as an instance (migrated VMs fenced to their
 * destinations, nodes shut down offline, nodes booted online).
 */
static void test_retime_energy_plan(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_plan *p = load_plan(DATA("instances/energy/mvm-plan.json"));
    struct mvm_instance *in = mvm_instance_new(mvm_model_copy(p->origin, &err), &err);
    assert_non_null(in);
    for (size_t i = 0; i < p->action_count; i++) {
        const struct mvm_action *a = &p->actions[i];
        if (a->kind == MVM_ACTION_MIGRATE_VM)
            add_constraint(in, MVM_CONSTRAINT_FENCE, a->vm, a->to);
        else if (a->kind == MVM_ACTION_SHUTDOWN_NODE)
            add_constraint(in, MVM_CONSTRAINT_OFFLINE, NO, a->node);
        else if (a->kind == MVM_ACTION_BOOT_NODE)
            add_constraint(in, MVM_CONSTRAINT_ONLINE, NO, a->node);
    }
    assert_verifies(in, p, MVM_MIGRATION_PRECOPY);
    struct mvm_plan *r = retime(p, in, MVM_MIGRATION_PRECOPY);
    assert_int_equal(mvm_plan_makespan(p), 407);
    assert_int_equal(mvm_plan_makespan(r), 397);
    assert_int_equal(sum_of_ends(r), 41040);
    assert_verifies(in, r, MVM_MIGRATION_PRECOPY);
    mvm_plan_free(r);
    mvm_instance_free(in);
    mvm_plan_free(p);
}

static void test_retime_non_convergent(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_instance *in = random4_instance(1);
    struct mvm_plan *p = random4_plan(1);
    p->actions[3].bw_mbps = 300; /* vm 1: 37.5 MiB/s, below its 48 MiB/s of hot pages */
    struct mvm_plan *r = NULL;
    assert_int_equal(mvm_plan_retime(p, in, MVM_MIGRATION_PRECOPY, &r, &err), -1);
    assert_null(r);
    assert_int_equal(err.code, MVM_ERR_INFEASIBLE);
    assert_non_null(strstr(err.message, "vm 1: pre-copy never converges at 300 Mbit/s"));
    /* noDP has no dirty pages: 2000 MiB at 37.5 MiB/s, 53.3 s */
    r = retime(p, in, MVM_MIGRATION_NODP);
    assert_int_equal(r->actions[3].end - r->actions[3].start, 53);
    mvm_plan_free(r);
    p->actions[3].bw_mbps = -1;
    assert_int_equal(mvm_plan_retime(p, in, MVM_MIGRATION_PRECOPY, &r, &err), -1);
    assert_int_equal(err.code, MVM_ERR_INVALID);
    mvm_plan_free(p);
    mvm_instance_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_plan_graph),
        cmocka_unit_test(test_graph_rejects_bad_input),
        cmocka_unit_test(test_random4_plan1_graph),
        cmocka_unit_test(test_large_plan_builds),
        cmocka_unit_test(test_network_choice),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_durations_from_instance_attributes),
        cmocka_unit_test(test_durations_unmanaged_network),
        cmocka_unit_test(test_retime_random4_plan1),
        cmocka_unit_test(test_retime_random4_plans),
        cmocka_unit_test(test_retime_identity_and_slack),
        cmocka_unit_test(test_retime_energy_plan),
        cmocka_unit_test(test_retime_non_convergent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
