/*
 * Helpers shared by the unit tests: locating the real data files and loading
 * them with failures reported through cmocka.
 */
#ifndef MVM_TESTUTIL_H
#define MVM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Path of a file under tests/data (MVM_DATA), in a static buffer per call site. */
const char *test_data_path(char *buf, size_t size, const char *relative);

#define DATA(rel) test_data_path((char[1024]){0}, 1024, (rel))

#endif
