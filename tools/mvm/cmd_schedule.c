/*
 * mvm schedule INSTANCE: computes the plan (start times and bandwidths of every
 * action) and writes it as BtrPlace JSON; prints the actions, the makespan and
 * the sum of end times with their lower bounds and gaps, and the solve time.
 * With --policy, a baseline (sequential, Memory Buddies, original BtrPlace)
 * schedules instead, and the summary says what its plan does not check.
 * Exit 0 with a plan, 1 when no plan exists (with the reason), 2 on bad input.
 */
#include <getopt.h>
#include <sys/resource.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "mvm/io.h"
#include "mvm/schedule.h"

static void help(void)
{
    printf("Usage: mvm schedule INSTANCE [-o PLAN] [options]\n\n"
           "Derives the actions the instance's constraints imply (migrations, node\n"
           "boots and shutdowns, VM state changes) and schedules them: every\n"
           "migration at its path's full bandwidth, never oversubscribing a link,\n"
           "a blocking switch or a node resource, boots before arrivals, shutdowns\n"
           "after departures, cycles broken by bypass migrations.\n\n"
           "  -o, --output PLAN      write the plan ('-' for standard output, the\n"
           "                         summary then goes to standard error)\n"
           "      --objective O      mttr (sum of end times), makespan or energy; default:\n"
           "                         the instance's objective (MinMTTR)\n"
           "      --start-time T     when the plan starts, for wall-clock deadlines: an ISO\n"
           "                         8601 date-time, HH:MM:SS or Unix seconds; default now\n"
           "      --time-limit S     search until S seconds or a provably optimal plan\n"
           "                         (default: an effort sized to the instance, at most 10 s)\n"
           "      --seed N           random seed of the search (default 1): same seed,\n"
           "                         same plan, unless a time limit cuts the search\n"
           "      --threads N        parallel searches (default 1)\n"
           "      --model M          duration model: precopy (default), nodp, postcopy\n"
           "      --platform FILE    take the network from a SimGrid platform (XML)\n"
           "                         instead of the instance's network view\n"
           "      --policy P         who schedules, to compare mvm with the baselines:\n"
           "                           mvm         this scheduler (default)\n"
           "                           sequential  one migration at a time\n"
           "                           mb:K        Memory Buddies: at most K migrations at\n"
           "                                       once, links not checked\n"
           "                           btrplace    original BtrPlace: as parallel as node\n"
           "                                       resources allow, links not checked,\n"
           "                                       durations memUsed / bandwidth (noDP)\n"
           "                         baselines run one pass, shortest action first; every\n"
           "                         migration has its path's maximum bandwidth; mvm verify\n"
           "                         reports what their plans oversubscribe or underestimate\n"
           "      --json             machine-readable summary (printed even with --quiet)\n"
           "  -q, --quiet            no progress and no human summary\n"
           "  -h, --help             this help\n\n"
           "Exit status: 0 plan found, 1 no plan exists (reason given), 2 bad input.\n");
}

struct progress {
    bool on;
    double last;
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void on_progress(void *data, size_t tried, int64_t makespan, int64_t sum)
{
    struct progress *pr = data;
    double t = now_s();
    if (!pr->on || t - pr->last < 0.1)
        return;
    pr->last = t;
    fprintf(stderr,
            "\rscheduling: %zu schedules, best makespan %" PRId64 " s, sum of ends %" PRId64
            " s   ",
            tried, makespan, sum);
}

/* Peak resident memory of this process so far, in MiB. */
static double peak_rss_mib(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? (double)ru.ru_maxrss / 1024.0 : 0.0;
}

static double gap_percent(int64_t value, int64_t bound)
{
    return bound > 0 ? 100.0 * (double)(value - bound) / (double)bound : 0.0;
}

/* The threads that ran: a baseline is one deterministic pass. */
static unsigned threads_run(const struct mvm_schedule_options *o)
{
    return o->policy == MVM_SCHEDULE_POLICY_MVM && o->threads > 1 ? o->threads : 1;
}

/* The policy as --policy takes it ("mb:2"). */
static const char *policy_text(const struct mvm_schedule_options *o, char *buf, size_t size)
{
    if (o->policy == MVM_SCHEDULE_POLICY_MB)
        snprintf(buf, size, "mb:%u", o->concurrency);
    else
        snprintf(buf, size, "%s", mvm_schedule_policy_name(o->policy));
    return buf;
}

/* What the policy does, and for a baseline what its plan does not check. */
static void print_policy(FILE *f, const struct mvm_schedule_options *o)
{
    char name[32];
    fprintf(f, "%-12s %s: ", "policy", policy_text(o, name, sizeof(name)));
    switch (o->policy) {
    case MVM_SCHEDULE_POLICY_MVM:
        fprintf(f, "network-aware, every migration at its path's maximum bandwidth");
        break;
    case MVM_SCHEDULE_POLICY_SEQUENTIAL:
        fprintf(f, "baseline, one migration at a time at its path's maximum bandwidth");
        break;
    case MVM_SCHEDULE_POLICY_MB:
        fprintf(f, "baseline (Memory Buddies), at most %u migration%s at once", o->concurrency,
                o->concurrency == 1 ? "" : "s");
        break;
    case MVM_SCHEDULE_POLICY_BTRPLACE:
        fprintf(f, "baseline (original BtrPlace), as parallel as node resources allow");
        break;
    }
    fprintf(f, "\n");
    if (o->policy != MVM_SCHEDULE_POLICY_MB && o->policy != MVM_SCHEDULE_POLICY_BTRPLACE)
        return;
    fprintf(f, "%-12s links: the plan may oversubscribe them\n", "not checked");
    if (o->policy == MVM_SCHEDULE_POLICY_BTRPLACE)
        fprintf(f, "%-12s durations: memUsed / bandwidth (noDP), shorter than the %s model's\n", "",
                mvm_migration_model_name(o->model));
    fprintf(f,
            "%-12s `mvm verify` reports each violation (none is a bandwidth too low to\n"
            "%-12s converge: each is its path's maximum); the lower bounds are valid plans'\n",
            "", "");
}

static void print_summary(FILE *f, const char *path, const char *out,
                          const struct mvm_schedule_stats *st, const struct mvm_schedule_options *o)
{
    fprintf(f, "%-12s %s\n", "instance", path);
    fprintf(f, "%-12s %zu migrations%s, %zu node actions, %zu VM actions\n", "actions",
            st->migrations, st->bypasses ? " (with bypasses)" : "", st->node_actions,
            st->vm_actions);
    if (st->bypasses)
        fprintf(f,
                "%-12s %zu bypass migration%s through nodes with room, to break dependency "
                "cycles\n",
                "bypasses", st->bypasses, st->bypasses == 1 ? "" : "s");
    print_policy(f, o);
    fprintf(f, "%-12s %s\n", "objective",
            st->objective == MVM_SCHEDULE_MAKESPAN ? "makespan"
            : st->objective == MVM_SCHEDULE_ENERGY ? "energy"
                                                   : "mttr (sum of end times)");
    fprintf(f, "%-12s %8" PRId64 " s   lower bound %8" PRId64 " s   gap %5.1f %%\n", "makespan",
            st->makespan, st->makespan_bound, gap_percent(st->makespan, st->makespan_bound));
    fprintf(f, "%-12s %8" PRId64 " s   lower bound %8" PRId64 " s   gap %5.1f %%\n", "sum of ends",
            st->sum_of_ends, st->sum_of_ends_bound,
            gap_percent(st->sum_of_ends, st->sum_of_ends_bound));
    fprintf(f, "%-12s %8.0f J   (%.3f kWh; peak power %.0f W)\n", "energy", st->energy_j,
            st->energy_j / 3.6e6, st->peak_w);
    fprintf(f,
            "%-12s %.3f s (%zu schedules, seed %" PRIu64 ", %u thread%s), peak memory %.0f MiB\n",
            "solve time", st->solve_time_s, st->schedules_tried, o->seed, threads_run(o),
            threads_run(o) > 1 ? "s" : "", peak_rss_mib());
    if (out != NULL)
        fprintf(f, "%-12s written to %s\n", "plan",
                strcmp(out, "-") == 0 ? "standard output" : out);
}

static void print_json(FILE *f, const char *out, const struct mvm_schedule_stats *st,
                       const struct mvm_schedule_options *o)
{
    char name[32];
    fprintf(f, "{\"policy\":\"%s\",", policy_text(o, name, sizeof(name)));
    fprintf(f,
            "\"objective\":\"%s\",\"migrations\":%zu,\"bypasses\":%zu,\"node_actions\":%zu,"
            "\"vm_actions\":%zu,\"makespan_s\":%" PRId64 ",\"makespan_bound_s\":%" PRId64
            ",\"sum_of_ends_s\":%" PRId64 ",\"sum_of_ends_bound_s\":%" PRId64
            ",\"makespan_gap\":%.6f,\"sum_of_ends_gap\":%.6f,\"schedules\":%zu,\"seed\":%" PRIu64
            ",\"threads\":%u,\"solve_time_s\":%.6f,\"peak_rss_mib\":%.1f,\"energy_j\":%.1f,"
            "\"peak_w\":%.1f,\"plan\":",
            mvm_schedule_objective_name(st->objective), st->migrations, st->bypasses,
            st->node_actions, st->vm_actions, st->makespan, st->makespan_bound, st->sum_of_ends,
            st->sum_of_ends_bound, gap_percent(st->makespan, st->makespan_bound) / 100.0,
            gap_percent(st->sum_of_ends, st->sum_of_ends_bound) / 100.0, st->schedules_tried,
            o->seed, threads_run(o), st->solve_time_s, peak_rss_mib(), st->energy_j, st->peak_w);
    if (out != NULL)
        cli_json_string(f, out);
    else
        fprintf(f, "null");
    fprintf(f, "}\n");
}

int cmd_schedule(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"objective", required_argument, NULL, 'O'},
                                         {"time-limit", required_argument, NULL, 't'},
                                         {"seed", required_argument, NULL, 's'},
                                         {"threads", required_argument, NULL, 'T'},
                                         {"model", required_argument, NULL, 'm'},
                                         {"start-time", required_argument, NULL, 'S'},
                                         {"policy", required_argument, NULL, 'P'},
                                         {"platform", required_argument, NULL, 'X'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct mvm_schedule_options o;
    mvm_schedule_options_init(&o);
    const char *out = NULL, *platform = NULL;
    bool json = false, quiet = false;
    long long v;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'O':
            if (mvm_schedule_objective_parse(optarg, &o.objective) < 0)
                return cli_usage_error("schedule",
                                       "--objective: expected mttr, makespan or energy");
            break;
        case 't': {
            char *end;
            double limit = strtod(optarg, &end);
            if (*optarg == '\0' || *end != '\0' || !(limit > 0 && limit <= 1e6))
                return cli_usage_error("schedule", "--time-limit: expected seconds > 0");
            o.time_limit_s = limit;
            o.max_passes = SIZE_MAX;
            break;
        }
        case 's':
            if (!cli_parse_int(optarg, 0, INT64_MAX, &v))
                return cli_usage_error("schedule", "--seed: expected a non-negative integer");
            o.seed = (uint64_t)v;
            break;
        case 'T':
            if (!cli_parse_int(optarg, 1, 256, &v))
                return cli_usage_error("schedule", "--threads: expected 1..256");
            o.threads = (unsigned)v;
            break;
        case 'm':
            if (mvm_migration_model_parse(optarg, &o.model) < 0)
                return cli_usage_error("schedule", "--model: expected precopy, nodp or postcopy");
            break;
        case 'S':
            if (!cli_parse_start_time(optarg, &o.start_epoch))
                return cli_usage_error("schedule", "--start-time: expected an ISO 8601 date-time, "
                                                   "HH:MM:SS or Unix seconds");
            break;
        case 'P':
            if (mvm_schedule_policy_parse(optarg, &o.policy, &o.concurrency) < 0)
                return cli_usage_error("schedule",
                                       "--policy: expected mvm, sequential, mb:K (K >= 1) or "
                                       "btrplace, got '%s'",
                                       optarg);
            break;
        case 'X':
            platform = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            help();
            return CLI_OK;
        default:
            return cli_usage_error("schedule", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("schedule", "expected one INSTANCE");
    const char *path = argv[optind];
    struct progress pr = {.on = !quiet && isatty(STDERR_FILENO), .last = 0};
    o.progress = on_progress;
    o.progress_data = &pr;
    struct mvm_error err;
    mvm_error_clear(&err);
    struct mvm_instance *in = mvm_instance_load(path, &err);
    if (in == NULL || (platform != NULL && cli_use_platform(platform, in->model, &err) < 0)) {
        mvm_instance_free(in);
        return cli_report(&err);
    }
    struct mvm_schedule_stats st;
    struct mvm_plan *plan = mvm_schedule(in, &o, &st, &err);
    if (pr.on && pr.last > 0)
        fprintf(stderr, "\r%70s\r", "");
    int rc = CLI_OK;
    if (plan == NULL) {
        rc = err.code == MVM_ERR_INFEASIBLE ? CLI_FAIL : CLI_BAD_INPUT;
        char buf[2048];
        fprintf(stderr, "mvm schedule: %s%s\n", rc == CLI_FAIL ? "no solution: " : "",
                mvm_error_format(&err, buf, sizeof(buf)));
    } else if (out != NULL && mvm_plan_save(plan, out, MVM_JSON_COMPACT, &err) < 0) {
        rc = cli_report(&err);
    } else if (json || !quiet) {
        FILE *f = out != NULL && strcmp(out, "-") == 0 ? stderr : stdout;
        if (json)
            print_json(f, out, &st, &o);
        else
            print_summary(f, path, out, &st, &o);
    }
    mvm_plan_free(plan);
    mvm_instance_free(in);
    return rc;
}
