/*
 * mvm verify INSTANCE PLAN: runs the independent verifier and prints every
 * violation in time order (a table for people, JSON with --json). Exit 0 when the
 * plan is valid, 1 when it is not, 2 when an input is unreadable or holds
 * something this version cannot check (unless --allow-unsupported).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"
#include "mvm/io.h"
#include "mvm/verify.h"

static void help(void)
{
    printf("Usage: mvm verify INSTANCE PLAN [options]\n\n"
           "Replays PLAN over time against INSTANCE and reports every violation:\n"
           "actions inconsistent with the state they find, network elements and node\n"
           "resources over capacity, arrivals on nodes not booted, shutdowns of busy\n"
           "nodes, migrations shorter than the duration model or above their path's\n"
           "bandwidth, final-state constraints, Sync/Serialize/Precedence/Deadline.\n\n"
           "      --model M          duration model: precopy (default), nodp, postcopy\n"
           "      --tolerance S      allowed shortfall of a migration, seconds (default 1)\n"
           "      --start-time T     when the plan starts (wall-clock deadlines): an ISO\n"
           "                         8601 date-time, HH:MM:SS (next such time) or Unix\n"
           "                         seconds; default now\n"
           "      --platform FILE    take the network from a SimGrid platform (XML)\n"
           "                         instead of the network views of INSTANCE and PLAN\n"
           "      --allow-unsupported  check what can be checked when the inputs hold\n"
           "                         constraints or actions not supported yet (else exit 2)\n"
           "      --json             machine-readable report\n"
           "  -q, --quiet            print nothing; the exit status tells\n"
           "  -h, --help             this help\n\n"
           "Exit status: 0 valid, 1 invalid, 2 unreadable input or bad usage.\n");
}

static int compare_violations(const void *x, const void *y)
{
    const struct mvm_violation *a = x, *b = y;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return (int)a->kind - (int)b->kind;
}

static void print_json(const struct mvm_verify_report *r, size_t unsupported, bool valid)
{
    printf("{\"valid\":%s,\"violation_count\":%zu,\"unsupported\":%zu,\"violations\":[",
           valid ? "true" : "false", r->count - unsupported, unsupported);
    for (size_t i = 0; i < r->count; i++) {
        const struct mvm_violation *v = &r->items[i];
        printf("%s{\"kind\":\"%s\",\"time\":%" PRId64 ",", i ? "," : "",
               mvm_violation_kind_name(v->kind), v->time);
        if (v->action != MVM_NONE)
            printf("\"action\":%zu,", v->action);
        if (v->constraint != MVM_NONE)
            printf("\"constraint\":%zu,", v->constraint);
        printf("\"message\":");
        cli_json_string(stdout, v->message);
        printf("}");
    }
    printf("]}\n");
}

static void print_text(const struct mvm_verify_report *r, const struct mvm_plan *plan,
                       size_t unsupported, bool valid)
{
    printf("plan: %zu actions, makespan %" PRId64 " s\n", plan->action_count,
           mvm_plan_makespan(plan));
    for (size_t i = 0; i < r->count; i++) {
        const struct mvm_violation *v = &r->items[i];
        printf("  t=%6" PRId64 " s  %-13s  %s\n", v->time, mvm_violation_kind_name(v->kind),
               v->message);
    }
    if (valid)
        printf("VALID: no violation%s\n",
               unsupported ? " among what could be checked (see unsupported above)" : "");
    else
        printf("INVALID: %zu violation%s\n", r->count - unsupported,
               r->count - unsupported == 1 ? "" : "s");
}

int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {{"model", required_argument, NULL, 'm'},
                                         {"tolerance", required_argument, NULL, 't'},
                                         {"start-time", required_argument, NULL, 's'},
                                         {"allow-unsupported", no_argument, NULL, 'u'},
                                         {"platform", required_argument, NULL, 'X'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct mvm_verify_options vo;
    mvm_verify_options_init(&vo);
    bool json = false, quiet = false, allow = false;
    const char *platform = NULL;
    long long v;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (mvm_migration_model_parse(optarg, &vo.model) < 0)
                return cli_usage_error("verify", "--model: expected precopy, nodp or postcopy");
            break;
        case 't':
            if (!cli_parse_int(optarg, 0, 86400, &v))
                return cli_usage_error("verify", "--tolerance: expected seconds (0..86400)");
            vo.tolerance_s = v;
            break;
        case 's':
            if (!cli_parse_start_time(optarg, &vo.start_epoch))
                return cli_usage_error("verify", "--start-time: expected an ISO 8601 date-time, "
                                                 "HH:MM:SS or Unix seconds");
            break;
        case 'u':
            allow = true;
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
            return cli_usage_error("verify", "unknown option");
        }
    }
    if (optind + 2 != argc)
        return cli_usage_error("verify", "expected INSTANCE and PLAN");
    struct mvm_error err;
    mvm_error_clear(&err);
    struct mvm_instance *in = mvm_instance_load(argv[optind], &err);
    struct mvm_plan *plan = in ? mvm_plan_load(argv[optind + 1], &err) : NULL;
    struct mvm_verify_report report = {0};
    int rc = CLI_BAD_INPUT;
    if (plan != NULL && platform != NULL &&
        (cli_use_platform(platform, in->model, &err) < 0 ||
         cli_use_platform(platform, plan->origin, &err) < 0)) {
        rc = cli_report(&err);
        goto done;
    }
    if (plan == NULL || mvm_plan_verify(in, plan, &vo, &report, &err) < 0) {
        rc = cli_report(&err);
        if (rc == CLI_FAIL)
            rc = CLI_BAD_INPUT; /* the verifier's own failures are about its inputs */
        goto done;
    }
    if (report.count > 1) /* items is NULL when the report is empty */
        qsort(report.items, report.count, sizeof(*report.items), compare_violations);
    size_t unsupported = 0;
    for (size_t i = 0; i < report.count; i++)
        unsupported += report.items[i].kind == MVM_VIOLATION_UNSUPPORTED;
    bool valid = report.count == unsupported;
    if (json && !quiet)
        print_json(&report, unsupported, valid);
    else if (!quiet)
        print_text(&report, plan, unsupported, valid);
    if (unsupported > 0 && !allow) {
        fprintf(stderr,
                "mvm verify: %zu constraint(s) or action(s) are not supported yet, so the plan "
                "cannot be fully verified (--allow-unsupported checks the rest)\n",
                unsupported);
        rc = CLI_BAD_INPUT;
    } else
        rc = valid ? CLI_OK : CLI_FAIL;
done:
    mvm_verify_report_clear(&report);
    mvm_plan_free(plan);
    mvm_instance_free(in);
    return rc;
}
