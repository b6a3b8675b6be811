# Test plumbing. Every test is a ctest test named <kind>/<name>:
#   unit/<name>  asan/<name>   cmocka unit tests, plain and with ASan+UBSan
#   fuzz/build   fuzz/<name>   libFuzzer targets, built by clang in a nested build
#   ns3/<suite>                ns-3 TestSuites (stand-alone: lisp-ns3-tests --suite=<suite>)
#   build/<name>               checks of the build itself
#   wireshark/<name>           python3 checks of our captures (lisp_add_python_test)
# In an ns-3 tree only the TestSuites (into ns-3's test-runner; run them with test.py) and
# build/cxx-include are built; the other kinds need the stand-alone or engine-only build.

# The TestSuite sources that lisp_add_ns3_test_suite() collects; none before the first
# (defined, so that CMake's --warn-uninitialized, which ns-3 trees may use, stays quiet).
set(LISP_NS3_TEST_SOURCES "")

set(LISP_SANITIZE_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=all)
set(LISP_SANITIZE_ENV "ASAN_OPTIONS=halt_on_error=1:detect_leaks=1"
                      "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1")
set(LISP_FUZZ_FLAGS -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
                    -fno-sanitize-recover=undefined)

# lisp_add_unit_test(<name> [<extra source>...])
#   The cmocka program test/unit/<name>.c (plus extra sources such as
#   test/unit/lisp_test_util.c), built twice: unit/<name> links lisp-engine, asan/<name>
#   links lisp-engine-asan and is itself compiled with the sanitizers.
function(lisp_add_unit_test name)
  if(LISP_IN_NS3_TREE OR LISP_FUZZ)
    return()
  endif()
  if(NOT TARGET lisp::cmocka)
    message(STATUS "cmocka not found: unit test ${name} not built")
    return()
  endif()
  set(sources test/unit/${name}.c ${ARGN})
  list(TRANSFORM sources PREPEND ${LISP_SOURCE_DIR}/)
  list(REMOVE_DUPLICATES sources)
  if(NOT TARGET lisp-engine-asan)
    lisp_add_engine(lisp-engine-asan ${LISP_SANITIZE_FLAGS})
  endif()
  foreach(kind unit asan)
    add_executable(lisp-${kind}-${name} ${sources})
    set_target_properties(lisp-${kind}-${name} PROPERTIES OUTPUT_NAME ${name} C_STANDARD 11
                          RUNTIME_OUTPUT_DIRECTORY ${LISP_OUTPUT_DIR}/test/${kind})
    target_include_directories(lisp-${kind}-${name} PRIVATE ${LISP_SOURCE_DIR}/test/unit
                                                        ${LISP_SOURCE_DIR}/test/support)
    lisp_warnings(lisp-${kind}-${name})
    add_test(NAME ${kind}/${name} COMMAND lisp-${kind}-${name})
  endforeach()
  target_link_libraries(lisp-unit-${name} PRIVATE lisp-engine lisp::cmocka)
  target_link_libraries(lisp-asan-${name} PRIVATE lisp-engine-asan lisp::cmocka)
  target_compile_options(lisp-asan-${name} PRIVATE ${LISP_SANITIZE_FLAGS})
  target_link_options(lisp-asan-${name} PRIVATE ${LISP_SANITIZE_FLAGS})
  set_tests_properties(asan/${name} PROPERTIES ENVIRONMENT "${LISP_SANITIZE_ENV}")
endfunction()

# lisp_add_fuzz_target(<name> <source>)
#   A libFuzzer target (<source> defines LLVMFuzzerTestOneInput). libFuzzer needs clang
#   while the main build uses the default compiler, so the main build only registers
#   fuzz/<name>: it runs the fuzzer for LISP_FUZZ_SMOKE_SECONDS on a corpus under
#   build/fuzz/corpus/<name>, seeded from test/fuzz/corpus/<name>/ if that exists, after
#   the fixture fuzz/build has built all fuzzers with clang in build/fuzz (LISP_FUZZ=ON).
#   `make fuzz` runs every fuzzer longer (FUZZ_SECONDS).
function(lisp_add_fuzz_target name source)
  if(LISP_IN_NS3_TREE)
    return()
  endif()
  if(LISP_FUZZ)
    if(NOT TARGET lisp-engine-fuzz)
      lisp_add_engine(lisp-engine-fuzz -fsanitize=fuzzer-no-link,address,undefined
                      -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
      add_custom_target(lisp-fuzzers)
    endif()
    add_executable(lisp-fuzz-${name} ${LISP_SOURCE_DIR}/${source})
    set_target_properties(lisp-fuzz-${name} PROPERTIES OUTPUT_NAME ${name} C_STANDARD 11
                          RUNTIME_OUTPUT_DIRECTORY ${LISP_BINARY_DIR}/fuzzers)
    target_link_libraries(lisp-fuzz-${name} PRIVATE lisp-engine-fuzz)
    target_compile_options(lisp-fuzz-${name} PRIVATE ${LISP_FUZZ_FLAGS})
    target_link_options(lisp-fuzz-${name} PRIVATE ${LISP_FUZZ_FLAGS})
    lisp_warnings(lisp-fuzz-${name})
    add_dependencies(lisp-fuzzers lisp-fuzz-${name})
    return()
  endif()
  set_property(TARGET fuzz APPEND PROPERTY LISP_FUZZ_TARGETS ${name})
  if(NOT TEST fuzz/build)
    add_test(NAME fuzz/build COMMAND ${CMAKE_COMMAND} -DFUZZERS=${name} ${LISP_FUZZ_BUILD_ARGS}
                                     -P ${LISP_SOURCE_DIR}/cmake/LispBuildFuzzers.cmake)
    set_tests_properties(fuzz/build PROPERTIES FIXTURES_SETUP lisp-fuzzers)
  endif()
  add_test(NAME fuzz/${name}
           COMMAND ${CMAKE_COMMAND} -DFUZZERS=${name} -DSECONDS=${LISP_FUZZ_SMOKE_SECONDS}
                   ${LISP_FUZZ_RUN_ARGS} -P ${LISP_SOURCE_DIR}/cmake/LispRunFuzzers.cmake)
  set_tests_properties(fuzz/${name} PROPERTIES FIXTURES_REQUIRED lisp-fuzzers)
endfunction()

# lisp_add_ns3_test_suite(<suite-name> <source>)
#   An ns-3 TestSuite source (test/*-test-suite.cc) that registers the suite <suite-name>.
#   In an ns-3 tree it goes to build_lib's TEST_SOURCES; stand-alone into lisp-ns3-tests,
#   registered as ns3/<suite-name>. Call it before the module is defined.
function(lisp_add_ns3_test_suite suite source)
  set(LISP_NS3_TEST_SOURCES ${LISP_NS3_TEST_SOURCES} ${source} PARENT_SCOPE)
  if(LISP_IN_NS3_TREE OR NOT LISP_WITH_NS3 OR LISP_FUZZ)
    return()
  endif()
  # TestRunner fails ("no tests match") on a suite name that no TestSuite registers.
  add_test(NAME ns3/${suite} COMMAND lisp-ns3-tests --suite=${suite})
endfunction()

# lisp_add_cxx_include_test(<source>)
#   build/cxx-include: <source> includes the public C headers from C++ and runs; built in
#   every mode that has a C++ compiler.
function(lisp_add_cxx_include_test source)
  if(LISP_FUZZ OR NOT CMAKE_CXX_COMPILER)
    return()
  endif()
  add_executable(lisp-cxx-include-test ${LISP_SOURCE_DIR}/${source})
  target_link_libraries(lisp-cxx-include-test PRIVATE lisp-engine)
  set_target_properties(lisp-cxx-include-test PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON
                        RUNTIME_OUTPUT_DIRECTORY ${LISP_OUTPUT_DIR}/test)
  lisp_warnings(lisp-cxx-include-test)
  add_test(NAME build/cxx-include COMMAND lisp-cxx-include-test)
endfunction()

# lisp_add_python_test(<test-name> <script> [<argument>...])
#   A python3 script run from the source directory; exit status 77 means "skipped".
function(lisp_add_python_test name script)
  if(LISP_IN_NS3_TREE OR LISP_FUZZ)
    return()
  endif()
  if(NOT Python3_Interpreter_FOUND)
    message(STATUS "python3 not found: test ${name} not registered")
    return()
  endif()
  add_test(NAME ${name} COMMAND ${Python3_EXECUTABLE} ${LISP_SOURCE_DIR}/${script} ${ARGN}
           WORKING_DIRECTORY ${LISP_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77)
endfunction()

# The nested libFuzzer build and the `fuzz` target of the main build.
if(NOT LISP_IN_NS3_TREE AND NOT LISP_FUZZ)
  set(LISP_FUZZ_BUILD_ARGS -DSOURCE_DIR=${LISP_SOURCE_DIR} -DBUILD_DIR=${LISP_BINARY_DIR}/fuzz
      -DC_COMPILER=${LISP_FUZZ_C_COMPILER} "-DGENERATOR=${CMAKE_GENERATOR}"
      -DWERROR=${LISP_WERROR})
  set(LISP_FUZZ_RUN_ARGS -DBIN_DIR=${LISP_BINARY_DIR}/fuzz/fuzzers
      -DWORK_DIR=${LISP_BINARY_DIR}/fuzz -DSEED_DIR=${LISP_SOURCE_DIR}/test/fuzz/corpus)
  set(fuzzers "-DFUZZERS=$<JOIN:$<TARGET_PROPERTY:fuzz,LISP_FUZZ_TARGETS>,$<COMMA>>")
  add_custom_target(fuzz
    COMMAND ${CMAKE_COMMAND} ${fuzzers} ${LISP_FUZZ_BUILD_ARGS}
            -P ${LISP_SOURCE_DIR}/cmake/LispBuildFuzzers.cmake
    COMMAND ${CMAKE_COMMAND} ${fuzzers} -DSECONDS_ENV=FUZZ_SECONDS -DSECONDS=60
            ${LISP_FUZZ_RUN_ARGS} -P ${LISP_SOURCE_DIR}/cmake/LispRunFuzzers.cmake
    COMMENT "Fuzzing every lisp_add_fuzz_target for FUZZ_SECONDS (default 60) each"
    USES_TERMINAL VERBATIM)
  unset(fuzzers)
endif()
