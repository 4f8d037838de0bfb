/*
 * The SimGrid engine behind mvm_simulate (engine.h): the plan is replayed in
 * SimGrid 3.32, the field's reference simulator, as a cross-check of the fluid
 * engine. Every action is an actor started as soon as its predecessors in the
 * dependency graph have completed; node and VM actions sleep their fixed
 * duration; a migration creates a VM of memUsed on its source host and moves
 * it with SimGrid's live-migration plugin (pre-copy rounds until the rest fits
 * in 30 ms), its speed capped at the planned bandwidth, over the plan's network
 * written as a platform (mvm_platform_save) and shared max-min by the CM02
 * model with nominal bandwidths. SimGrid's VM dirties, in each round, what its
 * CPU-bound actor executes at a rate D, capped by a working set W; the
 * two-phase dirtying of REFERENCE section 3 maps onto it as D = max(hot rate,
 * cold rate) and W = (d - dmin) x (B - D), where d is the model's duration at
 * the planned bandwidth B and dmin = memUsed / B. Rounds then re-send W, then
 * geometrically less, for W / (b - D) seconds at a rate b: alone at B that is
 * the model's d (exactly so when the cold rate is 0: W is then the hot size),
 * and like the model the migration never converges once sharing leaves it no
 * more than D. A migration the model says never converges at B gets W =
 * memUsed; it is abandoned at the give-up time (SimGrid would loop on it for
 * 10^7 simulated seconds). docs/simulation.md lists the limits. SimGrid keeps
 * process-wide state and cannot be initialised twice, so this module only ever
 * runs in a child the library forks (src/sim/simgrid.c), which loads it,
 * simulates and sends its results back through a pipe: the library stays
 * reentrant and silent, and never loads SimGrid itself.
 */
#include "sim/simgrid_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/plugins/live_migration.h>
#include <simgrid/vm.h>
#include <xbt/log.h>

#include "mvm/platform.h"
#include "util/array.h"

/*
 * Units inside SimGrid. Bandwidths are bytes/s there; the platform writer
 * gives a link of C Mbit/s C x 10^6 bits/s. The model's units are tied by
 * 1 MiB/s = 8 Mbit/s (REFERENCE section 2), so one model MiB is taken as
 * 8 x 10^6 / 8 = 10^6 SimGrid bytes: durations then match the model's
 * memUsed / (bw / 8) exactly (1 GiB at 1 Gbit/s: 8.192 s).
 */
#define SG_BYTES_PER_MBIT 125000.0
#define SG_BYTES_PER_MIB (8.0 * SG_BYTES_PER_MBIT)

#define SG_WORK_CHUNK 1e12 /* flops of one execution of the dirtying loop */

/* The live-migration plugin's log category, read for the bytes each round sent. */
XBT_LOG_EXTERNAL_CATEGORY(vm_live_migration);

#if defined(__SANITIZE_ADDRESS__)
#define SG_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SG_UNDER_ASAN 1
#endif
#endif

struct sg_run;

/* What the child knows about one action while SimGrid runs. */
struct sg_action {
    struct sg_run *run;
    size_t index;
    size_t waiting;          /* predecessors not completed yet */
    sg_vm_t vm;              /* migrations */
    aid_t migrator, monitor; /* pids, 0 when not alive */
    aid_t worker;
};

/* The child's whole simulation. */
struct sg_run {
    const struct sim_input *in;
    struct sg_action *acts;
    struct sg_record *rec;
    sg_host_t *hosts; /* per origin node */
    size_t *stack;    /* scratch for propagating skips */
    struct sg_header *header;
};

/* ---- in the child: actors ---- */

static void child_fail(struct sg_run *run, const char *message)
{
    if (!run->header->failed) {
        run->header->failed = 1;
        snprintf(run->header->message, sizeof(run->header->message), "%s", message);
    }
}

static void kill_pid(aid_t *pid)
{
    if (*pid == 0)
        return;
    sg_actor_t actor = sg_actor_by_pid(*pid);
    *pid = 0;
    if (actor != NULL)
        sg_actor_kill(actor);
}

/* Kills the actor whose name starts with prefix (the plugin's migration actors). */
static void kill_named(const char *prefix)
{
    size_t count = sg_actor_count(), len = strlen(prefix);
    sg_actor_t *actors = sg_actor_list();
    for (size_t k = 0; actors != NULL && k < count; k++)
        if (strncmp(sg_actor_get_name(actors[k]), prefix, len) == 0)
            sg_actor_kill(actors[k]);
    free(actors);
}

static void start_action(struct sg_run *run, size_t a);

/* Marks everything depending on a, directly or not, as never to start. */
static void skip_successors(struct sg_run *run, size_t a)
{
    size_t top = 0;
    run->stack[top++] = a;
    while (top > 0) {
        size_t count;
        const size_t *succs = mvm_depgraph_succs(run->in->graph, run->stack[--top], &count);
        for (size_t k = 0; k < count; k++)
            if (run->rec[succs[k]].state == SG_PENDING) {
                run->rec[succs[k]].state = SG_SKIPPED;
                run->stack[top++] = succs[k];
            }
    }
}

static void complete(struct sg_run *run, size_t a)
{
    run->rec[a].state = SG_DONE;
    run->rec[a].end = simgrid_get_clock();
    size_t count;
    const size_t *succs = mvm_depgraph_succs(run->in->graph, a, &count);
    for (size_t k = 0; k < count; k++)
        if (--run->acts[succs[k]].waiting == 0 && run->rec[succs[k]].state == SG_PENDING)
            start_action(run, succs[k]);
}

/* The VM's CPU-bound loop: what it executes is what it dirties. */
static void worker_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    for (;;)
        sg_actor_execute(SG_WORK_CHUNK);
}

/*
 * Abandons a migration still running at its give-up time: the plugin's
 * receiver goes first (killing the sender first leaves the receiver with an
 * uncaught network failure), then the sender and the actor waiting for them.
 */
static void abandon(struct sg_action *act)
{
    char prefix[64];
    kill_pid(&act->migrator);
    snprintf(prefix, sizeof(prefix), "__pr_mig_rx:vm%zu(", act->index);
    kill_named(prefix);
    snprintf(prefix, sizeof(prefix), "__pr_mig_tx:vm%zu(", act->index);
    kill_named(prefix);
    kill_pid(&act->worker);
    struct sg_run *run = act->run;
    run->rec[act->index].state = SG_FAILED;
    run->rec[act->index].end = simgrid_get_clock();
    skip_successors(run, act->index);
}

/* Sleeps until the migration's give-up time and abandons it, unless killed first. */
static void monitor_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct sg_action *act = sg_actor_self_get_data();
    struct sg_run *run = act->run;
    sg_actor_sleep_until(run->rec[act->index].start + run->in->options->give_up_s);
    act->monitor = 0;
    abandon(act);
}

/*
 * The dirtying of the mapping in the file comment: the rate D (MiB/s) and the
 * working set W (MiB) that make SimGrid's migration last the model's duration
 * at the planned bandwidth.
 */
static void dirtying(const struct mvm_vm_memory *mem, double cap_mbps, double *rate,
                     double *working_set)
{
    double hot = mem->hot_size_mib > 0.0 ? mem->hot_size_mib / mem->hot_duration_s : 0.0;
    double bw = cap_mbps / 8.0, d;
    *rate = fmax(hot, mem->cold_rate_mibps);
    if (mvm_migration_time(mem, cap_mbps, MVM_MIGRATION_PRECOPY, &d, NULL) < 0)
        *working_set = mem->mem_used_mib; /* D >= B: it never converges */
    else
        *working_set = fmax(0.0, (d - mem->mem_used_mib / bw) * (bw - *rate));
}

static void migrate(struct sg_action *act)
{
    struct sg_run *run = act->run;
    const struct sim_input *in = run->in;
    size_t a = act->index;
    const struct mvm_action *action = &in->plan->actions[a];
    const struct mvm_vm_memory *mem = &in->memory[a];
    char name[32];
    snprintf(name, sizeof(name), "vm%zu", a);
    act->vm = sg_vm_create_core(run->hosts[action->from], name);
    size_t ram = (size_t)llround(mem->mem_used_mib * SG_BYTES_PER_MIB);
    sg_vm_set_ramsize(act->vm, ram);
    sg_vm_start(act->vm);
    double speed = in->cap_mbps[a] * SG_BYTES_PER_MBIT;
    sg_vm_set_migration_speed(act->vm, speed);
    sg_vm_set_dirty_page_intensity(act->vm, SG_HOST_SPEED / speed);
    double rate_mibps, working_set_mib;
    dirtying(mem, in->cap_mbps[a], &rate_mibps, &working_set_mib);
    sg_vm_set_working_set_memory(act->vm, (sg_size_t)llround(working_set_mib * SG_BYTES_PER_MIB));
    if (rate_mibps > 0.0 && working_set_mib > 0.0) { /* a bound of 0 means unbounded */
        sg_vm_set_bound(act->vm, rate_mibps * SG_BYTES_PER_MIB);
        sg_actor_t worker = sg_actor_create("dirty", (sg_host_t)act->vm, worker_main, 0, NULL);
        sg_actor_daemonize(worker);
        act->worker = sg_actor_get_pid(worker);
    }
    double give_up = in->options->give_up_s;
    if (give_up > 0.0 && isfinite(give_up)) {
        sg_actor_t monitor = sg_actor_init("give-up", run->hosts[action->from]);
        sg_actor_set_data(monitor, act);
        sg_actor_start(monitor, monitor_main, 0, NULL);
        act->monitor = sg_actor_get_pid(monitor);
    }
    sg_vm_migrate(act->vm, run->hosts[action->to]);
    /* reached only when the migration completed: the monitor did not abandon it */
    act->migrator = 0;
    kill_pid(&act->monitor);
    kill_pid(&act->worker);
}

static void action_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct sg_action *act = sg_actor_self_get_data();
    struct sg_run *run = act->run;
    size_t a = act->index;
    run->rec[a].state = SG_RUNNING;
    run->rec[a].start = simgrid_get_clock();
    if (run->in->plan->actions[a].kind == MVM_ACTION_MIGRATE_VM) {
        act->migrator = sg_actor_self_get_pid();
        migrate(act);
    } else {
        sg_actor_sleep_for(run->in->fixed_s[a]);
    }
    complete(run, a);
}

static void start_action(struct sg_run *run, size_t a)
{
    const struct mvm_action *action = &run->in->plan->actions[a];
    size_t node = action->kind == MVM_ACTION_MIGRATE_VM ? action->from
                  : action->node != MVM_NONE            ? action->node
                  : action->from != MVM_NONE            ? action->from
                                                        : 0;
    char name[32];
    snprintf(name, sizeof(name), "action%zu", a);
    sg_actor_t actor = sg_actor_init(name, run->hosts[node]);
    sg_actor_set_data(actor, &run->acts[a]);
    sg_actor_start(actor, action_main, 0, NULL);
}

/* ---- in the child: set-up and results ---- */

/* Adds the bytes and rounds the plugin logged ("<actor>|mig-stage...: sent N ..."). */
static void read_migration_log(struct sg_run *run, FILE *log)
{
    static const char tx[] = "__pr_mig_tx:vm";
    char line[512];
    size_t n = run->in->plan->action_count;
    rewind(log);
    while (fgets(line, sizeof(line), log) != NULL) {
        if (strncmp(line, tx, sizeof(tx) - 1) != 0)
            continue;
        char *end;
        unsigned long long a = strtoull(line + sizeof(tx) - 1, &end, 10);
        const char *stage = strstr(end, "|mig-stage");
        const char *sent = stage != NULL ? strstr(stage, ": sent ") : NULL;
        if (a >= n || *end != '(' || sent == NULL)
            continue;
        unsigned long long bytes = strtoull(sent + 7, NULL, 10);
        run->rec[a].transferred_mib += (double)bytes / SG_BYTES_PER_MIB;
        run->rec[a].rounds++;
    }
}

static int find_hosts(struct sg_run *run)
{
    const struct mvm_model *origin = run->in->plan->origin;
    for (size_t k = 0; k < origin->node_count; k++) {
        char name[32];
        snprintf(name, sizeof(name), "node-%d", (int)origin->nodes[k].id);
        run->hosts[k] = sg_host_by_name(name);
        if (run->hosts[k] == NULL) {
            char message[96];
            snprintf(message, sizeof(message), "the platform has no host %s", name);
            child_fail(run, message);
            return -1;
        }
    }
    return 0;
}

static int child_simulate(struct sg_run *run, const char *platform)
{
    const struct sim_input *in = run->in;
    size_t n = in->plan->action_count;
    char arg0[] = "mvm", arg1[] = "--log=root.thres:error", arg2[] = "--cfg=network/model:CM02",
         arg3[] = "--cfg=network/crosstraffic:0", arg4[] = "--cfg=contexts/factory:thread";
    char *argv[] = {arg0, arg1, arg2, arg3, NULL, NULL};
    int argc = 4;
#ifdef SG_UNDER_ASAN
    /*
     * AddressSanitizer cannot follow SimGrid's own stack switching (it warns of
     * false positives when an actor is killed): give each actor a thread.
     * Results are the same with every context factory.
     */
    argv[argc++] = arg4;
#endif
    (void)arg4;
    simgrid_init(&argc, argv);
    sg_vm_live_migration_plugin_init();
    simgrid_load_platform(platform);

    FILE *log = tmpfile();
    if (log == NULL) {
        child_fail(run, "cannot create a temporary file for SimGrid's migration log");
        return -1;
    }
    /* the plugin's debug log tells how many bytes each round sent, by which actor */
    xbt_log_category_t category = &_XBT_LOGV(vm_live_migration);
    xbt_log_appender_set(category, xbt_log_appender_stream(log));
    xbt_log_layout_set(category, xbt_log_layout_format_new("%a|%m%n"));
    xbt_log_additivity_set(category, 0);
    xbt_log_control_set("vm_live_migration.thres:debug");

    run->acts = calloc(n, sizeof(*run->acts));
    run->hosts = calloc(in->plan->origin->node_count + 1, sizeof(*run->hosts));
    run->stack = calloc(n + 1, sizeof(size_t));
    if (run->acts == NULL || run->hosts == NULL || run->stack == NULL) {
        child_fail(run, "out of memory");
        return -1;
    }
    if (find_hosts(run) < 0)
        return -1;
    for (size_t a = 0; a < n; a++) {
        const struct mvm_action *action = &in->plan->actions[a];
        if (action->kind == MVM_ACTION_MIGRATE_VM && !(in->cap_mbps[a] > 0.0)) {
            char message[96];
            snprintf(message, sizeof(message), "action %zu: a migration needs a bandwidth", a);
            child_fail(run, message);
            return -1;
        }
        run->acts[a].run = run;
        run->acts[a].index = a;
        mvm_depgraph_preds(in->graph, a, &run->acts[a].waiting);
    }
    for (size_t a = 0; a < n; a++)
        if (run->acts[a].waiting == 0)
            start_action(run, a);
    simgrid_run();
    fflush(log);
    read_migration_log(run, log);
    for (size_t a = 0; a < n; a++)
        if (run->rec[a].state == SG_RUNNING) {
            child_fail(run, "SimGrid stopped with actions still running");
            return -1;
        }
    return 0;
}

static int write_all(int fd, const void *data, size_t size)
{
    const char *p = data;
    while (size > 0) {
        ssize_t k = write(fd, p, size);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        size -= (size_t)k;
    }
    return 0;
}

/*
 * The forked child: simulates, writes the header and the records to fd, then
 * waits to be killed by the parent. SimGrid has no teardown, so its memory is
 * never freed; dying of a SIGKILL sent by another process runs no exit handler,
 * leak check (LeakSanitizer, or valgrind, which intercepts a process's own
 * exits and signals) or destructor, and flushes nothing the parent had
 * buffered. Should the parent vanish instead, hold_fd reads end-of-file and
 * the child leaves with _exit.
 */
void mvm_simgrid_child_main(const struct sim_input *in, const char *platform, int fd, int err_fd,
                            int hold_fd)
{
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0)
        dup2(devnull, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    size_t n = in->plan->action_count;
    struct sg_header header = {.magic = SG_MAGIC};
    struct sg_run run = {.in = in, .header = &header};
    run.rec = calloc(n + 1, sizeof(*run.rec));
    if (run.rec == NULL)
        child_fail(&run, "out of memory");
    else
        child_simulate(&run, platform);
    if (write_all(fd, &header, sizeof(header)) == 0 && !header.failed)
        write_all(fd, run.rec, n * sizeof(*run.rec));
    close(fd);
    char byte;
    while (read(hold_fd, &byte, 1) < 0 && errno == EINTR)
        ;
    _exit(0);
}
