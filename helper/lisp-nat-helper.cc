/*
 * lisp-nat-helper.cc - puts a NAT on an ns-3 router (lisp-nat-helper.h).
 */
#include "lisp-nat-helper.h"

#include "ns3/abort.h"
#include "ns3/ipv4.h"
#include "ns3/node.h"
#include "ns3/string.h"

namespace ns3
{

LispNatHelper::LispNatHelper()
{
    m_factory.SetTypeId(LispNat::GetTypeId());
}

void LispNatHelper::SetAttribute(const std::string &name, const AttributeValue &value)
{
    m_factory.Set(name, value);
}

void LispNatHelper::SetPreset(const std::string &preset)
{
    m_factory.Set("Preset", StringValue(preset));
}

Ptr<LispNat> LispNatHelper::Install(Ptr<Node> router, uint32_t insideInterface,
                                    uint32_t outsideInterface,
                                    const std::vector<Ipv4Address> &publicAddresses) const
{
    Ptr<Ipv4> ipv4 = router->GetObject<Ipv4>();
    NS_ABORT_MSG_UNLESS(ipv4 && ipv4->GetRoutingProtocol(),
                        "LispNatHelper: node " << router->GetId()
                                               << " has no IPv4 stack with a routing protocol");
    NS_ABORT_MSG_IF(insideInterface >= ipv4->GetNInterfaces() ||
                        outsideInterface >= ipv4->GetNInterfaces(),
                    "LispNatHelper: node " << router->GetId() << " has no interface "
                                           << std::max(insideInterface, outsideInterface));
    NS_ABORT_MSG_IF(Get(router), "LispNatHelper: node " << router->GetId() << " has a NAT already");
    Ptr<LispNat> nat = m_factory.Create<LispNat>();
    nat->Configure(insideInterface, outsideInterface, ipv4->GetRoutingProtocol());
    for (const Ipv4Address &address : publicAddresses) {
        nat->AddPublicAddress(address);
    }
    ipv4->SetRoutingProtocol(nat);
    return nat;
}

Ptr<LispNat> LispNatHelper::Get(Ptr<Node> node)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    return ipv4 ? DynamicCast<LispNat>(ipv4->GetRoutingProtocol()) : nullptr;
}

int64_t LispNatHelper::AssignStreams(const NodeContainer &nodes, int64_t stream)
{
    int64_t used = 0;
    for (auto i = nodes.Begin(); i != nodes.End(); ++i) {
        if (Ptr<LispNat> nat = Get(*i)) {
            used += nat->AssignStreams(stream + used);
        }
    }
    return used;
}

} // namespace ns3
