/*
 * Lower bounds (see bound.h).
 *
 * Makespan: every task's head + duration + tail (critical path), and for each
 * network element e with tasks T(e): min head + ceil(sum of bw x duration over
 * T(e) / capacity(e)) + min tail, because e can carry no more than its capacity
 * at any second. When bypasses may split tasks, raised heads pair with
 * precedence-only tails and the other way round (see problem.c).
 *
 * Sum of end times: each task ends no earlier than head + duration. Better, on
 * an element e, relaxing each task's own rate to e's whole capacity, the k-th
 * transfer to end cannot end before min head + (the k smallest transfers) /
 * capacity (shortest first is optimal for that relaxation); this holds for any
 * subset of e's tasks. Elements are taken busiest first, each bounding the
 * tasks no busier element has bounded yet (so no task is counted twice); the
 * remaining tasks count head + duration.
 */
#include "sched/bound.h"

#include <stdlib.h>
#include <string.h>

#include "util/array.h"

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct loaded {
    double load;
    size_t element;
};

/* Busiest first; ties by element index, so the bound is reproducible. */
static int compare_loaded(const void *a, const void *b)
{
    const struct loaded *x = a, *y = b;
    if (x->load != y->load)
        return x->load > y->load ? -1 : 1;
    return x->element < y->element ? -1 : x->element > y->element;
}

static int64_t ceil_div(double x)
{
    int64_t r = (int64_t)x;
    return (double)r < x - 1e-9 ? r + 1 : r;
}

int sched_bounds_compute(const struct sched_problem *p, struct sched_bounds *out,
                         struct mvm_error *err)
{
    size_t n = p->task_count, R = p->net_rcs;
    int64_t plain_sum = 0, makespan = 0;
    for (size_t i = 0; i < n; i++) {
        const struct sched_task *t = &p->tasks[i];
        int64_t path = p->may_split ? p->head[i] + t->duration + p->tail0[i]
                                    : p->head[i] + t->duration + p->tail[i];
        if (p->may_split && p->head0[i] + t->duration + p->tail[i] > path)
            path = p->head0[i] + t->duration + p->tail[i];
        makespan = path > makespan ? path : makespan;
        plain_sum += p->head[i] + t->duration;
    }
    /* tasks per element (CSR) */
    size_t *start = mvm_calloc(R + 1, sizeof(size_t), err);
    if (start == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < p->tasks[i].path_len; k++)
            start[p->paths[p->tasks[i].path_off + k] + 1]++;
    for (size_t r = 0; r < R; r++)
        start[r + 1] += start[r];
    size_t total = start[R];
    size_t *members = mvm_calloc(total, sizeof(size_t), err);
    size_t *fill = mvm_calloc(R, sizeof(size_t), err);
    double *areas = mvm_calloc(n, sizeof(double), err);
    if (members == NULL || fill == NULL || areas == NULL) {
        free(start);
        free(members);
        free(fill);
        free(areas);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < p->tasks[i].path_len; k++) {
            size_t r = p->paths[p->tasks[i].path_off + k];
            members[start[r] + fill[r]++] = i;
        }
    /* makespan: each element's transfer at capacity */
    struct loaded *order = mvm_calloc(R, sizeof(*order), err);
    bool *counted = mvm_calloc(n, sizeof(bool), err);
    int rc = order && counted ? 0 : -1;
    for (size_t r = 0; rc == 0 && r < R; r++) {
        size_t m = start[r + 1] - start[r];
        order[r] = (struct loaded){0.0, r};
        if (m == 0)
            continue;
        double cap = (double)p->net_cap[r];
        int64_t min_head = INT64_MAX, min_tail = INT64_MAX, min_head0 = INT64_MAX,
                min_tail0 = INT64_MAX;
        for (size_t k = 0; k < m; k++) {
            size_t i = members[start[r] + k];
            order[r].load += (double)p->tasks[i].bw * (double)p->tasks[i].duration / cap;
            min_head = p->head[i] < min_head ? p->head[i] : min_head;
            min_tail = p->tail[i] < min_tail ? p->tail[i] : min_tail;
            min_head0 = p->head0[i] < min_head0 ? p->head0[i] : min_head0;
            min_tail0 = p->tail0[i] < min_tail0 ? p->tail0[i] : min_tail0;
        }
        int64_t area = ceil_div(order[r].load);
        int64_t span = p->may_split ? min_head + area + min_tail0 : min_head + area + min_tail;
        if (p->may_split && min_head0 + area + min_tail > span)
            span = min_head0 + area + min_tail;
        makespan = span > makespan ? span : makespan;
    }
    /* sum of ends: disjoint groups, busiest elements first */
    int64_t sum = plain_sum;
    if (rc == 0)
        qsort(order, R, sizeof(*order), compare_loaded);
    for (size_t o = 0; rc == 0 && o < R; o++) {
        size_t r = order[o].element, m = 0;
        double cap = (double)p->net_cap[r];
        int64_t min_head = INT64_MAX, own_sum = 0;
        for (size_t k = start[r]; k < start[r + 1]; k++) {
            size_t i = members[k];
            if (counted[i])
                continue;
            counted[i] = true;
            areas[m++] = (double)p->tasks[i].bw * (double)p->tasks[i].duration / cap;
            min_head = p->head[i] < min_head ? p->head[i] : min_head;
            own_sum += p->head[i] + p->tasks[i].duration;
        }
        if (m == 0)
            continue;
        qsort(areas, m, sizeof(double), compare_doubles);
        double prefix = 0.0;
        int64_t spt_sum = 0;
        for (size_t k = 0; k < m; k++) {
            prefix += areas[k];
            spt_sum += min_head + ceil_div(prefix);
        }
        if (spt_sum > own_sum)
            sum += spt_sum - own_sum;
    }
    free(order);
    free(counted);
    if (rc < 0) {
        free(start);
        free(members);
        free(fill);
        free(areas);
        return -1;
    }
    out->makespan = makespan;
    out->sum_of_ends = sum;
    free(start);
    free(members);
    free(fill);
    free(areas);
    return 0;
}
