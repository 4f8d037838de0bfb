/*
 * The generator's specification: at the published scales (x1, infra x2, vms x2)
 * a generated instance has the structure of the published file of the same
 * family (nodes and their states and attributes, switch and link ids and
 * capacities, resource capacities and consumptions, VM types, the kinds, order
 * and flags of the constraints, the objective); its fences always describe a
 * final placement within every node's capacities; the same seed gives the same
 * bytes and another seed another placement; files round-trip; larger scales
 * (infra x10, vms x18) have the published sizes; impossible options are
 * rejected with a message.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mvm/generate.h"
#include "mvm/io.h"
#include "mvm/net.h"

/* Options as `mvm generate FAMILY --scale infra:K --scale vms:V` sets them. */
static struct mvm_generate_options preset(enum mvm_generate_family family, size_t infra_k,
                                          size_t vms_k, bool infra_preset, uint64_t seed)
{
    struct mvm_generate_options o;
    mvm_generate_options_init(&o, family);
    o.racks *= infra_k;
    o.scale_aggregation *= (double)infra_k;
    o.vms_per_node *= vms_k;
    if (infra_preset && family == MVM_GENERATE_RANDOM)
        o.node_attributes = false; /* as the published random_infra_scale files */
    o.seed = seed;
    return o;
}

static struct mvm_instance *generate_ok(const struct mvm_generate_options *o)
{
    struct mvm_error err = {0};
    struct mvm_instance *in = mvm_generate(o, &err);
    if (in == NULL) {
        char buf[2048];
        fail_msg("%s", mvm_error_format(&err, buf, sizeof(buf)));
    }
    return in;
}

static struct mvm_instance *load_ok(const char *path)
{
    struct mvm_error err = {0};
    struct mvm_instance *in = mvm_instance_load(path, &err);
    if (in == NULL) {
        char buf[2048];
        fail_msg("%s", mvm_error_format(&err, buf, sizeof(buf)));
    }
    return in;
}

static char *to_json(const struct mvm_instance *in)
{
    struct mvm_error err = {0};
    char *text = mvm_instance_to_json(in, MVM_JSON_COMPACT, &err);
    assert_non_null(text);
    return text;
}

/* Same keys, types and values, in any order. */
static void assert_same_attrs(const struct mvm_attrs *a, const struct mvm_attrs *b)
{
    assert_int_equal(a->count, b->count);
    for (size_t i = 0; i < a->count; i++) {
        const struct mvm_attr *x = &a->items[i];
        const struct mvm_attr *y = mvm_attrs_find(b, x->key);
        if (y == NULL)
            fail_msg("attribute %s missing", x->key);
        assert_int_equal(x->type, y->type);
        assert_int_equal(x->integer, y->integer);
        assert_true(x->real == y->real);
    }
}

/* Everything but the random placement: elements are matched by id. */
static void assert_same_structure(const struct mvm_instance *pub, const struct mvm_instance *gen)
{
    const struct mvm_model *p = pub->model, *g = gen->model;
    assert_int_equal(p->node_count, g->node_count);
    assert_int_equal(mvm_model_count_nodes(p, MVM_NODE_ONLINE),
                     mvm_model_count_nodes(g, MVM_NODE_ONLINE));
    for (size_t i = 0; i < p->node_count; i++) {
        size_t k = mvm_model_node_index(g, p->nodes[i].id);
        assert_int_not_equal(k, MVM_NONE);
        assert_int_equal(p->nodes[i].state, g->nodes[k].state);
        assert_same_attrs(&p->nodes[i].attrs, &g->nodes[k].attrs);
    }
    assert_int_equal(p->vm_count, g->vm_count);
    assert_int_equal(mvm_model_count_vms(g, MVM_VM_RUNNING), g->vm_count);
    for (size_t v = 0; v < p->vm_count; v++) {
        size_t k = mvm_model_vm_index(g, p->vms[v].id);
        assert_int_not_equal(k, MVM_NONE);
        assert_same_attrs(&p->vms[v].attrs, &g->vms[k].attrs); /* the VM's type */
    }

    /* views in the same order: mem, cpu, net */
    assert_int_equal(p->view_count, g->view_count);
    for (size_t i = 0; i < p->view_count; i++)
        assert_int_equal(p->views[i].kind, g->views[i].kind);
    assert_int_equal(p->resource_count, g->resource_count);
    for (size_t r = 0; r < p->resource_count; r++) {
        const struct mvm_resource *a = &p->resources[r], *b = &g->resources[r];
        assert_string_equal(a->rc_id, b->rc_id);
        assert_int_equal(a->def_capacity, b->def_capacity);
        assert_int_equal(a->def_consumption, b->def_consumption);
        for (size_t i = 0; i < p->node_count; i++) {
            size_t k = mvm_model_node_index(g, p->nodes[i].id);
            assert_int_equal(a->node_capacity[i], b->node_capacity[k]);
            assert_int_equal(a->node_given[i], b->node_given[k]);
        }
        for (size_t v = 0; v < p->vm_count; v++) {
            size_t k = mvm_model_vm_index(g, p->vms[v].id);
            assert_int_equal(a->vm_consumption[v], b->vm_consumption[k]);
            assert_int_equal(a->vm_given[v], b->vm_given[k]);
        }
    }

    const struct mvm_net *pn = p->net, *gn = g->net;
    assert_non_null(pn);
    assert_non_null(gn);
    assert_int_equal(pn->routing, gn->routing);
    assert_int_equal(pn->switch_count, gn->switch_count);
    for (size_t s = 0; s < pn->switch_count; s++) {
        size_t k = mvm_net_switch_index(gn, pn->switches[s].id);
        assert_int_not_equal(k, MVM_NONE);
        assert_int_equal(pn->switches[s].capacity_mbps, gn->switches[k].capacity_mbps);
    }
    assert_int_equal(pn->link_count, gn->link_count);
    for (size_t l = 0; l < pn->link_count; l++) {
        const struct mvm_link *a = &pn->links[l];
        size_t k = mvm_net_link_index(gn, a->id);
        assert_int_not_equal(k, MVM_NONE);
        const struct mvm_link *b = &gn->links[k];
        assert_int_equal(a->capacity_mbps, b->capacity_mbps);
        assert_int_equal(pn->switches[a->sw].id, gn->switches[b->sw].id);
        assert_int_equal(a->end_type, b->end_type);
        if (a->end_type == MVM_NET_END_NODE)
            assert_int_equal(p->nodes[a->end].id, g->nodes[b->end].id);
        else
            assert_int_equal(pn->switches[a->end].id, gn->switches[b->end].id);
    }

    /* constraints: same kinds in the same order, same flags; offline on the same nodes */
    assert_int_equal(pub->constraint_count, gen->constraint_count);
    for (size_t i = 0; i < pub->constraint_count; i++) {
        const struct mvm_constraint *a = &pub->constraints[i], *b = &gen->constraints[i];
        assert_int_equal(a->kind, b->kind);
        assert_string_equal(a->name, b->name);
        assert_int_equal(a->continuous, b->continuous);
        assert_int_equal(a->vm_count, b->vm_count);
        assert_int_equal(a->node_count, b->node_count);
        if (a->kind == MVM_CONSTRAINT_FENCE)
            assert_int_equal(p->vms[a->vms[0]].id, g->vms[b->vms[0]].id);
        if (a->kind == MVM_CONSTRAINT_OFFLINE)
            assert_int_equal(p->nodes[a->nodes[0]].id, g->nodes[b->nodes[0]].id);
    }
    assert_string_equal(pub->objective_name, gen->objective_name);
    assert_int_equal(pub->objective, gen->objective);
}

/*
 * The placements are feasible: every VM runs on an online node within its
 * capacities, every VM is fenced to one node other than its host, and the
 * final placement the fences describe is within every node's capacities.
 * Decommission: targets are the offline nodes, every source gets `offline`.
 */
static void assert_feasible(const struct mvm_instance *in, enum mvm_generate_family family)
{
    const struct mvm_model *m = in->model;
    size_t n = m->node_count;
    size_t *target = calloc(m->vm_count, sizeof(*target));
    int64_t *initial = calloc(n, sizeof(*initial)), *final = calloc(n, sizeof(*final));
    bool *offline = calloc(n, sizeof(*offline));
    assert_non_null(target);
    assert_non_null(initial);
    assert_non_null(final);
    assert_non_null(offline);
    for (size_t v = 0; v < m->vm_count; v++)
        target[v] = MVM_NONE;
    for (size_t i = 0; i < in->constraint_count; i++) {
        const struct mvm_constraint *c = &in->constraints[i];
        if (c->kind == MVM_CONSTRAINT_FENCE) {
            assert_int_equal(c->node_count, 1);
            assert_int_equal(target[c->vms[0]], MVM_NONE); /* one fence per VM */
            target[c->vms[0]] = c->nodes[0];
        } else {
            assert_int_equal(c->kind, MVM_CONSTRAINT_OFFLINE);
            offline[c->nodes[0]] = true;
        }
    }
    for (size_t v = 0; v < m->vm_count; v++) {
        assert_int_not_equal(target[v], MVM_NONE);
        assert_int_not_equal(target[v], m->vms[v].host);
        assert_int_equal(m->nodes[m->vms[v].host].state, MVM_NODE_ONLINE);
        if (family == MVM_GENERATE_DECOMMISSION)
            assert_int_equal(m->nodes[target[v]].state, MVM_NODE_OFFLINE);
    }
    for (size_t i = 0; i < n; i++) /* decommission: exactly the sources go offline */
        assert_int_equal(offline[i], family == MVM_GENERATE_DECOMMISSION &&
                                         m->nodes[i].state == MVM_NODE_ONLINE);
    for (size_t r = 0; r < m->resource_count; r++) {
        const struct mvm_resource *res = &m->resources[r];
        memset(initial, 0, n * sizeof(*initial));
        memset(final, 0, n * sizeof(*final));
        for (size_t v = 0; v < m->vm_count; v++) {
            initial[m->vms[v].host] += res->vm_consumption[v];
            final[target[v]] += res->vm_consumption[v];
        }
        for (size_t i = 0; i < n; i++) {
            assert_true(initial[i] <= res->node_capacity[i]);
            assert_true(final[i] <= res->node_capacity[i]);
        }
    }
    struct mvm_error err = {0};
    struct mvm_move *moves;
    size_t count;
    assert_int_equal(mvm_instance_implied_moves(in, &moves, &count, &err), 0);
    assert_int_equal(count, m->vm_count);
    free(moves);
    free(target);
    free(initial);
    free(final);
    free(offline);
}

struct published {
    const char *file;
    enum mvm_generate_family family;
    size_t infra_k, vms_k;
    bool infra_preset;
};

static const struct published published[] = {
    {"random_decommissioning_infra_scale/x1-instance_1.json", MVM_GENERATE_DECOMMISSION, 1, 1,
     true},
    {"random_decommissioning_infra_scale/x2-instance_1.json", MVM_GENERATE_DECOMMISSION, 2, 1,
     true},
    {"random_decommissioning_vms_scale/x1-instance_2.json", MVM_GENERATE_DECOMMISSION, 1, 1, false},
    {"random_decommissioning_vms_scale/x2-instance_1.json", MVM_GENERATE_DECOMMISSION, 1, 2, false},
    {"random_infra_scale/x1-instance_1.json", MVM_GENERATE_RANDOM, 1, 1, true},
    {"random_infra_scale/x2-instance_1.json", MVM_GENERATE_RANDOM, 2, 1, true},
    {"random_vms_scale/x1-instance_3.json", MVM_GENERATE_RANDOM, 1, 1, false},
    {"random_vms_scale/x2-instance_1.json", MVM_GENERATE_RANDOM, 1, 2, false},
};

static void test_published_structure(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(published) / sizeof(published[0]); i++) {
        const struct published *c = &published[i];
        char rel[256];
        snprintf(rel, sizeof(rel), "instances/scale/%s", c->file);
        struct mvm_instance *pub = load_ok(DATA(rel));
        struct mvm_generate_options o =
            preset(c->family, c->infra_k, c->vms_k, c->infra_preset, 7 + i);
        struct mvm_instance *gen = generate_ok(&o);
        assert_same_structure(pub, gen);
        assert_feasible(pub, c->family); /* the recipe holds for the files too */
        assert_feasible(gen, c->family);
        mvm_instance_free(pub);
        mvm_instance_free(gen);
    }
}

/* The x1 numbers written out, so the recipe is readable from the test. */
static void test_x1_numbers(void **state)
{
    (void)state;
    struct mvm_generate_options o;
    mvm_generate_options_init(&o, MVM_GENERATE_DECOMMISSION);
    struct mvm_instance *in = generate_ok(&o);
    const struct mvm_model *m = in->model;
    assert_int_equal(m->node_count, 72);
    assert_int_equal(mvm_model_count_nodes(m, MVM_NODE_OFFLINE), 24);
    assert_int_equal(m->vm_count, 96);
    assert_int_equal(in->constraint_count, 96 + 48);
    assert_int_equal(m->net->switch_count, 4);
    assert_int_equal(m->net->link_count, 75);
    const struct mvm_link *up = &m->net->links[mvm_net_link_index(m->net, 74)];
    assert_int_equal(up->capacity_mbps, 10000);
    assert_int_equal(m->net->switches[up->sw].id, 3);
    assert_int_equal(up->end_type, MVM_NET_END_SWITCH);
    assert_int_equal(m->net->switches[up->end].id, 2);
    const struct mvm_link *node50 = &m->net->links[mvm_net_link_index(m->net, 50)];
    assert_int_equal(node50->capacity_mbps, 1000);
    assert_int_equal(m->net->switches[node50->sw].id, 2);
    assert_int_equal(mvm_model_resource(m, "mem")->node_capacity[0], 16);
    assert_int_equal(mvm_model_resource(m, "cpu")->node_capacity[71], 4);
    /* VM indices follow the mapping (grouped by host); types follow the ids */
    size_t vm1 = mvm_model_vm_index(m, 1), vm2 = mvm_model_vm_index(m, 2);
    size_t vm3 = mvm_model_vm_index(m, 3);
    assert_int_equal(mvm_model_resource(m, "mem")->vm_consumption[vm1], 4);
    assert_int_equal(mvm_model_resource(m, "mem")->vm_consumption[vm2], 2);
    assert_int_equal(mvm_model_resource(m, "cpu")->vm_consumption[vm3], 1);
    double x;
    assert_int_equal(mvm_attrs_get_number(&m->vms[vm2].attrs, "hotDirtySize", &x, NULL), 1);
    assert_true(x == 96);
    assert_int_equal(mvm_attrs_get_number(&m->vms[vm3].attrs, "coldDirtyRate", &x, NULL), 1);
    assert_true(x == 0.0);
    assert_int_equal(mvm_attrs_get_number(&m->vms[vm3].attrs, "memUsed", &x, NULL), 1);
    assert_true(x == 4000);
    for (size_t k = 1; k < m->vm_count; k++) /* grouped by host, as the reader orders them */
        assert_true(m->vms[k - 1].host <= m->vms[k].host);
    assert_int_equal(mvm_attrs_get_number(&m->nodes[47].attrs, "shutdown", &x, NULL), 1);
    assert_true(x == 17);
    assert_int_equal(mvm_attrs_get_number(&m->nodes[48].attrs, "boot", &x, NULL), 1);
    assert_true(x == 120);
    mvm_instance_free(in);
}

static void test_seeds(void **state)
{
    (void)state;
    for (int f = 0; f < 2; f++) {
        struct mvm_generate_options o;
        mvm_generate_options_init(&o, f ? MVM_GENERATE_RANDOM : MVM_GENERATE_DECOMMISSION);
        o.seed = 42;
        struct mvm_instance *a = generate_ok(&o), *b = generate_ok(&o);
        o.seed = 43;
        struct mvm_instance *c = generate_ok(&o);
        char *ja = to_json(a), *jb = to_json(b), *jc = to_json(c);
        assert_string_equal(ja, jb);
        assert_string_not_equal(ja, jc);
        assert_false(mvm_model_same_mapping(a->model, c->model));
        free(ja);
        free(jb);
        free(jc);
        mvm_instance_free(a);
        mvm_instance_free(b);
        mvm_instance_free(c);
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[1024];
    snprintf(dir, sizeof(dir), "%s/mvm-test-generate-XXXXXX", tmp != NULL ? tmp : "/tmp");
    assert_non_null(mkdtemp(dir));
    const char *names[] = {"d.json", "r.json.gz"};
    for (int f = 0; f < 2; f++) {
        struct mvm_generate_options o =
            preset(f ? MVM_GENERATE_RANDOM : MVM_GENERATE_DECOMMISSION, 2, 1, true, 5);
        struct mvm_instance *in = generate_ok(&o);
        snprintf(path, sizeof(path), "%s/%s", dir, names[f]);
        struct mvm_error err = {0};
        assert_int_equal(mvm_instance_save(in, path, MVM_JSON_COMPACT, &err), 0);
        struct mvm_instance *back = load_ok(path);
        char *a = to_json(in), *b = to_json(back);
        assert_string_equal(a, b);
        assert_same_structure(in, back);
        assert_true(mvm_model_same_mapping(in->model, back->model));
        free(a);
        free(b);
        mvm_instance_free(in);
        mvm_instance_free(back);
        assert_int_equal(unlink(path), 0);
    }
    assert_int_equal(rmdir(dir), 0);
}

/* The benchmark scales of the mVM paper: 960 migrations among 720 nodes, 1,728 among 72. */
static void test_larger_scales(void **state)
{
    (void)state;
    struct mvm_generate_options o = preset(MVM_GENERATE_DECOMMISSION, 10, 1, true, 1);
    struct mvm_instance *in = generate_ok(&o);
    assert_int_equal(in->model->node_count, 720);
    assert_int_equal(in->model->vm_count, 960);
    assert_int_equal(in->model->net->switch_count, 31);
    assert_int_equal(in->model->net->links[in->model->net->link_count - 1].capacity_mbps, 100000);
    assert_feasible(in, MVM_GENERATE_DECOMMISSION);
    mvm_instance_free(in);

    o = preset(MVM_GENERATE_DECOMMISSION, 1, 18, false, 1);
    in = generate_ok(&o);
    assert_int_equal(in->model->node_count, 72);
    assert_int_equal(in->model->vm_count, 1728);
    assert_int_equal(mvm_model_resource(in->model, "cpu")->node_capacity[0], 72);
    assert_int_equal(mvm_model_resource(in->model, "mem")->node_capacity[0], 288);
    assert_feasible(in, MVM_GENERATE_DECOMMISSION);
    mvm_instance_free(in);

    o = preset(MVM_GENERATE_RANDOM, 4, 8, false, 3);
    in = generate_ok(&o);
    assert_int_equal(in->model->vm_count, 8 * 2 * 192);
    assert_feasible(in, MVM_GENERATE_RANDOM);
    mvm_instance_free(in);
}

/* Racks not a multiple of 3, explicit counts and capacities, a full destination. */
static void test_other_shapes(void **state)
{
    (void)state;
    struct mvm_generate_options o;
    mvm_generate_options_init(&o, MVM_GENERATE_DECOMMISSION);
    o.racks = 4; /* 2 destination racks (rounded up), 2 source racks */
    struct mvm_instance *in = generate_ok(&o);
    assert_int_equal(mvm_model_count_nodes(in->model, MVM_NODE_OFFLINE), 48);
    assert_int_equal(in->model->vm_count, 96);
    assert_feasible(in, MVM_GENERATE_DECOMMISSION);
    mvm_instance_free(in);

    mvm_generate_options_init(&o, MVM_GENERATE_DECOMMISSION);
    o.racks = 2;
    o.nodes_per_rack = 3;
    o.vm_count = 12; /* exactly the destination's 3 x 4 cpu */
    in = generate_ok(&o);
    assert_int_equal(in->model->vm_count, 12);
    assert_feasible(in, MVM_GENERATE_DECOMMISSION);
    mvm_instance_free(in);

    mvm_generate_options_init(&o, MVM_GENERATE_RANDOM);
    o.racks = 1;
    o.nodes_per_rack = 2;
    o.vm_count = 3;
    o.cpu_capacity = 3;
    o.mem_capacity = 100;
    in = generate_ok(&o);
    assert_feasible(in, MVM_GENERATE_RANDOM);
    mvm_instance_free(in);

    mvm_generate_options_init(&o, MVM_GENERATE_RANDOM);
    o.node_attributes = false;
    o.scale_aggregation = 2.5;
    in = generate_ok(&o);
    assert_int_equal(in->model->nodes[0].attrs.count, 0);
    assert_int_equal(in->model->net->links[74].capacity_mbps, 25000);
    mvm_instance_free(in);
}

static void expect_invalid(const struct mvm_generate_options *o, const char *substring)
{
    struct mvm_error err = {0};
    assert_null(mvm_generate(o, &err));
    assert_int_equal(err.code, MVM_ERR_INVALID);
    if (strstr(err.message, substring) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err.message, substring);
}

static void test_impossible_options(void **state)
{
    (void)state;
    struct mvm_generate_options o;
    mvm_generate_options_init(&o, MVM_GENERATE_DECOMMISSION);
    o.racks = 0;
    expect_invalid(&o, "at least one rack");
    mvm_generate_options_init(&o, MVM_GENERATE_DECOMMISSION);
    o.nodes_per_rack = 0;
    expect_invalid(&o, "at least one rack of at least one node");
    mvm_generate_options_init(&o, MVM_GENERATE_DECOMMISSION);
    o.racks = 1;
    expect_invalid(&o, "decommission needs at least 2 racks");
    mvm_generate_options_init(&o, MVM_GENERATE_RANDOM);
    o.racks = 1;
    o.nodes_per_rack = 1;
    o.vm_count = 1;
    expect_invalid(&o, "random needs at least 2 nodes");
    mvm_generate_options_init(&o, MVM_GENERATE_RANDOM);
    o.racks = 1; /* no source rack to size the VM count by */
    expect_invalid(&o, "no VMs");
    mvm_generate_options_init(&o, MVM_GENERATE_DECOMMISSION);
    o.vms_per_node = 0;
    expect_invalid(&o, "no VMs");
    mvm_generate_options_init(&o, MVM_GENERATE_DECOMMISSION);
    o.vm_count = 97; /* the 24 destinations hold 96 */
    expect_invalid(&o, "97 VMs need 97 cpu and 290 mem but the 24 destination nodes offer 96 cpu");
    mvm_generate_options_init(&o, MVM_GENERATE_DECOMMISSION);
    o.mem_capacity = 3; /* a 4-mem VM fits nowhere */
    expect_invalid(&o, "at least 1 cpu and 4 mem");
    /*
     * Enough room in total but fragmented: 4 VMs of mem 2, 4, 2, 4 on 2 nodes of
     * 2 cpu and 6 mem fit only as {2, 4} twice. Some seeds find it; the others
     * fail with a message, never with an over-full node.
     */
    size_t failures = 0;
    for (uint64_t seed = 1; seed <= 32; seed++) {
        mvm_generate_options_init(&o, MVM_GENERATE_DECOMMISSION);
        o.racks = 2;
        o.nodes_per_rack = 2;
        o.vm_count = 4;
        o.cpu_capacity = 2;
        o.mem_capacity = 6;
        o.seed = seed;
        struct mvm_error err = {0};
        struct mvm_instance *in = mvm_generate(&o, &err);
        if (in != NULL) {
            assert_feasible(in, MVM_GENERATE_DECOMMISSION);
            mvm_instance_free(in);
            continue;
        }
        failures++;
        assert_int_equal(err.code, MVM_ERR_INVALID);
        assert_non_null(strstr(err.message, "has room left for VM"));
    }
    assert_true(failures > 0 && failures < 32);
    mvm_generate_options_init(&o, MVM_GENERATE_DECOMMISSION);
    o.cpu_capacity = -1;
    expect_invalid(&o, "non-negative capacities");
    mvm_generate_options_init(&o, MVM_GENERATE_DECOMMISSION);
    o.scale_aggregation = 0;
    expect_invalid(&o, "aggregation scale");
    o.scale_aggregation = 1e6;
    expect_invalid(&o, "aggregation scale");
    mvm_generate_options_init(&o, MVM_GENERATE_DECOMMISSION);
    o.racks = 100000;
    o.nodes_per_rack = 100000;
    expect_invalid(&o, "exceed 2147483647");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_structure),
        cmocka_unit_test(test_x1_numbers),
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_larger_scales),
        cmocka_unit_test(test_other_shapes),
        cmocka_unit_test(test_impossible_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
