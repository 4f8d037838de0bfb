/*
 * libFuzzer target for the SimGrid platform reader: any byte string must either
 * read as a platform (and then build a network for a model of 16 nodes, 0..15,
 * mapping routes onto it) or fail with an error; never crash, leak or trip a
 * sanitizer. Build: meson setup build-fuzz -Dfuzz=true (with CC=clang), then
 * export a few platforms (mvm export-platform) into a corpus directory and run
 * build-fuzz/tests/fuzz/fuzz-platform CORPUS.
 */
#include <stddef.h>
#include <stdint.h>

#include "io/platform.h"
#include "mvm/model.h"
#include "mvm/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mvm_error err;
    mvm_error_clear(&err);
    struct pf_platform p = {0};
    if (pf_platform_parse((const char *)data, size, "fuzz", &p, &err) == 0) {
        struct mvm_model *m = mvm_model_new(&err);
        for (int32_t i = 0; m != NULL && i < 16; i++)
            mvm_model_add_node(m, i, MVM_NODE_ONLINE, &err);
        if (m != NULL)
            mvm_net_free(pf_build_net(&p, m, &err));
        mvm_model_free(m);
    }
    pf_platform_clear(&p);
    return 0;
}
