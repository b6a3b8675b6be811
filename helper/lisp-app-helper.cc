/*
 * lisp-app-helper.cc - LispAppHelper, LispXtrHelper, LispMapServerHelper.
 */
#include "lisp-app-helper.h"

namespace ns3
{

LispAppHelper::LispAppHelper(const std::string &typeId)
{
    m_factory.SetTypeId(typeId);
}

void LispAppHelper::SetAttribute(const std::string &name, const AttributeValue &value)
{
    m_factory.Set(name, value);
}

ApplicationContainer LispAppHelper::Install(Ptr<Node> node) const
{
    Ptr<Application> app = m_factory.Create<Application>();
    node->AddApplication(app);
    return ApplicationContainer(app);
}

ApplicationContainer LispAppHelper::Install(const NodeContainer &nodes) const
{
    ApplicationContainer apps;
    for (auto i = nodes.Begin(); i != nodes.End(); ++i) {
        apps.Add(Install(*i));
    }
    return apps;
}

int64_t LispAppHelper::AssignStreams(const NodeContainer &nodes, int64_t stream)
{
    int64_t used = 0;
    for (auto i = nodes.Begin(); i != nodes.End(); ++i) {
        for (uint32_t j = 0; j < (*i)->GetNApplications(); j++) {
            Ptr<LispEngineApp> app = DynamicCast<LispEngineApp>((*i)->GetApplication(j));
            if (app) {
                used += app->AssignStreams(stream + used);
            }
        }
    }
    return used;
}

LispXtrHelper::LispXtrHelper() : LispAppHelper("ns3::LispXtr")
{
}

LispMapServerHelper::LispMapServerHelper() : LispAppHelper("ns3::LispMapServer")
{
}

} // namespace ns3
