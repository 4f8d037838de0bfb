#include "cli.h"
int cmd_estimate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return CLI_BAD_INPUT;
}
