/*
 * mvm convert: reads an instance or a plan and writes it back through the
 * library's own reader and writer (compact, pretty or gzipped). It is how round
 * trips are tested and how files are normalised.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "mvm/io.h"

static void help(void)
{
    printf("Usage: mvm convert FILE -o OUT [--pretty] [--gzip]\n\n"
           "Reads an instance or a plan (plain or gzip JSON) and writes it back.\n\n"
           "  -o, --output OUT  where to write ('-' for standard output); the file\n"
           "                    is written whole or not at all\n"
           "      --pretty      indent the JSON\n"
           "      --gzip        compress (implied when OUT ends with .gz)\n"
           "  -h, --help        this help\n");
}

int cmd_convert(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"pretty", no_argument, NULL, 'p'},
                                         {"gzip", no_argument, NULL, 'z'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *out = NULL;
    int flags = MVM_JSON_COMPACT, c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'p':
            flags |= MVM_JSON_PRETTY;
            break;
        case 'z':
            flags |= MVM_JSON_GZIP;
            break;
        case 'h':
            help();
            return CLI_OK;
        default:
            return cli_usage_error("convert", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("convert", "expected one input FILE");
    if (out == NULL)
        return cli_usage_error("convert", "missing -o OUT");
    struct mvm_error err;
    mvm_error_clear(&err);
    struct mvm_document doc;
    if (mvm_document_load(argv[optind], &doc, &err) < 0)
        return cli_report(&err);
    int rc = doc.kind == MVM_DOCUMENT_PLAN ? mvm_plan_save(doc.plan, out, flags, &err)
                                           : mvm_instance_save(doc.instance, out, flags, &err);
    mvm_document_clear(&doc);
    return rc < 0 ? cli_report(&err) : CLI_OK;
}
