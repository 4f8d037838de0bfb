/*
 * libFuzzer target for the JSON readers: any byte string must either load as an
 * instance or plan (and then write back and verify without crashing) or fail
 * with an error; never crash, leak or trip a sanitizer.
 * Build: meson setup build-fuzz -Dfuzz=true (with CC=clang), then run
 * build-fuzz/tests/fuzz/fuzz-document tests/data/instances/random4.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mvm/io.h"
#include "mvm/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mvm_error err;
    mvm_error_clear(&err);
    struct mvm_instance *in = mvm_instance_parse((const char *)data, size, "fuzz", &err);
    if (in != NULL) {
        free(mvm_instance_to_json(in, MVM_JSON_COMPACT, &err));
        mvm_instance_free(in);
    }
    mvm_error_clear(&err);
    struct mvm_plan *plan = mvm_plan_parse((const char *)data, size, "fuzz", &err);
    if (plan != NULL) {
        free(mvm_plan_to_json(plan, MVM_JSON_COMPACT, &err));
        /* verify the plan against an instance made of its own origin */
        struct mvm_model *copy = mvm_model_copy(plan->origin, &err);
        struct mvm_instance *self = copy ? mvm_instance_new(copy, &err) : NULL;
        if (self != NULL) {
            struct mvm_verify_report report = {0};
            struct mvm_verify_options opt;
            mvm_verify_options_init(&opt);
            opt.start_epoch = 0;
            mvm_plan_verify(self, plan, &opt, &report, &err);
            mvm_verify_report_clear(&report);
        }
        mvm_instance_free(self);
        mvm_plan_free(plan);
    }
    return 0;
}
