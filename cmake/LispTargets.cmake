# The libraries: the C engines (lisp-engine and its sanitizer/fuzzer copies) and, in the
# stand-alone build, the ns-3 module ns3-lisp. In an ns-3 tree build_lib() makes the module.

# Warnings for everything this project compiles (not for ns-3's headers, which are
# system includes of the imported targets).
function(lisp_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra $<$<BOOL:${LISP_WERROR}>:-Werror>)
endfunction()

# lisp_add_engine(<target> [<compile flag>...])
#   A static copy of the C engines, compiled with the extra flags (sanitizers, fuzzer
#   instrumentation); those apply to the engine's own objects only. PIC because the ns-3
#   module, a shared library, links it. Strict C11: the engines are portable C.
function(lisp_add_engine target)
  set(files ${LISP_ENGINE_SOURCES} ${LISP_ENGINE_HEADERS} ${LISP_ENGINE_PRIVATE_HEADERS})
  list(TRANSFORM files PREPEND ${LISP_SOURCE_DIR}/)
  add_library(${target} STATIC ${files})
  set_target_properties(${target} PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON
                        C_EXTENSIONS OFF POSITION_INDEPENDENT_CODE ON)
  # Every component folder for "lisp.h" (and the private headers, for unit tests); the
  # generated include directory for "ns3/lisp.h", the spelling ns-3 code uses.
  # BUILD_INTERFACE: in an ns-3 tree the engine joins ns-3's export set (CMakeLists.txt),
  # which must not carry source-tree paths; installed users get ns-3's include directory.
  set(dirs ${LISP_ENGINE_DIRS})
  list(TRANSFORM dirs PREPEND "$<BUILD_INTERFACE:${LISP_SOURCE_DIR}/")
  list(TRANSFORM dirs APPEND ">")
  target_include_directories(${target} PUBLIC ${dirs} $<BUILD_INTERFACE:${LISP_INCLUDE_DIR}>)
  target_link_libraries(${target} PUBLIC OpenSSL::Crypto)
  target_compile_options(${target} PRIVATE ${ARGN})
  lisp_warnings(${target})
  if(TARGET copy_all_headers)
    # ns-3 tree: users of the engine include "ns3/..." headers that ns-3 copies at build time
    add_dependencies(${target} copy_all_headers)
  endif()
endfunction()

# Stand-alone: give "ns3/<header>" the meaning it has in an ns-3 tree, by copying the
# module's public headers to ${LISP_INCLUDE_DIR}/ns3 (refreshed whenever one changes).
function(lisp_copy_public_headers)
  foreach(header IN LISTS ARGN)
    get_filename_component(name ${header} NAME)
    configure_file(${LISP_SOURCE_DIR}/${header} ${LISP_INCLUDE_DIR}/ns3/${name} COPYONLY)
  endforeach()
endfunction()

# Stand-alone: the ns-3 module ns3-lisp, and lisp-ns3-tests, the runner of the TestSuites
# collected by lisp_add_ns3_test_suite() in LISP_NS3_TEST_SOURCES.
function(lisp_add_ns3_library)
  set(files ${LISP_NS3_SOURCES} ${LISP_NS3_HEADERS})
  list(TRANSFORM files PREPEND ${LISP_SOURCE_DIR}/)
  add_library(ns3-lisp SHARED ${files})
  target_link_libraries(ns3-lisp PUBLIC lisp-engine ${LISP_NS3_TARGETS})
  target_compile_definitions(ns3-lisp PUBLIC ${LISP_NS3_DEFINITIONS}) # lisp-ns3-compat.h
  set_target_properties(ns3-lisp PROPERTIES CXX_STANDARD ${LISP_NS3_CXX_STANDARD}
                        CXX_STANDARD_REQUIRED ON
                        CXX_EXTENSIONS OFF LIBRARY_OUTPUT_DIRECTORY ${LISP_OUTPUT_DIR}/lib)
  lisp_warnings(ns3-lisp)

  if(LISP_NS3_TEST_SOURCES)
    set(tests ${LISP_NS3_TEST_SOURCES})
    list(TRANSFORM tests PREPEND ${LISP_SOURCE_DIR}/)
    add_executable(lisp-ns3-tests ${LISP_SOURCE_DIR}/test/lisp-ns3-test-runner.cc ${tests})
    target_link_libraries(lisp-ns3-tests PRIVATE ns3-lisp)
    set_target_properties(lisp-ns3-tests PROPERTIES CXX_STANDARD ${LISP_NS3_CXX_STANDARD}
                          CXX_STANDARD_REQUIRED ON
                          CXX_EXTENSIONS OFF RUNTIME_OUTPUT_DIRECTORY ${LISP_OUTPUT_DIR}/test)
    lisp_warnings(lisp-ns3-tests)
  endif()
endfunction()

# lisp_add_bench(<name> [<extra source>...])
#   A benchmark program test/bench/<name>.c (plus the extra sources, relative to the
#   repository; test/support is on its include path), built into <build>/bench and run by
#   `make bench` (never by ctest: speed goals are measured, not asserted). Each accepts
#   --quick and --out FILE (appends its table as markdown).
function(lisp_add_bench name)
  set(sources test/bench/${name}.c ${ARGN})
  list(TRANSFORM sources PREPEND ${LISP_SOURCE_DIR}/)
  add_executable(${name} ${sources})
  target_include_directories(${name} PRIVATE ${LISP_SOURCE_DIR}/test/support)
  target_link_libraries(${name} PRIVATE lisp-engine)
  set_target_properties(${name} PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON
                        RUNTIME_OUTPUT_DIRECTORY ${LISP_OUTPUT_DIR}/bench)
  lisp_warnings(${name})
endfunction()

# lisp_add_ns3_bench(<name>)
#   A benchmark program test/bench/<name>.cc that runs ns-3 simulations, linked against the
#   module; built into <build>/bench, like lisp_add_bench, only when the stand-alone build
#   builds the ns-3 module (not in engine-only, fuzzer or ns-3-tree builds).
function(lisp_add_ns3_bench name)
  if(LISP_IN_NS3_TREE OR LISP_FUZZ OR NOT LISP_WITH_NS3)
    return()
  endif()
  add_executable(${name} ${LISP_SOURCE_DIR}/test/bench/${name}.cc)
  target_link_libraries(${name} PRIVATE ns3-lisp)
  set_target_properties(${name} PROPERTIES CXX_STANDARD ${LISP_NS3_CXX_STANDARD}
                        CXX_STANDARD_REQUIRED ON
                        CXX_EXTENSIONS OFF RUNTIME_OUTPUT_DIRECTORY ${LISP_OUTPUT_DIR}/bench)
  lisp_warnings(${name})
endfunction()
