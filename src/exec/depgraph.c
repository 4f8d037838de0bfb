/*
 * The dependency graph of a plan (REFERENCE section 9, contract in mvm/exec.h):
 * which earlier actions each action must wait for. Built per element (node or
 * network resource): the actions using an element are swept in planned order;
 * those that have ended form a set whose latest members (an antichain: pairwise
 * overlapping intervals) are exactly the predecessors an action needs on that
 * element, so the per-element transitive reduction costs one heap and one queue
 * per element instead of a comparison of every pair. Edges found on several
 * elements are merged once at the end.
 */
#include "mvm/exec.h"

#include <stdlib.h>
#include <string.h>

#include "util/array.h"

struct edge {
    size_t pred, succ;
};

/* Everything mvm_depgraph_build allocates while working, freed in one place. */
struct build {
    const struct mvm_plan *plan;
    struct mvm_error *err;
    size_t n;            /* actions */
    size_t elements;     /* node_count + network resources + constraint elements + power */
    size_t net_elements; /* node_count + network resources: where the extra ones begin */
    const struct mvm_depgraph_options *options;
    size_t *vm_groups_start, *vm_groups; /* CSR over origin VMs: their constraint elements */
    size_t *rank;                        /* [n]: position of each action in the planned order */
    size_t *use_start;                   /* [n + 1]: elements used by action i, CSR into uses */
    size_t *uses;
    size_t use_capacity;
    size_t *elem_start; /* [elements + 1]: actions using each element, in planned order */
    size_t *elem_actions;
    size_t *heap;       /* running actions of the element, by (end, rank) */
    size_t *ended;      /* maximal ended actions of the element, a queue by (end, rank) */
    struct edge *edges; /* (pred, succ) pairs, duplicates across elements included */
    size_t edge_count, edge_capacity;
};

static const struct mvm_action *act(const struct build *b, size_t i)
{
    return &b->plan->actions[i];
}

/* Planned order: start, then end, then index. */
static int compare_planned(size_t i, size_t j, const struct mvm_action *acts)
{
    const struct mvm_action *a = &acts[i], *c = &acts[j];
    if (a->start != c->start)
        return a->start < c->start ? -1 : 1;
    if (a->end != c->end)
        return a->end < c->end ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* qsort has no context argument in C11: sort by merging with an explicit one. */
static void sort_planned(size_t *items, size_t *tmp, size_t count, const struct mvm_action *acts)
{
    for (size_t width = 1; width < count; width *= 2) {
        for (size_t lo = 0; lo < count; lo += 2 * width) {
            size_t mid = lo + width < count ? lo + width : count;
            size_t hi = lo + 2 * width < count ? lo + 2 * width : count;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = compare_planned(items[j], items[i], acts) < 0 ? items[j++] : items[i++];
            while (i < mid)
                tmp[k++] = items[i++];
            while (j < hi)
                tmp[k++] = items[j++];
        }
        memcpy(items, tmp, count * sizeof(*items));
    }
}

static int add_use(struct build *b, size_t element)
{
    if (MVM_ARRAY_RESERVE(b->uses, b->use_capacity, b->use_start[b->n] + 1, b->err) < 0)
        return -1;
    b->uses[b->use_start[b->n]++] = element;
    return 0;
}

/* Adds an element to action i's uses unless already there (lists are a few long). */
static int use_once(struct build *b, size_t i, size_t element)
{
    for (size_t k = b->use_start[i]; k < b->use_start[b->n]; k++)
        if (b->uses[k] == element)
            return 0;
    return add_use(b, element);
}

static int extra_uses(struct build *b, size_t i);

/*
 * Lists the elements of every action: the nodes it touches and, for a migration,
 * the resources of its path (elements node_count + r). Actions are listed in
 * index order, so use_start[n], the running count, ends as the total.
 */
static int collect_uses(struct build *b, const struct mvm_net *net)
{
    const struct mvm_model *o = b->plan->origin;
    struct mvm_path path = {0};
    int rc = 0;
    for (size_t i = 0; i < b->n && rc == 0; i++) {
        const struct mvm_action *a = act(b, i);
        b->use_start[i] = b->use_start[b->n];
        if (a->end < a->start) {
            rc = mvm_error_set(b->err, MVM_ERR_INVALID,
                               "action %zu (%s) ends at t=%lld s, before it starts at t=%lld s", i,
                               mvm_action_kind_name(a->kind), (long long)a->end,
                               (long long)a->start);
            break;
        }
        const size_t nodes[3] = {a->from, a->to, a->node};
        for (size_t k = 0; k < 3 && rc == 0; k++)
            if (nodes[k] != MVM_NONE)
                rc = use_once(b, i, nodes[k]);
        if (rc == 0)
            rc = extra_uses(b, i);
        if (rc < 0 || net == NULL || a->kind != MVM_ACTION_MIGRATE_VM || a->from == a->to ||
            a->from == MVM_NONE || a->to == MVM_NONE)
            continue;
        struct mvm_error perr;
        mvm_error_clear(&perr);
        if (mvm_net_path(net, a->from, a->to, &path, &perr) < 0) {
            rc = mvm_error_set(b->err, MVM_ERR_INVALID,
                               "action %zu (migrateVM of vm %d from node %d to node %d): %s", i,
                               (int)o->vms[a->vm].id, (int)o->nodes[a->from].id,
                               (int)o->nodes[a->to].id, perr.message);
            break;
        }
        for (size_t k = 0; k < path.count && rc == 0; k++)
            rc = use_once(b, i, o->node_count + path.resources[k]);
    }
    mvm_path_clear(&path);
    return rc;
}

/* The extra elements of action i: its VM's constraint groups, and the power. */
static int extra_uses(struct build *b, size_t i)
{
    const struct mvm_action *a = act(b, i);
    int rc = 0;
    if (b->vm_groups_start != NULL && a->vm != MVM_NONE)
        for (size_t k = b->vm_groups_start[a->vm]; k < b->vm_groups_start[a->vm + 1] && rc == 0;
             k++)
            rc = use_once(b, i, b->vm_groups[k]);
    /* every known action changes the power drawn: nodes on or off, VMs, transfers */
    if (rc == 0 && b->options != NULL && b->options->power && a->kind != MVM_ACTION_OTHER)
        rc = use_once(b, i, b->elements - 1);
    return rc;
}

/*
 * One element per Serialize and Precedence constraint of the instance, shared
 * by the actions of its VMs (matched to the origin by VM id).
 */
static int constraint_groups(struct build *b, size_t *groups)
{
    const struct mvm_instance *in = b->options != NULL ? b->options->instance : NULL;
    *groups = 0;
    if (in == NULL)
        return 0;
    const struct mvm_model *o = b->plan->origin;
    b->vm_groups_start = mvm_calloc(o->vm_count + 1, sizeof(size_t), b->err);
    if (b->vm_groups_start == NULL)
        return -1;
    for (int pass = 0; pass < 2; pass++) {
        size_t group = 0;
        for (size_t ci = 0; ci < in->constraint_count; ci++) {
            const struct mvm_constraint *c = &in->constraints[ci];
            if (c->kind != MVM_CONSTRAINT_SERIALIZE && c->kind != MVM_CONSTRAINT_PRECEDENCE)
                continue;
            for (size_t k = 0; k < c->vm_count; k++) {
                size_t v = mvm_model_vm_index(o, in->model->vms[c->vms[k]].id);
                if (v == MVM_NONE)
                    continue;
                if (pass == 0)
                    b->vm_groups_start[v + 1]++;
                else
                    b->vm_groups[b->vm_groups_start[v]++] = b->net_elements + group;
            }
            group++;
        }
        *groups = group;
        if (pass == 0) {
            for (size_t v = 0; v < o->vm_count; v++)
                b->vm_groups_start[v + 1] += b->vm_groups_start[v];
            b->vm_groups = mvm_calloc(b->vm_groups_start[o->vm_count], sizeof(size_t), b->err);
            if (b->vm_groups == NULL)
                return -1;
        }
    }
    /* the second pass advanced every start to the next one: shift back */
    for (size_t v = o->vm_count; v > 0; v--)
        b->vm_groups_start[v] = b->vm_groups_start[v - 1];
    b->vm_groups_start[0] = 0;
    return 0;
}

/* Groups the uses by element, each group in planned order. */
static int group_by_element(struct build *b, const size_t *order)
{
    b->elem_start = mvm_calloc(b->elements + 1, sizeof(size_t), b->err);
    b->elem_actions = mvm_calloc(b->use_start[b->n], sizeof(size_t), b->err);
    if (b->elem_start == NULL || b->elem_actions == NULL)
        return -1;
    for (size_t k = 0; k < b->use_start[b->n]; k++)
        b->elem_start[b->uses[k] + 1]++;
    size_t longest = 0;
    for (size_t e = 0; e < b->elements; e++) {
        size_t len = b->elem_start[e + 1];
        longest = len > longest ? len : longest;
        b->elem_start[e + 1] += b->elem_start[e];
    }
    size_t *fill = mvm_calloc(b->elements, sizeof(size_t), b->err);
    b->heap = mvm_calloc(longest, sizeof(size_t), b->err);
    b->ended = mvm_calloc(longest, sizeof(size_t), b->err);
    if (fill == NULL || b->heap == NULL || b->ended == NULL) {
        free(fill);
        return -1;
    }
    memcpy(fill, b->elem_start, b->elements * sizeof(size_t));
    for (size_t r = 0; r < b->n; r++) {
        size_t i = order[r];
        for (size_t k = b->use_start[i]; k < b->use_start[i + 1]; k++)
            b->elem_actions[fill[b->uses[k]]++] = i;
    }
    free(fill);
    return 0;
}

/* Heap order of running actions: earlier end first, then planned order. */
static bool heap_before(const struct build *b, size_t i, size_t j)
{
    const struct mvm_action *x = act(b, i), *y = act(b, j);
    if (x->end != y->end)
        return x->end < y->end;
    return b->rank[i] < b->rank[j];
}

static void heap_push(struct build *b, size_t *count, size_t i)
{
    size_t at = (*count)++;
    while (at > 0) {
        size_t up = (at - 1) / 2;
        if (!heap_before(b, i, b->heap[up]))
            break;
        b->heap[at] = b->heap[up];
        at = up;
    }
    b->heap[at] = i;
}

static size_t heap_pop(struct build *b, size_t *count)
{
    size_t top = b->heap[0], last = b->heap[--*count], at = 0;
    for (;;) {
        size_t c = 2 * at + 1;
        if (c >= *count)
            break;
        if (c + 1 < *count && heap_before(b, b->heap[c + 1], b->heap[c]))
            c++;
        if (!heap_before(b, b->heap[c], last))
            break;
        b->heap[at] = b->heap[c];
        at = c;
    }
    if (*count > 0)
        b->heap[at] = last;
    return top;
}

static int add_edge(struct build *b, size_t pred, size_t succ)
{
    if (MVM_ARRAY_RESERVE(b->edges, b->edge_capacity, b->edge_count + 1, b->err) < 0)
        return -1;
    b->edges[b->edge_count++] = (struct edge){pred, succ};
    return 0;
}

/*
 * One element's sweep. Actions arrive in planned order; before action a, every
 * running action that ended by a's start leaves the heap (in end order) for the
 * queue of ended ones, evicting from the queue's front those it follows (they end
 * by its start). What the queue holds then are a's predecessors on the element.
 */
static int sweep_element(struct build *b, size_t e)
{
    size_t running = 0, head = 0, tail = 0;
    for (size_t k = b->elem_start[e]; k < b->elem_start[e + 1]; k++) {
        size_t a = b->elem_actions[k];
        int64_t start = act(b, a)->start;
        while (running > 0 && act(b, b->heap[0])->end <= start) {
            size_t done = heap_pop(b, &running);
            while (head < tail && act(b, b->ended[head])->end <= act(b, done)->start)
                head++;
            b->ended[tail++] = done;
        }
        for (size_t q = head; q < tail; q++)
            if (add_edge(b, b->ended[q], a) < 0)
                return -1;
        heap_push(b, &running, a);
    }
    return 0;
}

static int compare_size(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return a < b ? -1 : a > b;
}

/* Turns the edge list into sorted, duplicate-free predecessor and successor rows. */
static int make_rows(struct build *b, struct mvm_depgraph *g)
{
    size_t n = b->n;
    g->pred_start = mvm_calloc(n + 1, sizeof(size_t), b->err);
    g->succ_start = mvm_calloc(n + 1, sizeof(size_t), b->err);
    g->preds = mvm_calloc(b->edge_count, sizeof(size_t), b->err);
    size_t *fill = mvm_calloc(n + 1, sizeof(size_t), b->err);
    if (g->pred_start == NULL || g->succ_start == NULL || g->preds == NULL || fill == NULL) {
        free(fill);
        return -1;
    }
    for (size_t k = 0; k < b->edge_count; k++)
        fill[b->edges[k].succ + 1]++;
    for (size_t i = 0; i < n; i++)
        fill[i + 1] += fill[i];
    memcpy(g->pred_start, fill, (n + 1) * sizeof(size_t));
    for (size_t k = 0; k < b->edge_count; k++)
        g->preds[fill[b->edges[k].succ]++] = b->edges[k].pred;
    /* sort each row and drop the edges found on several elements, compacting in place */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        size_t lo = g->pred_start[i], hi = g->pred_start[i + 1];
        qsort(g->preds + lo, hi - lo, sizeof(size_t), compare_size);
        g->pred_start[i] = kept;
        for (size_t k = lo; k < hi; k++)
            if (k == lo || g->preds[k] != g->preds[k - 1])
                g->preds[kept++] = g->preds[k];
    }
    g->pred_start[n] = kept;
    g->edge_count = kept;
    g->succs = mvm_calloc(kept, sizeof(size_t), b->err);
    if (g->succs == NULL) {
        free(fill);
        return -1;
    }
    memset(fill, 0, (n + 1) * sizeof(size_t));
    for (size_t k = 0; k < kept; k++)
        fill[g->preds[k] + 1]++;
    for (size_t i = 0; i < n; i++)
        fill[i + 1] += fill[i];
    memcpy(g->succ_start, fill, (n + 1) * sizeof(size_t));
    /* rows are visited in ascending order, so each successor row comes out sorted */
    for (size_t i = 0; i < n; i++)
        for (size_t k = g->pred_start[i]; k < g->pred_start[i + 1]; k++)
            g->succs[fill[g->preds[k]]++] = i;
    free(fill);
    return 0;
}

static void build_clear(struct build *b)
{
    free(b->rank);
    free(b->use_start);
    free(b->uses);
    free(b->elem_start);
    free(b->elem_actions);
    free(b->heap);
    free(b->ended);
    free(b->edges);
    free(b->vm_groups_start);
    free(b->vm_groups);
}

struct mvm_depgraph *mvm_depgraph_build(const struct mvm_plan *plan, const struct mvm_net *net,
                                        struct mvm_error *err)
{
    return mvm_depgraph_build_with(plan, net, NULL, err);
}

struct mvm_depgraph *mvm_depgraph_build_with(const struct mvm_plan *plan, const struct mvm_net *net,
                                             const struct mvm_depgraph_options *options,
                                             struct mvm_error *err)
{
    const struct mvm_model *o = plan->origin;
    if (net != NULL && net->implicit)
        net = NULL; /* the default network adds no sharing beyond nodes (see mvm/exec.h) */
    if (net != NULL && net->node_count != o->node_count) {
        mvm_error_set(err, MVM_ERR_INVALID,
                      "dependency graph: the network has %zu nodes, the plan's origin %zu; "
                      "expected the origin's nodes (see mvm_plan_network)",
                      net->node_count, o->node_count);
        return NULL;
    }
    struct build b = {.plan = plan, .err = err, .n = plan->action_count, .options = options};
    b.net_elements = o->node_count + (net != NULL ? mvm_net_resource_count(net) : 0);
    size_t groups = 0;
    if (constraint_groups(&b, &groups) < 0) {
        build_clear(&b);
        return NULL;
    }
    b.elements = b.net_elements + groups + (options != NULL && options->power ? 1 : 0);
    struct mvm_depgraph *g = mvm_calloc(1, sizeof(*g), err);
    size_t *tmp = mvm_calloc(b.n, sizeof(size_t), err);
    b.rank = mvm_calloc(b.n, sizeof(size_t), err);
    b.use_start = mvm_calloc(b.n + 1, sizeof(size_t), err);
    int rc = g != NULL && tmp != NULL && b.rank != NULL && b.use_start != NULL ? 0 : -1;
    if (rc == 0) {
        g->action_count = b.n;
        g->order = mvm_calloc(b.n, sizeof(size_t), err);
        rc = g->order == NULL ? -1 : 0;
    }
    if (rc == 0) {
        for (size_t i = 0; i < b.n; i++)
            g->order[i] = i;
        sort_planned(g->order, tmp, b.n, plan->actions);
        for (size_t r = 0; r < b.n; r++)
            b.rank[g->order[r]] = r;
        rc = collect_uses(&b, net);
    }
    if (rc == 0)
        rc = group_by_element(&b, g->order);
    for (size_t e = 0; rc == 0 && e < b.elements; e++)
        rc = sweep_element(&b, e);
    if (rc == 0)
        rc = make_rows(&b, g);
    free(tmp);
    build_clear(&b);
    if (rc < 0) {
        mvm_depgraph_free(g);
        return NULL;
    }
    return g;
}

void mvm_depgraph_free(struct mvm_depgraph *g)
{
    if (g == NULL)
        return;
    free(g->pred_start);
    free(g->preds);
    free(g->succ_start);
    free(g->succs);
    free(g->order);
    free(g);
}

const size_t *mvm_depgraph_preds(const struct mvm_depgraph *g, size_t a, size_t *count)
{
    *count = g->pred_start[a + 1] - g->pred_start[a];
    return g->preds + g->pred_start[a];
}

const size_t *mvm_depgraph_succs(const struct mvm_depgraph *g, size_t a, size_t *count)
{
    *count = g->succ_start[a + 1] - g->succ_start[a];
    return g->succs + g->succ_start[a];
}

const size_t *mvm_depgraph_order(const struct mvm_depgraph *g)
{
    return g->order;
}

void mvm_depgraph_earliest_starts(const struct mvm_depgraph *g, const int64_t *durations,
                                  int64_t *starts)
{
    for (size_t r = 0; r < g->action_count; r++) {
        size_t a = g->order[r];
        int64_t s = 0;
        for (size_t k = g->pred_start[a]; k < g->pred_start[a + 1]; k++) {
            size_t p = g->preds[k];
            if (starts[p] + durations[p] > s)
                s = starts[p] + durations[p];
        }
        starts[a] = s;
    }
}
