/*
 * The SimGrid engine of mvm_simulate (src/sim/simgrid.c): figures computed by
 * hand under its mapping (docs/simulation.md), link sharing, dependencies,
 * non-convergence and give-up, and a real plan of the random4 set.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#include "mvm/io.h"
#include "mvm/migration.h"
#include "mvm/sim.h"

/* Four nodes on one non-blocking switch, 1 Gbit/s links. */
#define STAR_NET                                                                                   \
    "{\"id\": \"net\", \"routing\": {\"type\": \"default\"},"                                      \
    " \"switches\": [{\"id\": 0, \"capacity\": -1}], \"links\": ["                                 \
    "{\"id\": 0, \"capacity\": 1000, \"switch\": 0, \"physicalElement\": {\"id\": 0, \"type\": "   \
    "\"node\"}},"                                                                                  \
    "{\"id\": 1, \"capacity\": 1000, \"switch\": 0, \"physicalElement\": {\"id\": 1, \"type\": "   \
    "\"node\"}},"                                                                                  \
    "{\"id\": 2, \"capacity\": 1000, \"switch\": 0, \"physicalElement\": {\"id\": 2, \"type\": "   \
    "\"node\"}},"                                                                                  \
    "{\"id\": 3, \"capacity\": 1000, \"switch\": 0, \"physicalElement\": {\"id\": 3, \"type\": "   \
    "\"node\"}}]}"

#define MIGRATE(vm, from, to, start, end)                                                          \
    "{\"id\": \"migrateVM\", \"vm\": " #vm ", \"from\": " #from ", \"to\": " #to                   \
    ", \"bw\": 1000, \"start\": " #start ", \"end\": " #end "}"

/* 1 GiB at 1 Gbit/s: 1024 MiB / 125 MiB/s (REFERENCE section 2: 1 MiB/s = 8 Mbit/s). */
#define LONE_S 8.192

static struct mvm_plan *parse_plan(const char *json)
{
    struct mvm_error err = {0};
    struct mvm_plan *p = mvm_plan_parse(json, strlen(json), "test", &err);
    if (p == NULL)
        fail_msg("plan: %s", err.message);
    return p;
}

static void simulate(const struct mvm_plan *p, const struct mvm_instance *instance,
                     double give_up_s, struct mvm_sim_result *r)
{
    struct mvm_sim_options o;
    mvm_sim_options_init(&o);
    o.engine = MVM_SIM_SIMGRID;
    if (give_up_s > 0.0)
        o.give_up_s = give_up_s;
    struct mvm_error err = {0};
    if (mvm_simulate(p, instance, &o, r, &err) != 0)
        fail_msg("simulate: %s", err.message);
    assert_int_equal(r->action_count, p->action_count);
}

static void test_lone_migration(void **state)
{
    (void)state;
    struct mvm_plan *p = parse_plan(
        "{\"origin\": {\"mapping\": {\"readyVMs\": [], \"offlineNodes\": [], \"onlineNodes\": {"
        "\"0\": {\"runningVMs\": [0], \"sleepingVMs\": []},"
        "\"1\": {\"runningVMs\": [], \"sleepingVMs\": []},"
        "\"2\": {\"runningVMs\": [], \"sleepingVMs\": []},"
        "\"3\": {\"runningVMs\": [], \"sleepingVMs\": []}}},"
        " \"attributes\": {\"nodes\": {}, \"vms\": {\"0\": {\"memUsed\": 1024, \"hotDirtySize\": "
        "0, \"coldDirtyRate\": 0}}},"
        " \"views\": [" STAR_NET "]},"
        " \"actions\": [" MIGRATE(0, 0, 1, 0, 9) "]}");
    struct mvm_sim_result r;
    simulate(p, NULL, 0.0, &r);
    const struct mvm_sim_action *m = &r.actions[0];
    assert_int_equal(m->status, MVM_SIM_DONE);
    assert_true(fabs(m->start) < 1e-9);
    assert_true(fabs(m->end - LONE_S) < 1e-6);
    assert_true(fabs(m->transferred_mib - 1024.0) < 1e-6);
    assert_int_equal(m->rounds, 2); /* the full copy, then an empty stop-and-copy */
    assert_true(fabs(r.completion_s - LONE_S) < 1e-6);

    /* a second run in the same process gives the same figures */
    struct mvm_sim_result again;
    simulate(p, NULL, 0.0, &again);
    assert_true(again.actions[0].end == m->end);
    assert_true(again.actions[0].transferred_mib == m->transferred_mib);
    mvm_sim_result_clear(&again);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/*
 * A dirtying VM alone at its planned bandwidth: the mapping (rate 48 MiB/s,
 * working set (d - dmin) x (125 - 48) = 104.7 MiB) makes SimGrid's duration the
 * model's, to within the geometric tail SimGrid cuts once the rest fits in 30 ms:
 * 8.192 + 0.838 + 0.322 + 0.124 + 0.047 + 0.018 (paused) = 9.541 s.
 */
static void test_dirty_migration_matches_model(void **state)
{
    (void)state;
    struct mvm_plan *p = parse_plan(
        "{\"origin\": {\"mapping\": {\"readyVMs\": [], \"offlineNodes\": [], \"onlineNodes\": {"
        "\"0\": {\"runningVMs\": [0], \"sleepingVMs\": []},"
        "\"1\": {\"runningVMs\": [], \"sleepingVMs\": []},"
        "\"2\": {\"runningVMs\": [], \"sleepingVMs\": []},"
        "\"3\": {\"runningVMs\": [], \"sleepingVMs\": []}}},"
        " \"attributes\": {\"nodes\": {}, \"vms\": {\"0\": {\"memUsed\": 1024, \"hotDirtySize\": "
        "96, \"hotDirtyDuration\": 2, \"coldDirtyRate\": 2}}},"
        " \"views\": [" STAR_NET "]},"
        " \"actions\": [" MIGRATE(0, 0, 1, 0, 10) "]}");
    struct mvm_vm_memory mem = {
        .mem_used_mib = 1024, .hot_size_mib = 96, .hot_duration_s = 2, .cold_rate_mibps = 2};
    double model;
    assert_int_equal(mvm_migration_time(&mem, 1000, MVM_MIGRATION_PRECOPY, &model, NULL), 0);
    struct mvm_sim_result r;
    simulate(p, NULL, 0.0, &r);
    const struct mvm_sim_action *m = &r.actions[0];
    assert_int_equal(m->status, MVM_SIM_DONE);
    print_message("# dirtying VM alone: model %.4f s, SimGrid %.4f s, %zu rounds, %.1f MiB\n",
                  model, m->end, m->rounds, m->transferred_mib);
    assert_true(fabs(model - 9.5519) < 1e-4);
    assert_true(fabs(m->end - 9.54057) < 1e-4);
    /* everything sent at 125 MiB/s: 1024 MiB, then 104.7, 40.2, 15.4, 5.9 and 2.3 */
    assert_true(fabs(m->transferred_mib - 125.0 * m->end) < 1e-3);
    assert_int_equal(m->rounds, 6);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/* Two migrations out of node 0 share its 1 Gbit/s uplink max-min: each gets half. */
static void test_shared_link(void **state)
{
    (void)state;
    struct mvm_plan *p = parse_plan(
        "{\"origin\": {\"mapping\": {\"readyVMs\": [], \"offlineNodes\": [], \"onlineNodes\": {"
        "\"0\": {\"runningVMs\": [0, 1], \"sleepingVMs\": []},"
        "\"1\": {\"runningVMs\": [], \"sleepingVMs\": []},"
        "\"2\": {\"runningVMs\": [], \"sleepingVMs\": []},"
        "\"3\": {\"runningVMs\": [], \"sleepingVMs\": []}}},"
        " \"attributes\": {\"nodes\": {}, \"vms\": {"
        "\"0\": {\"memUsed\": 1024, \"hotDirtySize\": 0, \"coldDirtyRate\": 0},"
        "\"1\": {\"memUsed\": 1024, \"hotDirtySize\": 0, \"coldDirtyRate\": 0}}},"
        " \"views\": [" STAR_NET "]},"
        " \"actions\": [" MIGRATE(0, 0, 1, 0, 17) ", " MIGRATE(1, 0, 2, 0, 17) "]}");
    struct mvm_sim_result r;
    simulate(p, NULL, 0.0, &r);
    for (size_t a = 0; a < 2; a++) {
        assert_int_equal(r.actions[a].status, MVM_SIM_DONE);
        assert_true(fabs(r.actions[a].start) < 1e-9);
        assert_true(fabs(r.actions[a].end - 2 * LONE_S) < 1e-6);
    }
    assert_true(fabs(r.completion_s - 2 * LONE_S) < 1e-6);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/*
 * A VM dirtying 80 MiB/s leaves alone at 125 MiB/s, but two of them sharing one
 * uplink get 62.5 MiB/s each: as in the model, neither ever converges.
 */
#define FAST_DIRTY_ORIGIN                                                                          \
    "{\"origin\": {\"mapping\": {\"readyVMs\": [], \"offlineNodes\": [], \"onlineNodes\": {"       \
    "\"0\": {\"runningVMs\": [0, 1], \"sleepingVMs\": []},"                                        \
    "\"1\": {\"runningVMs\": [], \"sleepingVMs\": []},"                                            \
    "\"2\": {\"runningVMs\": [], \"sleepingVMs\": []},"                                            \
    "\"3\": {\"runningVMs\": [], \"sleepingVMs\": []}}},"                                          \
    " \"attributes\": {\"nodes\": {}, \"vms\": {"                                                  \
    "\"0\": {\"memUsed\": 1024, \"coldDirtyRate\": 80},"                                           \
    "\"1\": {\"memUsed\": 1024, \"coldDirtyRate\": 80}}},"                                         \
    " \"views\": [" STAR_NET "]},"

static void test_sharing_prevents_convergence(void **state)
{
    (void)state;
    struct mvm_plan *p =
        parse_plan(FAST_DIRTY_ORIGIN " \"actions\": [" MIGRATE(0, 0, 1, 0, 30) "]}");
    struct mvm_sim_result r;
    simulate(p, NULL, 100.0, &r);
    assert_int_equal(r.actions[0].status, MVM_SIM_DONE); /* alone it leaves */
    double alone = r.actions[0].end;
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);

    p = parse_plan(FAST_DIRTY_ORIGIN
                   " \"actions\": [" MIGRATE(0, 0, 1, 0, 30) ", " MIGRATE(1, 0, 2, 0, 30) "]}");
    simulate(p, NULL, 100.0, &r);
    for (size_t a = 0; a < 2; a++) {
        assert_int_equal(r.actions[a].status, MVM_SIM_NOT_CONVERGED);
        assert_true(fabs(r.actions[a].end - 100.0) < 1e-9);
    }
    print_message("# 80 MiB/s VM: alone %.2f s, two sharing an uplink: abandoned at 100 s\n",
                  alone);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/* A migration to a node being booted starts when the boot ends, not at its planned time. */
static void test_dependencies(void **state)
{
    (void)state;
    struct mvm_plan *p = parse_plan(
        "{\"origin\": {\"mapping\": {\"readyVMs\": [], \"offlineNodes\": [2], \"onlineNodes\": {"
        "\"0\": {\"runningVMs\": [0], \"sleepingVMs\": []},"
        "\"1\": {\"runningVMs\": [], \"sleepingVMs\": []},"
        "\"3\": {\"runningVMs\": [], \"sleepingVMs\": []}}},"
        " \"attributes\": {\"nodes\": {\"2\": {\"boot\": 7}}, \"vms\": {\"0\": {\"memUsed\": "
        "1024, \"hotDirtySize\": 0, \"coldDirtyRate\": 0}}},"
        " \"views\": [" STAR_NET "]},"
        " \"actions\": [" MIGRATE(
            0, 0, 2, 10, 19) ","
                             " {\"id\": \"bootNode\", \"node\": 2, \"start\": 0, \"end\": 10}]}");
    struct mvm_sim_result r;
    simulate(p, NULL, 0.0, &r);
    const struct mvm_sim_action *m = &r.actions[0], *boot = &r.actions[1];
    assert_int_equal(boot->status, MVM_SIM_DONE);
    assert_true(fabs(boot->start) < 1e-9 && fabs(boot->end - 7.0) < 1e-9);
    assert_int_equal(m->status, MVM_SIM_DONE);
    assert_true(fabs(m->start - 7.0) < 1e-9);
    assert_true(fabs(m->end - (7.0 + LONE_S)) < 1e-6);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/*
 * A VM dirtying 200 MiB/s cannot leave at 125 MiB/s: abandoned at the give-up
 * time, the shutdown of its node is skipped; an unrelated migration completes.
 */
static void test_non_convergent(void **state)
{
    (void)state;
    struct mvm_plan *p = parse_plan(
        "{\"origin\": {\"mapping\": {\"readyVMs\": [], \"offlineNodes\": [], \"onlineNodes\": {"
        "\"0\": {\"runningVMs\": [0], \"sleepingVMs\": []},"
        "\"1\": {\"runningVMs\": [], \"sleepingVMs\": []},"
        "\"2\": {\"runningVMs\": [1], \"sleepingVMs\": []},"
        "\"3\": {\"runningVMs\": [], \"sleepingVMs\": []}}},"
        " \"attributes\": {\"nodes\": {\"0\": {\"shutdown\": 3}}, \"vms\": {"
        "\"0\": {\"memUsed\": 1024, \"coldDirtyRate\": 200},"
        "\"1\": {\"memUsed\": 1024, \"hotDirtySize\": 0, \"coldDirtyRate\": 0}}},"
        " \"views\": [" STAR_NET "]},"
        " \"actions\": [" MIGRATE(
            0, 0, 1, 0,
            10) ","
                " {\"id\": \"shutdownNode\", \"node\": 0, \"start\": 10, \"end\": 13}, " MIGRATE(
                    1, 2, 3, 0, 9) "]}");
    struct mvm_sim_result r;
    simulate(p, NULL, 60.0, &r);
    const struct mvm_sim_action *stuck = &r.actions[0], *shutdown = &r.actions[1];
    assert_int_equal(stuck->status, MVM_SIM_NOT_CONVERGED);
    assert_true(fabs(stuck->start) < 1e-9);
    assert_true(fabs(stuck->end - 60.0) < 1e-9);
    assert_true(stuck->transferred_mib > 1024.0); /* the first copy and some rounds */
    assert_int_equal(shutdown->status, MVM_SIM_SKIPPED);
    assert_int_equal(r.actions[2].status, MVM_SIM_DONE);
    assert_true(fabs(r.actions[2].end - LONE_S) < 1e-6);
    assert_int_equal(r.failed, 1);
    assert_int_equal(r.skipped, 1);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/* A real plan (random4, plan 1): everything completes, close to the plan's own makespan. */
static void test_random4(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_plan *p = mvm_plan_load(DATA("instances/random4/mvm-plan.1.json"), &err);
    if (p == NULL)
        fail_msg("plan: %s", err.message);
    struct mvm_instance *in = mvm_instance_load(DATA("instances/random4/instance.1.json"), &err);
    if (in == NULL)
        fail_msg("instance: %s", err.message);
    struct mvm_sim_result r;
    simulate(p, in, 0.0, &r);
    for (size_t a = 0; a < r.action_count; a++)
        assert_int_equal(r.actions[a].status, MVM_SIM_DONE);
    struct mvm_sim_options o;
    mvm_sim_options_init(&o);
    struct mvm_sim_result fluid;
    assert_int_equal(mvm_simulate(p, in, &o, &fluid, &err), 0);
    print_message("# random4 plan 1: planned %.1f s, SimGrid %.2f s (mean migration %.2f s), "
                  "fluid %.2f s (mean migration %.2f s)\n",
                  r.planned_completion_s, r.completion_s, r.mean_migration_s, fluid.completion_s,
                  fluid.mean_migration_s);
    assert_true(fabs(r.completion_s - r.planned_completion_s) <= 0.3 * r.planned_completion_s);
    mvm_sim_result_clear(&fluid);
    mvm_sim_result_clear(&r);
    mvm_instance_free(in);
    mvm_plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lone_migration), cmocka_unit_test(test_dirty_migration_matches_model),
        cmocka_unit_test(test_shared_link),    cmocka_unit_test(test_sharing_prevents_convergence),
        cmocka_unit_test(test_dependencies),   cmocka_unit_test(test_non_convergent),
        cmocka_unit_test(test_random4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
