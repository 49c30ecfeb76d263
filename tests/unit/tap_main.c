/*
 * Shared entry point of the unit test programs: runs the program's suite and
 * reports in TAP for the automake driver.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>

#include "unit.h"

int
main(void)
{
	SRunner *sr = srunner_create(unit_suite());
	int failed;

	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
