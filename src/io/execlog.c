/*
 * Execution logs (see mvm/execlog.h): a small line parser for the `ACTION;START;
 * END` CSV of mVM's experiments, strict about what it understands so a
 * misread log never silently skews an accuracy figure.
 */
#include "mvm/execlog.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"
#include "util/file.h"

void mvm_exec_log_clear(struct mvm_exec_log *log)
{
    free(log->records);
    memset(log, 0, sizeof(*log));
}

static int line_error(struct mvm_error *err, const char *path, int line, const char *what)
{
    mvm_error_set(err, MVM_ERR_INVALID, "%s", what);
    mvm_error_set_file(err, path);
    if (err != NULL)
        err->line = line;
    return -1;
}

/* Reads "vm#7" / "node#3" / "7" into an id; false on anything else. */
static bool parse_id(const char *v, size_t len, int32_t *out)
{
    const char *hash = memchr(v, '#', len);
    if (hash != NULL) {
        len -= (size_t)(hash + 1 - v);
        v = hash + 1;
    }
    if (len == 0 || len > 10)
        return false;
    char buf[16];
    memcpy(buf, v, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    long x = strtol(buf, &end, 10);
    if (*end != '\0' || errno != 0 || x < INT32_MIN || x > INT32_MAX)
        return false;
    *out = (int32_t)x;
    return true;
}

/* Parses "{action=NAME(key=value, ...)}" into r. */
static bool parse_action(const char *s, size_t len, struct mvm_exec_record *r)
{
    static const char prefix[] = "{action=";
    if (len < sizeof(prefix) + 2 || strncmp(s, prefix, sizeof(prefix) - 1) != 0 ||
        s[len - 1] != '}' || s[len - 2] != ')')
        return false;
    /* the argument list is looked for within the field only, ending at its ')' */
    const char *name = s + sizeof(prefix) - 1, *stop = s + len - 2;
    const char *open = memchr(name, '(', (size_t)(stop - name));
    if (open == NULL || (size_t)(open - name) >= sizeof(r->kind) || open == name)
        return false;
    memcpy(r->kind, name, (size_t)(open - name));
    r->kind[open - name] = '\0';
    const char *p = open + 1;
    while (p < stop) {
        while (p < stop && (*p == ' ' || *p == ','))
            p++;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        if (eq == NULL)
            return p == stop;
        const char *value = eq + 1, *vend = value;
        while (vend < stop && *vend != ',')
            vend++;
        size_t klen = (size_t)(eq - p), vlen = (size_t)(vend - value);
        int32_t id;
        if (!parse_id(value, vlen, &id))
            return false;
        if (klen == 2 && strncmp(p, "vm", 2) == 0)
            r->vm = id;
        else if (klen == 4 && strncmp(p, "node", 4) == 0)
            r->node = id;
        else if (klen == 4 && strncmp(p, "from", 4) == 0)
            r->from = id;
        else if (klen == 2 && strncmp(p, "to", 2) == 0)
            r->to = id;
        else if (klen == 2 && strncmp(p, "bw", 2) == 0)
            r->bw_mbps = id;
        else
            return false;
        p = vend;
    }
    return true;
}

static bool parse_time(const char *s, size_t len, double *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof(buf))
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    *out = strtod(buf, &end);
    return *end == '\0' && errno == 0 && isfinite(*out);
}

int mvm_exec_log_load(const char *path, struct mvm_exec_log *log, struct mvm_error *err)
{
    memset(log, 0, sizeof(*log));
    char *text;
    size_t length, cap = 0;
    if (mvm_file_read(path, &text, &length, err) < 0)
        return -1;
    int line = 0, rc = 0;
    /* line by line, blank ones included, so errors give the line an editor shows */
    for (char *l = text, *next; l < text + length && rc == 0; l = next) {
        char *nl = memchr(l, '\n', (size_t)(text + length - l));
        next = nl != NULL ? nl + 1 : text + length;
        if (nl != NULL)
            *nl = '\0';
        line++;
        size_t len = strlen(l);
        if (len > 0 && l[len - 1] == '\r')
            l[--len] = '\0';
        if (line == 1) {
            /* further columns (RUN) may follow END */
            if (strncmp(l, "ACTION;START;END", 16) != 0 || (l[16] != '\0' && l[16] != ';'))
                rc = line_error(err, path, line, "expected the header ACTION;START;END");
            continue;
        }
        if (len == 0)
            continue;
        char *semi1 = strchr(l, ';'), *semi2 = semi1 ? strchr(semi1 + 1, ';') : NULL;
        char *semi3 = semi2 ? strchr(semi2 + 1, ';') : NULL;
        struct mvm_exec_record r = {.vm = -1, .node = -1, .from = -1, .to = -1, .bw_mbps = -1};
        if (semi1 == NULL || semi2 == NULL) {
            rc = line_error(err, path, line, "expected ACTION;START;END");
        } else if (!parse_action(l, (size_t)(semi1 - l), &r)) {
            rc = line_error(err, path, line,
                            "expected an action like {action=migrate(vm=vm#7, from=node#3, "
                            "to=node#2, bw=1000)}");
        } else if (!parse_time(semi1 + 1, (size_t)(semi2 - semi1 - 1), &r.start) ||
                   !parse_time(semi2 + 1, semi3 ? (size_t)(semi3 - semi2 - 1) : strlen(semi2 + 1),
                               &r.end) ||
                   r.end < r.start) {
            rc = line_error(err, path, line, "expected START and END times, END >= START");
        } else if (MVM_ARRAY_RESERVE(log->records, cap, log->count + 1, err) < 0) {
            rc = -1;
        } else {
            log->records[log->count++] = r;
        }
    }
    free(text);
    if (rc == 0 && log->count == 0)
        rc = line_error(err, path, line, "no action in the log");
    if (rc < 0) {
        mvm_exec_log_clear(log);
        return -1;
    }
    log->origin = log->records[0].start;
    for (size_t i = 1; i < log->count; i++)
        log->origin = fmin(log->origin, log->records[i].start);
    return 0;
}

size_t mvm_exec_record_action(const struct mvm_exec_record *r, const struct mvm_plan *plan)
{
    const struct mvm_model *m = plan->origin;
    for (size_t a = 0; a < plan->action_count; a++) {
        const struct mvm_action *act = &plan->actions[a];
        if (strcmp(r->kind, "migrate") == 0 && act->kind == MVM_ACTION_MIGRATE_VM &&
            m->vms[act->vm].id == r->vm && m->nodes[act->from].id == r->from &&
            m->nodes[act->to].id == r->to)
            return a;
        bool boot = strcmp(r->kind, "boot") == 0 || strcmp(r->kind, "bootNode") == 0;
        bool halt = strcmp(r->kind, "shutdown") == 0 || strcmp(r->kind, "shutdownNode") == 0;
        if (r->node >= 0 && act->node != MVM_NONE && m->nodes[act->node].id == r->node &&
            ((boot && act->kind == MVM_ACTION_BOOT_NODE) ||
             (halt && act->kind == MVM_ACTION_SHUTDOWN_NODE)))
            return a;
    }
    return MVM_NONE;
}
