# Script (cmake -P): run libFuzzer binaries for a while each and report executions and
# crashes per target. Used by the fuzz/<name> tests and by `make fuzz`.
#   -DFUZZERS=a,b -DBIN_DIR=<fuzzer binaries> -DWORK_DIR=<corpora and crash artifacts>
#   -DSEED_DIR=<seed corpora, read only> -DSECONDS=n [-DSECONDS_ENV=<variable overriding n>]
# Each fuzzer grows its own corpus WORK_DIR/corpus/<name>, seeded once from
# SEED_DIR/<name>/ if it exists; the source tree is never written. Crash inputs land in
# WORK_DIR/artifacts/<name>/.
if(SECONDS_ENV AND DEFINED ENV{${SECONDS_ENV}})
  set(SECONDS "$ENV{${SECONDS_ENV}}")
endif()
string(REPLACE "," ";" FUZZERS "${FUZZERS}")
if(NOT FUZZERS)
  message(STATUS "no fuzz targets registered (lisp_add_fuzz_target in CMakeLists.txt)")
  return()
endif()

set(failed "")
foreach(name IN LISTS FUZZERS)
  set(corpus ${WORK_DIR}/corpus/${name})
  set(artifacts ${WORK_DIR}/artifacts/${name})
  file(MAKE_DIRECTORY ${corpus} ${artifacts})
  if(IS_DIRECTORY ${SEED_DIR}/${name})
    file(COPY ${SEED_DIR}/${name}/ DESTINATION ${corpus})
  endif()
  file(GLOB before ${artifacts}/*)
  execute_process(
    COMMAND ${BIN_DIR}/${name} -max_total_time=${SECONDS} -timeout=10 -print_final_stats=1
            -artifact_prefix=${artifacts}/ ${corpus}
    RESULT_VARIABLE status OUTPUT_VARIABLE log ERROR_VARIABLE log)
  file(GLOB after ${artifacts}/*)
  list(LENGTH before n_before)
  list(LENGTH after n_after)
  math(EXPR crashes "${n_after} - ${n_before}")
  set(executions "?")
  if(log MATCHES "stat::number_of_executed_units: *([0-9]+)")
    set(executions ${CMAKE_MATCH_1})
  endif()
  message("fuzz ${name}: ${executions} executions in ${SECONDS} s, ${crashes} crashes")
  if(NOT status EQUAL 0 OR crashes GREATER 0)
    message("${log}")
    message("fuzz ${name}: FAILED (exit status ${status}); crash inputs in ${artifacts}/")
    list(APPEND failed ${name})
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "fuzzers that failed: ${failed}")
endif()
