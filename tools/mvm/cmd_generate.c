/*
 * mvm generate: writes a seeded instance of the mVM scalability families
 * (decommissioning or random moves; recipe in mvm/generate.h), so benchmarks can
 * use any scale, not only the published x1 and x2 files. The presets
 * --scale infra:K and --scale vms:K are the published families' scale factors.
 *
 * The scales of the published benchmarks (REFERENCE section 10):
 *   mvm generate decommission --scale infra:10 -o infra-x10.json
 *       30 racks, 720 nodes, 960 migrations, 100,000 Mbit/s uplinks
 *   mvm generate decommission --scale vms:18 -o vms-x18.json
 *       72 nodes, 1,728 migrations, nodes of 72 cpu and 288 mem
 * and a stress test of 10,000 nodes and 100,000 VMs: 400 racks of 25 nodes, the
 * first 266 racks (6,650 nodes, about 15 VMs each) drained into the last 134
 * (3,350 nodes of 30 cpu: 100,500 places for 100,000 VMs):
 *   mvm generate decommission --racks 400 --nodes-per-rack 25 --vms 100000 \
 *       --cpu 30 --mem 120 -o big.json.gz
 * (about 1 s and 340 MB, nearly all of it JSON output; with 24-node racks and
 * the per-node recipe, --racks 417 --vms-per-node 15 gives 10,008 nodes and
 * 100,080 VMs.)
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mvm/generate.h"
#include "mvm/io.h"

static void help(void)
{
    printf("Usage: mvm generate decommission|random [OPTIONS] [-o FILE]\n\n"
           "Writes a seeded instance of the mVM scalability families: racks of nodes\n"
           "(1000 Mbit/s links to one switch per rack), one aggregation switch, VMs of\n"
           "four types. decommission: the last third of the racks (rounded up) is off\n"
           "and receives every VM; the other racks are shut down. random: every node is\n"
           "on and every VM moves to a random other node. Defaults give the published\n"
           "x1 instances (3 racks of 24 nodes, 96 VMs).\n\n"
           "  -o, --output FILE         where to write (default '-': standard output);\n"
           "                            written whole or not at all, gzip if FILE ends\n"
           "                            with .gz\n"
           "      --racks R             racks (default 3)\n"
           "      --nodes-per-rack N    nodes per rack (default 24)\n"
           "      --vms-per-node V      VMs per node of the source racks, on average\n"
           "                            (default 2); random spreads them on every node\n"
           "      --vms N               total VMs instead of V x source nodes\n"
           "      --cpu C               cpu of every node (default 2 x V)\n"
           "      --mem M               mem of every node (default 4 x cpu)\n"
           "      --scale-aggregation F uplinks of 10,000 x F Mbit/s (default 1)\n"
           "      --scale-vms K         multiply the VMs and node capacities by K\n"
           "      --scale infra:K       the published infrastructure scale: K times the\n"
           "                            racks and the aggregation bandwidth (random:\n"
           "                            without node attributes, as published)\n"
           "      --scale vms:K         the published VM scale: same as --scale-vms K\n"
           "      --no-node-attributes  no shutdown/boot durations on the nodes\n"
           "      --seed N              random seed (default 1); same seed, same file\n"
           "      --pretty              indent the JSON\n"
           "      --gzip                compress (implied when FILE ends with .gz)\n"
           "  -h, --help                this help\n\n"
           "Examples: 'mvm generate decommission --scale infra:10' (720 nodes, 960\n"
           "migrations), 'mvm generate decommission --scale vms:18' (72 nodes, 1,728).\n"
           "Exit status: 0 written, 2 bad options or output.\n");
}

enum {
    OPT_RACKS = 256,
    OPT_NODES,
    OPT_VPN,
    OPT_VMS,
    OPT_CPU,
    OPT_MEM,
    OPT_AGG,
    OPT_SCALE_VMS,
    OPT_SCALE,
    OPT_NO_ATTRS,
    OPT_SEED,
    OPT_PRETTY,
    OPT_GZIP,
};

/* Multiplies *x by k, keeping it within max; false on overflow. */
static bool scale_by(long long *x, long long k, long long max)
{
    if (*x > max / k)
        return false;
    *x *= k;
    return true;
}

/* "infra:K" or "vms:K" into the matching factor. */
static bool parse_preset(const char *text, long long *infra, long long *vms)
{
    const char *colon = strchr(text, ':');
    long long k;
    if (colon == NULL || !cli_parse_int(colon + 1, 1, 1000000, &k))
        return false;
    size_t len = (size_t)(colon - text);
    if (len == 5 && strncmp(text, "infra", 5) == 0)
        return scale_by(infra, k, 1000000);
    if (len == 3 && strncmp(text, "vms", 3) == 0)
        return scale_by(vms, k, 1000000);
    return false;
}

static bool parse_factor(const char *text, double *out)
{
    char *end;
    double v = strtod(text, &end);
    if (text[0] == '\0' || *end != '\0' || !(v > 0) || v > 1e9)
        return false;
    *out = v;
    return true;
}

int cmd_generate(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"racks", required_argument, NULL, OPT_RACKS},
                                         {"nodes-per-rack", required_argument, NULL, OPT_NODES},
                                         {"vms-per-node", required_argument, NULL, OPT_VPN},
                                         {"vms", required_argument, NULL, OPT_VMS},
                                         {"cpu", required_argument, NULL, OPT_CPU},
                                         {"mem", required_argument, NULL, OPT_MEM},
                                         {"scale-aggregation", required_argument, NULL, OPT_AGG},
                                         {"scale-vms", required_argument, NULL, OPT_SCALE_VMS},
                                         {"scale", required_argument, NULL, OPT_SCALE},
                                         {"no-node-attributes", no_argument, NULL, OPT_NO_ATTRS},
                                         {"seed", required_argument, NULL, OPT_SEED},
                                         {"pretty", no_argument, NULL, OPT_PRETTY},
                                         {"gzip", no_argument, NULL, OPT_GZIP},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const long long max = 2147483647;
    long long racks = 3, nodes = 24, vpn = 2, vms = 0, cpu = 0, mem = 0, seed = 1;
    long long infra_k = 1, vms_k = 1;
    double agg = 1.0;
    bool attrs = true, infra_preset = false;
    const char *out = "-";
    int flags = MVM_JSON_COMPACT, c, which = -1;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:h", opts, &which)) != -1) {
        bool ok = true;
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case OPT_RACKS:
            ok = cli_parse_int(optarg, 1, max, &racks);
            break;
        case OPT_NODES:
            ok = cli_parse_int(optarg, 1, max, &nodes);
            break;
        case OPT_VPN:
            ok = cli_parse_int(optarg, 1, max, &vpn);
            break;
        case OPT_VMS:
            ok = cli_parse_int(optarg, 1, max, &vms);
            break;
        case OPT_CPU:
            ok = cli_parse_int(optarg, 1, max, &cpu);
            break;
        case OPT_MEM:
            ok = cli_parse_int(optarg, 1, max, &mem);
            break;
        case OPT_AGG:
            ok = parse_factor(optarg, &agg);
            break;
        case OPT_SCALE_VMS: {
            long long k;
            ok = cli_parse_int(optarg, 1, 1000000, &k) && scale_by(&vms_k, k, 1000000);
            break;
        }
        case OPT_SCALE:
            ok = parse_preset(optarg, &infra_k, &vms_k);
            infra_preset |= strncmp(optarg, "infra:", 6) == 0;
            break;
        case OPT_NO_ATTRS:
            attrs = false;
            break;
        case OPT_SEED:
            ok = cli_parse_int(optarg, 0, INT64_MAX, &seed);
            break;
        case OPT_PRETTY:
            flags |= MVM_JSON_PRETTY;
            break;
        case OPT_GZIP:
            flags |= MVM_JSON_GZIP;
            break;
        case 'h':
            help();
            return CLI_OK;
        default:
            return cli_usage_error("generate", "unknown option");
        }
        if (!ok)
            return cli_usage_error("generate", "bad value '%s' for --%s", optarg, opts[which].name);
        which = -1;
    }
    if (optind + 1 != argc)
        return cli_usage_error("generate", "expected one family: decommission or random");
    struct mvm_generate_options o;
    if (strcmp(argv[optind], "decommission") == 0)
        mvm_generate_options_init(&o, MVM_GENERATE_DECOMMISSION);
    else if (strcmp(argv[optind], "random") == 0)
        mvm_generate_options_init(&o, MVM_GENERATE_RANDOM);
    else
        return cli_usage_error("generate", "unknown family '%s' (decommission or random)",
                               argv[optind]);
    /* the published random_infra_scale files have no node attributes */
    if (infra_preset && o.family == MVM_GENERATE_RANDOM)
        attrs = false;
    if (!scale_by(&racks, infra_k, max) || !scale_by(&vpn, vms_k, max) ||
        !scale_by(&vms, vms_k, max) || !scale_by(&cpu, vms_k, max) || !scale_by(&mem, vms_k, max))
        return cli_usage_error("generate", "the scale factors make the instance too large");
    o.racks = (size_t)racks;
    o.nodes_per_rack = (size_t)nodes;
    o.vms_per_node = (size_t)vpn;
    o.vm_count = (size_t)vms;
    o.cpu_capacity = cpu;
    o.mem_capacity = mem;
    o.scale_aggregation = agg * (double)infra_k;
    o.node_attributes = attrs;
    o.seed = (uint64_t)seed;

    struct mvm_error err;
    mvm_error_clear(&err);
    struct mvm_instance *in = mvm_generate(&o, &err);
    if (in == NULL)
        return cli_report(&err);
    int rc = mvm_instance_save(in, out, flags, &err);
    mvm_instance_free(in);
    return rc < 0 ? cli_report(&err) : CLI_OK;
}
