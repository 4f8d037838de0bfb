/* Exit codes, error reporting and small parsing helpers shared by subcommands. */
#include "cli.h"

#include "mvm/constraint.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

#include "mvm/model.h"
#include "mvm/platform.h"

int cli_report(const struct mvm_error *err)
{
    char buf[2048];
    fprintf(stderr, "mvm: %s\n", mvm_error_format(err, buf, sizeof(buf)));
    return err->code == MVM_ERR_INFEASIBLE ? CLI_FAIL : CLI_BAD_INPUT;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "mvm %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'mvm %s --help'.\n", cmd);
    return CLI_BAD_INPUT;
}

bool cli_parse_int(const char *text, long long min, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (text[0] == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
        return false;
    *out = v;
    return true;
}

void cli_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

int cli_use_platform(const char *platform, struct mvm_model *model, struct mvm_error *err)
{
    struct mvm_net *net = mvm_platform_load(platform, model, err);
    return net == NULL ? -1 : mvm_model_replace_net(model, net, err);
}

bool cli_parse_start_time(const char *text, int64_t *epoch)
{
    long long v;
    if (cli_parse_int(text, 0, INT64_MAX, &v)) {
        *epoch = v;
        return true;
    }
    int64_t now = (int64_t)time(NULL), rel;
    if (mvm_deadline_resolve(text, now, &rel, NULL) < 0)
        return false;
    *epoch = now + rel;
    return true;
}
