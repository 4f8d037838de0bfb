/*
 * mvm estimate INSTANCE: for every migration the constraints imply, the path it
 * takes, the most bandwidth that path allows (MaxBandwidth), and the duration
 * the model predicts at that bandwidth, alone on the network. A migration that
 * cannot converge even at full path bandwidth makes the instance unsolvable
 * (exit 1).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mvm/io.h"
#include "mvm/migration.h"
#include "mvm/net.h"
#include "util/sbuf.h"

static void help(void)
{
    printf("Usage: mvm estimate INSTANCE [--json] [--model M] [--platform FILE]\n\n"
           "For each migration implied by the constraints: path, maximum bandwidth\n"
           "of the path, and predicted duration at that bandwidth.\n\n"
           "      --model M   duration model: precopy (default), nodp, postcopy\n"
           "      --platform FILE  take the network from a SimGrid platform (XML)\n"
           "                  instead of the instance's network view\n"
           "      --json      machine-readable output\n"
           "  -h, --help      this help\n\n"
           "Exit status: 0 ok, 1 a migration can never converge, 2 bad input.\n");
}

/* "node 0 > switch 0 > node 3" from the path's links; blocking switches marked '*'. */
static void path_text(const struct mvm_net *net, size_t src, const struct mvm_path *p, char *buf,
                      size_t size)
{
    struct mvm_sbuf s;
    mvm_sbuf_init(&s, buf, size);
    mvm_sbuf_printf(&s, "node %d", (int)net->node_ids[src]);
    for (size_t k = 0; k < p->count; k++) {
        size_t r = p->resources[k];
        if (r >= 2 * net->link_count)
            continue; /* a blocking switch: marked where the walk reaches it */
        const struct mvm_link *l = &net->links[r / 2];
        bool up = (r % 2) == MVM_LINK_UP;
        if (!up && l->end_type == MVM_NET_END_NODE)
            mvm_sbuf_printf(&s, " > node %d", (int)net->node_ids[l->end]);
        else {
            const struct mvm_switch *sw = &net->switches[up ? l->sw : l->end];
            mvm_sbuf_printf(&s, " > switch %d%s", (int)sw->id,
                            mvm_switch_is_blocking(sw) ? "*" : "");
        }
    }
}

struct row {
    int32_t vm, from, to;
    double mem_mib;
    char path[256];
    int64_t max_bw;
    double seconds; /* < 0: never converges */
    double min_bw;
};

static int estimate_rows(const struct mvm_instance *in, enum mvm_migration_model model,
                         struct row **rows_out, size_t *count, struct mvm_error *err)
{
    const struct mvm_model *m = in->model;
    struct mvm_move *moves;
    if (mvm_instance_implied_moves(in, &moves, count, err) < 0)
        return -1;
    struct mvm_net *assumed = NULL;
    const struct mvm_net *net = m->net;
    struct row *rows = calloc(*count + 1, sizeof(*rows));
    int rc = rows == NULL ? mvm_error_set(err, MVM_ERR_NOMEM, "out of memory") : 0;
    if (rc == 0 && net == NULL) {
        int32_t *ids = calloc(m->node_count + 1, sizeof(*ids));
        for (size_t i = 0; ids != NULL && i < m->node_count; i++)
            ids[i] = m->nodes[i].id;
        assumed =
            ids ? mvm_net_new_default(ids, m->node_count, MVM_NET_DEFAULT_LINK_MBPS, err) : NULL;
        free(ids);
        net = assumed;
        rc = net == NULL ? -1 : 0;
    }
    struct mvm_path path = {0};
    for (size_t i = 0; rc == 0 && i < *count; i++) {
        const struct mvm_move *mv = &moves[i];
        struct row *r = &rows[i];
        r->vm = m->vms[mv->vm].id;
        r->from = m->nodes[mv->from].id;
        r->to = m->nodes[mv->to].id;
        struct mvm_vm_memory mem;
        if (mvm_vm_memory_from_attrs(&m->vms[mv->vm].attrs, &mem, err) < 0) {
            char msg[sizeof(err->message)];
            memcpy(msg, err->message, sizeof(msg));
            rc = mvm_error_set(err, MVM_ERR_INVALID, "vm %d: %s", (int)r->vm, msg);
            break;
        }
        if (mvm_net_path(net, mv->from, mv->to, &path, err) < 0) {
            rc = -1;
            break;
        }
        r->mem_mib = mem.mem_used_mib;
        r->max_bw = path.max_bw_mbps;
        r->min_bw = mvm_migration_min_bandwidth(&mem);
        path_text(net, mv->from, &path, r->path, sizeof(r->path));
        if (mvm_migration_time(&mem, (double)path.max_bw_mbps, model, &r->seconds, NULL) < 0)
            r->seconds = -1.0;
    }
    mvm_path_clear(&path);
    mvm_net_free(assumed);
    free(moves);
    if (rc < 0) {
        free(rows);
        return -1;
    }
    *rows_out = rows;
    return 0;
}

int cmd_estimate(int argc, char **argv)
{
    static const struct option opts[] = {{"model", required_argument, NULL, 'm'},
                                         {"platform", required_argument, NULL, 'X'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    enum mvm_migration_model model = MVM_MIGRATION_PRECOPY;
    bool json = false;
    const char *platform = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'm') {
            if (mvm_migration_model_parse(optarg, &model) < 0)
                return cli_usage_error("estimate", "--model: expected precopy, nodp or postcopy");
        } else if (c == 'X')
            platform = optarg;
        else if (c == 'j')
            json = true;
        else if (c == 'h') {
            help();
            return CLI_OK;
        } else
            return cli_usage_error("estimate", "unknown option");
    }
    if (optind + 1 != argc)
        return cli_usage_error("estimate", "expected one INSTANCE");
    struct mvm_error err;
    mvm_error_clear(&err);
    struct mvm_instance *in = mvm_instance_load(argv[optind], &err);
    struct row *rows = NULL;
    size_t n = 0;
    if (in == NULL || (platform != NULL && cli_use_platform(platform, in->model, &err) < 0) ||
        estimate_rows(in, model, &rows, &n, &err) < 0) {
        mvm_instance_free(in);
        return cli_report(&err);
    }
    size_t stuck = 0;
    double total = 0.0, longest = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].seconds < 0) {
            stuck++;
            continue;
        }
        double d = rows[i].seconds < 1.0 ? 1.0 : rows[i].seconds;
        total += d;
        longest = d > longest ? d : longest;
    }
    if (json) {
        printf("{\"model\":\"%s\",\"migrations\":[", mvm_migration_model_name(model));
        for (size_t i = 0; i < n; i++) {
            const struct row *r = &rows[i];
            printf("%s{\"vm\":%d,\"from\":%d,\"to\":%d,\"mem_mib\":%g,\"path\":", i ? "," : "",
                   (int)r->vm, (int)r->from, (int)r->to, r->mem_mib);
            cli_json_string(stdout, r->path);
            printf(",\"max_bw_mbps\":%" PRId64 ",\"min_bw_mbps\":%g,", r->max_bw, r->min_bw);
            if (r->seconds < 0)
                printf("\"converges\":false,\"duration_s\":null}");
            else
                printf("\"converges\":true,\"duration_s\":%.3f}", r->seconds);
        }
        printf("],\"count\":%zu,\"non_convergent\":%zu,\"sum_s\":%.3f,\"longest_s\":%.3f}\n", n,
               stuck, total, longest);
    } else {
        printf("%6s %6s %6s %9s %10s %11s  %s\n", "VM", "FROM", "TO", "MEM(MiB)", "BW(Mbit/s)",
               "DURATION(s)", "PATH");
        for (size_t i = 0; i < n; i++) {
            const struct row *r = &rows[i];
            char dur[48];
            if (r->seconds < 0)
                snprintf(dur, sizeof(dur), "never (needs >%g Mbit/s)", r->min_bw);
            else
                snprintf(dur, sizeof(dur), "%.1f", r->seconds);
            printf("%6d %6d %6d %9.0f %10" PRId64 " %11s  %s\n", (int)r->vm, (int)r->from,
                   (int)r->to, r->mem_mib, r->max_bw, dur, r->path);
        }
        printf("%zu migration%s (%s model); one after the other: %.1f s; longest: %.1f s\n", n,
               n == 1 ? "" : "s", mvm_migration_model_name(model), total, longest);
    }
    if (stuck > 0)
        fprintf(stderr,
                "mvm estimate: no solution: %zu migration%s can never converge, even "
                "alone at full path bandwidth\n",
                stuck, stuck == 1 ? "" : "s");
    free(rows);
    mvm_instance_free(in);
    return stuck > 0 ? CLI_FAIL : CLI_OK;
}
