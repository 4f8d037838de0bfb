/*
 * Reading SimGrid platform files (XML, version 4.1) with libxml2 into the
 * platform representation of io/platform.h, checking as SimGrid does what it
 * checks (the DOCTYPE, the version, units, declared names, link directions) and
 * refusing what our network model cannot express (time-varying links, limiter
 * links, non-flat clusters, WIFI links), each with the XML line and what was
 * expected. mvm_platform_load then builds the network (platform_net.c).
 */
#include "mvm/platform.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "io/platform.h"
#include "util/array.h"
#include "util/file.h"

/* ---- names ---- */

static uint64_t hash_string(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037); /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}

size_t pf_names_get(const struct pf_names *m, const char *key)
{
    if (m->capacity == 0)
        return PF_NONE;
    size_t mask = m->capacity - 1;
    for (size_t i = (size_t)hash_string(key) & mask;; i = (i + 1) & mask) {
        if (m->keys[i] == NULL)
            return PF_NONE;
        if (strcmp(m->keys[i], key) == 0)
            return m->values[i];
    }
}

static int names_grow(struct pf_names *m, struct mvm_error *err)
{
    size_t capacity = m->capacity ? 2 * m->capacity : 64;
    char **keys = mvm_calloc(capacity, sizeof(*keys), err);
    size_t *values = mvm_calloc(capacity, sizeof(*values), err);
    if (keys == NULL || values == NULL) {
        free(keys);
        free(values);
        return -1;
    }
    for (size_t i = 0; i < m->capacity; i++) {
        if (m->keys[i] == NULL)
            continue;
        size_t j = (size_t)hash_string(m->keys[i]) & (capacity - 1);
        while (keys[j] != NULL)
            j = (j + 1) & (capacity - 1);
        keys[j] = m->keys[i];
        values[j] = m->values[i];
    }
    free(m->keys);
    free(m->values);
    m->keys = keys;
    m->values = values;
    m->capacity = capacity;
    return 0;
}

/* Adds key -> value. Returns 0, 1 when the key exists (unchanged), -1 on memory. */
static int names_put(struct pf_names *m, const char *key, size_t value, struct mvm_error *err)
{
    if (pf_names_get(m, key) != PF_NONE)
        return 1;
    if (2 * (m->count + 1) > m->capacity && names_grow(m, err) < 0)
        return -1;
    char *copy = mvm_strdup(key, err);
    if (copy == NULL)
        return -1;
    size_t mask = m->capacity - 1, i = (size_t)hash_string(key) & mask;
    while (m->keys[i] != NULL)
        i = (i + 1) & mask;
    m->keys[i] = copy;
    m->values[i] = value;
    m->count++;
    return 0;
}

static void names_clear(struct pf_names *m)
{
    for (size_t i = 0; i < m->capacity; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof(*m));
}

void pf_platform_clear(struct pf_platform *p)
{
    for (size_t i = 0; i < p->link_count; i++)
        free(p->links[i].name);
    for (size_t i = 0; i < p->point_count; i++)
        free(p->points[i].name);
    for (size_t i = 0; i < p->zone_count; i++) {
        free(p->zones[i].members);
        free(p->zones[i].routes);
    }
    free(p->links);
    free(p->points);
    free(p->zones);
    free(p->routes);
    free(p->hops);
    free(p->route_order);
    names_clear(&p->point_names);
    names_clear(&p->link_names);
    names_clear(&p->hop_names);
    memset(p, 0, sizeof(*p));
}

/* ---- units (SimGrid's xbt_parse_units, checked against SimGrid 3.32) ---- */

/* Splits text into a number and its unit; -1 when there is no finite number. */
static int split_number(const char *text, double *value, const char **unit)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || errno == ERANGE || !isfinite(v))
        return -1;
    *value = v;
    *unit = end;
    return 0;
}

int pf_parse_bandwidth(const char *text, double *bytes_per_s)
{
    static const char prefixes[] = "kMGTPEZY"; /* powers of 1000; with "i" (Ki, Mi...) of 1024 */
    double v;
    const char *unit;
    if (split_number(text, &v, &unit) < 0)
        return -1;
    double scale = 1.0;
    const char *at = unit[0] != '\0' ? strchr(prefixes, unit[0]) : NULL;
    if (unit[0] == 'K' && unit[1] == 'i') { /* the binary kilo is "Ki", the decimal one "k" */
        scale = 1024.0;
        unit += 2;
    } else if (at != NULL) {
        double power = (double)(at - prefixes + 1);
        bool binary = unit[1] == 'i' && unit[0] != 'k';
        scale = binary ? pow(1024.0, power) : pow(1000.0, power);
        unit += binary ? 2 : 1;
    }
    if (*unit == '\0' && scale == 1.0) {
        *bytes_per_s = v; /* no unit: bytes per second (SimGrid: deprecated) */
        return 0;
    }
    if (strcmp(unit, "Bps") == 0)
        *bytes_per_s = v * scale;
    else if (strcmp(unit, "bps") == 0)
        *bytes_per_s = v * scale / 8.0;
    else
        return -1;
    return 0;
}

int pf_parse_latency(const char *text, double *seconds)
{
    static const struct {
        const char *unit;
        double scale;
    } units[] = {{"", 1.0},     {"s", 1.0},  {"ms", 1e-3},  {"us", 1e-6},   {"ns", 1e-9},
                 {"ps", 1e-12}, {"m", 60.0}, {"h", 3600.0}, {"d", 86400.0}, {"w", 604800.0}};
    double v;
    const char *unit;
    if (split_number(text, &v, &unit) < 0)
        return -1;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(unit, units[i].unit) == 0) {
            *seconds = v * units[i].scale;
            return 0;
        }
    }
    return -1;
}

int64_t pf_mbps(double bytes_per_s)
{
    double mbps = bytes_per_s * 8.0 / 1e6;
    if (mbps >= (double)MVM_NET_UNLIMITED)
        return MVM_NET_UNLIMITED;
    int64_t r = (int64_t)llround(mbps);
    return r < 1 ? 1 : r;
}

/* ---- reading ---- */

struct pctx {
    struct pf_platform *p;
    struct mvm_error *err;
};

static int line_of(const xmlNode *n)
{
    long line = xmlGetLineNo(n);
    return line > 0 && line <= INT_MAX ? (int)line : 0;
}

__attribute__((format(printf, 3, 4))) static int fail_at(struct pctx *c, const xmlNode *n,
                                                         const char *fmt, ...)
{
    if (c->err == NULL)
        return -1;
    char msg[sizeof(c->err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    mvm_error_set(c->err, MVM_ERR_INVALID, "%s", msg);
    c->err->line = n != NULL ? line_of(n) : 0;
    mvm_error_set_file(c->err, c->p->file);
    return -1;
}

static bool is_element(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/*
 * The attributes of an element, by name among `names` (NULL-terminated); an
 * attribute not listed is an error, as in SimGrid's DTD. values[i] is NULL when
 * absent; free with attrs_free.
 */
static int attrs_read(struct pctx *c, const xmlNode *n, const char *const *names, char **values)
{
    size_t count = 0;
    while (names[count] != NULL)
        values[count++] = NULL;
    for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
        size_t i = 0;
        while (i < count && strcmp(names[i], (const char *)a->name) != 0)
            i++;
        if (i == count)
            return fail_at(c, n, "<%s>: unexpected attribute \"%s\"", (const char *)n->name,
                           (const char *)a->name);
        xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
        if (v == NULL)
            v = xmlCharStrdup("");
        if (v == NULL)
            return mvm_error_set(c->err, MVM_ERR_NOMEM, "out of memory");
        values[i] = (char *)v;
    }
    return 0;
}

static void attrs_free(char **values, size_t count)
{
    for (size_t i = 0; i < count; i++)
        xmlFree(values[i]);
}

static int require(struct pctx *c, const xmlNode *n, const char *what, const char *attr,
                   const char *value)
{
    if (value == NULL)
        return fail_at(c, n, "%s: missing attribute %s", what, attr);
    return 0;
}

static int parse_policy(struct pctx *c, const xmlNode *n, const char *what, const char *value,
                        enum pf_policy *out)
{
    if (value == NULL || strcmp(value, "SHARED") == 0)
        *out = PF_SHARED;
    else if (strcmp(value, "SPLITDUPLEX") == 0)
        *out = PF_SPLITDUPLEX;
    else if (strcmp(value, "FATPIPE") == 0)
        *out = PF_FATPIPE;
    else if (strcmp(value, "WIFI") == 0)
        return fail_at(c, n, "%s: sharing_policy WIFI is not supported (our links are wired)",
                       what);
    else
        return fail_at(c, n, "%s: sharing_policy \"%s\": expected SHARED, SPLITDUPLEX or FATPIPE",
                       what, value);
    return 0;
}

static int parse_bw(struct pctx *c, const xmlNode *n, const char *what, const char *attr,
                    const char *value, int64_t *mbps)
{
    double bps;
    if (pf_parse_bandwidth(value, &bps) < 0)
        return fail_at(c, n, "%s: %s \"%s\": expected a number with a unit such as 1Gbps", what,
                       attr, value);
    if (!(bps > 0))
        return fail_at(c, n, "%s: %s \"%s\": expected a positive bandwidth", what, attr, value);
    *mbps = pf_mbps(bps);
    return 0;
}

/* Latencies are read to be checked, then ignored: our model has none (REFERENCE section 4). */
static int check_latency(struct pctx *c, const xmlNode *n, const char *what, const char *attr,
                         const char *value)
{
    double s;
    if (pf_parse_latency(value, &s) < 0)
        return fail_at(c, n, "%s: %s \"%s\": expected a time with a unit such as 50us", what, attr,
                       value);
    if (s < 0)
        return fail_at(c, n, "%s: %s \"%s\": expected a latency of at least 0", what, attr, value);
    return 0;
}

static size_t add_point(struct pctx *c, const xmlNode *n, const char *name, enum pf_point_kind kind,
                        size_t zone)
{
    struct pf_platform *p = c->p;
    int rc = names_put(&p->point_names, name, p->point_count, c->err);
    if (rc < 0)
        return PF_NONE;
    if (rc == 1) {
        const struct pf_point *other = &p->points[pf_names_get(&p->point_names, name)];
        fail_at(c, n, "\"%s\": this name is already used by the %s at line %d", name,
                other->kind == PF_HOST     ? "host"
                : other->kind == PF_ROUTER ? "router"
                                           : "zone",
                other->line);
        return PF_NONE;
    }
    if (MVM_ARRAY_RESERVE(p->points, p->point_capacity_, p->point_count + 1, c->err) < 0)
        return PF_NONE;
    size_t index = p->point_count;
    struct pf_point *pt = &p->points[index];
    *pt = (struct pf_point){.name = mvm_strdup(name, c->err),
                            .line = line_of(n),
                            .kind = kind,
                            .zone = zone,
                            .inner = PF_NONE,
                            .local = PF_NONE,
                            .up = {PF_NONE, PF_DIR_NONE, false},
                            .down = {PF_NONE, PF_DIR_NONE, false}};
    if (pt->name == NULL)
        return PF_NONE;
    p->point_count++;
    if (zone != PF_NONE) {
        struct pf_zone *z = &p->zones[zone];
        if (MVM_ARRAY_RESERVE(z->members, z->member_capacity_, z->member_count + 1, c->err) < 0)
            return PF_NONE;
        pt->local = z->member_count;
        z->members[z->member_count++] = index;
    }
    return index;
}

/* Registers the names routes use for link l: "x", or "x_UP" and "x_DOWN". */
static int add_hop_names(struct pctx *c, const xmlNode *n, size_t l)
{
    const struct pf_link *link = &c->p->links[l];
    char name[1100];
    for (int d = 0; d < 3; d++) {
        if ((link->policy == PF_SPLITDUPLEX) != (d != PF_DIR_NONE))
            continue;
        snprintf(name, sizeof(name), "%s%s", link->name,
                 d == PF_DIR_UP     ? "_UP"
                 : d == PF_DIR_DOWN ? "_DOWN"
                                    : "");
        int rc = names_put(&c->p->hop_names, name, 3 * l + (size_t)d, c->err);
        if (rc < 0)
            return -1;
        if (rc == 1)
            return fail_at(c, n, "link \"%s\": the name \"%s\" is already used by another link",
                           link->name, name);
    }
    return 0;
}

static size_t add_link(struct pctx *c, const xmlNode *n, const char *name, int64_t mbps,
                       enum pf_policy policy)
{
    struct pf_platform *p = c->p;
    if (strlen(name) > 1000) {
        fail_at(c, n, "link \"%.40s...\": expected a name of at most 1000 characters", name);
        return PF_NONE;
    }
    int rc = names_put(&p->link_names, name, p->link_count, c->err);
    if (rc < 0)
        return PF_NONE;
    if (rc == 1) {
        fail_at(c, n, "link \"%s\": already declared at line %d", name,
                p->links[pf_names_get(&p->link_names, name)].line);
        return PF_NONE;
    }
    if (MVM_ARRAY_RESERVE(p->links, p->link_capacity_, p->link_count + 1, c->err) < 0)
        return PF_NONE;
    size_t l = p->link_count;
    p->links[l] = (struct pf_link){
        .name = mvm_strdup(name, c->err), .line = line_of(n), .mbps = mbps, .policy = policy};
    if (p->links[l].name == NULL)
        return PF_NONE;
    p->link_count++;
    if (add_hop_names(c, n, l) < 0)
        return PF_NONE;
    return l;
}

static size_t add_zone(struct pctx *c, const xmlNode *n, const char *id, enum pf_routing routing,
                       size_t parent)
{
    struct pf_platform *p = c->p;
    size_t point = add_point(c, n, id, PF_ZONE, parent);
    if (point == PF_NONE)
        return PF_NONE;
    if (MVM_ARRAY_RESERVE(p->zones, p->zone_capacity_, p->zone_count + 1, c->err) < 0)
        return PF_NONE;
    size_t z = p->zone_count++;
    p->zones[z] = (struct pf_zone){.point = point,
                                   .parent = parent,
                                   .depth = parent == PF_NONE ? 0 : p->zones[parent].depth + 1,
                                   .routing = routing,
                                   .line = line_of(n),
                                   .backbone = PF_NONE};
    p->points[point].inner = z;
    return z;
}

static int parse_host(struct pctx *c, const xmlNode *n, size_t zone)
{
    static const char *const names[] = {
        "id", "speed", "core", "pstate", "availability_file", "state_file", "coordinates", NULL};
    char *v[7];
    if (attrs_read(c, n, names, v) < 0) {
        attrs_free(v, 7);
        return -1;
    }
    int rc = require(c, n, "<host>", "id", v[0]);
    char what[300] = "<host>";
    if (rc == 0) {
        snprintf(what, sizeof(what), "host \"%.250s\"", v[0]);
        rc = require(c, n, what, "speed", v[1]); /* SimGrid requires it; we do not use it */
    }
    size_t pt = rc == 0 ? add_point(c, n, v[0], PF_HOST, zone) : PF_NONE;
    attrs_free(v, 7);
    if (pt == PF_NONE)
        return -1;
    for (const xmlNode *k = n->children; k != NULL; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (!is_element(k, "prop"))
            return fail_at(c, k, "%s: element <%s> is not supported in a host (only <prop>)", what,
                           (const char *)k->name);
        static const char *const pnames[] = {"id", "value", NULL};
        char *pv[2];
        rc = attrs_read(c, k, pnames, pv);
        if (rc == 0 && (pv[0] == NULL || pv[1] == NULL))
            rc = fail_at(c, k, "%s: <prop> needs id and value", what);
        if (rc == 0 && strcmp(pv[0], "node_id") == 0) {
            char *end;
            errno = 0;
            long long id = strtoll(pv[1], &end, 10);
            if (pv[1][0] == '\0' || *end != '\0' || errno != 0 || id < INT32_MIN || id > INT32_MAX)
                rc = fail_at(c, k, "%s: node_id \"%s\": expected an integer node id", what, pv[1]);
            else {
                struct pf_point *p = &c->p->points[pt];
                p->has_node_id = true;
                p->node_id = (int32_t)id;
                p->node_id_line = line_of(k);
            }
        }
        attrs_free(pv, 2);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int parse_router(struct pctx *c, const xmlNode *n, size_t zone)
{
    static const char *const names[] = {"id", "coordinates", NULL};
    char *v[2];
    int rc = attrs_read(c, n, names, v);
    if (rc == 0)
        rc = require(c, n, "<router>", "id", v[0]);
    if (rc == 0 && add_point(c, n, v[0], PF_ROUTER, zone) == PF_NONE)
        rc = -1;
    attrs_free(v, 2);
    return rc;
}

/* <link> and a Cluster zone's <backbone> (always SHARED). */
static int parse_link(struct pctx *c, const xmlNode *n, size_t zone, bool backbone)
{
    static const char *const names[] = {
        "id",           "bandwidth",  "latency", "sharing_policy", "bandwidth_file",
        "latency_file", "state_file", NULL};
    char *v[7];
    int rc = attrs_read(c, n, names, v);
    char what[300] = "<link>";
    if (rc == 0)
        rc = require(c, n, what, "id", v[0]);
    if (rc == 0) {
        snprintf(what, sizeof(what), "%s \"%.250s\"", backbone ? "backbone" : "link", v[0]);
        rc = require(c, n, what, "bandwidth", v[1]);
    }
    if (rc == 0)
        rc = require(c, n, what, "latency", v[2]);
    if (rc == 0 && backbone && v[3] != NULL)
        rc = fail_at(c, n, "%s: unexpected attribute sharing_policy (a backbone is SHARED)", what);
    for (size_t i = 4; rc == 0 && i < 7; i++)
        if (v[i] != NULL)
            rc = fail_at(c, n,
                         "%s: %s is not supported (our links have a constant bandwidth and are "
                         "always up)",
                         what, names[i]);
    int64_t mbps = 0;
    enum pf_policy policy = PF_SHARED;
    if (rc == 0)
        rc = parse_bw(c, n, what, "bandwidth", v[1], &mbps);
    if (rc == 0)
        rc = check_latency(c, n, what, "latency", v[2]);
    if (rc == 0)
        rc = parse_policy(c, n, what, v[3], &policy);
    size_t l = rc == 0 ? add_link(c, n, v[0], mbps, policy) : PF_NONE;
    attrs_free(v, 7);
    if (l == PF_NONE)
        return -1;
    if (backbone) {
        if (c->p->zones[zone].backbone != PF_NONE)
            return fail_at(c, n, "%s: zone \"%s\" already has a backbone", what,
                           c->p->points[c->p->zones[zone].point].name);
        c->p->zones[zone].backbone = l;
    }
    return 0;
}

/* A route's reference to a link: its name, "_UP"/"_DOWN" added by the direction. */
static int resolve_hop(struct pctx *c, const xmlNode *n, const char *what, const char *id,
                       const char *direction, struct pf_hop *out)
{
    enum pf_dir dir = PF_DIR_NONE;
    if (direction == NULL || strcmp(direction, "NONE") == 0)
        dir = PF_DIR_NONE;
    else if (strcmp(direction, "UP") == 0)
        dir = PF_DIR_UP;
    else if (strcmp(direction, "DOWN") == 0)
        dir = PF_DIR_DOWN;
    else
        return fail_at(c, n, "%s: link \"%s\": direction \"%s\": expected UP, DOWN or NONE", what,
                       id, direction);
    char name[1100];
    snprintf(name, sizeof(name), "%.1000s%s", id,
             dir == PF_DIR_UP     ? "_UP"
             : dir == PF_DIR_DOWN ? "_DOWN"
                                  : "");
    size_t v = pf_names_get(&c->p->hop_names, name);
    if (v != PF_NONE) {
        *out = (struct pf_hop){v / 3, (enum pf_dir)(v % 3), dir != PF_DIR_NONE};
        return 0;
    }
    size_t l = pf_names_get(&c->p->link_names, id);
    if (l != PF_NONE && c->p->links[l].policy == PF_SPLITDUPLEX)
        return fail_at(c, n, "%s: link \"%s\" is SPLITDUPLEX: expected direction UP or DOWN", what,
                       id);
    if (l != PF_NONE)
        return fail_at(c, n, "%s: link \"%s\" is %s: it takes no direction", what, id,
                       c->p->links[l].policy == PF_SHARED ? "SHARED" : "FATPIPE");
    return fail_at(c, n,
                   "%s: unknown link \"%s\" (links are declared before the routes using them)",
                   what, name);
}

static size_t point_named(struct pctx *c, const xmlNode *n, const char *what, const char *attr,
                          const char *name)
{
    size_t pt = pf_names_get(&c->p->point_names, name);
    if (pt == PF_NONE)
        fail_at(c, n, "%s: %s \"%s\" is not a declared host, router or zone", what, attr, name);
    return pt;
}

/* True when point pt lies in zone z or one of its sub-zones. */
static bool point_within(const struct pf_platform *p, size_t pt, size_t z)
{
    for (size_t y = p->points[pt].zone; y != PF_NONE; y = p->zones[y].parent)
        if (y == z)
            return true;
    return false;
}

static int parse_route_ends(struct pctx *c, const xmlNode *n, size_t zone, bool zone_route,
                            char **v, const char *what, struct pf_route *r)
{
    const struct pf_platform *p = c->p;
    const char *zname = p->points[p->zones[zone].point].name;
    size_t ends[2] = {PF_NONE, PF_NONE}, gws[2] = {PF_NONE, PF_NONE};
    for (int e = 0; e < 2; e++) {
        const char *attr = e == 0 ? "src" : "dst";
        if (require(c, n, what, attr, v[e]) < 0)
            return -1;
        ends[e] = point_named(c, n, what, attr, v[e]);
        if (ends[e] == PF_NONE)
            return -1;
        const struct pf_point *pt = &p->points[ends[e]];
        if (pt->zone != zone)
            return fail_at(c, n, "%s: %s \"%s\" is not in zone \"%s\"", what, attr, v[e], zname);
        if (!zone_route) {
            if (pt->kind == PF_ZONE)
                return fail_at(c, n,
                               "%s: %s \"%s\" is a zone: routes between zones are "
                               "<zoneRoute> elements with gateways",
                               what, attr, v[e]);
            gws[e] = ends[e];
            continue;
        }
        if (pt->kind != PF_ZONE)
            return fail_at(c, n, "%s: %s \"%s\": expected a zone", what, attr, v[e]);
        const char *gattr = e == 0 ? "gw_src" : "gw_dst";
        if (require(c, n, what, gattr, v[2 + e]) < 0)
            return -1;
        gws[e] = point_named(c, n, what, gattr, v[2 + e]);
        if (gws[e] == PF_NONE)
            return -1;
        if (p->points[gws[e]].kind == PF_ZONE || !point_within(p, gws[e], pt->inner))
            return fail_at(c, n, "%s: %s \"%s\": expected a host or router of zone \"%s\"", what,
                           gattr, v[2 + e], v[e]);
    }
    if (ends[0] == ends[1])
        return fail_at(c, n, "%s: expected two distinct ends", what);
    r->src = ends[0];
    r->dst = ends[1];
    r->gw_src = gws[0];
    r->gw_dst = gws[1];
    return 0;
}

static int parse_route(struct pctx *c, const xmlNode *n, size_t zone, bool zone_route)
{
    struct pf_platform *p = c->p;
    static const char *const rnames[] = {"src", "dst", "symmetrical", NULL};
    static const char *const znames[] = {"src", "dst", "gw_src", "gw_dst", "symmetrical", NULL};
    char *v[5];
    size_t count = zone_route ? 5 : 3;
    char what[600];
    snprintf(what, sizeof(what), "<%s>", zone_route ? "zoneRoute" : "route");
    if (attrs_read(c, n, zone_route ? znames : rnames, v) < 0) {
        attrs_free(v, count);
        return -1;
    }
    if (v[0] != NULL && v[1] != NULL)
        snprintf(what, sizeof(what), "%s from \"%.250s\" to \"%.250s\"",
                 zone_route ? "zoneRoute" : "route", v[0], v[1]);
    struct pf_route r = {.hop_start = p->hop_count, .line = line_of(n), .symmetrical = true};
    int rc = parse_route_ends(c, n, zone, zone_route, v, what, &r);
    const char *sym = v[count - 1];
    if (rc == 0 && sym != NULL) {
        if (strcmp(sym, "YES") == 0 || strcmp(sym, "yes") == 0)
            r.symmetrical = true;
        else if (strcmp(sym, "NO") == 0 || strcmp(sym, "no") == 0)
            r.symmetrical = false;
        else
            rc = fail_at(c, n, "%s: symmetrical \"%s\": expected YES or NO", what, sym);
    }
    attrs_free(v, count);
    if (rc < 0)
        return -1;
    for (const xmlNode *k = n->children; k != NULL; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (!is_element(k, "link_ctn"))
            return fail_at(c, k, "%s: element <%s> is not supported in a route (only <link_ctn>)",
                           what, (const char *)k->name);
        static const char *const lnames[] = {"id", "direction", NULL};
        char *lv[2];
        struct pf_hop hop;
        rc = attrs_read(c, k, lnames, lv);
        if (rc == 0)
            rc = require(c, k, what, "link_ctn id", lv[0]);
        if (rc == 0)
            rc = resolve_hop(c, k, what, lv[0], lv[1], &hop);
        attrs_free(lv, 2);
        if (rc < 0)
            return -1;
        if (MVM_ARRAY_RESERVE(p->hops, p->hop_capacity_, p->hop_count + 1, c->err) < 0)
            return -1;
        p->hops[p->hop_count++] = hop;
    }
    r.hop_count = p->hop_count - r.hop_start;
    if (r.hop_count == 0)
        return fail_at(c, n, "%s: expected at least one <link_ctn> (our paths cross links)", what);
    if (MVM_ARRAY_RESERVE(p->routes, p->route_capacity_, p->route_count + 1, c->err) < 0)
        return -1;
    struct pf_zone *z = &p->zones[zone];
    if (MVM_ARRAY_RESERVE(z->routes, z->route_capacity_, z->route_count + 1, c->err) < 0)
        return -1;
    z->routes[z->route_count++] = p->route_count;
    p->routes[p->route_count++] = r;
    return 0;
}

/* <host_link id=HOST up=LINK down=LINK/> of a Cluster zone: a host's private link. */
static int parse_host_link(struct pctx *c, const xmlNode *n, size_t zone)
{
    static const char *const names[] = {"id", "up", "down", NULL};
    char *v[3];
    int rc = attrs_read(c, n, names, v);
    char what[300] = "<host_link>";
    for (size_t i = 0; rc == 0 && i < 3; i++)
        rc = require(c, n, what, names[i], v[i]);
    size_t pt = PF_NONE;
    if (rc == 0) {
        snprintf(what, sizeof(what), "host_link of \"%.250s\"", v[0]);
        pt = point_named(c, n, what, "id", v[0]);
        rc = pt == PF_NONE ? -1 : 0;
    }
    if (rc == 0 && (c->p->points[pt].kind != PF_HOST || c->p->points[pt].zone != zone))
        rc = fail_at(c, n, "%s: expected a host of this zone", what);
    struct pf_hop up, down;
    if (rc == 0)
        rc = resolve_hop(c, n, what, v[1], NULL, &up);
    if (rc == 0)
        rc = resolve_hop(c, n, what, v[2], NULL, &down);
    attrs_free(v, 3);
    if (rc < 0)
        return -1;
    c->p->points[pt].up = up;
    c->p->points[pt].down = down;
    return 0;
}

/* "0-23" or "0-3,8": the numbers of a cluster's hosts. count 0 on error. */
static int parse_radical(struct pctx *c, const xmlNode *n, const char *what, const char *text,
                         long long **out, size_t *count)
{
    long long *items = NULL;
    size_t cap = 0, used = 0;
    const char *s = text;
    for (;;) {
        char *end;
        errno = 0;
        long long lo = strtoll(s, &end, 10), hi;
        if (end == s || errno != 0 || lo < 0)
            goto bad;
        s = end;
        hi = lo;
        if (*s == '-') {
            s++;
            errno = 0;
            hi = strtoll(s, &end, 10);
            if (end == s || errno != 0 || hi < lo)
                goto bad;
            s = end;
        }
        if (hi - lo >= 1000000 || used + (size_t)(hi - lo + 1) > 1000000) {
            free(items);
            return fail_at(c, n, "%s: radical \"%s\": expected at most 1000000 hosts", what, text);
        }
        if (MVM_ARRAY_RESERVE(items, cap, used + (size_t)(hi - lo + 1), c->err) < 0) {
            free(items);
            return -1;
        }
        for (long long i = lo; i <= hi; i++)
            items[used++] = i;
        if (*s == '\0')
            break;
        if (*s != ',')
            goto bad;
        s++;
    }
    *out = items;
    *count = used;
    return 0;
bad:
    free(items);
    return fail_at(c, n, "%s: radical \"%s\": expected numbers and ranges such as 0-23 or 0-3,8",
                   what, text);
}

enum cluster_attr {
    CA_ID,
    CA_PREFIX,
    CA_SUFFIX,
    CA_RADICAL,
    CA_SPEED,
    CA_BW,
    CA_LAT,
    CA_BB_BW,
    CA_BB_LAT,
    CA_SP,
    CA_BB_SP,
    CA_CORE,
    CA_ROUTER,
    CA_TOPOLOGY,
    CA_TOPO_PARAMS,
    CA_LIMITER,
    CA_LOOP_BW,
    CA_LOOP_LAT,
    CA_AVAIL,
    CA_STATE,
    CA_COUNT
};

/* Creates a cluster's hosts, private links, backbone and router (SimGrid's names). */
static int build_cluster(struct pctx *c, const xmlNode *n, size_t z, char **v, const char *what)
{
    int64_t bw, bb_bw = 0;
    enum pf_policy sp = PF_SPLITDUPLEX, bb_sp = PF_SHARED;
    if (parse_bw(c, n, what, "bw", v[CA_BW], &bw) < 0 ||
        check_latency(c, n, what, "lat", v[CA_LAT]) < 0)
        return -1;
    if (v[CA_SP] != NULL && parse_policy(c, n, what, v[CA_SP], &sp) < 0)
        return -1;
    if (v[CA_BB_BW] != NULL) {
        if (parse_bw(c, n, what, "bb_bw", v[CA_BB_BW], &bb_bw) < 0 ||
            require(c, n, what, "bb_lat", v[CA_BB_LAT]) < 0 ||
            check_latency(c, n, what, "bb_lat", v[CA_BB_LAT]) < 0 ||
            parse_policy(c, n, what, v[CA_BB_SP], &bb_sp) < 0)
            return -1;
        if (bb_sp == PF_SPLITDUPLEX)
            return fail_at(c, n, "%s: bb_sharing_policy SPLITDUPLEX: expected SHARED or FATPIPE",
                           what);
    }
    long long *radicals = NULL;
    size_t count = 0;
    if (parse_radical(c, n, what, v[CA_RADICAL], &radicals, &count) < 0)
        return -1;
    const char *id = v[CA_ID], *prefix = v[CA_PREFIX], *suffix = v[CA_SUFFIX];
    char name[2200];
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        snprintf(name, sizeof(name), "%.1000s%lld%.1000s", prefix, radicals[i], suffix);
        size_t pt = add_point(c, n, name, PF_HOST, z);
        snprintf(name, sizeof(name), "%.900s_link_%lld", id, radicals[i]);
        size_t l = pt == PF_NONE ? PF_NONE : add_link(c, n, name, bw, sp);
        if (l == PF_NONE) {
            rc = -1;
            break;
        }
        struct pf_point *h = &c->p->points[pt];
        h->up = (struct pf_hop){l, sp == PF_SPLITDUPLEX ? PF_DIR_UP : PF_DIR_NONE, false};
        h->down = (struct pf_hop){l, sp == PF_SPLITDUPLEX ? PF_DIR_DOWN : PF_DIR_NONE, false};
    }
    free(radicals);
    if (rc < 0)
        return -1;
    if (v[CA_BB_BW] != NULL) {
        snprintf(name, sizeof(name), "%.900s_backbone", id);
        size_t l = add_link(c, n, name, bb_bw, bb_sp);
        if (l == PF_NONE)
            return -1;
        c->p->zones[z].backbone = l;
    }
    if (v[CA_ROUTER] != NULL)
        snprintf(name, sizeof(name), "%.1000s", v[CA_ROUTER]);
    else
        snprintf(name, sizeof(name), "%.700s%.700s_router%.700s", prefix, id, suffix);
    return add_point(c, n, name, PF_ROUTER, z) == PF_NONE ? -1 : 0;
}

static int parse_cluster(struct pctx *c, const xmlNode *n, size_t parent)
{
    static const char *const names[] = {"id",
                                        "prefix",
                                        "suffix",
                                        "radical",
                                        "speed",
                                        "bw",
                                        "lat",
                                        "bb_bw",
                                        "bb_lat",
                                        "sharing_policy",
                                        "bb_sharing_policy",
                                        "core",
                                        "router_id",
                                        "topology",
                                        "topo_parameters",
                                        "limiter_link",
                                        "loopback_bw",
                                        "loopback_lat",
                                        "availability_file",
                                        "state_file",
                                        NULL};
    char *v[CA_COUNT];
    int rc = attrs_read(c, n, names, v);
    char what[300] = "<cluster>";
    if (rc == 0)
        rc = require(c, n, what, "id", v[CA_ID]);
    if (rc == 0)
        snprintf(what, sizeof(what), "cluster \"%.250s\"", v[CA_ID]);
    static const enum cluster_attr required[] = {CA_PREFIX, CA_SUFFIX, CA_RADICAL,
                                                 CA_SPEED,  CA_BW,     CA_LAT};
    for (size_t i = 0; rc == 0 && i < sizeof(required) / sizeof(required[0]); i++)
        rc = require(c, n, what, names[required[i]], v[required[i]]);
    if (rc == 0 && v[CA_TOPOLOGY] != NULL && strcmp(v[CA_TOPOLOGY], "FLAT") != 0)
        rc = fail_at(c, n, "%s: topology \"%s\" is not supported (only FLAT clusters)", what,
                     v[CA_TOPOLOGY]);
    if (rc == 0 && v[CA_LIMITER] != NULL)
        rc = fail_at(c, n,
                     "%s: limiter_link is not supported (a host's limit on its traffic in both "
                     "directions together has no equivalent in our model)",
                     what);
    /* loopback links only carry a host's traffic to itself, which never migrates */
    if (rc == 0 && v[CA_LOOP_BW] != NULL)
        rc = parse_bw(c, n, what, "loopback_bw", v[CA_LOOP_BW], &(int64_t){0});
    if (rc == 0 && v[CA_LOOP_LAT] != NULL)
        rc = check_latency(c, n, what, "loopback_lat", v[CA_LOOP_LAT]);
    size_t z = rc == 0 ? add_zone(c, n, v[CA_ID], PF_ROUTING_CLUSTER, parent) : PF_NONE;
    if (z != PF_NONE)
        rc = build_cluster(c, n, z, v, what);
    else
        rc = -1;
    attrs_free(v, CA_COUNT);
    if (rc < 0)
        return -1;
    for (const xmlNode *k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE && !is_element(k, "prop"))
            return fail_at(c, k, "%s: element <%s> is not supported in a cluster (only <prop>)",
                           what, (const char *)k->name);
    return 0;
}

static int parse_zone(struct pctx *c, const xmlNode *n, size_t parent);

static int parse_zone_child(struct pctx *c, const xmlNode *k, size_t z)
{
    enum pf_routing routing = c->p->zones[z].routing;
    const char *zname = c->p->points[c->p->zones[z].point].name;
    bool cluster = routing == PF_ROUTING_CLUSTER;
    if (is_element(k, "zone") || is_element(k, "AS"))
        return cluster ? fail_at(c, k, "zone \"%s\": a Cluster zone holds no sub-zone", zname)
                       : parse_zone(c, k, z);
    if (is_element(k, "cluster"))
        return cluster ? fail_at(c, k, "zone \"%s\": a Cluster zone holds no sub-zone", zname)
                       : parse_cluster(c, k, z);
    if (is_element(k, "host"))
        return parse_host(c, k, z);
    if (is_element(k, "router"))
        return parse_router(c, k, z);
    if (is_element(k, "link"))
        return parse_link(c, k, z, false);
    if (is_element(k, "backbone") || is_element(k, "host_link")) {
        if (!cluster)
            return fail_at(c, k, "zone \"%s\": <%s> belongs in a zone with routing=\"Cluster\"",
                           zname, (const char *)k->name);
        return is_element(k, "backbone") ? parse_link(c, k, z, true) : parse_host_link(c, k, z);
    }
    if (is_element(k, "route") || is_element(k, "zoneRoute")) {
        if (cluster || routing == PF_ROUTING_NONE)
            return fail_at(c, k, "zone \"%s\": a zone with routing=\"%s\" takes no <%s>", zname,
                           cluster ? "Cluster" : "None", (const char *)k->name);
        return parse_route(c, k, z, is_element(k, "zoneRoute"));
    }
    if (is_element(k, "prop"))
        return 0;
    return fail_at(c, k,
                   "zone \"%s\": element <%s> is not supported (mvm reads zone, cluster, host, "
                   "router, link, route, zoneRoute, and backbone and host_link in Cluster zones)",
                   zname, (const char *)k->name);
}

static int parse_zone(struct pctx *c, const xmlNode *n, size_t parent)
{
    static const char *const names[] = {"id", "routing", NULL};
    char *v[2];
    int rc = attrs_read(c, n, names, v);
    if (rc == 0)
        rc = require(c, n, "<zone>", "id", v[0]);
    char what[300] = "<zone>";
    if (rc == 0) {
        snprintf(what, sizeof(what), "zone \"%.250s\"", v[0]);
        rc = require(c, n, what, "routing", v[1]);
    }
    static const struct {
        const char *name;
        enum pf_routing routing;
    } kinds[] = {{"Full", PF_ROUTING_FULL},         {"Floyd", PF_ROUTING_FLOYD},
                 {"Dijkstra", PF_ROUTING_DIJKSTRA}, {"DijkstraCache", PF_ROUTING_DIJKSTRA},
                 {"Cluster", PF_ROUTING_CLUSTER},   {"None", PF_ROUTING_NONE}};
    enum pf_routing routing = PF_ROUTING_NONE;
    bool known = false;
    for (size_t i = 0; rc == 0 && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(v[1], kinds[i].name) == 0) {
            routing = kinds[i].routing;
            known = true;
        }
    }
    if (rc == 0 && !known)
        rc = fail_at(c, n,
                     "%s: routing \"%s\" is not supported: expected Full, Floyd, Dijkstra, "
                     "DijkstraCache, Cluster or None",
                     what, v[1]);
    size_t z = rc == 0 ? add_zone(c, n, v[0], routing, parent) : PF_NONE;
    attrs_free(v, 2);
    if (z == PF_NONE)
        return -1;
    for (const xmlNode *k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE && parse_zone_child(c, k, z) < 0)
            return -1;
    return 0;
}

struct route_key {
    size_t src, dst, index;
};

static int compare_route_keys(const void *pa, const void *pb)
{
    const struct route_key *a = pa, *b = pb;
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    if (a->dst != b->dst)
        return a->dst < b->dst ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

size_t pf_route_find(const struct pf_platform *p, size_t src, size_t dst)
{
    size_t lo = 0, hi = p->route_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct pf_route *r = &p->routes[p->route_order[mid]];
        if (r->src == src && r->dst == dst)
            return p->route_order[mid];
        if (r->src < src || (r->src == src && r->dst < dst))
            lo = mid + 1;
        else
            hi = mid;
    }
    return PF_NONE;
}

/* One route per ordered pair of ends, counting the reverse of symmetrical ones (as SimGrid). */
static int index_routes(struct pctx *c)
{
    struct pf_platform *p = c->p;
    p->route_order = mvm_calloc(p->route_count, sizeof(size_t), c->err);
    if (p->route_order == NULL)
        return -1;
    size_t n = p->route_count;
    struct route_key *keys = mvm_calloc(n, sizeof(*keys), c->err);
    if (keys == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        keys[i] = (struct route_key){p->routes[i].src, p->routes[i].dst, i};
    if (n > 1)
        qsort(keys, n, sizeof(*keys), compare_route_keys);
    for (size_t i = 0; i < n; i++)
        p->route_order[i] = keys[i].index;
    free(keys);
    for (size_t i = 0; i < n; i++) {
        const struct pf_route *r = &p->routes[p->route_order[i]];
        const char *what = r->gw_src == r->src ? "route" : "zoneRoute";
        if (i > 0) {
            const struct pf_route *q = &p->routes[p->route_order[i - 1]];
            if (q->src == r->src && q->dst == r->dst) {
                mvm_error_set(c->err, MVM_ERR_INVALID,
                              "%s from \"%s\" to \"%s\": already declared at line %d", what,
                              p->points[r->src].name, p->points[r->dst].name, q->line);
                c->err->line = r->line;
                mvm_error_set_file(c->err, p->file);
                return -1;
            }
        }
        size_t back = pf_route_find(p, r->dst, r->src);
        if (back != PF_NONE && (r->symmetrical || p->routes[back].symmetrical) &&
            p->route_order[i] > back) {
            mvm_error_set(c->err, MVM_ERR_INVALID,
                          "%s from \"%s\" to \"%s\": already declared by the symmetrical route at "
                          "line %d (symmetrical=\"NO\" on both declares each direction)",
                          what, p->points[r->src].name, p->points[r->dst].name,
                          p->routes[back].line);
            c->err->line = r->line;
            mvm_error_set_file(c->err, p->file);
            return -1;
        }
    }
    return 0;
}

static int parse_platform(struct pctx *c, const xmlDoc *doc)
{
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (root == NULL || !is_element(root, "platform"))
        return fail_at(c, root, "expected a <platform> root element, got <%s>",
                       root ? (const char *)root->name : "nothing");
    if (doc->intSubset == NULL || doc->intSubset->name == NULL ||
        strcmp((const char *)doc->intSubset->name, "platform") != 0)
        return fail_at(c, root,
                       "expected the declaration <!DOCTYPE platform SYSTEM "
                       "\"https://simgrid.org/simgrid.dtd\"> before <platform> (SimGrid "
                       "requires it)");
    static const char *const names[] = {"version", NULL};
    char *v[1];
    int rc = attrs_read(c, root, names, v);
    if (rc == 0 && v[0] == NULL)
        rc = fail_at(c, root, "<platform>: missing attribute version (expected version=\"4.1\")");
    if (rc == 0 && strcmp(v[0], "4.1") != 0)
        rc = fail_at(c, root, "<platform>: version \"%s\": expected \"4.1\"", v[0]);
    attrs_free(v, 1);
    if (rc < 0)
        return -1;
    bool have_root = false;
    for (const xmlNode *k = root->children; k != NULL; k = k->next) {
        if (k->type != XML_ELEMENT_NODE || is_element(k, "config") || is_element(k, "prop"))
            continue; /* configuration changes the simulation, not the topology */
        bool zone = is_element(k, "zone") || is_element(k, "AS");
        if (!zone && !is_element(k, "cluster"))
            return fail_at(c, k,
                           "element <%s> is not supported in <platform> (expected one root "
                           "<zone> or <cluster>)",
                           (const char *)k->name);
        if (have_root)
            return fail_at(c, k, "expected one root <zone> or <cluster>, got a second one");
        have_root = true;
        if ((zone ? parse_zone(c, k, PF_NONE) : parse_cluster(c, k, PF_NONE)) < 0)
            return -1;
    }
    if (!have_root)
        return fail_at(c, root, "<platform>: expected a root <zone> or <cluster>, got none");
    return index_routes(c);
}

/* The first error libxml2 reports (later ones are often consequences of it). */
struct first_error {
    bool set;
    int line;
    char message[512];
};

#if LIBXML_VERSION >= 21200
static void keep_first_error(void *data, const xmlError *e)
#else
static void keep_first_error(void *data, xmlErrorPtr e)
#endif
{
    const xmlParserCtxt *ctxt = data;
    struct first_error *first = ctxt != NULL ? ctxt->_private : NULL;
    if (first == NULL || first->set || e == NULL || e->level < XML_ERR_ERROR)
        return;
    first->set = true;
    first->line = e->line;
    snprintf(first->message, sizeof(first->message), "%s",
             e->message != NULL ? e->message : "unreadable XML");
    size_t n = strlen(first->message);
    while (n > 0 && isspace((unsigned char)first->message[n - 1]))
        first->message[--n] = '\0';
}

__attribute__((format(printf, 2, 3))) static void ignore_generic_error(void *context,
                                                                       const char *fmt, ...)
{
    (void)context;
    (void)fmt;
}

int pf_platform_parse(const char *text, size_t length, const char *name, struct pf_platform *p,
                      struct mvm_error *err)
{
    if (length > INT_MAX) {
        mvm_error_set(err, MVM_ERR_INVALID, "expected a platform file below 2 GiB");
        mvm_error_set_file(err, name);
        return -1;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL)
        return mvm_error_set(err, MVM_ERR_NOMEM, "out of memory");
    /*
     * No network access, and nothing printed: the context's handler keeps the
     * first error; errors raised without a context (encoding conversions) go to
     * libxml2's generic handler, silenced during the parse and restored after
     * (libxml2 keeps it per thread).
     */
    struct first_error first = {0};
    ctxt->_private = &first;
    ctxt->sax->serror = keep_first_error;
    xmlGenericErrorFunc saved_handler = xmlGenericError;
    void *saved_context = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, ignore_generic_error);
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text, (int)length, name, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                          XML_PARSE_BIG_LINES);
    xmlSetGenericErrorFunc(saved_context, saved_handler);
    int rc = 0;
    if (doc != NULL && !first.set) {
        p->file = name;
        struct pctx c = {p, err};
        rc = parse_platform(&c, doc);
    } else {
        if (!first.set) /* no handler call: fall back on the last error */
            keep_first_error(ctxt, xmlCtxtGetLastError(ctxt));
        mvm_error_set(err, MVM_ERR_SYNTAX, "not well-formed XML: %s",
                      first.set ? first.message : "unreadable XML");
        if (err != NULL && first.line > 0)
            err->line = first.line;
        mvm_error_set_file(err, name);
        rc = -1;
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}

int pf_platform_read(const char *path, struct pf_platform *p, struct mvm_error *err)
{
    char *text = NULL;
    size_t length = 0;
    if (mvm_file_read(path, &text, &length, err) < 0)
        return -1;
    int rc = pf_platform_parse(text, length, path, p, err);
    free(text);
    return rc;
}

struct mvm_net *mvm_platform_load(const char *path, const struct mvm_model *model,
                                  struct mvm_error *err)
{
    struct pf_platform p = {0};
    struct mvm_net *net = NULL;
    if (pf_platform_read(path, &p, err) == 0) {
        net = pf_build_net(&p, model, err);
        if (net == NULL)
            mvm_error_set_file(err, path);
    }
    pf_platform_clear(&p);
    return net;
}
