# Script (cmake -P): configure and build the libFuzzer targets with clang in a nested
# build of the same sources (LISP_FUZZ=ON). Run by the ctest fixture fuzz/build and by the
# `fuzz` target; fails loudly when clang or libFuzzer is missing.
#   -DFUZZERS=a,b -DSOURCE_DIR=... -DBUILD_DIR=... -DC_COMPILER=clang -DGENERATOR=...
#   -DWERROR=ON|OFF
if(NOT FUZZERS)
  return() # nothing to build; LispRunFuzzers.cmake reports that no fuzzer is registered
endif()

find_program(compiler NAMES ${C_COMPILER})
if(NOT compiler)
  message(FATAL_ERROR "fuzzing needs clang with libFuzzer, but '${C_COMPILER}' was not found: "
                      "run scripts/install-deps.sh (packages clang libclang-rt-14-dev) or "
                      "configure with -DLISP_FUZZ_C_COMPILER=<clang>")
endif()

execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BUILD_DIR} -G ${GENERATOR}
          -DCMAKE_C_COMPILER=${compiler} -DCMAKE_BUILD_TYPE=RelWithDebInfo
          -DLISP_WITH_NS3=OFF -DLISP_FUZZ=ON -DLISP_WERROR=${WERROR}
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "configuring the libFuzzer build in ${BUILD_DIR} failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target lisp-fuzzers -j 2
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "building the fuzzers failed (is libclang-rt-14-dev, libFuzzer, installed?)")
endif()
