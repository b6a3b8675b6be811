/*
 * lisp-nat-helper.h - puts a NAT (LispNat, the C NAT engine) on an ns-3 router.
 *
 *   LispNatHelper nat;
 *   nat.SetPreset("symmetric");                      // or SetAttribute("Mapping", ...)
 *   nat.Install(router, insideIfIndex, outsideIfIndex);   // public: the outside address
 *
 * The interface indices are the router's Ipv4 interface indices (as an
 * Ipv4InterfaceContainer holds them). Install makes the NAT the node's top-level IPv4
 * routing protocol around the one the node has (lisp-nat.h), so routes the node needs are
 * best added before; afterwards they go through LispNat::GetWrappedRoutingProtocol().
 */
#ifndef LISP_NAT_HELPER_H
#define LISP_NAT_HELPER_H

#include "ns3/attribute.h"
#include "ns3/ipv4-address.h"
#include "ns3/lisp-nat.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <string>
#include <vector>

namespace ns3
{

/** \ingroup lisp Installs LispNat on router nodes. */
class LispNatHelper
{
  public:
    LispNatHelper();

    /** An attribute of every NAT this helper installs (see LispNat::GetTypeId). */
    void SetAttribute(const std::string &name, const AttributeValue &value);
    /** The "Preset" attribute: full-cone, restricted-cone, port-restricted-cone,
     * symmetric, linux-masquerade, carrier-grade. */
    void SetPreset(const std::string &preset);

    /**
     * A NAT between two interfaces of `router`.
     * \param publicAddresses the NAT's public addresses; empty: the outside interface's
     *        first address
     */
    Ptr<LispNat> Install(Ptr<Node> router, uint32_t insideInterface, uint32_t outsideInterface,
                         const std::vector<Ipv4Address> &publicAddresses = {}) const;

    /** The NAT of `node`, or nullptr. */
    static Ptr<LispNat> Get(Ptr<Node> node);
    /**
     * Fixed random streams for the NATs on these nodes (in node order).
     * \return the number of streams used
     */
    static int64_t AssignStreams(const NodeContainer &nodes, int64_t stream);

  private:
    ObjectFactory m_factory;
};

} // namespace ns3

#endif /* LISP_NAT_HELPER_H */
