/*
 * Lower bounds on any plan of a scheduling problem, so every schedule's gap to
 * the optimum is known: critical paths (boot, migration, shutdown chains), and
 * per network element the transfer it must carry at its capacity, between the
 * earliest any of its migrations can start and the least time that must follow.
 */
#ifndef MVM_SCHED_BOUND_H
#define MVM_SCHED_BOUND_H

#include <stdint.h>

#include "mvm/error.h"
#include "sched/problem.h"

struct sched_bounds {
    int64_t makespan;
    int64_t sum_of_ends;
};

int sched_bounds_compute(const struct sched_problem *p, struct sched_bounds *out,
                         struct mvm_error *err);

#endif
