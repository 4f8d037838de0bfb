/*
 * Shared pieces of the mvm command-line tool: exit codes, error reporting, and
 * the subcommand entry points. Only the CLI prints and exits; the library
 * reports through struct mvm_error.
 */
#ifndef MVM_CLI_H
#define MVM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mvm/error.h"

enum cli_exit {
    CLI_OK = 0,        /* success, or a valid plan */
    CLI_FAIL = 1,      /* no solution, or an invalid plan */
    CLI_BAD_INPUT = 2, /* unreadable input or bad usage */
};

/* Prints "mvm: <error>" on stderr and returns the exit code it maps to. */
int cli_report(const struct mvm_error *err);

/* Prints "mvm <cmd>: <message>" and a hint to --help on stderr; returns CLI_BAD_INPUT. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses a whole non-negative integer option value; false on garbage. */
bool cli_parse_int(const char *text, long long min, long long max, long long *out);

/*
 * Parses a --start-time value: Unix seconds, an ISO 8601 date-time, HH:MM:SS
 * (the next such local time) or +HH:MM:SS (from now). False on garbage.
 */
bool cli_parse_start_time(const char *text, int64_t *epoch);

/* Writes s to f with JSON string escaping, quotes included. */
void cli_json_string(FILE *f, const char *s);

struct mvm_model;

/*
 * --platform FILE: reads the SimGrid platform for model's nodes and makes it the
 * model's network (replacing any). 0, or -1 with err set.
 */
int cli_use_platform(const char *platform, struct mvm_model *model, struct mvm_error *err);

int cmd_info(int argc, char **argv);
int cmd_estimate(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_retime(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_schedule(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_energy(int argc, char **argv);
int cmd_export_platform(int argc, char **argv);

#endif
