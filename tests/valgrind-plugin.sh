#!/bin/bash
# Stands in for the plugin under "make check-valgrind": runs it under
# valgrind's memcheck, with any error or definite leak turned into exit code
# 99 (which no check expects) and the reports kept in VALGRIND_LOGDIR.
exec valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--log-file="${VALGRIND_LOGDIR:?}/%p.log" "${REAL_PLUGIN:?}" "$@"
