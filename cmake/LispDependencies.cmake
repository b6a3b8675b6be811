# Third-party libraries, found once for every build mode (see CMakeLists.txt).
#   OpenSSL::Crypto  always (lisp_auth.c uses the OpenSSL 3 EVP_MAC API)
#   lisp::pcap       examples; required stand-alone, optional in an ns-3 tree
#   lisp::cmocka     unit tests; optional (they are skipped with a message)
#   ns3::lib<name>   stand-alone with LISP_WITH_NS3 (in an ns-3 tree, ns-3 provides them)
#   Python3          the build/* consistency test and the Wireshark test

find_package(OpenSSL 3.0 REQUIRED COMPONENTS Crypto)

# libpcap and cmocka: plain header + library lookups, so pkg-config is not needed.
find_path(LISP_PCAP_INCLUDE_DIR pcap/pcap.h)
find_library(LISP_PCAP_LIBRARY pcap)
if(LISP_PCAP_INCLUDE_DIR AND LISP_PCAP_LIBRARY)
  add_library(lisp::pcap UNKNOWN IMPORTED)
  set_target_properties(lisp::pcap PROPERTIES IMPORTED_LOCATION "${LISP_PCAP_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${LISP_PCAP_INCLUDE_DIR}")
elseif(NOT LISP_IN_NS3_TREE AND NOT LISP_FUZZ)
  message(FATAL_ERROR "libpcap not found; the example programs need it "
                      "(apt-get install libpcap-dev, or run scripts/install-deps.sh)")
endif()

if(NOT LISP_IN_NS3_TREE AND NOT LISP_FUZZ)
  find_path(LISP_CMOCKA_INCLUDE_DIR cmocka.h)
  find_library(LISP_CMOCKA_LIBRARY cmocka)
  if(LISP_CMOCKA_INCLUDE_DIR AND LISP_CMOCKA_LIBRARY)
    add_library(lisp::cmocka UNKNOWN IMPORTED)
    set_target_properties(lisp::cmocka PROPERTIES IMPORTED_LOCATION "${LISP_CMOCKA_LIBRARY}"
                          INTERFACE_INCLUDE_DIRECTORIES "${LISP_CMOCKA_INCLUDE_DIR}")
  else()
    message(STATUS "cmocka not found: unit tests will not be built (apt-get install libcmocka-dev)")
  endif()
  find_package(Python3 COMPONENTS Interpreter)
endif()

# Debian's ns-3 3.37 package exports include directories of the machine it was built on
# (/usr/include/python3.11, /usr/include/libxml2) although libns3-dev depends on neither
# package, and CMake refuses imported targets whose include directories do not exist.
# Drop the missing ones from every ns-3 target reachable from `target`.
function(lisp_prune_missing_includes target)
  get_property(seen GLOBAL PROPERTY LISP_PRUNED_TARGETS)
  if(target IN_LIST seen OR NOT TARGET ${target})
    return()
  endif()
  set_property(GLOBAL APPEND PROPERTY LISP_PRUNED_TARGETS ${target})
  get_target_property(dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
  if(dirs)
    set(kept "")
    foreach(dir IN LISTS dirs)
      if(EXISTS "${dir}")
        list(APPEND kept "${dir}")
      endif()
    endforeach()
    set_target_properties(${target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${kept}")
  endif()
  get_target_property(deps ${target} INTERFACE_LINK_LIBRARIES)
  foreach(dep IN LISTS deps)
    if(dep MATCHES "^ns3::")
      lisp_prune_missing_includes(${dep})
    endif()
  endforeach()
endfunction()

# lisp_ns3_target(<variable> <module>): the imported target of an installed ns-3 module,
# ns3::lib<module> (ns3::<module> from ns-3.43 on), its missing include folders pruned.
function(lisp_ns3_target variable module)
  if(TARGET ns3::lib${module})
    set(target ns3::lib${module})
  elseif(TARGET ns3::${module})
    set(target ns3::${module})
  else()
    message(FATAL_ERROR "the installed ns-3 ${ns3_VERSION} lacks the module '${module}'")
  endif()
  lisp_prune_missing_includes(${target})
  set(${variable} ${target} PARENT_SCOPE)
endfunction()

if(LISP_WITH_NS3 AND NOT LISP_IN_NS3_TREE AND NOT LISP_FUZZ)
  # No version in find_package: Debian's ns3ConfigVersion.cmake accepts only exact matches.
  find_package(ns3 CONFIG QUIET)
  if(NOT ns3_FOUND)
    set(problem "ns-3 was not found")
  elseif(ns3_VERSION VERSION_LESS 3.37)
    set(problem "ns-3 ${ns3_VERSION} was found in ${ns3_DIR}, but 3.37 or later is needed")
  endif()
  if(DEFINED problem)
    message(FATAL_ERROR
      "${problem}. Either install ns-3 (apt-get install ns3 libns3-dev libgsl-dev, or run "
      "scripts/install-deps.sh; for an ns-3 installed elsewhere pass "
      "-DCMAKE_PREFIX_PATH=<its prefix>), or build only the C engines with -DLISP_WITH_NS3=OFF.")
  endif()
  set(LISP_NS3_TARGETS "")
  foreach(module IN LISTS LISP_NS3_MODULES)
    lisp_ns3_target(target ${module})
    list(APPEND LISP_NS3_TARGETS ${target})
  endforeach()
  message(STATUS "Building the ns-3 module against ns-3 ${ns3_VERSION} (${ns3_DIR})")
endif()

# The ns-3 version the module builds against, for model/lisp-ns3-compat.h: the compile
# definitions LISP_NS3_VERSION_MAJOR and LISP_NS3_VERSION_MINOR in LISP_NS3_DEFINITIONS,
# and LISP_NS3_CXX_STANDARD, the C++ standard of the ns-3 code (ns-3.41 requires C++20).
# Stand-alone the version comes from find_package(ns3); in an ns-3 tree from the tree
# (NS3_VER, read by ns-3 from its VERSION file: "3.37", or "3-dev" for a development
# tree, which counts as 3.999).
if(LISP_IN_NS3_TREE)
  if(DEFINED NS3_VER)
    set(LISP_NS3_VERSION ${NS3_VER})
  else()
    file(STRINGS ${PROJECT_SOURCE_DIR}/VERSION LISP_NS3_VERSION LIMIT_COUNT 1)
  endif()
elseif(LISP_WITH_NS3 AND NOT LISP_FUZZ)
  set(LISP_NS3_VERSION ${ns3_VERSION})
endif()
if(DEFINED LISP_NS3_VERSION)
  if(LISP_NS3_VERSION MATCHES "^([0-9]+)\\.([0-9]+)")
    set(LISP_NS3_DEFINITIONS LISP_NS3_VERSION_MAJOR=${CMAKE_MATCH_1}
                             LISP_NS3_VERSION_MINOR=${CMAKE_MATCH_2})
  elseif(LISP_NS3_VERSION MATCHES "^([0-9]+)-dev")
    set(LISP_NS3_DEFINITIONS LISP_NS3_VERSION_MAJOR=${CMAKE_MATCH_1} LISP_NS3_VERSION_MINOR=999)
  else()
    message(FATAL_ERROR "cannot read the ns-3 version '${LISP_NS3_VERSION}'")
  endif()
  set(LISP_NS3_CXX_STANDARD 17)
  if(LISP_NS3_VERSION VERSION_GREATER_EQUAL 3.41 OR LISP_NS3_VERSION MATCHES "-dev")
    set(LISP_NS3_CXX_STANDARD 20)
  endif()
  message(STATUS "ns-3 ${LISP_NS3_VERSION}: ${LISP_NS3_DEFINITIONS}, C++${LISP_NS3_CXX_STANDARD}")
endif()
