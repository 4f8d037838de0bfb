/*
 * Max-min fair sharing of network elements between concurrent transfers, each
 * capped at its own bandwidth (progressive filling): rates rise together until
 * a transfer reaches its cap or an element is full; those are fixed and the
 * others keep rising. This is what TCP flows sharing links converge to, and
 * what SimGrid's network model computes.
 */
#ifndef MVM_SIM_SHARING_H
#define MVM_SIM_SHARING_H

#include <stdbool.h>
#include <stddef.h>

#include "mvm/error.h"

struct sim_sharing {
    size_t resources;
    const double *capacity; /* [resources], Mbit/s */
    /* workspace, sized once */
    double *left;     /* [resources] capacity not yet given */
    size_t *users;    /* [resources] unfixed transfers crossing it */
    size_t *touched;  /* resources used by the current transfers */
    bool *is_touched; /* [resources] */
    bool *fixed;      /* [flows] */
    size_t flow_capacity;
};

int sim_sharing_init(struct sim_sharing *s, size_t resources, const double *capacity,
                     struct mvm_error *err);
void sim_sharing_clear(struct sim_sharing *s);

/*
 * Rates (Mbit/s) of `count` transfers: transfer f is capped at cap[f] and
 * crosses the resources paths[f][0 .. path_len[f]). Fills rate[count].
 */
int sim_sharing_rates(struct sim_sharing *s, size_t count, const double *cap, size_t *const *paths,
                      const size_t *path_len, double *rate, struct mvm_error *err);

#endif
