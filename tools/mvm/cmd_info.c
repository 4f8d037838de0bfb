/*
 * mvm info: what a file holds, at a glance: nodes, VMs, resources, network,
 * constraints (and which are not supported yet), objective, the migrations the
 * constraints imply, and for a plan its actions and timing.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mvm/io.h"
#include "mvm/net.h"

struct name_count {
    const char *name;
    size_t count;
    bool supported;
};

/* Counts constraints per JSON id, in order of first appearance. */
static size_t count_constraints(const struct mvm_instance *in, struct name_count *out)
{
    size_t n = 0;
    for (size_t i = 0; i < in->constraint_count; i++) {
        const struct mvm_constraint *k = &in->constraints[i];
        size_t j = 0;
        while (j < n && strcmp(out[j].name, k->name) != 0)
            j++;
        if (j == n)
            out[n++] = (struct name_count){k->name, 0, k->kind != MVM_CONSTRAINT_OTHER};
        out[j].count++;
    }
    return n;
}

static void net_summary(const struct mvm_model *m, size_t *switches, size_t *blocking,
                        size_t *links)
{
    *switches = *blocking = *links = 0;
    if (m->net == NULL)
        return;
    *switches = m->net->switch_count;
    *links = m->net->link_count;
    for (size_t i = 0; i < m->net->switch_count; i++)
        *blocking += mvm_switch_is_blocking(&m->net->switches[i]);
}

static void print_model_text(const struct mvm_model *m)
{
    printf("%-12s %zu (%zu online, %zu offline)\n", "nodes", m->node_count,
           mvm_model_count_nodes(m, MVM_NODE_ONLINE), mvm_model_count_nodes(m, MVM_NODE_OFFLINE));
    printf("%-12s %zu (%zu running, %zu sleeping, %zu ready)\n", "VMs", m->vm_count,
           mvm_model_count_vms(m, MVM_VM_RUNNING), mvm_model_count_vms(m, MVM_VM_SLEEPING),
           mvm_model_count_vms(m, MVM_VM_READY));
    printf("%-12s", "resources");
    if (m->resource_count == 0)
        printf(" none");
    for (size_t i = 0; i < m->resource_count; i++)
        printf("%s %s", i ? "," : "", m->resources[i].rc_id);
    printf("\n");
    size_t sw, blk, links;
    net_summary(m, &sw, &blk, &links);
    if (m->net == NULL)
        printf("%-12s none given (assumed: one non-blocking switch, %" PRId64 " Mbit/s per node)\n",
               "network", MVM_NET_DEFAULT_LINK_MBPS);
    else
        printf("%-12s %zu switch%s (%zu blocking), %zu link%s, %s routing\n", "network", sw,
               sw == 1 ? "" : "es", blk, links, links == 1 ? "" : "s",
               m->net->routing == MVM_ROUTING_STATIC ? "static" : "default");
    size_t other = 0;
    for (size_t i = 0; i < m->view_count; i++)
        other += m->views[i].kind == MVM_VIEW_OTHER;
    if (other > 0)
        printf("%-12s %zu other view%s kept as is\n", "views", other, other > 1 ? "s" : "");
}

static void print_model_json(const struct mvm_model *m)
{
    size_t sw, blk, links;
    net_summary(m, &sw, &blk, &links);
    printf("\"nodes\":%zu,\"online_nodes\":%zu,\"offline_nodes\":%zu,\"vms\":%zu,"
           "\"running_vms\":%zu,\"sleeping_vms\":%zu,\"ready_vms\":%zu,\"resources\":[",
           m->node_count, mvm_model_count_nodes(m, MVM_NODE_ONLINE),
           mvm_model_count_nodes(m, MVM_NODE_OFFLINE), m->vm_count,
           mvm_model_count_vms(m, MVM_VM_RUNNING), mvm_model_count_vms(m, MVM_VM_SLEEPING),
           mvm_model_count_vms(m, MVM_VM_READY));
    for (size_t i = 0; i < m->resource_count; i++) {
        printf(i ? "," : "");
        cli_json_string(stdout, m->resources[i].rc_id);
    }
    printf("],\"network\":%s,\"switches\":%zu,\"blocking_switches\":%zu,\"links\":%zu",
           m->net ? "true" : "false", sw, blk, links);
}

static int info_instance(const struct mvm_instance *in, bool json, struct mvm_error *err)
{
    struct mvm_move *moves;
    size_t move_count;
    if (mvm_instance_implied_moves(in, &moves, &move_count, err) < 0)
        return -1;
    free(moves);
    struct name_count *counts = calloc(in->constraint_count + 1, sizeof(*counts));
    if (counts == NULL)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    size_t kinds = count_constraints(in, counts);
    size_t unsupported = mvm_instance_count_unsupported(in);
    if (json) {
        printf("{\"kind\":\"instance\",");
        print_model_json(in->model);
        printf(",\"constraints\":{");
        for (size_t i = 0; i < kinds; i++) {
            printf(i ? "," : "");
            cli_json_string(stdout, counts[i].name);
            printf(":%zu", counts[i].count);
        }
        printf("},\"unsupported_constraints\":%zu,\"objective\":", unsupported);
        if (in->objective_name)
            cli_json_string(stdout, in->objective_name);
        else
            printf("null");
        printf(",\"implied_migrations\":%zu}\n", move_count);
    } else {
        print_model_text(in->model);
        printf("%-12s %zu", "constraints", in->constraint_count);
        for (size_t i = 0; i < kinds; i++)
            printf("%s %s %zu%s", i ? "," : ":", counts[i].name, counts[i].count,
                   counts[i].supported ? "" : " (not supported yet)");
        printf("\n%-12s %s%s\n", "objective", in->objective_name ? in->objective_name : "none",
               in->objective == MVM_OBJECTIVE_OTHER ? " (not supported yet)" : "");
        printf("%-12s %zu implied by the constraints\n", "migrations", move_count);
    }
    free(counts);
    return 0;
}

static void info_plan(const struct mvm_plan *p, bool json)
{
    size_t per_kind[MVM_ACTION_OTHER + 1] = {0};
    int64_t sum_ends = 0;
    for (size_t i = 0; i < p->action_count; i++) {
        per_kind[p->actions[i].kind]++;
        sum_ends += p->actions[i].end;
    }
    if (json) {
        printf("{\"kind\":\"plan\",");
        print_model_json(p->origin);
        printf(",\"actions\":{");
        bool first = true;
        for (int k = 0; k <= MVM_ACTION_OTHER; k++)
            if (per_kind[k] > 0) {
                printf("%s\"%s\":%zu", first ? "" : ",",
                       mvm_action_kind_name((enum mvm_action_kind)k), per_kind[k]);
                first = false;
            }
        printf("},\"makespan_s\":%" PRId64 ",\"sum_of_ends_s\":%" PRId64 "}\n",
               mvm_plan_makespan(p), sum_ends);
        return;
    }
    print_model_text(p->origin);
    printf("%-12s %zu", "actions", p->action_count);
    bool first = true;
    for (int k = 0; k <= MVM_ACTION_OTHER; k++)
        if (per_kind[k] > 0) {
            printf("%s %s %zu%s", first ? ":" : ",", mvm_action_kind_name((enum mvm_action_kind)k),
                   per_kind[k], k == MVM_ACTION_OTHER ? " (not supported yet)" : "");
            first = false;
        }
    printf("\n%-12s %" PRId64 " s\n%-12s %" PRId64 " s\n", "makespan", mvm_plan_makespan(p),
           "sum of ends", sum_ends);
}

static void help(void)
{
    printf("Usage: mvm info FILE [--json]\n\n"
           "Summarises an instance or a plan: nodes, VMs, resources, network,\n"
           "constraints (flagging those not supported yet), objective, implied\n"
           "migrations; for a plan, its actions, makespan and sum of end times.\n\n"
           "      --json   machine-readable output\n"
           "  -h, --help   this help\n");
}

int cmd_info(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    bool json = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'j')
            json = true;
        else if (c == 'h') {
            help();
            return CLI_OK;
        } else
            return cli_usage_error("info", "unknown option");
    }
    if (optind + 1 != argc)
        return cli_usage_error("info", "expected one FILE");
    const char *path = argv[optind];
    struct mvm_error err;
    mvm_error_clear(&err);
    struct mvm_document doc;
    if (mvm_document_load(path, &doc, &err) < 0)
        return cli_report(&err);
    int rc = 0;
    if (!json)
        printf("%-12s %s (%s)\n", "file", path,
               doc.kind == MVM_DOCUMENT_PLAN ? "plan" : "instance");
    if (doc.kind == MVM_DOCUMENT_PLAN)
        info_plan(doc.plan, json);
    else
        rc = info_instance(doc.instance, json, &err);
    mvm_document_clear(&doc);
    return rc < 0 ? cli_report(&err) : CLI_OK;
}
