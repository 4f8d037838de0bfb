/*
 * Decoding the `power` view (docs/energy.md) into a power model. Lives with the
 * other JSON readers so errors carry the same file-and-path precision.
 */
#ifndef MVM_IO_POWER_JSON_H
#define MVM_IO_POWER_JSON_H

#include "mvm/energy.h"
#include "mvm/model.h"

/* The JSON id of our power view, and of mVM's (which carries no figures). */
#define MVM_POWER_VIEW_ID "power"
#define MVM_ENERGY_VIEW_ID "EnergyView"

/*
 * When the view's JSON text is a power view, overrides pm's figures (already
 * sized for model and set to the defaults) with its own and returns 1; returns
 * 0 for any other view; -1 on a malformed power view (errors name
 * `views.power.<key>`).
 */
int power_view_read(const char *json, const struct mvm_model *model, struct mvm_power_model *pm,
                    struct mvm_error *err);

#endif
