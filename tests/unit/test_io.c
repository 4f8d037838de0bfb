/*
 * The JSON reader and writer's specification. Every real file under
 * tests/data/instances reads and writes back semantically unchanged (plain and
 * gzip); the real files decode to exactly what they hold (counts, capacities,
 * attributes under their older names, views kept verbatim, implied moves worked
 * out by hand from the fences); every error names the file and the JSON path of
 * the offending value and says what was expected and what was found; what the
 * library does not understand (constraints, views, actions, attribute values) is
 * written back verbatim; writes are atomic; damaged gzip input is reported.
 */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <zlib.h>

#include "mvm/instance.h"
#include "mvm/io.h"
#include "mvm/migration.h"
#include "mvm/model.h"
#include "mvm/net.h"
#include "mvm/plan.h"

/* ---- helpers ---- */

/* Reads a whole file, plain or gzip (zlib reads plain files through). Caller frees. */
static char *read_file(const char *path, size_t *length)
{
    gzFile f = gzopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        if (cap - len < (1 << 15)) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        int n = gzread(f, buf + len, (unsigned)(cap - len - 1));
        assert_true(n >= 0);
        if (n == 0)
            break;
        len += (size_t)n;
    }
    assert_int_equal(gzclose(f), Z_OK);
    buf[len] = '\0';
    if (length != NULL)
        *length = len;
    return buf;
}

/* Raw bytes of a file. Caller frees. */
static unsigned char *read_bytes(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    unsigned char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *length = (size_t)n;
    return buf;
}

static void write_bytes(const char *path, const void *data, size_t length)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, length, f), length);
    assert_int_equal(fclose(f), 0);
}

static json_t *parse_text(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, 0, &jerr);
    if (v == NULL)
        fail_msg("not JSON: %s", jerr.text);
    return v;
}

static json_t *parse_file(const char *path)
{
    char *text = read_file(path, NULL);
    json_t *v = parse_text(text);
    free(text);
    return v;
}

/* JSON text with every ' turned into ", so tests can write JSON readably. Caller frees. */
static char *json_of(const char *single_quoted)
{
    char *s = strdup(single_quoted);
    assert_non_null(s);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    return s;
}

static char *document_text(const struct mvm_document *doc, int flags)
{
    struct mvm_error err = {0};
    char *text = doc->kind == MVM_DOCUMENT_PLAN ? mvm_plan_to_json(doc->plan, flags, &err)
                                                : mvm_instance_to_json(doc->instance, flags, &err);
    if (text == NULL)
        fail_msg("cannot write: %s", err.message);
    return text;
}

static void load_document(const char *path, struct mvm_document *doc)
{
    struct mvm_error err = {0};
    if (mvm_document_load(path, doc, &err) != 0) {
        char buf[2048];
        fail_msg("%s", mvm_error_format(&err, buf, sizeof(buf)));
    }
}

/* A fresh temporary directory (mkdtemp); remove_dir deletes it and its files. */
static void make_dir(char *dir, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, size, "%s/mvm-test-io-XXXXXX", tmp != NULL ? tmp : "/tmp");
    assert_non_null(mkdtemp(dir));
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Names of the entries of dir, sorted, joined by spaces ("" when empty). */
static void dir_entries(const char *dir, char *out, size_t size)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    char names[16][256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        assert_true(n < 16);
        snprintf(names[n++], sizeof(names[0]), "%s", e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), compare_names);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(out, i ? " " : "", size - strlen(out) - 1);
        strncat(out, names[i], size - strlen(out) - 1);
    }
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        if (S_ISDIR(st.st_mode))
            remove_dir(path);
        else
            assert_int_equal(unlink(path), 0);
    }
    closedir(d);
    assert_int_equal(rmdir(dir), 0);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

struct file_list {
    char **paths;
    size_t count;
};

/* Every .json and .json.gz file under dir, recursively. */
static void collect_files(const char *dir, struct file_list *list)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            collect_files(path, list);
        } else if (has_suffix(path, ".json") || has_suffix(path, ".json.gz")) {
            list->paths = realloc(list->paths, (list->count + 1) * sizeof(*list->paths));
            assert_non_null(list->paths);
            list->paths[list->count] = strdup(path);
            assert_non_null(list->paths[list->count]);
            list->count++;
        }
    }
    closedir(d);
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_files(struct file_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->paths[i]);
    free(list->paths);
}

/* ---- round trips of every real file ---- */

static void test_round_trip_every_file(void **state)
{
    (void)state;
    struct file_list list = {0};
    collect_files(DATA("instances"), &list);
    qsort(list.paths, list.count, sizeof(*list.paths), compare_paths);
    /* at least what the data README lists: energy 2 plans, placement 3 gzipped
     * instances, random4 10 instances and 10 plans, scale 16 instances */
    assert_true(list.count >= 41);
    size_t plans = 0, gzipped = 0;
    for (size_t i = 0; i < list.count; i++) {
        const char *path = list.paths[i];
        struct mvm_document doc;
        load_document(path, &doc);
        plans += doc.kind == MVM_DOCUMENT_PLAN;
        gzipped += has_suffix(path, ".gz");
        json_t *original = parse_file(path);
        for (int flags = MVM_JSON_COMPACT; flags <= MVM_JSON_PRETTY; flags++) {
            char *text = document_text(&doc, flags);
            json_t *written = parse_text(text);
            if (!json_equal(original, written))
                fail_msg("%s (flags %d): written back differently", path, flags);
            json_decref(written);
            free(text);
        }
        json_decref(original);
        mvm_document_clear(&doc);
        assert_null(doc.instance);
        assert_null(doc.plan);
    }
    assert_true(plans >= 12);
    assert_true(gzipped >= 3);
    free_files(&list);
}

/* Saves doc as gzip (by name, or by flag), checks the magic bytes and reloads it. */
static void gzip_round_trip(const char *dir, const char *rel)
{
    struct mvm_document doc;
    load_document(DATA(rel), &doc);
    char *expected = document_text(&doc, MVM_JSON_COMPACT);
    char by_name[1024], by_flag[1024];
    snprintf(by_name, sizeof(by_name), "%s/out.json.gz", dir);
    snprintf(by_flag, sizeof(by_flag), "%s/out.json", dir);
    struct mvm_error err = {0};
    for (int k = 0; k < 2; k++) {
        const char *path = k == 0 ? by_name : by_flag;
        int flags = k == 0 ? MVM_JSON_COMPACT : MVM_JSON_GZIP;
        int rc = doc.kind == MVM_DOCUMENT_PLAN ? mvm_plan_save(doc.plan, path, flags, &err)
                                               : mvm_instance_save(doc.instance, path, flags, &err);
        assert_int_equal(rc, 0);
        size_t n;
        unsigned char *raw = read_bytes(path, &n);
        assert_true(n > 2 && raw[0] == 0x1f && raw[1] == 0x8b);
        free(raw);
        struct mvm_document back;
        load_document(path, &back);
        assert_int_equal(back.kind, doc.kind);
        char *text = document_text(&back, MVM_JSON_COMPACT);
        assert_string_equal(text, expected);
        free(text);
        mvm_document_clear(&back);
        assert_int_equal(unlink(path), 0);
    }
    free(expected);
    mvm_document_clear(&doc);
}

static void test_round_trip_gzip(void **state)
{
    (void)state;
    char dir[512];
    make_dir(dir, sizeof(dir));
    gzip_round_trip(dir, "instances/random4/instance.1.json");
    gzip_round_trip(dir, "instances/energy/mvm-plan.json");
    gzip_round_trip(dir, "instances/placement/nr3.json.gz");

    /* a plain save is text ending with a newline, and the same JSON */
    struct mvm_error err = {0};
    struct mvm_instance *in = mvm_instance_load(DATA("instances/random4/instance.1.json"), &err);
    assert_non_null(in);
    char path[1024];
    snprintf(path, sizeof(path), "%s/plain.json", dir);
    assert_int_equal(mvm_instance_save(in, path, MVM_JSON_PRETTY, &err), 0);
    size_t n;
    char *text = read_file(path, &n);
    assert_true(n > 2 && text[0] == '{' && text[n - 1] == '\n' && text[n - 2] == '}');
    assert_non_null(strstr(text, "\n  \"model\": {"));
    json_t *a = parse_text(text), *b = parse_file(DATA("instances/random4/instance.1.json"));
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    free(text);
    mvm_instance_free(in);

    /* several gzip members (as `cat a.gz b.gz` makes) are one document */
    char *whole = read_file(DATA("instances/random4/instance.1.json"), &n);
    snprintf(path, sizeof(path), "%s/members.json.gz", dir);
    for (int part = 0; part < 2; part++) {
        gzFile gz = gzopen(path, part == 0 ? "wb" : "ab");
        assert_non_null(gz);
        size_t from = part == 0 ? 0 : n / 2, to = part == 0 ? n / 2 : n;
        assert_int_equal(gzwrite(gz, whole + from, (unsigned)(to - from)), (int)(to - from));
        assert_int_equal(gzclose(gz), Z_OK);
    }
    in = mvm_instance_load(path, &err);
    assert_non_null(in);
    assert_int_equal(in->model->vm_count, 10);
    mvm_instance_free(in);
    free(whole);
    remove_dir(dir);
}

/* ---- exact content of real files ---- */

static int32_t host_id(const struct mvm_model *m, int32_t vm_id)
{
    size_t v = mvm_model_vm_index(m, vm_id);
    assert_int_not_equal(v, MVM_NONE);
    assert_int_not_equal(m->vms[v].host, MVM_NONE);
    return m->nodes[m->vms[v].host].id;
}

static const struct mvm_attr *vm_attr(const struct mvm_model *m, int32_t vm_id, const char *key)
{
    size_t v = mvm_model_vm_index(m, vm_id);
    assert_int_not_equal(v, MVM_NONE);
    return mvm_attrs_find(&m->vms[v].attrs, key);
}

static void test_random4_instance(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_instance *in = mvm_instance_load(DATA("instances/random4/instance.1.json"), &err);
    assert_non_null(in);
    const struct mvm_model *m = in->model;
    assert_int_equal(m->node_count, 4);
    assert_int_equal(m->vm_count, 10);
    assert_int_equal(mvm_model_count_nodes(m, MVM_NODE_ONLINE), 4);
    assert_int_equal(mvm_model_count_vms(m, MVM_VM_RUNNING), 10);
    for (int32_t i = 0; i < 4; i++)
        assert_int_equal(m->nodes[i].id, i);
    /* node 0 runs 8, 4, 0; node 1: 9, 5, 1; node 2: 6, 2; node 3: 7, 3 */
    static const int32_t hosts[10] = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1};
    for (int32_t v = 0; v < 10; v++)
        assert_int_equal(host_id(m, v), hosts[v]);
    assert_int_equal(mvm_model_vm_index(m, 8), 0); /* VM indices follow the file */

    /* views in file order: mem, cpu, net */
    assert_int_equal(m->view_count, 3);
    assert_int_equal(m->views[0].kind, MVM_VIEW_RESOURCE);
    assert_int_equal(m->views[1].kind, MVM_VIEW_RESOURCE);
    assert_int_equal(m->views[2].kind, MVM_VIEW_NET);
    const struct mvm_resource *mem = mvm_model_resource(m, "mem");
    const struct mvm_resource *cpu = mvm_model_resource(m, "cpu");
    assert_ptr_equal(mem, &m->resources[m->views[0].index]);
    assert_non_null(cpu);
    for (size_t n = 0; n < 4; n++) {
        assert_int_equal(mem->node_capacity[n], 12);
        assert_true(mem->node_given[n]);
        assert_int_equal(cpu->node_capacity[n], 8);
    }
    assert_int_equal(mem->vm_consumption[mvm_model_vm_index(m, 5)], 3);
    assert_int_equal(mem->vm_consumption[mvm_model_vm_index(m, 4)], 2);
    assert_int_equal(cpu->vm_consumption[mvm_model_vm_index(m, 5)], 1);
    assert_int_equal(mem->def_capacity, 0);

    /* one non-blocking switch, links 500, 500, 1000, 1000 to nodes 0..3 */
    const struct mvm_net *net = m->net;
    assert_non_null(net);
    assert_false(net->implicit);
    assert_int_equal(net->routing, MVM_ROUTING_DEFAULT);
    assert_int_equal(net->switch_count, 1);
    assert_int_equal(net->switches[0].capacity_mbps, -1);
    assert_false(mvm_switch_is_blocking(&net->switches[0]));
    assert_int_equal(net->link_count, 4);
    static const int64_t caps[4] = {500, 500, 1000, 1000};
    for (size_t l = 0; l < 4; l++) {
        assert_int_equal(net->links[l].id, (int32_t)l);
        assert_int_equal(net->links[l].capacity_mbps, caps[l]);
        assert_int_equal(net->links[l].end_type, MVM_NET_END_NODE);
        assert_int_equal(net->links[l].end, l);
        assert_int_equal(net->links[l].sw, 0);
    }

    /* the older attribute names, with their JSON types */
    const struct mvm_attr *a = vm_attr(m, 5, "maxDirtySize");
    assert_non_null(a);
    assert_int_equal(a->type, MVM_ATTR_INT);
    assert_int_equal(a->integer, 96);
    a = vm_attr(m, 5, "dirtyRate");
    assert_int_equal(a->type, MVM_ATTR_DOUBLE);
    assert_true(a->real == 2.0);
    assert_int_equal(vm_attr(m, 5, "maxDirtyDuration")->integer, 2);
    assert_int_equal(vm_attr(m, 5, "memUsed")->integer, 3000);
    assert_int_equal(vm_attr(m, 0, "memUsed")->integer, 2000);
    assert_null(vm_attr(m, 5, "hotDirtySize"));
    struct mvm_vm_memory vm5;
    assert_int_equal(mvm_vm_memory_from_attrs(&m->vms[mvm_model_vm_index(m, 5)].attrs, &vm5, &err),
                     0);
    assert_true(vm5.mem_used_mib == 3000.0 && vm5.hot_size_mib == 96.0 &&
                vm5.hot_duration_s == 2.0 && vm5.cold_rate_mibps == 2.0);
    double boot = 0.0;
    assert_int_equal(mvm_attrs_get_number(&m->nodes[3].attrs, "boot", &boot, &err), 1);
    assert_true(boot == 120.0);

    /* ten fences, one per VM, each naming a single node */
    assert_int_equal(in->constraint_count, 10);
    assert_int_equal(mvm_instance_count_unsupported(in), 0);
    static const int32_t fenced_to[10] = {3, 0, 3, 2, 1, 3, 0, 2, 3, 0};
    for (size_t i = 0; i < 10; i++) {
        const struct mvm_constraint *c = &in->constraints[i];
        assert_int_equal(c->kind, MVM_CONSTRAINT_FENCE);
        assert_string_equal(c->name, "fence");
        assert_int_equal(c->continuous, MVM_CONTINUOUS_FALSE);
        assert_int_equal(c->vm_count, 1);
        assert_int_equal(m->vms[c->vms[0]].id, (int32_t)i);
        assert_int_equal(c->node_count, 1);
        assert_int_equal(m->nodes[c->nodes[0]].id, fenced_to[i]);
    }
    assert_int_equal(in->objective, MVM_OBJECTIVE_MIN_MTTR);
    assert_string_equal(in->objective_name, "minimizeMTTRMigrationScheduling");
    mvm_instance_free(in);
}

/*
 * Implied moves of random4/instance.1.json, from the fences above and the
 * mapping (VM: host -> fence): 8: 0 -> 3, 4: 0 -> 1, 0: 0 -> 3, 9: 1 -> 0,
 * 5: 1 -> 3, 1: 1 -> 0, 6: 2 -> 0, 2: 2 -> 3, 7: 3 -> 2, 3: 3 -> 2. Every VM
 * moves; the list follows VM indices, i.e. the order of the file's mapping.
 */
static void test_random4_implied_moves(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_instance *in = mvm_instance_load(DATA("instances/random4/instance.1.json"), &err);
    assert_non_null(in);
    struct mvm_move *moves;
    size_t count;
    assert_int_equal(mvm_instance_implied_moves(in, &moves, &count, &err), 0);
    static const int32_t expected[10][3] = {{8, 0, 3}, {4, 0, 1}, {0, 0, 3}, {9, 1, 0}, {5, 1, 3},
                                            {1, 1, 0}, {6, 2, 0}, {2, 2, 3}, {7, 3, 2}, {3, 3, 2}};
    assert_int_equal(count, 10);
    const struct mvm_model *m = in->model;
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(m->vms[moves[i].vm].id, expected[i][0]);
        assert_int_equal(m->nodes[moves[i].from].id, expected[i][1]);
        assert_int_equal(m->nodes[moves[i].to].id, expected[i][2]);
    }
    free(moves);
    mvm_instance_free(in);
}

/*
 * Fences that do not fix a destination imply nothing: a VM fenced to its own
 * host (0), to two nodes (1), by two fences that disagree (2); a ready VM (4).
 * Two fences that agree do (3 -> node 1); other constraints are ignored (5).
 */
static void test_implied_moves_rules(void **state)
{
    (void)state;
    char *text =
        json_of("{'model': {'mapping': {'onlineNodes': {'0': {'runningVMs': [0, 1, 2, 3, 5]},"
                " '1': {'runningVMs': []}, '2': {}}, 'offlineNodes': [], 'readyVMs': [4]}},"
                " 'constraints': [{'id': 'fence', 'vm': 0, 'nodes': [0]},"
                " {'id': 'fence', 'vm': 1, 'nodes': [1, 2]},"
                " {'id': 'fence', 'vm': 2, 'nodes': [1]}, {'id': 'fence', 'vm': 2, 'nodes': [2]},"
                " {'id': 'fence', 'vm': 3, 'nodes': [1]}, {'id': 'fence', 'vm': 3, 'nodes': [1]},"
                " {'id': 'fence', 'vm': 4, 'nodes': [1]}, {'id': 'ban', 'vm': 5, 'nodes': [0]},"
                " {'id': 'root', 'vm': 5}]}");
    struct mvm_error err = {0};
    struct mvm_instance *in = mvm_instance_parse(text, strlen(text), "moves.json", &err);
    free(text);
    assert_non_null(in);
    struct mvm_move *moves;
    size_t count;
    assert_int_equal(mvm_instance_implied_moves(in, &moves, &count, &err), 0);
    assert_int_equal(count, 1);
    assert_int_equal(in->model->vms[moves[0].vm].id, 3);
    assert_int_equal(in->model->nodes[moves[0].to].id, 1);
    assert_int_equal(in->model->nodes[moves[0].from].id, 0);
    free(moves);
    mvm_instance_free(in);
}

static size_t count_kind(const struct mvm_instance *in, enum mvm_constraint_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < in->constraint_count; i++)
        n += in->constraints[i].kind == kind;
    return n;
}

static void assert_ns_view(const struct mvm_view *view, const char *type)
{
    assert_int_equal(view->kind, MVM_VIEW_OTHER);
    json_t *v = parse_text(view->json);
    assert_string_equal(json_string_value(json_object_get(v, "id")), "ns");
    assert_string_equal(json_string_value(json_object_get(v, "type")), type);
    assert_true(json_object_size(json_object_get(v, "map")) > 1000);
    json_decref(v);
}

static void test_nr3(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_instance *in = mvm_instance_load(DATA("instances/placement/nr3.json.gz"), &err);
    assert_non_null(in);
    const struct mvm_model *m = in->model;
    assert_int_equal(m->node_count, 5000);
    assert_int_equal(mvm_model_count_nodes(m, MVM_NODE_ONLINE), 4750);
    assert_int_equal(mvm_model_count_nodes(m, MVM_NODE_OFFLINE), 250);
    assert_int_equal(m->vm_count, 15000);
    assert_int_equal(mvm_model_count_vms(m, MVM_VM_RUNNING), 14247);
    assert_int_equal(mvm_model_count_vms(m, MVM_VM_SLEEPING), 0);
    assert_int_equal(mvm_model_count_vms(m, MVM_VM_READY), 753);
    assert_int_equal(in->constraint_count, 10753);
    assert_int_equal(count_kind(in, MVM_CONSTRAINT_ONLINE), 9500);
    assert_int_equal(count_kind(in, MVM_CONSTRAINT_OFFLINE), 500);
    assert_int_equal(count_kind(in, MVM_CONSTRAINT_RUNNING), 753);
    assert_int_equal(mvm_instance_count_unsupported(in), 0);
    assert_int_equal(in->objective, MVM_OBJECTIVE_MIN_MTTR);
    assert_string_equal(in->objective_name, "minimizeMTTR");

    /* memory, ns (VM names), uCpu, ns (node names); no network view */
    assert_null(m->net);
    assert_int_equal(m->view_count, 4);
    assert_int_equal(m->views[0].kind, MVM_VIEW_RESOURCE);
    assert_string_equal(m->resources[m->views[0].index].rc_id, "memory");
    assert_ns_view(&m->views[1], "vm");
    assert_int_equal(m->views[2].kind, MVM_VIEW_RESOURCE);
    assert_string_equal(m->resources[m->views[2].index].rc_id, "uCpu");
    assert_ns_view(&m->views[3], "node");

    /* attributes of every BtrPlace type */
    const struct mvm_attr *a = vm_attr(m, 4970, "template");
    assert_int_equal(a->type, MVM_ATTR_STRING);
    assert_string_equal(a->text, "c50m300");
    a = vm_attr(m, 4970, "clone");
    assert_int_equal(a->type, MVM_ATTR_BOOL);
    assert_true(a->boolean);
    assert_int_equal(vm_attr(m, 4970, "uCpu")->integer, 50);
    size_t n = mvm_model_node_index(m, 4970);
    assert_int_not_equal(n, MVM_NONE);
    assert_string_equal(mvm_attrs_find(&m->nodes[n].attrs, "entropy_id")->text, "N2471");

    struct mvm_move *moves;
    size_t count;
    assert_int_equal(mvm_instance_implied_moves(in, &moves, &count, &err), 0);
    assert_int_equal(count, 0);
    free(moves);
    mvm_instance_free(in);
}

static void test_energy_plan(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_plan *plan = mvm_plan_load(DATA("instances/energy/mvm-plan.json"), &err);
    assert_non_null(plan);
    assert_int_equal(plan->action_count, 168);
    size_t kinds[MVM_ACTION_OTHER + 1] = {0};
    for (size_t i = 0; i < plan->action_count; i++)
        kinds[plan->actions[i].kind]++;
    assert_int_equal(kinds[MVM_ACTION_MIGRATE_VM], 96);
    assert_int_equal(kinds[MVM_ACTION_SHUTDOWN_NODE], 48);
    assert_int_equal(kinds[MVM_ACTION_BOOT_NODE], 24);
    assert_int_equal(kinds[MVM_ACTION_OTHER], 0);
    assert_int_equal(mvm_plan_makespan(plan), 407);

    const struct mvm_model *m = plan->origin;
    assert_int_equal(m->node_count, 72);
    assert_int_equal(mvm_model_count_nodes(m, MVM_NODE_OFFLINE), 24);
    assert_int_equal(mvm_model_count_vms(m, MVM_VM_RUNNING), 96);
    assert_int_equal(m->view_count, 4);
    assert_int_equal(m->views[1].kind, MVM_VIEW_OTHER);
    assert_string_equal(m->views[1].json, "{\"id\":\"EnergyView\"}");
    assert_int_equal(m->views[3].kind, MVM_VIEW_NET);
    assert_int_equal(m->net->switch_count, 4);
    assert_int_equal(m->net->link_count, 75);

    /* {"bw": 1000, "vm": 33, "start": 246, "end": 282, "from": 16, "to": 64, ...} */
    const struct mvm_action *a = &plan->actions[0];
    assert_int_equal(a->kind, MVM_ACTION_MIGRATE_VM);
    assert_int_equal(m->vms[a->vm].id, 33);
    assert_int_equal(m->nodes[a->from].id, 16);
    assert_int_equal(m->nodes[a->to].id, 64);
    assert_int_equal(a->bw_mbps, 1000);
    assert_int_equal(a->start, 246);
    assert_int_equal(a->end, 282);
    assert_int_equal(a->node, MVM_NONE);
    assert_string_equal(a->hooks, "{\"pre\":[],\"post\":[]}");
    /* {"node": 29, "start": 228, "end": 245, "id": "shutdownNode"} */
    a = &plan->actions[3];
    assert_int_equal(a->kind, MVM_ACTION_SHUTDOWN_NODE);
    assert_int_equal(m->nodes[a->node].id, 29);
    assert_int_equal(a->start, 228);
    assert_int_equal(a->end, 245);
    assert_int_equal(a->vm, MVM_NONE);
    assert_int_equal(a->bw_mbps, -1);
    /* {"node": 48, "start": 0, "end": 120, "id": "bootNode"} */
    a = &plan->actions[21];
    assert_int_equal(a->kind, MVM_ACTION_BOOT_NODE);
    assert_int_equal(m->nodes[a->node].id, 48);
    assert_int_equal(a->end - a->start, 120);
    assert_int_equal(m->nodes[a->node].state, MVM_NODE_OFFLINE);
    mvm_plan_free(plan);
}

/* ---- errors: file, JSON path, expected and found ---- */

static void expect_error(bool plan, const char *single_quoted, enum mvm_error_code code,
                         const char *path, const char *substring)
{
    char *text = json_of(single_quoted);
    struct mvm_error err = {0};
    void *doc = plan ? (void *)mvm_plan_parse(text, strlen(text), "bad.json", &err)
                     : (void *)mvm_instance_parse(text, strlen(text), "bad.json", &err);
    free(text);
    if (doc != NULL) {
        if (plan)
            mvm_plan_free(doc);
        else
            mvm_instance_free(doc);
        fail_msg("accepted; expected \"%s\" at %s", substring, path);
    }
    char buf[2048];
    mvm_error_format(&err, buf, sizeof(buf));
    if (err.code != code || strcmp(err.path, path) != 0 || strcmp(err.file, "bad.json") != 0 ||
        strstr(err.message, substring) == NULL)
        fail_msg("got code %d \"%s\"; expected code %d at %s: \"%s\"", (int)err.code, buf,
                 (int)code, path, substring);
}

#define INSTANCE_ERROR(text, path, substring)                                                      \
    expect_error(false, (text), MVM_ERR_INVALID, (path), (substring))
#define PLAN_ERROR(text, path, substring)                                                          \
    expect_error(true, (text), MVM_ERR_INVALID, (path), (substring))

/* Node 0 runs VMs 0 and 1, node 1 runs VM 2, node 2 is off, VM 3 is ready. */
#define MAPPING                                                                                    \
    "'mapping': {'onlineNodes': {'0': {'runningVMs': [0, 1], 'sleepingVMs': []},"                  \
    " '1': {'runningVMs': [2], 'sleepingVMs': []}}, 'offlineNodes': [2], 'readyVMs': [3]}"
#define MODEL "{" MAPPING "}"

/* A network view: switch 0, link 0 given as JSON (LINK below), link 1 to node 1. */
#define NET_WITH(sw_capacity, link0)                                                               \
    "{'model': {" MAPPING ", 'views': [{'id': 'net', 'routing': {'type': 'default'},"              \
    " 'switches': [{'id': 0, 'capacity': " sw_capacity "}], 'links': [" link0 ","                  \
    " {'id': 1, 'capacity': 1000, 'switch': 0, 'physicalElement': {'id': 1, 'type': 'node'}}"      \
    "]}]}}"
#define LINK(capacity, sw, element, type)                                                          \
    "{'id': 0, 'capacity': " capacity ", 'switch': " sw ", 'physicalElement': {'id': " element     \
    ", 'type': " type "}}"

static void test_errors_network(void **state)
{
    (void)state;
    /* the valid base first, so the errors below are the ones under test */
    char *text = json_of(NET_WITH("-1", LINK("1000", "0", "0", "'node'")));
    struct mvm_error err = {0};
    struct mvm_instance *in = mvm_instance_parse(text, strlen(text), "ok.json", &err);
    free(text);
    assert_non_null(in);
    assert_int_equal(in->model->net->link_count, 2);
    mvm_instance_free(in);

    INSTANCE_ERROR(NET_WITH("-1", LINK("'fast'", "0", "0", "'node'")),
                   "model.views[0].links[0].capacity", "expected an integer, got \"fast\"");
    INSTANCE_ERROR(NET_WITH("-1", LINK("-500", "0", "0", "'node'")),
                   "model.views[0].links[0].capacity",
                   "expected a positive capacity in Mbit/s, got -500");
    INSTANCE_ERROR(NET_WITH("-1", LINK("0", "0", "0", "'node'")),
                   "model.views[0].links[0].capacity",
                   "expected a positive capacity in Mbit/s, got 0");
    INSTANCE_ERROR(NET_WITH("-1", LINK("1000", "4", "0", "'node'")),
                   "model.views[0].links[0].switch", "switch 4 is not declared in switches");
    INSTANCE_ERROR(NET_WITH("-1", LINK("1000", "0", "7", "'node'")),
                   "model.views[0].links[0].physicalElement.id", "node 7 is not in the model");
    INSTANCE_ERROR(NET_WITH("-1", LINK("1000", "0", "7", "'switch'")),
                   "model.views[0].links[0].physicalElement.id",
                   "switch 7 is not declared in switches");
    INSTANCE_ERROR(NET_WITH("-1", LINK("1000", "0", "0", "'host'")),
                   "model.views[0].links[0].physicalElement.type",
                   "expected \"node\" or \"switch\", got \"host\"");
    INSTANCE_ERROR(NET_WITH("'10G'", LINK("1000", "0", "0", "'node'")),
                   "model.views[0].switches[0].capacity", "expected an integer, got \"10G\"");
    INSTANCE_ERROR(NET_WITH("-1", "{'id': 0, 'capacity': 1000, 'switch': 0}"),
                   "model.views[0].links[0].physicalElement", "missing: expected");
    INSTANCE_ERROR(NET_WITH("-1", "{'id': 1, 'capacity': 1000, 'switch': 0, 'physicalElement':"
                                  " {'id': 0, 'type': 'node'}}"),
                   "model.views[0].links[1]", "duplicate link id");
    INSTANCE_ERROR("{'model': {" MAPPING ", 'views': [{'id': 'net', 'routing': {'type': 'ospf'},"
                   " 'switches': [], 'links': []}]}}",
                   "model.views[0].routing.type",
                   "expected \"default\" or \"static\", got \"ospf\"");
    INSTANCE_ERROR("{'model': {" MAPPING ", 'views': [{'id': 'net', 'switches': [{'id': 0,"
                   " 'capacity': -1}, {'id': 0, 'capacity': 5}], 'links': []}]}}",
                   "model.views[0].switches[1]", "switch 0: duplicate switch id");
    INSTANCE_ERROR("{'model': {" MAPPING ", 'views': [{'id': 'net', 'switches': [],"
                   " 'links': []}, {'id': 'net', 'switches': [], 'links': []}]}}",
                   "model.views[1]", "a second network view");
}

static void test_errors_mapping_and_views(void **state)
{
    (void)state;
    /* a VM on two nodes, twice in a list, running and ready */
    INSTANCE_ERROR("{'model': {'mapping': {'onlineNodes': {'0': {'runningVMs': [0]},"
                   " '1': {'sleepingVMs': [0]}}, 'offlineNodes': []}}}",
                   "model.mapping.onlineNodes.1.sleepingVMs[0]", "vm 0 is already on node 0");
    INSTANCE_ERROR("{'model': {'mapping': {'onlineNodes': {}, 'offlineNodes': [],"
                   " 'readyVMs': [3, 3]}}}",
                   "model.mapping.readyVMs[1]", "vm 3 is listed twice");
    INSTANCE_ERROR("{'model': {'mapping': {'onlineNodes': {'0': {'runningVMs': [0]}},"
                   " 'offlineNodes': [], 'readyVMs': [0]}}}",
                   "model.mapping.readyVMs[0]", "vm 0 is already on node 0");
    /* a node online and offline, or twice offline */
    INSTANCE_ERROR("{'model': {'mapping': {'onlineNodes': {'0': {}, '1': {}},"
                   " 'offlineNodes': [1]}}}",
                   "model.mapping.offlineNodes[0]", "node 1 is declared twice");
    INSTANCE_ERROR("{'model': {'mapping': {'onlineNodes': {}, 'offlineNodes': [4, 4]}}}",
                   "model.mapping.offlineNodes[1]", "node 4 is declared twice");
    /* wrong types */
    INSTANCE_ERROR("{'model': {'mapping': {'onlineNodes': {'0': {'runningVMs': [1.5]}},"
                   " 'offlineNodes': []}}}",
                   "model.mapping.onlineNodes.0.runningVMs[0]", "expected an integer, got 1.5");
    INSTANCE_ERROR("{'model': {'mapping': {'onlineNodes': {'0': {'runningVMs': {}}},"
                   " 'offlineNodes': []}}}",
                   "model.mapping.onlineNodes.0.runningVMs",
                   "expected an array of vm ids, got an object");
    INSTANCE_ERROR("{'model': {'mapping': {'onlineNodes': {'abc': {}}, 'offlineNodes': []}}}",
                   "model.mapping.onlineNodes.abc", "expected an integer id as key, got \"abc\"");
    INSTANCE_ERROR("{'model': {'mapping': {'onlineNodes': {'0': {'runningVMs': [],"
                   " 'runVMs': []}}, 'offlineNodes': []}}}",
                   "model.mapping.onlineNodes.0", "unexpected key \"runVMs\"");
    INSTANCE_ERROR("{'model': {'mapping': {'onlineNodes': []}}}", "model.mapping.offlineNodes",
                   "missing: expected an array of node ids");
    INSTANCE_ERROR("{'model': {}}", "model.mapping", "missing: expected the mapping");
    INSTANCE_ERROR("{'model': 3}", "model", "expected a model object");
    INSTANCE_ERROR("{'modle': {}}", "", "unexpected key \"modle\"");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': {}}", "constraints",
                   "expected an array of constraints, got an object");
    INSTANCE_ERROR("{'model': " MODEL ", 'objective': 'minimizeMTTR'}", "objective",
                   "expected an object {id: ...}, got \"minimizeMTTR\"");

    /* attributes of elements that do not exist */
    INSTANCE_ERROR("{'model': {" MAPPING ", 'attributes': {'nodes': {'5': {'boot': 1}}}}}",
                   "model.attributes.nodes.5", "node 5 is not in the mapping");
    INSTANCE_ERROR("{'model': {" MAPPING ", 'attributes': {'vms': {'9': {}}}}}",
                   "model.attributes.vms.9", "vm 9 is not in the mapping");
    INSTANCE_ERROR("{'model': {" MAPPING ", 'attributes': {'vms': {'0': 2000}}}}",
                   "model.attributes.vms.0", "expected an object of attributes, got 2000");

    /* shareable resources */
    INSTANCE_ERROR("{'model': {" MAPPING ", 'views': [{'id': 'shareableResource', 'rcId': 'cpu',"
                   " 'nodes': {'1': -8}}]}}",
                   "model.views[0].nodes.1", "expected a non-negative integer, got -8");
    INSTANCE_ERROR("{'model': {" MAPPING ", 'views': [{'id': 'shareableResource', 'rcId': 'cpu',"
                   " 'vms': {'2': -1}}]}}",
                   "model.views[0].vms.2", "expected a non-negative integer, got -1");
    INSTANCE_ERROR("{'model': {" MAPPING ", 'views': [{'id': 'shareableResource', 'rcId': 'cpu',"
                   " 'defCapacity': -1}]}}",
                   "model.views[0].defCapacity", "expected a non-negative integer, got -1");
    INSTANCE_ERROR("{'model': {" MAPPING ", 'views': [{'id': 'shareableResource', 'rcId': 'cpu',"
                   " 'nodes': {'0': '8'}}]}}",
                   "model.views[0].nodes.0", "expected an integer, got \"8\"");
    INSTANCE_ERROR("{'model': {" MAPPING ", 'views': [{'id': 'shareableResource', 'rcId': 'cpu',"
                   " 'vms': {'7': 1}}]}}",
                   "model.views[0].vms.7", "vm 7 is not in the mapping");
    INSTANCE_ERROR("{'model': {" MAPPING ", 'views': [{'id': 'shareableResource', 'rcId': 'cpu',"
                   " 'capacity': 1}]}}",
                   "model.views[0]", "unexpected key \"capacity\"");
    INSTANCE_ERROR("{'model': {" MAPPING ", 'views': [{'id': 'shareableResource', 'rcId': 'cpu'},"
                   " {'id': 'shareableResource', 'rcId': 'cpu'}]}}",
                   "model.views[1]", "resource cpu is declared twice");
    INSTANCE_ERROR("{'model': {" MAPPING ", 'views': [{'rcId': 'cpu'}]}}", "model.views[0].id",
                   "missing: expected a string");
}

static void test_errors_constraints(void **state)
{
    (void)state;
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'fence', 'vm': 0, 'nodes': [1]},"
                   " {'id': 'fence', 'vm': 9, 'nodes': [0]}]}",
                   "constraints[1].vm", "vm 9 is not in the model");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'fence', 'vm': 0,"
                   " 'nodes': [1, 8]}]}",
                   "constraints[0].nodes[1]", "node 8 is not in the model");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'ban', 'vm': 0, 'nodes': [1],"
                   " 'node': 1}]}",
                   "constraints[0]",
                   "unexpected key \"node\" (expected only: id, vm, nodes, continuous)");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'fence', 'vm': 0}]}",
                   "constraints[0].nodes", "missing: expected an array of node ids");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'fence', 'vm': 0, 'nodes': 1}]}",
                   "constraints[0].nodes", "expected an array of node ids, got 1");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'online', 'node': '1'}]}",
                   "constraints[0].node", "expected an integer, got \"1\"");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'root', 'vm': 0,"
                   " 'continuous': 'yes'}]}",
                   "constraints[0].continuous", "expected true or false, got \"yes\"");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'Precedence', 'vm1': 0}]}",
                   "constraints[0].vm2", "missing: expected a vm id");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'Sync', 'vms': [0, 2, 4]}]}",
                   "constraints[0].vms[2]", "vm 4 is not in the model");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'Deadline', 'vm': 0,"
                   " 'timestamp': '+5 minutes'}]}",
                   "constraints[0].timestamp", "deadline \"+5 minutes\": expected \"+HH:MM:SS\"");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'Deadline', 'vm': 0,"
                   " 'timestamp': 300}]}",
                   "constraints[0].timestamp", "expected a string, got 300");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'among', 'vms': [0],"
                   " 'parts': [[0], 1]}]}",
                   "constraints[0].parts[1]", "expected an array of node ids, got 1");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'split', 'parts': [[0], [5]]}]}",
                   "constraints[0].parts[1][0]", "vm 5 is not in the model");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'splitAmong', 'vParts': [[0]]}]}",
                   "constraints[0].pParts", "missing: expected an array of arrays of ids");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'overbook', 'node': 0,"
                   " 'rc': 'cpu', 'ratio': 0.5}]}",
                   "constraints[0].ratio", "expected a ratio of at least 1, got 0.5");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'preserve', 'vm': 0,"
                   " 'rc': 'cpu', 'amount': -1}]}",
                   "constraints[0].amount", "expected a non-negative integer, got -1");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'resourceCapacity',"
                   " 'nodes': [0], 'amount': 3}]}",
                   "constraints[0].rc", "missing: expected a string");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'id': 'maxOnline', 'nodes': [0],"
                   " 'amount': 1, 'rc': 'cpu'}]}",
                   "constraints[0]",
                   "unexpected key \"rc\" (expected only: id, nodes, amount, continuous)");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [{'vm': 0}]}", "constraints[0].id",
                   "missing: expected a string");
    INSTANCE_ERROR("{'model': " MODEL ", 'constraints': [['fence']]}", "constraints[0]",
                   "expected a constraint object, got an array");
}

#define ORIGIN "'origin': " MODEL
#define MIGRATE(fields) "{'id': 'migrateVM', 'vm': 0, 'from': 0, 'to': 1, " fields "}"

static void test_errors_plan(void **state)
{
    (void)state;
    char *text =
        json_of("{" ORIGIN ", 'actions': [" MIGRATE("'bw': 500, 'start': 0, 'end': 9") "]}");
    struct mvm_error err = {0};
    struct mvm_plan *plan = mvm_plan_parse(text, strlen(text), "ok.json", &err);
    free(text);
    assert_non_null(plan);
    assert_int_equal(plan->actions[0].bw_mbps, 500);
    assert_null(plan->actions[0].hooks);
    mvm_plan_free(plan);

    PLAN_ERROR("{'actions': []}", "origin", "missing: expected the origin model");
    PLAN_ERROR("{" ORIGIN "}", "actions", "missing: expected an array of actions");
    PLAN_ERROR("{" ORIGIN ", 'actions': [" MIGRATE("'end': 9") "]}", "actions[0].start",
               "missing: expected an integer");
    PLAN_ERROR("{" ORIGIN ", 'actions': [" MIGRATE("'start': '0', 'end': 9") "]}",
               "actions[0].start", "expected an integer, got \"0\"");
    PLAN_ERROR("{" ORIGIN ", 'actions': [{'id': 'migrateVM', 'vm': 9, 'from': 0, 'to': 1,"
               " 'start': 0, 'end': 9}]}",
               "actions[0].vm", "vm 9 is not in the model");
    PLAN_ERROR("{" ORIGIN ", 'actions': [{'id': 'bootNode', 'node': 5, 'start': 0, 'end': 9}]}",
               "actions[0].node", "node 5 is not in the model");
    PLAN_ERROR("{" ORIGIN ", 'actions': [" MIGRATE("'bw': 'max', 'start': 0, 'end': 9") "]}",
               "actions[0].bw", "expected an integer, got \"max\"");
    PLAN_ERROR("{" ORIGIN ", 'actions': [" MIGRATE("'start': 0, 'end': 9, 'on': 1") "]}",
               "actions[0]", "unexpected key \"on\"");
    PLAN_ERROR("{" ORIGIN ", 'actions': [" MIGRATE("'start': 0, 'end': 9, 'hooks': []") "]}",
               "actions[0].hooks", "expected an object {pre: [...], post: [...]}, got an array");
    PLAN_ERROR("{" ORIGIN ", 'actions': [{'id': 'allocate', 'vm': 0, 'on': 0, 'rc': 'cpu',"
               " 'amount': -2, 'start': 0, 'end': 1}]}",
               "actions[0].amount", "expected a non-negative integer, got -2");
    PLAN_ERROR("{" ORIGIN ", 'actions': [{'start': 0, 'end': 1}]}", "actions[0].id",
               "missing: expected a string");
    PLAN_ERROR("{" ORIGIN ", 'actions': {}}", "actions",
               "expected an array of actions, got an object");
    /* a plan is not an instance, and the other way round */
    PLAN_ERROR("{'model': " MODEL "}", "", "unexpected key \"model\"");
    INSTANCE_ERROR("{" ORIGIN ", 'actions': []}", "", "unexpected key \"origin\"");
}

static void test_errors_syntax(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    const char *truncated = "{\n  \"model\": {\n    \"mapping\": {\"onlineNodes\": {";
    assert_null(mvm_instance_parse(truncated, strlen(truncated), "cut.json", &err));
    assert_int_equal(err.code, MVM_ERR_SYNTAX);
    assert_string_equal(err.file, "cut.json");
    assert_string_equal(err.path, "");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 32);
    assert_string_equal(err.message, "invalid JSON: string or '}' expected near end of file");
    char buf[1024], expected[128];
    snprintf(expected, sizeof(expected), "cut.json: line 3 column %d: invalid JSON: ", err.column);
    assert_memory_equal(mvm_error_format(&err, buf, sizeof(buf)), expected, strlen(expected));

    /* the length given is the document, even without a NUL after it */
    mvm_error_clear(&err);
    const char *two = "{\"model\": {\"mapping\": {\"onlineNodes\": {}, \"offlineNodes\": []}}}";
    struct mvm_instance *in = mvm_instance_parse(two, strlen(two), "two.json", &err);
    assert_non_null(in);
    mvm_instance_free(in);
    assert_null(mvm_instance_parse(two, strlen(two) - 1, "two.json", &err));
    assert_int_equal(err.code, MVM_ERR_SYNTAX);
    assert_int_equal(err.line, 1);

    /* empty input: there is no column to point at */
    mvm_error_clear(&err);
    assert_null(mvm_plan_parse("", 0, "empty.json", &err));
    assert_int_equal(err.code, MVM_ERR_SYNTAX);
    assert_string_equal(mvm_error_format(&err, buf, sizeof(buf)),
                        "empty.json: line 1: invalid JSON: '[' or '{' expected near end of file");

    mvm_error_clear(&err);
    const char *dup = "{\"model\": {}, \"model\": {}}";
    assert_null(mvm_instance_parse(dup, strlen(dup), "dup.json", &err));
    assert_int_equal(err.code, MVM_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "duplicate object key"));

    mvm_error_clear(&err);
    assert_null(mvm_instance_parse("[]", 2, "array.json", &err));
    assert_int_equal(err.code, MVM_ERR_INVALID);
    assert_string_equal(mvm_error_format(&err, buf, sizeof(buf)),
                        "array.json: expected a JSON object at the top level, got an array");

    /* a path-precise error formats as file: path: message */
    mvm_error_clear(&err);
    char *text = json_of("{'model': {'mapping': {'onlineNodes': {'0': {'runningVMs': [true]}},"
                         " 'offlineNodes': []}}}");
    assert_null(mvm_instance_parse(text, strlen(text), "t.json", &err));
    free(text);
    assert_string_equal(mvm_error_format(&err, buf, sizeof(buf)),
                        "t.json: model.mapping.onlineNodes.0.runningVMs[0]: expected an integer, "
                        "got true");
}

static void test_errors_files(void **state)
{
    (void)state;
    char dir[512], path[1024];
    make_dir(dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/missing.json", dir);
    struct mvm_error err = {0};
    assert_null(mvm_instance_load(path, &err));
    assert_int_equal(err.code, MVM_ERR_IO);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "cannot open: No such file or directory"));

    /* neither an instance nor a plan */
    snprintf(path, sizeof(path), "%s/neither.json", dir);
    write_bytes(path, "{\"nodes\": []}", strlen("{\"nodes\": []}"));
    struct mvm_document doc;
    mvm_error_clear(&err);
    assert_int_equal(mvm_document_load(path, &doc, &err), -1);
    assert_int_equal(err.code, MVM_ERR_INVALID);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "expected an instance {model, constraints, objective} or a "
                                        "plan {origin, actions}"));
    assert_null(doc.instance);
    assert_null(doc.plan);

    /* a file error names the file, and the path inside it */
    snprintf(path, sizeof(path), "%s/fence.json", dir);
    char *text = json_of("{'model': " MODEL ", 'constraints': [{'id': 'fence', 'vm': 5,"
                         " 'nodes': [0]}]}");
    write_bytes(path, text, strlen(text));
    free(text);
    mvm_error_clear(&err);
    assert_int_equal(mvm_document_load(path, &doc, &err), -1);
    assert_string_equal(err.file, path);
    assert_string_equal(err.path, "constraints[0].vm");
    remove_dir(dir);
}

/* ---- what the library does not understand is written back verbatim ---- */

/* Parses an instance, checks it writes back equal to its input, returns it. */
static struct mvm_instance *round_trip_instance(const char *single_quoted)
{
    char *text = json_of(single_quoted);
    struct mvm_error err = {0};
    struct mvm_instance *in = mvm_instance_parse(text, strlen(text), "t.json", &err);
    if (in == NULL)
        fail_msg("rejected: %s at %s", err.message, err.path);
    char *out = mvm_instance_to_json(in, MVM_JSON_COMPACT, &err);
    assert_non_null(out);
    json_t *a = parse_text(text), *b = parse_text(out);
    if (!json_equal(a, b))
        fail_msg("written back differently:\n%s\n%s", text, out);
    json_decref(a);
    json_decref(b);
    free(out);
    free(text);
    return in;
}

#define FULL_MAPPING                                                                               \
    "'mapping': {'onlineNodes': {'0': {'runningVMs': [0, 1], 'sleepingVMs': [4]},"                 \
    " '1': {'runningVMs': [2], 'sleepingVMs': []}}, 'offlineNodes': [2], 'readyVMs': [3]}"

static void test_unknown_constraint_kept(void **state)
{
    (void)state;
    struct mvm_instance *in = round_trip_instance(
        "{'model': {" FULL_MAPPING ", 'attributes': {'nodes': {}, 'vms': {}}, 'views': []},"
        " 'constraints': [{'id': 'mostlySpread', 'vms': [0, 2], 'continuous': true},"
        " {'id': 'fence', 'vm': 0, 'nodes': [1], 'continuous': false},"
        " {'id': 'minSpareResources', 'nodes': [0, 1, 99], 'amount': 1, 'extra': {'x': [null]}},"
        " {'id': 'Deadline', 'vm': 1, 'timestamp': '+00:05:00'},"
        " {'id': 'Precedence', 'vm1': 2, 'vm2': 0}, {'id': 'Sync', 'vms': [0, 1]},"
        " {'id': 'offline', 'node': 1}, {'id': 'sleeping', 'vm': 4}],"
        " 'objective': {'id': 'minimizeCost', 'weight': 2}}");
    assert_int_equal(in->constraint_count, 8);
    assert_int_equal(mvm_instance_count_unsupported(in), 2);
    const struct mvm_constraint *c = &in->constraints[0];
    assert_int_equal(c->kind, MVM_CONSTRAINT_OTHER);
    assert_string_equal(c->name, "mostlySpread");
    assert_string_equal(c->json, "{\"id\":\"mostlySpread\",\"vms\":[0,2],\"continuous\":true}");
    assert_null(c->vms);
    /* an unknown constraint's ids are not checked: node 99 does not exist */
    assert_int_equal(in->constraints[2].kind, MVM_CONSTRAINT_OTHER);
    assert_int_equal(in->constraints[1].continuous, MVM_CONTINUOUS_FALSE);
    assert_int_equal(in->constraints[3].kind, MVM_CONSTRAINT_DEADLINE);
    assert_string_equal(in->constraints[3].timestamp, "+00:05:00");
    assert_int_equal(in->constraints[3].continuous, MVM_CONTINUOUS_UNSET);
    assert_int_equal(in->constraints[4].vm_count, 2);
    assert_int_equal(in->model->vms[in->constraints[4].vms[0]].id, 2);
    assert_int_equal(in->objective, MVM_OBJECTIVE_OTHER);
    assert_string_equal(in->objective_name, "minimizeCost");
    mvm_instance_free(in);

    /* no objective: none written */
    in = round_trip_instance("{'model': {" FULL_MAPPING ", 'attributes': {'nodes': {}, 'vms': {}},"
                             " 'views': []}, 'constraints': []}");
    assert_int_equal(in->objective, MVM_OBJECTIVE_NONE);
    assert_null(in->objective_json);
    mvm_instance_free(in);
}

/* Every placement constraint of the catalog reads into its fields and writes back as read. */
static void test_placement_constraints_round_trip(void **state)
{
    (void)state;
    struct mvm_instance *in = round_trip_instance(
        "{'model': {" FULL_MAPPING ", 'attributes': {'nodes': {}, 'vms': {}}, 'views': []},"
        " 'constraints': [{'id': 'spread', 'vms': [0, 2], 'continuous': true},"
        " {'id': 'gather', 'vms': [0, 1]}, {'id': 'among', 'vms': [0, 1],"
        " 'parts': [[0], [1, 2]], 'continuous': false},"
        " {'id': 'split', 'parts': [[0], [1, 2]]},"
        " {'id': 'splitAmong', 'vParts': [[0], [2]], 'pParts': [[0], [1, 2]]},"
        " {'id': 'lonely', 'vms': [2], 'continuous': true},"
        " {'id': 'quarantine', 'nodes': [1]},"
        " {'id': 'preserve', 'vm': 0, 'rc': 'cpu', 'amount': 4},"
        " {'id': 'overbook', 'node': 0, 'rc': 'mem', 'ratio': 1.5},"
        " {'id': 'overbook', 'node': 1, 'rc': 'mem', 'ratio': 2},"
        " {'id': 'resourceCapacity', 'nodes': [0, 1], 'rc': 'cpu', 'amount': 10},"
        " {'id': 'runningCapacity', 'nodes': [0, 1], 'amount': 2},"
        " {'id': 'maxOnline', 'nodes': [0, 1, 2], 'amount': 2, 'continuous': true},"
        " {'id': 'noDelay', 'vm': 1}, {'id': 'seq', 'vms': [3, 0]}]}");
    assert_int_equal(in->constraint_count, 15);
    assert_int_equal(mvm_instance_count_unsupported(in), 0);
    const struct mvm_constraint *k = in->constraints;
    assert_int_equal(k[0].kind, MVM_CONSTRAINT_SPREAD);
    assert_int_equal(k[0].continuous, MVM_CONTINUOUS_TRUE);
    assert_int_equal(k[2].kind, MVM_CONSTRAINT_AMONG);
    assert_int_equal(k[2].node_parts.count, 2);
    assert_int_equal(k[2].node_parts.sizes[1], 2);
    assert_int_equal(in->model->nodes[k[2].node_parts.groups[1][1]].id, 2);
    assert_int_equal(k[3].vm_parts.count, 2);
    assert_int_equal(in->model->vms[k[3].vm_parts.groups[1][0]].id, 1);
    assert_int_equal(k[4].kind, MVM_CONSTRAINT_SPLIT_AMONG);
    assert_int_equal(k[4].vm_parts.count, 2);
    assert_int_equal(k[4].node_parts.count, 2);
    assert_string_equal(k[7].rc, "cpu");
    assert_int_equal(k[7].amount, 4);
    assert_true(k[8].ratio == 1.5);
    assert_int_equal(k[12].kind, MVM_CONSTRAINT_MAX_ONLINE);
    assert_int_equal(k[12].node_count, 3);
    assert_int_equal(k[14].kind, MVM_CONSTRAINT_SEQ);
    assert_int_equal(in->model->vms[k[14].vms[0]].id, 3);

    /* deep copies of groups are independent */
    struct mvm_error err = {0};
    struct mvm_constraint copy;
    assert_int_equal(mvm_constraint_copy(&copy, &k[4], &err), 0);
    assert_ptr_not_equal(copy.vm_parts.groups[0], k[4].vm_parts.groups[0]);
    assert_int_equal(copy.node_parts.groups[1][1], k[4].node_parts.groups[1][1]);
    mvm_constraint_clear(&copy);
    assert_int_equal(mvm_constraint_copy(&copy, &k[7], &err), 0);
    assert_string_equal(copy.rc, "cpu");
    mvm_constraint_clear(&copy);
    mvm_instance_free(in);
}

static void test_unknown_view_kept(void **state)
{
    (void)state;
    struct mvm_instance *in = round_trip_instance(
        "{'model': {" FULL_MAPPING ", 'attributes': {'nodes': {}, 'vms': {}}, 'views': ["
        "{'id': 'EnergyView', 'idle': {'0': 100.5}, 'list': [1, 'a', null]},"
        " {'id': 'shareableResource', 'rcId': 'cpu', 'defConsumption': 1, 'defCapacity': 4,"
        " 'nodes': {'1': 8}, 'vms': {'2': 2}}, {'id': 'ns', 'type': 'node', 'map': {'n0': 0}}]},"
        " 'constraints': []}");
    const struct mvm_model *m = in->model;
    assert_int_equal(m->view_count, 3);
    assert_int_equal(m->views[0].kind, MVM_VIEW_OTHER);
    assert_int_equal(m->views[1].kind, MVM_VIEW_RESOURCE);
    assert_int_equal(m->views[2].kind, MVM_VIEW_OTHER);
    assert_string_equal(m->views[2].json, "{\"id\":\"ns\",\"type\":\"node\",\"map\":{\"n0\":0}}");
    /* values not listed take the defaults, and are not written back */
    const struct mvm_resource *cpu = mvm_model_resource(m, "cpu");
    assert_int_equal(cpu->node_capacity[mvm_model_node_index(m, 1)], 8);
    assert_int_equal(cpu->node_capacity[mvm_model_node_index(m, 0)], 4);
    assert_false(cpu->node_given[mvm_model_node_index(m, 0)]);
    assert_int_equal(cpu->vm_consumption[mvm_model_vm_index(m, 3)], 1);
    mvm_instance_free(in);
}

static void test_attribute_types_kept(void **state)
{
    (void)state;
    struct mvm_instance *in = round_trip_instance(
        "{'model': {" FULL_MAPPING ", 'attributes': {'nodes': {'2': {'boot': 120, 'name': 'n2'}},"
        " 'vms': {'0': {'t': true, 'f': false, 'i': 42, 'neg': -3, 'big': 4294967296,"
        " 'd': 0.1, 'two': 2.0, 'e': 1e300, 's': 'text', 'esc': 'a \\\\ \\n \\u00e9 z',"
        " 'n': null, 'a': [1, 'x', null, [2.5]], 'o': {'k': [true], 'l': {}}}"
        "}}, 'views': []}, 'constraints': []}");
    const struct mvm_model *m = in->model;
    static const struct {
        const char *key;
        enum mvm_attr_type type;
    } expected[] = {{"t", MVM_ATTR_BOOL},     {"f", MVM_ATTR_BOOL},   {"i", MVM_ATTR_INT},
                    {"neg", MVM_ATTR_INT},    {"big", MVM_ATTR_INT},  {"d", MVM_ATTR_DOUBLE},
                    {"two", MVM_ATTR_DOUBLE}, {"e", MVM_ATTR_DOUBLE}, {"s", MVM_ATTR_STRING},
                    {"esc", MVM_ATTR_STRING}, {"n", MVM_ATTR_JSON},   {"a", MVM_ATTR_JSON},
                    {"o", MVM_ATTR_JSON}};
    const struct mvm_attrs *attrs = &m->vms[mvm_model_vm_index(m, 0)].attrs;
    assert_int_equal(attrs->count, sizeof(expected) / sizeof(expected[0]));
    for (size_t i = 0; i < attrs->count; i++) {
        assert_string_equal(attrs->items[i].key, expected[i].key);
        assert_int_equal(attrs->items[i].type, expected[i].type);
    }
    assert_int_equal(mvm_attrs_find(attrs, "big")->integer, INT64_C(4294967296));
    assert_true(mvm_attrs_find(attrs, "two")->real == 2.0);
    assert_string_equal(mvm_attrs_find(attrs, "n")->text, "null");
    assert_string_equal(mvm_attrs_find(attrs, "a")->text, "[1,\"x\",null,[2.5]]");
    assert_string_equal(mvm_attrs_find(attrs, "s")->text, "text");
    assert_int_equal(mvm_attrs_find(attrs, "esc")->text[2], '\\');
    mvm_instance_free(in);
}

static void test_unknown_action_kept(void **state)
{
    (void)state;
    char *text = json_of(
        "{'origin': {" FULL_MAPPING ", 'attributes': {'nodes': {}, 'vms': {}}, 'views': []},"
        " 'actions': [{'id': 'teleportVM', 'vm': 42, 'start': 3, 'end': 4, 'how': ['x']},"
        " {'id': 'bootVM', 'vm': 3, 'on': 1, 'start': 0, 'end': 5,"
        " 'hooks': {'pre': [{'id': 'allocate', 'vm': 3, 'rc': 'cpu', 'amount': 2}], 'post': []}},"
        " {'id': 'suspendVM', 'vm': 0, 'from': 0, 'to': 0, 'start': 0, 'end': 2},"
        " {'id': 'resumeVM', 'vm': 4, 'from': 0, 'to': 1, 'start': 2, 'end': 4},"
        " {'id': 'allocate', 'vm': 2, 'on': 1, 'rc': 'cpu', 'amount': 3, 'start': 1, 'end': 2},"
        " {'id': 'killVM', 'vm': 1, 'on': 0, 'start': 0, 'end': 1},"
        " {'id': 'shutdownVM', 'vm': 2, 'on': 1, 'start': 2, 'end': 3},"
        " {'id': 'migrateVM', 'vm': 0, 'from': 0, 'to': 1, 'start': 5, 'end': 600}]}");
    struct mvm_error err = {0};
    struct mvm_plan *plan = mvm_plan_parse(text, strlen(text), "plan.json", &err);
    if (plan == NULL)
        fail_msg("rejected: %s at %s", err.message, err.path);
    assert_int_equal(plan->action_count, 8);
    assert_int_equal(plan->actions[0].kind, MVM_ACTION_OTHER);
    assert_int_equal(plan->actions[0].start, 3);
    assert_int_equal(plan->actions[0].end, 4);
    assert_int_equal(plan->actions[0].vm, MVM_NONE);
    assert_string_equal(plan->actions[0].json,
                        "{\"id\":\"teleportVM\",\"vm\":42,\"start\":3,\"end\":4,\"how\":[\"x\"]}");
    assert_int_equal(plan->actions[4].kind, MVM_ACTION_ALLOCATE);
    assert_string_equal(plan->actions[4].rc, "cpu");
    assert_int_equal(plan->actions[4].amount, 3);
    assert_int_equal(plan->actions[7].bw_mbps, -1); /* no bw: none written back */
    assert_int_equal(mvm_plan_makespan(plan), 600);
    char *out = mvm_plan_to_json(plan, MVM_JSON_COMPACT, &err);
    assert_non_null(out);
    json_t *a = parse_text(text), *b = parse_text(out);
    if (!json_equal(a, b))
        fail_msg("written back differently:\n%s\n%s", text, out);
    json_decref(a);
    json_decref(b);
    free(out);
    free(text);
    mvm_plan_free(plan);
}

/* ---- atomic writes ---- */

static void test_atomic_write(void **state)
{
    (void)state;
    struct mvm_error err = {0};
    struct mvm_instance *in = mvm_instance_load(DATA("instances/random4/instance.1.json"), &err);
    assert_non_null(in);
    char dir[512], path[1024], entries[1024];
    make_dir(dir, sizeof(dir));

    /* into a directory that does not exist: an I/O error, and nothing left behind */
    snprintf(path, sizeof(path), "%s/missing/out.json", dir);
    assert_int_equal(mvm_instance_save(in, path, MVM_JSON_COMPACT, &err), -1);
    assert_int_equal(err.code, MVM_ERR_IO);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "No such file or directory"));
    struct stat st;
    assert_int_equal(stat(path, &st), -1);
    dir_entries(dir, entries, sizeof(entries));
    assert_string_equal(entries, "");

    /* a successful save leaves the output and nothing else; saving again replaces it */
    snprintf(path, sizeof(path), "%s/out.json", dir);
    for (int k = 0; k < 2; k++) {
        mvm_error_clear(&err);
        assert_int_equal(mvm_instance_save(in, path, k ? MVM_JSON_PRETTY : 0, &err), 0);
        dir_entries(dir, entries, sizeof(entries));
        assert_string_equal(entries, "out.json");
    }
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    mode_t mask = umask(0);
    umask(mask);
    assert_int_equal(st.st_mode & 0777, 0666 & ~mask); /* not mkstemp's 0600 */

    /* the rename fails (a directory is in the way): the temporary file is removed */
    snprintf(path, sizeof(path), "%s/sub", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    char inner[1100];
    snprintf(inner, sizeof(inner), "%s/keep", path);
    write_bytes(inner, "x", 1);
    mvm_error_clear(&err);
    assert_int_equal(mvm_instance_save(in, path, MVM_JSON_COMPACT, &err), -1);
    assert_int_equal(err.code, MVM_ERR_IO);
    dir_entries(dir, entries, sizeof(entries));
    assert_string_equal(entries, "out.json sub");

    /* the same for a plan, gzipped */
    struct mvm_plan *plan = mvm_plan_load(DATA("instances/random4/mvm-plan.1.json"), &err);
    assert_non_null(plan);
    snprintf(path, sizeof(path), "%s/nowhere/plan.json.gz", dir);
    assert_int_equal(mvm_plan_save(plan, path, MVM_JSON_COMPACT, &err), -1);
    assert_int_equal(err.code, MVM_ERR_IO);
    snprintf(path, sizeof(path), "%s/plan.json.gz", dir);
    assert_int_equal(mvm_plan_save(plan, path, MVM_JSON_COMPACT, &err), 0);
    dir_entries(dir, entries, sizeof(entries));
    assert_string_equal(entries, "out.json plan.json.gz sub");
    mvm_plan_free(plan);
    mvm_instance_free(in);
    remove_dir(dir);
}

/* ---- damaged gzip ---- */

static void test_damaged_gzip(void **state)
{
    (void)state;
    char dir[512], path[1024];
    make_dir(dir, sizeof(dir));
    size_t n;
    unsigned char *raw = read_bytes(DATA("instances/placement/nr3.json.gz"), &n);
    assert_true(n > 1000 && raw[0] == 0x1f && raw[1] == 0x8b);

    /* the first half of a real file */
    snprintf(path, sizeof(path), "%s/half.json.gz", dir);
    write_bytes(path, raw, n / 2);
    struct mvm_error err = {0};
    assert_null(mvm_instance_load(path, &err));
    assert_int_equal(err.code, MVM_ERR_SYNTAX);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "truncated gzip"));
    struct mvm_document doc;
    mvm_error_clear(&err);
    assert_int_equal(mvm_document_load(path, &doc, &err), -1);
    assert_int_equal(err.code, MVM_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "truncated gzip"));

    /* only the header; only the magic bytes */
    write_bytes(path, raw, 10);
    mvm_error_clear(&err);
    assert_null(mvm_instance_load(path, &err));
    assert_non_null(strstr(err.message, "truncated gzip"));
    write_bytes(path, raw, 2);
    mvm_error_clear(&err);
    assert_null(mvm_instance_load(path, &err));
    assert_int_equal(err.code, MVM_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "truncated gzip"));

    /* the whole file with its trailer (CRC and length) damaged */
    raw[n - 6] ^= 0x5a;
    snprintf(path, sizeof(path), "%s/crc.json.gz", dir);
    write_bytes(path, raw, n);
    mvm_error_clear(&err);
    assert_null(mvm_instance_load(path, &err));
    assert_int_equal(err.code, MVM_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "corrupt gzip"));

    /* garbage after the magic bytes */
    snprintf(path, sizeof(path), "%s/garbage.json.gz", dir);
    write_bytes(path, "\x1f\x8bgarbage", 9);
    mvm_error_clear(&err);
    assert_null(mvm_instance_load(path, &err));
    assert_int_equal(err.code, MVM_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "corrupt gzip"));
    free(raw);
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_every_file),
        cmocka_unit_test(test_round_trip_gzip),
        cmocka_unit_test(test_random4_instance),
        cmocka_unit_test(test_random4_implied_moves),
        cmocka_unit_test(test_implied_moves_rules),
        cmocka_unit_test(test_nr3),
        cmocka_unit_test(test_energy_plan),
        cmocka_unit_test(test_errors_network),
        cmocka_unit_test(test_errors_mapping_and_views),
        cmocka_unit_test(test_errors_constraints),
        cmocka_unit_test(test_errors_plan),
        cmocka_unit_test(test_errors_syntax),
        cmocka_unit_test(test_errors_files),
        cmocka_unit_test(test_unknown_constraint_kept),
        cmocka_unit_test(test_placement_constraints_round_trip),
        cmocka_unit_test(test_unknown_view_kept),
        cmocka_unit_test(test_attribute_types_kept),
        cmocka_unit_test(test_unknown_action_kept),
        cmocka_unit_test(test_atomic_write),
        cmocka_unit_test(test_damaged_gzip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
