/* Max-min fair sharing by progressive filling (see sharing.h). */
#include "sim/sharing.h"

#include <math.h>
#include <stdlib.h>

#include "util/array.h"

/* Relative tolerance when comparing rates with shares. */
#define TOLERANCE 1e-12

int sim_sharing_init(struct sim_sharing *s, size_t resources, const double *capacity,
                     struct mvm_error *err)
{
    *s = (struct sim_sharing){.resources = resources, .capacity = capacity};
    s->left = mvm_calloc(resources, sizeof(double), err);
    s->users = mvm_calloc(resources, sizeof(size_t), err);
    s->touched = mvm_calloc(resources, sizeof(size_t), err);
    s->is_touched = mvm_calloc(resources, sizeof(bool), err);
    if (!s->left || !s->users || !s->touched || !s->is_touched) {
        sim_sharing_clear(s);
        return -1;
    }
    return 0;
}

void sim_sharing_clear(struct sim_sharing *s)
{
    free(s->left);
    free(s->users);
    free(s->touched);
    free(s->is_touched);
    free(s->fixed);
    *s = (struct sim_sharing){0};
}

int sim_sharing_rates(struct sim_sharing *s, size_t count, const double *cap, size_t *const *paths,
                      const size_t *path_len, double *rate, struct mvm_error *err)
{
    if (count > s->flow_capacity) {
        bool *f = realloc(s->fixed, count * sizeof(bool));
        if (f == NULL)
            return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
        s->fixed = f;
        s->flow_capacity = count;
    }
    size_t touched = 0, unfixed = count;
    for (size_t f = 0; f < count; f++) {
        s->fixed[f] = false;
        rate[f] = 0.0;
        for (size_t k = 0; k < path_len[f]; k++) {
            size_t r = paths[f][k];
            if (!s->is_touched[r]) {
                s->is_touched[r] = true;
                s->touched[touched++] = r;
                s->left[r] = s->capacity[r];
                s->users[r] = 0;
            }
            s->users[r]++;
        }
    }
    while (unfixed > 0) {
        /* the level every unfixed transfer can still reach together */
        double level = INFINITY;
        for (size_t t = 0; t < touched; t++) {
            size_t r = s->touched[t];
            if (s->users[r] > 0)
                level = fmin(level, s->left[r] / (double)s->users[r]);
        }
        for (size_t f = 0; f < count; f++)
            if (!s->fixed[f])
                level = fmin(level, cap[f]);
        if (!(level >= 0.0))
            level = 0.0;
        /* fix the transfers stopped at that level: by their cap or a full element */
        double slack = level * TOLERANCE + TOLERANCE;
        for (size_t f = 0; f < count; f++) {
            if (s->fixed[f])
                continue;
            bool stop = cap[f] <= level + slack;
            for (size_t k = 0; !stop && k < path_len[f]; k++) {
                size_t r = paths[f][k];
                stop = s->left[r] / (double)s->users[r] <= level + slack;
            }
            if (!stop)
                continue;
            s->fixed[f] = true;
            rate[f] = fmin(level, cap[f]);
            unfixed--;
            for (size_t k = 0; k < path_len[f]; k++) {
                size_t r = paths[f][k];
                s->left[r] -= rate[f];
                s->users[r]--;
            }
        }
    }
    for (size_t t = 0; t < touched; t++)
        s->is_touched[s->touched[t]] = false;
    return 0;
}
