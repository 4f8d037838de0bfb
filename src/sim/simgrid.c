/*
 * The SimGrid engine, library side (see simgrid_proto.h): writes the plan's
 * network as a platform file, forks a child that loads the engine module and
 * simulates, reads the results from a pipe, and reaps the child. The library
 * never loads SimGrid itself: only simulations that ask for it pay its cost.
 */
#include "sim/simgrid_proto.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mvm/platform.h"
#include "util/array.h"
#include "mvm_config.h"

/*
 * In the child: loads the module (MVM_SIMGRID_MODULE in the environment, else
 * the build tree's, else the installed one) and hands over. On failure, the
 * header says why.
 */
static void run_module(const struct sim_input *in, const char *platform, int fd, int err_fd,
                       int hold_fd) __attribute__((noreturn));
static void run_module(const struct sim_input *in, const char *platform, int fd, int err_fd,
                       int hold_fd)
{
    const char *candidates[] = {getenv("MVM_SIMGRID_MODULE"), MVM_SIMGRID_MODULE_BUILD,
                                MVM_SIMGRID_MODULE_INSTALL};
    struct sg_header header = {.magic = SG_MAGIC, .failed = 1};
    for (size_t k = 0; k < sizeof(candidates) / sizeof(candidates[0]); k++) {
        if (candidates[k] == NULL || candidates[k][0] == '\0')
            continue;
        void *module = dlopen(candidates[k], RTLD_NOW | RTLD_LOCAL);
        if (module == NULL) {
            if (header.message[0] == '\0') /* the first place tried says the most */
                snprintf(header.message, sizeof(header.message),
                         "cannot load the SimGrid engine %s: %s", candidates[k], dlerror());
            continue;
        }
        void *entry = dlsym(module, SG_CHILD_MAIN);
        if (entry != NULL) {
            void (*child_main)(const struct sim_input *, const char *, int, int, int);
            memcpy(&child_main, &entry, sizeof(child_main)); /* object to function pointer */
            child_main(in, platform, fd, err_fd, hold_fd);
        }
        snprintf(header.message, sizeof(header.message), "%s has no %s", candidates[k],
                 SG_CHILD_MAIN);
    }
    ssize_t ignored = write(fd, &header, sizeof(header));
    (void)ignored;
    _exit(0);
}

static size_t read_all(int fd, void *data, size_t size)
{
    char *p = data;
    size_t got = 0;
    while (got < size) {
        ssize_t k = read(fd, p + got, size - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    return got;
}

/*
 * What the child said on stderr: its first error line (SimGrid's "[...ERROR] ",
 * AddressSanitizer's "ERROR: ..."), without SimGrid's prefix; else its last line.
 */
static void child_diagnostic(FILE *f, char *buf, size_t size)
{
    char line[512];
    buf[0] = '\0';
    bool found = false;
    rewind(f);
    while (!found && fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        const char *text = line, *tag;
        if ((tag = strstr(line, "ERROR] ")) != NULL)
            text = tag + strlen("ERROR] ");
        else if ((tag = strstr(line, "CRITICAL] ")) != NULL)
            text = tag + strlen("CRITICAL] ");
        found = tag != NULL || strstr(line, "ERROR") != NULL;
        if (text[0] != '\0')
            snprintf(buf, size, ": %.200s", text);
    }
}

/* Writes the plan's network as a platform file in $TMPDIR (or /tmp); path receives its name. */
static int write_platform(const struct sim_input *in, char *path, size_t size,
                          struct mvm_error *err)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    if ((size_t)snprintf(path, size, "%s/mvm-platform-XXXXXX", dir) >= size)
        return mvm_error_set(err, MVM_ERR_IO, "temporary directory name too long: %s", dir);
    int fd = mkstemp(path);
    if (fd < 0)
        return mvm_error_set(err, MVM_ERR_IO, "%s: cannot create a temporary platform file: %s",
                             path, strerror(errno));
    close(fd);
    if (mvm_platform_save(in->net, in->plan->origin, SG_HOST_SPEED, path, err) < 0) {
        unlink(path);
        return -1;
    }
    return 0;
}

/* Turns what the child sent (got bytes into header and rec) and how it ended into a result. */
static int collect(const struct sim_input *in, const struct sg_header *header, size_t got,
                   const struct sg_record *rec, int status, FILE *errors,
                   struct mvm_sim_result *out, struct mvm_error *err)
{
    size_t n = in->plan->action_count;
    bool complete = got >= sizeof(*header) && header->magic == SG_MAGIC &&
                    (header->failed || got >= sizeof(*header) + n * sizeof(*rec));
    if (!complete) { /* it died early: say how */
        char diag[400], how[64];
        child_diagnostic(errors, diag, sizeof(diag));
        if (WIFSIGNALED(status))
            snprintf(how, sizeof(how), "died of signal %d (%s)", WTERMSIG(status),
                     strsignal(WTERMSIG(status)));
        else
            snprintf(how, sizeof(how), "exited with status %d", WEXITSTATUS(status));
        return mvm_error_set(err, MVM_ERR_IO,
                             "the SimGrid simulation process %s before sending its results%s", how,
                             diag);
    }
    if (header->failed)
        return mvm_error_set(err, MVM_ERR_INVALID, "SimGrid simulation: %.300s", header->message);
    for (size_t a = 0; a < n; a++) {
        struct mvm_sim_action *s = &out->actions[a];
        s->status = rec[a].state == SG_DONE     ? MVM_SIM_DONE
                    : rec[a].state == SG_FAILED ? MVM_SIM_NOT_CONVERGED
                                                : MVM_SIM_SKIPPED;
        s->start = s->status == MVM_SIM_SKIPPED ? 0.0 : rec[a].start;
        s->end = s->status == MVM_SIM_SKIPPED ? 0.0 : rec[a].end;
        s->transferred_mib = rec[a].transferred_mib;
        s->rounds = (size_t)rec[a].rounds;
    }
    return 0;
}

/*
 * Runs the simulation in a child process: results come through one pipe; the
 * other ("hold") only tells the child when the parent is gone. The parent reads
 * the results, kills the child and reaps it.
 */
int sim_simgrid_run(const struct sim_input *in, struct mvm_sim_result *out, struct mvm_error *err)
{
    size_t n = in->plan->action_count;
    char platform[4096];
    if (write_platform(in, platform, sizeof(platform), err) < 0)
        return -1;
    int rc = -1;
    int results[2] = {-1, -1}, hold[2] = {-1, -1};
    struct sg_header header;
    struct sg_record *rec = mvm_calloc(n + 1, sizeof(*rec), err);
    FILE *errors = tmpfile();
    if (rec == NULL)
        goto done;
    if (errors == NULL || pipe(results) < 0 || pipe(hold) < 0) {
        mvm_error_set(err, MVM_ERR_IO, "cannot set up the SimGrid simulation process: %s",
                      strerror(errno));
        goto done;
    }
    fflush(NULL); /* nothing buffered is inherited twice */
    pid_t pid = fork();
    if (pid < 0) {
        mvm_error_set(err, MVM_ERR_IO, "cannot start the SimGrid simulation process: %s",
                      strerror(errno));
        goto done;
    }
    if (pid == 0) {
        close(results[0]);
        close(hold[1]);
        run_module(in, platform, results[1], fileno(errors), hold[0]);
    }
    close(results[1]);
    results[1] = -1;
    size_t got = read_all(results[0], &header, sizeof(header));
    if (got == sizeof(header) && header.magic == SG_MAGIC && !header.failed)
        got += read_all(results[0], rec, n * sizeof(*rec));
    kill(pid, SIGKILL); /* done with it, or it died already and this does nothing */
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            mvm_error_set(err, MVM_ERR_IO, "cannot wait for the SimGrid simulation process: %s",
                          strerror(errno));
            goto done;
        }
    rc = collect(in, &header, got, rec, status, errors, out, err);
done:
    for (int k = 0; k < 2; k++) {
        if (results[k] >= 0)
            close(results[k]);
        if (hold[k] >= 0)
            close(hold[k]);
    }
    if (errors != NULL)
        fclose(errors);
    free(rec);
    unlink(platform);
    return rc;
}
