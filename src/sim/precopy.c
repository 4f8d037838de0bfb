/* Pre-copy dynamics of one migration (see precopy.h). */
#include "sim/precopy.h"

#include <math.h>

/* Amounts below this (MiB) are zero: floating-point dust from advancing in steps. */
#define EPSILON_MIB 1e-9

static double hot_rate(const struct mvm_vm_memory *m)
{
    return m->hot_size_mib > 0.0 ? m->hot_size_mib / m->hot_duration_s : 0.0;
}

/* Dirty rate (MiB/s) while the current phase is being sent. */
static double dirty_rate(const struct precopy *pc)
{
    switch (pc->phase) {
    case PRECOPY_COLD:
        return pc->mem->cold_rate_mibps;
    case PRECOPY_HOT:
        return hot_rate(pc->mem);
    default:
        return 0.0;
    }
}

/*
 * Pages re-dirtied faster than sent pile up only up to the set being dirtied:
 * the hot pages, or the whole memory for cold ones. A phase never holds more.
 */
static double dirtied_set(const struct precopy *pc)
{
    switch (pc->phase) {
    case PRECOPY_COLD:
        return pc->mem->mem_used_mib;
    case PRECOPY_HOT:
        return pc->mem->hot_size_mib;
    default:
        return INFINITY;
    }
}

void precopy_start(struct precopy *pc, const struct mvm_vm_memory *mem)
{
    pc->mem = mem;
    pc->phase = PRECOPY_COPY;
    pc->remaining = mem->mem_used_mib;
    pc->phase_time = 0.0;
    pc->sent = 0.0;
    pc->rounds = 1;
}

double precopy_time_to_event(const struct precopy *pc, double rate, double downtime)
{
    if (pc->phase == PRECOPY_DONE)
        return 0.0;
    double net = rate - dirty_rate(pc);
    if (!(net > 0.0))
        return INFINITY;
    double target = pc->phase == PRECOPY_HOT ? rate * downtime : 0.0;
    double left = pc->remaining - target;
    return left > 0.0 ? left / net : 0.0;
}

void precopy_advance(struct precopy *pc, double rate, double dt)
{
    if (pc->phase == PRECOPY_DONE || dt <= 0.0)
        return;
    pc->remaining = fmin(pc->remaining - (rate - dirty_rate(pc)) * dt, dirtied_set(pc));
    pc->sent += rate * dt;
    pc->phase_time += dt;
}

void precopy_end_phase(struct precopy *pc, double rate, double downtime)
{
    if (pc->phase == PRECOPY_DONE)
        return;
    double target = pc->phase == PRECOPY_HOT ? rate * downtime : 0.0;
    if (pc->remaining > target)
        pc->remaining = target;
}

static void enter(struct precopy *pc, enum precopy_phase phase, double amount)
{
    pc->phase = phase;
    pc->remaining = amount > 0.0 ? fmin(amount, dirtied_set(pc)) : 0.0;
    pc->phase_time = 0.0;
    pc->rounds++;
}

bool precopy_step(struct precopy *pc, double rate, double downtime)
{
    const struct mvm_vm_memory *m = pc->mem;
    double hs = m->hot_size_mib, hd = m->hot_duration_s, hr = hot_rate(m);
    switch (pc->phase) {
    case PRECOPY_COPY:
        if (pc->remaining > EPSILON_MIB)
            return false;
        if (pc->phase_time > hd) /* two phases: every hot page, then cold ones */
            enter(pc, PRECOPY_COLD, hs + (pc->phase_time - hd) * m->cold_rate_mibps);
        else /* the copy ended while hot pages were still being dirtied */
            enter(pc, PRECOPY_HOT, hr * pc->phase_time);
        return true;
    case PRECOPY_COLD:
        if (pc->remaining > EPSILON_MIB)
            return false;
        enter(pc, PRECOPY_HOT, rate > 0.0 ? hs * hr / rate : 0.0);
        return true;
    case PRECOPY_HOT:
        if (pc->remaining > rate * downtime + EPSILON_MIB)
            return false;
        enter(pc, PRECOPY_STOP, pc->remaining);
        return true;
    case PRECOPY_STOP:
        if (pc->remaining > EPSILON_MIB)
            return false;
        pc->phase = PRECOPY_DONE;
        pc->remaining = 0.0;
        return true;
    case PRECOPY_DONE:
        break;
    }
    return false;
}
