/*
 * Energy and power of a reconfiguration (see mvm/energy.h). The power drawn is
 * a step function of time: nodes switch on and off, boot overheads start and
 * stop, VMs come and go, migrations spread their energy over their duration.
 * Every change is an event; sweeping the events in time order integrates the
 * energy by kind and fills the per-second profile.
 */
#include "mvm/energy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/power_json.h"
#include "util/array.h"

void mvm_power_model_clear(struct mvm_power_model *pm)
{
    free(pm->idle_w);
    free(pm->boot_w);
    free(pm->vm_w);
    memset(pm, 0, sizeof(*pm));
}

int mvm_power_model_init(struct mvm_power_model *pm, const struct mvm_model *m,
                         struct mvm_error *err)
{
    memset(pm, 0, sizeof(*pm));
    pm->node_count = m->node_count;
    pm->vm_count = m->vm_count;
    pm->idle_w = mvm_calloc(m->node_count, sizeof(double), err);
    pm->boot_w = mvm_calloc(m->node_count, sizeof(double), err);
    pm->vm_w = mvm_calloc(m->vm_count, sizeof(double), err);
    if (!pm->idle_w || !pm->boot_w || !pm->vm_w) {
        mvm_power_model_clear(pm);
        return -1;
    }
    for (size_t n = 0; n < m->node_count; n++) {
        pm->idle_w[n] = MVM_DEFAULT_IDLE_W;
        pm->boot_w[n] = MVM_DEFAULT_BOOT_W;
    }
    for (size_t v = 0; v < m->vm_count; v++)
        pm->vm_w[v] = MVM_DEFAULT_VM_W;
    pm->migration_j_per_mib = MVM_DEFAULT_MIGRATION_J_PER_MIB;
    pm->migration_j = MVM_DEFAULT_MIGRATION_J;
    for (size_t i = 0; i < m->view_count; i++) {
        const struct mvm_view *view = &m->views[i];
        /* cheap filter first: only a view mentioning "power" can be one */
        if (view->kind != MVM_VIEW_OTHER || strstr(view->json, "\"" MVM_POWER_VIEW_ID "\"") == NULL)
            continue;
        if (power_view_read(view->json, m, pm, err) < 0) {
            mvm_power_model_clear(pm);
            return -1;
        }
    }
    return 0;
}

enum kind { K_NODES, K_BOOTS, K_VMS, K_MIGRATIONS, K_COUNT };

struct step {
    double time;
    double watts; /* change */
    enum kind kind;
};

struct steps {
    struct step *items;
    size_t count, capacity;
};

static int add_step(struct steps *s, double time, double watts, enum kind kind,
                    struct mvm_error *err)
{
    if (watts == 0.0)
        return 0;
    if (MVM_ARRAY_RESERVE(s->items, s->capacity, s->count + 1, err) < 0)
        return -1;
    s->items[s->count++] = (struct step){time, watts, kind};
    return 0;
}

/* Power `watts` of `kind` over [from, to). */
static int add_interval(struct steps *s, double from, double to, double watts, enum kind kind,
                        struct mvm_error *err)
{
    if (to <= from)
        return 0;
    return add_step(s, from, watts, kind, err) < 0 || add_step(s, to, -watts, kind, err) < 0 ? -1
                                                                                             : 0;
}

static int compare_steps(const void *a, const void *b)
{
    const struct step *x = a, *y = b;
    return (x->time > y->time) - (x->time < y->time);
}

/* The power steps of nodes, boots and VMs, following the actions in time order. */
static int state_steps(const struct mvm_plan *plan, const struct mvm_power_model *pm,
                       const double *start, const double *end, struct steps *s,
                       struct mvm_error *err)
{
    const struct mvm_model *m = plan->origin;
    for (size_t n = 0; n < m->node_count; n++)
        if (m->nodes[n].state == MVM_NODE_ONLINE &&
            add_step(s, 0.0, pm->idle_w[n], K_NODES, err) < 0)
            return -1;
    for (size_t v = 0; v < m->vm_count; v++)
        if (m->vms[v].state == MVM_VM_RUNNING && add_step(s, 0.0, pm->vm_w[v], K_VMS, err) < 0)
            return -1;
    for (size_t a = 0; a < plan->action_count; a++) {
        const struct mvm_action *act = &plan->actions[a];
        double t0 = start[a], t1 = end[a];
        int rc = 0;
        switch (act->kind) {
        case MVM_ACTION_BOOT_NODE:
            rc = add_step(s, t0, pm->idle_w[act->node], K_NODES, err) < 0 ||
                         add_interval(s, t0, t1, pm->boot_w[act->node], K_BOOTS, err) < 0
                     ? -1
                     : 0;
            break;
        case MVM_ACTION_SHUTDOWN_NODE:
            rc = add_step(s, t1, -pm->idle_w[act->node], K_NODES, err);
            break;
        case MVM_ACTION_BOOT_VM:
        case MVM_ACTION_RESUME_VM:
            rc = add_step(s, t0, pm->vm_w[act->vm], K_VMS, err);
            break;
        case MVM_ACTION_SHUTDOWN_VM:
        case MVM_ACTION_SUSPEND_VM:
            rc = add_step(s, t1, -pm->vm_w[act->vm], K_VMS, err);
            break;
        case MVM_ACTION_KILL_VM:
            /* only a running VM drew power; the origin says which were */
            if (m->vms[act->vm].state == MVM_VM_RUNNING)
                rc = add_step(s, t1, -pm->vm_w[act->vm], K_VMS, err);
            break;
        default:
            break;
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

int mvm_energy_compute(const struct mvm_plan *plan, const struct mvm_power_model *pm,
                       const double *start, const double *end, const double *mib, double horizon,
                       struct mvm_energy *out, double **profile, size_t *seconds,
                       struct mvm_error *err)
{
    memset(out, 0, sizeof(*out));
    if (profile != NULL)
        *profile = NULL;
    if (horizon <= 0.0)
        for (size_t a = 0; a < plan->action_count; a++)
            horizon = fmax(horizon, end[a]);
    out->horizon_s = horizon;
    struct steps s = {0};
    size_t bins = (size_t)ceil(horizon);
    double *per_second = mvm_calloc(bins, sizeof(double), err);
    int rc = per_second == NULL ? -1 : state_steps(plan, pm, start, end, &s, err);
    for (size_t a = 0; rc == 0 && a < plan->action_count; a++) {
        const struct mvm_action *act = &plan->actions[a];
        if (act->kind != MVM_ACTION_MIGRATE_VM)
            continue;
        double sent =
            mib != NULL ? mib[a]
                        : (double)(act->bw_mbps > 0 ? act->bw_mbps : 0) / 8.0 * (end[a] - start[a]);
        double joules = pm->migration_j_per_mib * sent + pm->migration_j;
        if (end[a] > start[a])
            rc =
                add_interval(&s, start[a], end[a], joules / (end[a] - start[a]), K_MIGRATIONS, err);
        else
            out->migrations_j += joules; /* instantaneous: counted, not profiled */
    }
    if (rc == 0) {
        qsort(s.items, s.count, sizeof(*s.items), compare_steps);
        double level[K_COUNT] = {0}, t = 0.0;
        double *by_kind[K_COUNT] = {&out->nodes_j, &out->boots_j, &out->vms_j, &out->migrations_j};
        for (size_t i = 0; i <= s.count; i++) {
            double next = i < s.count ? fmin(s.items[i].time, horizon) : horizon;
            if (next > t) {
                double power = 0.0;
                for (int k = 0; k < K_COUNT; k++) {
                    *by_kind[k] += level[k] * (next - t);
                    power += level[k];
                }
                /* spread over the seconds [t, next) overlaps */
                for (size_t b = (size_t)floor(t); b < bins && (double)b < next; b++)
                    per_second[b] += power * (fmin(next, (double)b + 1.0) - fmax(t, (double)b));
                t = next;
            }
            if (i < s.count)
                level[s.items[i].kind] += s.items[i].watts;
        }
        out->total_j = out->nodes_j + out->boots_j + out->vms_j + out->migrations_j;
        for (size_t b = 0; b < bins; b++)
            out->peak_w = fmax(out->peak_w, per_second[b]);
    }
    free(s.items);
    if (rc == 0 && profile != NULL) {
        *profile = per_second;
        *seconds = bins;
    } else {
        free(per_second);
    }
    return rc;
}

size_t mvm_power_over_budget(const struct mvm_constraint *c, const double *watts, size_t seconds,
                             size_t *first)
{
    size_t from = (size_t)c->window_start, count = 0;
    size_t to =
        c->window_end < 0 || (size_t)c->window_end > seconds ? seconds : (size_t)c->window_end;
    for (size_t s = from; s < to; s++)
        if (watts[s] > c->watts + 1e-6 && count++ == 0)
            *first = s;
    return count;
}

int mvm_plan_energy(const struct mvm_plan *plan, const struct mvm_power_model *pm, double horizon,
                    struct mvm_energy *out, double **profile, size_t *seconds,
                    struct mvm_error *err)
{
    size_t n = plan->action_count;
    double *start = mvm_calloc(n, sizeof(double), err);
    double *end = mvm_calloc(n, sizeof(double), err);
    int rc = -1;
    if (start != NULL && end != NULL) {
        for (size_t a = 0; a < n; a++) {
            start[a] = (double)plan->actions[a].start;
            end[a] = (double)plan->actions[a].end;
        }
        rc = mvm_energy_compute(plan, pm, start, end, NULL, horizon, out, profile, seconds, err);
    }
    free(start);
    free(end);
    return rc;
}
