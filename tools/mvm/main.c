/*
 * mvm: the command-line front end. Dispatches to one function per subcommand;
 * each parses its own options, prints for people (tables) or programs (--json),
 * and maps outcomes to exit codes: 0 ok, 1 no solution / invalid, 2 bad input.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "mvm_config.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"schedule", cmd_schedule, "compute the plan: start times and bandwidths of every action"},
    {"simulate", cmd_simulate, "replay a plan with bandwidth sharing and pre-copy dynamics"},
    {"energy", cmd_energy, "energy and power profile of a plan (planned or simulated)"},
    {"info", cmd_info, "summarise an instance or a plan"},
    {"estimate", cmd_estimate, "path, bandwidth and duration of each implied migration"},
    {"verify", cmd_verify, "check a plan against an instance, second by second"},
    {"retime", cmd_retime, "re-time a plan by its dependencies with the duration model"},
    {"convert", cmd_convert, "read a file and write it back (JSON, pretty, gzip)"},
    {"generate", cmd_generate, "write a seeded mVM scalability instance (any scale)"},
    {"export-platform", cmd_export_platform, "write the network as a SimGrid platform (XML)"},
};

static void usage(FILE *f)
{
    fprintf(f, "Usage: mvm COMMAND [OPTIONS] FILE...\n\n"
               "mvm plans, checks and predicts live-migration reconfigurations of\n"
               "datacenters described in BtrPlace's JSON formats.\n\nCommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-15s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nRun 'mvm COMMAND --help' for a command's options.\n"
               "Exit status: 0 success, 1 no solution or invalid plan, 2 bad input or usage.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_BAD_INPUT;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("mvm %s\n", MVM_VERSION);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "mvm: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return CLI_BAD_INPUT;
}
