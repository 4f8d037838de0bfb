/*
 * The SimGrid engine is split in two so that mvm itself never loads SimGrid (a
 * large C++ library whose loading alone costs seconds under valgrind): the
 * library forks a child (src/sim/simgrid.c), which loads the engine module
 * (mvm-simgrid.so, built from src/sim/simgrid_module.c) and runs the
 * simulation; the results come back through a pipe. This header is the
 * contract between the two: what the child writes, and the module's entry.
 */
#ifndef MVM_SIM_SIMGRID_PROTO_H
#define MVM_SIM_SIMGRID_PROTO_H

#include <stdint.h>

#include "sim/engine.h"

/*
 * Host speed (flop/s) and dirtying scale. The dirty-page intensity is set so
 * that every flop a VM executes dirties one byte (SimGrid dirties flops x
 * intensity x migration speed / host speed bytes); a VM dirtying D bytes/s is
 * then bounded at D flop/s. Hosts are fast enough that the bounds of all the
 * VMs they hold never saturate them, so no VM dirties less for sharing a CPU.
 */
#define SG_HOST_SPEED 1e12

#define SG_MAGIC 0x6d766d5347524944ULL /* "mvmSGRID" */

/* An action's fate inside the child. */
enum sg_state { SG_PENDING, SG_RUNNING, SG_DONE, SG_FAILED, SG_SKIPPED };

/* One action's result, as the child writes it to the pipe. */
struct sg_record {
    int32_t state;
    int32_t unused_;
    double start, end;
    double transferred_mib;
    uint64_t rounds;
};

/* Written first: whether the child could simulate, and why not. */
struct sg_header {
    uint64_t magic;
    int32_t failed;
    char message[300];
};

/*
 * The module's entry, run in the forked child: simulates the plan on the
 * platform file, writes a struct sg_header then (unless it failed) one struct
 * sg_record per action to fd, sends its standard error to err_fd, and waits
 * for hold_fd to close before leaving with _exit. Never returns.
 */
void mvm_simgrid_child_main(const struct sim_input *in, const char *platform, int fd, int err_fd,
                            int hold_fd) __attribute__((noreturn));

/* Its name, for dlsym. */
#define SG_CHILD_MAIN "mvm_simgrid_child_main"

#endif
