/*
 * mvm simulate PLAN: replays a plan the way an executor runs it (dependency
 * graph, max-min bandwidth sharing, pre-copy dynamics) with the fluid engine or
 * SimGrid, and reports the completion time, the mean migration duration, the
 * data transferred and the gap to the plan's own prediction; per action times
 * as CSV; and, against a real execution log, the deviation of every migration.
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mvm/execlog.h"
#include "mvm/io.h"
#include "mvm/sim.h"
#include "util/file.h"

static void help(void)
{
    printf("Usage: mvm simulate PLAN [--instance INSTANCE] [options]\n\n"
           "Runs PLAN as an executor would: each action starts when the actions it\n"
           "depends on (same node or network element, earlier in the plan) have\n"
           "finished; concurrent migrations share links max-min fairly, each capped at\n"
           "its planned bandwidth, and follow pre-copy rounds with their VM's dirtying.\n\n"
           "      --instance FILE    the instance the plan is for (its network view and\n"
           "                         attributes, when the plan's origin lacks them)\n"
           "      --platform FILE    take the network from a SimGrid platform (XML)\n"
           "      --engine E         fluid (default) or simgrid\n"
           "      --csv OUT          per action: action,vm,node,from,to,bw,start,end\n"
           "                         ('-' for standard output)\n"
           "      --against LOG      compare with a real execution log (ACTION;START;END)\n"
           "      --give-up S        abandon a migration still running S seconds after\n"
           "                         its start as non-convergent (default 3600)\n"
           "      --downtime MS      pre-copy stops when the rest fits in MS ms (default 30)\n"
           "      --json             machine-readable summary\n"
           "  -q, --quiet            no summary\n"
           "  -h, --help             this help\n\n"
           "Exit status: 0 every action completed, 1 a migration did not converge,\n"
           "2 bad input.\n");
}

/* Builds the CSV text of the per-action results into a buffer the caller frees. */
static char *csv_text(const struct mvm_plan *plan, const struct mvm_sim_result *r)
{
    size_t cap = 128 + plan->action_count * 96, used = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        return NULL;
    used += (size_t)snprintf(buf, cap, "action,vm,node,from,to,bw,start,end\n");
    const struct mvm_model *m = plan->origin;
    for (size_t a = 0; a < plan->action_count; a++) {
        const struct mvm_action *act = &plan->actions[a];
        char vm[16] = "", node[16] = "", from[16] = "", to[16] = "", bw[24] = "";
        if (act->vm != MVM_NONE)
            snprintf(vm, sizeof(vm), "%d", (int)m->vms[act->vm].id);
        if (act->node != MVM_NONE)
            snprintf(node, sizeof(node), "%d", (int)m->nodes[act->node].id);
        if (act->from != MVM_NONE)
            snprintf(from, sizeof(from), "%d", (int)m->nodes[act->from].id);
        if (act->to != MVM_NONE)
            snprintf(to, sizeof(to), "%d", (int)m->nodes[act->to].id);
        if (act->kind == MVM_ACTION_MIGRATE_VM && act->bw_mbps >= 0)
            snprintf(bw, sizeof(bw), "%" PRId64, act->bw_mbps);
        used += (size_t)snprintf(buf + used, cap - used, "%s,%s,%s,%s,%s,%s,%.3f,%.3f\n",
                                 mvm_action_kind_name(act->kind), vm, node, from, to, bw,
                                 r->actions[a].start, r->actions[a].end);
    }
    return buf;
}

struct against {
    size_t matched;
    double sum_deviation;
};

/* Prints (unless quiet) each logged migration's simulated and real duration. */
static int compare(const struct mvm_plan *plan, const struct mvm_sim_result *r,
                   const struct mvm_exec_log *log, bool print, struct against *out,
                   struct mvm_error *err)
{
    memset(out, 0, sizeof(*out));
    if (print)
        printf("\n%6s %6s %6s %13s %9s %10s\n", "VM", "FROM", "TO", "SIMULATED(s)", "REAL(s)",
               "DEVIATION");
    for (size_t i = 0; i < log->count; i++) {
        const struct mvm_exec_record *rec = &log->records[i];
        if (strcmp(rec->kind, "migrate") != 0)
            continue;
        size_t a = mvm_exec_record_action(rec, plan);
        if (a == MVM_NONE)
            return mvm_error_set(err, MVM_ERR_INVALID,
                                 "the log's migration of vm %d from node %d to node %d is not "
                                 "in the plan",
                                 (int)rec->vm, (int)rec->from, (int)rec->to);
        double sim = r->actions[a].end - r->actions[a].start, real = rec->end - rec->start;
        double dev = real > 0 ? fabs(sim - real) / real : 0.0;
        out->sum_deviation += dev;
        out->matched++;
        if (print)
            printf("%6d %6d %6d %13.1f %9.1f %9.1f %%\n", (int)rec->vm, (int)rec->from,
                   (int)rec->to, sim, real, 100.0 * dev);
    }
    if (out->matched == 0)
        return mvm_error_set(err, MVM_ERR_INVALID, "the log has no migration to compare");
    return 0;
}

/* The simulated energy, and how the power compares with the instance's budgets. */
struct power_check {
    struct mvm_energy energy;
    size_t budgets;    /* powerBudget constraints of the instance */
    size_t over_s;     /* seconds over any of them */
    size_t first_over; /* the first such second */
};

static int check_power(const struct mvm_plan *plan, const struct mvm_instance *in,
                       const struct mvm_sim_result *r, struct power_check *pc,
                       struct mvm_error *err)
{
    memset(pc, 0, sizeof(*pc));
    double *watts = NULL;
    size_t seconds = 0;
    if (mvm_sim_energy(plan, r, 0.0, &pc->energy, &watts, &seconds, err) < 0)
        return -1;
    pc->first_over = SIZE_MAX;
    for (size_t c = 0; in != NULL && c < in->constraint_count; c++) {
        if (in->constraints[c].kind != MVM_CONSTRAINT_POWER_BUDGET)
            continue;
        size_t first = SIZE_MAX;
        pc->budgets++;
        pc->over_s += mvm_power_over_budget(&in->constraints[c], watts, seconds, &first);
        pc->first_over = first < pc->first_over ? first : pc->first_over;
    }
    free(watts);
    return 0;
}

static void print_summary(const char *path, const struct mvm_plan *plan,
                          const struct mvm_sim_result *r, enum mvm_sim_engine engine,
                          const struct power_check *pc)
{
    printf("%-12s %s: %zu actions (%zu migrations)\n", "plan", path, plan->action_count,
           r->migrations);
    printf("%-12s %s\n", "engine",
           engine == MVM_SIM_SIMGRID ? "simgrid" : "fluid (max-min sharing, pre-copy rounds)");
    double gap = r->planned_completion_s > 0
                     ? 100.0 * (r->completion_s - r->planned_completion_s) / r->planned_completion_s
                     : 0.0;
    printf("%-12s %.1f s (the plan predicted %.0f s: %+.1f %%)\n", "completion", r->completion_s,
           r->planned_completion_s, gap);
    printf("%-12s %zu completed, mean duration %.1f s\n", "migrations", r->completed_migrations,
           r->mean_migration_s);
    printf("%-12s %.0f MiB\n", "transferred", r->transferred_mib);
    printf("%-12s %.0f J (%.3f kWh), peak power %.0f W\n", "energy", pc->energy.total_j,
           pc->energy.total_j / 3.6e6, pc->energy.peak_w);
    if (pc->budgets > 0 && pc->over_s == 0)
        printf("%-12s respected at every second\n", "power budget");
    else if (pc->budgets > 0)
        printf("%-12s exceeded during %zu s, first at t=%zu s\n", "power budget", pc->over_s,
               pc->first_over);
    if (r->failed > 0 || r->skipped > 0) {
        printf("%-12s %zu migration%s did not converge:", "failed", r->failed,
               r->failed == 1 ? "" : "s");
        const struct mvm_model *m = plan->origin;
        size_t shown = 0;
        for (size_t a = 0; a < r->action_count && shown <= 6; a++) {
            if (r->actions[a].status != MVM_SIM_NOT_CONVERGED)
                continue;
            if (shown++ == 6) {
                printf(" ...");
                break;
            }
            printf(" vm %d (node %d -> node %d)", (int)m->vms[plan->actions[a].vm].id,
                   (int)m->nodes[plan->actions[a].from].id, (int)m->nodes[plan->actions[a].to].id);
        }
        printf("; %zu action%s not started as they depend on them\n", r->skipped,
               r->skipped == 1 ? "" : "s");
    }
}

int cmd_simulate(int argc, char **argv)
{
    static const struct option opts[] = {{"instance", required_argument, NULL, 'i'},
                                         {"engine", required_argument, NULL, 'e'},
                                         {"csv", required_argument, NULL, 'c'},
                                         {"against", required_argument, NULL, 'a'},
                                         {"give-up", required_argument, NULL, 'g'},
                                         {"downtime", required_argument, NULL, 'd'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"platform", required_argument, NULL, 'X'},
                                         {NULL, 0, NULL, 0}};
    struct mvm_sim_options o;
    mvm_sim_options_init(&o);
    const char *instance_path = NULL, *csv = NULL, *against = NULL, *platform = NULL;
    bool json = false, quiet = false;
    long long v;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 'i':
            instance_path = optarg;
            break;
        case 'e':
            if (mvm_sim_engine_parse(optarg, &o.engine) < 0)
                return cli_usage_error("simulate", "--engine: expected fluid or simgrid");
            break;
        case 'c':
            csv = optarg;
            break;
        case 'X':
            platform = optarg;
            break;
        case 'a':
            against = optarg;
            break;
        case 'g':
            if (!cli_parse_int(optarg, 1, 100000000, &v))
                return cli_usage_error("simulate", "--give-up: expected seconds >= 1");
            o.give_up_s = (double)v;
            break;
        case 'd':
            if (!cli_parse_int(optarg, 0, 60000, &v))
                return cli_usage_error("simulate", "--downtime: expected milliseconds");
            o.downtime_s = (double)v / 1000.0;
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
            return cli_usage_error("simulate", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("simulate", "expected one PLAN");
    const char *path = argv[optind];
    struct mvm_error err;
    mvm_error_clear(&err);
    struct mvm_instance *in = NULL;
    struct mvm_plan *plan = NULL;
    struct mvm_exec_log log = {0};
    struct mvm_sim_result r = {0};
    char *text = NULL;
    int rc = CLI_BAD_INPUT;
    if ((instance_path != NULL && (in = mvm_instance_load(instance_path, &err)) == NULL) ||
        (plan = mvm_plan_load(path, &err)) == NULL ||
        (platform != NULL && cli_use_platform(platform, plan->origin, &err) < 0) ||
        (against != NULL && mvm_exec_log_load(against, &log, &err) < 0) ||
        mvm_simulate(plan, in, &o, &r, &err) < 0) {
        rc = cli_report(&err);
        if (rc == CLI_FAIL)
            rc = CLI_BAD_INPUT;
        goto done;
    }
    /* the CSV goes to standard output only when asked, so the summary moves aside */
    bool csv_stdout = csv != NULL && strcmp(csv, "-") == 0;
    struct against cmp = {0};
    struct power_check pc;
    if (check_power(plan, in, &r, &pc, &err) < 0) {
        rc = cli_report(&err);
        goto done;
    }
    if (against != NULL &&
        compare(plan, &r, &log, !quiet && !json && !csv_stdout, &cmp, &err) < 0) {
        rc = cli_report(&err);
        goto done;
    }
    if (csv != NULL) {
        text = csv_text(plan, &r);
        if (text == NULL) {
            mvm_error_set(&err, MVM_ERR_NOMEM, "out of memory");
            rc = cli_report(&err);
            goto done;
        }
        if (mvm_file_write(csv, text, strlen(text), false, &err) < 0) {
            rc = cli_report(&err);
            goto done;
        }
    }
    if (json) {
        FILE *f = csv_stdout ? stderr : stdout;
        fprintf(f,
                "{\"engine\":\"%s\",\"actions\":%zu,\"migrations\":%zu,\"failed\":%zu,"
                "\"skipped\":%zu,\"completion_s\":%.3f,\"planned_completion_s\":%.0f,"
                "\"mean_migration_s\":%.3f,\"transferred_mib\":%.1f",
                o.engine == MVM_SIM_SIMGRID ? "simgrid" : "fluid", r.action_count, r.migrations,
                r.failed, r.skipped, r.completion_s, r.planned_completion_s, r.mean_migration_s,
                r.transferred_mib);
        fprintf(f, ",\"energy_j\":%.1f,\"peak_w\":%.1f", pc.energy.total_j, pc.energy.peak_w);
        if (pc.budgets > 0)
            fprintf(f, ",\"over_budget_s\":%zu", pc.over_s);
        if (against != NULL)
            fprintf(f, ",\"compared\":%zu,\"mean_deviation\":%.6f", cmp.matched,
                    cmp.sum_deviation / (double)cmp.matched);
        fprintf(f, "}\n");
    } else if (!quiet && !csv_stdout) {
        if (against != NULL)
            printf("mean normalised deviation over %zu migrations: %.2f %%\n\n", cmp.matched,
                   100.0 * cmp.sum_deviation / (double)cmp.matched);
        print_summary(path, plan, &r, o.engine, &pc);
    }
    rc = r.failed > 0 ? CLI_FAIL : CLI_OK;
done:
    free(text);
    mvm_sim_result_clear(&r);
    mvm_exec_log_clear(&log);
    mvm_plan_free(plan);
    mvm_instance_free(in);
    return rc;
}
