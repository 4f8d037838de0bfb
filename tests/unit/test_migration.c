/*
 * The live-migration duration model's specification (REFERENCE section 3): exact
 * durations computed by hand for both branches of the pre-copy model, noDP and
 * post-copy, the rounding rule, the convergence threshold (exactly at it fails,
 * just above succeeds), how VM attributes are read (current and older names,
 * defaults, errors), and a check against the real KVM executions of the random4
 * plans: the model must stay as close to reality as published.
 */
#include "testutil.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvm/io.h"
#include "mvm/migration.h"

/* Fails unless |actual - expected| <= tolerance (cmocka 1.1.5 only compares floats). */
#define assert_near(actual, expected, tolerance)                                                   \
    assert_near_at((actual), (expected), (tolerance), __FILE__, __LINE__)

static void assert_near_at(double actual, double expected, double tolerance, const char *file,
                           int line)
{
    if (!(fabs(actual - expected) <= tolerance))
        fail_msg("%s:%d: got %.12f, expected %.12f (tolerance %g)", file, line, actual, expected,
                 tolerance);
}

/* Memory of the random4 VMs: hot 96 MiB every 2 s, cold 2 MiB/s. */
static struct mvm_vm_memory random4_vm(double mem_used_mib)
{
    return (struct mvm_vm_memory){.mem_used_mib = mem_used_mib,
                                  .hot_size_mib = 96.0,
                                  .hot_duration_s = 2.0,
                                  .cold_rate_mibps = 2.0};
}

static double exact(const struct mvm_vm_memory *mem, double bw_mbps, enum mvm_migration_model model)
{
    struct mvm_error err = {0};
    double d = -1.0;
    assert_int_equal(mvm_migration_time(mem, bw_mbps, model, &d, &err), 0);
    assert_int_equal(err.code, MVM_OK);
    return d;
}

static int64_t rounded(const struct mvm_vm_memory *mem, double bw_mbps,
                       enum mvm_migration_model model)
{
    struct mvm_error err = {0};
    int64_t d = -1;
    assert_int_equal(mvm_migration_duration(mem, bw_mbps, model, &d, &err), 0);
    return d;
}

/*
 * memUsed 2000 MiB at 1000 Mbit/s: B = 125 MiB/s, dmin = 2000 / 125 = 16 s > hd = 2.
 * hr = 96 / 2 = 48 MiB/s, cr = 2 MiB/s.
 *   dcold = (96 + (16 - 2) * 2) / (125 - 2) = 124 / 123     = 1.0081300813
 *   dhot  = (96 / 125) * (48 / (125 - 48)) = 0.768 * 48 / 77 = 0.4787532468
 *   d     = 16 + 1.0081300813 + 0.4787532468               = 17.4868833281 -> 17 s
 */
static void test_precopy_two_phases(void **state)
{
    (void)state;
    struct mvm_vm_memory mem = random4_vm(2000.0);
    double d = exact(&mem, 1000.0, MVM_MIGRATION_PRECOPY);
    assert_near(d, 16.0 + 124.0 / 123.0 + 0.768 * 48.0 / 77.0, 1e-12);
    assert_near(d, 17.4868833281, 1e-9);
    assert_int_equal(rounded(&mem, 1000.0, MVM_MIGRATION_PRECOPY), 17);

    /* memUsed 3000 at 1000: dmin = 24, dcold = (96 + 22 * 2) / 123 = 140 / 123,
     * dhot as above: d = 24 + 1.1382113821 + 0.4787532468 = 25.6169646289 -> 26 */
    mem = random4_vm(3000.0);
    assert_near(exact(&mem, 1000.0, MVM_MIGRATION_PRECOPY), 25.6169646289, 1e-9);
    assert_int_equal(rounded(&mem, 1000.0, MVM_MIGRATION_PRECOPY), 26);

    /* a cold rate above the hot one: cr = 50 MiB/s at 1000 Mbit/s, memUsed 2000:
     * dcold = (96 + 14 * 50) / (125 - 50) = 796 / 75 = 10.6133333333,
     * d = 16 + 10.6133333333 + 0.4787532468 = 27.0920865801 -> 27 */
    mem.mem_used_mib = 2000.0;
    mem.cold_rate_mibps = 50.0;
    assert_near(exact(&mem, 1000.0, MVM_MIGRATION_PRECOPY), 27.0920865801, 1e-9);
    assert_int_equal(rounded(&mem, 1000.0, MVM_MIGRATION_PRECOPY), 27);
}

/*
 * VM 6 of random4/instance.1.json (memUsed 3000, hot 96 / 2, cold 2) at 500 Mbit/s:
 * B = 62.5, dmin = 48, dcold = (96 + 46 * 2) / 60.5 = 188 / 60.5 = 3.1074380165,
 * dhot = (96 / 62.5) * (48 / 14.5) = 1.536 * 3.3103448276 = 5.0846896552,
 * d = 56.1921276717 -> 56 s. The real execution (executions/run1/micro_random.1.csv)
 * took 1436474008 - 1436473952 = 56 s. The same VM with memUsed 2000 at 500:
 * dmin = 32, dcold = (96 + 30 * 2) / 60.5 = 2.5785123967, d = 39.6632020519 -> 40.
 */
static void test_precopy_random4_vm6(void **state)
{
    (void)state;
    struct mvm_vm_memory mem = random4_vm(3000.0);
    assert_near(exact(&mem, 500.0, MVM_MIGRATION_PRECOPY), 56.1921276717, 1e-9);
    assert_int_equal(rounded(&mem, 500.0, MVM_MIGRATION_PRECOPY), 56);
    mem = random4_vm(2000.0);
    assert_near(exact(&mem, 500.0, MVM_MIGRATION_PRECOPY), 39.6632020519, 1e-9);
    assert_int_equal(rounded(&mem, 500.0, MVM_MIGRATION_PRECOPY), 40);
}

/*
 * The first copy ends before the hot pages are all dirty (dmin <= hd):
 * d = dmin + hr * dmin / (B - hr).
 *   memUsed 100, hot 96 / 2 at 1000 Mbit/s: dmin = 0.8, d = 0.8 + 48 * 0.8 / 77
 *   = 0.8 + 0.4987012987 = 1.2987012987 -> 1.
 *   memUsed 200, defaults (hot 5 / 2, cold 0) at 1000: dmin = 1.6,
 *   d = 1.6 + 2.5 * 1.6 / 122.5 = 1.6326530612 -> 2.
 *   memUsed 250 at 1000 (dmin = hd = 2, still this branch): d = 2 + 48 * 2 / 77
 *   = 3.2467532468 -> 3.
 */
static void test_precopy_short_first_copy(void **state)
{
    (void)state;
    struct mvm_vm_memory mem = random4_vm(100.0);
    assert_near(exact(&mem, 1000.0, MVM_MIGRATION_PRECOPY), 1.2987012987, 1e-9);
    assert_int_equal(rounded(&mem, 1000.0, MVM_MIGRATION_PRECOPY), 1);
    mem = random4_vm(250.0);
    assert_near(exact(&mem, 1000.0, MVM_MIGRATION_PRECOPY), 2.0 + 96.0 / 77.0, 1e-12);
    assert_int_equal(rounded(&mem, 1000.0, MVM_MIGRATION_PRECOPY), 3);
    mem = (struct mvm_vm_memory){.mem_used_mib = 200.0,
                                 .hot_size_mib = MVM_DEFAULT_HOT_DIRTY_SIZE_MIB,
                                 .hot_duration_s = MVM_DEFAULT_HOT_DIRTY_DURATION_S,
                                 .cold_rate_mibps = MVM_DEFAULT_COLD_DIRTY_RATE_MIBPS};
    assert_near(exact(&mem, 1000.0, MVM_MIGRATION_PRECOPY), 1.6326530612, 1e-9);
    assert_int_equal(rounded(&mem, 1000.0, MVM_MIGRATION_PRECOPY), 2);
}

/* No dirty pages at all: d = dmin exactly (1000 MiB at 1000 Mbit/s: 8 s). */
static void test_precopy_clean_memory(void **state)
{
    (void)state;
    struct mvm_vm_memory mem = {.mem_used_mib = 1000.0, .hot_duration_s = 2.0};
    assert_near(exact(&mem, 1000.0, MVM_MIGRATION_PRECOPY), 8.0, 0.0);
    assert_true(mvm_migration_converges(&mem, 0.001));
    assert_near(mvm_migration_min_bandwidth(&mem), 0.0, 0.0);
}

/*
 * noDP: d = mu / B (2000 MiB at 1000 Mbit/s: 16 s; at 500: 32 s), whatever the
 * dirty pages, so it "converges" even below the pre-copy threshold (3000 at
 * 100 Mbit/s: 3000 / 12.5 = 240 s). Post-copy: mu / B + 0.030 s.
 */
static void test_nodp_and_postcopy(void **state)
{
    (void)state;
    struct mvm_vm_memory mem = random4_vm(2000.0);
    assert_near(exact(&mem, 1000.0, MVM_MIGRATION_NODP), 16.0, 0.0);
    assert_near(exact(&mem, 500.0, MVM_MIGRATION_NODP), 32.0, 0.0);
    assert_int_equal(rounded(&mem, 500.0, MVM_MIGRATION_NODP), 32);
    assert_near(exact(&mem, 1000.0, MVM_MIGRATION_POSTCOPY), 16.030, 1e-12);
    assert_int_equal(rounded(&mem, 1000.0, MVM_MIGRATION_POSTCOPY), 16);
    mem = random4_vm(3000.0);
    assert_near(exact(&mem, 100.0, MVM_MIGRATION_NODP), 240.0, 0.0);
    assert_near(exact(&mem, 100.0, MVM_MIGRATION_POSTCOPY), 240.030, 1e-12);
}

/*
 * duration = max(1, round(d)), halves rounded away from zero (noDP makes d exact):
 * 10 MiB at 1000 Mbit/s = 0.08 s -> 1; 312.5 MiB = 2.5 s -> 3; 300 MiB = 2.4 s -> 2;
 * 2000 MiB at 1000 post-copy = 16.03 -> 16; 0.0625 MiB (d = 0.0005) -> 1.
 */
static void test_rounding(void **state)
{
    (void)state;
    struct mvm_vm_memory mem = {.mem_used_mib = 10.0, .hot_duration_s = 2.0};
    assert_int_equal(rounded(&mem, 1000.0, MVM_MIGRATION_NODP), 1);
    mem.mem_used_mib = 312.5;
    assert_int_equal(rounded(&mem, 1000.0, MVM_MIGRATION_NODP), 3);
    mem.mem_used_mib = 300.0;
    assert_int_equal(rounded(&mem, 1000.0, MVM_MIGRATION_NODP), 2);
    mem.mem_used_mib = 0.0625;
    assert_int_equal(rounded(&mem, 1000.0, MVM_MIGRATION_NODP), 1);
    mem.mem_used_mib = 0.0;
    assert_int_equal(rounded(&mem, 1000.0, MVM_MIGRATION_PRECOPY), 1);
}

static void assert_infeasible(const struct mvm_vm_memory *mem, double bw_mbps,
                              enum mvm_migration_model model)
{
    struct mvm_error err = {0};
    double d = -1.0;
    int64_t r = -1;
    assert_int_equal(mvm_migration_time(mem, bw_mbps, model, &d, &err), -1);
    assert_int_equal(err.code, MVM_ERR_INFEASIBLE);
    assert_near(d, -1.0, 0.0); /* untouched */
    mvm_error_clear(&err);
    assert_int_equal(mvm_migration_duration(mem, bw_mbps, model, &r, &err), -1);
    assert_int_equal(err.code, MVM_ERR_INFEASIBLE);
    assert_int_equal(r, -1);
}

/*
 * Pre-copy converges only when B is above both rates: the threshold is
 * 8 * max(hr, cr) Mbit/s. Hot 96 MiB / 2 s: hr = 48 MiB/s -> 384 Mbit/s. At
 * exactly 384 it fails (B - hr = 0), at 384.001 it succeeds with a huge duration
 * (dhot = (96 / 48.000125) * (48 / 0.000125) = 767998 s). With cr = 60 MiB/s the
 * cold rate sets it: 480 Mbit/s.
 */
static void test_convergence_threshold(void **state)
{
    (void)state;
    struct mvm_vm_memory mem = random4_vm(2000.0);
    assert_near(mvm_migration_min_bandwidth(&mem), 384.0, 0.0);
    assert_false(mvm_migration_converges(&mem, 384.0));
    assert_false(mvm_migration_converges(&mem, 100.0));
    assert_true(mvm_migration_converges(&mem, 384.001));
    assert_infeasible(&mem, 384.0, MVM_MIGRATION_PRECOPY);
    assert_infeasible(&mem, 383.0, MVM_MIGRATION_PRECOPY);
    assert_infeasible(&mem, 1.0, MVM_MIGRATION_PRECOPY);
    double d = exact(&mem, 384.001, MVM_MIGRATION_PRECOPY);
    assert_true(d > 767000.0 && d < 769000.0);

    struct mvm_error err = {0};
    assert_int_equal(mvm_migration_time(&mem, 384.0, MVM_MIGRATION_PRECOPY, &d, &err), -1);
    assert_non_null(strstr(err.message, "never converges at 384 Mbit/s"));
    assert_non_null(strstr(err.message, "more than 384 Mbit/s"));

    mem.cold_rate_mibps = 60.0;
    assert_near(mvm_migration_min_bandwidth(&mem), 480.0, 0.0);
    assert_infeasible(&mem, 480.0, MVM_MIGRATION_PRECOPY);
    assert_infeasible(&mem, 400.0, MVM_MIGRATION_PRECOPY);
    assert_true(mvm_migration_converges(&mem, 480.5));

    /* no bandwidth at all is infeasible under every model */
    assert_infeasible(&mem, 0.0, MVM_MIGRATION_PRECOPY);
    assert_infeasible(&mem, 0.0, MVM_MIGRATION_NODP);
    assert_infeasible(&mem, -10.0, MVM_MIGRATION_POSTCOPY);
    assert_false(mvm_migration_converges(&mem, 0.0));
}

static void read_memory(const struct mvm_attrs *attrs, struct mvm_vm_memory *mem)
{
    struct mvm_error err = {0};
    assert_int_equal(mvm_vm_memory_from_attrs(attrs, mem, &err), 0);
    assert_int_equal(err.code, MVM_OK);
}

static void test_attributes_current_names(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_attrs a = {0};
    assert_int_equal(mvm_attrs_set_int(&a, "memUsed", 2000, &err), 0);
    assert_int_equal(mvm_attrs_set_int(&a, "hotDirtySize", 96, &err), 0);
    assert_int_equal(mvm_attrs_set_double(&a, "hotDirtyDuration", 2.5, &err), 0);
    assert_int_equal(mvm_attrs_set_double(&a, "coldDirtyRate", 2.0, &err), 0);
    struct mvm_vm_memory mem;
    read_memory(&a, &mem);
    assert_near(mem.mem_used_mib, 2000.0, 0.0);
    assert_near(mem.hot_size_mib, 96.0, 0.0);
    assert_near(mem.hot_duration_s, 2.5, 0.0);
    assert_near(mem.cold_rate_mibps, 2.0, 0.0);

    /* the current name wins over the older one when a file has both */
    assert_int_equal(mvm_attrs_set_int(&a, "maxDirtySize", 1, &err), 0);
    assert_int_equal(mvm_attrs_set_int(&a, "maxDirtyDuration", 9, &err), 0);
    assert_int_equal(mvm_attrs_set_int(&a, "dirtyRate", 7, &err), 0);
    read_memory(&a, &mem);
    assert_near(mem.hot_size_mib, 96.0, 0.0);
    assert_near(mem.hot_duration_s, 2.5, 0.0);
    assert_near(mem.cold_rate_mibps, 2.0, 0.0);
    mvm_attrs_clear(&a);
}

static void test_attributes_older_names_and_defaults(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_attrs a = {0};
    struct mvm_vm_memory mem;
    /* memUsed alone: the defaults of REFERENCE section 2 (5 MiB, 2 s, 0 MiB/s) */
    assert_int_equal(mvm_attrs_set_double(&a, "memUsed", 512.5, &err), 0);
    read_memory(&a, &mem);
    assert_near(mem.mem_used_mib, 512.5, 0.0);
    assert_near(mem.hot_size_mib, 5.0, 0.0);
    assert_near(mem.hot_duration_s, 2.0, 0.0);
    assert_near(mem.cold_rate_mibps, 0.0, 0.0);

    /* the names of the random4 files */
    assert_int_equal(mvm_attrs_set_int(&a, "maxDirtySize", 96, &err), 0);
    assert_int_equal(mvm_attrs_set_int(&a, "maxDirtyDuration", 3, &err), 0);
    assert_int_equal(mvm_attrs_set_double(&a, "dirtyRate", 2.0, &err), 0);
    read_memory(&a, &mem);
    assert_near(mem.hot_size_mib, 96.0, 0.0);
    assert_near(mem.hot_duration_s, 3.0, 0.0);
    assert_near(mem.cold_rate_mibps, 2.0, 0.0);
    mvm_attrs_clear(&a);
}

static void assert_memory_error(const struct mvm_attrs *a, const char *substring)
{
    struct mvm_error err = {0};
    struct mvm_vm_memory mem;
    assert_int_equal(mvm_vm_memory_from_attrs(a, &mem, &err), -1);
    assert_int_equal(err.code, MVM_ERR_INVALID);
    if (strstr(err.message, substring) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err.message, substring);
}

static void test_attributes_errors(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_attrs a = {0};
    assert_memory_error(&a, "memUsed (MiB) is required");
    assert_int_equal(mvm_attrs_set_int(&a, "hotDirtySize", 96, &err), 0);
    assert_memory_error(&a, "memUsed (MiB) is required");

    assert_int_equal(mvm_attrs_set_int(&a, "memUsed", -1, &err), 0);
    assert_memory_error(&a, "attribute memUsed: expected a non-negative number, got -1");
    assert_int_equal(mvm_attrs_set_string(&a, "memUsed", "2 GiB", &err), 0);
    assert_memory_error(&a, "attribute memUsed: expected a number");
    assert_int_equal(mvm_attrs_set_int(&a, "memUsed", 2000, &err), 0);

    /* the message names the attribute actually read, older names included */
    mvm_attrs_clear(&a);
    assert_int_equal(mvm_attrs_set_int(&a, "memUsed", 2000, &err), 0);
    assert_int_equal(mvm_attrs_set_double(&a, "dirtyRate", -0.5, &err), 0);
    assert_memory_error(&a, "attribute dirtyRate: expected a non-negative number, got -0.5");
    assert_int_equal(mvm_attrs_set_double(&a, "dirtyRate", 0.5, &err), 0);
    assert_int_equal(mvm_attrs_set_int(&a, "maxDirtySize", -96, &err), 0);
    assert_memory_error(&a, "attribute maxDirtySize: expected a non-negative number, got -96");
    assert_int_equal(mvm_attrs_set_bool(&a, "maxDirtySize", true, &err), 0);
    assert_memory_error(&a, "attribute maxDirtySize: expected a number");
    assert_int_equal(mvm_attrs_set_int(&a, "maxDirtySize", 96, &err), 0);
    assert_int_equal(mvm_attrs_set_int(&a, "hotDirtyDuration", 0, &err), 0);
    assert_memory_error(&a, "hotDirtyDuration: must be positive");
    mvm_attrs_clear(&a);
}

static void test_model_names(void **state)
{
    (void)state;
    enum mvm_migration_model m = MVM_MIGRATION_NODP;
    assert_int_equal(mvm_migration_model_parse("precopy", &m), 0);
    assert_int_equal(m, MVM_MIGRATION_PRECOPY);
    assert_int_equal(mvm_migration_model_parse("nodp", &m), 0);
    assert_int_equal(m, MVM_MIGRATION_NODP);
    assert_int_equal(mvm_migration_model_parse("postcopy", &m), 0);
    assert_int_equal(m, MVM_MIGRATION_POSTCOPY);
    m = MVM_MIGRATION_NODP;
    assert_int_equal(mvm_migration_model_parse("noDP", &m), -1);
    assert_int_equal(mvm_migration_model_parse("", &m), -1);
    assert_int_equal(mvm_migration_model_parse("pre-copy", &m), -1);
    assert_int_equal(m, MVM_MIGRATION_NODP);
    for (int k = MVM_MIGRATION_PRECOPY; k <= MVM_MIGRATION_POSTCOPY; k++) {
        enum mvm_migration_model back;
        assert_int_equal(
            mvm_migration_model_parse(mvm_migration_model_name((enum mvm_migration_model)k), &back),
            0);
        assert_int_equal(back, k);
    }
}

static struct mvm_vm_memory vm_memory(const struct mvm_model *m, int32_t vm_id)
{
    size_t v = mvm_model_vm_index(m, vm_id);
    assert_int_not_equal(v, MVM_NONE);
    struct mvm_vm_memory mem;
    read_memory(&m->vms[v].attrs, &mem);
    return mem;
}

/*
 * mVM's published plans (random4/mvm-plan.N.json) were computed with bw/9 and
 * truncations, so every action lasts at least the model's duration: at least 3 s
 * more, in fact. Plan 1 in full: VMs 2 and 3 (2000 MiB at 1000) 17 s, VM 7 (3000
 * at 1000) 26 s, VMs 0, 1, 4 (2000 at 500) 40 s, VMs 5, 6, 8, 9 (3000 at 500) 56 s.
 */
static void test_random4_plans_last_at_least_the_model(void **state)
{
    (void)state;
    static const struct {
        int32_t vm;
        int64_t duration;
    } plan1[] = {{2, 17}, {6, 56}, {0, 40}, {1, 40}, {4, 40},
                 {8, 56}, {5, 56}, {7, 26}, {3, 17}, {9, 56}};
    for (int n = 1; n <= 10; n++) {
        char rel[64];
        snprintf(rel, sizeof(rel), "instances/random4/mvm-plan.%d.json", n);
        struct mvm_error err = {0};
        struct mvm_plan *plan = mvm_plan_load(DATA(rel), &err);
        assert_non_null(plan);
        assert_int_equal(plan->action_count, 10);
        for (size_t i = 0; i < plan->action_count; i++) {
            const struct mvm_action *a = &plan->actions[i];
            assert_int_equal(a->kind, MVM_ACTION_MIGRATE_VM);
            struct mvm_vm_memory mem = vm_memory(plan->origin, plan->origin->vms[a->vm].id);
            int64_t d = rounded(&mem, (double)a->bw_mbps, MVM_MIGRATION_PRECOPY);
            assert_true(a->end - a->start >= d + 3);
            if (n == 1) {
                assert_int_equal(plan->origin->vms[a->vm].id, plan1[i].vm);
                assert_int_equal(d, plan1[i].duration);
            }
        }
        mvm_plan_free(plan);
    }
}

/*
 * The 200 real migrations of executions/run{1,2}/micro_random.N.csv (ACTION;START;
 * END;RUN, Unix seconds) against the exact model duration at the plan's bandwidth:
 * mean relative deviation |model - real| / real = 6.00% (published for this model
 * on 2,000 migrations: 6.47%). Pinned to a tenth of a percent so a change to the
 * model that degrades accuracy shows up here.
 */
static void test_real_executions(void **state)
{
    (void)state;
    double sum = 0.0;
    size_t count = 0;
    for (int run = 1; run <= 2; run++)
        for (int n = 1; n <= 10; n++) {
            char rel[96];
            snprintf(rel, sizeof(rel), "instances/random4/instance.%d.json", n);
            struct mvm_error err = {0};
            struct mvm_instance *in = mvm_instance_load(DATA(rel), &err);
            assert_non_null(in);
            snprintf(rel, sizeof(rel), "instances/random4/executions/run%d/micro_random.%d.csv",
                     run, n);
            FILE *f = fopen(DATA(rel), "r");
            assert_non_null(f);
            char line[256];
            size_t lines = 0;
            assert_non_null(fgets(line, sizeof(line), f)); /* header */
            while (fgets(line, sizeof(line), f) != NULL) {
                int vm, from, to, bw;
                int64_t start, end;
                if (sscanf(line,
                           "{action=migrate(vm=vm#%d, from=node#%d, to=node#%d, bw=%d)};%" SCNd64
                           ";%" SCNd64,
                           &vm, &from, &to, &bw, &start, &end) != 6)
                    fail_msg("%s: cannot read \"%s\"", rel, line);
                struct mvm_vm_memory mem = vm_memory(in->model, vm);
                double d = exact(&mem, (double)bw, MVM_MIGRATION_PRECOPY);
                double real = (double)(end - start);
                sum += fabs(d - real) / real;
                count++;
                lines++;
            }
            fclose(f);
            assert_int_equal(lines, 10);
            mvm_instance_free(in);
        }
    assert_int_equal(count, 200);
    double mean = sum / (double)count;
    assert_true(mean > 0.0595 && mean < 0.0605);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precopy_two_phases),
        cmocka_unit_test(test_precopy_random4_vm6),
        cmocka_unit_test(test_precopy_short_first_copy),
        cmocka_unit_test(test_precopy_clean_memory),
        cmocka_unit_test(test_nodp_and_postcopy),
        cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_convergence_threshold),
        cmocka_unit_test(test_attributes_current_names),
        cmocka_unit_test(test_attributes_older_names_and_defaults),
        cmocka_unit_test(test_attributes_errors),
        cmocka_unit_test(test_model_names),
        cmocka_unit_test(test_random4_plans_last_at_least_the_model),
        cmocka_unit_test(test_real_executions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
