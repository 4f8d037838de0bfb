/*
 * One pre-copy migration as a fluid process (REFERENCE section 3), driven by
 * whatever rate the network gives it from one instant to the next.
 *
 * Phases, each draining an amount of memory at (rate - dirty rate):
 *   COPY  the first full copy of memUsed, nothing re-dirtied counted yet;
 *   COLD  what was dirtied meanwhile (all hot pages plus the cold pages dirtied
 *         after the hot duration), re-dirtied at the cold rate;
 *   HOT   the hot pages dirtied again while they were sent (hs x hr / rate),
 *         re-dirtied at the hot rate; when the first copy was shorter than the
 *         hot duration, only this phase follows, with hr x (copy time);
 *   STOP  once what is left fits in the downtime, the VM is paused and the rest
 *         sent at full rate, nothing dirtied.
 * At a constant rate B this is the closed form of migration.h minus D x hr /
 * (B - hr) for a downtime D and a hot rate hr: the closed form drains the hot
 * pages to nothing at B - hr, pre-copy stops when B x D are left and sends them
 * in D. That is at most D while B >= 2 hr (99 ms for 96 MiB / 2 s at 500 Mbit/s).
 * When the rate falls below the dirty rate, what is left grows, but never past
 * the set being dirtied (the hot pages, or the whole memory for cold ones): the
 * migration stalls until the network gives it more, as a real one does.
 */
#ifndef MVM_SIM_PRECOPY_H
#define MVM_SIM_PRECOPY_H

#include <stdbool.h>
#include <stddef.h>

#include "mvm/migration.h"

enum precopy_phase { PRECOPY_COPY, PRECOPY_COLD, PRECOPY_HOT, PRECOPY_STOP, PRECOPY_DONE };

struct precopy {
    const struct mvm_vm_memory *mem;
    enum precopy_phase phase;
    double remaining;  /* MiB left in the phase */
    double phase_time; /* seconds spent in the phase */
    double sent;       /* MiB sent so far */
    size_t rounds;     /* phases entered */
};

/* Starts a migration of a VM with this memory behaviour. */
void precopy_start(struct precopy *pc, const struct mvm_vm_memory *mem);

/* Seconds until the next phase change at a constant rate (MiB/s); INFINITY if never. */
double precopy_time_to_event(const struct precopy *pc, double rate_mibps, double downtime_s);

/* Advances by dt seconds at a constant rate (no phase change inside dt). */
void precopy_advance(struct precopy *pc, double rate_mibps, double dt);

/*
 * Ends the current phase's drain now: what is left drops to what the phase stops
 * at (nothing, or what fits in the downtime for HOT). For the phase whose end was
 * the event advanced to, so rounding cannot leave a residue.
 */
void precopy_end_phase(struct precopy *pc, double rate_mibps, double downtime_s);

/*
 * Moves to the next phase when the current one is over (its amount drained, or
 * the rest fits in the downtime); returns true when it did. Call until false.
 */
bool precopy_step(struct precopy *pc, double rate_mibps, double downtime_s);

#endif
