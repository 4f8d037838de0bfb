/*
 * Routing on the real rack topologies of the scale families: racks of 24 nodes
 * on 1 Gbit/s links to a top-of-rack switch, racks joined by 10 Gbit/s x scale
 * uplinks to one aggregation switch. Pins the exact resources (link directions)
 * of intra- and inter-rack paths, their maximum bandwidth and resource names.
 */
#include "testutil.h"

#include <stdlib.h>

#include "mvm/io.h"
#include "mvm/net.h"

static struct mvm_instance *load(const char *rel)
{
    struct mvm_error err;
    mvm_error_clear(&err);
    struct mvm_instance *in = mvm_instance_load(DATA(rel), &err);
    if (in == NULL)
        fail_msg("%s: %s", rel, err.message);
    assert_non_null(in->model->net);
    return in;
}

static size_t link_res(const struct mvm_net *net, int32_t link_id, enum mvm_link_dir dir)
{
    size_t l = mvm_net_link_index(net, link_id);
    assert_int_not_equal(l, MVM_NONE);
    return mvm_net_link_resource(l, dir);
}

static void path_between(const struct mvm_instance *in, int32_t a, int32_t b, struct mvm_path *p)
{
    struct mvm_error err;
    mvm_error_clear(&err);
    size_t ia = mvm_model_node_index(in->model, a), ib = mvm_model_node_index(in->model, b);
    assert_int_equal(mvm_net_path(in->model->net, ia, ib, p, &err), 0);
}

static void test_x1_intra_and_inter_rack(void **state)
{
    (void)state;
    struct mvm_instance *in =
        load("instances/scale/random_decommissioning_infra_scale/x1-instance_1.json");
    const struct mvm_net *net = in->model->net;
    assert_int_equal(net->switch_count, 4);
    assert_int_equal(net->link_count, 75);
    struct mvm_path p = {0};

    /* same rack (switch 0): up the source's link, down the destination's */
    path_between(in, 0, 5, &p);
    assert_int_equal(p.count, 2);
    assert_int_equal(p.resources[0], link_res(net, 0, MVM_LINK_UP));
    assert_int_equal(p.resources[1], link_res(net, 5, MVM_LINK_DOWN));
    assert_int_equal(p.max_bw_mbps, 1000);

    /* rack 0 -> rack 2: node link up, rack 0 uplink (72) up, rack 2 uplink (74) down */
    path_between(in, 10, 60, &p);
    assert_int_equal(p.count, 4);
    assert_int_equal(p.resources[0], link_res(net, 10, MVM_LINK_UP));
    assert_int_equal(p.resources[1], link_res(net, 72, MVM_LINK_UP));
    assert_int_equal(p.resources[2], link_res(net, 74, MVM_LINK_DOWN));
    assert_int_equal(p.resources[3], link_res(net, 60, MVM_LINK_DOWN));
    assert_int_equal(p.max_bw_mbps, 1000);
    assert_int_equal(mvm_net_resource_capacity(net, p.resources[1]), 10000);

    char name[128];
    assert_string_equal(mvm_net_resource_name(net, p.resources[1], name, sizeof(name)),
                        "link 72 (switch 0 -> switch 3)");
    assert_string_equal(mvm_net_resource_name(net, p.resources[3], name, sizeof(name)),
                        "link 60 (switch 2 -> node 60)");

    /* the reverse direction uses the other half of each full-duplex link */
    path_between(in, 60, 10, &p);
    assert_int_equal(p.resources[0], link_res(net, 60, MVM_LINK_UP));
    assert_int_equal(p.resources[1], link_res(net, 74, MVM_LINK_UP));
    assert_int_equal(p.resources[2], link_res(net, 72, MVM_LINK_DOWN));
    assert_int_equal(p.resources[3], link_res(net, 10, MVM_LINK_DOWN));
    mvm_path_clear(&p);
    mvm_instance_free(in);
}

/* Every pair of x2 (6 racks, 20 Gbit/s uplinks): 2 hops within a rack, 4 across. */
static void test_x2_all_pairs(void **state)
{
    (void)state;
    struct mvm_instance *in =
        load("instances/scale/random_decommissioning_infra_scale/x2-instance_1.json");
    const struct mvm_net *net = in->model->net;
    assert_int_equal(net->switch_count, 7);
    struct mvm_path p = {0};
    for (int32_t a = 0; a < 144; a++)
        for (int32_t b = 0; b < 144; b++) {
            if (a == b)
                continue;
            path_between(in, a, b, &p);
            int32_t ra = a / 24, rb = b / 24;
            assert_int_equal(p.max_bw_mbps, 1000);
            if (ra == rb) {
                assert_int_equal(p.count, 2);
                continue;
            }
            assert_int_equal(p.count, 4);
            assert_int_equal(p.resources[1], link_res(net, 144 + ra, MVM_LINK_UP));
            assert_int_equal(p.resources[2], link_res(net, 144 + rb, MVM_LINK_DOWN));
            assert_int_equal(mvm_net_resource_capacity(net, p.resources[1]), 20000);
        }
    mvm_path_clear(&p);
    mvm_instance_free(in);
}

/* Decommissioning: every implied move leaves racks 0-1 for rack 2 through the uplinks. */
static void test_decommissioning_moves_cross_racks(void **state)
{
    (void)state;
    struct mvm_instance *in =
        load("instances/scale/random_decommissioning_infra_scale/x1-instance_1.json");
    struct mvm_error err;
    mvm_error_clear(&err);
    struct mvm_move *moves;
    size_t n;
    assert_int_equal(mvm_instance_implied_moves(in, &moves, &n, &err), 0);
    assert_int_equal(n, 96);
    struct mvm_path p = {0};
    for (size_t i = 0; i < n; i++) {
        int32_t from = in->model->nodes[moves[i].from].id, to = in->model->nodes[moves[i].to].id;
        assert_true(from < 48);
        assert_true(to >= 48);
        assert_int_equal(mvm_net_path(in->model->net, moves[i].from, moves[i].to, &p, &err), 0);
        assert_int_equal(p.count, 4);
        assert_int_equal(p.resources[2], link_res(in->model->net, 74, MVM_LINK_DOWN));
    }
    mvm_path_clear(&p);
    free(moves);
    mvm_instance_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_x1_intra_and_inter_rack),
        cmocka_unit_test(test_x2_all_pairs),
        cmocka_unit_test(test_decommissioning_moves_cross_racks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
