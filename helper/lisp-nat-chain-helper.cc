/*
 * lisp-nat-chain-helper.cc - the topology of the NAT experiments (lisp-nat-chain-helper.h).
 */
#include "lisp-nat-chain-helper.h"

#include "ns3/abort.h"
#include "ns3/csma-helper.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/string.h"

#include <sstream>

namespace ns3
{

namespace
{

/* The /30 and /24 links of the chain: a's and b's interface indices and addresses. */
struct Link {
    Ptr<NetDevice> devA, devB;
    uint32_t ifA, ifB;
    Ipv4Address addrA, addrB;
};

Link Connect(Ptr<Node> a, Ptr<Node> b, const char *net, const char *mask)
{
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    NetDeviceContainer devices = p2p.Install(a, b);
    Ipv4AddressHelper addresses;
    addresses.SetBase(net, mask);
    Ipv4InterfaceContainer ifs = addresses.Assign(devices);
    return {devices.Get(0),    devices.Get(1),    ifs.Get(0).second,
            ifs.Get(1).second, ifs.GetAddress(0), ifs.GetAddress(1)};
}

void DefaultRoute(Ptr<Node> node, Ipv4Address gateway, uint32_t interface)
{
    Ipv4StaticRoutingHelper routing;
    routing.GetStaticRouting(node->GetObject<Ipv4>())->SetDefaultRoute(gateway, interface);
}

} // namespace

void LispNatChainHelper::SetNatAttribute(const std::string &name, const AttributeValue &value)
{
    m_natAttributes.emplace_back(name, value.Copy());
}

void LispNatChainHelper::SetHosts(uint32_t hosts)
{
    NS_ABORT_MSG_IF(hosts == 0 || hosts > 200, "LispNatChainHelper: 1 to 200 hosts");
    m_hosts = hosts;
}

LispNatChain LispNatChainHelper::Build(const std::vector<std::string> &presets) const
{
    NS_ABORT_MSG_IF(presets.empty() || presets.size() > 200, "LispNatChainHelper: 1 to 200 NATs");
    const size_t n = presets.size();
    LispNatChain c;
    c.hosts.Create(m_hosts);
    c.natRouters.Create(static_cast<uint32_t>(n));
    c.router = CreateObject<Node>();
    c.server = CreateObject<Node>();
    InternetStackHelper stack;
    stack.Install(c.hosts);
    stack.Install(c.natRouters);
    stack.Install(c.router);
    stack.Install(c.server);

    // The public side: NAT 1 -- router -- server (two addresses on one interface).
    std::vector<Ptr<NetDevice>> insideDev(n), outsideDev(n);
    std::vector<uint32_t> insideIf(n), outsideIf(n);
    const Link pub = Connect(c.natRouters.Get(0), c.router, "198.51.100.0", "255.255.255.252");
    outsideDev[0] = pub.devA;
    outsideIf[0] = pub.ifA;
    c.publicAddress = pub.addrA;
    DefaultRoute(c.natRouters.Get(0), pub.addrB, pub.ifA);
    const Link srv = Connect(c.router, c.server, "203.0.113.0", "255.255.255.0");
    c.serverPrimary = srv.addrB;
    c.serverAlternate = Ipv4Address("203.0.113.3");
    Ptr<Ipv4> serverIp = c.server->GetObject<Ipv4>();
    serverIp->AddAddress(srv.ifB, Ipv4InterfaceAddress(c.serverAlternate, Ipv4Mask("/24")));
    DefaultRoute(c.server, srv.addrA, srv.ifB);

    // NAT i's inside is NAT i+1's outside (carrier-grade address space, RFC 6598).
    for (size_t i = 0; i + 1 < n; i++) {
        std::ostringstream net;
        net << "100.64." << i << ".0";
        const Link l = Connect(c.natRouters.Get(static_cast<uint32_t>(i)),
                               c.natRouters.Get(static_cast<uint32_t>(i + 1)), net.str().c_str(),
                               "255.255.255.0");
        insideDev[i] = l.devA;
        insideIf[i] = l.ifA;
        outsideDev[i + 1] = l.devB;
        outsideIf[i + 1] = l.ifB;
        DefaultRoute(c.natRouters.Get(static_cast<uint32_t>(i + 1)), l.addrA, l.ifB);
    }

    // The hosts' LAN behind the innermost NAT.
    NodeContainer lan(c.natRouters.Get(static_cast<uint32_t>(n - 1)));
    lan.Add(c.hosts);
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
    NetDeviceContainer lanDevices = csma.Install(lan);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.0.0.0", "255.255.255.0");
    Ipv4InterfaceContainer lanIfs = addresses.Assign(lanDevices);
    insideDev[n - 1] = lanDevices.Get(0);
    insideIf[n - 1] = lanIfs.Get(0).second;
    for (uint32_t h = 0; h < m_hosts; h++) {
        c.hostAddresses.push_back(lanIfs.GetAddress(h + 1));
        DefaultRoute(c.hosts.Get(h), lanIfs.GetAddress(0), lanIfs.Get(h + 1).second);
    }

    // The NATs, once every route is in place.
    for (size_t i = 0; i < n; i++) {
        LispNatHelper helper;
        for (const auto &attribute : m_natAttributes) {
            helper.SetAttribute(attribute.first, *attribute.second);
        }
        helper.SetPreset(presets[i]);
        c.nats.push_back(
            helper.Install(c.natRouters.Get(static_cast<uint32_t>(i)), insideIf[i], outsideIf[i]));
        c.insideDevices.Add(insideDev[i]);
        c.outsideDevices.Add(outsideDev[i]);
    }

    c.stun = CreateObject<LispStunServer>();
    c.stun->SetAttribute("PrimaryAddress", Ipv4AddressValue(c.serverPrimary));
    c.stun->SetAttribute("AlternateAddress", Ipv4AddressValue(c.serverAlternate));
    c.server->AddApplication(c.stun);
    return c;
}

void LispNatChainHelper::EnablePcap(const LispNatChain &chain, const std::string &prefix)
{
    PointToPointHelper p2p;
    CsmaHelper csma;
    for (uint32_t i = 0; i < chain.nats.size(); i++) {
        for (const bool inside : {true, false}) {
            Ptr<NetDevice> device =
                inside ? chain.insideDevices.Get(i) : chain.outsideDevices.Get(i);
            std::ostringstream name;
            name << prefix << "-nat" << i + 1 << (inside ? "-inside" : "-outside") << ".pcap";
            if (device->GetInstanceTypeId().GetName() == "ns3::CsmaNetDevice") {
                csma.EnablePcap(name.str(), device, false, true);
            } else {
                p2p.EnablePcap(name.str(), device, false, true);
            }
        }
    }
}

} // namespace ns3
