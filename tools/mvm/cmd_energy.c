/*
 * mvm energy PLAN: the energy of a reconfiguration under the power model of the
 * plan's origin (its power view, else REFERENCE section 7's defaults), with the
 * planned times, or with simulated ones (--simulate); the total and its
 * breakdown in joules, the peak power, and the power of every second as CSV.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mvm/energy.h"
#include "mvm/io.h"
#include "mvm/sim.h"
#include "util/file.h"

static void help(void)
{
    printf("Usage: mvm energy PLAN [options]\n\n"
           "Energy of the reconfiguration PLAN describes: nodes on (idle power), boot\n"
           "overheads, hosted VMs, and migrations (alpha x MiB + beta), from the power view\n"
           "of the plan's origin or the defaults (110 W idle, +20 W booting, 16 W per VM,\n"
           "0.512 J/MiB + 20.165 J per migration).\n\n"
           "      --simulate         use simulated times and transfers instead of the plan's\n"
           "      --engine E         simulation engine: fluid (default) or simgrid\n"
           "      --instance FILE    the instance (network view) for --simulate\n"
           "      --horizon S        count energy over [0, S) (default: until the last action)\n"
           "      --csv OUT          power of every second: second,watts ('-': standard output)\n"
           "      --json             machine-readable summary\n"
           "  -h, --help             this help\n");
}

static char *profile_csv(const double *watts, size_t seconds)
{
    size_t cap = 32 + seconds * 32, used = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        return NULL;
    used += (size_t)snprintf(buf, cap, "second,watts\n");
    for (size_t s = 0; s < seconds; s++)
        used += (size_t)snprintf(buf + used, cap - used, "%zu,%.3f\n", s, watts[s]);
    return buf;
}

int cmd_energy(int argc, char **argv)
{
    static const struct option opts[] = {
        {"simulate", no_argument, NULL, 's'},       {"engine", required_argument, NULL, 'e'},
        {"instance", required_argument, NULL, 'i'}, {"horizon", required_argument, NULL, 'H'},
        {"csv", required_argument, NULL, 'c'},      {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    struct mvm_sim_options so;
    mvm_sim_options_init(&so);
    bool simulate = false, json = false;
    const char *instance_path = NULL, *csv = NULL;
    double horizon = 0.0;
    long long v;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            simulate = true;
            break;
        case 'e':
            if (mvm_sim_engine_parse(optarg, &so.engine) < 0)
                return cli_usage_error("energy", "--engine: expected fluid or simgrid");
            break;
        case 'i':
            instance_path = optarg;
            break;
        case 'H':
            if (!cli_parse_int(optarg, 1, 100000000, &v))
                return cli_usage_error("energy", "--horizon: expected seconds >= 1");
            horizon = (double)v;
            break;
        case 'c':
            csv = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            help();
            return CLI_OK;
        default:
            return cli_usage_error("energy", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("energy", "expected one PLAN");
    struct mvm_error err;
    mvm_error_clear(&err);
    struct mvm_instance *in = NULL;
    struct mvm_plan *plan = NULL;
    struct mvm_power_model pm = {0};
    struct mvm_sim_result sim = {0};
    struct mvm_energy e;
    double *profile = NULL;
    size_t seconds = 0;
    char *text = NULL;
    int rc = CLI_BAD_INPUT;
    if ((instance_path != NULL && (in = mvm_instance_load(instance_path, &err)) == NULL) ||
        (plan = mvm_plan_load(argv[optind], &err)) == NULL ||
        mvm_power_model_init(&pm, plan->origin, &err) < 0)
        goto fail;
    if (simulate) {
        if (mvm_simulate(plan, in, &so, &sim, &err) < 0 ||
            mvm_sim_energy(plan, &sim, horizon, &e, csv ? &profile : NULL, &seconds, &err) < 0)
            goto fail;
    } else if (mvm_plan_energy(plan, &pm, horizon, &e, csv ? &profile : NULL, &seconds, &err) < 0) {
        goto fail;
    }
    if (csv != NULL) {
        text = profile_csv(profile, seconds);
        if (text == NULL || mvm_file_write(csv, text, strlen(text), false, &err) < 0) {
            if (text == NULL)
                mvm_error_set(&err, MVM_ERR_NOMEM, "out of memory");
            goto fail;
        }
    }
    FILE *f = csv != NULL && strcmp(csv, "-") == 0 ? stderr : stdout;
    if (json)
        fprintf(f,
                "{\"times\":\"%s\",\"horizon_s\":%.3f,\"total_j\":%.1f,\"nodes_j\":%.1f,"
                "\"boots_j\":%.1f,\"vms_j\":%.1f,\"migrations_j\":%.1f,\"peak_w\":%.1f}\n",
                simulate ? "simulated" : "planned", e.horizon_s, e.total_j, e.nodes_j, e.boots_j,
                e.vms_j, e.migrations_j, e.peak_w);
    else {
        fprintf(f, "%-12s %s times, over %.1f s\n", "energy", simulate ? "simulated" : "planned",
                e.horizon_s);
        fprintf(f, "%-12s %12.0f J  (%.3f kWh)\n", "total", e.total_j, e.total_j / 3.6e6);
        fprintf(f, "%-12s %12.0f J\n%-12s %12.0f J\n%-12s %12.0f J\n%-12s %12.0f J\n", "nodes",
                e.nodes_j, "boots", e.boots_j, "VMs", e.vms_j, "migrations", e.migrations_j);
        fprintf(f, "%-12s %12.0f W\n", "peak power", e.peak_w);
    }
    rc = CLI_OK;
    goto done;
fail:
    rc = cli_report(&err);
    if (rc == CLI_FAIL)
        rc = CLI_BAD_INPUT;
done:
    free(text);
    free(profile);
    mvm_sim_result_clear(&sim);
    mvm_power_model_clear(&pm);
    mvm_plan_free(plan);
    mvm_instance_free(in);
    return rc;
}
