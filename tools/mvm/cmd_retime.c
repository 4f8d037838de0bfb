/*
 * mvm retime PLAN: replays a plan by its dependency graph (REFERENCE section 9)
 * with our duration model: every action keeps its dependencies (and each
 * migration its bandwidth) and starts as soon as its predecessors end. It is how
 * plans computed elsewhere (mVM's own durations used bandwidth/9) are compared
 * with ours on equal terms. Prints makespans and sums of ends before and after;
 * writes the re-timed plan with -o. Exit 1 when a migration never converges.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"
#include "mvm/exec.h"
#include "mvm/io.h"

static void help(void)
{
    printf("Usage: mvm retime PLAN [--instance INSTANCE] [--model M] [--platform FILE]\n"
           "                  [-o OUT] [--json]\n\n"
           "Re-times PLAN: durations from the model (each migration at its own\n"
           "bandwidth; node and VM actions from their attributes), and every action\n"
           "starting as soon as the actions it waits for have ended: those ending\n"
           "before its planned start on a node or network element it shares.\n\n"
           "      --instance I  take the network and missing attributes from instance I\n"
           "                    when the plan's origin lacks them\n"
           "      --model M     duration model: precopy (default), nodp, postcopy\n"
           "      --platform FILE  take the network from a SimGrid platform (XML)\n"
           "                    instead of the network views of PLAN and INSTANCE\n"
           "  -o, --output OUT  write the re-timed plan ('-' for standard output); the\n"
           "                    file is written whole or not at all (.gz: compressed)\n"
           "      --pretty      indent the written plan\n"
           "      --json        machine-readable summary\n"
           "  -h, --help        this help\n\n"
           "Exit status: 0 ok, 1 a migration never converges at its bandwidth,\n"
           "2 bad input or usage.\n");
}

static int64_t sum_of_ends(const struct mvm_plan *p)
{
    int64_t sum = 0;
    for (size_t i = 0; i < p->action_count; i++)
        sum += p->actions[i].end;
    return sum;
}

int cmd_retime(int argc, char **argv)
{
    static const struct option opts[] = {
        {"instance", required_argument, NULL, 'i'}, {"model", required_argument, NULL, 'm'},
        {"platform", required_argument, NULL, 'X'}, {"output", required_argument, NULL, 'o'},
        {"pretty", no_argument, NULL, 'p'},         {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    enum mvm_migration_model model = MVM_MIGRATION_PRECOPY;
    const char *instance_path = NULL, *out = NULL, *platform = NULL;
    int flags = MVM_JSON_COMPACT, c;
    bool json = false;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i':
            instance_path = optarg;
            break;
        case 'm':
            if (mvm_migration_model_parse(optarg, &model) < 0)
                return cli_usage_error("retime", "--model: expected precopy, nodp or postcopy");
            break;
        case 'o':
            out = optarg;
            break;
        case 'X':
            platform = optarg;
            break;
        case 'p':
            flags |= MVM_JSON_PRETTY;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            help();
            return CLI_OK;
        default:
            return cli_usage_error("retime", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("retime", "expected one PLAN");
    struct mvm_error err;
    mvm_error_clear(&err);
    struct mvm_instance *in = NULL;
    struct mvm_plan *plan = NULL, *retimed = NULL;
    int rc = CLI_OK;
    if ((instance_path != NULL && (in = mvm_instance_load(instance_path, &err)) == NULL) ||
        (plan = mvm_plan_load(argv[optind], &err)) == NULL ||
        (platform != NULL && in != NULL && cli_use_platform(platform, in->model, &err) < 0) ||
        (platform != NULL && cli_use_platform(platform, plan->origin, &err) < 0) ||
        mvm_plan_retime(plan, in, model, &retimed, &err) < 0 ||
        (out != NULL && mvm_plan_save(retimed, out, flags, &err) < 0)) {
        rc = cli_report(&err);
        goto done;
    }
    /* the summary goes to stderr when the plan itself is written to standard output */
    FILE *f = out != NULL && out[0] == '-' && out[1] == '\0' ? stderr : stdout;
    int64_t before = mvm_plan_makespan(plan), after = mvm_plan_makespan(retimed);
    if (json)
        fprintf(f,
                "{\"model\":\"%s\",\"actions\":%zu,\"makespan_before\":%" PRId64
                ",\"makespan_after\":%" PRId64 ",\"sum_ends_before\":%" PRId64
                ",\"sum_ends_after\":%" PRId64 "}\n",
                mvm_migration_model_name(model), plan->action_count, before, after,
                sum_of_ends(plan), sum_of_ends(retimed));
    else
        fprintf(f,
                "plan: %zu actions, re-timed with the %s model\n"
                "makespan: %" PRId64 " s -> %" PRId64 " s\n"
                "sum of ends: %" PRId64 " s -> %" PRId64 " s\n",
                plan->action_count, mvm_migration_model_name(model), before, after,
                sum_of_ends(plan), sum_of_ends(retimed));
done:
    mvm_plan_free(retimed);
    mvm_plan_free(plan);
    mvm_instance_free(in);
    return rc;
}
