/* Helpers shared by the unit tests (see testutil.h). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

const char *test_data_path(char *buf, size_t size, const char *relative)
{
    const char *root = getenv("MVM_DATA");
    snprintf(buf, size, "%s/%s", root != NULL ? root : "tests/data", relative);
    return buf;
}
