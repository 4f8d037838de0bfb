/*
 * The in-memory model's specification: building a model through the API (ids,
 * states, what is rejected and that a rejection changes nothing), shareable
 * resources and their defaults as the model grows, deep copies (network and
 * verbatim views included), mapping comparison, the attribute API, the names of
 * constraints and actions, and the resolution of Deadline timestamps (relative,
 * wall-clock and ISO 8601 forms; malformed stamps rejected).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mvm/constraint.h"
#include "mvm/instance.h"
#include "mvm/io.h"
#include "mvm/model.h"
#include "mvm/net.h"
#include "mvm/plan.h"

static struct mvm_model *new_model(void)
{
    struct mvm_error err = {0};
    struct mvm_model *m = mvm_model_new(&err);
    assert_non_null(m);
    return m;
}

static size_t add_node(struct mvm_model *m, int32_t id, enum mvm_node_state state)
{
    struct mvm_error err = {0};
    size_t i = mvm_model_add_node(m, id, state, &err);
    assert_int_not_equal(i, MVM_NONE);
    return i;
}

static size_t add_vm(struct mvm_model *m, int32_t id, enum mvm_vm_state state, size_t host)
{
    struct mvm_error err = {0};
    size_t i = mvm_model_add_vm(m, id, state, host, &err);
    assert_int_not_equal(i, MVM_NONE);
    return i;
}

static void assert_message(const struct mvm_error *err, enum mvm_error_code code,
                           const char *substring)
{
    assert_int_equal(err->code, code);
    if (strstr(err->message, substring) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err->message, substring);
}

static void test_nodes_and_vms(void **state)
{
    (void)state;
    struct mvm_model *m = new_model();
    assert_int_equal(add_node(m, 10, MVM_NODE_ONLINE), 0);
    assert_int_equal(add_node(m, 20, MVM_NODE_ONLINE), 1);
    assert_int_equal(add_node(m, 5, MVM_NODE_OFFLINE), 2);
    assert_int_equal(add_vm(m, 100, MVM_VM_RUNNING, 0), 0);
    assert_int_equal(add_vm(m, 101, MVM_VM_SLEEPING, 1), 1);
    assert_int_equal(add_vm(m, 102, MVM_VM_READY, MVM_NONE), 2);

    assert_int_equal(m->node_count, 3);
    assert_int_equal(m->vm_count, 3);
    assert_int_equal(m->nodes[2].id, 5);
    assert_int_equal(m->nodes[2].state, MVM_NODE_OFFLINE);
    assert_int_equal(m->vms[1].host, 1);
    assert_int_equal(m->vms[1].state, MVM_VM_SLEEPING);
    assert_int_equal(m->vms[2].host, MVM_NONE);
    assert_int_equal(mvm_model_node_index(m, 20), 1);
    assert_int_equal(mvm_model_node_index(m, 100), MVM_NONE);
    assert_int_equal(mvm_model_vm_index(m, 102), 2);
    assert_int_equal(mvm_model_vm_index(m, 10), MVM_NONE);
    assert_int_equal(mvm_model_count_nodes(m, MVM_NODE_ONLINE), 2);
    assert_int_equal(mvm_model_count_nodes(m, MVM_NODE_OFFLINE), 1);
    assert_int_equal(mvm_model_count_vms(m, MVM_VM_RUNNING), 1);
    assert_int_equal(mvm_model_count_vms(m, MVM_VM_SLEEPING), 1);
    assert_int_equal(mvm_model_count_vms(m, MVM_VM_READY), 1);
    assert_null(m->net);
    assert_int_equal(m->view_count, 0);

    /* every rejection leaves the model as it was */
    struct mvm_error err = {0};
    assert_int_equal(mvm_model_add_node(m, 10, MVM_NODE_OFFLINE, &err), MVM_NONE);
    assert_message(&err, MVM_ERR_INVALID, "node 10 is declared twice");
    mvm_error_clear(&err);
    assert_int_equal(mvm_model_add_vm(m, 100, MVM_VM_RUNNING, 1, &err), MVM_NONE);
    assert_message(&err, MVM_ERR_INVALID, "vm 100 is placed twice");
    mvm_error_clear(&err);
    assert_int_equal(mvm_model_add_vm(m, 103, MVM_VM_RUNNING, 2, &err), MVM_NONE);
    assert_message(&err, MVM_ERR_INVALID, "vm 103: host node 5 is offline");
    mvm_error_clear(&err);
    assert_int_equal(mvm_model_add_vm(m, 103, MVM_VM_SLEEPING, 2, &err), MVM_NONE);
    assert_message(&err, MVM_ERR_INVALID, "host node 5 is offline");
    mvm_error_clear(&err);
    assert_int_equal(mvm_model_add_vm(m, 103, MVM_VM_READY, 0, &err), MVM_NONE);
    assert_message(&err, MVM_ERR_INVALID, "vm 103: a ready VM has no host");
    mvm_error_clear(&err);
    assert_int_equal(mvm_model_add_vm(m, 103, MVM_VM_RUNNING, MVM_NONE, &err), MVM_NONE);
    assert_message(&err, MVM_ERR_INVALID, "vm 103: host node unknown");
    mvm_error_clear(&err);
    assert_int_equal(mvm_model_add_vm(m, 103, MVM_VM_RUNNING, 3, &err), MVM_NONE);
    assert_message(&err, MVM_ERR_INVALID, "host node unknown");
    assert_int_equal(m->node_count, 3);
    assert_int_equal(m->vm_count, 3);
    assert_int_equal(mvm_model_vm_index(m, 103), MVM_NONE);
    assert_int_equal(mvm_model_node_index(m, 10), 0);
    assert_int_equal(m->nodes[0].state, MVM_NODE_ONLINE);

    /* ids need not be dense nor positive */
    assert_int_equal(add_node(m, -7, MVM_NODE_ONLINE), 3);
    assert_int_equal(add_vm(m, INT32_MAX, MVM_VM_RUNNING, 3), 3);
    assert_int_equal(mvm_model_vm_index(m, INT32_MAX), 3);
    assert_int_equal(mvm_model_node_index(m, -7), 3);
    mvm_model_free(m);
    mvm_model_free(NULL);
}

static void test_resources(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_model *m = new_model();
    add_node(m, 0, MVM_NODE_ONLINE);
    add_node(m, 1, MVM_NODE_OFFLINE);
    add_vm(m, 0, MVM_VM_RUNNING, 0);
    add_vm(m, 1, MVM_VM_READY, MVM_NONE);
    assert_int_equal(mvm_model_add_resource(m, "cpu", 8, 1, &err), 0);
    assert_int_equal(mvm_model_add_resource(m, "mem", 0, 0, &err), 1);
    assert_int_equal(mvm_model_add_resource(m, "cpu", 4, 4, &err), MVM_NONE);
    assert_message(&err, MVM_ERR_INVALID, "resource cpu is declared twice");
    assert_int_equal(m->resource_count, 2);

    const struct mvm_resource *cpu = mvm_model_resource(m, "cpu");
    assert_ptr_equal(cpu, &m->resources[0]);
    assert_ptr_equal(mvm_model_resource(m, "mem"), &m->resources[1]);
    assert_null(mvm_model_resource(m, "memory"));
    assert_string_equal(cpu->rc_id, "cpu");
    assert_int_equal(cpu->def_capacity, 8);
    assert_int_equal(cpu->def_consumption, 1);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(cpu->node_capacity[i], 8);
        assert_false(cpu->node_given[i]);
        assert_int_equal(cpu->vm_consumption[i], 1);
        assert_false(cpu->vm_given[i]);
        assert_int_equal(m->resources[1].node_capacity[i], 0);
        assert_int_equal(m->resources[1].vm_consumption[i], 0);
    }
    /* each resource is a view, in the order added */
    assert_int_equal(m->view_count, 2);
    assert_int_equal(m->views[0].kind, MVM_VIEW_RESOURCE);
    assert_int_equal(m->views[0].index, 0);
    assert_int_equal(m->views[1].kind, MVM_VIEW_RESOURCE);
    assert_int_equal(m->views[1].index, 1);
    assert_null(m->views[1].json);
    mvm_model_free(m);
}

/* Resources declared before the elements: every element added later gets the defaults. */
static void test_growing_after_resources(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_model *m = new_model();
    assert_int_equal(mvm_model_add_resource(m, "cpu", 8, 2, &err), 0);
    assert_int_equal(mvm_model_add_resource(m, "mem", 16, 3, &err), 1);
    add_node(m, 0, MVM_NODE_ONLINE);
    struct mvm_resource *cpu = &m->resources[0];
    cpu->node_capacity[0] = 32;
    cpu->node_given[0] = true;
    add_vm(m, 0, MVM_VM_RUNNING, 0);
    m->resources[1].vm_consumption[0] = 5;
    m->resources[1].vm_given[0] = true;
    /* enough elements to reallocate the arrays several times */
    for (int32_t i = 1; i < 70; i++)
        add_node(m, i, i % 2 ? MVM_NODE_ONLINE : MVM_NODE_OFFLINE);
    for (int32_t i = 1; i < 300; i++)
        add_vm(m, i, MVM_VM_RUNNING, 0);
    cpu = &m->resources[0];
    const struct mvm_resource *mem = &m->resources[1];
    assert_int_equal(cpu->node_capacity[0], 32);
    assert_true(cpu->node_given[0]);
    assert_int_equal(mem->vm_consumption[0], 5);
    assert_true(mem->vm_given[0]);
    for (size_t i = 1; i < m->node_count; i++) {
        assert_int_equal(cpu->node_capacity[i], 8);
        assert_false(cpu->node_given[i]);
        assert_int_equal(mem->node_capacity[i], 16);
    }
    for (size_t i = 1; i < m->vm_count; i++) {
        assert_int_equal(cpu->vm_consumption[i], 2);
        assert_int_equal(mem->vm_consumption[i], 3);
        assert_false(mem->vm_given[i]);
    }
    mvm_model_free(m);
}

/* Serialises a model on its own (an instance without constraints nor objective). */
static char *model_text(const struct mvm_model *m)
{
    struct mvm_instance wrapper = {.model = (struct mvm_model *)m};
    struct mvm_error err = {0};
    char *text = mvm_instance_to_json(&wrapper, MVM_JSON_COMPACT, &err);
    assert_non_null(text);
    return text;
}

static void assert_deep_copy(const struct mvm_model *m)
{
    struct mvm_error err = {0};
    struct mvm_model *copy = mvm_model_copy(m, &err);
    assert_non_null(copy);
    char *a = model_text(m), *b = model_text(copy);
    assert_string_equal(a, b);
    free(a);
    free(b);
    assert_true(mvm_model_same_mapping(m, copy));
    assert_int_equal(copy->view_count, m->view_count);
    for (size_t i = 0; i < m->view_count; i++) {
        assert_int_equal(copy->views[i].kind, m->views[i].kind);
        if (m->views[i].kind == MVM_VIEW_OTHER) {
            assert_ptr_not_equal(copy->views[i].json, m->views[i].json);
            assert_string_equal(copy->views[i].json, m->views[i].json);
        }
    }
    if (m->net != NULL) {
        assert_non_null(copy->net);
        assert_ptr_not_equal(copy->net, m->net);
        assert_int_equal(copy->net->link_count, m->net->link_count);
        assert_int_equal(copy->net->switch_count, m->net->switch_count);
        assert_int_equal(copy->net->routing, m->net->routing);
    }
    /* changing the copy leaves the original alone */
    if (copy->vm_count > 0) {
        assert_int_equal(mvm_attrs_set_string(&copy->vms[0].attrs, "memUsed", "changed", &err), 0);
        const struct mvm_attr *orig = mvm_attrs_find(&m->vms[0].attrs, "memUsed");
        assert_true(orig == NULL || orig->type != MVM_ATTR_STRING);
    }
    if (copy->resource_count > 0) {
        copy->resources[0].node_capacity[0] = -42;
        assert_int_not_equal(m->resources[0].node_capacity[0], -42);
    }
    mvm_model_free(copy);
}

static void test_copy(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    /* resources and a network */
    struct mvm_instance *in = mvm_instance_load(DATA("instances/random4/instance.1.json"), &err);
    assert_non_null(in);
    assert_deep_copy(in->model);
    mvm_instance_free(in);
    /* offline nodes, a verbatim EnergyView between the resources and the network */
    struct mvm_plan *plan = mvm_plan_load(DATA("instances/energy/mvm-plan.json"), &err);
    assert_non_null(plan);
    assert_int_equal(plan->origin->views[1].kind, MVM_VIEW_OTHER);
    assert_deep_copy(plan->origin);
    mvm_plan_free(plan);
    /* ready VMs, two verbatim ns views, no network */
    in = mvm_instance_load(DATA("instances/placement/nr3.json.gz"), &err);
    assert_non_null(in);
    assert_deep_copy(in->model);
    mvm_instance_free(in);

    /* empty model */
    struct mvm_model *m = new_model();
    assert_deep_copy(m);

    /* an implicit network (no view entry) is copied and stays implicit */
    add_node(m, 3, MVM_NODE_ONLINE);
    add_node(m, 4, MVM_NODE_ONLINE);
    add_vm(m, 1, MVM_VM_RUNNING, 1);
    int32_t ids[] = {3, 4};
    m->net = mvm_net_new_default(ids, 2, MVM_NET_DEFAULT_LINK_MBPS, &err);
    assert_non_null(m->net);
    struct mvm_model *copy = mvm_model_copy(m, &err);
    assert_non_null(copy);
    assert_non_null(copy->net);
    assert_true(copy->net->implicit);
    assert_int_equal(copy->view_count, 0);
    assert_int_equal(copy->net->link_count, 2);
    assert_int_equal(copy->net->links[1].capacity_mbps, 1000);
    mvm_model_free(copy);
    mvm_model_free(m);
}

/* Nodes 1, 2 online and 3 offline; VM 10 running on 1, 11 sleeping on 2, 12 ready. */
static struct mvm_model *mapping_model(bool reversed)
{
    struct mvm_model *m = new_model();
    if (!reversed) {
        add_node(m, 1, MVM_NODE_ONLINE);
        add_node(m, 2, MVM_NODE_ONLINE);
        add_node(m, 3, MVM_NODE_OFFLINE);
        add_vm(m, 10, MVM_VM_RUNNING, 0);
        add_vm(m, 11, MVM_VM_SLEEPING, 1);
        add_vm(m, 12, MVM_VM_READY, MVM_NONE);
    } else {
        add_node(m, 3, MVM_NODE_OFFLINE);
        add_node(m, 2, MVM_NODE_ONLINE);
        add_node(m, 1, MVM_NODE_ONLINE);
        add_vm(m, 12, MVM_VM_READY, MVM_NONE);
        add_vm(m, 11, MVM_VM_SLEEPING, 1);
        add_vm(m, 10, MVM_VM_RUNNING, 2);
    }
    return m;
}

static void test_same_mapping(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_model *a = mapping_model(false), *b = mapping_model(true);
    assert_true(mvm_model_same_mapping(a, a));
    assert_true(mvm_model_same_mapping(a, b));
    assert_true(mvm_model_same_mapping(b, a));
    /* attributes and views are not compared */
    assert_int_equal(mvm_attrs_set_int(&b->vms[0].attrs, "memUsed", 10, &err), 0);
    assert_int_not_equal(mvm_model_add_resource(b, "cpu", 1, 1, &err), MVM_NONE);
    assert_true(mvm_model_same_mapping(a, b));

    b->vms[2].host = 1; /* VM 10 on node 2 */
    assert_false(mvm_model_same_mapping(a, b));
    b->vms[2].host = 2;
    b->vms[1].state = MVM_VM_RUNNING; /* VM 11 running instead of sleeping */
    assert_false(mvm_model_same_mapping(a, b));
    b->vms[1].state = MVM_VM_SLEEPING;
    b->nodes[0].state = MVM_NODE_ONLINE; /* node 3 online */
    assert_false(mvm_model_same_mapping(a, b));
    b->nodes[0].state = MVM_NODE_OFFLINE;
    assert_true(mvm_model_same_mapping(a, b));
    mvm_model_free(b);

    /* one more VM; another VM id; another node id */
    b = mapping_model(false);
    add_vm(b, 13, MVM_VM_READY, MVM_NONE);
    assert_false(mvm_model_same_mapping(a, b));
    assert_false(mvm_model_same_mapping(b, a));
    mvm_model_free(b);
    b = new_model();
    add_node(b, 1, MVM_NODE_ONLINE);
    add_node(b, 2, MVM_NODE_ONLINE);
    add_node(b, 3, MVM_NODE_OFFLINE);
    add_vm(b, 10, MVM_VM_RUNNING, 0);
    add_vm(b, 11, MVM_VM_SLEEPING, 1);
    add_vm(b, 14, MVM_VM_READY, MVM_NONE);
    assert_false(mvm_model_same_mapping(a, b));
    mvm_model_free(b);
    b = new_model();
    add_node(b, 1, MVM_NODE_ONLINE);
    add_node(b, 2, MVM_NODE_ONLINE);
    add_node(b, 4, MVM_NODE_OFFLINE);
    add_vm(b, 10, MVM_VM_RUNNING, 0);
    add_vm(b, 11, MVM_VM_SLEEPING, 1);
    add_vm(b, 12, MVM_VM_READY, MVM_NONE);
    assert_false(mvm_model_same_mapping(a, b));
    mvm_model_free(b);
    mvm_model_free(a);
}

static void test_attributes(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_attrs a = {0};
    assert_int_equal(mvm_attrs_set_int(&a, "memUsed", 2000, &err), 0);
    assert_int_equal(mvm_attrs_set_string(&a, "template", "c50m300", &err), 0);
    assert_int_equal(mvm_attrs_set_double(&a, "dirtyRate", 0.5, &err), 0);
    assert_int_equal(mvm_attrs_set_bool(&a, "clone", true, &err), 0);
    assert_int_equal(mvm_attrs_set_json(&a, "tags", "[1,\"a\"]", &err), 0);
    assert_int_equal(a.count, 5);
    static const char *const order[] = {"memUsed", "template", "dirtyRate", "clone", "tags"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(a.items[i].key, order[i]);
    assert_string_equal(mvm_attrs_find(&a, "template")->text, "c50m300");
    assert_int_equal(mvm_attrs_find(&a, "tags")->type, MVM_ATTR_JSON);
    assert_string_equal(mvm_attrs_find(&a, "tags")->text, "[1,\"a\"]");
    assert_null(mvm_attrs_find(&a, "Template"));

    /* replacing keeps the position and the count, and may change the type */
    assert_int_equal(mvm_attrs_set_int(&a, "template", 3, &err), 0);
    assert_int_equal(a.count, 5);
    assert_ptr_equal(mvm_attrs_find(&a, "template"), &a.items[1]);
    assert_int_equal(a.items[1].type, MVM_ATTR_INT);
    assert_int_equal(a.items[1].integer, 3);
    assert_null(a.items[1].text);
    assert_int_equal(mvm_attrs_set_string(&a, "memUsed", "2 GiB", &err), 0);
    assert_int_equal(mvm_attrs_set_string(&a, "memUsed", "3 GiB", &err), 0);
    assert_int_equal(a.items[0].type, MVM_ATTR_STRING);
    assert_string_equal(a.items[0].text, "3 GiB");
    assert_int_equal(a.count, 5);

    double x = -1.0;
    assert_int_equal(mvm_attrs_get_number(&a, "template", &x, &err), 1);
    assert_true(x == 3.0);
    assert_int_equal(mvm_attrs_get_number(&a, "dirtyRate", &x, &err), 1);
    assert_true(x == 0.5);
    x = -1.0;
    assert_int_equal(mvm_attrs_get_number(&a, "absent", &x, &err), 0);
    assert_true(x == -1.0);
    assert_int_equal(err.code, MVM_OK);
    assert_int_equal(mvm_attrs_get_number(&a, "memUsed", &x, &err), -1);
    assert_message(&err, MVM_ERR_INVALID, "attribute memUsed: expected a number");
    mvm_error_clear(&err);
    assert_int_equal(mvm_attrs_get_number(&a, "clone", &x, &err), -1);
    assert_message(&err, MVM_ERR_INVALID, "attribute clone: expected a number");
    mvm_error_clear(&err);
    assert_int_equal(mvm_attrs_get_number(&a, "tags", &x, &err), -1);
    assert_int_equal(err.code, MVM_ERR_INVALID);
    mvm_error_clear(&err);
    assert_true(x == -1.0);

    bool b = false;
    assert_int_equal(mvm_attrs_get_bool(&a, "clone", &b, &err), 1);
    assert_true(b);
    assert_int_equal(mvm_attrs_get_bool(&a, "absent", &b, &err), 0);
    assert_int_equal(mvm_attrs_get_bool(&a, "template", &b, &err), -1);
    assert_message(&err, MVM_ERR_INVALID, "attribute template: expected a boolean");
    mvm_error_clear(&err);

    /* deep copies */
    struct mvm_attrs c;
    assert_int_equal(mvm_attrs_copy(&c, &a, &err), 0);
    assert_int_equal(c.count, 5);
    assert_ptr_not_equal(c.items[0].text, a.items[0].text);
    assert_int_equal(mvm_attrs_set_string(&a, "memUsed", "4 GiB", &err), 0);
    assert_string_equal(c.items[0].text, "3 GiB");
    assert_string_equal(c.items[4].text, "[1,\"a\"]");
    assert_int_equal(c.items[2].type, MVM_ATTR_DOUBLE);
    mvm_attrs_clear(&c);
    assert_int_equal(c.count, 0);
    assert_null(c.items);
    mvm_attrs_clear(&a);
    assert_int_equal(mvm_attrs_copy(&c, &a, &err), 0);
    assert_int_equal(c.count, 0);
    mvm_attrs_clear(&c);
}

static void test_names(void **state)
{
    (void)state;
    static const char *const constraints[] = {
        "fence",    "ban",    "root", "online",    "offline",    "running",  "ready",
        "sleeping", "killed", "Sync", "Serialize", "Precedence", "Deadline", "powerBudget",
        "spread", "gather", "among", "split", "splitAmong", "lonely", "quarantine", "preserve",
        "overbook", "resourceCapacity", "runningCapacity", "maxOnline", "noDelay", "seq",
    };
    for (size_t k = 0; k < MVM_CONSTRAINT_OTHER; k++) {
        assert_string_equal(mvm_constraint_kind_name((enum mvm_constraint_kind)k), constraints[k]);
        assert_int_equal(mvm_constraint_kind_from_name(constraints[k]), k);
    }
    assert_int_equal(mvm_constraint_kind_from_name("Fence"), MVM_CONSTRAINT_OTHER);
    assert_int_equal(mvm_constraint_kind_from_name("Spread"), MVM_CONSTRAINT_OTHER);
    assert_int_equal(mvm_constraint_kind_from_name(""), MVM_CONSTRAINT_OTHER);
    assert_string_equal(mvm_constraint_kind_name(MVM_CONSTRAINT_OTHER), "other");

    static const char *const actions[] = {
        "migrateVM", "bootNode", "shutdownNode", "bootVM",   "shutdownVM",
        "suspendVM", "resumeVM", "killVM",       "allocate",
    };
    for (size_t k = 0; k < MVM_ACTION_OTHER; k++) {
        assert_string_equal(mvm_action_kind_name((enum mvm_action_kind)k), actions[k]);
        assert_int_equal(mvm_action_kind_from_name(actions[k]), k);
    }
    assert_int_equal(mvm_action_kind_from_name("migrate"), MVM_ACTION_OTHER);
    assert_string_equal(mvm_action_kind_name(MVM_ACTION_OTHER), "other");
}

static void test_constraint_copy(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    size_t vms[] = {3, 1};
    size_t nodes[] = {2};
    char name[] = "Deadline", stamp[] = "+00:05:00";
    struct mvm_constraint src = {.kind = MVM_CONSTRAINT_DEADLINE,
                                 .name = name,
                                 .continuous = MVM_CONTINUOUS_TRUE,
                                 .vms = vms,
                                 .vm_count = 2,
                                 .nodes = nodes,
                                 .node_count = 1,
                                 .timestamp = stamp};
    struct mvm_constraint dst;
    assert_int_equal(mvm_constraint_copy(&dst, &src, &err), 0);
    assert_int_equal(dst.kind, MVM_CONSTRAINT_DEADLINE);
    assert_int_equal(dst.continuous, MVM_CONTINUOUS_TRUE);
    assert_ptr_not_equal(dst.name, name);
    assert_string_equal(dst.name, "Deadline");
    assert_string_equal(dst.timestamp, "+00:05:00");
    assert_ptr_not_equal(dst.vms, vms);
    assert_int_equal(dst.vm_count, 2);
    assert_int_equal(dst.vms[0], 3);
    assert_int_equal(dst.vms[1], 1);
    assert_int_equal(dst.nodes[0], 2);
    assert_null(dst.json);
    mvm_constraint_clear(&dst);
    assert_null(dst.name);
    assert_int_equal(dst.vm_count, 0);

    char other_name[] = "mostlySpread", json[] = "{\"id\":\"mostlySpread\",\"vms\":[1,2]}";
    struct mvm_constraint other = {.kind = MVM_CONSTRAINT_OTHER,
                                   .name = other_name,
                                   .continuous = MVM_CONTINUOUS_UNSET,
                                   .json = json};
    assert_int_equal(mvm_constraint_copy(&dst, &other, &err), 0);
    assert_string_equal(dst.json, json);
    assert_null(dst.vms);
    assert_null(dst.timestamp);
    mvm_constraint_clear(&dst);
}

static int64_t resolve(const char *stamp, int64_t start)
{
    struct mvm_error err = {0};
    int64_t s = INT64_MIN;
    if (mvm_deadline_resolve(stamp, start, &s, &err) != 0)
        fail_msg("\"%s\" rejected: %s", stamp, err.message);
    return s;
}

/* Unix time of a local wall-clock time on 2026-11-23 (no DST change that day). */
static int64_t local_epoch(int hour, int minute, int second)
{
    struct tm tm = {.tm_year = 2026 - 1900,
                    .tm_mon = 10,
                    .tm_mday = 23,
                    .tm_hour = hour,
                    .tm_min = minute,
                    .tm_sec = second,
                    .tm_isdst = -1};
    time_t t = mktime(&tm);
    assert_int_not_equal(t, (time_t)-1);
    return (int64_t)t;
}

/* 2026-11-23T13:00:00Z: 20780 days after 1970-01-01, plus 13 hours. */
#define T13Z INT64_C(1795438800)

static void test_deadline_relative(void **state)
{
    (void)state;
    assert_int_equal(resolve("+00:05:00", 0), 300);
    assert_int_equal(resolve("+00:05:00", T13Z), 300);
    assert_int_equal(resolve("+00:00:00", T13Z), 0);
    assert_int_equal(resolve("+01:02:03", T13Z), 3723);
    assert_int_equal(resolve("+36:00:00", T13Z), 129600); /* hours may exceed 23 */
}

static void test_deadline_wall_clock(void **state)
{
    (void)state;
    /* the next such local time after the start */
    assert_int_equal(resolve("12:00:00", local_epoch(11, 0, 0)), 3600);
    assert_int_equal(resolve("12:00:00", local_epoch(13, 0, 0)), 82800);
    assert_int_equal(resolve("12:00:00", local_epoch(12, 0, 0)), 0);
    assert_int_equal(resolve("12:00:00", local_epoch(11, 59, 30)), 30);
    assert_int_equal(resolve("00:00:00", local_epoch(23, 59, 59)), 1);
    assert_int_equal(resolve("23:59:59", local_epoch(0, 0, 0)), 86399);

    /* in a fixed zone (POSIX TZ, no database needed): 10:00Z is 11:00 at UTC+1 */
    char *saved = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    assert_int_equal(setenv("TZ", "CET-1", 1), 0);
    tzset();
    assert_int_equal(resolve("12:00:00", T13Z - 3 * 3600), 3600);
    assert_int_equal(resolve("12:00:00", T13Z - 3600), 82800);
    assert_int_equal(resolve("12:00:00", T13Z), 79200);
    /* ISO 8601 without a zone is local time too: 14:00 at UTC+1 is 13:00Z */
    assert_int_equal(resolve("2026-11-23T14:00:00", T13Z), 0);
    if (saved != NULL) {
        setenv("TZ", saved, 1);
        free(saved);
    } else
        unsetenv("TZ");
    tzset();
}

static void test_deadline_iso8601(void **state)
{
    (void)state;
    assert_int_equal(resolve("2026-11-23T14:00:00Z", T13Z), 3600);
    assert_int_equal(resolve("2026-11-23T14:00:00Z", T13Z + 3600), 0);
    assert_int_equal(resolve("2026-11-23T14:00:00Z", T13Z + 4200), -600); /* already past */
    assert_int_equal(resolve("2026-11-23 14:00:00Z", T13Z), 3600);
    assert_int_equal(resolve("2026-11-23T14:00:00+01:00", T13Z), 0);
    assert_int_equal(resolve("2026-11-23T14:00:00-02:30", T13Z), 3600 + 9000);
    assert_int_equal(resolve("2026-11-24T00:00:00Z", T13Z), 11 * 3600);
    assert_int_equal(resolve("2027-01-01T00:00:00Z", T13Z), 38 * 86400 + 11 * 3600);
    assert_int_equal(resolve("1970-01-01T00:00:00Z", 0), 0);
    assert_int_equal(resolve("2024-03-01T00:00:00Z", 1709164800), 86400); /* leap day */
}

static void test_deadline_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "+",
        "+5",
        "+00:05",
        "+00:60:00",
        "+00:05:60",
        "+00:05:00x",
        "+ 0:05:00",
        "+00:+5:00",
        "+-1:00:00",
        "-00:05:00",
        "noon",
        "12:00",
        "12:00:00:00",
        "24:00:00",
        "12:00:-1",
        " 12:00:00",
        "2026-11-23",
        "2026-13-23T14:00:00Z",
        "2026-11-32T14:00:00Z",
        "2026-02-29T14:00:00Z",
        "2026-04-31T14:00:00Z",
        "2026-11-23T24:00:00Z",
        "2026-11-23T14:00:00+01",
        "2026-11-23T14:00:00+1:00",
        "2026-11-23T14:00:00+ 1:00",
        "2026-11-23T14:00:00CET",
        "2026-11-23T14:00:00Zulu",
        "2026-11-23X14:00:00Z",
        "2026-+1-23T14:00:00Z",
        "2026-11-23T 4:00:00Z",
        " 2026-11-23T14:00:00Z",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct mvm_error err = {0};
        int64_t s = 12345;
        if (mvm_deadline_resolve(bad[i], 0, &s, &err) != -1)
            fail_msg("\"%s\" accepted as %lld", bad[i], (long long)s);
        assert_int_equal(err.code, MVM_ERR_INVALID);
        assert_int_equal(s, 12345);
        char expected[64];
        snprintf(expected, sizeof(expected), "deadline \"%s\": expected", bad[i]);
        assert_message(&err, MVM_ERR_INVALID, expected);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nodes_and_vms),
        cmocka_unit_test(test_resources),
        cmocka_unit_test(test_growing_after_resources),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_same_mapping),
        cmocka_unit_test(test_attributes),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_constraint_copy),
        cmocka_unit_test(test_deadline_relative),
        cmocka_unit_test(test_deadline_wall_clock),
        cmocka_unit_test(test_deadline_iso8601),
        cmocka_unit_test(test_deadline_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
