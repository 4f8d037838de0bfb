/*
 * The verifier's specification, on real plans: the ten mVM plans of random4 and
 * mVM's energy plan are valid, the original BtrPlace energy plan is not (its
 * migrations have no bandwidth), and every kind of fault, made by mutating one
 * real plan in memory (or adding a constraint to its instance), is reported as
 * exactly the expected violation kinds, at the expected second, with messages
 * naming the elements involved. Over-capacity is reported once per episode.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvm/instance.h"
#include "mvm/io.h"
#include "mvm/migration.h"
#include "mvm/plan.h"
#include "mvm/verify.h"

/* A set of violation kinds, as a bit mask. */
#define KIND(k) (1u << MVM_VIOLATION_##k)

/* Unix time the plans start at in every test, so nothing depends on the clock. */
#define START_EPOCH INT64_C(1700000000)

/* ---- loading ---- */

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

static size_t node_index(const struct mvm_model *m, int32_t id)
{
    size_t i = mvm_model_node_index(m, id);
    assert_int_not_equal(i, MVM_NONE);
    return i;
}

static size_t vm_index(const struct mvm_model *m, int32_t id)
{
    size_t i = mvm_model_vm_index(m, id);
    assert_int_not_equal(i, MVM_NONE);
    return i;
}

/* The plan's (only) migration of the VM with this id. */
static struct mvm_action *migration_of(struct mvm_plan *plan, int32_t vm_id)
{
    size_t v = vm_index(plan->origin, vm_id);
    for (size_t i = 0; i < plan->action_count; i++)
        if (plan->actions[i].kind == MVM_ACTION_MIGRATE_VM && plan->actions[i].vm == v)
            return &plan->actions[i];
    fail_msg("no migration of vm %d", (int)vm_id);
    return NULL;
}

/* The plan's action of this kind on the node with this id, and its index. */
static struct mvm_action *node_action(struct mvm_plan *plan, enum mvm_action_kind kind,
                                      int32_t node_id, size_t *index)
{
    size_t n = node_index(plan->origin, node_id);
    for (size_t i = 0; i < plan->action_count; i++)
        if (plan->actions[i].kind == kind && plan->actions[i].node == n) {
            if (index != NULL)
                *index = i;
            return &plan->actions[i];
        }
    fail_msg("no %s of node %d", mvm_action_kind_name(kind), (int)node_id);
    return NULL;
}

/* Moves an action to keep its length: it now starts at `start`. */
static void shift(struct mvm_action *a, int64_t start)
{
    a->end += start - a->start;
    a->start = start;
}

static void append_action(struct mvm_plan *plan, struct mvm_action a)
{
    struct mvm_error err = {0};
    assert_int_equal(mvm_plan_add_action(plan, &a, &err), 0);
}

/* Removes action i (the last action takes its place). */
static void remove_action(struct mvm_plan *plan, size_t i)
{
    size_t last = plan->action_count - 1;
    mvm_action_clear(&plan->actions[i]);
    if (i != last)
        plan->actions[i] = plan->actions[last];
    memset(&plan->actions[last], 0, sizeof(plan->actions[last]));
    plan->action_count--;
}

/* ---- constraints added in memory ---- */

static size_t *index_copy(const size_t *items, size_t count)
{
    if (count == 0)
        return NULL;
    size_t *copy = malloc(count * sizeof(*copy));
    assert_non_null(copy);
    memcpy(copy, items, count * sizeof(*copy));
    return copy;
}

/* Adds a constraint on instance indices (vms, nodes), with an optional Deadline stamp. */
static void add_constraint(struct mvm_instance *in, enum mvm_constraint_kind kind,
                           const size_t *vms, size_t vm_count, const size_t *nodes,
                           size_t node_count, const char *timestamp)
{
    struct mvm_error err = {0};
    struct mvm_constraint c = {.kind = kind, .continuous = MVM_CONTINUOUS_UNSET};
    c.name = strdup(mvm_constraint_kind_name(kind));
    assert_non_null(c.name);
    c.vms = index_copy(vms, vm_count);
    c.vm_count = vm_count;
    c.nodes = index_copy(nodes, node_count);
    c.node_count = node_count;
    if (timestamp != NULL) {
        c.timestamp = strdup(timestamp);
        assert_non_null(c.timestamp);
    }
    assert_int_equal(mvm_instance_add_constraint(in, &c, &err), 0);
}

/* Adds a scheduling constraint on the VMs with these ids (at most 4). */
static void add_vm_constraint(struct mvm_instance *in, enum mvm_constraint_kind kind,
                              const int32_t *ids, size_t count, const char *timestamp)
{
    size_t vms[4];
    assert_true(count <= 4);
    for (size_t i = 0; i < count; i++)
        vms[i] = vm_index(in->model, ids[i]);
    add_constraint(in, kind, vms, count, NULL, 0, timestamp);
}

/*
 * The energy decommissioning as an instance: the plan's origin, every migrated VM
 * fenced to its destination, every node the plan shuts down offline, every node
 * it boots online. The instance's model is a copy of the origin: same indices.
 */
static struct mvm_instance *energy_instance(const struct mvm_plan *plan)
{
    struct mvm_error err = {0};
    struct mvm_model *m = mvm_model_copy(plan->origin, &err);
    assert_non_null(m);
    struct mvm_instance *in = mvm_instance_new(m, &err);
    assert_non_null(in);
    for (size_t i = 0; i < plan->action_count; i++) {
        const struct mvm_action *a = &plan->actions[i];
        if (a->kind == MVM_ACTION_MIGRATE_VM)
            add_constraint(in, MVM_CONSTRAINT_FENCE, &a->vm, 1, &a->to, 1, NULL);
        else if (a->kind == MVM_ACTION_SHUTDOWN_NODE)
            add_constraint(in, MVM_CONSTRAINT_OFFLINE, NULL, 0, &a->node, 1, NULL);
        else if (a->kind == MVM_ACTION_BOOT_NODE)
            add_constraint(in, MVM_CONSTRAINT_ONLINE, NULL, 0, &a->node, 1, NULL);
    }
    return in;
}

static struct mvm_plan *energy_plan(const char *name)
{
    char rel[64];
    snprintf(rel, sizeof(rel), "instances/energy/%s", name);
    return load_plan(DATA(rel));
}

/* ---- running the verifier and reading its report ---- */

static void verify_with(const struct mvm_instance *in, const struct mvm_plan *plan,
                        int64_t tolerance_s, struct mvm_verify_report *report)
{
    struct mvm_verify_options o;
    mvm_verify_options_init(&o);
    o.start_epoch = START_EPOCH;
    o.tolerance_s = tolerance_s;
    struct mvm_error err = {0};
    *report = (struct mvm_verify_report){0};
    if (mvm_plan_verify(in, plan, &o, report, &err) != 0)
        fail_msg("mvm_plan_verify failed: %s", err.message);
}

static void verify(const struct mvm_instance *in, const struct mvm_plan *plan,
                   struct mvm_verify_report *report)
{
    verify_with(in, plan, 1, report);
}

static unsigned kinds_of(const struct mvm_verify_report *r)
{
    unsigned kinds = 0;
    for (size_t i = 0; i < r->count; i++)
        kinds |= 1u << r->items[i].kind;
    return kinds;
}

static size_t count_of(const struct mvm_verify_report *r, enum mvm_violation_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++)
        n += r->items[i].kind == kind;
    return n;
}

/* Fails, listing the report, unless its kinds are exactly `expected`. */
static void assert_kinds(const struct mvm_verify_report *r, unsigned expected)
{
    if (kinds_of(r) == expected)
        return;
    for (size_t i = 0; i < r->count; i++)
        print_message("  t=%lld %s: %s\n", (long long)r->items[i].time,
                      mvm_violation_kind_name(r->items[i].kind), r->items[i].message);
    fail_msg("violation kinds: expected %#x, got %#x", expected, kinds_of(r));
}

static void assert_valid(const struct mvm_verify_report *r)
{
    assert_kinds(r, 0);
    assert_int_equal(r->count, 0);
}

/* The n-th violation (0-based) of a kind, in report order. */
static const struct mvm_violation *nth_of(const struct mvm_verify_report *r,
                                          enum mvm_violation_kind kind, size_t n)
{
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i].kind == kind && n-- == 0)
            return &r->items[i];
    fail_msg("no %s violation number %zu", mvm_violation_kind_name(kind), n);
    return NULL;
}

static void assert_mentions(const struct mvm_violation *v, const char *text)
{
    if (strstr(v->message, text) == NULL)
        fail_msg("message \"%s\" does not mention \"%s\"", v->message, text);
}

/* A violation of the kind whose message mentions text. */
static const struct mvm_violation *find_mentioning(const struct mvm_verify_report *r,
                                                   enum mvm_violation_kind kind, const char *text)
{
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i].kind == kind && strstr(r->items[i].message, text) != NULL)
            return &r->items[i];
    fail_msg("no %s violation mentions \"%s\"", mvm_violation_kind_name(kind), text);
    return NULL;
}

/* An instance, its plan (mutated in memory by a test) and the last report. */
struct case_pair {
    struct mvm_instance *in;
    struct mvm_plan *plan;
    struct mvm_verify_report report;
};

static void case_load(struct case_pair *c, int n)
{
    c->in = random4_instance(n);
    c->plan = random4_plan(n);
    c->report = (struct mvm_verify_report){0};
}

static void case_load_energy(struct case_pair *c)
{
    c->plan = energy_plan("mvm-plan.json");
    c->in = energy_instance(c->plan);
    c->report = (struct mvm_verify_report){0};
}

/* Verifies again, expecting exactly the violation kinds in `kinds`. */
static void case_verify(struct case_pair *c, unsigned kinds)
{
    mvm_verify_report_clear(&c->report);
    verify(c->in, c->plan, &c->report);
    assert_kinds(&c->report, kinds);
}

static void case_free(struct case_pair *c)
{
    mvm_verify_report_clear(&c->report);
    mvm_plan_free(c->plan);
    mvm_instance_free(c->in);
}

/* ---- acceptance ---- */

static void test_random4_plans_are_valid(void **state)
{
    (void)state;
    for (int n = 1; n <= 10; n++) {
        struct case_pair c;
        case_load(&c, n);
        verify(c.in, c.plan, &c.report);
        if (c.report.count != 0)
            print_message("random4 pair %d:\n", n);
        assert_valid(&c.report);
        case_free(&c);
    }
}

static void test_energy_mvm_plan_is_valid(void **state)
{
    (void)state;
    struct case_pair c;
    case_load_energy(&c);
    assert_int_equal(c.in->constraint_count, 96 + 48 + 24);
    verify(c.in, c.plan, &c.report);
    assert_valid(&c.report);
    case_free(&c);
}

/* The original BtrPlace plan: 1 s migrations without bandwidth (bw 0). */
static void test_energy_btrplace_plan_has_no_bandwidth(void **state)
{
    (void)state;
    struct case_pair c;
    c.plan = energy_plan("btrplace-plan.json");
    c.in = energy_instance(c.plan);
    c.report = (struct mvm_verify_report){0};
    case_verify(&c, KIND(BANDWIDTH));
    assert_int_equal(c.report.count, 96);
    for (size_t i = 0; i < c.report.count; i++)
        assert_mentions(&c.report.items[i], "bandwidth 0 Mbit/s");
    case_free(&c);
}

/* ---- ACTION ---- */

static void test_action_migration_from_wrong_node(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    /* vm 9 goes 1 -> 0 at 70-140 (500 Mbit/s); claim it leaves node 3, whose link is idle then */
    migration_of(c.plan, 9)->from = node_index(c.plan->origin, 3);
    case_verify(&c, KIND(ACTION));
    assert_int_equal(c.report.count, 1);
    const struct mvm_violation *v = nth_of(&c.report, MVM_VIOLATION_ACTION, 0);
    assert_int_equal(v->time, 70);
    assert_mentions(v, "vm 9 is on node 1, not on node 3");
    case_free(&c);
}

static void test_action_overlapping_actions_on_one_vm(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    /* vm 2 goes 2 -> 3 at 70-90; a second migration 3 -> 2 starts at 80, before it arrived */
    append_action(c.plan, (struct mvm_action){.kind = MVM_ACTION_MIGRATE_VM,
                                              .start = 80,
                                              .end = 100,
                                              .vm = vm_index(c.plan->origin, 2),
                                              .node = MVM_NONE,
                                              .from = node_index(c.plan->origin, 3),
                                              .to = node_index(c.plan->origin, 2),
                                              .bw_mbps = 1000});
    case_verify(&c, KIND(ACTION));
    assert_int_equal(c.report.count, 2);
    const struct mvm_violation *v = find_mentioning(&c.report, MVM_VIOLATION_ACTION, "overlaps");
    assert_int_equal(v->time, 80);
    assert_int_equal(v->action, 10);
    assert_mentions(v, "action 0 (migrateVM of vm 2 from node 2 to node 3, from t=70 s to t=90 s)");
    /* and it does not find vm 2 where it says: vm 2 is still on node 2 */
    v = find_mentioning(&c.report, MVM_VIOLATION_ACTION, "vm 2 is on node 2, not on node 3");
    assert_int_equal(v->time, 80);
    case_free(&c);
}

static void test_action_boot_of_online_node(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    /* node 1 is online and receives nothing before 141: booting it is the only fault */
    append_action(c.plan, (struct mvm_action){.kind = MVM_ACTION_BOOT_NODE,
                                              .start = 0,
                                              .end = 120,
                                              .vm = MVM_NONE,
                                              .node = node_index(c.plan->origin, 1),
                                              .from = MVM_NONE,
                                              .to = MVM_NONE,
                                              .bw_mbps = -1});
    case_verify(&c, KIND(ACTION));
    assert_int_equal(c.report.count, 1);
    assert_int_equal(c.report.items[0].time, 0);
    assert_mentions(&c.report.items[0], "node 1 is online, not offline");
    case_free(&c);
}

static void test_action_negative_start(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    shift(migration_of(c.plan, 7), -5); /* 0-29 becomes -5-24 */
    case_verify(&c, KIND(ACTION));
    assert_int_equal(c.report.count, 1);
    assert_int_equal(c.report.items[0].time, -5);
    assert_mentions(&c.report.items[0], "starts before the reconfiguration");
    case_free(&c);
}

/* An action ending before it starts is not replayed: vm 4 then never reaches its fence. */
static void test_action_end_before_start(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    struct mvm_action *a = migration_of(c.plan, 4); /* 0 -> 1 at 141-192 */
    a->end = a->start - 1;
    case_verify(&c, KIND(ACTION) | KIND(CONSTRAINT));
    assert_int_equal(count_of(&c.report, MVM_VIOLATION_ACTION), 1);
    const struct mvm_violation *v = nth_of(&c.report, MVM_VIOLATION_ACTION, 0);
    assert_int_equal(v->time, 141);
    assert_mentions(v, "ends before it starts");
    assert_int_equal(count_of(&c.report, MVM_VIOLATION_CONSTRAINT), 1);
    assert_mentions(nth_of(&c.report, MVM_VIOLATION_CONSTRAINT, 0), "vm 4 ends on node 0");
    case_free(&c);
}

/* ---- CONSTRAINT ---- */

static void test_constraint_fence_broken_by_redirect(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    /* vm 9 is fenced to node 0; send it to node 2, which has room and an idle link */
    migration_of(c.plan, 9)->to = node_index(c.plan->origin, 2);
    case_verify(&c, KIND(CONSTRAINT));
    assert_int_equal(c.report.count, 1);
    const struct mvm_violation *v = &c.report.items[0];
    assert_int_equal(v->time, 192); /* final state: the makespan */
    assert_int_not_equal(v->constraint, MVM_NONE);
    assert_string_equal(c.in->constraints[v->constraint].name, "fence");
    assert_mentions(v, "vm 9 ends on node 2, not one of its nodes");
    case_free(&c);
}

static void test_constraint_offline_broken_without_shutdown(void **state)
{
    (void)state;
    struct case_pair c;
    case_load_energy(&c);
    size_t i;
    node_action(c.plan, MVM_ACTION_SHUTDOWN_NODE, 0, &i);
    remove_action(c.plan, i);
    case_verify(&c, KIND(CONSTRAINT));
    assert_int_equal(c.report.count, 1);
    assert_mentions(&c.report.items[0], "(offline): node 0 ends online");
    case_free(&c);
}

static void test_constraint_root_on_migrated_vm(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    size_t v = vm_index(c.in->model, 8);
    add_constraint(c.in, MVM_CONSTRAINT_ROOT, &v, 1, NULL, 0, NULL);
    case_verify(&c, KIND(CONSTRAINT));
    assert_int_equal(c.report.count, 1);
    assert_int_equal(c.report.items[0].time, 0); /* vm 8's migration starts at 0 */
    assert_int_equal(c.report.items[0].constraint, c.in->constraint_count - 1);
    assert_mentions(&c.report.items[0], "vm 8 must not move but migrates to node 3");
    case_free(&c);
}

/* ---- NET_CAPACITY ---- */

/*
 * vm 7 (3 -> 2, 0-29) and vm 3 (3 -> 2, 29-49) both use 1000 Mbit/s on the
 * 1000 Mbit/s links of nodes 3 and 2. Starting vm 3 at 20 makes them share node
 * 3's uplink and node 2's downlink from 20 to 29: one episode on each direction.
 */
static void test_net_capacity_shared_link(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    shift(migration_of(c.plan, 3), 20);
    case_verify(&c, KIND(NET_CAPACITY));
    assert_int_equal(c.report.count, 2); /* once per episode, not once per second */
    const struct mvm_violation *up =
        find_mentioning(&c.report, MVM_VIOLATION_NET_CAPACITY, "link 3 (node 3 -> switch 0)");
    const struct mvm_violation *down =
        find_mentioning(&c.report, MVM_VIOLATION_NET_CAPACITY, "link 2 (switch 0 -> node 2)");
    const struct mvm_violation *both[] = {up, down};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(both[i]->time, 20);
        assert_mentions(both[i], "carries 2000 Mbit/s > capacity 1000 Mbit/s");
        assert_mentions(both[i], "vm 7 at 1000");
        assert_mentions(both[i], "vm 3 at 1000");
    }
    case_free(&c);
}

/*
 * Moving vm 2 (2 -> 3, 1000 Mbit/s) to 60-80 and vm 0 (0 -> 3, 500 Mbit/s) to
 * 70-121 overloads node 3's downlink from 60 to 80 without a break: at 70 vm 8
 * and vm 5 finish as vm 0 starts. One episode there, one on node 2's uplink
 * (shared with vm 6 from 60 to 70).
 */
static void test_net_capacity_episode_spans_a_swap(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    shift(migration_of(c.plan, 2), 60);
    shift(migration_of(c.plan, 0), 70);
    case_verify(&c, KIND(NET_CAPACITY));
    assert_int_equal(c.report.count, 2);
    const struct mvm_violation *down =
        find_mentioning(&c.report, MVM_VIOLATION_NET_CAPACITY, "link 3 (switch 0 -> node 3)");
    assert_int_equal(down->time, 60);
    assert_mentions(down, "carries 2000 Mbit/s");
    const struct mvm_violation *up =
        find_mentioning(&c.report, MVM_VIOLATION_NET_CAPACITY, "link 2 (node 2 -> switch 0)");
    assert_int_equal(up->time, 60);
    assert_mentions(up, "carries 1500 Mbit/s");
    case_free(&c);
}

/* ---- NODE_CAPACITY ---- */

/* Sets the capacity of resource rc_id on the node with this id. */
static void set_capacity(struct mvm_model *m, const char *rc_id, int32_t node_id, int64_t capacity)
{
    size_t k = 0;
    while (k < m->resource_count && strcmp(m->resources[k].rc_id, rc_id) != 0)
        k++;
    assert_true(k < m->resource_count);
    m->resources[k].node_capacity[node_index(m, node_id)] = capacity;
}

/*
 * Node 3 holds vm 7 (3 GiB) and vm 3 (2 GiB); vm 8 and vm 5 (3 GiB each) arrive
 * from 0, vm 7 leaves at 29, vm 3 at 49, vm 2 (2 GiB) arrives at 70-90 and vm 0
 * (2 GiB) at 90-141. With 9 GiB instead of 12 it is over capacity from 0 (11) to
 * 29, then again from 90 (10) to the end: two episodes, two violations.
 */
static void test_node_capacity_once_per_episode(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    set_capacity(c.plan->origin, "mem", 3, 9);
    case_verify(&c, KIND(NODE_CAPACITY));
    assert_int_equal(c.report.count, 2);
    const struct mvm_violation *first = nth_of(&c.report, MVM_VIOLATION_NODE_CAPACITY, 0);
    const struct mvm_violation *second = nth_of(&c.report, MVM_VIOLATION_NODE_CAPACITY, 1);
    assert_int_equal(first->time, 0);
    assert_mentions(first, "node 3: mem 11 used > capacity 9");
    assert_mentions(first, "vm 8");
    assert_mentions(first, "vm 5");
    assert_int_equal(second->time, 90);
    assert_mentions(second, "node 3: mem 10 used > capacity 9");
    assert_mentions(second, "vm 0");
    case_free(&c);
}

/*
 * An episode is a run of seconds over capacity, judged after all the events of
 * a second: a departure and an arrival at the same second do not split it. With
 * 3 CPUs, node 0 (vm 8, 4, 0: one CPU each) is over from 0, when vm 6 starts
 * arriving, to the end: at 70 vm 8 has left but vm 9 starts arriving.
 */
static void test_node_capacity_episode_spans_a_swap(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    set_capacity(c.plan->origin, "cpu", 0, 3);
    case_verify(&c, KIND(NODE_CAPACITY));
    assert_int_equal(c.report.count, 1);
    assert_int_equal(c.report.items[0].time, 0);
    assert_mentions(&c.report.items[0], "node 0: cpu 4 used > capacity 3");
    case_free(&c);
}

/* ---- NOT_BOOTED, NODE_BUSY ---- */

static void test_not_booted_arrival_before_boot_ends(void **state)
{
    (void)state;
    struct case_pair c;
    case_load_energy(&c);
    /* node 48 boots at 0-120; vm 94 (47 -> 48) starts at 120: make it start at 119 */
    assert_int_equal(node_action(c.plan, MVM_ACTION_BOOT_NODE, 48, NULL)->end, 120);
    struct mvm_action *a = migration_of(c.plan, 94);
    assert_int_equal(a->start, 120);
    shift(a, 119);
    case_verify(&c, KIND(NOT_BOOTED));
    assert_int_equal(c.report.count, 1);
    assert_int_equal(c.report.items[0].time, 119);
    assert_mentions(&c.report.items[0], "destination node 48 is still booting");
    case_free(&c);
}

static void test_node_busy_shutdown_before_vm_left(void **state)
{
    (void)state;
    struct case_pair c;
    case_load_energy(&c);
    /* node 28 shuts down at 228-245 once vm 57 left (192-228): start it at 227 */
    struct mvm_action *a = node_action(c.plan, MVM_ACTION_SHUTDOWN_NODE, 28, NULL);
    assert_int_equal(a->start, 228);
    assert_int_equal(migration_of(c.plan, 57)->end, 228);
    shift(a, 227);
    case_verify(&c, KIND(NODE_BUSY));
    assert_int_equal(c.report.count, 1);
    assert_int_equal(c.report.items[0].time, 227);
    assert_mentions(&c.report.items[0], "node 28 still hosts vm 57");
    case_free(&c);
}

/* ---- DURATION ---- */

/*
 * vm 2 (2000 MiB, hot 96 MiB / 2 s, cold 2 MiB/s) at 1000 Mbit/s: 16 s first copy
 * + 124/123 s cold + 0.768 * 48/77 s hot = 17.487 s, so 17 s. With the 1 s
 * tolerance, 16 s is accepted and 15 s is not.
 */
static void test_duration_migration_shorter_than_model(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    struct mvm_action *a = migration_of(c.plan, 2);
    assert_int_equal(a->start, 70);
    struct mvm_vm_memory mem;
    struct mvm_error err = {0};
    int64_t need;
    assert_int_equal(mvm_vm_memory_from_attrs(&c.plan->origin->vms[a->vm].attrs, &mem, &err), 0);
    assert_int_equal(mvm_migration_duration(&mem, 1000.0, MVM_MIGRATION_PRECOPY, &need, &err), 0);
    assert_int_equal(need, 17);

    a->end = a->start + need - 1; /* exactly the tolerance below the model */
    case_verify(&c, 0);

    a->end = a->start + need - 2;
    case_verify(&c, KIND(DURATION));
    assert_int_equal(c.report.count, 1);
    assert_int_equal(c.report.items[0].time, 70);
    assert_mentions(&c.report.items[0], "vm 2");
    assert_mentions(&c.report.items[0], "lasts 15 s but the precopy model needs 17 s");

    /* without tolerance, 16 s is too short as well */
    a->end = a->start + need - 1;
    mvm_verify_report_clear(&c.report);
    verify_with(c.in, c.plan, 0, &c.report);
    assert_kinds(&c.report, KIND(DURATION));
    assert_mentions(&c.report.items[0], "lasts 16 s");
    case_free(&c);
}

static void test_duration_boot_node_shorter_than_attribute(void **state)
{
    (void)state;
    struct case_pair c;
    case_load_energy(&c);
    struct mvm_action *a = node_action(c.plan, MVM_ACTION_BOOT_NODE, 48, NULL);
    a->end = a->start + 119; /* its boot attribute is 120 s */
    case_verify(&c, KIND(DURATION));
    assert_int_equal(c.report.count, 1);
    assert_mentions(&c.report.items[0], "node 48");
    assert_mentions(&c.report.items[0], "lasts 119 s, less than the node's boot duration (120 s)");
    case_free(&c);
}

/* ---- BANDWIDTH ---- */

/* 1000 Mbit/s on node 1's 500 Mbit/s path: the links carry it too, so they are over capacity. */
static void test_bandwidth_above_path_maximum(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    migration_of(c.plan, 9)->bw_mbps = 1000;
    case_verify(&c, KIND(BANDWIDTH) | KIND(NET_CAPACITY));
    assert_int_equal(count_of(&c.report, MVM_VIOLATION_BANDWIDTH), 1);
    const struct mvm_violation *v = nth_of(&c.report, MVM_VIOLATION_BANDWIDTH, 0);
    assert_int_equal(v->time, 70);
    assert_mentions(v, "vm 9");
    assert_mentions(v, "uses 1000 Mbit/s, above its path's maximum of 500 Mbit/s");
    /* node 1's uplink and node 0's downlink, once each */
    assert_int_equal(count_of(&c.report, MVM_VIOLATION_NET_CAPACITY), 2);
    case_free(&c);
}

/*
 * vm 9's hot pages are rewritten at 96 / 2 = 48 MiB/s = 384 Mbit/s: at 384 Mbit/s
 * pre-copy never converges; at 385 it does, in about 833 s, far beyond 70 s.
 */
static void test_bandwidth_never_converges(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    struct mvm_action *a = migration_of(c.plan, 9);
    a->bw_mbps = 384;
    case_verify(&c, KIND(BANDWIDTH));
    assert_int_equal(c.report.count, 1);
    assert_int_equal(c.report.items[0].time, 70);
    assert_mentions(&c.report.items[0], "vm 9");
    a->bw_mbps = 385;
    case_verify(&c, KIND(DURATION));
    assert_int_equal(c.report.count, 1);
    case_free(&c);
}

/* ---- scheduling constraints (plan 1: vm 8, 5, 6 at 0-70, vm 7 at 0-29, vm 3 at 29-49) ---- */

static void test_sync(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    add_vm_constraint(c.in, MVM_CONSTRAINT_SYNC, (const int32_t[]){8, 5, 6}, 3, NULL);
    case_verify(&c, 0);
    add_vm_constraint(c.in, MVM_CONSTRAINT_SYNC, (const int32_t[]){7, 3}, 2, NULL);
    case_verify(&c, KIND(SYNC));
    assert_int_equal(c.report.count, 1);
    const struct mvm_violation *v = &c.report.items[0];
    assert_int_equal(v->constraint, c.in->constraint_count - 1);
    assert_int_equal(v->time, 29);
    assert_mentions(v, "vm 7 switches at t=29 s but vm 3 at t=49 s");
    case_free(&c);
}

static void test_serialize(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    add_vm_constraint(c.in, MVM_CONSTRAINT_SERIALIZE, (const int32_t[]){7, 3}, 2, NULL);
    case_verify(&c, 0); /* 0-29 then 29-49: touching is not overlapping */
    add_vm_constraint(c.in, MVM_CONSTRAINT_SERIALIZE, (const int32_t[]){8, 5}, 2, NULL);
    case_verify(&c, KIND(SERIALIZE));
    assert_int_equal(c.report.count, 1);
    const struct mvm_violation *v = &c.report.items[0];
    assert_int_equal(v->constraint, c.in->constraint_count - 1);
    assert_int_equal(v->time, 0);
    assert_mentions(v, "vm 8 [0, 70]");
    assert_mentions(v, "vm 5 [0, 70]");
    case_free(&c);
}

static void test_precedence(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    add_vm_constraint(c.in, MVM_CONSTRAINT_PRECEDENCE, (const int32_t[]){7, 3}, 2, NULL);
    case_verify(&c, 0); /* vm 7 ends at 29, vm 3 starts at 29 */
    add_vm_constraint(c.in, MVM_CONSTRAINT_PRECEDENCE, (const int32_t[]){3, 7}, 2, NULL);
    case_verify(&c, KIND(PRECEDENCE));
    assert_int_equal(c.report.count, 1);
    const struct mvm_violation *v = &c.report.items[0];
    assert_int_equal(v->constraint, c.in->constraint_count - 1);
    assert_int_equal(v->time, 0);
    assert_mentions(v, "vm 3 ends at t=49 s, after vm 7 starts at t=0 s");
    case_free(&c);
}

static void test_deadline(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    /* vm 0 migrates at 90-141 */
    add_vm_constraint(c.in, MVM_CONSTRAINT_DEADLINE, (const int32_t[]){0}, 1, "+01:00:00");
    case_verify(&c, 0);
    add_vm_constraint(c.in, MVM_CONSTRAINT_DEADLINE, (const int32_t[]){0}, 1, "+00:01:00");
    case_verify(&c, KIND(DEADLINE));
    assert_int_equal(c.report.count, 1);
    const struct mvm_violation *v = &c.report.items[0];
    assert_int_equal(v->constraint, c.in->constraint_count - 1);
    assert_int_equal(v->time, 141);
    assert_mentions(v, "Deadline +00:01:00 = t=60 s");
    assert_mentions(v, "vm 0's migration ends at t=141 s");
    case_free(&c);
}

/* ---- UNSUPPORTED, ORIGIN, bad input ---- */

/* Reads a whole file into a NUL-terminated buffer (caller frees). */
static char *slurp(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size > 0);
    rewind(f);
    char *text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    fclose(f);
    *length = (size_t)size;
    return text;
}

static void test_unsupported_constraint(void **state)
{
    (void)state;
    size_t length;
    char *text = slurp(DATA("instances/random4/instance.1.json"), &length);
    const char *key = "\"constraints\": [";
    const char *spread = "{\"id\": \"mostlySpread\", \"vms\": [0, 1], \"continuous\": true}, ";
    char *at = strstr(text, key);
    assert_non_null(at);
    size_t head = (size_t)(at - text) + strlen(key);
    char *edited = malloc(length + strlen(spread) + 1);
    assert_non_null(edited);
    memcpy(edited, text, head);
    strcpy(edited + head, spread);
    strcat(edited, text + head);
    free(text);

    struct mvm_error err = {0};
    struct case_pair c = {0};
    c.in = mvm_instance_parse(edited, strlen(edited), "spread.json", &err);
    free(edited);
    if (c.in == NULL)
        fail_msg("%s", err.message);
    assert_int_equal(c.in->constraint_count, 11);
    assert_int_equal(c.in->constraints[0].kind, MVM_CONSTRAINT_OTHER);
    c.plan = random4_plan(1);
    case_verify(&c, KIND(UNSUPPORTED));
    assert_int_equal(c.report.count, 1);
    assert_int_equal(c.report.items[0].constraint, 0);
    assert_mentions(&c.report.items[0], "mostlySpread");
    case_free(&c);
}

static void test_origin_differs_from_instance(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    /* the instance says vm 8 is on node 1; the plan's origin has it on node 0 */
    struct mvm_model *m = c.in->model;
    m->vms[vm_index(m, 8)].host = node_index(m, 1);
    case_verify(&c, KIND(ORIGIN));
    assert_int_equal(c.report.count, 1);
    assert_mentions(&c.report.items[0],
                    "vm 8 is on node 1 in the instance but on node 0 in the plan's origin");
    case_free(&c);
}

/* A migrated VM without memUsed cannot be checked: an error, not a violation. */
static void test_missing_mem_used_is_an_error(void **state)
{
    (void)state;
    struct case_pair c;
    case_load(&c, 1);
    mvm_attrs_clear(&c.plan->origin->vms[vm_index(c.plan->origin, 4)].attrs);
    mvm_attrs_clear(&c.in->model->vms[vm_index(c.in->model, 4)].attrs);
    struct mvm_verify_options o;
    mvm_verify_options_init(&o);
    struct mvm_error err = {0};
    assert_int_equal(mvm_plan_verify(c.in, c.plan, &o, &c.report, &err), -1);
    assert_non_null(strstr(err.message, "vm 4"));
    assert_non_null(strstr(err.message, "memUsed"));
    case_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random4_plans_are_valid),
        cmocka_unit_test(test_energy_mvm_plan_is_valid),
        cmocka_unit_test(test_energy_btrplace_plan_has_no_bandwidth),
        cmocka_unit_test(test_action_migration_from_wrong_node),
        cmocka_unit_test(test_action_overlapping_actions_on_one_vm),
        cmocka_unit_test(test_action_boot_of_online_node),
        cmocka_unit_test(test_action_negative_start),
        cmocka_unit_test(test_action_end_before_start),
        cmocka_unit_test(test_constraint_fence_broken_by_redirect),
        cmocka_unit_test(test_constraint_offline_broken_without_shutdown),
        cmocka_unit_test(test_constraint_root_on_migrated_vm),
        cmocka_unit_test(test_net_capacity_shared_link),
        cmocka_unit_test(test_net_capacity_episode_spans_a_swap),
        cmocka_unit_test(test_node_capacity_once_per_episode),
        cmocka_unit_test(test_node_capacity_episode_spans_a_swap),
        cmocka_unit_test(test_not_booted_arrival_before_boot_ends),
        cmocka_unit_test(test_node_busy_shutdown_before_vm_left),
        cmocka_unit_test(test_duration_migration_shorter_than_model),
        cmocka_unit_test(test_duration_boot_node_shorter_than_attribute),
        cmocka_unit_test(test_bandwidth_above_path_maximum),
        cmocka_unit_test(test_bandwidth_never_converges),
        cmocka_unit_test(test_sync),
        cmocka_unit_test(test_serialize),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_unsupported_constraint),
        cmocka_unit_test(test_origin_differs_from_instance),
        cmocka_unit_test(test_missing_mem_used_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
