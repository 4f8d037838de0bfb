/*
 * The constraint catalog this version understands (see mvm/constraint.h): names,
 * ownership, and the resolution of Deadline timestamps into seconds.
 */
#include "mvm/constraint.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/array.h"

static const char *const kind_names[] = {
    [MVM_CONSTRAINT_FENCE] = "fence",         [MVM_CONSTRAINT_BAN] = "ban",
    [MVM_CONSTRAINT_ROOT] = "root",           [MVM_CONSTRAINT_ONLINE] = "online",
    [MVM_CONSTRAINT_OFFLINE] = "offline",     [MVM_CONSTRAINT_RUNNING] = "running",
    [MVM_CONSTRAINT_READY] = "ready",         [MVM_CONSTRAINT_SLEEPING] = "sleeping",
    [MVM_CONSTRAINT_KILLED] = "killed",       [MVM_CONSTRAINT_SYNC] = "Sync",
    [MVM_CONSTRAINT_SERIALIZE] = "Serialize", [MVM_CONSTRAINT_PRECEDENCE] = "Precedence",
    [MVM_CONSTRAINT_DEADLINE] = "Deadline",     [MVM_CONSTRAINT_POWER_BUDGET] = "powerBudget",
    [MVM_CONSTRAINT_SPREAD] = "spread",         [MVM_CONSTRAINT_GATHER] = "gather",
    [MVM_CONSTRAINT_AMONG] = "among",           [MVM_CONSTRAINT_SPLIT] = "split",
    [MVM_CONSTRAINT_SPLIT_AMONG] = "splitAmong", [MVM_CONSTRAINT_LONELY] = "lonely",
    [MVM_CONSTRAINT_QUARANTINE] = "quarantine", [MVM_CONSTRAINT_PRESERVE] = "preserve",
    [MVM_CONSTRAINT_OVERBOOK] = "overbook",
    [MVM_CONSTRAINT_RESOURCE_CAPACITY] = "resourceCapacity",
    [MVM_CONSTRAINT_RUNNING_CAPACITY] = "runningCapacity",
    [MVM_CONSTRAINT_MAX_ONLINE] = "maxOnline",  [MVM_CONSTRAINT_NO_DELAY] = "noDelay",
    [MVM_CONSTRAINT_SEQ] = "seq",
};

enum mvm_constraint_kind mvm_constraint_kind_from_name(const char *name)
{
    for (size_t k = 0; k < MVM_CONSTRAINT_OTHER; k++)
        if (strcmp(kind_names[k], name) == 0)
            return (enum mvm_constraint_kind)k;
    return MVM_CONSTRAINT_OTHER;
}

const char *mvm_constraint_kind_name(enum mvm_constraint_kind kind)
{
    return kind < MVM_CONSTRAINT_OTHER ? kind_names[kind] : "other";
}

void mvm_id_groups_clear(struct mvm_id_groups *g)
{
    for (size_t k = 0; g->groups != NULL && k < g->count; k++)
        free(g->groups[k]);
    free(g->groups);
    free(g->sizes);
    memset(g, 0, sizeof(*g));
}

void mvm_constraint_clear(struct mvm_constraint *c)
{
    mvm_id_groups_clear(&c->vm_parts);
    mvm_id_groups_clear(&c->node_parts);
    free(c->rc);
    free(c->name);
    free(c->vms);
    free(c->nodes);
    free(c->timestamp);
    free(c->json);
    memset(c, 0, sizeof(*c));
}

static int copy_indices(size_t **dst, const size_t *src, size_t n, struct mvm_error *err)
{
    *dst = NULL;
    if (n == 0)
        return 0;
    *dst = mvm_calloc(n, sizeof(**dst), err);
    if (*dst == NULL)
        return -1;
    memcpy(*dst, src, n * sizeof(**dst));
    return 0;
}

/* Deep copy of src into dst (which holds no allocation). */
static int copy_groups(struct mvm_id_groups *dst, const struct mvm_id_groups *src,
                       struct mvm_error *err)
{
    memset(dst, 0, sizeof(*dst));
    if (src->count == 0)
        return 0;
    dst->groups = mvm_calloc(src->count, sizeof(*dst->groups), err);
    dst->sizes = mvm_calloc(src->count, sizeof(*dst->sizes), err);
    if (dst->groups == NULL || dst->sizes == NULL)
        return -1;
    dst->count = src->count;
    for (size_t k = 0; k < src->count; k++) {
        dst->sizes[k] = src->sizes[k];
        if (copy_indices(&dst->groups[k], src->groups[k], src->sizes[k], err) < 0)
            return -1;
    }
    return 0;
}

int mvm_constraint_copy(struct mvm_constraint *dst, const struct mvm_constraint *src,
                        struct mvm_error *err)
{
    /* scalars by value; every owned pointer is re-created below */
    *dst = *src;
    dst->name = dst->timestamp = dst->json = dst->rc = NULL;
    dst->vms = dst->nodes = NULL;
    memset(&dst->vm_parts, 0, sizeof(dst->vm_parts));
    memset(&dst->node_parts, 0, sizeof(dst->node_parts));
    dst->name = mvm_strdup(src->name, err);
    dst->timestamp = mvm_strdup(src->timestamp, err);
    dst->json = mvm_strdup(src->json, err);
    dst->rc = mvm_strdup(src->rc, err);
    int rc = copy_indices(&dst->vms, src->vms, src->vm_count, err);
    rc |= copy_indices(&dst->nodes, src->nodes, src->node_count, err);
    rc |= copy_groups(&dst->vm_parts, &src->vm_parts, err);
    rc |= copy_groups(&dst->node_parts, &src->node_parts, err);
    if (rc < 0 || (src->name && !dst->name) || (src->timestamp && !dst->timestamp) ||
        (src->json && !dst->json) || (src->rc && !dst->rc)) {
        mvm_constraint_clear(dst);
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    }
    return 0;
}

/* Parses "HH:MM:SS" (hours may exceed 23 for relative stamps); -1 on error. */
static int64_t parse_hms(const char *s)
{
    unsigned h, m, sec;
    int used = 0;
    /* sscanf alone would accept blanks and signs before each number */
    if (s[strspn(s, "0123456789:")] != '\0')
        return -1;
    if (sscanf(s, "%u:%2u:%2u%n", &h, &m, &sec, &used) != 3 || s[used] != '\0' || m > 59 ||
        sec > 59 || h > 100000)
        return -1;
    return (int64_t)h * 3600 + (int64_t)m * 60 + (int64_t)sec;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (int64_t)m + (m > 2 ? -3 : 9);
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/*
 * True when s starts with the fixed layout (d: a digit, T: 'T' or ' '), which sscanf
 * alone does not check: it would accept blanks, signs and short fields.
 */
static bool has_layout(const char *s, const char *layout)
{
    for (size_t i = 0; layout[i] != '\0'; i++) {
        char c = s[i];
        bool ok = layout[i] == 'd'   ? c >= '0' && c <= '9'
                  : layout[i] == 'T' ? c == 'T' || c == ' '
                                     : c == layout[i];
        if (!ok)
            return false;
    }
    return true;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/*
 * ISO 8601 date-time "YYYY-MM-DDTHH:MM:SS" followed by "Z", "+HH:MM" or "-HH:MM"
 * (local time when absent). Returns 0 and the Unix time, or -1.
 */
static int parse_iso8601(const char *s, int64_t *epoch)
{
    int y;
    unsigned mo, d, h, mi, sec;
    int used = 0;
    if (!has_layout(s, "dddd-dd-ddTdd:dd:dd") ||
        sscanf(s, "%4d-%2u-%2u%*1[T ]%2u:%2u:%2u%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6 ||
        mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60)
        return -1;
    const char *tz = s + used;
    int64_t local = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    if (strcmp(tz, "Z") == 0) {
        *epoch = local;
        return 0;
    }
    unsigned oh, om;
    char sign;
    int tz_used = 0;
    if ((has_layout(tz, "+dd:dd") || has_layout(tz, "-dd:dd")) &&
        sscanf(tz, "%c%2u:%2u%n", &sign, &oh, &om, &tz_used) == 3 && tz[tz_used] == '\0' &&
        oh <= 23 && om <= 59) {
        int64_t off = (int64_t)oh * 3600 + om * 60;
        *epoch = sign == '+' ? local - off : local + off;
        return 0;
    }
    if (*tz != '\0')
        return -1;
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = (int)mo - 1,
                    .tm_mday = (int)d,
                    .tm_hour = (int)h,
                    .tm_min = (int)mi,
                    .tm_sec = (int)sec,
                    .tm_isdst = -1};
    time_t t = mktime(&tm);
    if (t == (time_t)-1)
        return -1;
    *epoch = (int64_t)t;
    return 0;
}

int mvm_deadline_resolve(const char *ts, int64_t start_epoch, int64_t *seconds,
                         struct mvm_error *err)
{
    if (ts[0] == '+') {
        int64_t rel = parse_hms(ts + 1);
        if (rel >= 0) {
            *seconds = rel;
            return 0;
        }
    } else if (strchr(ts, '-') == NULL || strchr(ts, '-') > strchr(ts, ':')) {
        /* "HH:MM:SS": the next such local wall-clock time after the start */
        int64_t at = parse_hms(ts);
        time_t start = (time_t)start_epoch;
        struct tm tm;
        if (at >= 0 && at < 86400 && localtime_r(&start, &tm) != NULL) {
            int64_t now = (int64_t)tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
            *seconds = at >= now ? at - now : at + 86400 - now;
            return 0;
        }
    } else {
        int64_t epoch;
        if (parse_iso8601(ts, &epoch) == 0) {
            *seconds = epoch - start_epoch;
            return 0;
        }
    }
    return mvm_error_set(err, MVM_ERR_INVALID,
                         "deadline \"%s\": expected \"+HH:MM:SS\", \"HH:MM:SS\" or an ISO 8601 "
                         "date-time such as 2026-11-23T14:00:00Z",
                         ts);
}
