/*
 * The fluid simulator's and the execution-log reader's specification. On plans
 * written here, exact figures computed by hand in the comments: a lone migration
 * follows the pre-copy phases of REFERENCE section 3 (its duration against
 * mvm_migration_time, the data it sends, its phases), concurrent migrations
 * share a source link, a capped transfer, an aggregation uplink, a blocking
 * switch and two bottlenecks max-min fairly, a rate change lengthens the copy
 * and so the cold pages, a migration below its hot-page rate stalls (never
 * holding more than its hot set) and recovers when the link frees up, two
 * squeezed for good are abandoned at the give-up time and what depends on them
 * is skipped, actions start when their predecessors end, never by the clock,
 * and a simulation late in the clock still ends. On real data: mVM's ten
 * random4 plans complete (plan 1's completion worked out by hand), the
 * scheduler's own plan simulates to its prediction, the simulated migration
 * durations deviate from the 200 real ones of the execution logs by the pinned
 * mean (below the published 6.47 %), and a 1,728-migration plan completes. The
 * log reader: every real log, one line's exact record, errors with line numbers
 * on malformed files, and matching records to plan actions.
 */
#include "testutil.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mvm/execlog.h"
#include "mvm/generate.h"
#include "mvm/instance.h"
#include "mvm/io.h"
#include "mvm/migration.h"
#include "mvm/plan.h"
#include "mvm/schedule.h"
#include "mvm/sim.h"
#include "mvm/verify.h"

/* Simulated times are sums of a few divisions: equal to the hand values up to this (s, MiB). */
#define EXACT 1e-6

/* The default downtime, 30 ms. */
#define D 0.030

/* Unix time the verified plans start at, so nothing depends on the clock. */
#define START_EPOCH INT64_C(1700000000)

/* ---- plans written for the tests (JSON with ' for ", so it reads as written) ---- */

/* A link of `mbps` between node `n` and switch `sw` (the link's id is the node's). */
#define LINK(n, mbps, sw)                                                                          \
    "{'id': " #n ", 'capacity': " #mbps ", 'switch': " #sw ", 'physicalElement': {'id': " #n       \
    ", 'type': 'node'}}"

/* A network view with one switch (capacity -1: non-blocking) and these links. */
#define STAR(switch_mbps, links)                                                                   \
    "{'id': 'net', 'routing': {'type': 'default'}, 'switches': [{'id': 0, "                        \
    "'capacity': " #switch_mbps "}], 'links': [" links "]}"

/* A link of `mbps` between switches `sw` and `up`. */
#define UPLINK(id, mbps, sw, up)                                                                   \
    "{'id': " #id ", 'capacity': " #mbps ", 'switch': " #sw ", 'physicalElement': {'id': " #up     \
    ", 'type': 'switch'}}"

#define MIGRATE(vm, from, to, bw, start, end)                                                      \
    "{'id': 'migrateVM', 'vm': " #vm ", 'from': " #from ", 'to': " #to ", 'bw': " #bw              \
    ", 'start': " #start ", 'end': " #end "}"

#define NODE_ACTION(kind, node, start, end)                                                        \
    "{'id': '" kind "', 'node': " #node ", 'start': " #start ", 'end': " #end "}"

/* Without dirty pages: a migration sends memUsed once, 8 s (16 s) at 1000 Mbit/s. */
#define CLEAN(mib) "{'memUsed': " #mib ", 'hotDirtySize': 0, 'coldDirtyRate': 0}"

/* 100 MiB of hot pages every second: 100 MiB/s, 800 Mbit/s of dirtying. */
#define HOT100 "{'memUsed': 1000, 'hotDirtySize': 100, 'hotDirtyDuration': 1, 'coldDirtyRate': 0}"

/* A text growing in a fixed buffer; the test fails rather than truncate it. */
struct text {
    char buf[8192];
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

/* Parses a plan written with single quotes. */
static struct mvm_plan *plan_of(const char *quoted)
{
    size_t len = strlen(quoted);
    char *text = malloc(len + 1);
    assert_non_null(text);
    for (size_t i = 0; i <= len; i++)
        text[i] = quoted[i] == '\'' ? '"' : quoted[i];
    struct mvm_error err = {0};
    struct mvm_plan *p = mvm_plan_parse(text, len, "test plan", &err);
    free(text);
    if (p == NULL)
        fail_msg("test plan: %s", err.message);
    return p;
}

/* A plan from its parts: the origin's mapping members, attributes and views, then the actions. */
static struct mvm_plan *plan_from(const char *mapping, const char *node_attrs, const char *vm_attrs,
                                  const char *views, const char *actions)
{
    struct text t = {.len = 0};
    text_add(&t,
             "{'origin': {'mapping': {%s}, 'attributes': {'nodes': {%s}, 'vms': {%s}}, "
             "'views': [%s]}, 'actions': [%s]}",
             mapping, node_attrs, vm_attrs, views, actions);
    return plan_of(t.buf);
}

/*
 * VM 0 alone migrating from node 0 to node 1 at bw_mbps, both nodes on 1000
 * Mbit/s links to a non-blocking switch; vm_attrs is its attribute object.
 */
static struct mvm_plan *lone_plan(const char *vm_attrs, int bw_mbps)
{
    struct text vms = {.len = 0}, action = {.len = 0};
    text_add(&vms, "'0': %s", vm_attrs);
    text_add(&action, MIGRATE(0, 0, 1, % d, 0, 100), bw_mbps);
    return plan_from("'onlineNodes': {'0': {'runningVMs': [0]}, '1': {'runningVMs': []}}, "
                     "'offlineNodes': [], 'readyVMs': []",
                     "", vms.buf, STAR(-1, LINK(0, 1000, 0) ", " LINK(1, 1000, 0)), action.buf);
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
    struct mvm_plan *p = mvm_plan_load(path, &err);
    if (p == NULL)
        fail_msg("%s: %s", path, err.message);
    return p;
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

/* ---- simulating ---- */

/* Simulates with the given options (NULL: the defaults); the simulation must run. */
static void simulate(const struct mvm_plan *p, const struct mvm_instance *in,
                     const struct mvm_sim_options *o, struct mvm_sim_result *r)
{
    struct mvm_error err = {0};
    if (mvm_simulate(p, in, o, r, &err) != 0)
        fail_msg("mvm_simulate failed (code %d): %s", (int)err.code, err.message);
    assert_int_equal(r->action_count, p->action_count);
}

static void assert_near(double actual, double expected, double tolerance, const char *what)
{
    if (!(fabs(actual - expected) <= tolerance))
        fail_msg("%s: %.9f, expected %.9f (within %g)", what, actual, expected, tolerance);
}

/* Action a ran from start to end with this status (times exact up to EXACT). */
static void assert_action(const struct mvm_sim_result *r, size_t a, enum mvm_sim_status status,
                          double start, double end)
{
    char what[64];
    if (r->actions[a].status != status)
        fail_msg("action %zu: status %d, expected %d", a, (int)r->actions[a].status, (int)status);
    snprintf(what, sizeof(what), "action %zu start", a);
    assert_near(r->actions[a].start, start, EXACT, what);
    snprintf(what, sizeof(what), "action %zu end", a);
    assert_near(r->actions[a].end, end, EXACT, what);
}

/* mvm_migration_time under pre-copy: the closed form of REFERENCE section 3. */
static double model_time(double mem_used, double hot_size, double hot_duration, double cold_rate,
                         double bw_mbps)
{
    struct mvm_vm_memory m = {.mem_used_mib = mem_used,
                              .hot_size_mib = hot_size,
                              .hot_duration_s = hot_duration,
                              .cold_rate_mibps = cold_rate};
    struct mvm_error err = {0};
    double seconds;
    if (mvm_migration_time(&m, bw_mbps, MVM_MIGRATION_PRECOPY, &seconds, &err) != 0)
        fail_msg("mvm_migration_time: %s", err.message);
    return seconds;
}

/* ---- options and engine names ---- */

static void test_options_and_engine_names(void **state)
{
    (void)state;
    struct mvm_sim_options o;
    mvm_sim_options_init(&o);
    assert_int_equal(o.engine, MVM_SIM_FLUID);
    assert_true(o.downtime_s == 0.030);
    assert_true(o.give_up_s == 3600.0);
    assert_null(o.net);

    enum mvm_sim_engine e = MVM_SIM_SIMGRID;
    assert_int_equal(mvm_sim_engine_parse("fluid", &e), 0);
    assert_int_equal(e, MVM_SIM_FLUID);
    assert_int_equal(mvm_sim_engine_parse("simgrid", &e), 0);
    assert_int_equal(e, MVM_SIM_SIMGRID);
    const char *bad[] = {"", "Fluid", "fluid ", "sim", "simgrid4", "bogus"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        e = MVM_SIM_FLUID;
        assert_int_equal(mvm_sim_engine_parse(bad[i], &e), -1);
        assert_int_equal(e, MVM_SIM_FLUID); /* untouched */
    }
}

/* ---- a lone migration: the duration model, phase by phase ---- */

/*
 * One lone migration: B = bw / 8 MiB/s all along, so its transfer is B x its
 * duration. Checks the hand values, then the relation to the closed form: the
 * simulation is never longer, and is shorter by exactly D x hr / (B - hr): the
 * closed form drains the hot pages to zero at B - hr, the simulation stops
 * when the rest, B x D, fits in the downtime and sends it in D. That gap is
 * within the downtime only while B >= 2 hr. With no downtime both agree.
 */
struct lone_case {
    const char *attrs;
    double mem, hs, hd, cr; /* the same attributes, for mvm_migration_time */
    int bw;
    double model_s, sim_s, sent_mib; /* by hand */
    size_t rounds;
};

static void check_lone(const struct lone_case *c)
{
    struct mvm_plan *p = lone_plan(c->attrs, c->bw);
    double B = c->bw / 8.0, hr = c->hs > 0 ? c->hs / c->hd : 0.0;
    double model = model_time(c->mem, c->hs, c->hd, c->cr, c->bw);
    assert_near(model, c->model_s, EXACT, "closed form");

    struct mvm_sim_result r = {0};
    simulate(p, NULL, NULL, &r); /* default options: 30 ms downtime */
    assert_action(&r, 0, MVM_SIM_DONE, 0.0, c->sim_s);
    assert_near(r.actions[0].transferred_mib, c->sent_mib, EXACT, "transferred");
    assert_int_equal(r.actions[0].rounds, c->rounds);
    assert_true(r.actions[0].end <= model + EXACT);
    assert_near(model - r.actions[0].end, D * hr / (B - hr), EXACT, "gap to the closed form");
    if (B >= 2 * hr)
        assert_true(model - r.actions[0].end <= D + EXACT);
    assert_near(r.completion_s, c->sim_s, EXACT, "completion");
    assert_near(r.mean_migration_s, c->sim_s, EXACT, "mean migration");
    assert_near(r.transferred_mib, c->sent_mib, EXACT, "total transferred");
    assert_int_equal(r.migrations, 1);
    assert_int_equal(r.completed_migrations, 1);
    assert_int_equal(r.failed, 0);
    assert_int_equal(r.skipped, 0);
    assert_true(r.planned_completion_s == 100.0);
    mvm_sim_result_clear(&r);
    assert_null(r.actions);

    struct mvm_sim_options o;
    mvm_sim_options_init(&o);
    o.downtime_s = 0;
    simulate(p, NULL, &o, &r);
    assert_action(&r, 0, MVM_SIM_DONE, 0.0, model);
    assert_near(r.actions[0].transferred_mib, B * model, EXACT, "transferred without downtime");
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/*
 * memUsed 2000, hot 96 MiB / 2 s (hr 48 MiB/s), cold 2 MiB/s, at 1000 Mbit/s
 * (B 125 MiB/s), the dmin > hd branch:
 *   COPY  2000 / 125 = 16 s                               sends 2000
 *   COLD  (96 + (16 - 2) x 2) / (125 - 2) = 124 / 123
 *         = 1.008130 s                                    sends 126.016260
 *   HOT   96 x 48 / 125 = 36.864 MiB, drained at 77 MiB/s until 125 x 0.03
 *         = 3.75 MiB are left: (36.864 - 3.75) / 77 = 0.430052 s  sends 53.756494
 *   STOP  3.75 MiB at 125 MiB/s = 0.03 s                  sends 3.75
 *   total 17.468182 s, 2183.522754 MiB; the closed form 16 + 1.008130 +
 *   (96 / 125) x (48 / 77) = 17.486883 s, 18.7 ms more (30 ms x 48 / 77).
 */
static void test_lone_two_phase_1000(void **state)
{
    (void)state;
    const double tail = 124.0 / 123.0 + (36.864 - 3.75) / 77.0 + 0.03; /* COLD, HOT, STOP */
    const struct lone_case c = {
        .attrs = "{'memUsed': 2000, 'hotDirtySize': 96, 'hotDirtyDuration': 2, 'coldDirtyRate': 2}",
        .mem = 2000,
        .hs = 96,
        .hd = 2,
        .cr = 2,
        .bw = 1000,
        .model_s = 16.0 + 124.0 / 123.0 + (96.0 / 125.0) * (48.0 / 77.0),
        .sim_s = 16.0 + tail,
        .sent_mib = 2000.0 + 125.0 * tail,
        .rounds = 4};
    assert_near(c.model_s, 17.486883, 1e-6, "hand closed form");
    assert_near(c.sim_s, 17.468182, 1e-6, "hand simulation");
    assert_near(c.sent_mib, 2183.522754, 1e-6, "hand transfer");
    check_lone(&c);
}

/*
 * The same VM at 500 Mbit/s (B 62.5 MiB/s), with the older attribute names:
 *   COPY  2000 / 62.5 = 32 s
 *   COLD  (96 + 30 x 2) / 60.5 = 156 / 60.5 = 2.578512 s
 *   HOT   96 x 48 / 62.5 = 73.728 MiB, at 14.5 MiB/s down to 62.5 x 0.03 =
 *         1.875: (73.728 - 1.875) / 14.5 = 4.955379 s
 *   STOP  0.03 s
 *   total 39.563892 s, x 62.5 = 2472.743232 MiB; the closed form 32 + 2.578512
 *   + (96 / 62.5) x (48 / 14.5) = 39.663202 s. Here B < 2 hr, so the gap,
 *   30 ms x 48 / 14.5 = 99.3 ms, exceeds the downtime.
 */
static void test_lone_two_phase_500(void **state)
{
    (void)state;
    const double tail = 156.0 / 60.5 + (73.728 - 1.875) / 14.5 + 0.03; /* COLD, HOT, STOP */
    const struct lone_case c = {
        .attrs = "{'memUsed': 2000, 'maxDirtySize': 96, 'maxDirtyDuration': 2, 'dirtyRate': 2.0}",
        .mem = 2000,
        .hs = 96,
        .hd = 2,
        .cr = 2,
        .bw = 500,
        .model_s = 32.0 + 156.0 / 60.5 + (96.0 / 62.5) * (48.0 / 14.5),
        .sim_s = 32.0 + tail,
        .sent_mib = 2000.0 + 62.5 * tail,
        .rounds = 4};
    assert_near(c.model_s, 39.663202, 1e-6, "hand closed form");
    assert_near(c.sim_s, 39.563892, 1e-6, "hand simulation");
    assert_near(c.sent_mib, 2472.743232, 1e-6, "hand transfer");
    check_lone(&c);
}

/*
 * memUsed 200 with hot 96 / 2, no cold pages, at 1000 Mbit/s: the copy (1.6 s)
 * ends before the hot duration, the dmin <= hd branch: COPY 1.6 s, then HOT
 * with 48 x 1.6 = 76.8 MiB drained at 77 MiB/s down to 3.75: 0.948701 s, STOP
 * 0.03 s. Total 2.578701 s (322.337662 MiB); the closed form 1.6 + 76.8 / 77
 * = 2.597403 s. Three phases.
 */
static void test_lone_short_copy(void **state)
{
    (void)state;
    const double tail = (76.8 - 3.75) / 77.0 + 0.03; /* HOT, STOP */
    const struct lone_case c = {
        .attrs = "{'memUsed': 200, 'hotDirtySize': 96, 'hotDirtyDuration': 2, 'coldDirtyRate': 0}",
        .mem = 200,
        .hs = 96,
        .hd = 2,
        .cr = 0,
        .bw = 1000,
        .model_s = 1.6 + 76.8 / 77.0,
        .sim_s = 1.6 + tail,
        .sent_mib = 200.0 + 125.0 * tail,
        .rounds = 3};
    assert_near(c.model_s, 2.597403, 1e-6, "hand closed form");
    assert_near(c.sim_s, 2.578701, 1e-6, "hand simulation");
    assert_near(c.sent_mib, 322.337662, 1e-6, "hand transfer");
    check_lone(&c);
}

/*
 * No dirtying at all: 1000 MiB at 125 MiB/s, exactly 8 s and exactly memUsed
 * sent, downtime or not (the empty COLD, HOT and STOP phases take no time).
 */
static void test_lone_no_dirtying(void **state)
{
    (void)state;
    struct lone_case c = {.attrs = CLEAN(1000),
                          .mem = 1000,
                          .hs = 0,
                          .hd = 2,
                          .cr = 0,
                          .bw = 1000,
                          .model_s = 8,
                          .sim_s = 8,
                          .sent_mib = 1000,
                          .rounds = 4};
    check_lone(&c);
    /* at 500 Mbit/s: 16 s */
    c.bw = 500;
    c.model_s = c.sim_s = 16;
    check_lone(&c);
}

/* ---- sharing ---- */

/*
 * Two clean migrations from node 0, 1000 MiB to node 1 and 2000 MiB to node 2,
 * both planned at 0 at 1000 Mbit/s: node 0's uplink (1000) is split 500 / 500
 * (62.5 MiB/s each); the first ends at 1000 / 62.5 = 16 s, when the second has
 * 1000 MiB left, then sent alone at 125 MiB/s: 8 s more, ending at 24 s.
 */
static void test_share_source_link(void **state)
{
    (void)state;
    struct mvm_plan *p = plan_from(
        "'onlineNodes': {'0': {'runningVMs': [0, 1]}, '1': {'runningVMs': []}, '2': {'runningVMs': "
        "[]}}, 'offlineNodes': [], 'readyVMs': []",
        "", "'0': " CLEAN(1000) ", '1': " CLEAN(2000),
        STAR(-1, LINK(0, 1000, 0) ", " LINK(1, 1000, 0) ", " LINK(2, 1000, 0)),
        MIGRATE(0, 0, 1, 1000, 0, 8) ", " MIGRATE(1, 0, 2, 1000, 0, 16));
    struct mvm_sim_result r = {0};
    simulate(p, NULL, NULL, &r);
    assert_action(&r, 0, MVM_SIM_DONE, 0, 16);
    assert_action(&r, 1, MVM_SIM_DONE, 0, 24);
    assert_near(r.actions[0].transferred_mib, 1000, EXACT, "first transfer");
    assert_near(r.actions[1].transferred_mib, 2000, EXACT, "second transfer");
    assert_near(r.completion_s, 24, EXACT, "completion");
    assert_near(r.mean_migration_s, 20, EXACT, "mean migration");
    assert_true(r.planned_completion_s == 16.0);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/*
 * The same two, the 1000 MiB one planned at 200 Mbit/s: it stops rising at its
 * cap, 200 (25 MiB/s), and the other takes the rest, 800 (100 MiB/s). The
 * 2000 MiB end at 2000 / 100 = 20 s; the capped one stays at 25 MiB/s
 * throughout: 1000 / 25 = 40 s.
 */
static void test_share_with_cap(void **state)
{
    (void)state;
    struct mvm_plan *p = plan_from(
        "'onlineNodes': {'0': {'runningVMs': [0, 1]}, '1': {'runningVMs': []}, '2': {'runningVMs': "
        "[]}}, 'offlineNodes': [], 'readyVMs': []",
        "", "'0': " CLEAN(1000) ", '1': " CLEAN(2000),
        STAR(-1, LINK(0, 1000, 0) ", " LINK(1, 1000, 0) ", " LINK(2, 1000, 0)),
        MIGRATE(0, 0, 1, 200, 0, 40) ", " MIGRATE(1, 0, 2, 1000, 0, 16));
    struct mvm_sim_result r = {0};
    simulate(p, NULL, NULL, &r);
    assert_action(&r, 0, MVM_SIM_DONE, 0, 40);
    assert_action(&r, 1, MVM_SIM_DONE, 0, 20);
    assert_near(r.completion_s, 40, EXACT, "completion");
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/* clang-format off */
#define TWO_RACKS_NET                                                                              \
    "{'id': 'net', 'routing': {'type': 'default'}, "                                               \
    "'switches': [{'id': 0, 'capacity': -1}, {'id': 1, 'capacity': -1}], 'links': ["               \
        LINK(0, 1000, 0) ", " LINK(1, 1000, 0) ", " LINK(2, 1000, 0) ", " LINK(3, 1000, 0) ", "    \
        LINK(4, 1000, 1) ", " LINK(5, 1000, 1) ", " UPLINK(6, 1000, 0, 1) "]}"
/* clang-format on */

/*
 * Two racks: nodes 0-3 on switch 0, nodes 4-5 on switch 1, node links 1000,
 * the racks joined by link 6 (switch 0 - switch 1, 1000). Clean 1000 MiB
 * migrations 0 -> 4 and 1 -> 5 come from different nodes but share link 6
 * upward: 500 each, 16 s. 2 -> 3 stays in rack 0 and shares nothing with them:
 * 1000, 8 s.
 */
static void test_share_aggregation_link(void **state)
{
    (void)state;
    struct mvm_plan *p = plan_from(
        "'onlineNodes': {'0': {'runningVMs': [0]}, '1': {'runningVMs': [1]}, '2': {'runningVMs': "
        "[2]}, '3': {'runningVMs': []}, '4': {'runningVMs': []}, '5': {'runningVMs': []}}, "
        "'offlineNodes': [], 'readyVMs': []",
        "", "'0': " CLEAN(1000) ", '1': " CLEAN(1000) ", '2': " CLEAN(1000), TWO_RACKS_NET,
        /* clang-format off */
        MIGRATE(0, 0, 4, 1000, 0, 8) ", "
        MIGRATE(1, 1, 5, 1000, 0, 8) ", "
        MIGRATE(2, 2, 3, 1000, 0, 8));
    /* clang-format on */
    struct mvm_sim_result r = {0};
    simulate(p, NULL, NULL, &r);
    assert_action(&r, 0, MVM_SIM_DONE, 0, 16);
    assert_action(&r, 1, MVM_SIM_DONE, 0, 16);
    assert_action(&r, 2, MVM_SIM_DONE, 0, 8);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/*
 * A blocking switch of 1000 Mbit/s: clean 1000 MiB migrations 0 -> 1 and
 * 2 -> 3 use four different links but both cross the switch's backplane:
 * 500 each, 16 s.
 */
static void test_share_blocking_switch(void **state)
{
    (void)state;
    struct mvm_plan *p = plan_from(
        "'onlineNodes': {'0': {'runningVMs': [0]}, '1': {'runningVMs': []}, '2': {'runningVMs': "
        "[1]}, '3': {'runningVMs': []}}, 'offlineNodes': [], 'readyVMs': []",
        "", "'0': " CLEAN(1000) ", '1': " CLEAN(1000),
        STAR(1000,
             LINK(0, 1000, 0) ", " LINK(1, 1000, 0) ", " LINK(2, 1000, 0) ", " LINK(3, 1000, 0)),
        MIGRATE(0, 0, 1, 1000, 0, 8) ", " MIGRATE(1, 2, 3, 1000, 0, 8));
    struct mvm_sim_result r = {0};
    simulate(p, NULL, NULL, &r);
    assert_action(&r, 0, MVM_SIM_DONE, 0, 16);
    assert_action(&r, 1, MVM_SIM_DONE, 0, 16);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/*
 * Max-min fairness with two bottlenecks. Nodes 0, 1, 3 on 1000 Mbit/s links,
 * node 2 on 600. A: 0 -> 1, 1400 MiB; B: 0 -> 2, 1200 MiB; C: 3 -> 2, 600 MiB
 * (clean). Rising together, node 2's downlink fills first at 300 each: B and C
 * stop at 300 (37.5 MiB/s); A takes what node 0's uplink has left, 700 (87.5
 * MiB/s). A ends at 1400 / 87.5 = 16 s, C at 600 / 37.5 = 16 s; B has sent
 * 600 by then and goes on alone at its path's 600 Mbit/s (75 MiB/s): 600 / 75
 * = 8 s more, 24 s.
 */
static void test_share_max_min(void **state)
{
    (void)state;
    struct mvm_plan *p = plan_from(
        "'onlineNodes': {'0': {'runningVMs': [0, 1]}, '1': {'runningVMs': []}, '2': {'runningVMs': "
        "[]}, '3': {'runningVMs': [2]}}, 'offlineNodes': [], 'readyVMs': []",
        "", "'0': " CLEAN(1400) ", '1': " CLEAN(1200) ", '2': " CLEAN(600),
        STAR(-1, LINK(0, 1000, 0) ", " LINK(1, 1000, 0) ", " LINK(2, 600, 0) ", " LINK(3, 1000, 0)),
        /* clang-format off */
        MIGRATE(0, 0, 1, 1000, 0, 12) ", "
        MIGRATE(1, 0, 2, 600, 0, 16) ", "
        MIGRATE(2, 3, 2, 600, 0, 8));
    /* clang-format on */
    struct mvm_sim_result r = {0};
    simulate(p, NULL, NULL, &r);
    assert_action(&r, 0, MVM_SIM_DONE, 0, 16);
    assert_action(&r, 1, MVM_SIM_DONE, 0, 24);
    assert_action(&r, 2, MVM_SIM_DONE, 0, 16);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/*
 * A rate change during the copy. X (2000 MiB, hot 96 / 2, cold 2) and Y (clean,
 * 500 MiB) leave node 0 together: 62.5 MiB/s each until Y ends at 8 s, X then
 * alone at 125 MiB/s sends its last 1500 MiB of copy in 12 s: the copy lasted
 * 20 s, so COLD is 96 + (20 - 2) x 2 = 132 MiB at 123: 1.073171 s; HOT 36.864
 * MiB down to 3.75 at 77: 0.430052 s; STOP 0.03 s. X ends at 21.533223 s,
 * having sent 2000 + 125 x (1.073171 + 0.430052 + 0.03) = 2191.652835 MiB.
 */
static void test_share_changes_the_copy(void **state)
{
    (void)state;
    struct mvm_plan *p = plan_from(
        "'onlineNodes': {'0': {'runningVMs': [0, 1]}, '1': {'runningVMs': []}, '2': {'runningVMs': "
        "[]}}, 'offlineNodes': [], 'readyVMs': []",
        "",
        "'0': {'memUsed': 2000, 'hotDirtySize': 96, 'hotDirtyDuration': 2, 'coldDirtyRate': 2}, "
        "'1': " CLEAN(500),
        STAR(-1, LINK(0, 1000, 0) ", " LINK(1, 1000, 0) ", " LINK(2, 1000, 0)),
        MIGRATE(0, 0, 1, 1000, 0, 18) ", " MIGRATE(1, 0, 2, 1000, 0, 4));
    struct mvm_sim_result r = {0};
    simulate(p, NULL, NULL, &r);
    double tail = 132.0 / 123.0 + (36.864 - 3.75) / 77.0 + 0.03;
    assert_action(&r, 0, MVM_SIM_DONE, 0, 20 + tail);
    assert_near(20 + tail, 21.533223, 1e-6, "hand end");
    assert_near(r.actions[0].transferred_mib, 2000 + 125 * tail, EXACT, "transferred");
    assert_near(2000 + 125 * tail, 2191.652835, 1e-6, "hand transfer");
    assert_action(&r, 1, MVM_SIM_DONE, 0, 8);
    assert_near(r.actions[1].transferred_mib, 500, EXACT, "clean transfer");
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/* ---- non-convergence ---- */

/*
 * HOT100 alone at 1000 Mbit/s (B 125 > hr 100) converges: COPY 1000 / 125 =
 * 8 s; COLD 100 + 7 x 0 = 100 MiB at 125: 0.8 s; HOT 100 x 100 / 125 = 80 MiB
 * at 25 MiB/s down to 3.75: 3.05 s; STOP 0.03 s. Total 11.88 s, sending
 * 125 x 11.88 = 1485 MiB; the closed form says 8 + 0.8 + 0.8 x 4 = 12 s
 * (gap 30 ms x 100 / 25 = 0.12 s).
 */
static void test_hot_vm_alone_converges(void **state)
{
    (void)state;
    struct mvm_plan *p = lone_plan(HOT100, 1000);
    struct mvm_sim_result r = {0};
    simulate(p, NULL, NULL, &r);
    assert_near(model_time(1000, 100, 1, 0, 1000), 12.0, EXACT, "closed form");
    assert_action(&r, 0, MVM_SIM_DONE, 0, 11.88);
    assert_near(r.actions[0].transferred_mib, 1485, EXACT, "transferred");
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/*
 * Two HOT100 VMs leave node 0 together (to nodes 1 and 2, planned at 1000
 * Mbit/s each, [0, 12]), then node 0 shuts down (planned [12, 42]; the graph
 * puts it after both). Node 0's uplink gives each 500 Mbit/s = 62.5 MiB/s,
 * below the hot rate: COPY 16 s, COLD 100 / 62.5 = 1.6 s, then HOT (160 MiB)
 * grows at 37.5 MiB/s. With give_up_s 100 both are abandoned at 0 + 100,
 * having sent 62.5 x 100 = 6250 MiB each in three phases, and the shutdown is
 * skipped (at 100, taking no time). Nothing completed: completion 0.
 */
static void test_non_convergence_gives_up(void **state)
{
    (void)state;
    struct mvm_plan *p = plan_from(
        "'onlineNodes': {'0': {'runningVMs': [0, 1]}, '1': {'runningVMs': []}, '2': {'runningVMs': "
        "[]}}, 'offlineNodes': [], 'readyVMs': []",
        "'0': {'shutdown': 30}", "'0': " HOT100 ", '1': " HOT100,
        STAR(-1, LINK(0, 1000, 0) ", " LINK(1, 1000, 0) ", " LINK(2, 1000, 0)),
        /* clang-format off */
        MIGRATE(0, 0, 1, 1000, 0, 12) ", "
        MIGRATE(1, 0, 2, 1000, 0, 12) ", "
        NODE_ACTION("shutdownNode", 0, 12, 42));
    /* clang-format on */
    struct mvm_sim_options o;
    mvm_sim_options_init(&o);
    o.give_up_s = 100;
    struct mvm_sim_result r = {0};
    simulate(p, NULL, &o, &r);
    assert_action(&r, 0, MVM_SIM_NOT_CONVERGED, 0, 100);
    assert_action(&r, 1, MVM_SIM_NOT_CONVERGED, 0, 100);
    assert_action(&r, 2, MVM_SIM_SKIPPED, 100, 100);
    for (size_t a = 0; a < 2; a++) {
        assert_near(r.actions[a].transferred_mib, 6250, EXACT, "transferred");
        assert_int_equal(r.actions[a].rounds, 3);
    }
    assert_int_equal(r.migrations, 2);
    assert_int_equal(r.completed_migrations, 0);
    assert_int_equal(r.failed, 2);
    assert_int_equal(r.skipped, 1);
    assert_true(r.completion_s == 0.0);
    assert_true(r.mean_migration_s == 0.0);
    assert_near(r.transferred_mib, 12500, EXACT, "total transferred");
    mvm_sim_result_clear(&r);

    /* the default give-up, an hour */
    simulate(p, NULL, NULL, &r);
    assert_action(&r, 0, MVM_SIM_NOT_CONVERGED, 0, 3600);
    assert_action(&r, 2, MVM_SIM_SKIPPED, 3600, 3600);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/*
 * A stall, then recovery. X (HOT100) and Y (clean, 2000 MiB) leave node 0
 * together at 62.5 MiB/s each. X copies in 16 s, sends its 100 MiB of COLD in
 * 1.6 s, then enters HOT at 17.6 s with 100 x 100 / 62.5 = 160 MiB, growing at
 * 37.5 MiB/s but never past the hot set, 100 MiB. Y ends at 2000 / 62.5 = 32 s;
 * X, alone at 125 MiB/s, drains its 100 MiB at 25 down to 3.75 in 3.85 s, then
 * pauses for 0.03 s: it ends at 35.88 s, having sent 62.5 x 32 + 125 x 3.88 =
 * 2485 MiB.
 */
static void test_stall_then_recover(void **state)
{
    (void)state;
    struct mvm_plan *p = plan_from(
        "'onlineNodes': {'0': {'runningVMs': [0, 1]}, '1': {'runningVMs': []}, '2': {'runningVMs': "
        "[]}}, 'offlineNodes': [], 'readyVMs': []",
        "", "'0': " HOT100 ", '1': " CLEAN(2000),
        STAR(-1, LINK(0, 1000, 0) ", " LINK(1, 1000, 0) ", " LINK(2, 1000, 0)),
        MIGRATE(0, 0, 1, 1000, 0, 12) ", " MIGRATE(1, 0, 2, 1000, 0, 16));
    struct mvm_sim_result r = {0};
    simulate(p, NULL, NULL, &r);
    assert_action(&r, 0, MVM_SIM_DONE, 0, 35.88);
    assert_near(r.actions[0].transferred_mib, 2485, EXACT, "transferred");
    assert_action(&r, 1, MVM_SIM_DONE, 0, 32);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/*
 * The same with Y of 1100 MiB: it ends at 17.6 s, the very instant X enters
 * HOT at 62.5 MiB/s. The hot pages re-dirtied while X sent them at that rate
 * would be 160 MiB, more than the hot set: X enters HOT with 100 MiB, as it
 * would have after any stall, and, alone at 125 MiB/s, ends at 17.6 + (100 -
 * 3.75) / 25 + 0.03 = 21.48 s (62.5 x 17.6 + 125 x 3.88 = 1585 MiB). The bound
 * used to apply only while a phase ran, not when it began: 23.88 s.
 */
static void test_hot_phase_bounded_by_hot_set(void **state)
{
    (void)state;
    struct mvm_plan *p = plan_from(
        "'onlineNodes': {'0': {'runningVMs': [0, 1]}, '1': {'runningVMs': []}, '2': {'runningVMs': "
        "[]}}, 'offlineNodes': [], 'readyVMs': []",
        "", "'0': " HOT100 ", '1': " CLEAN(1100),
        STAR(-1, LINK(0, 1000, 0) ", " LINK(1, 1000, 0) ", " LINK(2, 1000, 0)),
        MIGRATE(0, 0, 1, 1000, 0, 12) ", " MIGRATE(1, 0, 2, 1000, 0, 9));
    struct mvm_sim_result r = {0};
    simulate(p, NULL, NULL, &r);
    assert_action(&r, 1, MVM_SIM_DONE, 0, 17.6);
    assert_action(&r, 0, MVM_SIM_DONE, 0, 21.48);
    assert_near(r.actions[0].transferred_mib, 1585, EXACT, "transferred");
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/* ---- dependencies, not the clock ---- */

/*
 * Node 1 is off and boots in 120 s (planned [0, 120]); VM 0 then moves onto it,
 * planned late at [300, 308]: it starts when the boot ends, 120, and lasts 8 s.
 * VM 1 moves 2 -> 3, planned at [500, 508], sharing nothing: it starts at 0.
 */
static void test_dependencies_not_clock(void **state)
{
    (void)state;
    struct mvm_plan *p = plan_from(
        "'onlineNodes': {'0': {'runningVMs': [0]}, '2': {'runningVMs': [1]}, '3': {'runningVMs': "
        "[]}}, 'offlineNodes': [1], 'readyVMs': []",
        "'1': {'boot': 120}", "'0': " CLEAN(1000) ", '1': " CLEAN(1000),
        STAR(-1,
             LINK(0, 1000, 0) ", " LINK(1, 1000, 0) ", " LINK(2, 1000, 0) ", " LINK(3, 1000, 0)),
        /* clang-format off */
        NODE_ACTION("bootNode", 1, 0, 120) ", "
        MIGRATE(0, 0, 1, 1000, 300, 308) ", "
        MIGRATE(1, 2, 3, 1000, 500, 508));
    /* clang-format on */
    struct mvm_sim_result r = {0};
    simulate(p, NULL, NULL, &r);
    assert_action(&r, 0, MVM_SIM_DONE, 0, 120);
    assert_action(&r, 1, MVM_SIM_DONE, 120, 128);
    assert_action(&r, 2, MVM_SIM_DONE, 0, 8);
    assert_int_equal(r.migrations, 2);
    assert_int_equal(r.completed_migrations, 2);
    assert_near(r.completion_s, 128, EXACT, "completion");
    assert_near(r.mean_migration_s, 8, EXACT, "mean migration");
    assert_true(r.planned_completion_s == 508.0);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
}

/*
 * Late in a simulation the clock's resolution is coarse (about 2e-12 s at
 * 10,007 s): a phase ending by an amount that rounding left behind used to
 * need a step the clock could not take, and the engine looped for ever. Node 1
 * boots for 10,007 s, then clean VMs of 1000 to 1100 MiB move onto it over 10
 * Gbit/s links: each ends at 10,007 + memUsed / 1250 s.
 */
static void test_late_clock_terminates(void **state)
{
    (void)state;
    for (int mem = 1000; mem <= 1100; mem++) {
        struct text vms = {.len = 0};
        text_add(&vms, "'0': {'memUsed': %d, 'hotDirtySize': 0}", mem);
        struct mvm_plan *p = plan_from(
            "'onlineNodes': {'0': {'runningVMs': [0]}}, 'offlineNodes': [1], 'readyVMs': []",
            "'1': {'boot': 10007}", vms.buf, STAR(-1, LINK(0, 10000, 0) ", " LINK(1, 10000, 0)),
            NODE_ACTION("bootNode", 1, 0, 10007) ", " MIGRATE(0, 0, 1, 10000, 10007, 10008));
        struct mvm_sim_result r = {0};
        simulate(p, NULL, NULL, &r);
        assert_action(&r, 1, MVM_SIM_DONE, 10007, 10007 + mem / 1250.0);
        mvm_sim_result_clear(&r);
        mvm_plan_free(p);
    }
}

/* A plan with no network view and BtrPlace's unlimited bandwidth cannot be simulated. */
static void test_unmanaged_network_is_refused(void **state)
{
    (void)state;
    struct mvm_plan *p = plan_from("'onlineNodes': {'0': {'runningVMs': [0]}, '1': {'runningVMs': "
                                   "[]}}, 'offlineNodes': [], 'readyVMs': []",
                                   "", "'0': " CLEAN(1000), "", MIGRATE(0, 0, 1, 2147483647, 0, 1));
    struct mvm_sim_result r = {0};
    struct mvm_error err = {0};
    assert_int_equal(mvm_simulate(p, NULL, NULL, &r, &err), -1);
    assert_int_equal(err.code, MVM_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "--instance"));
    assert_null(r.actions);
    mvm_plan_free(p);
}

/* ---- real plans ---- */

/*
 * mVM's ten random4 plans (origins without a network view: the instance
 * supplies it) complete every action. Plan 1 by hand: the first wave (VMs 6,
 * 8, 5: 3000 MiB at 500 Mbit/s, sharing no link beyond its capacity) takes
 * 48 + 188 / 60.5 + (73.728 - 1.875) / 14.5 + 0.03 = 56.092817 s; then VM 2
 * (2000 MiB, 2 -> 3 at 1000) 17.468182 s; VM 0 (2000 MiB, 0 -> 3 at 500)
 * 39.563892 s; VM 4 (0 -> 1) the same, each waiting for the previous one on
 * node 0 or 3: 56.092817 + 17.468182 + 2 x 39.563892 = 152.688783 s. The plan
 * predicted 192 s with durations from bw / 9; our model re-times it to 153 s.
 */
static void test_random4_plans_complete(void **state)
{
    (void)state;
    for (int n = 1; n <= 10; n++) {
        struct mvm_instance *in = random4_instance(n);
        struct mvm_plan *p = random4_plan(n);
        struct mvm_sim_result r = {0};
        simulate(p, in, NULL, &r);
        assert_int_equal(r.failed, 0);
        assert_int_equal(r.skipped, 0);
        assert_int_equal(r.migrations, p->action_count);
        assert_int_equal(r.completed_migrations, p->action_count);
        for (size_t a = 0; a < r.action_count; a++) {
            assert_int_equal(r.actions[a].status, MVM_SIM_DONE);
            assert_true(r.actions[a].end > r.actions[a].start);
            assert_true(r.actions[a].end <= r.completion_s);
        }
        /* what the executor gains on mVM's pessimistic durations */
        assert_true(r.completion_s < r.planned_completion_s);
        if (n == 1) {
            assert_near(r.completion_s, 152.688783, 1e-6, "plan 1 completion");
            assert_true(r.planned_completion_s == 192.0);
            /* VM 7, 3000 MiB 3 -> 2 at 1000, from 0: 24 + 140 / 123 + (36.864 - 3.75) / 77
               + 0.03 = 25.598263 s */
            assert_near(r.actions[7].end, 25.598263, 1e-6, "vm 7");
        }
        mvm_sim_result_clear(&r);
        mvm_plan_free(p);
        mvm_instance_free(in);
    }
}

/* Fails, listing the violations, unless the verifier accepts the plan. */
static void assert_verified(const struct mvm_instance *in, const struct mvm_plan *plan)
{
    struct mvm_verify_options vo;
    mvm_verify_options_init(&vo);
    vo.start_epoch = START_EPOCH;
    struct mvm_verify_report report = {0};
    struct mvm_error err = {0};
    if (mvm_plan_verify(in, plan, &vo, &report, &err) != 0)
        fail_msg("mvm_plan_verify failed: %s", err.message);
    size_t count = report.count;
    mvm_verify_report_clear(&report);
    if (count != 0)
        fail_msg("the verifier found %zu violations in the scheduler's plan", count);
}

static struct mvm_plan *schedule(const struct mvm_instance *in,
                                 enum mvm_schedule_objective objective, double time_limit_s,
                                 struct mvm_schedule_stats *st)
{
    struct mvm_schedule_options o;
    mvm_schedule_options_init(&o);
    o.objective = objective;
    o.time_limit_s = time_limit_s;
    struct mvm_error err = {0};
    struct mvm_plan *p = mvm_schedule(in, &o, st, &err);
    if (p == NULL)
        fail_msg("mvm_schedule failed (code %d): %s", (int)err.code, err.message);
    assert_verified(in, p);
    return p;
}

/*
 * Our scheduler's plan for random4 instance 1 (makespan 152 s) never shares a
 * link, so each migration runs alone at its planned bandwidth and lasts its
 * model duration minus the downtime gap: the simulation ends within a second
 * of the prediction (below it: durations are rounded to the second above).
 */
static void test_scheduler_plan_simulates_to_prediction(void **state)
{
    (void)state;
    struct mvm_instance *in = random4_instance(1);
    struct mvm_schedule_stats st;
    struct mvm_plan *p = schedule(in, MVM_SCHEDULE_MAKESPAN, 600, &st);
    assert_int_equal(mvm_plan_makespan(p), 152);
    struct mvm_sim_result r = {0};
    simulate(p, in, NULL, &r);
    assert_int_equal(r.failed, 0);
    assert_int_equal(r.skipped, 0);
    assert_true(r.planned_completion_s == 152.0);
    if (!(fabs(r.completion_s - r.planned_completion_s) < 1.0))
        fail_msg("simulated %.3f s, planned %.0f s", r.completion_s, r.planned_completion_s);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
    mvm_instance_free(in);
}

/*
 * Accuracy against the real executions: over the ten random4 plans x two runs
 * (200 migrations), the mean of |simulated - real| / real is 5.99 %, below the
 * 6.47 % published for the model.
 */
static void test_accuracy_against_real_runs(void **state)
{
    (void)state;
    double sum = 0.0;
    size_t compared = 0;
    for (int n = 1; n <= 10; n++) {
        struct mvm_instance *in = random4_instance(n);
        struct mvm_plan *p = random4_plan(n);
        struct mvm_sim_result r = {0};
        simulate(p, in, NULL, &r);
        for (int run = 1; run <= 2; run++) {
            char rel[96];
            snprintf(rel, sizeof(rel), "instances/random4/executions/run%d/micro_random.%d.csv",
                     run, n);
            struct mvm_exec_log log = {0};
            struct mvm_error err = {0};
            if (mvm_exec_log_load(DATA(rel), &log, &err) != 0)
                fail_msg("%s: %s", rel, err.message);
            for (size_t i = 0; i < log.count; i++) {
                size_t a = mvm_exec_record_action(&log.records[i], p);
                if (a == MVM_NONE)
                    fail_msg("%s: record %zu is not in the plan", rel, i);
                double sim = r.actions[a].end - r.actions[a].start;
                double real = log.records[i].end - log.records[i].start;
                assert_true(real > 0);
                sum += fabs(sim - real) / real;
                compared++;
            }
            mvm_exec_log_clear(&log);
        }
        mvm_sim_result_clear(&r);
        mvm_plan_free(p);
        mvm_instance_free(in);
    }
    assert_int_equal(compared, 200);
    double mean = 100.0 * sum / (double)compared;
    print_message("# mean normalised deviation over %zu migrations: %.4f %%\n", compared, mean);
    assert_true(mean < 6.47);
    assert_near(mean, 5.99, 0.005, "mean deviation (%)");
}

/* mVM's largest published scale, 1,728 migrations among 72 nodes, simulates to the end. */
static void test_vms_x18_completes(void **state)
{
    (void)state;
    struct mvm_generate_options g;
    mvm_generate_options_init(&g, MVM_GENERATE_DECOMMISSION);
    g.vms_per_node = 36; /* --scale vms:18 */
    struct mvm_error err = {0};
    struct mvm_instance *in = mvm_generate(&g, &err);
    if (in == NULL)
        fail_msg("mvm_generate: %s", err.message);
    struct mvm_schedule_stats st;
    struct mvm_plan *p = schedule(in, MVM_SCHEDULE_FROM_INSTANCE, 1, &st);
    assert_int_equal(st.migrations, 1728);
    struct mvm_sim_result r = {0};
    simulate(p, in, NULL, &r);
    assert_int_equal(r.migrations, 1728);
    assert_int_equal(r.completed_migrations, 1728);
    assert_int_equal(r.failed, 0);
    assert_int_equal(r.skipped, 0);
    for (size_t a = 0; a < r.action_count; a++)
        assert_int_equal(r.actions[a].status, MVM_SIM_DONE);
    assert_true(r.completion_s > 0);
    mvm_sim_result_clear(&r);
    mvm_plan_free(p);
    mvm_instance_free(in);
}

/* ---- execution logs ---- */

/* Every real log: ten migrations, each matching an action of its plan, origin the earliest start.
 */
static void test_log_real_files(void **state)
{
    (void)state;
    for (int n = 1; n <= 10; n++) {
        struct mvm_plan *p = random4_plan(n);
        for (int run = 1; run <= 2; run++) {
            char rel[96];
            snprintf(rel, sizeof(rel), "instances/random4/executions/run%d/micro_random.%d.csv",
                     run, n);
            struct mvm_exec_log log = {0};
            struct mvm_error err = {0};
            if (mvm_exec_log_load(DATA(rel), &log, &err) != 0)
                fail_msg("%s: %s", rel, err.message);
            assert_int_equal(log.count, 10);
            double earliest = INFINITY;
            bool seen[10] = {false};
            for (size_t i = 0; i < log.count; i++) {
                const struct mvm_exec_record *rec = &log.records[i];
                assert_string_equal(rec->kind, "migrate");
                assert_true(rec->vm >= 0 && rec->from >= 0 && rec->to >= 0);
                assert_int_equal(rec->node, -1);
                assert_true(rec->bw_mbps == 500 || rec->bw_mbps == 1000);
                assert_true(rec->end >= rec->start);
                earliest = fmin(earliest, rec->start);
                size_t a = mvm_exec_record_action(rec, p);
                assert_true(a < p->action_count);
                assert_false(seen[a]); /* one record per action */
                seen[a] = true;
                assert_int_equal(p->actions[a].bw_mbps, rec->bw_mbps);
            }
            assert_true(log.origin == earliest);
            mvm_exec_log_clear(&log);
            assert_null(log.records);
            assert_int_equal(log.count, 0);
        }
        mvm_plan_free(p);
    }
}

/*
 * run1/micro_random.1.csv, line 2:
 * {action=migrate(vm=vm#7, from=node#3, to=node#2, bw=1000)};1436473952;1436473986;1
 * It is plan 1's action 7 (migrateVM vm 7, 3 -> 2, 1000 Mbit/s). The log starts
 * at 1436473952, the earliest start (four lines share it).
 */
static void test_log_exact_record(void **state)
{
    (void)state;
    struct mvm_exec_log log = {0};
    struct mvm_error err = {0};
    const char *path = DATA("instances/random4/executions/run1/micro_random.1.csv");
    assert_int_equal(mvm_exec_log_load(path, &log, &err), 0);
    const struct mvm_exec_record *r = &log.records[0];
    assert_string_equal(r->kind, "migrate");
    assert_int_equal(r->vm, 7);
    assert_int_equal(r->from, 3);
    assert_int_equal(r->to, 2);
    assert_int_equal(r->node, -1);
    assert_int_equal(r->bw_mbps, 1000);
    assert_true(r->start == 1436473952.0);
    assert_true(r->end == 1436473986.0);
    assert_true(log.origin == 1436473952.0);
    /* the last line: vm#4, node#0 -> node#1 at 500, [1436474084, 1436474126] */
    r = &log.records[9];
    assert_int_equal(r->vm, 4);
    assert_int_equal(r->from, 0);
    assert_int_equal(r->to, 1);
    assert_int_equal(r->bw_mbps, 500);
    assert_true(r->end - r->start == 42.0);

    struct mvm_plan *p = random4_plan(1);
    assert_int_equal(mvm_exec_record_action(&log.records[0], p), 7);
    assert_int_equal(mvm_exec_record_action(&log.records[9], p), 4);
    /* the same VM in the other direction is not in the plan */
    struct mvm_exec_record back = log.records[0];
    back.from = 2;
    back.to = 3;
    assert_int_equal(mvm_exec_record_action(&back, p), MVM_NONE);
    /* nor is another VM on the same route */
    struct mvm_exec_record other = log.records[0];
    other.vm = 6;
    assert_int_equal(mvm_exec_record_action(&other, p), MVM_NONE);
    mvm_plan_free(p);
    mvm_exec_log_clear(&log);
}

/* A fresh temporary directory for log files; remove_dir deletes it and its files. */
static void make_dir(char *dir, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, size, "%s/mvm-test-sim-XXXXXX", tmp != NULL ? tmp : "/tmp");
    assert_non_null(mkdtemp(dir));
}

/* Writes text to dir/name; the path goes into path. */
static void write_file(const char *dir, const char *name, const char *text, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

#define HEADER "ACTION;START;END;RUN\n"
#define GOOD "{action=migrate(vm=vm#7, from=node#3, to=node#2, bw=1000)};1436473952;1436473986;1\n"

/* Loading `text` fails with MVM_ERR_INVALID at this line, the message containing `what`. */
static void assert_log_error(const char *dir, const char *text, int line, const char *what)
{
    char path[1200];
    write_file(dir, "bad.csv", text, path, sizeof(path));
    struct mvm_exec_log log = {0};
    struct mvm_error err = {0};
    if (mvm_exec_log_load(path, &log, &err) != -1) {
        mvm_exec_log_clear(&log);
        fail_msg("accepted:\n%s", text);
    }
    assert_int_equal(err.code, MVM_ERR_INVALID);
    assert_string_equal(err.file, path);
    if (err.line != line)
        fail_msg("error at line %d, expected %d (%s) for:\n%s", err.line, line, err.message, text);
    if (strstr(err.message, what) == NULL)
        fail_msg("message '%s' lacks '%s'", err.message, what);
    assert_null(log.records);
    assert_int_equal(log.count, 0);
    assert_int_equal(unlink(path), 0);
}

static void test_log_malformed(void **state)
{
    (void)state;
    char dir[1024];
    make_dir(dir, sizeof(dir));
    const char *action = "expected an action like";
    const char *times = "expected START and END times";
    assert_log_error(dir, "ACTION;BEGIN;END\n" GOOD, 1, "expected the header");
    assert_log_error(dir, GOOD GOOD, 1, "expected the header");
    assert_log_error(dir, "ACTION;START;ENDING\n" GOOD, 1, "expected the header");
    /* a missing field */
    assert_log_error(
        dir, HEADER GOOD "{action=migrate(vm=vm#5, from=node#1, to=node#3, bw=500)};1436473952\n",
        3, "expected ACTION;START;END");
    assert_log_error(dir, HEADER GOOD "{action=migrate(vm=vm#5, from=node#1)}\n", 3,
                     "expected ACTION;START;END");
    /* END before START */
    assert_log_error(dir,
                     HEADER "{action=migrate(vm=vm#5, from=node#1, to=node#3, bw=500)};"
                            "1436474008;1436473952;1\n" GOOD,
                     2, "END >= START");
    /* an unknown key in the action, a malformed id, a malformed action */
    assert_log_error(
        dir, HEADER GOOD "{action=migrate(vm=vm#5, form=node#1, to=node#3, bw=500)};1;2;1\n", 3,
        action);
    assert_log_error(dir, HEADER "{action=migrate(vm=vm#x, from=node#1, to=node#3)};1;2\n", 2,
                     action);
    assert_log_error(dir, HEADER "{action=migrate(vm=vm#5 from=node#1)};1;2\n", 2, action);
    assert_log_error(dir, HEADER "{action=migrate(vm=vm#5, garbage)};1;2\n", 2, action);
    assert_log_error(dir, HEADER "migrate(vm=vm#5);1;2\n", 2, action);
    assert_log_error(dir, HEADER "{action=(vm=vm#5)};1;2\n", 2, action);
    assert_log_error(dir, HEADER "{action=migrate(vm=vm#5}};1;2\n", 2, action);
    /* no '(' in the action: one later in the line is not its argument list */
    assert_log_error(dir, HEADER "{action=migrate)};1;2;(\n", 2, action);
    /* garbage times */
    assert_log_error(dir, HEADER GOOD "{action=migrate(vm=vm#5)};14364739x2;1436474008;1\n", 3,
                     times);
    assert_log_error(dir, HEADER "{action=migrate(vm=vm#5)};1436473952;;1\n", 2, times);
    assert_log_error(dir, HEADER "{action=migrate(vm=vm#5)};1436473952;inf;1\n", 2, times);
    assert_log_error(dir, HEADER "{action=migrate(vm=vm#5)};nan;1436473952;1\n", 2, times);
    /* blank lines count: the bad line is line 4 */
    assert_log_error(dir, HEADER GOOD "\n{action=migrate(vm=vm#5)};2;1;1\n", 4, times);
    assert_log_error(dir, HEADER "\r\n\r\n{action=migrate(vm=vm#5)};2;1;1\r\n", 4, times);
    /* nothing to read */
    assert_log_error(dir, HEADER, 1, "no action");
    assert_log_error(dir, "", 0, "no action");
    assert_int_equal(rmdir(dir), 0);
}

/* What else the reader accepts: CRLF, blank lines, fractional times, other kinds. */
static void test_log_accepted_variants(void **state)
{
    (void)state;
    char dir[1024], path[1200];
    make_dir(dir, sizeof(dir));
    write_file(dir, "ok.csv",
               "ACTION;START;END\r\n"
               "{action=migrate(vm=vm#5, from=node#1, to=node#3)};100.25;130.5\r\n"
               "\r\n"
               "{action=boot(node=node#2)};99.5;150\r\n"
               "{action=shutdown(node=4)};150;150\r\n",
               path, sizeof(path));
    struct mvm_exec_log log = {0};
    struct mvm_error err = {0};
    if (mvm_exec_log_load(path, &log, &err) != 0)
        fail_msg("%s", err.message);
    assert_int_equal(log.count, 3);
    assert_string_equal(log.records[0].kind, "migrate");
    assert_int_equal(log.records[0].vm, 5);
    assert_int_equal(log.records[0].bw_mbps, -1);
    assert_true(log.records[0].start == 100.25);
    assert_true(log.records[0].end == 130.5);
    assert_string_equal(log.records[1].kind, "boot");
    assert_int_equal(log.records[1].node, 2);
    assert_int_equal(log.records[1].vm, -1);
    assert_string_equal(log.records[2].kind, "shutdown");
    assert_int_equal(log.records[2].node, 4);
    assert_true(log.origin == 99.5);

    /* node actions match the plan's bootNode and shutdownNode on the same node */
    struct mvm_plan *p =
        plan_from("'onlineNodes': {'1': {'runningVMs': [5]}, '3': {'runningVMs': "
                  "[]}, '4': {'runningVMs': []}}, 'offlineNodes': [2], "
                  "'readyVMs': []",
                  "", "'5': " CLEAN(1000), "",
                  NODE_ACTION("bootNode", 2, 0, 1) ", " MIGRATE(
                      5, 1, 3, 1000, 1, 9) ", " NODE_ACTION("shutdownNode", 4, 9, 10));
    assert_int_equal(mvm_exec_record_action(&log.records[0], p), 1);
    assert_int_equal(mvm_exec_record_action(&log.records[1], p), 0);
    assert_int_equal(mvm_exec_record_action(&log.records[2], p), 2);
    struct mvm_exec_record r = log.records[1];
    r.node = 4; /* no bootNode on node 4 */
    assert_int_equal(mvm_exec_record_action(&r, p), MVM_NONE);
    mvm_plan_free(p);
    mvm_exec_log_clear(&log);
    assert_int_equal(unlink(path), 0);

    /* a missing file is an I/O error */
    assert_int_equal(mvm_exec_log_load(path, &log, &err), -1);
    assert_int_equal(err.code, MVM_ERR_IO);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_and_engine_names),
        cmocka_unit_test(test_lone_two_phase_1000),
        cmocka_unit_test(test_lone_two_phase_500),
        cmocka_unit_test(test_lone_short_copy),
        cmocka_unit_test(test_lone_no_dirtying),
        cmocka_unit_test(test_share_source_link),
        cmocka_unit_test(test_share_with_cap),
        cmocka_unit_test(test_share_aggregation_link),
        cmocka_unit_test(test_share_blocking_switch),
        cmocka_unit_test(test_share_max_min),
        cmocka_unit_test(test_share_changes_the_copy),
        cmocka_unit_test(test_hot_vm_alone_converges),
        cmocka_unit_test(test_non_convergence_gives_up),
        cmocka_unit_test(test_stall_then_recover),
        cmocka_unit_test(test_hot_phase_bounded_by_hot_set),
        cmocka_unit_test(test_dependencies_not_clock),
        cmocka_unit_test(test_late_clock_terminates),
        cmocka_unit_test(test_unmanaged_network_is_refused),
        cmocka_unit_test(test_random4_plans_complete),
        cmocka_unit_test(test_scheduler_plan_simulates_to_prediction),
        cmocka_unit_test(test_accuracy_against_real_runs),
        cmocka_unit_test(test_vms_x18_completes),
        cmocka_unit_test(test_log_real_files),
        cmocka_unit_test(test_log_exact_record),
        cmocka_unit_test(test_log_malformed),
        cmocka_unit_test(test_log_accepted_variants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
