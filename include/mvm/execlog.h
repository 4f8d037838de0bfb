/*
 * Execution logs: what really happened when a plan ran, one line per action
 * with its real start and end. The format is the one of mVM's Grid'5000
 * experiments (../instances/random4/executions/): a header `ACTION;START;END`
 * (further columns such as RUN are allowed), then lines like
 * `{action=migrate(vm=vm#7, from=node#3, to=node#2, bw=1000)};1436473952;1436473986;1`
 * with times in (possibly fractional) Unix seconds.
 */
#ifndef MVM_EXECLOG_H
#define MVM_EXECLOG_H

#include <stddef.h>
#include <stdint.h>

#include "mvm/error.h"
#include "mvm/plan.h"

/* One logged action. Element ids are -1 when the line does not give them. */
struct mvm_exec_record {
    char kind[32]; /* "migrate", "boot", "shutdown", ... as logged */
    int32_t vm, node, from, to;
    int64_t bw_mbps; /* -1 when absent */
    double start, end;
};

struct mvm_exec_log {
    struct mvm_exec_record *records;
    size_t count;
    double origin; /* earliest start: time 0 of the reconfiguration */
};

/* Reads an execution log; errors name the file and line. Free with mvm_exec_log_clear. */
int mvm_exec_log_load(const char *path, struct mvm_exec_log *log, struct mvm_error *err);

/* Frees what the log owns. */
void mvm_exec_log_clear(struct mvm_exec_log *log);

/*
 * The plan action a record stands for (a migration of the same VM between the
 * same nodes, or a node action of the same kind on the same node), or MVM_NONE.
 */
size_t mvm_exec_record_action(const struct mvm_exec_record *record, const struct mvm_plan *plan);

#endif
