/* What each unit test program provides to tap_main.c. */
#ifndef CHECK_TLS_PIN_UNIT_H
#define CHECK_TLS_PIN_UNIT_H

#include <check.h>

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

Suite *unit_suite(void);

#endif
