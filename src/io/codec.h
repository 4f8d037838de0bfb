/*
 * Converters between jansson values and the library's structures, one per
 * BtrPlace JSON concept (model, network view, constraint, action). Readers take
 * a struct mvm_jctx positioned at the value's path; writers return new values.
 */
#ifndef MVM_IO_CODEC_H
#define MVM_IO_CODEC_H

#include <jansson.h>

#include "io/json.h"
#include "mvm/constraint.h"
#include "mvm/model.h"
#include "mvm/net.h"
#include "mvm/plan.h"

struct mvm_model *model_from_json(struct mvm_jctx *c, const json_t *v);
json_t *model_to_json(const struct mvm_model *model, struct mvm_error *err);

/* Reads a network view into a new, finalized network of model's nodes. */
struct mvm_net *net_from_json(struct mvm_jctx *c, const json_t *view,
                              const struct mvm_model *model);
json_t *net_to_json(const struct mvm_net *net, struct mvm_error *err);

int constraint_from_json(struct mvm_jctx *c, const json_t *v, const struct mvm_model *model,
                         struct mvm_constraint *out);
json_t *constraint_to_json(const struct mvm_constraint *cstr, const struct mvm_model *model,
                           struct mvm_error *err);

int action_from_json(struct mvm_jctx *c, const json_t *v, const struct mvm_model *model,
                     struct mvm_action *out);
json_t *action_to_json(const struct mvm_action *a, const struct mvm_model *model,
                       struct mvm_error *err);

#endif
