/*
 * Parsing benchmark: loads each instance or plan file several times and prints
 * the median wall-clock time of mvm_document_load (gunzip + JSON parse + model
 * construction) with the file's size. The target of the foundation issue is
 * "well under 1 s" for placement/nr3.json.gz (5,000 nodes, 15,000 VMs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mvm/io.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    enum { RUNS = 7 };
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE...\n", argv[0]);
        return 2;
    }
    printf("%-50s %8s %8s %12s\n", "file", "nodes", "VMs", "median (ms)");
    for (int f = 1; f < argc; f++) {
        double t[RUNS];
        size_t nodes = 0, vms = 0;
        for (int r = 0; r < RUNS; r++) {
            struct mvm_error err;
            mvm_error_clear(&err);
            struct mvm_document doc;
            double t0 = now();
            if (mvm_document_load(argv[f], &doc, &err) < 0) {
                char buf[1024];
                fprintf(stderr, "%s\n", mvm_error_format(&err, buf, sizeof(buf)));
                return 2;
            }
            t[r] = now() - t0;
            const struct mvm_model *m =
                doc.kind == MVM_DOCUMENT_PLAN ? doc.plan->origin : doc.instance->model;
            nodes = m->node_count;
            vms = m->vm_count;
            mvm_document_clear(&doc);
        }
        qsort(t, RUNS, sizeof(t[0]), compare_doubles);
        printf("%-50s %8zu %8zu %12.1f\n", argv[f], nodes, vms, t[RUNS / 2] * 1000.0);
    }
    return 0;
}
