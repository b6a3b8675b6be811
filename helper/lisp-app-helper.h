/*
 * lisp-app-helper.h - helpers that install the LISP applications (LispXtr, LispMapServer).
 *
 *   LispXtrHelper xtr;                      // like UdpEchoServerHelper: attributes + Install
 *   xtr.SetAttribute("MissPolicy", EnumValue(LispXtr::MISS_QUEUE));
 *   ApplicationContainer apps = xtr.Install(nodes);
 *   DynamicCast<LispXtr>(apps.Get(0))->AddEidPrefix(...);   // per-node configuration
 *   // an xTR-ID is per node as well (each xTR of a multihomed site has its own):
 *   apps.Get(1)->SetAttribute("XtrId", StringValue("000102030405060708090a0b0c0d0e0f"));
 */
#ifndef LISP_APP_HELPER_H
#define LISP_APP_HELPER_H

#include "ns3/application-container.h"
#include "ns3/attribute.h"
#include "ns3/lisp-map-server.h"
#include "ns3/lisp-xtr.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <string>

namespace ns3
{

/**
 * \ingroup lisp
 * Installs one kind of LISP application (LispXtr, LispMapServer) with common attributes.
 */
class LispAppHelper
{
  public:
    /** \param typeId the application's TypeId name, "ns3::LispXtr" or "ns3::LispMapServer" */
    explicit LispAppHelper(const std::string &typeId);

    /** An attribute of every application this helper installs. */
    void SetAttribute(const std::string &name, const AttributeValue &value);

    /** One application per node. */
    ApplicationContainer Install(Ptr<Node> node) const;
    ApplicationContainer Install(const NodeContainer &nodes) const;

    /**
     * Fixed random streams for the LISP applications (of any kind) on these nodes.
     * \return the number of streams used
     */
    static int64_t AssignStreams(const NodeContainer &nodes, int64_t stream);

  private:
    ObjectFactory m_factory;
};

/** \ingroup lisp Installs ns3::LispXtr. */
class LispXtrHelper : public LispAppHelper
{
  public:
    LispXtrHelper();
};

/** \ingroup lisp Installs ns3::LispMapServer (Map-Server and co-located Map-Resolver). */
class LispMapServerHelper : public LispAppHelper
{
  public:
    LispMapServerHelper();
};

} // namespace ns3

#endif /* LISP_APP_HELPER_H */
