/*
 * lisp-ns3-compat.h - the differences between the ns-3 releases the module supports
 * (ns-3.37 and later), in one place, so that one source tree builds without warnings on
 * each of them.
 *
 * The build passes the version of the ns-3 it builds against as compile definitions
 * LISP_NS3_VERSION_MAJOR and LISP_NS3_VERSION_MINOR (3 and 37 for ns-3.37; a development
 * tree, "3-dev", counts as 3.999): CMakeLists.txt takes them from find_package(ns3)
 * stand-alone and from the tree's VERSION in an ns-3 source tree; they are public compile
 * definitions of the module, so programs and tests that use it get the same ones.
 *
 * Only what differs goes here, each with the release that changed it (CHANGES.md of
 * ns-3). Spellings that every supported release accepts need no entry: test suites name
 * their type as TestSuite::Type::SYSTEM and add cases with AddTestCase(tc) (the
 * duration defaults to quick), which compile unchanged from ns-3.37 to the releases that
 * removed TestSuite::SYSTEM and TestCase::QUICK (3.46).
 */
#ifndef LISP_NS3_COMPAT_H
#define LISP_NS3_COMPAT_H

#include "ns3/enum.h"

#if !defined(LISP_NS3_VERSION_MAJOR) || !defined(LISP_NS3_VERSION_MINOR)
#error "LISP_NS3_VERSION_MAJOR/MINOR undefined: build with the lisp module's CMake or waf files"
#endif

/** True when building against ns-<major>.<minor> or later. */
#define LISP_NS3_AT_LEAST(major, minor)                                                            \
    (LISP_NS3_VERSION_MAJOR > (major) ||                                                           \
     (LISP_NS3_VERSION_MAJOR == (major) && LISP_NS3_VERSION_MINOR >= (minor)))

/*
 * ns-3.39: Ipv4RoutingProtocol::RouteInput and Ipv6RoutingProtocol::RouteInput take their
 * four callbacks by const reference. An override spells each parameter type as
 * LISP_NS3_ROUTE_INPUT_CALLBACK(UnicastForwardCallback) ucb, and so on.
 */
#if LISP_NS3_AT_LEAST(3, 39)
#define LISP_NS3_ROUTE_INPUT_CALLBACK(type) const type &
#else
#define LISP_NS3_ROUTE_INPUT_CALLBACK(type) type
#endif

/*
 * ns-3.38: the Ping application (ns3/ping-helper.h, internet-apps) replaces V4Ping, which
 * 3.41 removed. Ping's Rtt trace source carries (uint16_t seq, Time rtt), V4Ping's (Time
 * rtt); Ping prints every reply unless its VerboseMode attribute is SILENT. Programs choose
 * with #if LISP_NS3_HAS_PING (internet-apps is not a dependency of the module, so the
 * helper itself is not wrapped here).
 */
#define LISP_NS3_HAS_PING LISP_NS3_AT_LEAST(3, 38)

namespace ns3
{

/**
 * MakeEnumAccessor for an attribute of enum type E. ns-3.41 made EnumValue a template
 * (EnumValue<E>) and MakeEnumAccessor must then name the enum type; earlier releases have
 * no such template parameter.
 */
template <typename E, typename Member>
Ptr<const AttributeAccessor> LispMakeEnumAccessor(Member member)
{
#if LISP_NS3_AT_LEAST(3, 41)
    return MakeEnumAccessor<E>(member);
#else
    return MakeEnumAccessor(member);
#endif
}

} // namespace ns3

#endif /* LISP_NS3_COMPAT_H */
