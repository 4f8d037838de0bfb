/*
 * Instance and plan documents: top-level structure, loading from (possibly
 * gzipped) files, and atomic saving. The per-concept converters live in the
 * other files of this folder.
 */
#include <stdlib.h>
#include <string.h>

#include "io/codec.h"
#include "mvm/io.h"
#include "util/file.h"

static void jctx_init(struct mvm_jctx *c, const char *name, struct mvm_error *err)
{
    memset(c, 0, sizeof(*c));
    c->file = name;
    c->err = err;
}

static struct mvm_instance *instance_from_root(struct mvm_jctx *c, const json_t *root)
{
    static const char *const keys[] = {"model", "constraints", "objective", NULL};
    if (jctx_only_keys(c, root, keys) < 0)
        return NULL;
    json_t *mv = jctx_member(c, root, "model", true, "the datacenter model");
    if (mv == NULL)
        return NULL;
    size_t at = jctx_key(c, "model");
    struct mvm_model *model = model_from_json(c, mv);
    if (model == NULL)
        return NULL;
    jctx_pop(c, at);
    struct mvm_instance *in = mvm_instance_new(model, c->err);
    if (in == NULL)
        return NULL;
    json_t *cs = json_object_get(root, "constraints");
    at = jctx_key(c, "constraints");
    if (cs != NULL && !json_is_array(cs)) {
        jctx_expected(c, "an array of constraints", cs);
        goto fail;
    }
    for (size_t i = 0; i < json_array_size(cs); i++) {
        size_t ai = jctx_index(c, i);
        struct mvm_constraint k;
        if (constraint_from_json(c, json_array_get(cs, i), model, &k) < 0 ||
            mvm_instance_add_constraint(in, &k, c->err) < 0)
            goto fail;
        jctx_pop(c, ai);
    }
    jctx_pop(c, at);
    json_t *obj = json_object_get(root, "objective");
    if (obj != NULL) {
        at = jctx_key(c, "objective");
        if (!json_is_object(obj)) {
            jctx_expected(c, "an object {id: ...}", obj);
            goto fail;
        }
        const char *name;
        if (jctx_field_string(c, obj, "id", true, &name) < 0)
            goto fail;
        char *text = json_text(obj, c->err);
        int rc = text == NULL ? -1 : mvm_instance_set_objective(in, name, text, c->err);
        free(text);
        if (rc < 0)
            goto fail;
        jctx_pop(c, at);
    }
    return in;
fail:
    mvm_instance_free(in);
    return NULL;
}

static struct mvm_plan *plan_from_root(struct mvm_jctx *c, const json_t *root)
{
    static const char *const keys[] = {"origin", "actions", NULL};
    if (jctx_only_keys(c, root, keys) < 0)
        return NULL;
    json_t *ov = jctx_member(c, root, "origin", true, "the origin model");
    json_t *av = jctx_member(c, root, "actions", true, "an array of actions");
    if (ov == NULL || av == NULL)
        return NULL;
    size_t at = jctx_key(c, "origin");
    struct mvm_model *origin = model_from_json(c, ov);
    if (origin == NULL)
        return NULL;
    jctx_pop(c, at);
    struct mvm_plan *plan = mvm_plan_new(origin, c->err);
    if (plan == NULL)
        return NULL;
    at = jctx_key(c, "actions");
    if (!json_is_array(av)) {
        jctx_expected(c, "an array of actions", av);
        goto fail;
    }
    for (size_t i = 0; i < json_array_size(av); i++) {
        size_t ai = jctx_index(c, i);
        struct mvm_action a;
        if (action_from_json(c, json_array_get(av, i), origin, &a) < 0 ||
            mvm_plan_add_action(plan, &a, c->err) < 0)
            goto fail;
        jctx_pop(c, ai);
    }
    jctx_pop(c, at);
    return plan;
fail:
    mvm_plan_free(plan);
    return NULL;
}

/* What a caller asks a parse for. */
enum want { WANT_INSTANCE, WANT_PLAN, WANT_EITHER };

/* Parses text into doc; a plan is told from an instance by its top-level keys. */
static int parse_document(const char *text, size_t length, const char *name, enum want want,
                          struct mvm_document *doc, struct mvm_error *err)
{
    memset(doc, 0, sizeof(*doc));
    json_t *root = json_parse_document(text, length, name, err);
    if (root == NULL)
        return -1;
    struct mvm_jctx c;
    jctx_init(&c, name, err);
    bool plan_keys = json_object_get(root, "origin") || json_object_get(root, "actions");
    if (want == WANT_PLAN || (want == WANT_EITHER && plan_keys)) {
        doc->kind = MVM_DOCUMENT_PLAN;
        doc->plan = plan_from_root(&c, root);
    } else if (want == WANT_INSTANCE || json_object_get(root, "model") != NULL) {
        doc->kind = MVM_DOCUMENT_INSTANCE;
        doc->instance = instance_from_root(&c, root);
    } else {
        jctx_fail(&c, "expected an instance {model, constraints, objective} or a plan "
                      "{origin, actions}");
    }
    json_decref(root);
    return doc->plan != NULL || doc->instance != NULL ? 0 : -1;
}

static int load_document(const char *path, enum want want, struct mvm_document *doc,
                         struct mvm_error *err)
{
    char *text;
    size_t len;
    memset(doc, 0, sizeof(*doc));
    if (mvm_file_read(path, &text, &len, err) < 0)
        return -1;
    int rc = parse_document(text, len, path, want, doc, err);
    free(text);
    return rc;
}

struct mvm_instance *mvm_instance_parse(const char *text, size_t length, const char *name,
                                        struct mvm_error *err)
{
    struct mvm_document doc;
    return parse_document(text, length, name, WANT_INSTANCE, &doc, err) < 0 ? NULL
                                                                             : doc.instance;
}

struct mvm_plan *mvm_plan_parse(const char *text, size_t length, const char *name,
                                struct mvm_error *err)
{
    struct mvm_document doc;
    return parse_document(text, length, name, WANT_PLAN, &doc, err) < 0 ? NULL : doc.plan;
}

int mvm_document_load(const char *path, struct mvm_document *doc, struct mvm_error *err)
{
    return load_document(path, WANT_EITHER, doc, err);
}

void mvm_document_clear(struct mvm_document *doc)
{
    mvm_instance_free(doc->instance);
    mvm_plan_free(doc->plan);
    memset(doc, 0, sizeof(*doc));
}

struct mvm_instance *mvm_instance_load(const char *path, struct mvm_error *err)
{
    struct mvm_document doc;
    return load_document(path, WANT_INSTANCE, &doc, err) < 0 ? NULL : doc.instance;
}

struct mvm_plan *mvm_plan_load(const char *path, struct mvm_error *err)
{
    struct mvm_document doc;
    return load_document(path, WANT_PLAN, &doc, err) < 0 ? NULL : doc.plan;
}

static json_t *instance_to_root(const struct mvm_instance *in, struct mvm_error *err)
{
    json_t *root = json_object(), *cs = json_array();
    int rc = root && cs ? 0 : -1;
    if (rc == 0)
        rc = json_set(root, "model", model_to_json(in->model, err), err);
    for (size_t i = 0; rc == 0 && i < in->constraint_count; i++)
        rc = json_push(cs, constraint_to_json(&in->constraints[i], in->model, err), err);
    if (rc == 0) {
        rc = json_set(root, "constraints", cs, err);
        cs = NULL;
    }
    if (rc == 0 && in->objective_json != NULL)
        rc = json_set(root, "objective", json_from_text(in->objective_json, err), err);
    json_decref(cs);
    if (rc != 0) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static json_t *plan_to_root(const struct mvm_plan *plan, struct mvm_error *err)
{
    json_t *root = json_object(), *actions = json_array();
    int rc = root && actions ? 0 : -1;
    if (rc == 0)
        rc = json_set(root, "origin", model_to_json(plan->origin, err), err);
    for (size_t i = 0; rc == 0 && i < plan->action_count; i++)
        rc = json_push(actions, action_to_json(&plan->actions[i], plan->origin, err), err);
    if (rc == 0) {
        rc = json_set(root, "actions", actions, err);
        actions = NULL;
    }
    json_decref(actions);
    if (rc != 0) {
        json_decref(root);
        return NULL;
    }
    return root;
}

char *mvm_instance_to_json(const struct mvm_instance *in, int flags, struct mvm_error *err)
{
    json_t *root = instance_to_root(in, err);
    char *s = root == NULL ? NULL : json_serialize(root, flags, err);
    json_decref(root);
    return s;
}

char *mvm_plan_to_json(const struct mvm_plan *plan, int flags, struct mvm_error *err)
{
    json_t *root = plan_to_root(plan, err);
    char *s = root == NULL ? NULL : json_serialize(root, flags, err);
    json_decref(root);
    return s;
}

static int save_text(char *text, const char *path, int flags, struct mvm_error *err)
{
    if (text == NULL)
        return -1;
    bool gz = (flags & MVM_JSON_GZIP) || mvm_file_is_gz_name(path);
    size_t len = strlen(text);
    /* a trailing newline for text output, as every Unix tool expects */
    if (!gz)
        text[len] = '\n';
    int rc = mvm_file_write(path, text, gz ? len : len + 1, gz, err);
    free(text);
    return rc;
}

int mvm_instance_save(const struct mvm_instance *in, const char *path, int flags,
                      struct mvm_error *err)
{
    return save_text(mvm_instance_to_json(in, flags, err), path, flags, err);
}

int mvm_plan_save(const struct mvm_plan *plan, const char *path, int flags, struct mvm_error *err)
{
    return save_text(mvm_plan_to_json(plan, flags, err), path, flags, err);
}
