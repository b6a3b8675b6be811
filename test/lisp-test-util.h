/*
 * lisp-test-util.h - what the ns-3 TestSuites of the module share besides the trace
 * recorder (ns3/lisp-trace-recorder.h): an assertion that stops the check, a route
 * lookup, a /30 point-to-point link, and the IPv6 end-system model of hand-built
 * multi-homed nodes. Included by the test suites (test/lisp-*-test-suite.cc) only.
 */
#ifndef LISP_TEST_UTIL_H
#define LISP_TEST_UTIL_H

#include "ns3/boolean.h"
#include "ns3/internet-module.h"
#include "ns3/lisp-ns3-compat.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/test.h"

/* The test runner goes on after a failed assertion (unless --stop-on-failure): stop the
 * check where going on would dereference what failed. */
#define REQUIRE(condition, msg)                                                                    \
    do {                                                                                           \
        NS_TEST_ASSERT_MSG_EQ(bool(condition), true, msg);                                         \
        if (!(condition)) {                                                                        \
            return;                                                                                \
        }                                                                                          \
    } while (false)

namespace ns3
{
namespace lisptest
{

/* The route `node`'s routing protocol gives for a packet to `destination` (nullptr: none). */
inline Ptr<Ipv4Route> LookupRoute(Ptr<Node> node, const char *destination)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    Ipv4Header header;
    header.SetDestination(Ipv4Address(destination));
    Socket::SocketErrno err;
    return ipv4->GetRoutingProtocol()->RouteOutput(Create<Packet>(), header, nullptr, err);
}

/* The weak end-system model for IPv6 on `node`, on every ns-3 release: it accepts a packet
 * for any of its addresses on any interface. ns-3.37 knows no other; from ns-3.41 IPv6
 * follows the strong model by default (Ipv6::StrongEndSystemModel, RFC 1122 3.3.4.2) and
 * drops such a packet. For a multi-homed router that a test addresses through one of its
 * links from the other, as a Map-Server in the middle of a hand-built core
 * (docs/design.md, "ns-3 releases"). */
inline void UseWeakEndSystemModel6(Ptr<Node> node)
{
#if LISP_NS3_AT_LEAST(3, 41)
    node->GetObject<Ipv6>()->SetAttribute("StrongEndSystemModel", BooleanValue(false));
#else
    (void)node;
#endif
}

/* A /30 point-to-point link (100 Mb/s, 2 ms), a: .1, b: .2. */
struct Link {
    Ipv4Address addrA;
    Ipv4Address addrB;
    uint32_t ifB; // b's Ipv4 interface index
};

inline Link Connect(Ptr<Node> a, Ptr<Node> b, const char *net)
{
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    Ipv4AddressHelper addresses;
    addresses.SetBase(net, "255.255.255.252");
    Ipv4InterfaceContainer ifaces = addresses.Assign(p2p.Install(a, b));
    return {ifaces.GetAddress(0), ifaces.GetAddress(1), ifaces.Get(1).second};
}

} // namespace lisptest
} // namespace ns3

#endif /* LISP_TEST_UTIL_H */
