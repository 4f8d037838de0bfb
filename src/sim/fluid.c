/*
 * The fluid engine: an event-driven simulation in continuous time. Between two
 * events every running migration sends at a constant rate (its max-min fair
 * share, capped at its planned bandwidth); events are action starts and ends,
 * pre-copy phase changes and give-ups. Rates are recomputed only when the set of
 * running migrations changes, since phases change what is dirtied, not what
 * the network gives.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine.h"
#include "sim/precopy.h"
#include "sim/sharing.h"
#include "util/array.h"

/* Two instants closer than this are the same event (s). */
#define TIME_EPSILON 1e-9

enum state { WAITING, RUNNING, FINISHED };

struct fluid {
    const struct sim_input *in;
    struct mvm_sim_result *out;
    size_t n;
    enum state *state;
    size_t *waiting_for; /* unfinished predecessors */
    bool *doomed;        /* a predecessor did not complete */
    double *fixed_end;   /* non-migrations: end time once started */
    struct precopy *pc;  /* migrations */
    /* running migrations, in a compact list for the sharing computation */
    size_t *running, running_count;
    double *caps, *rates;
    double *event; /* [running]: when the migration's phase ends at its rate */
    size_t **paths;
    size_t *lens;
    bool rates_stale;
    struct sim_sharing sharing;
    double *net_capacity;
    size_t *ready, ready_count;
    size_t *timed, timed_count; /* running non-migrations: binary min-heap by end */
    double now;
};

static bool ends_first(const struct fluid *f, size_t a, size_t b)
{
    return f->fixed_end[a] < f->fixed_end[b] || (f->fixed_end[a] == f->fixed_end[b] && a < b);
}

static void timed_push(struct fluid *f, size_t a)
{
    size_t k = f->timed_count++;
    while (k > 0 && ends_first(f, a, f->timed[(k - 1) / 2])) {
        f->timed[k] = f->timed[(k - 1) / 2];
        k = (k - 1) / 2;
    }
    f->timed[k] = a;
}

static size_t timed_pop(struct fluid *f)
{
    size_t top = f->timed[0], last = f->timed[--f->timed_count], k = 0;
    for (;;) {
        size_t c = 2 * k + 1;
        if (c >= f->timed_count)
            break;
        if (c + 1 < f->timed_count && ends_first(f, f->timed[c + 1], f->timed[c]))
            c++;
        if (!ends_first(f, f->timed[c], last))
            break;
        f->timed[k] = f->timed[c];
        k = c;
    }
    if (f->timed_count > 0)
        f->timed[k] = last;
    return top;
}

static bool is_migration(const struct sim_input *in, size_t a)
{
    return in->plan->actions[a].kind == MVM_ACTION_MIGRATE_VM;
}

static void make_ready(struct fluid *f, size_t a)
{
    f->ready[f->ready_count++] = a;
}

/* An action ended (or was abandoned): release the actions that waited for it. */
static void finish(struct fluid *f, size_t a, enum mvm_sim_status status)
{
    f->state[a] = FINISHED;
    f->out->actions[a].status = status;
    f->out->actions[a].end = f->now;
    size_t count;
    const size_t *succs = mvm_depgraph_succs(f->in->graph, a, &count);
    for (size_t k = 0; k < count; k++) {
        size_t b = succs[k];
        if (status != MVM_SIM_DONE)
            f->doomed[b] = true;
        if (--f->waiting_for[b] == 0)
            make_ready(f, b);
    }
}

static void start(struct fluid *f, size_t a)
{
    const struct sim_input *in = f->in;
    struct mvm_sim_action *r = &f->out->actions[a];
    r->start = f->now;
    if (f->doomed[a]) {
        r->end = f->now;
        finish(f, a, MVM_SIM_SKIPPED);
        return;
    }
    f->state[a] = RUNNING;
    if (!is_migration(in, a)) {
        f->fixed_end[a] = f->now + in->fixed_s[a];
        timed_push(f, a);
        return;
    }
    precopy_start(&f->pc[a], &in->memory[a]);
    f->running[f->running_count++] = a;
    f->rates_stale = true;
}

static void stop_migration(struct fluid *f, size_t a, enum mvm_sim_status status)
{
    for (size_t k = 0; k < f->running_count; k++)
        if (f->running[k] == a) {
            f->running[k] = f->running[--f->running_count];
            /* keep the parallel arrays in step with the list */
            f->rates[k] = f->rates[f->running_count];
            break;
        }
    f->out->actions[a].transferred_mib = f->pc[a].sent;
    f->out->actions[a].rounds = f->pc[a].rounds;
    f->rates_stale = true;
    finish(f, a, status);
}

static int update_rates(struct fluid *f, struct mvm_error *err)
{
    for (size_t k = 0; k < f->running_count; k++) {
        size_t a = f->running[k];
        f->caps[k] = f->in->cap_mbps[a];
        f->paths[k] = f->in->paths[a];
        f->lens[k] = f->in->path_len[a];
    }
    f->rates_stale = false;
    return sim_sharing_rates(&f->sharing, f->running_count, f->caps, f->paths, f->lens, f->rates,
                             err);
}

/* MiB/s of running migration number k. */
static double rate_of(const struct fluid *f, size_t k)
{
    return f->rates[k] / 8.0;
}

static int run(struct fluid *f, struct mvm_error *err)
{
    const struct sim_input *in = f->in;
    double downtime = in->options->downtime_s, give_up = in->options->give_up_s;
    for (;;) {
        /* start everything ready now (starting may finish skipped actions at once) */
        while (f->ready_count > 0)
            start(f, f->ready[--f->ready_count]);
        if (f->rates_stale && update_rates(f, err) < 0)
            return -1;
        double next = f->timed_count > 0 ? f->fixed_end[f->timed[0]] : INFINITY;
        for (size_t k = 0; k < f->running_count; k++) {
            size_t a = f->running[k];
            f->event[k] = f->now + precopy_time_to_event(&f->pc[a], rate_of(f, k), downtime);
            next = fmin(next, fmin(f->event[k], f->out->actions[a].start + give_up));
        }
        if (next == INFINITY)
            break;
        double dt = next - f->now;
        for (size_t k = 0; k < f->running_count; k++) {
            precopy_advance(&f->pc[f->running[k]], rate_of(f, k), dt);
            /*
             * The phases due now end exactly. Left to rounding, what remains could be
             * less than the clock can resolve at this time (now + t == now) yet more
             * than EPSILON_MIB, and would never drain.
             */
            if (f->event[k] <= next + TIME_EPSILON)
                precopy_end_phase(&f->pc[f->running[k]], rate_of(f, k), downtime);
        }
        f->now = next;
        while (f->timed_count > 0 && f->fixed_end[f->timed[0]] <= f->now + TIME_EPSILON)
            finish(f, timed_pop(f), MVM_SIM_DONE);
        for (size_t k = 0; k < f->running_count;) {
            size_t a = f->running[k];
            while (precopy_step(&f->pc[a], rate_of(f, k), downtime))
                ;
            if (f->pc[a].phase == PRECOPY_DONE) {
                stop_migration(f, a, MVM_SIM_DONE);
                continue; /* slot k now holds another migration */
            }
            if (f->now >= f->out->actions[a].start + give_up - TIME_EPSILON) {
                stop_migration(f, a, MVM_SIM_NOT_CONVERGED);
                continue;
            }
            k++;
        }
    }
    return 0;
}

int sim_fluid_run(const struct sim_input *in, struct mvm_sim_result *out, struct mvm_error *err)
{
    size_t n = in->plan->action_count;
    struct fluid f = {.in = in, .out = out, .n = n};
    f.state = mvm_calloc(n, sizeof(*f.state), err);
    f.waiting_for = mvm_calloc(n, sizeof(size_t), err);
    f.doomed = mvm_calloc(n, sizeof(bool), err);
    f.fixed_end = mvm_calloc(n, sizeof(double), err);
    f.pc = mvm_calloc(n, sizeof(*f.pc), err);
    f.running = mvm_calloc(n, sizeof(size_t), err);
    f.caps = mvm_calloc(n, sizeof(double), err);
    f.rates = mvm_calloc(n, sizeof(double), err);
    f.event = mvm_calloc(n, sizeof(double), err);
    f.paths = mvm_calloc(n, sizeof(size_t *), err);
    f.lens = mvm_calloc(n, sizeof(size_t), err);
    f.ready = mvm_calloc(n, sizeof(size_t), err);
    f.timed = mvm_calloc(n, sizeof(size_t), err);
    size_t R = mvm_net_resource_count(in->net);
    f.net_capacity = mvm_calloc(R, sizeof(double), err);
    int rc = -1;
    if (!f.state || !f.waiting_for || !f.doomed || !f.fixed_end || !f.pc || !f.running || !f.caps ||
        !f.rates || !f.event || !f.paths || !f.lens || !f.ready || !f.timed || !f.net_capacity)
        goto done;
    for (size_t r = 0; r < R; r++)
        f.net_capacity[r] = (double)mvm_net_resource_capacity(in->net, r);
    if (sim_sharing_init(&f.sharing, R, f.net_capacity, err) < 0)
        goto done;
    /* ready in the graph's order, reversed because the ready list is a stack */
    const size_t *order = mvm_depgraph_order(in->graph);
    for (size_t k = n; k-- > 0;) {
        size_t a = order[k], count;
        mvm_depgraph_preds(in->graph, a, &count);
        f.waiting_for[a] = count;
        if (count == 0)
            make_ready(&f, a);
    }
    rc = run(&f, err);
done:
    sim_sharing_clear(&f.sharing);
    free(f.state);
    free(f.waiting_for);
    free(f.doomed);
    free(f.fixed_end);
    free(f.pc);
    free(f.running);
    free(f.caps);
    free(f.rates);
    free(f.event);
    free(f.paths);
    free(f.lens);
    free(f.ready);
    free(f.timed);
    free(f.net_capacity);
    return rc;
}
