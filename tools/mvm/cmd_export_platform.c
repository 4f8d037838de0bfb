/*
 * mvm export-platform INSTANCE: writes the instance's network as a SimGrid 4.1
 * platform (docs/formats.md, "SimGrid platforms"), so SimGrid can simulate on
 * the topology mvm plans for, and so the file can be edited and given back to
 * the other commands with --platform. An instance without a network view gets
 * the network assumed for it: one non-blocking switch, 1 Gbit/s per node.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "mvm/io.h"
#include "mvm/net.h"
#include "mvm/platform.h"

static void help(void)
{
    printf("Usage: mvm export-platform INSTANCE [-o FILE.xml] [--host-speed F]\n\n"
           "Writes the instance's network as a SimGrid platform (XML, version 4.1):\n"
           "a host node-<id> per node, a router switch-<id> per switch, a SPLITDUPLEX\n"
           "link link-<id> per link and a SHARED link backplane-<id> per blocking\n"
           "switch, routed as mvm routes. Latencies are 0: mvm does not model them.\n\n"
           "  -o, --output FILE  where to write ('-', the default: standard output); the\n"
           "                     file is written whole or not at all\n"
           "      --host-speed F host speed in flop/s (default 1e9, written 1Gf)\n"
           "  -h, --help         this help\n\n"
           "Exit status: 0 ok, 2 bad input or usage.\n");
}

int cmd_export_platform(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"host-speed", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *out = "-";
    double speed = 1e9;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 's': {
            char *end;
            errno = 0;
            speed = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || errno != 0 || !isfinite(speed) || speed <= 0)
                return cli_usage_error("export-platform",
                                       "--host-speed: expected a positive number of flop/s");
            break;
        }
        case 'h':
            help();
            return CLI_OK;
        default:
            return cli_usage_error("export-platform", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("export-platform", "expected one INSTANCE");
    struct mvm_error err;
    mvm_error_clear(&err);
    struct mvm_instance *in = mvm_instance_load(argv[optind], &err);
    if (in == NULL)
        return cli_report(&err);
    const struct mvm_model *m = in->model;
    struct mvm_net *assumed = NULL;
    const struct mvm_net *net = m->net;
    int rc = 0;
    if (net == NULL) {
        int32_t *ids = calloc(m->node_count + 1, sizeof(*ids));
        for (size_t i = 0; ids != NULL && i < m->node_count; i++)
            ids[i] = m->nodes[i].id;
        assumed =
            ids ? mvm_net_new_default(ids, m->node_count, MVM_NET_DEFAULT_LINK_MBPS, &err) : NULL;
        if (ids == NULL)
            mvm_error_set(&err, MVM_ERR_NOMEM, "out of memory");
        free(ids);
        net = assumed;
        rc = net == NULL ? -1 : 0;
    }
    if (rc == 0)
        rc = mvm_platform_save(net, m, speed, out, &err);
    mvm_net_free(assumed);
    mvm_instance_free(in);
    return rc < 0 ? cli_report(&err) : CLI_OK;
}
