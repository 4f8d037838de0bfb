/*
 * The scheduler's specification. On small instances written here, exact
 * outcomes: which actions the constraints imply, how long each lasts, what
 * waits for what (boots before arrivals, departures before shutdowns, a full
 * destination before its departure), how shared links, blocking switches and
 * uplinks serialise or admit migrations, when a bypass breaks a cycle, the
 * lower bounds computed by hand, and the error (infeasible or unsupported, with
 * the element at fault named) for everything that has no plan. On the real
 * random4 and scale instances: valid plans for both objectives, stats that
 * match the plans, the makespans pinned where they reach the lower bound, and
 * determinism by seed. Every plan the scheduler produces here goes through the
 * independent verifier and must have zero violations.
 */
#include "testutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvm/instance.h"
#include "mvm/io.h"
#include "mvm/migration.h"
#include "mvm/plan.h"
#include "mvm/schedule.h"
#include "mvm/verify.h"

/* Unix time the plans start at when verified, so nothing depends on the clock. */
#define START_EPOCH INT64_C(1700000000)

/* ---- instances written for the tests (JSON with ' for ", so it reads as written) ---- */

/*
 * VM attributes without dirty pages, so a migration lasts memUsed / (bw / 8)
 * exactly: 10 s (20 s, 30 s) at 1000 Mbit/s, twice as long at 500 Mbit/s.
 */
#define MIG10 "{'memUsed': 1250, 'hotDirtySize': 0}"
#define MIG20 "{'memUsed': 2500, 'hotDirtySize': 0}"
#define MIG30 "{'memUsed': 3750, 'hotDirtySize': 0}"

/* A link of `mbps` between node `n` and switch 0 (the link's id is the node's). */
#define LINK(n, mbps)                                                                              \
    "{'id': " #n ", 'capacity': " #mbps ", 'switch': 0, 'physicalElement': {'id': " #n             \
    ", 'type': 'node'}}"

/* A network view with one switch (capacity -1: non-blocking) and these links. */
#define STAR(switch_mbps, links)                                                                   \
    "{'id': 'net', 'routing': {'type': 'default'}, 'switches': [{'id': 0, "                        \
    "'capacity': " #switch_mbps "}], 'links': [" links "]}"

/* A shareableResource view: capacities of nodes and consumptions of VMs ("'id': n, ..."). */
#define RESOURCE(rc, nodes, vms)                                                                   \
    "{'id': 'shareableResource', 'rcId': '" rc "', 'defCapacity': 0, 'defConsumption': 0, "        \
    "'nodes': {" nodes "}, 'vms': {" vms "}}"

/* Parses an instance written with single quotes. */
static struct mvm_instance *instance_of(const char *quoted)
{
    size_t len = strlen(quoted);
    char *text = malloc(len + 1);
    assert_non_null(text);
    for (size_t i = 0; i <= len; i++)
        text[i] = quoted[i] == '\'' ? '"' : quoted[i];
    struct mvm_error err = {0};
    struct mvm_instance *in = mvm_instance_parse(text, len, "test instance", &err);
    free(text);
    if (in == NULL)
        fail_msg("test instance: %s", err.message);
    return in;
}

static struct mvm_instance *load_instance(const char *path)
{
    struct mvm_error err = {0};
    struct mvm_instance *in = mvm_instance_load(path, &err);
    if (in == NULL)
        fail_msg("%s: %s", path, err.message);
    return in;
}

static struct mvm_instance *random4_instance(int n)
{
    char rel[64];
    snprintf(rel, sizeof(rel), "instances/random4/instance.%d.json", n);
    return load_instance(DATA(rel));
}

/* A text growing in a fixed buffer; the test fails rather than truncate it. */
struct text {
    char buf[16384];
    size_t len;
};

static void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_add(struct text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof(t->buf) - t->len);
    t->len += (size_t)n;
}

/*
 * An instance from its parts, written with single quotes: the mapping's
 * members, the node and VM attributes, the views and the constraints.
 */
static struct mvm_instance *instance_from(const char *mapping, const char *node_attrs,
                                          const char *vm_attrs, const char *views,
                                          const char *constraints)
{
    struct text t = {.len = 0};
    text_add(&t,
             "{'model': {'mapping': {%s}, 'attributes': {'nodes': {%s}, 'vms': {%s}}, "
             "'views': [%s]}, 'constraints': [%s]}",
             mapping, node_attrs, vm_attrs, views, constraints);
    return instance_of(t.buf);
}

/*
 * Two racks of n nodes: nodes 0..n-1 on switch 0, nodes n..2n-1 on switch 1,
 * every node link 1000 Mbit/s, both switches non-blocking and joined by one
 * 10,000 Mbit/s link. VM i runs on node i and is fenced to node n + i; each
 * migration lasts 10 s at 1000 Mbit/s.
 */
static struct mvm_instance *two_racks(int n)
{
    struct text t = {.len = 0};
    text_add(&t, "{'model': {'mapping': {'onlineNodes': {");
    for (int i = 0; i < 2 * n; i++)
        if (i < n)
            text_add(&t, "%s'%d': {'runningVMs': [%d]}", i ? ", " : "", i, i);
        else
            text_add(&t, ", '%d': {'runningVMs': []}", i);
    text_add(&t, "}, 'offlineNodes': [], 'readyVMs': []}, 'attributes': {'nodes': {}, 'vms': {");
    for (int i = 0; i < n; i++)
        text_add(&t, "%s'%d': " MIG10, i ? ", " : "", i);
    text_add(&t, "}}, 'views': [{'id': 'net', 'routing': {'type': 'default'}, 'switches': "
                 "[{'id': 0, 'capacity': -1}, {'id': 1, 'capacity': -1}], 'links': [");
    for (int i = 0; i < 2 * n; i++)
        text_add(&t,
                 "{'id': %d, 'capacity': 1000, 'switch': %d, 'physicalElement': {'id': %d, "
                 "'type': 'node'}}, ",
                 i, i < n ? 0 : 1, i);
    text_add(&t,
             "{'id': %d, 'capacity': 10000, 'switch': 0, 'physicalElement': {'id': 1, 'type': "
             "'switch'}}]}]}, 'constraints': [",
             2 * n);
    for (int i = 0; i < n; i++)
        text_add(&t, "%s{'id': 'fence', 'vm': %d, 'nodes': [%d]}", i ? ", " : "", i, n + i);
    text_add(&t, "]}");
    return instance_of(t.buf);
}

/* ---- scheduling, and checking every plan ---- */

/* Options for tests: a time limit that never cuts the search, so results depend on the seed. */
static struct mvm_schedule_options options_for(enum mvm_schedule_objective objective)
{
    struct mvm_schedule_options o;
    mvm_schedule_options_init(&o);
    o.objective = objective;
    o.time_limit_s = 600;
    return o;
}

/* Fails, listing the violations, unless the verifier accepts the plan. */
static void assert_verified(const struct mvm_instance *in, const struct mvm_plan *plan,
                            enum mvm_migration_model model)
{
    struct mvm_verify_options vo;
    mvm_verify_options_init(&vo);
    vo.model = model;
    vo.start_epoch = START_EPOCH;
    struct mvm_verify_report report = {0};
    struct mvm_error err = {0};
    if (mvm_plan_verify(in, plan, &vo, &report, &err) != 0)
        fail_msg("mvm_plan_verify failed: %s", err.message);
    for (size_t i = 0; i < report.count; i++)
        print_message("# t=%lld %s: %s\n", (long long)report.items[i].time,
                      mvm_violation_kind_name(report.items[i].kind), report.items[i].message);
    size_t count = report.count;
    mvm_verify_report_clear(&report);
    if (count != 0)
        fail_msg("the verifier found %zu violations in the scheduler's plan", count);
}

static int64_t plan_sum_of_ends(const struct mvm_plan *plan)
{
    int64_t sum = 0;
    for (size_t i = 0; i < plan->action_count; i++)
        sum += plan->actions[i].end;
    return sum;
}

/* The stats describe the plan, and the plan is what the header promises. */
static void assert_stats_match(const struct mvm_plan *plan, const struct mvm_schedule_stats *st)
{
    size_t migrations = 0, node_actions = 0, vm_actions = 0;
    for (size_t i = 0; i < plan->action_count; i++) {
        const struct mvm_action *a = &plan->actions[i];
        if (a->kind == MVM_ACTION_MIGRATE_VM)
            migrations++;
        else if (a->kind == MVM_ACTION_BOOT_NODE || a->kind == MVM_ACTION_SHUTDOWN_NODE)
            node_actions++;
        else
            vm_actions++;
        if (i > 0)
            assert_true(plan->actions[i - 1].start <= a->start); /* sorted by start */
        assert_non_null(a->hooks);
    }
    assert_int_equal(st->migrations, migrations);
    assert_int_equal(st->node_actions, node_actions);
    assert_int_equal(st->vm_actions, vm_actions);
    assert_int_equal(st->makespan, mvm_plan_makespan(plan));
    assert_int_equal(st->sum_of_ends, plan_sum_of_ends(plan));
    assert_true(st->makespan >= st->makespan_bound);
    assert_true(st->sum_of_ends >= st->sum_of_ends_bound);
    assert_true(st->schedules_tried >= 1);
}

/* Schedules; the plan must exist, pass the verifier and match its stats. */
static struct mvm_plan *schedule_with(const struct mvm_instance *in,
                                      const struct mvm_schedule_options *o,
                                      struct mvm_schedule_stats *st)
{
    struct mvm_error err = {0};
    struct mvm_plan *plan = mvm_schedule(in, o, st, &err);
    if (plan == NULL)
        fail_msg("mvm_schedule failed (code %d): %s", (int)err.code, err.message);
    assert_verified(in, plan, o->model);
    assert_stats_match(plan, st);
    return plan;
}

static struct mvm_plan *schedule(const struct mvm_instance *in,
                                 enum mvm_schedule_objective objective,
                                 struct mvm_schedule_stats *st)
{
    struct mvm_schedule_options o = options_for(objective);
    return schedule_with(in, &o, st);
}

/* Scheduling fails with this code and a message mentioning every string of the NULL-ended list. */
static void assert_fails_with(const struct mvm_instance *in, const struct mvm_schedule_options *o,
                              enum mvm_error_code code, ...)
{
    struct mvm_error err = {0};
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = mvm_schedule(in, o, &st, &err);
    if (plan != NULL) {
        mvm_plan_free(plan);
        fail_msg("mvm_schedule found a plan, expected error code %d", (int)code);
    }
    if (err.code != code)
        fail_msg("error code %d (%s), expected %d", (int)err.code, err.message, (int)code);
    va_list ap;
    va_start(ap, code);
    for (const char *s = va_arg(ap, const char *); s != NULL; s = va_arg(ap, const char *))
        if (strstr(err.message, s) == NULL) {
            va_end(ap);
            fail_msg("message \"%s\" does not mention \"%s\"", err.message, s);
        }
    va_end(ap);
}

#define assert_fails(in, code, ...)                                                                \
    do {                                                                                           \
        struct mvm_schedule_options o_ = options_for(MVM_SCHEDULE_FROM_INSTANCE);                  \
        assert_fails_with((in), &o_, (code), __VA_ARGS__, (const char *)NULL);                     \
    } while (0)

/* ---- reading plans ---- */

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

/* The number of actions of a kind. */
static size_t count_kind(const struct mvm_plan *plan, enum mvm_action_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < plan->action_count; i++)
        n += plan->actions[i].kind == kind;
    return n;
}

/* The only action of this kind on the VM with this id. */
static const struct mvm_action *vm_action(const struct mvm_plan *plan, enum mvm_action_kind kind,
                                          int32_t vm_id)
{
    size_t v = vm_index(plan->origin, vm_id);
    const struct mvm_action *found = NULL;
    for (size_t i = 0; i < plan->action_count; i++)
        if (plan->actions[i].kind == kind && plan->actions[i].vm == v) {
            if (found != NULL)
                fail_msg("several %s of vm %d", mvm_action_kind_name(kind), (int)vm_id);
            found = &plan->actions[i];
        }
    if (found == NULL)
        fail_msg("no %s of vm %d", mvm_action_kind_name(kind), (int)vm_id);
    return found;
}

static const struct mvm_action *migration_of(const struct mvm_plan *plan, int32_t vm_id)
{
    return vm_action(plan, MVM_ACTION_MIGRATE_VM, vm_id);
}

/* The only action of this kind on the node with this id. */
static const struct mvm_action *node_action(const struct mvm_plan *plan, enum mvm_action_kind kind,
                                            int32_t node_id)
{
    size_t n = node_index(plan->origin, node_id);
    const struct mvm_action *found = NULL;
    for (size_t i = 0; i < plan->action_count; i++)
        if (plan->actions[i].kind == kind && plan->actions[i].node == n) {
            if (found != NULL)
                fail_msg("several %s of node %d", mvm_action_kind_name(kind), (int)node_id);
            found = &plan->actions[i];
        }
    if (found == NULL)
        fail_msg("no %s of node %d", mvm_action_kind_name(kind), (int)node_id);
    return found;
}

/* Asserts an action's interval. */
static void assert_times(const struct mvm_action *a, int64_t start, int64_t end)
{
    if (a->start != start || a->end != end)
        fail_msg("%s from t=%lld to t=%lld, expected %lld to %lld", mvm_action_kind_name(a->kind),
                 (long long)a->start, (long long)a->end, (long long)start, (long long)end);
}

/* Asserts a migration's nodes (by id) and bandwidth. */
static void assert_migration(const struct mvm_plan *plan, const struct mvm_action *a,
                             int32_t from_id, int32_t to_id, int64_t bw_mbps)
{
    assert_int_equal(a->kind, MVM_ACTION_MIGRATE_VM);
    assert_int_equal(a->from, node_index(plan->origin, from_id));
    assert_int_equal(a->to, node_index(plan->origin, to_id));
    assert_int_equal(a->bw_mbps, bw_mbps);
}

/* The duration model's length of vm's migration at bw_mbps (pre-copy). */
static int64_t model_duration(const struct mvm_model *m, int32_t vm_id, int64_t bw_mbps)
{
    struct mvm_vm_memory mem;
    struct mvm_error err = {0};
    int64_t d = 0;
    assert_int_equal(mvm_vm_memory_from_attrs(&m->vms[vm_index(m, vm_id)].attrs, &mem, &err), 0);
    assert_int_equal(mvm_migration_duration(&mem, (double)bw_mbps, MVM_MIGRATION_PRECOPY, &d, &err),
                     0);
    return d;
}

/* ---- objectives ---- */

static void test_objective_names(void **state)
{
    (void)state;
    enum mvm_schedule_objective o = MVM_SCHEDULE_FROM_INSTANCE;
    assert_int_equal(mvm_schedule_objective_parse("mttr", &o), 0);
    assert_int_equal(o, MVM_SCHEDULE_MTTR);
    assert_int_equal(mvm_schedule_objective_parse("makespan", &o), 0);
    assert_int_equal(o, MVM_SCHEDULE_MAKESPAN);
    assert_int_equal(mvm_schedule_objective_parse("energy", &o), 0);
    assert_int_equal(o, MVM_SCHEDULE_ENERGY);
    assert_int_equal(mvm_schedule_objective_parse("Energy", &o), -1);
    assert_int_equal(mvm_schedule_objective_parse("", &o), -1);
    assert_string_equal(mvm_schedule_objective_name(MVM_SCHEDULE_MTTR), "mttr");
    assert_string_equal(mvm_schedule_objective_name(MVM_SCHEDULE_MAKESPAN), "makespan");
    assert_string_equal(mvm_schedule_objective_name(MVM_SCHEDULE_ENERGY), "energy");
}

/* random4 asks for minimizeMTTRMigrationScheduling: the objective from the instance is MTTR. */
static void test_objective_from_instance(void **state)
{
    (void)state;
    struct mvm_instance *in = random4_instance(1);
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_FROM_INSTANCE, &st);
    assert_int_equal(st.objective, MVM_SCHEDULE_MTTR);
    mvm_plan_free(plan);
    plan = schedule(in, MVM_SCHEDULE_MAKESPAN, &st);
    assert_int_equal(st.objective, MVM_SCHEDULE_MAKESPAN);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/* ---- action derivation ---- */

/*
 * A fence to another node is one migration at the path's maximum bandwidth
 * (node 0's 1000 Mbit/s link, node 1's 500: 500), lasting what the model says:
 * 2000 MiB at 62.5 MiB/s is 32 s, plus 0.08 s of hot pages (5 MiB every 2 s).
 * Without a network view, every node has 1 Gbit/s: 16 s.
 */
static void test_derive_fence_is_one_migration_at_path_maximum(void **state)
{
    (void)state;
    const char *mapping = "'onlineNodes': {'0': {'runningVMs': [0]}, '1': {'runningVMs': []}}, "
                          "'offlineNodes': [], 'readyVMs': []";
    const char *fence = "{'id': 'fence', 'vm': 0, 'nodes': [1]}";
    struct mvm_instance *in = instance_from(mapping, "", "'0': {'memUsed': 2000}",
                                            STAR(-1, LINK(0, 1000) ", " LINK(1, 500)), fence);
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_FROM_INSTANCE, &st);
    assert_int_equal(plan->action_count, 1);
    const struct mvm_action *a = migration_of(plan, 0);
    assert_migration(plan, a, 0, 1, 500);
    assert_int_equal(model_duration(in->model, 0, 500), 32);
    assert_times(a, 0, 32);
    assert_int_equal(st.migrations, 1);
    assert_int_equal(st.bypasses, 0);
    assert_int_equal(st.makespan, 32);
    assert_int_equal(st.makespan_bound, 32);
    assert_int_equal(st.sum_of_ends_bound, 32);
    mvm_plan_free(plan);
    mvm_instance_free(in);

    in = instance_from(mapping, "", "'0': {'memUsed': 2000}", "", fence);
    /* default options (NULL) and no stats are accepted */
    struct mvm_error err = {0};
    plan = mvm_schedule(in, NULL, NULL, &err);
    assert_non_null(plan);
    assert_verified(in, plan, MVM_MIGRATION_PRECOPY);
    assert_int_equal(plan->action_count, 1);
    a = migration_of(plan, 0);
    assert_migration(plan, a, 0, 1, 1000);
    assert_int_equal(model_duration(in->model, 0, 1000), 16);
    assert_times(a, 0, 16);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/*
 * A VM already where its fence wants it, a running VM told to run, a node told
 * to stay in its state, an offline node nobody needs: nothing to do.
 */
static void test_derive_nothing_to_do(void **state)
{
    (void)state;
    struct mvm_instance *in = instance_from(
        "'onlineNodes': {'0': {'runningVMs': [0, 1]}, '1': {'runningVMs': []}}, "
        "'offlineNodes': [2, 3], 'readyVMs': [2]",
        "", "'0': " MIG10 ", '1': " MIG10, "",
        "{'id': 'fence', 'vm': 0, 'nodes': [0]}, {'id': 'running', 'vm': 1}, "
        "{'id': 'ready', 'vm': 2}, {'id': 'online', 'node': 0}, {'id': 'offline', 'node': 2}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_FROM_INSTANCE, &st);
    assert_int_equal(plan->action_count, 0);
    assert_int_equal(st.makespan, 0);
    assert_int_equal(st.sum_of_ends, 0);
    assert_int_equal(st.makespan_bound, 0);
    assert_int_equal(st.sum_of_ends_bound, 0);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/*
 * An offline constraint on an online node: a shutdownNode after every VM left,
 * lasting the node's `shutdown` (17 s). Both departures share node 0's uplink
 * (1000 Mbit/s each), so they run one after the other, shortest first for the
 * sum of end times: 0-10, 10-30, then the shutdown 30-47.
 */
static void test_derive_offline_node_shuts_down_after_departures(void **state)
{
    (void)state;
    struct mvm_instance *in = instance_from(
        "'onlineNodes': {'0': {'runningVMs': [0, 1]}, '1': {'runningVMs': []}}, "
        "'offlineNodes': [], 'readyVMs': []",
        "'0': {'shutdown': 17}", "'0': " MIG10 ", '1': " MIG20, "",
        "{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'fence', 'vm': 1, 'nodes': [1]}, "
        "{'id': 'offline', 'node': 0}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_MTTR, &st);
    assert_int_equal(plan->action_count, 3);
    const struct mvm_action *m0 = migration_of(plan, 0), *m1 = migration_of(plan, 1);
    const struct mvm_action *off = node_action(plan, MVM_ACTION_SHUTDOWN_NODE, 0);
    assert_true(off->start >= m0->end);
    assert_true(off->start >= m1->end);
    assert_int_equal(off->end - off->start, 17);
    assert_times(m0, 0, 10);
    assert_times(m1, 10, 30);
    assert_times(off, 30, 47);
    assert_int_equal(st.node_actions, 1);
    assert_int_equal(st.makespan, 47);
    assert_int_equal(st.sum_of_ends, 10 + 30 + 47);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/* A fence to an offline node boots it first, for its `boot` (120 s): the arrival waits for it. */
static void test_derive_fence_to_offline_node_boots_it(void **state)
{
    (void)state;
    struct mvm_instance *in = instance_from(
        "'onlineNodes': {'0': {'runningVMs': [0]}}, 'offlineNodes': [1], 'readyVMs': []",
        "'1': {'boot': 120}", "'0': " MIG10, "", "{'id': 'fence', 'vm': 0, 'nodes': [1]}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_FROM_INSTANCE, &st);
    assert_int_equal(plan->action_count, 2);
    const struct mvm_action *boot = node_action(plan, MVM_ACTION_BOOT_NODE, 1);
    const struct mvm_action *m = migration_of(plan, 0);
    assert_times(boot, 0, 120);
    assert_true(m->start >= boot->end);
    assert_migration(plan, m, 0, 1, 1000);
    assert_times(m, 120, 130);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/*
 * Online (offline) constraints on offline (online, empty) nodes boot (shut)
 * them; without a `boot` or `shutdown` attribute they last 1 s. An offline
 * node with no constraint stays off.
 */
static void test_derive_node_state_constraints_and_defaults(void **state)
{
    (void)state;
    struct mvm_instance *in =
        instance_from("'onlineNodes': {'0': {'runningVMs': []}, '1': {'runningVMs': []}}, "
                      "'offlineNodes': [2, 3, 4], 'readyVMs': []",
                      "'1': {'shutdown': 9}, '3': {'boot': 7}", "", "",
                      "{'id': 'offline', 'node': 0}, {'id': 'offline', 'node': 1}, "
                      "{'id': 'online', 'node': 2}, {'id': 'online', 'node': 3}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_FROM_INSTANCE, &st);
    assert_int_equal(plan->action_count, 4);
    assert_times(node_action(plan, MVM_ACTION_SHUTDOWN_NODE, 0), 0, 1);
    assert_times(node_action(plan, MVM_ACTION_SHUTDOWN_NODE, 1), 0, 9);
    assert_times(node_action(plan, MVM_ACTION_BOOT_NODE, 2), 0, 1);
    assert_times(node_action(plan, MVM_ACTION_BOOT_NODE, 3), 0, 7);
    assert_int_equal(st.node_actions, 4);
    assert_int_equal(st.makespan, 9);
    assert_int_equal(st.sum_of_ends, 1 + 9 + 1 + 7);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/*
 * VM state changes, each lasting its VM attribute, 1 s when absent:
 * running on a ready VM fenced to a node -> bootVM there; ready on a running VM
 * -> shutdownVM; sleeping -> suspendVM (in place); killed -> killVM.
 * VMs 0-3 have attributes, 4-7 have none.
 */
static void test_derive_vm_state_changes(void **state)
{
    (void)state;
    struct mvm_instance *in = instance_from(
        "'onlineNodes': {'0': {'runningVMs': [1, 2, 5, 6]}, '1': {'runningVMs': [3, 7]}}, "
        "'offlineNodes': [], 'readyVMs': [0, 4]",
        "", "'0': {'boot': 4}, '1': {'shutdown': 3}, '2': {'suspend': 5}, '3': {'kill': 2}", "",
        "{'id': 'running', 'vm': 0}, {'id': 'fence', 'vm': 0, 'nodes': [1]}, "
        "{'id': 'ready', 'vm': 1}, {'id': 'sleeping', 'vm': 2}, {'id': 'killed', 'vm': 3}, "
        "{'id': 'running', 'vm': 4}, {'id': 'fence', 'vm': 4, 'nodes': [0]}, "
        "{'id': 'ready', 'vm': 5}, {'id': 'sleeping', 'vm': 6}, {'id': 'killed', 'vm': 7}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_FROM_INSTANCE, &st);
    assert_int_equal(plan->action_count, 8);
    assert_int_equal(st.vm_actions, 8);
    assert_int_equal(st.migrations, 0);
    assert_int_equal(count_kind(plan, MVM_ACTION_BOOT_VM), 2);
    assert_int_equal(count_kind(plan, MVM_ACTION_SHUTDOWN_VM), 2);
    assert_int_equal(count_kind(plan, MVM_ACTION_SUSPEND_VM), 2);
    assert_int_equal(count_kind(plan, MVM_ACTION_KILL_VM), 2);
    const struct mvm_model *m = plan->origin;

    const struct mvm_action *a = vm_action(plan, MVM_ACTION_BOOT_VM, 0);
    assert_int_equal(a->node, node_index(m, 1));
    assert_times(a, 0, 4);
    a = vm_action(plan, MVM_ACTION_SHUTDOWN_VM, 1);
    assert_int_equal(a->node, node_index(m, 0));
    assert_times(a, 0, 3);
    a = vm_action(plan, MVM_ACTION_SUSPEND_VM, 2);
    assert_int_equal(a->from, node_index(m, 0));
    assert_int_equal(a->to, node_index(m, 0));
    assert_times(a, 0, 5);
    a = vm_action(plan, MVM_ACTION_KILL_VM, 3);
    assert_int_equal(a->node, node_index(m, 1));
    assert_times(a, 0, 2);

    a = vm_action(plan, MVM_ACTION_BOOT_VM, 4);
    assert_int_equal(a->node, node_index(m, 0));
    assert_times(a, 0, 1);
    assert_times(vm_action(plan, MVM_ACTION_SHUTDOWN_VM, 5), 0, 1);
    assert_times(vm_action(plan, MVM_ACTION_SUSPEND_VM, 6), 0, 1);
    assert_times(vm_action(plan, MVM_ACTION_KILL_VM, 7), 0, 1);
    assert_int_equal(st.makespan, 5);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/* ---- exact small schedules ---- */

/* Node 0's uplink (1000 Mbit/s) carries both migrations at 1000 Mbit/s: one after the other. */
static void test_shared_link_serialises(void **state)
{
    (void)state;
    struct mvm_instance *in = instance_from(
        "'onlineNodes': {'0': {'runningVMs': [0, 1]}, '1': {'runningVMs': []}, "
        "'2': {'runningVMs': []}}, 'offlineNodes': [], 'readyVMs': []",
        "", "'0': " MIG10 ", '1': " MIG20, "",
        "{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'fence', 'vm': 1, 'nodes': [2]}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_MTTR, &st);
    assert_times(migration_of(plan, 0), 0, 10);
    assert_times(migration_of(plan, 1), 10, 30);
    assert_int_equal(st.sum_of_ends, 40);
    assert_int_equal(st.sum_of_ends_bound, 40);
    mvm_plan_free(plan);

    plan = schedule(in, MVM_SCHEDULE_MAKESPAN, &st);
    const struct mvm_action *a = migration_of(plan, 0), *b = migration_of(plan, 1);
    assert_true(a->end <= b->start || b->end <= a->start);
    assert_int_equal(st.makespan, 30);
    assert_int_equal(st.makespan_bound, 30);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/* 0 -> 1 and 2 -> 3 share no link (the switch is non-blocking): both start at 0. */
static void test_disjoint_paths_run_in_parallel(void **state)
{
    (void)state;
    struct mvm_instance *in = instance_from(
        "'onlineNodes': {'0': {'runningVMs': [0]}, '1': {'runningVMs': []}, "
        "'2': {'runningVMs': [1]}, '3': {'runningVMs': []}}, 'offlineNodes': [], 'readyVMs': []",
        "", "'0': " MIG10 ", '1': " MIG20, "",
        "{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'fence', 'vm': 1, 'nodes': [3]}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_MTTR, &st);
    assert_times(migration_of(plan, 0), 0, 10);
    assert_times(migration_of(plan, 1), 0, 20);
    assert_int_equal(st.makespan, 20);
    assert_int_equal(st.sum_of_ends, 30);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/* The same two migrations through a blocking switch of 1000 Mbit/s: its backplane serialises. */
static void test_blocking_switch_serialises(void **state)
{
    (void)state;
    struct mvm_instance *in = instance_from(
        "'onlineNodes': {'0': {'runningVMs': [0]}, '1': {'runningVMs': []}, "
        "'2': {'runningVMs': [1]}, '3': {'runningVMs': []}}, 'offlineNodes': [], 'readyVMs': []",
        "", "'0': " MIG10 ", '1': " MIG20,
        STAR(1000, LINK(0, 1000) ", " LINK(1, 1000) ", " LINK(2, 1000) ", " LINK(3, 1000)),
        "{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'fence', 'vm': 1, 'nodes': [3]}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_MTTR, &st);
    assert_migration(plan, migration_of(plan, 0), 0, 1, 1000);
    assert_migration(plan, migration_of(plan, 1), 2, 3, 1000);
    assert_times(migration_of(plan, 0), 0, 10);
    assert_times(migration_of(plan, 1), 10, 30);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/* The 10,000 Mbit/s link between the racks carries ten 1 Gbit/s migrations at once. */
static void test_uplink_carries_ten_migrations(void **state)
{
    (void)state;
    struct mvm_instance *in = two_racks(10);
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_MTTR, &st);
    assert_int_equal(plan->action_count, 10);
    for (int32_t v = 0; v < 10; v++) {
        assert_migration(plan, migration_of(plan, v), v, 10 + v, 1000);
        assert_times(migration_of(plan, v), 0, 10);
    }
    assert_int_equal(st.makespan, 10);
    assert_int_equal(st.makespan_bound, 10);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/*
 * ... but not eleven: one waits for the first ten to end. The bound knows at
 * least that the uplink carries 110 s of transfer at 1 Gbit/s: 11 s at its capacity.
 */
static void test_uplink_does_not_carry_eleven(void **state)
{
    (void)state;
    struct mvm_instance *in = two_racks(11);
    enum mvm_schedule_objective objectives[] = {MVM_SCHEDULE_MTTR, MVM_SCHEDULE_MAKESPAN};
    for (size_t k = 0; k < 2; k++) {
        struct mvm_schedule_stats st;
        struct mvm_plan *plan = schedule(in, objectives[k], &st);
        assert_int_equal(plan->action_count, 11);
        size_t at0 = 0, at10 = 0;
        for (size_t i = 0; i < plan->action_count; i++) {
            at0 += plan->actions[i].start == 0;
            at10 += plan->actions[i].start == 10;
        }
        assert_int_equal(at0, 10);
        assert_int_equal(at10, 1);
        assert_int_equal(st.makespan, 20);
        assert_int_equal(st.sum_of_ends, 10 * 10 + 20);
        assert_in_range(st.makespan_bound, 11, 20);
        mvm_plan_free(plan);
    }
    mvm_instance_free(in);
}

/*
 * Node 1's memory (4) is full with vm 1, which leaves for node 2: vm 0's arrival
 * waits for that departure to end, although the two paths share no link. The
 * verifier agrees: started at 0 instead, the arrival overflows node 1.
 */
static void test_full_destination_waits_for_departure(void **state)
{
    (void)state;
    struct mvm_instance *in = instance_from(
        "'onlineNodes': {'0': {'runningVMs': [0]}, '1': {'runningVMs': [1]}, "
        "'2': {'runningVMs': []}}, 'offlineNodes': [], 'readyVMs': []",
        "", "'0': " MIG10 ", '1': " MIG10,
        RESOURCE("mem", "'0': 4, '1': 4, '2': 4", "'0': 4, '1': 4"),
        "{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'fence', 'vm': 1, 'nodes': [2]}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_MTTR, &st);
    struct mvm_action *arrival = &plan->actions[migration_of(plan, 0) - plan->actions];
    const struct mvm_action *departure = migration_of(plan, 1);
    assert_true(arrival->start >= departure->end);
    assert_times(departure, 0, 10);
    assert_times(arrival, 10, 20);
    /* the bounds know it too: an arrival on a full node waits for a departure from it */
    assert_int_equal(st.makespan_bound, 20);
    assert_int_equal(st.sum_of_ends_bound, 10 + 20);

    arrival->start = 0;
    arrival->end = 10;
    struct mvm_verify_options vo;
    mvm_verify_options_init(&vo);
    vo.start_epoch = START_EPOCH;
    struct mvm_verify_report report = {0};
    struct mvm_error err = {0};
    assert_int_equal(mvm_plan_verify(in, plan, &vo, &report, &err), 0);
    assert_int_equal(report.count, 1);
    assert_int_equal(report.items[0].kind, MVM_VIOLATION_NODE_CAPACITY);
    assert_int_equal(report.items[0].time, 0);
    assert_non_null(strstr(report.items[0].message, "node 1"));
    mvm_verify_report_clear(&report);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/* A VM booting on a node whose CPU is taken waits for the shutdownVM that frees it. */
static void test_boot_vm_waits_for_shutdown_vm(void **state)
{
    (void)state;
    struct mvm_instance *in = instance_from(
        "'onlineNodes': {'0': {'runningVMs': [0]}}, 'offlineNodes': [], 'readyVMs': [1]", "",
        "'0': {'shutdown': 5}, '1': {'boot': 3}", RESOURCE("cpu", "'0': 2", "'0': 2, '1': 2"),
        "{'id': 'ready', 'vm': 0}, {'id': 'running', 'vm': 1}, "
        "{'id': 'fence', 'vm': 1, 'nodes': [0]}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_MTTR, &st);
    assert_times(vm_action(plan, MVM_ACTION_SHUTDOWN_VM, 0), 0, 5);
    assert_times(vm_action(plan, MVM_ACTION_BOOT_VM, 1), 5, 8);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/* ---- bypasses ---- */

/*
 * Nodes 0 and 1 (memory 4) swap their VMs (memory 4): vm 0 (10 s migrations)
 * and vm 1 (attributes vm1); node 2, when given, has room.
 */
static struct mvm_instance *swap_instance(bool third_node, const char *vm1)
{
    struct text vms = {.len = 0};
    text_add(&vms, "'0': " MIG10 ", '1': %s", vm1);
    return instance_from(third_node ? "'onlineNodes': {'0': {'runningVMs': [0]}, "
                                      "'1': {'runningVMs': [1]}, '2': {'runningVMs': []}}, "
                                      "'offlineNodes': [], 'readyVMs': []"
                                    : "'onlineNodes': {'0': {'runningVMs': [0]}, "
                                      "'1': {'runningVMs': [1]}}, 'offlineNodes': [], "
                                      "'readyVMs': []",
                         "", vms.buf,
                         third_node ? RESOURCE("mem", "'0': 4, '1': 4, '2': 4", "'0': 4, '1': 4")
                                    : RESOURCE("mem", "'0': 4, '1': 4", "'0': 4, '1': 4"),
                         "{'id': 'fence', 'vm': 0, 'nodes': [1]}, "
                         "{'id': 'fence', 'vm': 1, 'nodes': [0]}");
}

/*
 * A swap of full nodes is a cycle: one VM goes through node 2 (0-10), the other
 * takes its place (10-20), then the first arrives (20-30). Three migrations,
 * one bypass, and 30 s is optimal: each step needs the previous one's room.
 * The bounds must stay below the plan: they once chained each arrival's wait
 * for the other's departure round after round (70 s of makespan bound).
 */
static void test_bypass_breaks_a_swap(void **state)
{
    (void)state;
    struct mvm_instance *in = swap_instance(true, MIG10);
    enum mvm_schedule_objective objectives[] = {MVM_SCHEDULE_MTTR, MVM_SCHEDULE_MAKESPAN};
    for (size_t k = 0; k < 2; k++) {
        struct mvm_schedule_stats st;
        struct mvm_plan *plan = schedule(in, objectives[k], &st);
        assert_int_equal(plan->action_count, 3);
        assert_int_equal(st.migrations, 3);
        assert_int_equal(st.bypasses, 1);
        /* plan order: the bypass leg, the direct move, the second leg */
        const struct mvm_action *leg1 = &plan->actions[0], *direct = &plan->actions[1],
                                *leg2 = &plan->actions[2];
        int32_t via = (int32_t)plan->origin->vms[leg1->vm].id, other = 1 - via;
        assert_int_equal(leg2->vm, leg1->vm);
        assert_int_equal(direct->vm, vm_index(plan->origin, other));
        assert_migration(plan, leg1, via, 2, 1000);
        assert_migration(plan, direct, other, via, 1000);
        assert_migration(plan, leg2, 2, other, 1000);
        assert_times(leg1, 0, 10);
        assert_times(direct, 10, 20);
        assert_times(leg2, 20, 30);
        assert_int_equal(st.makespan, 30);
        assert_int_equal(st.sum_of_ends, 60);
        assert_true(st.makespan_bound <= 30);
        assert_true(st.sum_of_ends_bound <= 60);
        mvm_plan_free(plan);
    }
    mvm_instance_free(in);
}

/*
 * With vm 1's migrations lasting 30 s, the bypass must move vm 0: 10 + 30 + 10
 * = 50 s (sum 10 + 40 + 50), where moving vm 1 through node 2 would take 70 s.
 */
static void test_bypass_moves_the_shorter_vm(void **state)
{
    (void)state;
    struct mvm_instance *in = swap_instance(true, MIG30);
    enum mvm_schedule_objective objectives[] = {MVM_SCHEDULE_MTTR, MVM_SCHEDULE_MAKESPAN};
    for (size_t k = 0; k < 2; k++) {
        struct mvm_schedule_stats st;
        struct mvm_plan *plan = schedule(in, objectives[k], &st);
        assert_int_equal(plan->action_count, 3);
        assert_int_equal(st.bypasses, 1);
        assert_migration(plan, &plan->actions[0], 0, 2, 1000);
        assert_times(&plan->actions[0], 0, 10);
        assert_migration(plan, migration_of(plan, 1), 1, 0, 1000);
        assert_times(migration_of(plan, 1), 10, 40);
        assert_migration(plan, &plan->actions[2], 2, 1, 1000);
        assert_times(&plan->actions[2], 40, 50);
        assert_int_equal(st.makespan, 50);
        assert_int_equal(st.sum_of_ends, 100);
        mvm_plan_free(plan);
    }
    mvm_instance_free(in);
}

/* Without a node with room, the cycle cannot be broken: the message shows it. */
static void test_swap_without_room_is_infeasible(void **state)
{
    (void)state;
    struct mvm_instance *in = swap_instance(false, MIG10);
    assert_fails(in, MVM_ERR_INFEASIBLE, "cycle", "vm 0 (node 0 -> node 1)",
                 "vm 1 (node 1 -> node 0)", "mem");
    mvm_instance_free(in);
}

/* ---- infeasible instances ---- */

/* Node 0 holds vm 0 (10 s migrations), nodes 1 and 2 are empty; with these constraints. */
static struct mvm_instance *three_nodes(const char *constraints)
{
    return instance_from("'onlineNodes': {'0': {'runningVMs': [0]}, '1': {'runningVMs': []}, "
                         "'2': {'runningVMs': []}}, 'offlineNodes': [], 'readyVMs': []",
                         "", "'0': " MIG10, "", constraints);
}

static void test_infeasible_fence_to_node_kept_offline(void **state)
{
    (void)state;
    struct mvm_instance *in =
        three_nodes("{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'offline', 'node': 1}");
    assert_fails(in, MVM_ERR_INFEASIBLE, "vm 0", "node 1", "offline");
    mvm_instance_free(in);
}

static void test_infeasible_final_placement_over_capacity(void **state)
{
    (void)state;
    /* both VMs end on node 1: 3 + 2 of memory where 4 fit (CPU fits) */
    struct text views = {.len = 0};
    text_add(&views, "%s, %s", RESOURCE("cpu", "'0': 8, '1': 8", "'0': 1, '1': 1"),
             RESOURCE("mem", "'0': 4, '1': 4", "'0': 3, '1': 2"));
    struct mvm_instance *in = instance_from(
        "'onlineNodes': {'0': {'runningVMs': [0]}, '1': {'runningVMs': [1]}}, "
        "'offlineNodes': [], 'readyVMs': []",
        "", "'0': " MIG10 ", '1': " MIG10, views.buf, "{'id': 'fence', 'vm': 0, 'nodes': [1]}");
    assert_fails(in, MVM_ERR_INFEASIBLE, "node 1", "need 5 mem", "capacity of 4");
    mvm_instance_free(in);
}

static void test_infeasible_two_fences_to_different_nodes(void **state)
{
    (void)state;
    struct mvm_instance *in = three_nodes(
        "{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'fence', 'vm': 0, 'nodes': [2]}");
    assert_fails(in, MVM_ERR_INFEASIBLE, "vm 0", "fence");
    mvm_instance_free(in);

    /* the same fence twice is no conflict */
    in = three_nodes(
        "{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'fence', 'vm': 0, 'nodes': [1]}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_FROM_INSTANCE, &st);
    assert_migration(plan, migration_of(plan, 0), 0, 1, 1000);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/* Hot pages: 200 MiB every second is 1600 Mbit/s, more than the 1000 Mbit/s path. */
static void test_infeasible_migration_never_converges(void **state)
{
    (void)state;
    struct mvm_instance *in = instance_from(
        "'onlineNodes': {'0': {'runningVMs': [0]}, '1': {'runningVMs': []}}, "
        "'offlineNodes': [], 'readyVMs': []",
        "", "'0': {'memUsed': 1000, 'hotDirtySize': 200, 'hotDirtyDuration': 1}",
        STAR(-1, LINK(0, 1000) ", " LINK(1, 1000)), "{'id': 'fence', 'vm': 0, 'nodes': [1]}");
    assert_fails(in, MVM_ERR_INFEASIBLE, "vm 0", "node 0", "node 1", "never converges");
    mvm_instance_free(in);
}

static void test_infeasible_root_on_fenced_vm(void **state)
{
    (void)state;
    struct mvm_instance *in =
        three_nodes("{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'root', 'vm': 0}");
    assert_fails(in, MVM_ERR_INFEASIBLE, "root", "vm 0");
    mvm_instance_free(in);
}

static void test_infeasible_ban_of_fenced_node(void **state)
{
    (void)state;
    struct mvm_instance *in = three_nodes(
        "{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'ban', 'vm': 0, 'nodes': [2, 1]}");
    assert_fails(in, MVM_ERR_INFEASIBLE, "ban", "node 1", "vm 0");
    mvm_instance_free(in);

    /* a ban of other nodes is satisfied by the fence */
    in = three_nodes("{'id': 'fence', 'vm': 0, 'nodes': [1]}, "
                     "{'id': 'ban', 'vm': 0, 'nodes': [2]}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_FROM_INSTANCE, &st);
    assert_migration(plan, migration_of(plan, 0), 0, 1, 1000);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/* ---- unsupported instances ---- */

static void test_unsupported_fence_with_several_nodes(void **state)
{
    (void)state;
    struct mvm_instance *in = three_nodes("{'id': 'fence', 'vm': 0, 'nodes': [1, 2]}");
    assert_fails(in, MVM_ERR_UNSUPPORTED, "fence", "placement");
    mvm_instance_free(in);
}

static void test_unsupported_offline_node_with_unfenced_vm(void **state)
{
    (void)state;
    struct mvm_instance *in = three_nodes("{'id': 'offline', 'node': 0}");
    assert_fails(in, MVM_ERR_UNSUPPORTED, "node 0 must go offline (constraint 0)", "vm 0",
                 "fence it");
    mvm_instance_free(in);
}

static void test_unsupported_spread(void **state)
{
    (void)state;
    struct mvm_instance *in =
        three_nodes("{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'spread', "
                    "'vms': [0], 'continuous': true}");
    assert_fails(in, MVM_ERR_UNSUPPORTED, "spread");
    mvm_instance_free(in);
}

/* Scheduling constraints are a later issue. */
/* A Sync of a single migrating VM binds nothing: the migration runs as usual. */
static void test_sync_of_one_vm(void **state)
{
    (void)state;
    struct mvm_instance *in =
        three_nodes("{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'Sync', 'vms': [0]}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_MTTR, &st);
    assert_times(migration_of(plan, 0), 0, 10);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/*
 * A ready VM stays in the mapping, so `killed` needs a killVM, and a killVM
 * names the node the VM is on: a ready VM has none (the verifier rejects a plan
 * that leaves it ready).
 */
static void test_unsupported_kill_of_ready_vm(void **state)
{
    (void)state;
    struct mvm_instance *in =
        instance_from("'onlineNodes': {'0': {'runningVMs': []}}, 'offlineNodes': [], "
                      "'readyVMs': [2]",
                      "", "", "", "{'id': 'killed', 'vm': 2}");
    assert_fails(in, MVM_ERR_UNSUPPORTED, "vm 2", "ready", "killVM");
    mvm_instance_free(in);
}

/* An objective other than MTTR in the instance, unless the options choose one. */
static void test_unsupported_objective_unless_chosen(void **state)
{
    (void)state;
    struct mvm_instance *in = instance_of(
        "{'model': {'mapping': {'onlineNodes': {'0': {'runningVMs': [0]}, '1': {'runningVMs': "
        "[]}}, 'offlineNodes': [], 'readyVMs': []}, 'attributes': {'nodes': {}, 'vms': {'0': " MIG10
        "}}, 'views': []}, 'constraints': [{'id': 'fence', 'vm': 0, 'nodes': [1]}], "
        "'objective': {'id': 'minimizeMigrations'}}");
    assert_fails(in, MVM_ERR_UNSUPPORTED, "minimizeMigrations");
    enum mvm_schedule_objective objectives[] = {MVM_SCHEDULE_MTTR, MVM_SCHEDULE_MAKESPAN};
    for (size_t k = 0; k < 2; k++) {
        struct mvm_schedule_stats st;
        struct mvm_plan *plan = schedule(in, objectives[k], &st);
        assert_int_equal(st.objective, objectives[k]);
        assert_times(migration_of(plan, 0), 0, 10);
        mvm_plan_free(plan);
    }
    mvm_instance_free(in);
}

/* ---- lower bounds, by hand ---- */

/*
 * Critical path: node 1 boots (120 s), vm 0 moves in (10 s), node 0 shuts down
 * (30 s): 160 s. Sum of ends: 120 + 130 + 160. The plan reaches both.
 */
static void test_bound_critical_path(void **state)
{
    (void)state;
    struct mvm_instance *in = instance_from(
        "'onlineNodes': {'0': {'runningVMs': [0]}}, 'offlineNodes': [1], 'readyVMs': []",
        "'0': {'shutdown': 30}, '1': {'boot': 120}", "'0': " MIG10, "",
        "{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'offline', 'node': 0}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_MTTR, &st);
    assert_int_equal(st.makespan_bound, 120 + 10 + 30);
    assert_int_equal(st.sum_of_ends_bound, 120 + 130 + 160);
    assert_int_equal(st.makespan, 160);
    assert_int_equal(st.sum_of_ends, 410);
    assert_times(node_action(plan, MVM_ACTION_BOOT_NODE, 1), 0, 120);
    assert_times(migration_of(plan, 0), 120, 130);
    assert_times(node_action(plan, MVM_ACTION_SHUTDOWN_NODE, 0), 130, 160);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/*
 * Element bound: node 0's uplink carries 10 + 20 + 30 s of transfer at its full
 * 1000 Mbit/s, to three different nodes: the makespan is at least 60 s, and the
 * sum of ends at least 10 + 30 + 60 (shortest first on that link). Both are
 * reached.
 */
static void test_bound_shared_link(void **state)
{
    (void)state;
    struct mvm_instance *in = instance_from(
        "'onlineNodes': {'0': {'runningVMs': [0, 1, 2]}, '1': {'runningVMs': []}, "
        "'2': {'runningVMs': []}, '3': {'runningVMs': []}}, 'offlineNodes': [], 'readyVMs': []",
        "", "'0': " MIG30 ", '1': " MIG10 ", '2': " MIG20, "",
        "{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'fence', 'vm': 1, 'nodes': [2]}, "
        "{'id': 'fence', 'vm': 2, 'nodes': [3]}");
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_MTTR, &st);
    assert_int_equal(st.makespan_bound, 60);
    assert_int_equal(st.sum_of_ends_bound, 10 + 30 + 60);
    assert_int_equal(st.makespan, 60);
    assert_int_equal(st.sum_of_ends, 100);
    assert_times(migration_of(plan, 1), 0, 10);
    assert_times(migration_of(plan, 2), 10, 30);
    assert_times(migration_of(plan, 0), 30, 60);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/*
 * Element bound at half rate: node 0's 1000 Mbit/s uplink feeds four nodes with
 * 500 Mbit/s links, so each migration lasts 20 s at 500 Mbit/s and takes half
 * the uplink: 4 x 10 s of its capacity, a makespan of at least 40 s (the
 * critical path alone says 20), reached by running them two by two. The sum
 * bound relaxes each transfer to the whole link, shortest first: 10 + 20 + 30 +
 * 40 = 100, below the 20 + 20 + 40 + 40 any plan needs.
 */
static void test_bound_shared_link_half_rate(void **state)
{
    (void)state;
    struct mvm_instance *in = instance_from(
        "'onlineNodes': {'0': {'runningVMs': [0, 1, 2, 3]}, '1': {'runningVMs': []}, "
        "'2': {'runningVMs': []}, '3': {'runningVMs': []}, '4': {'runningVMs': []}}, "
        "'offlineNodes': [], 'readyVMs': []",
        "", "'0': " MIG10 ", '1': " MIG10 ", '2': " MIG10 ", '3': " MIG10,
        STAR(-1,
             LINK(0, 1000) ", " LINK(1, 500) ", " LINK(2, 500) ", " LINK(3, 500) ", " LINK(4, 500)),
        "{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'fence', 'vm': 1, 'nodes': [2]}, "
        "{'id': 'fence', 'vm': 2, 'nodes': [3]}, {'id': 'fence', 'vm': 3, 'nodes': [4]}");
    enum mvm_schedule_objective objectives[] = {MVM_SCHEDULE_MTTR, MVM_SCHEDULE_MAKESPAN};
    for (size_t k = 0; k < 2; k++) {
        struct mvm_schedule_stats st;
        struct mvm_plan *plan = schedule(in, objectives[k], &st);
        for (int32_t v = 0; v < 4; v++) {
            const struct mvm_action *a = migration_of(plan, v);
            assert_migration(plan, a, 0, v + 1, 500);
            assert_int_equal(a->end - a->start, 20);
        }
        assert_int_equal(st.makespan_bound, 40);
        assert_int_equal(st.sum_of_ends_bound, 100);
        assert_int_equal(st.makespan, 40);
        assert_int_equal(st.sum_of_ends, 120);
        mvm_plan_free(plan);
    }
    mvm_instance_free(in);
}

/* ---- baseline policies ---- */

static void test_policy_names(void **state)
{
    (void)state;
    enum mvm_schedule_policy p = MVM_SCHEDULE_POLICY_MVM;
    unsigned k = 7;
    assert_int_equal(mvm_schedule_policy_parse("sequential", &p, &k), 0);
    assert_int_equal(p, MVM_SCHEDULE_POLICY_SEQUENTIAL);
    assert_int_equal(k, 7); /* only mb:K sets it */
    assert_int_equal(mvm_schedule_policy_parse("btrplace", &p, &k), 0);
    assert_int_equal(p, MVM_SCHEDULE_POLICY_BTRPLACE);
    assert_int_equal(mvm_schedule_policy_parse("mb:3", &p, &k), 0);
    assert_int_equal(p, MVM_SCHEDULE_POLICY_MB);
    assert_int_equal(k, 3);
    assert_int_equal(mvm_schedule_policy_parse("mb:12", &p, &k), 0);
    assert_int_equal(k, 12);
    assert_int_equal(mvm_schedule_policy_parse("mvm", &p, &k), 0);
    assert_int_equal(p, MVM_SCHEDULE_POLICY_MVM);
    /* 4294967296 is UINT_MAX + 1 with 32-bit unsigned: too many */
    static const char *const bad[] = {"",     "mb",    "mb:",          "mb:0", "mb:-1",
                                      "mb:x", "mb:2x", "mb: 2",        "MB:2", "seq",
                                      "mvm ", "mb:+2", "mb:4294967296"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (mvm_schedule_policy_parse(bad[i], &p, &k) != -1)
            fail_msg("policy \"%s\" was accepted", bad[i]);
    assert_int_equal(p, MVM_SCHEDULE_POLICY_MVM);
    assert_int_equal(k, 12);
    assert_string_equal(mvm_schedule_policy_name(MVM_SCHEDULE_POLICY_MVM), "mvm");
    assert_string_equal(mvm_schedule_policy_name(MVM_SCHEDULE_POLICY_SEQUENTIAL), "sequential");
    assert_string_equal(mvm_schedule_policy_name(MVM_SCHEDULE_POLICY_MB), "mb");
    assert_string_equal(mvm_schedule_policy_name(MVM_SCHEDULE_POLICY_BTRPLACE), "btrplace");

    struct mvm_schedule_options o;
    mvm_schedule_options_init(&o);
    assert_int_equal(o.policy, MVM_SCHEDULE_POLICY_MVM);
    assert_int_equal(o.concurrency, 2);
}

/* Options for a baseline (k: MB's concurrency), otherwise those of the other tests. */
static struct mvm_schedule_options policy_options(enum mvm_schedule_policy policy, unsigned k)
{
    struct mvm_schedule_options o = options_for(MVM_SCHEDULE_FROM_INSTANCE);
    o.policy = policy;
    o.concurrency = k;
    return o;
}

/*
 * Schedules with a policy; the plan must exist and match its stats, in one
 * pass. Not verified here: the baselines that ignore links or dirty pages
 * break the rules on purpose (the tests count their violations), and may go
 * below the bounds, which are valid plans'.
 */
static struct mvm_plan *schedule_policy(const struct mvm_instance *in,
                                        enum mvm_schedule_policy policy, unsigned k,
                                        struct mvm_schedule_stats *st)
{
    struct mvm_schedule_options o = policy_options(policy, k);
    struct mvm_error err = {0};
    struct mvm_plan *plan = mvm_schedule(in, &o, st, &err);
    if (plan == NULL)
        fail_msg("mvm_schedule (policy %s) failed (code %d): %s", mvm_schedule_policy_name(policy),
                 (int)err.code, err.message);
    for (size_t i = 1; i < plan->action_count; i++)
        assert_true(plan->actions[i - 1].start <= plan->actions[i].start);
    assert_int_equal(st->makespan, mvm_plan_makespan(plan));
    assert_int_equal(st->sum_of_ends, plan_sum_of_ends(plan));
    assert_int_equal(st->schedules_tried, 1);
    return plan;
}

/* Verifies the plan against a duration model and counts its violations by kind. */
static void count_violations(const struct mvm_instance *in, const struct mvm_plan *plan,
                             enum mvm_migration_model model,
                             size_t counts[MVM_VIOLATION_KIND_COUNT_])
{
    struct mvm_verify_options vo;
    mvm_verify_options_init(&vo);
    vo.model = model;
    vo.start_epoch = START_EPOCH;
    struct mvm_verify_report report = {0};
    struct mvm_error err = {0};
    if (mvm_plan_verify(in, plan, &vo, &report, &err) != 0)
        fail_msg("mvm_plan_verify failed: %s", err.message);
    memset(counts, 0, MVM_VIOLATION_KIND_COUNT_ * sizeof(size_t));
    for (size_t i = 0; i < report.count; i++)
        counts[report.items[i].kind]++;
    mvm_verify_report_clear(&report);
}

/* Fails unless every violation counted is of kind a or b (a == b for a single kind). */
static void assert_only_violations(const size_t counts[MVM_VIOLATION_KIND_COUNT_],
                                   enum mvm_violation_kind a, enum mvm_violation_kind b)
{
    for (int k = 0; k < MVM_VIOLATION_KIND_COUNT_; k++)
        if (counts[k] != 0 && k != (int)a && k != (int)b)
            fail_msg("%zu %s violations", counts[k],
                     mvm_violation_kind_name((enum mvm_violation_kind)k));
}

/* The most migrations the plan runs at once. */
static size_t max_concurrent_migrations(const struct mvm_plan *plan)
{
    size_t most = 0;
    for (size_t i = 0; i < plan->action_count; i++) {
        const struct mvm_action *a = &plan->actions[i];
        if (a->kind != MVM_ACTION_MIGRATE_VM)
            continue;
        size_t n = 0;
        for (size_t j = 0; j < plan->action_count; j++) {
            const struct mvm_action *b = &plan->actions[j];
            n += b->kind == MVM_ACTION_MIGRATE_VM && b->start <= a->start && a->start < b->end;
        }
        most = n > most ? n : most;
    }
    return most;
}

/*
 * Three VMs leave node 0, whose link is 500 Mbit/s, for nodes 1, 2 and 3 (1000
 * Mbit/s): each migration's path maximum is 500 Mbit/s, so they last 20, 40
 * and 60 s, and node 0's uplink carries one at a time.
 */
static struct mvm_instance *three_leave_slow_node(void)
{
    return instance_from(
        "'onlineNodes': {'0': {'runningVMs': [0, 1, 2]}, '1': {'runningVMs': []}, "
        "'2': {'runningVMs': []}, '3': {'runningVMs': []}}, 'offlineNodes': [], 'readyVMs': []",
        "", "'0': " MIG10 ", '1': " MIG20 ", '2': " MIG30,
        STAR(-1, LINK(0, 500) ", " LINK(1, 1000) ", " LINK(2, 1000) ", " LINK(3, 1000)),
        "{'id': 'fence', 'vm': 0, 'nodes': [1]}, {'id': 'fence', 'vm': 1, 'nodes': [2]}, "
        "{'id': 'fence', 'vm': 2, 'nodes': [3]}");
}

/* Sequential: one after the other, shortest first, as mvm would on this single link. */
static void test_sequential_small(void **state)
{
    (void)state;
    struct mvm_instance *in = three_leave_slow_node();
    struct mvm_schedule_stats st;
    struct mvm_schedule_options o = policy_options(MVM_SCHEDULE_POLICY_SEQUENTIAL, 0);
    struct mvm_plan *plan = schedule_with(in, &o, &st); /* a valid plan, within the bounds */
    assert_migration(plan, migration_of(plan, 0), 0, 1, 500);
    assert_times(migration_of(plan, 0), 0, 20);
    assert_times(migration_of(plan, 1), 20, 60);
    assert_times(migration_of(plan, 2), 60, 120);
    assert_int_equal(st.makespan, 120);
    assert_int_equal(st.makespan_bound, 120);
    assert_int_equal(st.schedules_tried, 1);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/*
 * Sequential on random4 instance 1 (migrations on disjoint links too) and on a
 * decommissioning (boots and shutdowns as usual): never two migrations at once,
 * valid plans; on random4 the makespan is the sum of the migrations' durations
 * at their paths' maxima, started shortest first.
 */
static void test_sequential_one_migration_at_a_time(void **state)
{
    (void)state;
    struct mvm_instance *in = random4_instance(1);
    struct mvm_schedule_stats st;
    struct mvm_schedule_options o = policy_options(MVM_SCHEDULE_POLICY_SEQUENTIAL, 0);
    struct mvm_plan *plan = schedule_with(in, &o, &st);
    assert_int_equal(max_concurrent_migrations(plan), 1);
    int64_t total = 0;
    for (size_t i = 0; i < plan->action_count; i++) {
        const struct mvm_action *a = &plan->actions[i];
        int64_t d = model_duration(in->model, in->model->vms[a->vm].id, a->bw_mbps);
        assert_int_equal(a->end - a->start, d);
        if (i > 0)
            assert_true(plan->actions[i - 1].end - plan->actions[i - 1].start <= d);
        total += d;
    }
    assert_int_equal(st.makespan, total);
    assert_int_equal(st.makespan, 404);
    mvm_plan_free(plan);
    mvm_instance_free(in);

    in = load_instance(
        DATA("instances/scale/random_decommissioning_infra_scale/x1-instance_1.json"));
    plan = schedule_with(in, &o, &st);
    assert_int_equal(st.migrations, 96);
    assert_int_equal(st.node_actions, 72);
    assert_int_equal(max_concurrent_migrations(plan), 1);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/*
 * MB-2 on the slow node: two migrations share node 0's 500 Mbit/s uplink at
 * 500 Mbit/s each, the third starts when the first ends. The verifier reports
 * that link over capacity, and nothing else: the durations are the model's at
 * 500 Mbit/s. MB-1 is sequential; MB-3 runs all three at once.
 */
static void test_mb_shares_a_link_without_checking_it(void **state)
{
    (void)state;
    struct mvm_instance *in = three_leave_slow_node();
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule_policy(in, MVM_SCHEDULE_POLICY_MB, 2, &st);
    assert_migration(plan, migration_of(plan, 1), 0, 2, 500);
    assert_times(migration_of(plan, 0), 0, 20);
    assert_times(migration_of(plan, 1), 0, 40);
    assert_times(migration_of(plan, 2), 20, 80);
    assert_int_equal(st.makespan, 80);
    assert_int_equal(st.makespan_bound, 120); /* valid plans' bound: this plan is not valid */
    assert_int_equal(max_concurrent_migrations(plan), 2);
    size_t counts[MVM_VIOLATION_KIND_COUNT_];
    count_violations(in, plan, MVM_MIGRATION_PRECOPY, counts);
    assert_int_equal(counts[MVM_VIOLATION_NET_CAPACITY], 1); /* one episode, from 0 to 80 s */
    assert_only_violations(counts, MVM_VIOLATION_NET_CAPACITY, MVM_VIOLATION_NET_CAPACITY);
    mvm_plan_free(plan);

    plan = schedule_policy(in, MVM_SCHEDULE_POLICY_MB, 1, &st);
    assert_int_equal(st.makespan, 120);
    assert_verified(in, plan, MVM_MIGRATION_PRECOPY);
    mvm_plan_free(plan);

    plan = schedule_policy(in, MVM_SCHEDULE_POLICY_MB, 3, &st);
    for (int32_t v = 0; v < 3; v++)
        assert_int_equal(migration_of(plan, v)->start, 0);
    mvm_plan_free(plan);

    struct mvm_schedule_options o = policy_options(MVM_SCHEDULE_POLICY_MB, 0);
    assert_fails_with(in, &o, MVM_ERR_INVALID, "mb:K", (const char *)NULL);
    mvm_instance_free(in);
}

/* MB-K on every random4 instance: never more than K at once, only links oversubscribed. */
static void test_mb_never_exceeds_k(void **state)
{
    (void)state;
    for (int n = 1; n <= 10; n++) {
        struct mvm_instance *in = random4_instance(n);
        for (unsigned k = 1; k <= 4; k++) {
            struct mvm_schedule_stats st;
            struct mvm_plan *plan = schedule_policy(in, MVM_SCHEDULE_POLICY_MB, k, &st);
            assert_int_equal(st.migrations, 10);
            if (max_concurrent_migrations(plan) > k)
                fail_msg("random4 instance %d, mb:%u: %zu migrations at once", n, k,
                         max_concurrent_migrations(plan));
            size_t counts[MVM_VIOLATION_KIND_COUNT_];
            count_violations(in, plan, MVM_MIGRATION_PRECOPY, counts);
            assert_only_violations(counts, MVM_VIOLATION_NET_CAPACITY, MVM_VIOLATION_NET_CAPACITY);
            mvm_plan_free(plan);
        }
        mvm_instance_free(in);
    }
}

/*
 * Could migration a of the plan have started at second t? Its destination has
 * room for it then, with the plan's arrivals counted from their start and its
 * departures until their end (running VMs only, as in random4).
 */
static bool room_at(const struct mvm_plan *plan, const struct mvm_action *a, int64_t t)
{
    const struct mvm_model *m = plan->origin;
    for (size_t r = 0; r < m->resource_count; r++) {
        const int64_t *cons = m->resources[r].vm_consumption;
        int64_t used = 0;
        for (size_t v = 0; v < m->vm_count; v++)
            if (m->vms[v].host == a->to && m->vms[v].state == MVM_VM_RUNNING)
                used += cons[v];
        for (size_t i = 0; i < plan->action_count; i++) {
            const struct mvm_action *b = &plan->actions[i];
            if (b == a || b->kind != MVM_ACTION_MIGRATE_VM)
                continue;
            if (b->to == a->to && b->start <= t)
                used += cons[b->vm];
            if (b->from == a->to && b->end <= t)
                used -= cons[b->vm];
        }
        if (used + cons[a->vm] > m->resources[r].node_capacity[a->to])
            return false;
    }
    return true;
}

/*
 * Original BtrPlace on the slow node: all three at once (nothing else stops
 * them), for memUsed / bandwidth each; the verifier reports node 0's uplink.
 */
static void test_btrplace_small(void **state)
{
    (void)state;
    struct mvm_instance *in = three_leave_slow_node();
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule_policy(in, MVM_SCHEDULE_POLICY_BTRPLACE, 0, &st);
    assert_times(migration_of(plan, 0), 0, 20);
    assert_times(migration_of(plan, 1), 0, 40);
    assert_times(migration_of(plan, 2), 0, 60);
    size_t counts[MVM_VIOLATION_KIND_COUNT_];
    count_violations(in, plan, MVM_MIGRATION_PRECOPY, counts);
    assert_int_equal(counts[MVM_VIOLATION_NET_CAPACITY], 1);
    assert_only_violations(counts, MVM_VIOLATION_NET_CAPACITY, MVM_VIOLATION_NET_CAPACITY);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/*
 * Original BtrPlace on random4 instance 1: each migration at its path's
 * maximum for memUsed * 8 / bw seconds (noDP, rounded), and as early as node
 * memory allows: 8 start at 0; vm 5 waits for vm 7 to leave node 3 (24 s) and
 * vm 6 for vms 0 and 4 to leave node 0 (32 s). The verifier reports links over
 * capacity and durations below the pre-copy model, and nothing else; against
 * the noDP model, links only.
 */
static void test_btrplace_as_parallel_as_nodes_allow(void **state)
{
    (void)state;
    struct mvm_instance *in = random4_instance(1);
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule_policy(in, MVM_SCHEDULE_POLICY_BTRPLACE, 0, &st);
    size_t at_zero = 0;
    for (size_t i = 0; i < plan->action_count; i++) {
        const struct mvm_action *a = &plan->actions[i];
        struct mvm_vm_memory mem;
        struct mvm_error err = {0};
        assert_int_equal(mvm_vm_memory_from_attrs(&in->model->vms[a->vm].attrs, &mem, &err), 0);
        int64_t nodp = (int64_t)(mem.mem_used_mib * 8.0 / (double)a->bw_mbps + 0.5);
        assert_int_equal(a->end - a->start, nodp > 1 ? nodp : 1);
        /* nodes 0 and 1 have 500 Mbit/s links, nodes 2 and 3 1000 */
        bool slow = in->model->nodes[a->from].id < 2 || in->model->nodes[a->to].id < 2;
        assert_int_equal(a->bw_mbps, slow ? 500 : 1000);
        for (int64_t t = 0; t < a->start; t++)
            if (room_at(plan, a, t))
                fail_msg("vm %d could start at %lld, not %lld", (int)in->model->vms[a->vm].id,
                         (long long)t, (long long)a->start);
        at_zero += a->start == 0;
    }
    assert_int_equal(at_zero, 8);
    assert_int_equal(migration_of(plan, 5)->start, 24);
    assert_int_equal(migration_of(plan, 6)->start, 32);
    assert_int_equal(st.makespan, 80);
    assert_int_equal(st.makespan_bound, 152); /* valid plans': this one is below */

    size_t counts[MVM_VIOLATION_KIND_COUNT_];
    count_violations(in, plan, MVM_MIGRATION_PRECOPY, counts);
    assert_true(counts[MVM_VIOLATION_NET_CAPACITY] >= 1);
    /* 8 of 10: vms 2 and 3 (2000 MiB at 1000 Mbit/s) take 16 s, 17 s for pre-copy, within the
       verifier's 1 s tolerance */
    assert_int_equal(counts[MVM_VIOLATION_DURATION], 8);
    assert_only_violations(counts, MVM_VIOLATION_NET_CAPACITY, MVM_VIOLATION_DURATION);
    count_violations(in, plan, MVM_MIGRATION_NODP, counts);
    assert_true(counts[MVM_VIOLATION_NET_CAPACITY] >= 1);
    assert_only_violations(counts, MVM_VIOLATION_NET_CAPACITY, MVM_VIOLATION_NET_CAPACITY);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/* BtrPlace on a decommissioning: boots before arrivals, shutdowns after departures, node room. */
static void test_btrplace_respects_nodes(void **state)
{
    (void)state;
    struct mvm_instance *in = load_instance(
        DATA("instances/scale/random_decommissioning_infra_scale/x1-instance_1.json"));
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule_policy(in, MVM_SCHEDULE_POLICY_BTRPLACE, 0, &st);
    assert_int_equal(st.migrations, 96);
    assert_int_equal(st.node_actions, 72);
    size_t counts[MVM_VIOLATION_KIND_COUNT_];
    count_violations(in, plan, MVM_MIGRATION_NODP, counts);
    assert_only_violations(counts, MVM_VIOLATION_NET_CAPACITY, MVM_VIOLATION_NET_CAPACITY);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/* The baselines' makespans on random4 instance 1, and mvm's unchanged by them. */
static void test_policies_random4_pinned(void **state)
{
    (void)state;
    struct mvm_instance *in = random4_instance(1);
    static const struct {
        enum mvm_schedule_policy policy;
        unsigned k;
        int64_t makespan, sum_of_ends;
    } pinned[] = {{MVM_SCHEDULE_POLICY_SEQUENTIAL, 0, 404, 1811},
                  {MVM_SCHEDULE_POLICY_MB, 1, 404, 1811},
                  {MVM_SCHEDULE_POLICY_MB, 2, 209, 1010},
                  {MVM_SCHEDULE_POLICY_MB, 4, 113, 618},
                  {MVM_SCHEDULE_POLICY_BTRPLACE, 0, 80, 400}};
    for (size_t k = 0; k < sizeof(pinned) / sizeof(pinned[0]); k++) {
        struct mvm_schedule_stats st;
        struct mvm_plan *plan = schedule_policy(in, pinned[k].policy, pinned[k].k, &st);
        if (st.makespan != pinned[k].makespan || st.sum_of_ends != pinned[k].sum_of_ends)
            fail_msg("policy %s (k %u): makespan %lld s, sum of ends %lld s, expected %lld, %lld",
                     mvm_schedule_policy_name(pinned[k].policy), pinned[k].k,
                     (long long)st.makespan, (long long)st.sum_of_ends,
                     (long long)pinned[k].makespan, (long long)pinned[k].sum_of_ends);
        assert_int_equal(st.makespan_bound, 152);
        mvm_plan_free(plan);
    }
    struct mvm_schedule_stats st;
    struct mvm_schedule_options o = policy_options(MVM_SCHEDULE_POLICY_MVM, 0);
    o.objective = MVM_SCHEDULE_MAKESPAN;
    struct mvm_plan *plan = schedule_with(in, &o, &st);
    assert_int_equal(st.makespan, 152);
    assert_true(st.schedules_tried > 1);
    mvm_plan_free(plan);
    mvm_instance_free(in);
}

/* ---- real instances ---- */

static void test_random4_both_objectives(void **state)
{
    (void)state;
    enum mvm_schedule_objective objectives[] = {MVM_SCHEDULE_MTTR, MVM_SCHEDULE_MAKESPAN};
    for (int n = 1; n <= 10; n++) {
        struct mvm_instance *in = random4_instance(n);
        for (size_t k = 0; k < 2; k++) {
            print_message("# random4 instance %d, %s\n", n,
                          mvm_schedule_objective_name(objectives[k]));
            struct mvm_schedule_stats st;
            struct mvm_plan *plan = schedule(in, objectives[k], &st);
            assert_int_equal(st.objective, objectives[k]);
            assert_int_equal(st.migrations, 10); /* one per VM, no bypass */
            assert_int_equal(st.bypasses, 0);
            assert_int_equal(st.node_actions + st.vm_actions, 0);
            mvm_plan_free(plan);
        }
        mvm_instance_free(in);
    }
}

/* Makespans that reach the lower bound today: any regression fails here. */
static void test_random4_makespans_pinned(void **state)
{
    (void)state;
    static const struct {
        int instance;
        int64_t makespan;
    } pinned[] = {{1, 152}, {2, 208}, {8, 136}};
    for (size_t k = 0; k < sizeof(pinned) / sizeof(pinned[0]); k++) {
        struct mvm_instance *in = random4_instance(pinned[k].instance);
        struct mvm_schedule_stats st;
        struct mvm_plan *plan = schedule(in, MVM_SCHEDULE_MAKESPAN, &st);
        if (st.makespan != pinned[k].makespan)
            fail_msg("random4 instance %d: makespan %lld s, expected %lld s", pinned[k].instance,
                     (long long)st.makespan, (long long)pinned[k].makespan);
        assert_int_equal(st.makespan_bound, pinned[k].makespan);
        mvm_plan_free(plan);
        mvm_instance_free(in);
    }
}

/* The x1 scale instances: valid for both objectives, and within 5 % of the makespan bound. */
static void test_scale_x1(void **state)
{
    (void)state;
    static const char *const families[] = {
        "random_decommissioning_infra_scale",
        "random_decommissioning_vms_scale",
        "random_infra_scale",
        "random_vms_scale",
    };
    enum mvm_schedule_objective objectives[] = {MVM_SCHEDULE_MTTR, MVM_SCHEDULE_MAKESPAN};
    for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++)
        for (int n = 1; n <= 3; n++) {
            char rel[128];
            snprintf(rel, sizeof(rel), "instances/scale/%s/x1-instance_%d.json", families[f], n);
            struct mvm_instance *in = load_instance(DATA(rel));
            bool decommissioning = strstr(families[f], "decommissioning") != NULL;
            for (size_t k = 0; k < 2; k++) {
                print_message("# %s, %s\n", rel, mvm_schedule_objective_name(objectives[k]));
                struct mvm_schedule_stats st;
                struct mvm_plan *plan = schedule(in, objectives[k], &st);
                assert_int_equal(st.migrations, 96);
                assert_int_equal(st.bypasses, 0);
                /* decommissioning: 24 destinations boot, 48 sources shut down */
                assert_int_equal(st.node_actions, decommissioning ? 72 : 0);
                if (objectives[k] == MVM_SCHEDULE_MAKESPAN &&
                    (st.makespan - st.makespan_bound) * 100 > 5 * st.makespan_bound)
                    fail_msg("%s: makespan %lld s, more than 5 %% above the bound %lld s", rel,
                             (long long)st.makespan, (long long)st.makespan_bound);
                mvm_plan_free(plan);
            }
            mvm_instance_free(in);
        }
}

/* ---- determinism ---- */

static char *plan_json(const struct mvm_instance *in, const struct mvm_schedule_options *o)
{
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = schedule_with(in, o, &st);
    struct mvm_error err = {0};
    char *json = mvm_plan_to_json(plan, MVM_JSON_COMPACT, &err);
    assert_non_null(json);
    mvm_plan_free(plan);
    return json;
}

/*
 * MTTR on a decommissioning never reaches its bound, so the whole search budget
 * runs: the same seed gives the same bytes, with one thread or two.
 */
static void test_same_seed_same_plan(void **state)
{
    (void)state;
    struct mvm_instance *in = load_instance(
        DATA("instances/scale/random_decommissioning_infra_scale/x1-instance_1.json"));
    struct mvm_schedule_options o = options_for(MVM_SCHEDULE_MTTR);
    o.seed = 7;
    char *a = plan_json(in, &o);
    char *b = plan_json(in, &o);
    assert_string_equal(a, b);

    o.threads = 2;
    char *c = plan_json(in, &o);
    char *d = plan_json(in, &o);
    assert_string_equal(c, d);

    /* another seed may find another plan, which must be valid too (plan_json verifies it) */
    o.threads = 1;
    o.seed = 8;
    char *e = plan_json(in, &o);
    free(a);
    free(b);
    free(c);
    free(d);
    free(e);
    mvm_instance_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_objective_names),
        cmocka_unit_test(test_objective_from_instance),
        cmocka_unit_test(test_derive_fence_is_one_migration_at_path_maximum),
        cmocka_unit_test(test_derive_nothing_to_do),
        cmocka_unit_test(test_derive_offline_node_shuts_down_after_departures),
        cmocka_unit_test(test_derive_fence_to_offline_node_boots_it),
        cmocka_unit_test(test_derive_node_state_constraints_and_defaults),
        cmocka_unit_test(test_derive_vm_state_changes),
        cmocka_unit_test(test_shared_link_serialises),
        cmocka_unit_test(test_disjoint_paths_run_in_parallel),
        cmocka_unit_test(test_blocking_switch_serialises),
        cmocka_unit_test(test_uplink_carries_ten_migrations),
        cmocka_unit_test(test_uplink_does_not_carry_eleven),
        cmocka_unit_test(test_full_destination_waits_for_departure),
        cmocka_unit_test(test_boot_vm_waits_for_shutdown_vm),
        cmocka_unit_test(test_bypass_breaks_a_swap),
        cmocka_unit_test(test_bypass_moves_the_shorter_vm),
        cmocka_unit_test(test_swap_without_room_is_infeasible),
        cmocka_unit_test(test_infeasible_fence_to_node_kept_offline),
        cmocka_unit_test(test_infeasible_final_placement_over_capacity),
        cmocka_unit_test(test_infeasible_two_fences_to_different_nodes),
        cmocka_unit_test(test_infeasible_migration_never_converges),
        cmocka_unit_test(test_infeasible_root_on_fenced_vm),
        cmocka_unit_test(test_infeasible_ban_of_fenced_node),
        cmocka_unit_test(test_unsupported_fence_with_several_nodes),
        cmocka_unit_test(test_unsupported_offline_node_with_unfenced_vm),
        cmocka_unit_test(test_unsupported_spread),
        cmocka_unit_test(test_sync_of_one_vm),
        cmocka_unit_test(test_unsupported_kill_of_ready_vm),
        cmocka_unit_test(test_unsupported_objective_unless_chosen),
        cmocka_unit_test(test_bound_critical_path),
        cmocka_unit_test(test_bound_shared_link),
        cmocka_unit_test(test_bound_shared_link_half_rate),
        cmocka_unit_test(test_policy_names),
        cmocka_unit_test(test_sequential_small),
        cmocka_unit_test(test_sequential_one_migration_at_a_time),
        cmocka_unit_test(test_mb_shares_a_link_without_checking_it),
        cmocka_unit_test(test_mb_never_exceeds_k),
        cmocka_unit_test(test_btrplace_small),
        cmocka_unit_test(test_btrplace_as_parallel_as_nodes_allow),
        cmocka_unit_test(test_btrplace_respects_nodes),
        cmocka_unit_test(test_policies_random4_pinned),
        cmocka_unit_test(test_random4_both_objectives),
        cmocka_unit_test(test_random4_makespans_pinned),
        cmocka_unit_test(test_scale_x1),
        cmocka_unit_test(test_same_seed_same_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
