/*
 * lisp-multihoming-test-suite.cc - ns-3 TestSuite "lisp-multihoming": one LISP site served
 * by two xTRs (same EID-prefix and site key, one RLOC each) that register with one
 * Map-Server, with and without xTR-IDs (attributes XtrId, SiteId; RFC 9301 I bit).
 *
 *   xtr0 (RLOC 172.16.1.2) --.
 *                             router -- ms-mr (172.30.0.2)
 *   xtr1 (RLOC 172.16.2.2) --'
 *
 * Both register 10.1.0.0/16; xtr0 starts at 0 s, xtr1 at 1 s, so the Map-Server always sees
 * xtr0 first. The Map-Server's registration is read through its engine
 * (lisp_ms_get_registration); the Map-Registers as they arrive at the Map-Server node are
 * captured on its Ipv4L3Protocol Rx trace and decoded with the engines' codec.
 * LispTopologyHelper is not used: it builds one xTR per site.
 */
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/lisp-helper.h"
#include "ns3/lisp_msg.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/test.h"

#include "lisp-test-util.h"

#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

const char *RLOC[2] = {"172.16.1.2", "172.16.2.2"};
const char *EID_PREFIX = "10.1.0.0";
const char *EID_MASK = "255.255.0.0";
const char *KEY = "lisp-site-key";
const double XTR_START_S[2] = {0, 1}; // seconds
const double SIM_TIME_S = 2;          // one Map-Register each (RegisterInterval 60 s)

/* ---------------------------------------------------------------------------------------- */
/* A scenario: build, run, record                                                            */
/* ---------------------------------------------------------------------------------------- */

struct ScenarioConfig {
    std::string xtrId[2]; // empty: the attributes XtrId and SiteId keep their defaults
    uint64_t siteId = 0;
};

/* A Map-Register as it reached the Map-Server node. */
struct WireRegister {
    std::string from; // source address
    bool iBit;
    std::string xtrId; // hex; empty without the I bit
    std::string siteId;
};

struct ScenarioResult {
    std::vector<WireRegister> registers;
    uint32_t registrations = 0; // prefixes registered at the end
    bool found = false;         // 10.1.0.0/16 is one of them
    unsigned xtrCount = 0;      // contributions merged into it
    std::vector<std::string> locators;
    bool xtrRegistered[2] = {false, false};
};

std::string Hex(const uint8_t *bytes, size_t len)
{
    std::string text;
    for (size_t i = 0; i < len; i++) {
        char pair[3];
        std::snprintf(pair, sizeof pair, "%02x", bytes[i]);
        text += pair;
    }
    return text;
}

std::string Ip4(const uint8_t *addr)
{
    return std::to_string(addr[0]) + "." + std::to_string(addr[1]) + "." + std::to_string(addr[2]) +
           "." + std::to_string(addr[3]);
}

/* Ipv4L3Protocol "Rx" of the Map-Server node: keep the Map-Registers. */
void CaptureRegister(ScenarioResult *result, Ptr<const Packet> packet, Ptr<Ipv4>, uint32_t)
{
    Ptr<Packet> p = packet->Copy();
    Ipv4Header ip;
    UdpHeader udp;
    p->RemoveHeader(ip);
    if (ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER) {
        return;
    }
    p->RemoveHeader(udp);
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    auto msg = std::make_unique<lisp_msg>();
    if (udp.GetDestinationPort() != LISP_CONTROL_PORT ||
        lisp_msg_decode(msg.get(), bytes.data(), bytes.size()) != LISP_OK ||
        msg->type != LISP_MAP_REGISTER) {
        return;
    }
    const lisp_map_register &g = msg->u.mreg;
    const bool iBit = (g.flags & LISP_MREG_F_I) != 0;
    std::ostringstream from;
    from << ip.GetSource();
    result->registers.push_back({from.str(), iBit, iBit ? Hex(g.xtr_id, LISP_XTR_ID_LEN) : "",
                                 iBit ? Hex(g.site_id, LISP_SITE_ID_LEN) : ""});
}

/* The Map-Server's view of the site prefix, read before the engines are freed. */
void ReadRegistration(Ptr<LispMapServer> server, ScenarioResult &result)
{
    result.registrations = server->GetRegistrationCount();
    lisp_ms_registration reg;
    const lisp_eid prefix = LispEidFromIpv4(Ipv4Address(EID_PREFIX), Ipv4Mask(EID_MASK));
    result.found = lisp_ms_get_registration(server->GetMapServerEngine(), &prefix, &reg);
    if (!result.found) {
        return;
    }
    result.xtrCount = reg.xtr_count;
    for (unsigned i = 0; i < reg.loc_count; i++) {
        result.locators.push_back(Ip4(reg.locators[i].addr));
    }
}

ScenarioResult RunScenario(const ScenarioConfig &cfg)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);

    NodeContainer xtrNodes;
    xtrNodes.Create(2);
    Ptr<Node> router = CreateObject<Node>();
    Ptr<Node> msNode = CreateObject<Node>();
    NodeContainer all(xtrNodes);
    all.Add(router);
    all.Add(msNode);
    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.SetRoutingHelper(Ipv4StaticRoutingHelper());
    stack.Install(all);

    // The router's links are all connected; the others reach everything through it.
    const lisptest::Link links[3] = {lisptest::Connect(router, xtrNodes.Get(0), "172.16.1.0"),
                                     lisptest::Connect(router, xtrNodes.Get(1), "172.16.2.0"),
                                     lisptest::Connect(router, msNode, "172.30.0.0")};
    const Ptr<Node> leaves[3] = {xtrNodes.Get(0), xtrNodes.Get(1), msNode};
    Ipv4StaticRoutingHelper routing;
    for (int i = 0; i < 3; i++) {
        routing.GetStaticRouting(leaves[i]->GetObject<Ipv4>())
            ->SetDefaultRoute(links[i].addrA, links[i].ifB);
    }
    const Ipv4Address msAddress = links[2].addrB;

    Ptr<LispMapServer> server =
        DynamicCast<LispMapServer>(LispMapServerHelper().Install(msNode).Get(0));
    const uint32_t site = server->AddSite("site", LISP_KEY_ID_HMAC_SHA256_128, KEY);
    server->AddSitePrefix(site, Ipv4Address(EID_PREFIX), Ipv4Mask(EID_MASK));

    ApplicationContainer xtrApps = LispXtrHelper().Install(xtrNodes);
    Ptr<LispXtr> xtrs[2];
    for (int i = 0; i < 2; i++) {
        xtrs[i] = DynamicCast<LispXtr>(xtrApps.Get(i));
        if (!cfg.xtrId[i].empty()) { // per application: each xTR of the site has its own
            xtrs[i]->SetAttribute("XtrId", StringValue(cfg.xtrId[i]));
            xtrs[i]->SetAttribute("SiteId", UintegerValue(cfg.siteId));
        }
        xtrs[i]->AddEidPrefix(Ipv4Address(EID_PREFIX), Ipv4Mask(EID_MASK));
        xtrs[i]->AddRloc(Ipv4Address(RLOC[i]));
        xtrs[i]->AddMapServer(msAddress, LISP_KEY_ID_HMAC_SHA256_128, KEY);
        xtrs[i]->SetStartTime(Seconds(XTR_START_S[i]));
    }
    LispAppHelper::AssignStreams(all, 0);

    ScenarioResult result;
    msNode->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Rx", MakeBoundCallback(&CaptureRegister, &result));
    Simulator::Stop(Seconds(SIM_TIME_S));
    Simulator::Run();

    ReadRegistration(server, result);
    for (int i = 0; i < 2; i++) {
        result.xtrRegistered[i] = xtrs[i]->IsRegistered();
    }
    Simulator::Destroy();
    return result;
}

/* ---------------------------------------------------------------------------------------- */
/* The cases                                                                                */
/* ---------------------------------------------------------------------------------------- */

const char *XTR_ID[2] = {"00112233445566778899aabbccddeeff", "A0A1A2A3A4A5A6A7A8A9AAABACADAEAF"};
const char *XTR_ID_HEX[2] = {"00112233445566778899aabbccddeeff",
                             "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"}; // as the wire carries them
const uint64_t SITE_ID = 0x0123456789ABCDEFull;
const char *SITE_ID_HEX = "0123456789abcdef"; // network byte order

/* What every case checks first. */
class LispMultihomingTestCase : public TestCase
{
  protected:
    explicit LispMultihomingTestCase(const std::string &name) : TestCase(name)
    {
    }

    /* Both xTRs registered (each Map-Register acknowledged by a Map-Notify), one
     * Map-Register each at the Map-Server, one prefix registered. */
    void CheckBothRegistered(const ScenarioResult &r)
    {
        NS_TEST_ASSERT_MSG_EQ(r.xtrRegistered[0], true, "xtr0 registered (Map-Notify)");
        NS_TEST_ASSERT_MSG_EQ(r.xtrRegistered[1], true, "xtr1 registered (Map-Notify)");
        NS_TEST_ASSERT_MSG_EQ(r.registers.size(), 2u, "one Map-Register from each xTR");
        for (size_t i = 0; i < r.registers.size() && i < 2; i++) {
            NS_TEST_ASSERT_MSG_EQ(r.registers[i].from, RLOC[i], "in start order, from its RLOC");
        }
        NS_TEST_ASSERT_MSG_EQ(r.registrations, 1u, "one registered prefix");
    }
};

class LispMultihomingXtrIdTestCase : public LispMultihomingTestCase
{
  public:
    LispMultihomingXtrIdTestCase()
        : LispMultihomingTestCase(
              "two xTRs of a site with their own xTR-IDs: I bit, xTR-ID and site-ID on "
              "the wire; the Map-Server merges both locators into one registration")
    {
    }

  private:
    void DoRun() override
    {
        ScenarioConfig cfg;
        cfg.xtrId[0] = XTR_ID[0];
        cfg.xtrId[1] = XTR_ID[1];
        cfg.siteId = SITE_ID;
        const ScenarioResult r = RunScenario(cfg);

        CheckBothRegistered(r);
        for (size_t i = 0; i < r.registers.size() && i < 2; i++) {
            const WireRegister &w = r.registers[i];
            NS_TEST_ASSERT_MSG_EQ(w.iBit, true, "xtr" << i << "'s Map-Register has the I bit");
            NS_TEST_ASSERT_MSG_EQ(w.xtrId, XTR_ID_HEX[i], "xtr" << i << "'s own xTR-ID");
            NS_TEST_ASSERT_MSG_EQ(w.siteId, SITE_ID_HEX, "the site-ID, 64 bits big-endian");
        }
        REQUIRE(r.found, "10.1.0.0/16 is registered");
        NS_TEST_ASSERT_MSG_EQ(r.xtrCount, 2u, "two xTR contributions");
        REQUIRE(r.locators.size() == 2, "merged: both RLOCs, got " << r.locators.size());
        NS_TEST_ASSERT_MSG_EQ(r.locators[0], RLOC[0], "xtr0's RLOC, first registered");
        NS_TEST_ASSERT_MSG_EQ(r.locators[1], RLOC[1], "then xtr1's");
    }
};

class LispMultihomingSharedXtrIdTestCase : public LispMultihomingTestCase
{
  public:
    LispMultihomingSharedXtrIdTestCase()
        : LispMultihomingTestCase(
              "two xTRs with one xTR-ID are one xTR to the Map-Server: the later "
              "Map-Register replaces the earlier one's locators")
    {
    }

  private:
    void DoRun() override
    {
        ScenarioConfig cfg;
        cfg.xtrId[0] = XTR_ID[0];
        cfg.xtrId[1] = XTR_ID[0];
        cfg.siteId = SITE_ID;
        const ScenarioResult r = RunScenario(cfg);

        CheckBothRegistered(r);
        for (const WireRegister &w : r.registers) {
            NS_TEST_ASSERT_MSG_EQ(w.xtrId, XTR_ID_HEX[0], "the shared xTR-ID from " << w.from);
        }
        REQUIRE(r.found, "10.1.0.0/16 is registered");
        NS_TEST_ASSERT_MSG_EQ(r.xtrCount, 1u, "identified by xTR-ID, not by source address");
        REQUIRE(r.locators.size() == 1, "replaced, not merged, got " << r.locators.size());
        NS_TEST_ASSERT_MSG_EQ(r.locators[0], RLOC[1], "xtr1's RLOC, registered last");
    }
};

class LispMultihomingNoXtrIdTestCase : public LispMultihomingTestCase
{
  public:
    LispMultihomingNoXtrIdTestCase()
        : LispMultihomingTestCase(
              "without XtrId (default): no I bit; the Map-Server tells the two xTRs "
              "apart by source address and merges both locators")
    {
    }

  private:
    void DoRun() override
    {
        const ScenarioResult r = RunScenario(ScenarioConfig());

        CheckBothRegistered(r);
        for (const WireRegister &w : r.registers) {
            NS_TEST_ASSERT_MSG_EQ(w.iBit, false, "no I bit from " << w.from);
        }
        REQUIRE(r.found, "10.1.0.0/16 is registered");
        NS_TEST_ASSERT_MSG_EQ(r.xtrCount, 2u, "two contributions, keyed by source address");
        REQUIRE(r.locators.size() == 2, "merged: both RLOCs, got " << r.locators.size());
        NS_TEST_ASSERT_MSG_EQ(r.locators[0], RLOC[0], "xtr0's RLOC, first registered");
        NS_TEST_ASSERT_MSG_EQ(r.locators[1], RLOC[1], "then xtr1's");
    }
};

class LispMultihomingTestSuite : public TestSuite
{
  public:
    LispMultihomingTestSuite() : TestSuite("lisp-multihoming", Type::SYSTEM)
    {
        AddTestCase(new LispMultihomingXtrIdTestCase);
        AddTestCase(new LispMultihomingSharedXtrIdTestCase);
        AddTestCase(new LispMultihomingNoXtrIdTestCase);
    }
};

LispMultihomingTestSuite g_lispMultihomingTestSuite;

} // namespace
