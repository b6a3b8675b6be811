/*
 * lisp-nat-chain-helper.h - the topology of the NAT experiments: inside hosts behind one
 * NAT or a stack of NATs, a public router, and an RFC 5780 STUN server with two addresses.
 *
 *   hosts 10.0.0.2.. --LAN-- [NAT n] -- 100.64.(n-1).0/24 -- ... -- [NAT 1]
 *        -- 198.51.100.0/30 -- router -- 203.0.113.0/24 -- STUN server (.2 and .3)
 *
 *   LispNatChainHelper chain;
 *   chain.SetNatAttribute("UdpTimeout", TimeValue(Seconds(30)));
 *   LispNatChain c = chain.Build({"carrier-grade", "restricted-cone"});  // outermost first
 *   // c.hosts, c.nats[i], c.server, c.serverPrimary ...
 *
 * NAT 1 (presets[0]) is the outermost, the one with the public address 198.51.100.1; the
 * hosts sit on a LAN behind the last. Every link is 100 Mb/s with 2 ms delay (the LAN: no
 * delay); routes are static and default routes point outward, so, as on the Internet, the
 * public side has no route to the private addresses. The STUN server (LispStunServer) runs
 * from time 0 on its two addresses, ports 3478 and 3479.
 */
#ifndef LISP_NAT_CHAIN_HELPER_H
#define LISP_NAT_CHAIN_HELPER_H

#include "ns3/ipv4-address.h"
#include "ns3/lisp-nat-helper.h"
#include "ns3/lisp-stun-server.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"

#include <string>
#include <vector>

namespace ns3
{

/** \ingroup lisp What LispNatChainHelper::Build made. */
struct LispNatChain {
    NodeContainer hosts; // on the LAN behind the innermost NAT
    std::vector<Ipv4Address> hostAddresses;
    NodeContainer natRouters;          // outermost first
    std::vector<Ptr<LispNat>> nats;    // outermost first
    NetDeviceContainer insideDevices;  // of each NAT router, outermost first
    NetDeviceContainer outsideDevices; // of each NAT router, outermost first
    Ptr<Node> router;                  // the public router
    Ptr<Node> server;                  // the STUN server
    Ptr<LispStunServer> stun;
    Ipv4Address serverPrimary;   // 203.0.113.2
    Ipv4Address serverAlternate; // 203.0.113.3
    Ipv4Address publicAddress;   // the outermost NAT's, 198.51.100.1
};

/** \ingroup lisp Builds the NAT experiments' topology (see the file comment). */
class LispNatChainHelper
{
  public:
    /** An attribute of every NAT (LispNat) of the chains this helper builds. */
    void SetNatAttribute(const std::string &name, const AttributeValue &value);

    /** Hosts on the inside LAN (default 1). */
    void SetHosts(uint32_t hosts);

    /** A chain with one NAT per preset, outermost first (at least one). */
    LispNatChain Build(const std::vector<std::string> &presets) const;

    /** Pcaps on both sides of every NAT: <prefix>-nat<i>-inside.pcap and
     * <prefix>-nat<i>-outside.pcap, i = 1 for the outermost. */
    static void EnablePcap(const LispNatChain &chain, const std::string &prefix);

  private:
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> m_natAttributes;
    uint32_t m_hosts = 1;
};

} // namespace ns3

#endif /* LISP_NAT_CHAIN_HELPER_H */
