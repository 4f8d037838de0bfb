/*
 * SimGrid platforms (docs/formats.md, "SimGrid platforms"): units as SimGrid 3.32
 * reads them; hand-written platforms of every element kind (hosts named three
 * ways, routers, SPLITDUPLEX, SHARED and FATPIPE links, Full, Floyd and Dijkstra
 * zones, clusters with and without backbone, zoneRoutes) mapped to exact paths;
 * errors with their XML line; export then import giving the same path for every
 * node pair on the real rack instances and on hand-made blocking, cyclic and
 * static networks; and SimGrid itself loading each export and routing every
 * pair over exactly the links of our path (checked in a child process, since a
 * SimGrid engine lives once per process).
 */
#include "testutil.h"

#include <dirent.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef MVM_TEST_SIMGRID
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <xbt/dynar.h>
#endif

#include "io/platform.h"
#include "mvm/io.h"
#include "mvm/model.h"
#include "mvm/net.h"
#include "mvm/platform.h"

#define HEAD                                                                                       \
    "<?xml version='1.0'?>\n"                                                                      \
    "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"                             \
    "<platform version=\"4.1\">\n"

static char tmp_dir[64];

static int make_tmp_dir(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/mvm-platform-XXXXXX");
    return mkdtemp(tmp_dir) == NULL ? -1 : 0;
}

static int remove_tmp_dir(void **state)
{
    (void)state;
    DIR *d = opendir(tmp_dir);
    if (d != NULL) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof(path), "%s/%s", tmp_dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(tmp_dir);
    return 0;
}

static const char *tmp_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmp_dir, name);
    return buf;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static struct mvm_model *model_of(size_t n)
{
    struct mvm_error err;
    struct mvm_model *m = mvm_model_new(&err);
    assert_non_null(m);
    for (size_t i = 0; i < n; i++)
        assert_int_not_equal(mvm_model_add_node(m, (int32_t)i, MVM_NODE_ONLINE, &err), MVM_NONE);
    return m;
}

/* Loads XML text as a platform for model; NULL with err on failure. */
static struct mvm_net *load_text(const char *text, const struct mvm_model *m, struct mvm_error *err)
{
    char path[256];
    tmp_path(path, sizeof(path), "platform.xml");
    write_text(path, text);
    mvm_error_clear(err);
    return mvm_platform_load(path, m, err);
}

static void check_routing_with_simgrid(const char *xml);

/* Loads a platform that must load; SimGrid checks our reading of its routes too. */
static struct mvm_net *load_ok(const char *text, const struct mvm_model *m)
{
    struct mvm_error err;
    struct mvm_net *net = load_text(text, m, &err);
    if (net == NULL) {
        char buf[2048];
        fail_msg("%s", mvm_error_format(&err, buf, sizeof(buf)));
    }
    char path[256];
    check_routing_with_simgrid(tmp_path(path, sizeof(path), "platform.xml"));
    return net;
}

/* The error loading text gives, formatted without the file name. */
static const char *load_error(const char *text, const struct mvm_model *m, char *buf, size_t size)
{
    struct mvm_error err;
    struct mvm_net *net = load_text(text, m, &err);
    if (net != NULL) {
        mvm_net_free(net);
        fail_msg("expected an error");
    }
    err.file[0] = '\0';
    return mvm_error_format(&err, buf, size);
}

#define ERROR_OF(text, m) load_error((text), (m), (char[2048]){0}, 2048)

/* "L1000^ S100 L500v =100": capacities of the path's link directions and switches. */
static const char *shape(const struct mvm_net *net, size_t a, size_t b, char *buf, size_t size)
{
    struct mvm_path p = {0};
    struct mvm_error err;
    if (mvm_net_path(net, a, b, &p, &err) < 0) {
        snprintf(buf, size, "none");
        return buf;
    }
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < p.count && used < size; k++) {
        size_t r = p.resources[k];
        int64_t cap = mvm_net_resource_capacity(net, r);
        if (r < 2 * net->link_count)
            used += (size_t)snprintf(buf + used, size - used, "L%" PRId64 "%c ", cap,
                                     r % 2 == MVM_LINK_UP ? '^' : 'v');
        else
            used += (size_t)snprintf(buf + used, size - used, "S%" PRId64 " ", cap);
    }
    if (used < size)
        snprintf(buf + used, size - used, "=%" PRId64, p.max_bw_mbps);
    mvm_path_clear(&p);
    return buf;
}

#define SHAPE(net, a, b) shape((net), (a), (b), (char[512]){0}, 512)

/* "l3^ s1 l7v =1000": the path by element ids, to compare two networks. */
static const char *by_ids(const struct mvm_net *net, size_t a, size_t b, char *buf, size_t size)
{
    struct mvm_path p = {0};
    struct mvm_error err;
    if (mvm_net_path(net, a, b, &p, &err) < 0) {
        snprintf(buf, size, "none");
        return buf;
    }
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < p.count && used < size; k++) {
        size_t r = p.resources[k];
        if (r < 2 * net->link_count)
            used += (size_t)snprintf(buf + used, size - used, "l%" PRId32 "%c ",
                                     net->links[r / 2].id, r % 2 == MVM_LINK_UP ? '^' : 'v');
        else
            used += (size_t)snprintf(buf + used, size - used, "s%" PRId32 " ",
                                     net->switches[r - 2 * net->link_count].id);
    }
    if (used < size)
        snprintf(buf + used, size - used, "=%" PRId64, p.max_bw_mbps);
    mvm_path_clear(&p);
    return buf;
}

/* ---- units ---- */

static void test_units(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double bytes;
    } ok[] = {{"1Gbps", 1.25e8},    {"1bps", 0.125},        {"1Bps", 1.0},      {"1kbps", 125.0},
              {"1kBps", 1000.0},    {"1KiBps", 1024.0},     {"1Kibps", 128.0},  {"1MBps", 1e6},
              {"1MiBps", 1048576},  {"1GiBps", 1073741824}, {"1Tbps", 1.25e11}, {"1e3Mbps", 1.25e8},
              {"1.5Gbps", 1.875e8}, {"10", 10.0},           {" 1Gbps", 1.25e8}, {"1Ybps", 1.25e23}};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        double v = -1;
        assert_int_equal(pf_parse_bandwidth(ok[i].text, &v), 0);
        assert_true(v == ok[i].bytes);
    }
    static const char *const bad[] = {"fast",   "1Kbps",  "1KBps", "1kiBps",   "1gbps",
                                      "1 Gbps", "1Gbps ", "1Gb",   "1kilobps", "",
                                      "Gbps",   "1k",     "inf"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        double v;
        if (pf_parse_bandwidth(bad[i], &v) != -1)
            fail_msg("\"%s\" should not parse", bad[i]);
    }
    static const struct {
        const char *text;
        double s;
    } lat[] = {{"0", 0},      {"1.5", 1.5},   {"50us", 50e-6}, {"1ms", 1e-3},
               {"2ns", 2e-9}, {"1ps", 1e-12}, {"1s", 1},       {"1m", 60},
               {"1h", 3600},  {"1d", 86400},  {"1w", 604800}};
    for (size_t i = 0; i < sizeof(lat) / sizeof(lat[0]); i++) {
        double v = -1;
        assert_int_equal(pf_parse_latency(lat[i].text, &v), 0);
        assert_true(fabs(v - lat[i].s) <= 1e-15 * lat[i].s);
    }
    double v;
    assert_int_equal(pf_parse_latency("1fs", &v), -1);
    assert_int_equal(pf_parse_latency("1ks", &v), -1);
    /* to our Mbit/s: rounded to the nearest, at least 1, at most unlimited */
    assert_int_equal(pf_mbps(1.25e8), 1000);
    assert_int_equal(pf_mbps(62.5e6), 500);
    assert_int_equal(pf_mbps(1048576), 8); /* 8.39 */
    assert_int_equal(pf_mbps(1.0), 1);
    assert_int_equal(pf_mbps(1.25e23), MVM_NET_UNLIMITED);
}

/* ---- hand-written platforms ---- */

/* A Full zone: hosts by "node-<id>", by bare id, by node_id property; units of every kind. */
static void test_full_zone_star(void **state)
{
    (void)state;
    struct mvm_model *m = model_of(3);
    struct mvm_net *net = load_ok(
        HEAD "  <zone id=\"z\" routing=\"Full\">\n"
             "    <host id=\"node-0\" speed=\"1Gf\"/>\n"
             "    <host id=\"1\" speed=\"1Gf\" core=\"4\"/>\n"
             "    <host id=\"h2\" speed=\"2Gf\"><prop id=\"node_id\" value=\"2\"/></host>\n"
             "    <router id=\"r\"/>\n"
             "    <link id=\"l0\" bandwidth=\"1Gbps\" latency=\"50us\" "
             "sharing_policy=\"SPLITDUPLEX\"/>\n"
             "    <link id=\"l1\" bandwidth=\"62.5MBps\" latency=\"0\" "
             "sharing_policy=\"SPLITDUPLEX\"/>\n"
             "    <link id=\"l2\" bandwidth=\"250000000\" latency=\"1ms\" "
             "sharing_policy=\"SPLITDUPLEX\"/>\n"
             "    <route src=\"node-0\" dst=\"1\" symmetrical=\"NO\"><link_ctn id=\"l0\" "
             "direction=\"UP\"/><link_ctn id=\"l1_DOWN\"/></route>\n"
             "    <route src=\"1\" dst=\"node-0\" symmetrical=\"NO\"><link_ctn id=\"l1_UP\"/>"
             "<link_ctn id=\"l0\" direction=\"DOWN\"/></route>\n"
             "    <route src=\"node-0\" dst=\"h2\"><link_ctn id=\"l0\" direction=\"UP\"/>"
             "<link_ctn id=\"l2\" direction=\"DOWN\"/></route>\n"
             "    <route src=\"1\" dst=\"h2\" symmetrical=\"YES\"><link_ctn id=\"l1\" "
             "direction=\"UP\"/><link_ctn id=\"l2\" direction=\"DOWN\"/></route>\n"
             "    <route src=\"r\" dst=\"h2\"><link_ctn id=\"l2\" direction=\"DOWN\"/></route>\n"
             "  </zone>\n</platform>\n",
        m);
    assert_int_equal(net->routing, MVM_ROUTING_DEFAULT);
    assert_int_equal(net->switch_count, 1);
    assert_int_equal(net->link_count, 3);
    assert_false(mvm_switch_is_blocking(&net->switches[0]));
    assert_string_equal(SHAPE(net, 0, 1), "L1000^ L500v =500");
    assert_string_equal(SHAPE(net, 1, 0), "L500^ L1000v =500");
    assert_string_equal(SHAPE(net, 0, 2), "L1000^ L2000v =1000");
    assert_string_equal(SHAPE(net, 2, 1), "L2000^ L500v =500");
    mvm_net_free(net);
    mvm_model_free(m);
}

/*
 * A Floyd zone of two routers joined by a SHARED link: it becomes a blocking
 * switch of its capacity, between the routers' switches, which both directions
 * of traffic between them share.
 */
static void test_shared_link_is_blocking_switch(void **state)
{
    (void)state;
    struct mvm_model *m = model_of(3);
    static const char *const fmt = HEAD
        "  <zone id=\"z\" routing=\"%s\">\n"
        "    <host id=\"node-0\" speed=\"1Gf\"/><host id=\"node-1\" speed=\"1Gf\"/>\n"
        "    <host id=\"node-2\" speed=\"1Gf\"/>\n"
        "    <router id=\"r1\"/><router id=\"r2\"/>\n"
        "    <link id=\"a\" bandwidth=\"1Gbps\" latency=\"0\" sharing_policy=\"SPLITDUPLEX\"/>\n"
        "    <link id=\"b\" bandwidth=\"1Gbps\" latency=\"0\" sharing_policy=\"SPLITDUPLEX\"/>\n"
        "    <link id=\"c\" bandwidth=\"1Gbps\" latency=\"0\" sharing_policy=\"SPLITDUPLEX\"/>\n"
        "    <link id=\"bb\" bandwidth=\"%s\" latency=\"0\"%s/>\n"
        "    <route src=\"node-0\" dst=\"r1\"><link_ctn id=\"a\" direction=\"UP\"/></route>\n"
        "    <route src=\"node-1\" dst=\"r1\"><link_ctn id=\"b\" direction=\"UP\"/></route>\n"
        "    <route src=\"node-2\" dst=\"r2\"><link_ctn id=\"c\" direction=\"UP\"/></route>\n"
        "    <route src=\"r1\" dst=\"r2\"><link_ctn id=\"bb\"/></route>\n"
        "  </zone>\n</platform>\n";
    char text[4096];
    snprintf(text, sizeof(text), fmt, "Floyd", "100Mbps", "");
    struct mvm_net *net = load_ok(text, m);
    assert_int_equal(net->routing, MVM_ROUTING_DEFAULT);
    assert_int_equal(net->switch_count, 3);
    assert_string_equal(SHAPE(net, 0, 1), "L1000^ L1000v =1000");
    /* the links joining the shared link's switch have its capacity: never the tighter */
    assert_string_equal(SHAPE(net, 0, 2), "L1000^ L100^ S100 L100v L1000v =100");
    assert_string_equal(SHAPE(net, 2, 1), "L1000^ L100^ S100 L100v L1000v =100");
    mvm_net_free(net);

    /* FATPIPE: no shared resource, and its limit never binds */
    snprintf(text, sizeof(text), fmt, "Dijkstra", "10Gbps", " sharing_policy=\"FATPIPE\"");
    net = load_ok(text, m);
    assert_string_equal(SHAPE(net, 0, 2), "L1000^ L2147483647^ L2147483647v L1000v =1000");
    mvm_net_free(net);

    /* a FATPIPE that would limit each flow below the rest of its route: refused */
    snprintf(text, sizeof(text), fmt, "DijkstraCache", "100Mbps", " sharing_policy=\"FATPIPE\"");
    assert_string_equal(ERROR_OF(text, m),
                        "line 11: route from host \"node-0\" to host \"node-2\": FATPIPE link "
                        "\"bb\" limits each flow to 100 Mbit/s, below the rest of the route "
                        "(1000 Mbit/s): our model has no per-flow limit without sharing");
    mvm_model_free(m);
}

/*
 * Clusters in a Full zone joined by a zoneRoute between their routers: c1 has a
 * SHARED backbone (a blocking switch), c2 none (its private links meet at its
 * router); hosts prefix<i>suffix are the nodes; a third, FATPIPE backbone.
 */
static void test_clusters(void **state)
{
    (void)state;
    struct mvm_model *m = model_of(6);
    struct mvm_net *net = load_ok(
        HEAD "  <zone id=\"world\" routing=\"Full\">\n"
             "    <cluster id=\"c1\" prefix=\"node-\" suffix=\"\" radical=\"0-1\" speed=\"1Gf\" "
             "bw=\"1Gbps\" lat=\"50us\" bb_bw=\"1500Mbps\" bb_lat=\"0us\"/>\n"
             "    <cluster id=\"c2\" prefix=\"node-\" suffix=\"\" radical=\"2,3\" speed=\"1Gf\" "
             "bw=\"125MBps\" lat=\"50us\" router_id=\"gw2\"/>\n"
             "    <cluster id=\"c3\" prefix=\"\" suffix=\"\" radical=\"4-5\" speed=\"1Gf\" "
             "bw=\"1Gbps\" lat=\"50us\" bb_bw=\"10Gbps\" bb_lat=\"0us\" "
             "bb_sharing_policy=\"FATPIPE\"/>\n"
             "    <link id=\"wan\" bandwidth=\"100Mbps\" latency=\"1ms\" "
             "sharing_policy=\"SPLITDUPLEX\"/>\n"
             "    <link id=\"wan2\" bandwidth=\"200Mbps\" latency=\"1ms\" "
             "sharing_policy=\"SPLITDUPLEX\"/>\n"
             "    <zoneRoute src=\"c1\" dst=\"c2\" gw_src=\"node-c1_router\" gw_dst=\"gw2\">"
             "<link_ctn id=\"wan\" direction=\"UP\"/></zoneRoute>\n"
             "    <zoneRoute src=\"c2\" dst=\"c3\" gw_src=\"gw2\" gw_dst=\"c3_router\">"
             "<link_ctn id=\"wan2\" direction=\"UP\"/></zoneRoute>\n"
             "  </zone>\n</platform>\n",
        m);
    /* inside c1: up to the backbone's switch, across it, down */
    assert_string_equal(SHAPE(net, 0, 1), "L1000^ S1500 L1000v =1000");
    /* inside c2: no backbone */
    assert_string_equal(SHAPE(net, 2, 3), "L1000^ L1000v =1000");
    /* inside c3: a FATPIPE backbone shares nothing */
    assert_string_equal(SHAPE(net, 4, 5), "L1000^ L1000v =1000");
    /* c1 -> c2: backbone, its link to the router, the wan up, c2's private link down */
    assert_string_equal(SHAPE(net, 0, 3), "L1000^ S1500 L1500v L100^ L1000v =100");
    assert_string_equal(SHAPE(net, 3, 1), "L1000^ L100v L1500^ S1500 L1000v =100");
    /* c2 -> c3 */
    assert_string_equal(SHAPE(net, 2, 5), "L1000^ L200^ L2147483647^ L1000v =200");
    /* c1 and c3 have no zoneRoute: no path */
    assert_int_equal(net->routing, MVM_ROUTING_STATIC);
    assert_string_equal(SHAPE(net, 0, 4), "none");
    mvm_net_free(net);
    mvm_model_free(m);
}

/* Nested zones: hosts of two Dijkstra sub-zones, joined through a Floyd root. */
static void test_nested_zones(void **state)
{
    (void)state;
    struct mvm_model *m = model_of(4);
    struct mvm_net *net = load_ok(
        HEAD
        "  <zone id=\"root\" routing=\"Floyd\">\n"
        "    <zone id=\"za\" routing=\"Dijkstra\">\n"
        "      <host id=\"node-0\" speed=\"1Gf\"/><host id=\"node-1\" speed=\"1Gf\"/>\n"
        "      <router id=\"ra\"/>\n"
        "      <link id=\"a0\" bandwidth=\"1Gbps\" latency=\"0\" "
        "sharing_policy=\"SPLITDUPLEX\"/>\n"
        "      <link id=\"a1\" bandwidth=\"1Gbps\" latency=\"0\" "
        "sharing_policy=\"SPLITDUPLEX\"/>\n"
        "      <route src=\"node-0\" dst=\"ra\"><link_ctn id=\"a0\" direction=\"UP\"/></route>\n"
        "      <route src=\"node-1\" dst=\"ra\"><link_ctn id=\"a1\" direction=\"UP\"/></route>\n"
        "    </zone>\n"
        "    <zone id=\"zb\" routing=\"Full\">\n"
        "      <host id=\"node-2\" speed=\"1Gf\"/><host id=\"node-3\" speed=\"1Gf\"/>\n"
        "      <router id=\"rb\"/>\n"
        "      <link id=\"b2\" bandwidth=\"500Mbps\" latency=\"0\" "
        "sharing_policy=\"SPLITDUPLEX\"/>\n"
        "      <link id=\"b3\" bandwidth=\"1Gbps\" latency=\"0\" "
        "sharing_policy=\"SPLITDUPLEX\"/>\n"
        "      <route src=\"node-2\" dst=\"node-3\"><link_ctn id=\"b2\" direction=\"UP\"/>"
        "<link_ctn id=\"b3\" direction=\"DOWN\"/></route>\n"
        "      <route src=\"node-2\" dst=\"rb\"><link_ctn id=\"b2\" direction=\"UP\"/></route>\n"
        "      <route src=\"rb\" dst=\"node-3\"><link_ctn id=\"b3\" direction=\"DOWN\"/></route>\n"
        "    </zone>\n"
        "    <link id=\"core\" bandwidth=\"10Gbps\" latency=\"0\" "
        "sharing_policy=\"SPLITDUPLEX\"/>\n"
        "    <zoneRoute src=\"za\" dst=\"zb\" gw_src=\"ra\" gw_dst=\"rb\">"
        "<link_ctn id=\"core\" direction=\"UP\"/></zoneRoute>\n"
        "  </zone>\n</platform>\n",
        m);
    assert_int_equal(net->routing, MVM_ROUTING_DEFAULT);
    assert_int_equal(net->switch_count, 2);
    assert_string_equal(SHAPE(net, 0, 1), "L1000^ L1000v =1000");
    assert_string_equal(SHAPE(net, 1, 2), "L1000^ L10000^ L500v =500");
    assert_string_equal(SHAPE(net, 3, 0), "L1000^ L10000v L1000v =1000");
    mvm_net_free(net);
    mvm_model_free(m);
}

/*
 * Routes that are not one graph's shortest paths become static routes: here
 * node 0 reaches node 1 the long way round a triangle, and back the short way.
 */
static void test_static_from_full_routes(void **state)
{
    (void)state;
    struct mvm_model *m = model_of(2);
    struct mvm_net *net = load_ok(
        HEAD
        "  <zone id=\"z\" routing=\"Full\">\n"
        "    <host id=\"node-0\" speed=\"1Gf\"/><host id=\"node-1\" speed=\"1Gf\"/>\n"
        "    <router id=\"r0\"/><router id=\"r1\"/><router id=\"r2\"/>\n"
        "    <link id=\"h0\" bandwidth=\"1Gbps\" latency=\"0\" sharing_policy=\"SPLITDUPLEX\"/>\n"
        "    <link id=\"h1\" bandwidth=\"1Gbps\" latency=\"0\" sharing_policy=\"SPLITDUPLEX\"/>\n"
        "    <link id=\"x01\" bandwidth=\"400Mbps\" latency=\"0\" "
        "sharing_policy=\"SPLITDUPLEX\"/>\n"
        "    <link id=\"x02\" bandwidth=\"300Mbps\" latency=\"0\" "
        "sharing_policy=\"SPLITDUPLEX\"/>\n"
        "    <link id=\"x21\" bandwidth=\"200Mbps\" latency=\"0\" "
        "sharing_policy=\"SPLITDUPLEX\"/>\n"
        "    <route src=\"node-0\" dst=\"node-1\" symmetrical=\"NO\"><link_ctn id=\"h0\" "
        "direction=\"UP\"/><link_ctn id=\"x02\" direction=\"UP\"/><link_ctn id=\"x21\" "
        "direction=\"UP\"/><link_ctn id=\"h1\" direction=\"DOWN\"/></route>\n"
        "    <route src=\"node-1\" dst=\"node-0\" symmetrical=\"NO\"><link_ctn id=\"h1\" "
        "direction=\"UP\"/><link_ctn id=\"x01\" direction=\"DOWN\"/><link_ctn id=\"h0\" "
        "direction=\"DOWN\"/></route>\n"
        "    <route src=\"node-0\" dst=\"r0\"><link_ctn id=\"h0\" direction=\"UP\"/></route>\n"
        "    <route src=\"r0\" dst=\"r1\"><link_ctn id=\"x01\" direction=\"UP\"/></route>\n"
        "  </zone>\n</platform>\n",
        m);
    assert_int_equal(net->routing, MVM_ROUTING_STATIC);
    assert_int_equal(net->switch_count, 3);
    assert_string_equal(SHAPE(net, 0, 1), "L1000^ L300^ L200^ L1000v =200");
    assert_string_equal(SHAPE(net, 1, 0), "L1000^ L400v L1000v =400");
    mvm_net_free(net);
    mvm_model_free(m);
}

/* Two hosts joined by one SPLITDUPLEX link: split by a switch of its own. */
static void test_host_to_host_link(void **state)
{
    (void)state;
    struct mvm_model *m = model_of(2);
    struct mvm_net *net =
        load_ok(HEAD "  <zone id=\"z\" routing=\"Full\">\n"
                     "    <host id=\"node-0\" speed=\"1Gf\"/><host id=\"node-1\" speed=\"1Gf\"/>\n"
                     "    <link id=\"l\" bandwidth=\"1Gbps\" latency=\"0\" "
                     "sharing_policy=\"SPLITDUPLEX\"/>\n"
                     "    <route src=\"node-0\" dst=\"node-1\"><link_ctn id=\"l\" "
                     "direction=\"UP\"/></route>\n"
                     "  </zone>\n</platform>\n",
                m);
    assert_int_equal(net->switch_count, 1);
    assert_int_equal(net->link_count, 2);
    assert_string_equal(SHAPE(net, 0, 1), "L1000^ L1000v =1000");
    assert_string_equal(SHAPE(net, 1, 0), "L1000^ L1000v =1000");
    mvm_net_free(net);

    /* SimGrid's classic: two hosts, one SHARED link between them */
    net = load_ok(HEAD "  <zone id=\"z\" routing=\"Full\">\n"
                       "    <host id=\"0\" speed=\"1Gf\"/><host id=\"1\" speed=\"1Gf\"/>\n"
                       "    <link id=\"l\" bandwidth=\"1Gbps\" latency=\"0\"/>\n"
                       "    <route src=\"0\" dst=\"1\"><link_ctn id=\"l\"/></route>\n"
                       "  </zone>\n</platform>\n",
                  m);
    assert_string_equal(SHAPE(net, 0, 1), "L1000^ S1000 L1000v =1000");
    mvm_net_free(net);
    mvm_model_free(m);
}

/* ---- errors ---- */

static void test_errors(void **state)
{
    (void)state;
    struct mvm_model *m = model_of(2);
    static const char *const two_hosts =
        "    <host id=\"node-0\" speed=\"1Gf\"/><host id=\"node-1\" speed=\"1Gf\"/>\n";
    char text[4096];

    snprintf(text, sizeof(text),
             HEAD "  <zone id=\"z\" routing=\"Full\">\n%s"
                  "    <link id=\"l3\" bandwidth=\"fast\" latency=\"0\"/>\n"
                  "  </zone>\n</platform>\n",
             two_hosts);
    assert_string_equal(ERROR_OF(text, m), "line 6: link \"l3\": bandwidth \"fast\": expected a "
                                           "number with a unit such as 1Gbps");

    snprintf(text, sizeof(text),
             HEAD "  <zone id=\"z\" routing=\"Full\">\n%s"
                  "    <link id=\"l3\" bandwidth=\"1Kbps\" latency=\"0\"/>\n"
                  "  </zone>\n</platform>\n",
             two_hosts);
    assert_string_equal(ERROR_OF(text, m), "line 6: link \"l3\": bandwidth \"1Kbps\": expected a "
                                           "number with a unit such as 1Gbps");

    snprintf(text, sizeof(text),
             HEAD "  <zone id=\"z\" routing=\"Full\">\n%s"
                  "    <link id=\"l\" bandwidth=\"1Gbps\" latency=\"soon\"/>\n"
                  "  </zone>\n</platform>\n",
             two_hosts);
    assert_string_equal(ERROR_OF(text, m), "line 6: link \"l\": latency \"soon\": expected a time "
                                           "with a unit such as 50us");

    snprintf(text, sizeof(text),
             HEAD "  <zone id=\"z\" routing=\"Full\">\n%s"
                  "    <host id=\"h9\" speed=\"1Gf\"/>\n"
                  "  </zone>\n</platform>\n",
             two_hosts);
    assert_string_equal(ERROR_OF(text, m),
                        "line 6: host \"h9\" is not a node of the instance: expected a host named "
                        "by a node id (\"3\" or \"node-3\") or holding <prop id=\"node_id\" "
                        "value=\"3\"/>");

    snprintf(text, sizeof(text),
             HEAD "  <zone id=\"z\" routing=\"Full\">\n"
                  "    <host id=\"node-0\" speed=\"1Gf\"/>\n"
                  "  </zone>\n</platform>\n");
    assert_string_equal(ERROR_OF(text, m),
                        "node 1 of the instance has no host in the platform (expected a host "
                        "\"node-1\" or one holding <prop id=\"node_id\" value=\"1\"/>)");

    snprintf(text, sizeof(text),
             HEAD "  <zone id=\"z\" routing=\"Full\">\n%s"
                  "    <link id=\"l\" bandwidth=\"1Gbps\" latency=\"0\"/>\n"
                  "    <route src=\"node-0\" dst=\"node-1\">\n"
                  "      <link_ctn id=\"l\"/>\n"
                  "      <link_ctn id=\"nowhere\"/>\n"
                  "    </route>\n"
                  "  </zone>\n</platform>\n",
             two_hosts);
    assert_string_equal(ERROR_OF(text, m),
                        "line 9: route from \"node-0\" to \"node-1\": unknown link \"nowhere\" "
                        "(links are declared before the routes using them)");

    snprintf(text, sizeof(text),
             HEAD "  <zone id=\"z\" routing=\"Full\">\n%s"
                  "    <link id=\"l\" bandwidth=\"1Gbps\" latency=\"0\" "
                  "sharing_policy=\"SPLITDUPLEX\"/>\n"
                  "    <route src=\"node-0\" dst=\"node-1\"><link_ctn id=\"l\"/></route>\n"
                  "  </zone>\n</platform>\n",
             two_hosts);
    assert_string_equal(ERROR_OF(text, m),
                        "line 7: route from \"node-0\" to \"node-1\": link \"l\" is SPLITDUPLEX: "
                        "expected direction UP or DOWN");

    assert_string_equal(ERROR_OF("<?xml version='1.0'?>\n<platform version=\"4.1\">\n"
                                 "  <zone id=\"z\" routing=\"Full\"/>\n</platform>\n",
                                 m),
                        "line 2: expected the declaration <!DOCTYPE platform SYSTEM "
                        "\"https://simgrid.org/simgrid.dtd\"> before <platform> (SimGrid "
                        "requires it)");
    assert_string_equal(ERROR_OF("<?xml version='1.0'?>\n"
                                 "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                                 "<platform>\n  <zone id=\"z\" routing=\"Full\"/>\n</platform>\n",
                                 m),
                        "line 3: <platform>: missing attribute version (expected version=\"4.1\")");
    assert_string_equal(ERROR_OF("<?xml version='1.0'?>\n"
                                 "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                                 "<platform version=\"3\">\n</platform>\n",
                                 m),
                        "line 3: <platform>: version \"3\": expected \"4.1\"");
    /* not XML at all: libxml2's own words, with the line */
    const char *e = ERROR_OF(HEAD "  <zone id=\"z\" routing=\"Full\">\n  </zon>\n</platform>\n", m);
    assert_non_null(strstr(e, "line 5: not well-formed XML: "));

    snprintf(text, sizeof(text),
             HEAD "  <zone id=\"z\" routing=\"Full\">\n%s"
                  "    <link id=\"l\" bandwidth=\"1Gbps\" latency=\"0\" "
                  "bandwidth_file=\"bw.txt\"/>\n"
                  "  </zone>\n</platform>\n",
             two_hosts);
    assert_string_equal(ERROR_OF(text, m), "line 6: link \"l\": bandwidth_file is not supported "
                                           "(our links have a constant bandwidth and are always "
                                           "up)");

    snprintf(text, sizeof(text),
             HEAD "  <zone id=\"z\" routing=\"Vivaldi\">\n%s"
                  "  </zone>\n</platform>\n",
             two_hosts);
    assert_non_null(strstr(ERROR_OF(text, m), "line 4: zone \"z\": routing \"Vivaldi\" is not "
                                              "supported"));

    /* two equally short paths in a Dijkstra zone: SimGrid's pick is unknowable */
    snprintf(text, sizeof(text),
             HEAD
             "  <zone id=\"z\" routing=\"Dijkstra\">\n%s"
             "    <router id=\"r1\"/><router id=\"r2\"/><router id=\"r3\"/>\n"
             "    <link id=\"a\" bandwidth=\"1Gbps\" latency=\"0\"/>\n"
             "    <link id=\"b\" bandwidth=\"1Gbps\" latency=\"0\"/>\n"
             "    <link id=\"c\" bandwidth=\"1Gbps\" latency=\"0\"/>\n"
             "    <link id=\"d\" bandwidth=\"1Gbps\" latency=\"0\"/>\n"
             "    <route src=\"node-0\" dst=\"r1\"><link_ctn id=\"a\"/></route>\n"
             "    <route src=\"node-1\" dst=\"r3\"><link_ctn id=\"b\"/></route>\n"
             "    <route src=\"r1\" dst=\"r2\"><link_ctn id=\"c\"/></route>\n"
             "    <route src=\"r2\" dst=\"r3\"><link_ctn id=\"d\"/></route>\n"
             "    <route src=\"r1\" dst=\"r3\"><link_ctn id=\"c\"/><link_ctn id=\"d\"/></route>\n"
             "  </zone>\n</platform>\n",
             two_hosts);
    assert_string_equal(ERROR_OF(text, m),
                        "line 4: zone \"z\": two shortest routes from \"node-0\" to \"node-1\": "
                        "SimGrid's choice between them cannot be predicted (declare the routes of "
                        "this zone explicitly, with routing=\"Full\")");

    /* a route through a host: our nodes do not forward */
    struct mvm_model *m3 = model_of(3);
    assert_string_equal(
        ERROR_OF(HEAD "  <zone id=\"z\" routing=\"Floyd\">\n"
                      "    <host id=\"node-0\" speed=\"1Gf\"/><host id=\"node-1\" speed=\"1Gf\"/>\n"
                      "    <host id=\"node-2\" speed=\"1Gf\"/>\n"
                      "    <link id=\"a\" bandwidth=\"1Gbps\" latency=\"0\"/>\n"
                      "    <link id=\"b\" bandwidth=\"1Gbps\" latency=\"0\"/>\n"
                      "    <route src=\"node-0\" dst=\"node-1\"><link_ctn id=\"a\"/></route>\n"
                      "    <route src=\"node-1\" dst=\"node-2\"><link_ctn id=\"b\"/></route>\n"
                      "  </zone>\n</platform>\n",
                 m3),
        "line 4: zone \"z\": the route from \"node-0\" to \"node-2\" passes through host "
        "\"node-1\": our nodes do not forward traffic");
    mvm_model_free(m3);

    /* SimGrid reverses "l1_DOWN" as l1_DOWN: both ways on one direction of a link */
    snprintf(text, sizeof(text),
             HEAD "  <zone id=\"z\" routing=\"Full\">\n%s"
                  "    <link id=\"l0\" bandwidth=\"1Gbps\" latency=\"0\" "
                  "sharing_policy=\"SPLITDUPLEX\"/>\n"
                  "    <link id=\"l1\" bandwidth=\"1Gbps\" latency=\"0\" "
                  "sharing_policy=\"SPLITDUPLEX\"/>\n"
                  "    <route src=\"node-0\" dst=\"node-1\"><link_ctn id=\"l0\" "
                  "direction=\"UP\"/><link_ctn id=\"l1_DOWN\"/></route>\n"
                  "  </zone>\n</platform>\n",
             two_hosts);
    assert_string_equal(
        ERROR_OF(text, m),
        "line 7: route from host \"node-1\" to host \"node-0\": link \"l1\" "
        "crossed DOWN does not start at host \"node-1\": these routes are not paths "
        "of one network of full-duplex links (a link named with _UP or _DOWN keeps "
        "that direction in the reverse of a symmetrical route)");

    /* duplicate names and routes */
    snprintf(text, sizeof(text),
             HEAD "  <zone id=\"z\" routing=\"Full\">\n%s"
                  "    <router id=\"node-1\"/>\n"
                  "  </zone>\n</platform>\n",
             two_hosts);
    assert_string_equal(ERROR_OF(text, m), "line 6: \"node-1\": this name is already used by the "
                                           "host at line 5");
    snprintf(text, sizeof(text),
             HEAD "  <zone id=\"z\" routing=\"Full\">\n%s"
                  "    <link id=\"l\" bandwidth=\"1Gbps\" latency=\"0\"/>\n"
                  "    <route src=\"node-0\" dst=\"node-1\"><link_ctn id=\"l\"/></route>\n"
                  "    <route src=\"node-1\" dst=\"node-0\"><link_ctn id=\"l\"/></route>\n"
                  "  </zone>\n</platform>\n",
             two_hosts);
    assert_string_equal(ERROR_OF(text, m),
                        "line 8: route from \"node-1\" to \"node-0\": already declared by the "
                        "symmetrical route at line 7 (symmetrical=\"NO\" on both declares each "
                        "direction)");
    mvm_model_free(m);
}

/* ---- export, import, SimGrid ---- */

static struct mvm_instance *load_instance(const char *rel)
{
    struct mvm_error err;
    mvm_error_clear(&err);
    struct mvm_instance *in = mvm_instance_load(DATA(rel), &err);
    if (in == NULL)
        fail_msg("%s: %s", rel, err.message);
    return in;
}

/* What SimGrid must report for pairs of hosts: the links by name, the bandwidth. */
struct simgrid_expect {
    size_t hosts; /* how many hosts the platform has */
    bool as_set;  /* compare the links of a route whatever their order */
    size_t count, capacity;
    char **src, **dst;   /* host names */
    char **routes;       /* "a_UP b c_DOWN ": link names, each followed by a space */
    double *bytes_per_s; /* < 0: not checked */
    int failures;
};

static void expect_pair(struct simgrid_expect *e, const char *src, const char *dst,
                        const char *route, double bytes_per_s)
{
    if (e->count == e->capacity) {
        e->capacity = e->capacity ? 2 * e->capacity : 64;
        e->src = realloc(e->src, e->capacity * sizeof(char *));
        e->dst = realloc(e->dst, e->capacity * sizeof(char *));
        e->routes = realloc(e->routes, e->capacity * sizeof(char *));
        e->bytes_per_s = realloc(e->bytes_per_s, e->capacity * sizeof(double));
        assert_true(e->src && e->dst && e->routes && e->bytes_per_s);
    }
    e->src[e->count] = strdup(src);
    e->dst[e->count] = strdup(dst);
    e->routes[e->count] = strdup(route);
    e->bytes_per_s[e->count++] = bytes_per_s;
}

static void expect_clear(struct simgrid_expect *e)
{
    for (size_t i = 0; i < e->count; i++) {
        free(e->src[i]);
        free(e->dst[i]);
        free(e->routes[i]);
    }
    free(e->src);
    free(e->dst);
    free(e->routes);
    free(e->bytes_per_s);
}

static int compare_words(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "c a b " -> "a b c ": the words of text, sorted, in place. */
static void sort_words(char *text)
{
    char copy[4096], *words[256];
    size_t n = 0;
    snprintf(copy, sizeof(copy), "%s", text);
    for (char *w = strtok(copy, " "); w != NULL && n < 256; w = strtok(NULL, " "))
        words[n++] = w;
    qsort(words, n, sizeof(*words), compare_words);
    size_t used = 0;
    text[0] = '\0';
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(text + used, 4096 - used, "%s ", words[i]);
}

#ifdef MVM_TEST_SIMGRID
/* The engine calls actors without a user pointer: the child process sets this once. */
static struct simgrid_expect *simgrid_checked;

static void simgrid_check_actor(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct simgrid_expect *e = simgrid_checked;
    if (sg_host_count() != e->hosts) {
        fprintf(stderr, "simgrid: %zu hosts, expected %zu\n", sg_host_count(), e->hosts);
        e->failures++;
        return;
    }
    for (size_t i = 0; i < e->count; i++) {
        sg_host_t a = sg_host_by_name(e->src[i]), b = sg_host_by_name(e->dst[i]);
        if (a == NULL || b == NULL) {
            fprintf(stderr, "simgrid: no host %s or %s\n", e->src[i], e->dst[i]);
            e->failures++;
            continue;
        }
        xbt_dynar_t links = xbt_dynar_new(sizeof(sg_link_t), NULL);
        sg_host_get_route(a, b, links);
        char got[4096] = "";
        size_t used = 0;
        unsigned k;
        sg_link_t l;
        xbt_dynar_foreach(links, k, l) used +=
            (size_t)snprintf(got + used, sizeof(got) - used, "%s ", sg_link_get_name(l));
        xbt_dynar_free(&links);
        if (e->as_set)
            sort_words(got);
        double bw = sg_host_get_route_bandwidth(a, b), want = e->bytes_per_s[i];
        bool bw_ok = want < 0 || (bw >= want * (1 - 1e-12) && bw <= want * (1 + 1e-12));
        if (strcmp(got, e->routes[i]) != 0 || !bw_ok) {
            if (e->failures < 5)
                fprintf(stderr,
                        "simgrid: %s -> %s: route \"%s\" at %g B/s, expected \"%s\" at %g "
                        "B/s\n",
                        e->src[i], e->dst[i], got, bw, e->routes[i], want);
            e->failures++;
        }
    }
}

/* Loads xml in SimGrid (in a child process); true when every expected route is there. */
static bool run_simgrid(const char *xml, struct simgrid_expect *e)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* the child never returns to cmocka; _exit skips leak checks of SimGrid's globals */
        simgrid_checked = e;
        char arg0[] = "test_platform", arg1[] = "--cfg=contexts/factory:thread",
             arg2[] = "--log=root.thres:critical";
        char *argv[] = {arg0, arg1, arg2, NULL};
        int argc = 3;
        simgrid_init(&argc, argv);
        simgrid_load_platform(xml);
        sg_host_t *hosts = sg_host_list();
        sg_actor_create("check", hosts[0], simgrid_check_actor, 0, NULL);
        free(hosts);
        simgrid_run(); /* routes are only computed once the platform is sealed */
        _exit(e->failures == 0 ? 0 : 1);
    }
    int status = 0;
    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
#else
static bool run_simgrid(const char *xml, struct simgrid_expect *e)
{
    (void)xml;
    (void)e;
    return true;
}
#endif

/* SimGrid loads an export and routes every node pair over exactly our path's links. */
static void check_with_simgrid(const char *xml, const struct mvm_net *net)
{
    size_t n = net->node_count;
    struct simgrid_expect e = {.hosts = n};
    struct mvm_path p = {0};
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            struct mvm_error err;
            if (i == j || mvm_net_path(net, i, j, &p, &err) < 0)
                continue;
            char buf[4096] = "", a[32], b[32];
            size_t used = 0;
            for (size_t k = 0; k < p.count; k++) {
                size_t r = p.resources[k];
                if (r < 2 * net->link_count)
                    used += (size_t)snprintf(buf + used, sizeof(buf) - used, "link-%d_%s ",
                                             (int)net->links[r / 2].id,
                                             r % 2 == MVM_LINK_UP ? "UP" : "DOWN");
                else
                    used += (size_t)snprintf(buf + used, sizeof(buf) - used, "backplane-%d ",
                                             (int)net->switches[r - 2 * net->link_count].id);
            }
            snprintf(a, sizeof(a), "node-%d", (int)net->node_ids[i]);
            snprintf(b, sizeof(b), "node-%d", (int)net->node_ids[j]);
            expect_pair(&e, a, b, buf, (double)p.max_bw_mbps * 1e6 / 8.0);
        }
    }
    mvm_path_clear(&p);
    bool ok = run_simgrid(xml, &e);
    expect_clear(&e);
    if (!ok)
        fail_msg("SimGrid disagrees with our paths on %s", xml);
}

/*
 * Our reading of SimGrid's routing (io/platform_route.c) against SimGrid itself:
 * for every pair of hosts of the platform in the file, the same links in the
 * same order (or no route in both).
 */
static void check_routing_with_simgrid(const char *xml)
{
    struct pf_platform p = {0};
    struct mvm_error err;
    mvm_error_clear(&err);
    assert_int_equal(pf_platform_read(xml, &p, &err), 0);
    struct pf_router *router = pf_router_new(&p, &err);
    assert_non_null(router);
    struct simgrid_expect e = {.as_set = true};
    struct pf_hops hops = {0};
    for (size_t a = 0; a < p.point_count; a++) {
        if (p.points[a].kind != PF_HOST)
            continue;
        e.hosts++;
        for (size_t b = 0; b < p.point_count; b++) {
            if (a == b || p.points[b].kind != PF_HOST)
                continue;
            hops.count = 0;
            int rc = pf_route(router, a, b, &hops, &err);
            assert_int_not_equal(rc, -1);
            if (rc == 1)
                continue; /* SimGrid has none either: asking it would abort */
            char buf[4096] = "";
            size_t used = 0;
            for (size_t k = 0; k < hops.count; k++) {
                const struct pf_hop *h = &hops.items[k];
                used +=
                    (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s ", p.links[h->link].name,
                                     h->dir == PF_DIR_UP     ? "_UP"
                                     : h->dir == PF_DIR_DOWN ? "_DOWN"
                                                             : "");
            }
            sort_words(buf);
            expect_pair(&e, p.points[a].name, p.points[b].name, buf, -1.0);
        }
    }
    free(hops.items);
    pf_router_free(router);
    pf_platform_clear(&p);
    bool ok = run_simgrid(xml, &e);
    expect_clear(&e);
    if (!ok)
        fail_msg("SimGrid routes differently from our reading of %s", xml);
}

/* Export net, read it back, compare every pair's path; SimGrid checks the file too. */
static void round_trip(const struct mvm_net *net, const struct mvm_model *m, const char *name,
                       bool expect_dijkstra)
{
    char path[256];
    tmp_path(path, sizeof(path), name);
    struct mvm_error err;
    mvm_error_clear(&err);
    if (mvm_platform_save(net, m, 1e9, path, &err) < 0)
        fail_msg("%s: %s", name, err.message);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char head[512] = "";
    size_t got = fread(head, 1, sizeof(head) - 1, f);
    fclose(f);
    head[got] = '\0';
    assert_non_null(strstr(head, expect_dijkstra ? "routing=\"Dijkstra\"" : "routing=\"Full\""));
    struct mvm_net *back = mvm_platform_load(path, m, &err);
    if (back == NULL) {
        char buf[2048];
        fail_msg("%s: %s", name, mvm_error_format(&err, buf, sizeof(buf)));
    }
    assert_int_equal(back->switch_count, net->switch_count);
    assert_int_equal(back->link_count, net->link_count);
    for (size_t i = 0; i < net->node_count; i++) {
        for (size_t j = 0; j < net->node_count; j++) {
            if (i == j)
                continue;
            char a[1024], b[1024];
            by_ids(net, i, j, a, sizeof(a));
            by_ids(back, i, j, b, sizeof(b));
            if (strcmp(a, b) != 0)
                fail_msg("%s: node %zu -> %zu: %s before, %s after", name, i, j, a, b);
        }
    }
    mvm_net_free(back);
    check_with_simgrid(path, net);
}

static void test_round_trip_instances(void **state)
{
    (void)state;
    static const char *const files[] = {
        "instances/random4/instance.1.json",
        "instances/scale/random_infra_scale/x1-instance_1.json",
        "instances/scale/random_decommissioning_infra_scale/x2-instance_1.json",
        "instances/scale/random_vms_scale/x2-instance_1.json",
    };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        struct mvm_instance *in = load_instance(files[i]);
        round_trip(in->model->net, in->model, "instance.xml", true);
        mvm_instance_free(in);
    }
}

static struct mvm_net *net_for(const struct mvm_model *m)
{
    int32_t ids[16];
    for (size_t i = 0; i < m->node_count; i++)
        ids[i] = m->nodes[i].id;
    struct mvm_error err;
    struct mvm_net *net = mvm_net_new(ids, m->node_count, &err);
    assert_non_null(net);
    return net;
}

static void add_switch(struct mvm_net *net, int32_t id, int64_t cap)
{
    struct mvm_error err;
    assert_int_not_equal(mvm_net_add_switch(net, id, cap, &err), MVM_NONE);
}

static void add_link(struct mvm_net *net, int32_t id, int64_t cap, int32_t sw, bool to_node,
                     size_t end)
{
    struct mvm_error err;
    size_t e = to_node ? end : mvm_net_switch_index(net, (int32_t)end);
    assert_int_not_equal(mvm_net_add_link(net, id, cap, mvm_net_switch_index(net, sw),
                                          to_node ? MVM_NET_END_NODE : MVM_NET_END_SWITCH, e, &err),
                         MVM_NONE);
}

static void finalize(struct mvm_net *net)
{
    struct mvm_error err;
    if (mvm_net_finalize(net, &err) < 0)
        fail_msg("%s", err.message);
}

/* Two blocking racks (switches 7 and 3) under a non-blocking core (switch 5). */
static void test_round_trip_blocking(void **state)
{
    (void)state;
    struct mvm_model *m = model_of(6);
    struct mvm_net *net = net_for(m);
    add_switch(net, 7, 2000);
    add_switch(net, 3, 1500);
    add_switch(net, 5, -1);
    for (size_t i = 0; i < 3; i++)
        add_link(net, (int32_t)(10 + i), 1000, 7, true, i);
    for (size_t i = 3; i < 6; i++)
        add_link(net, (int32_t)(20 + i), i == 5 ? 100 : 1000, 3, true, i);
    add_link(net, 40, 10000, 5, false, 7);
    add_link(net, 41, 10000, 5, false, 3);
    finalize(net);
    round_trip(net, m, "blocking.xml", false);
    mvm_net_free(net);
    mvm_model_free(m);
}

/* A ring of three switches: default routing, but not a tree. */
static void test_round_trip_ring(void **state)
{
    (void)state;
    struct mvm_model *m = model_of(3);
    struct mvm_net *net = net_for(m);
    for (int32_t s = 0; s < 3; s++)
        add_switch(net, s, -1);
    for (size_t i = 0; i < 3; i++)
        add_link(net, (int32_t)i, 1000, (int32_t)i, true, i);
    add_link(net, 10, 500, 1, false, 0);
    add_link(net, 11, 600, 2, false, 1);
    add_link(net, 12, 700, 0, false, 2);
    finalize(net);
    round_trip(net, m, "ring.xml", false);
    mvm_net_free(net);
    mvm_model_free(m);
}

/* Static routes, not symmetrical, one pair without a route, a blocking switch on the way. */
static void test_round_trip_static(void **state)
{
    (void)state;
    struct mvm_model *m = model_of(3);
    struct mvm_net *net = net_for(m);
    add_switch(net, 0, -1);
    add_switch(net, 1, 800);
    add_switch(net, 2, -1);
    for (size_t i = 0; i < 3; i++)
        add_link(net, (int32_t)i, 1000, (int32_t)i, true, i);
    add_link(net, 10, 500, 1, false, 0); /* 0 - 1 */
    add_link(net, 11, 600, 2, false, 1); /* 1 - 2 */
    add_link(net, 12, 700, 0, false, 2); /* 2 - 0 */
    struct mvm_error err;
    size_t l[16];
    /* 0 -> 1 the long way (0, 2, 1), 1 -> 0 the short way */
    l[0] = 0, l[1] = 5, l[2] = 4, l[3] = 1;
    assert_int_equal(mvm_net_add_route(net, 0, 1, l, 4, &err), 0);
    l[0] = 1, l[1] = 3, l[2] = 0;
    assert_int_equal(mvm_net_add_route(net, 1, 0, l, 3, &err), 0);
    l[0] = 0, l[1] = 5, l[2] = 2;
    assert_int_equal(mvm_net_add_route(net, 0, 2, l, 3, &err), 0);
    l[0] = 2, l[1] = 5, l[2] = 0;
    assert_int_equal(mvm_net_add_route(net, 2, 0, l, 3, &err), 0);
    l[0] = 1, l[1] = 4, l[2] = 2;
    assert_int_equal(mvm_net_add_route(net, 1, 2, l, 3, &err), 0);
    net->routing = MVM_ROUTING_STATIC;
    finalize(net);
    round_trip(net, m, "static.xml", false);
    mvm_net_free(net);
    mvm_model_free(m);
}

/* The network the CLI's --platform installs: the model keeps one network view. */
static void test_model_replace_net(void **state)
{
    (void)state;
    struct mvm_instance *in = load_instance("instances/random4/instance.1.json");
    struct mvm_model *m = in->model;
    char path[256];
    tmp_path(path, sizeof(path), "r4.xml");
    struct mvm_error err;
    assert_int_equal(mvm_platform_save(m->net, m, 2.5e9, path, &err), 0);
    struct mvm_net *net = mvm_platform_load(path, m, &err);
    assert_non_null(net);
    size_t views = m->view_count;
    assert_int_equal(mvm_model_replace_net(m, net, &err), 0);
    assert_ptr_equal(m->net, net);
    assert_int_equal(m->view_count, views);
    /* another node set: refused, and the network given is freed */
    struct mvm_model *small = model_of(2);
    struct mvm_net *wrong = net_for(small);
    assert_int_equal(mvm_model_replace_net(m, wrong, &err), -1);
    mvm_model_free(small);
    /* a model without a network gains the view */
    struct mvm_model *bare = model_of(4);
    size_t before = bare->view_count;
    net = mvm_platform_load(path, bare, &err);
    assert_non_null(net);
    assert_int_equal(mvm_model_replace_net(bare, net, &err), 0);
    assert_int_equal(bare->view_count, before + 1);
    assert_int_equal(bare->views[before].kind, MVM_VIEW_NET);
    mvm_model_free(bare);
    mvm_instance_free(in);
    /* the speed is written with a unit */
    FILE *f = fopen(path, "r");
    char text[4096] = "";
    size_t got = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[got] = '\0';
    assert_non_null(strstr(text, "speed=\"2.5Gf\""));
    assert_non_null(strstr(text, "<prop id=\"node_id\" value=\"3\"/>"));
    assert_non_null(strstr(text, "bandwidth=\"500Mbps\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_full_zone_star),
        cmocka_unit_test(test_shared_link_is_blocking_switch),
        cmocka_unit_test(test_clusters),
        cmocka_unit_test(test_nested_zones),
        cmocka_unit_test(test_static_from_full_routes),
        cmocka_unit_test(test_host_to_host_link),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_round_trip_instances),
        cmocka_unit_test(test_round_trip_blocking),
        cmocka_unit_test(test_round_trip_ring),
        cmocka_unit_test(test_round_trip_static),
        cmocka_unit_test(test_model_replace_net),
    };
    return cmocka_run_group_tests(tests, make_tmp_dir, remove_tmp_dir);
}
