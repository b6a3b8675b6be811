/*
 * lisp-nat-test-suite.cc - ns-3 TestSuite "lisp-nat": the NAT engine on an ns-3 router
 * (LispNat), measured from outside by the RFC 5780 probe (LispStunClient/LispStunServer)
 * and by plain UDP sockets, on the chain of lisp-nat-chain-helper.h:
 *
 *   hosts 10.0.0.x ==lan== [NAT] (-- [NAT] ...) -- router -- STUN server 203.0.113.2/.3
 *
 *   - every preset classifies as it should (mapping, filtering, RFC 3489 class), with
 *     the port policy it promises where the probe can see it;
 *   - a UDP mapping expires after UdpTimeout, not before: inbound to it is refused
 *     afterwards, and the next outbound packet gets a new external port (sequential and
 *     random port policies);
 *   - hairpinning: a host reaches another host of the same NAT through its public mapping
 *     and sees the sender's external address and port; with Hairpinning off it does not;
 *   - stacked NATs (a home NAT behind a carrier-grade NAT) pass traffic, both translate,
 *     and the pair classifies as the stricter of the two; a TCP transfer crosses a pair.
 * Checksums are on (ChecksumEnabled), so ns-3's UDP drops any datagram whose checksum the
 * engine's incremental update got wrong; test/wireshark/check_nat_pcaps.py checks the
 * pcaps of examples/lisp-nat-behaviour with tshark.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/lisp-nat-chain-helper.h"
#include "ns3/lisp-nat-helper.h"
#include "ns3/lisp-stun-client.h"
#include "ns3/lisp-stun-message.h"
#include "ns3/network-module.h"
#include "ns3/test.h"

#include "lisp-test-util.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace
{

/* The trace source of a trace kind, by the table in lisp_trace.h. */
std::string SourceOf(int kind)
{
    return lisp_trace_kind_info(kind)->source;
}

/* Counts of one NAT's trace events. */
struct NatEvents {
    std::vector<lisp_trace> created;
    std::vector<Time> createdAt;
    std::vector<lisp_trace> expired;
    std::vector<Time> expiredAt;
    std::vector<std::string> drops; // reasons

    void Connect(Ptr<LispNat> nat)
    {
        nat->TraceConnectWithoutContext(SourceOf(LISP_TRACE_NAT_MAPPING_CREATED),
                                        MakeCallback(&NatEvents::Created, this));
        nat->TraceConnectWithoutContext(SourceOf(LISP_TRACE_NAT_MAPPING_EXPIRED),
                                        MakeCallback(&NatEvents::Expired, this));
        nat->TraceConnectWithoutContext("Drop", MakeCallback(&NatEvents::Dropped, this));
    }

    void Created(const lisp_trace &e)
    {
        created.push_back(e);
        createdAt.push_back(Simulator::Now());
    }

    void Expired(const lisp_trace &e)
    {
        expired.push_back(e);
        expiredAt.push_back(Simulator::Now());
    }

    void Dropped(const std::string &reason, const lisp_trace &)
    {
        drops.push_back(reason);
    }

    size_t Drops(int reason) const
    {
        size_t n = 0;
        for (const std::string &r : drops) {
            n += r == lisp_drop_reason_name(reason);
        }
        return n;
    }
};

/* A UDP socket on a node that records what it receives and decodes STUN answers. */
class Endpoint : public SimpleRefCount<Endpoint>
{
  public:
    struct Datagram {
        Time at;
        InetSocketAddress from;
        std::vector<uint8_t> bytes;
    };

    Endpoint(Ptr<Node> node, uint16_t port)
    {
        m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        m_socket->SetRecvCallback(MakeCallback(&Endpoint::Receive, this));
    }

    ~Endpoint()
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    }

    /* `bytes` to `to` at simulated time `at`. */
    void SendAt(Time at, InetSocketAddress to, std::vector<uint8_t> bytes)
    {
        Ptr<Endpoint> self(this);
        Simulator::Schedule(at - Simulator::Now(), [self, to, bytes] {
            self->m_socket->SendTo(Create<Packet>(bytes.data(), bytes.size()), 0, to);
        });
    }

    /* A STUN Binding Request to `to` at `at`; the answer's mapped address lands in
     * Mapped(). */
    void BindingRequestAt(Time at, InetSocketAddress to)
    {
        LispStunMessage request;
        request.transaction[0] = static_cast<uint8_t>(++m_requests);
        SendAt(at, to, request.Encode());
    }

    /* The mapped addresses of the STUN answers received, in order. */
    std::vector<InetSocketAddress> Mapped() const
    {
        std::vector<InetSocketAddress> mapped;
        for (const Datagram &d : received) {
            LispStunMessage m;
            if (LispStunMessage::Decode(d.bytes.data(), d.bytes.size(), m) && m.hasMapped) {
                mapped.push_back(m.mapped);
            }
        }
        return mapped;
    }

    std::vector<Datagram> received;

  private:
    void Receive(Ptr<Socket> socket)
    {
        Address from;
        while (Ptr<Packet> p = socket->RecvFrom(from)) {
            std::vector<uint8_t> bytes(p->GetSize());
            p->CopyData(bytes.data(), bytes.size());
            received.push_back({Simulator::Now(), InetSocketAddress::ConvertFrom(from), bytes});
        }
    }

    Ptr<Socket> m_socket;
    uint8_t m_requests = 0;
};

void Begin()
{
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
}

void End()
{
    Simulator::Destroy();
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
}

/* A test case that cleans up after itself also when a REQUIRE returns early. */
class LispNatTestCase : public TestCase
{
  public:
    explicit LispNatTestCase(const std::string &name) : TestCase(name)
    {
    }

  private:
    void DoTeardown() override
    {
        End();
    }
};

/* What RunProbe reads from the NATs before the simulation ends. */
struct NatReadout {
    uint64_t answered = 0;                // the STUN server's answers
    std::vector<lisp_stat> outerCounters; // the outermost NAT's, by name
};

/* Run the probe on a chain of `presets` (outermost first), with `helper`'s NAT attributes;
 * the NATs' events land in `events` (one per NAT). */
LispStunClient::Result RunProbe(const std::vector<std::string> &presets,
                                std::vector<NatEvents> &events, NatReadout *readout = nullptr,
                                const LispNatChainHelper &helper = LispNatChainHelper())
{
    Begin();
    LispNatChain chain = helper.Build(presets);
    LispNatHelper::AssignStreams(chain.natRouters, 10);
    events.assign(presets.size(), NatEvents());
    for (size_t i = 0; i < presets.size(); i++) {
        events[i].Connect(chain.nats[i]);
    }
    Ptr<LispStunClient> client = CreateObject<LispStunClient>();
    client->SetAttribute("ServerAddress", Ipv4AddressValue(chain.serverPrimary));
    client->AssignStreams(1);
    chain.hosts.Get(0)->AddApplication(client);
    client->SetStartTime(Seconds(1));
    Simulator::Stop(Seconds(40));
    Simulator::Run();
    LispStunClient::Result result = client->GetResult();
    if (readout) {
        readout->answered = chain.stun->GetAnswered();
        readout->outerCounters = chain.nats[0]->GetCounters();
    }
    End();
    return result;
}

/* ---- every preset classifies as it should ---- */

class LispNatPresetTestCase : public LispNatTestCase
{
  public:
    LispNatPresetTestCase(std::string preset, std::string mapping, std::string filtering,
                          std::string rfc3489)
        : LispNatTestCase("preset " + preset + " probes as " + mapping + " and " + filtering +
                          ", " + rfc3489),
          m_preset(preset), m_mapping(mapping), m_filtering(filtering), m_rfc3489(rfc3489)
    {
    }

  private:
    void DoRun() override
    {
        std::vector<NatEvents> events;
        NatReadout readout;
        const LispStunClient::Result r = RunProbe({m_preset}, events, &readout);
        const uint64_t answered = readout.answered;
        REQUIRE(r.complete, "the probe finished: " + r.error);
        NS_TEST_EXPECT_MSG_EQ(r.natted, true, "the mapped address is not the host's");
        NS_TEST_EXPECT_MSG_EQ(r.mapped[0].GetIpv4(), Ipv4Address("198.51.100.1"),
                              "mapped to the NAT's public address");
        NS_TEST_EXPECT_MSG_EQ(r.MappingName(), m_mapping, "mapping behaviour");
        NS_TEST_EXPECT_MSG_EQ(r.FilteringName(), m_filtering, "filtering behaviour");
        NS_TEST_EXPECT_MSG_EQ(r.Rfc3489Name(), m_rfc3489, "RFC 3489 class");

        // The probe's port-restricted tests were refused by the filter, and counted.
        const NatEvents &e = events[0];
        const size_t filtered = e.Drops(LISP_DROP_NAT_FILTERED);
        if (m_filtering == "EIF") {
            NS_TEST_EXPECT_MSG_EQ(filtered, 0u, "nothing filtered");
            NS_TEST_EXPECT_MSG_EQ(answered, 4u, "answers to mapping tests I, II, filtering I, II");
        } else {
            // test II (two attempts), and for APDF test III (two attempts)
            NS_TEST_EXPECT_MSG_EQ(filtered, (m_filtering == "ADF" ? 2u : 4u),
                                  "filtered answers of the filtering tests");
        }
        // One mapping per local port for EIM; APDM: one per server address and port.
        NS_TEST_EXPECT_MSG_EQ(e.created.size(), (m_mapping == "EIM" ? 2u : 4u), "mappings created");
        if (m_preset == "linux-masquerade") {
            NS_TEST_EXPECT_MSG_EQ(r.mapped[0].GetPort(), r.local.GetPort(), "port preserved");
        }
        if (m_mapping == "APDM") {
            NS_TEST_EXPECT_MSG_NE(r.mapped[1].GetPort(), r.mapped[2].GetPort(),
                                  "a port per destination");
        }
    }

    std::string m_preset, m_mapping, m_filtering, m_rfc3489;
};

/* ---- attributes override the preset ---- */

class LispNatOverrideTestCase : public LispNatTestCase
{
  public:
    LispNatOverrideTestCase()
        : LispNatTestCase("Mapping and Filtering attributes override the preset's, and the "
                          "counters name what happened")
    {
    }

  private:
    void DoRun() override
    {
        LispNatChainHelper helper;
        helper.SetNatAttribute("Mapping", StringValue("address-dependent"));
        helper.SetNatAttribute("Filtering", StringValue("address-port-dependent"));
        std::vector<NatEvents> events;
        NatReadout readout;
        const LispStunClient::Result r = RunProbe({"full-cone"}, events, &readout, helper);
        REQUIRE(r.complete, "the probe finished: " + r.error);
        NS_TEST_EXPECT_MSG_EQ(r.MappingName(), "ADM", "mapping from the attribute");
        NS_TEST_EXPECT_MSG_EQ(r.FilteringName(), "APDF", "filtering from the attribute");
        NS_TEST_EXPECT_MSG_EQ(r.Rfc3489Name(), "symmetric", "RFC 3489 class");
        std::map<std::string, uint64_t> counters;
        for (const lisp_stat &stat : readout.outerCounters) {
            counters[std::string(stat.group) + "." + stat.name] = stat.value;
        }
        // ADM: the mapping socket gets one mapping for the primary address (test I) and one
        // for the other address (tests II and III); the filtering socket one.
        NS_TEST_EXPECT_MSG_EQ(counters["nat.mappings_created"], events[0].created.size(),
                              "mappings_created counts the NatMappingCreated events");
        NS_TEST_EXPECT_MSG_EQ(counters["nat.mappings_created"], 3u,
                              "tests I / II+III / filtering: three mappings");
        NS_TEST_EXPECT_MSG_EQ(counters["nat.filtered"], events[0].Drops(LISP_DROP_NAT_FILTERED),
                              "filtered counts the nat-filtered drops");
        NS_TEST_EXPECT_MSG_EQ(counters["nat.filtered"], 4u, "filtering tests II and III, twice");
    }
};

/* ---- mapping expiry ---- */

class LispNatExpiryTestCase : public LispNatTestCase
{
  public:
    explicit LispNatExpiryTestCase(std::string policy)
        : LispNatTestCase("a UDP mapping expires after UdpTimeout (" + policy +
                          " ports): inbound refused, then a new port"),
          m_policy(policy)
    {
    }

  private:
    void DoRun() override
    {
        Begin();
        const Time timeout = Seconds(20);
        LispNatChainHelper helper;
        helper.SetNatAttribute("UdpTimeout", TimeValue(timeout));
        helper.SetNatAttribute("PortPolicy", StringValue(m_policy));
        // Endpoint-independent filtering: any remote end may use a live mapping, so what
        // refuses the late datagram below is the expiry, not the filter.
        LispNatChain chain = helper.Build({"full-cone"});
        LispNatHelper::AssignStreams(chain.natRouters, 7);
        NatEvents events;
        events.Connect(chain.nats[0]);

        const InetSocketAddress stun(chain.serverPrimary, LispStunMessage::DEFAULT_PORT);
        Ptr<Endpoint> host = Create<Endpoint>(chain.hosts.Get(0), 5000);
        Ptr<Endpoint> remote = Create<Endpoint>(chain.server, 4000);
        host->BindingRequestAt(Seconds(1), stun); // the mapping, at t = 1 s
        // The remote end sends to the mapping the host learnt, before (10 s) and after
        // (30 s) it expires (21 s; inbound packets do not refresh it).
        for (const double at : {10.0, 30.0}) {
            Simulator::Schedule(Seconds(at), [host, remote, at] {
                if (!host->Mapped().empty()) {
                    remote->SendAt(Seconds(at), host->Mapped()[0], {'x'});
                }
            });
        }
        Simulator::Schedule(Seconds(20), [this, &chain] {
            m_mappingsBefore = chain.nats[0]->GetMappings().size();
        });
        Simulator::Schedule(
            Seconds(25), [this, &chain] { m_mappingsAfter = chain.nats[0]->GetMappings().size(); });
        host->BindingRequestAt(Seconds(35), stun);
        Simulator::Stop(Seconds(40));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(m_mappingsBefore, 1u, "one mapping before the timeout");
        NS_TEST_EXPECT_MSG_EQ(m_mappingsAfter, 0u, "none after it");
        REQUIRE(!events.expiredAt.empty() && !events.createdAt.empty(), "the mapping expired");
        NS_TEST_EXPECT_MSG_EQ((events.expiredAt[0] >= events.createdAt[0] + timeout), true,
                              "not before UdpTimeout");
        NS_TEST_EXPECT_MSG_EQ(
            (events.expiredAt[0] <= events.createdAt[0] + timeout + MilliSeconds(1)), true,
            "at UdpTimeout (expired at " << events.expiredAt[0].As(Time::S) << ")");
        size_t early = 0;
        size_t late = 0;
        for (const Endpoint::Datagram &d : host->received) {
            early += d.bytes.size() == 1 && d.at < Seconds(20);
            late += d.bytes.size() == 1 && d.at >= Seconds(20);
        }
        NS_TEST_EXPECT_MSG_EQ(early, 1u, "inbound through the live mapping");
        NS_TEST_EXPECT_MSG_EQ(late, 0u, "inbound to the expired mapping refused");
        const std::vector<InetSocketAddress> mapped = host->Mapped();
        REQUIRE(mapped.size() == 2, "an answer after expiry");
        NS_TEST_EXPECT_MSG_EQ(mapped[1].GetIpv4(), mapped[0].GetIpv4(), "same public address");
        NS_TEST_EXPECT_MSG_NE(mapped[1].GetPort(), mapped[0].GetPort(), "a new external port");
        NS_TEST_EXPECT_MSG_EQ(events.created.size(), 2u, "a new mapping");
        // Translated inbound: the two answers and the early datagram, not the late one.
        NS_TEST_EXPECT_MSG_EQ(chain.nats[0]->GetStats()->inbound, 3u, "inbound translated");
    }

    std::string m_policy;
    size_t m_mappingsBefore = 99;
    size_t m_mappingsAfter = 99;
};

/* ---- hairpinning ---- */

class LispNatHairpinTestCase : public LispNatTestCase
{
  public:
    explicit LispNatHairpinTestCase(bool hairpinning)
        : LispNatTestCase(hairpinning ? "hairpinning with the external source"
                                      : "no hairpinning when Hairpinning is off"),
          m_hairpinning(hairpinning)
    {
    }

  private:
    void DoRun() override
    {
        Begin();
        LispNatChainHelper helper;
        helper.SetHosts(2);
        helper.SetNatAttribute("Hairpinning", BooleanValue(m_hairpinning));
        LispNatChain chain = helper.Build({"full-cone"});
        const InetSocketAddress stun(chain.serverPrimary, LispStunMessage::DEFAULT_PORT);
        Ptr<Endpoint> h1 = Create<Endpoint>(chain.hosts.Get(0), 6000);
        Ptr<Endpoint> h2 = Create<Endpoint>(chain.hosts.Get(1), 7000);
        h1->BindingRequestAt(Seconds(1), stun); // h1's public mapping
        h2->BindingRequestAt(Seconds(1), stun); // h2's, to compare with what h1 sees
        Simulator::Schedule(Seconds(2), [h1, h2] {
            if (h1->Mapped().size() == 1) {
                h2->SendAt(Seconds(2), h1->Mapped()[0], {'h', 'i'});
            }
        });
        Simulator::Stop(Seconds(5));
        Simulator::Run();

        REQUIRE(h1->Mapped().size() == 1 && h2->Mapped().size() == 1, "both mapped");
        std::vector<Endpoint::Datagram> hellos;
        for (const Endpoint::Datagram &d : h1->received) {
            if (d.bytes == std::vector<uint8_t>{'h', 'i'}) {
                hellos.push_back(d);
            }
        }
        const lisp_nat_stats *st = chain.nats[0]->GetStats();
        if (!m_hairpinning) {
            NS_TEST_EXPECT_MSG_EQ(hellos.size(), 0u, "not hairpinned");
            NS_TEST_EXPECT_MSG_EQ(st->hairpinned, 0u, "hairpinned counter");
            return;
        }
        REQUIRE(hellos.size() == 1, "h1 got h2's datagram through the public mapping");
        NS_TEST_EXPECT_MSG_EQ(hellos[0].from.GetIpv4(), chain.publicAddress,
                              "from the public address, not 10.0.0.3");
        NS_TEST_EXPECT_MSG_EQ(hellos[0].from.GetPort(), h2->Mapped()[0].GetPort(),
                              "from h2's external port (its endpoint-independent mapping)");
        NS_TEST_EXPECT_MSG_EQ(st->hairpinned, 1u, "hairpinned counter");
    }

    bool m_hairpinning;
};

/* ---- stacked NATs ---- */

class LispNatStackedTestCase : public LispNatTestCase
{
  public:
    LispNatStackedTestCase(std::string outer, std::string inner, std::string mapping,
                           std::string filtering, std::string rfc3489)
        : LispNatTestCase(inner + " behind " + outer + " probes as " + mapping + " and " +
                          filtering),
          m_outer(outer), m_inner(inner), m_mapping(mapping), m_filtering(filtering),
          m_rfc3489(rfc3489)
    {
    }

  private:
    void DoRun() override
    {
        std::vector<NatEvents> events;
        const LispStunClient::Result r = RunProbe({m_outer, m_inner}, events);
        REQUIRE(r.complete, "traffic passes both NATs: " + r.error);
        NS_TEST_EXPECT_MSG_EQ(r.mapped[0].GetIpv4(), Ipv4Address("198.51.100.1"),
                              "mapped to the outer NAT's public address");
        NS_TEST_EXPECT_MSG_EQ(r.MappingName(), m_mapping, "mapping behaviour");
        NS_TEST_EXPECT_MSG_EQ(r.FilteringName(), m_filtering, "filtering behaviour");
        NS_TEST_EXPECT_MSG_EQ(r.Rfc3489Name(), m_rfc3489, "RFC 3489 class");
        NS_TEST_EXPECT_MSG_GT(events[0].created.size(), 0u, "the outer NAT translated");
        NS_TEST_EXPECT_MSG_GT(events[1].created.size(), 0u, "the inner NAT translated");
        // The outer NAT maps the inner NAT's public address, not the host's.
        REQUIRE(!events[0].created.empty(), "outer mappings");
        NS_TEST_EXPECT_MSG_EQ(Ipv4Address::Deserialize(events[0].created[0].u.nat.internal.addr),
                              Ipv4Address("100.64.0.2"), "outer NAT's inside is the inner NAT");
    }

    std::string m_outer, m_inner, m_mapping, m_filtering, m_rfc3489;
};

/* ---- a UDP datagram whose checksum is zero ---- */

/* The one's-complement sum of 16-bit words. */
uint16_t OnesSum(const std::vector<uint8_t> &bytes)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < bytes.size(); i += 2) {
        sum += (bytes[i] << 8) | (i + 1 < bytes.size() ? bytes[i + 1] : 0);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<uint16_t>(sum);
}

class LispNatZeroChecksumTestCase : public LispNatTestCase
{
  public:
    LispNatZeroChecksumTestCase()
        : LispNatTestCase("a UDP datagram whose computed checksum is zero crosses the NAT")
    {
    }

  private:
    void DoRun() override
    {
        Begin();
        LispNatChainHelper helper;
        LispNatChain chain = helper.Build({"full-cone"});
        Ptr<Endpoint> host = Create<Endpoint>(chain.hosts.Get(0), 5000);
        Ptr<Endpoint> server = Create<Endpoint>(chain.server, 4000);
        // Payload "zz" + two bytes chosen so that the UDP checksum ns-3 computes inside is
        // 0 (which ns-3 writes as 0x0000): the sum of the pseudo-header, the UDP header and
        // the payload must be 0xffff.
        std::vector<uint8_t> sum = {10,   0,    0,    2,    203, 0,  113, 2,
                                    0,    17,   0,    12,                    // pseudo-header
                                    0x13, 0x88, 0x0f, 0xa0, 0,   12, 0,   0, // UDP header
                                    'z',  'z'};
        const uint16_t fill = static_cast<uint16_t>(~OnesSum(sum));
        const std::vector<uint8_t> payload = {'z', 'z', static_cast<uint8_t>(fill >> 8),
                                              static_cast<uint8_t>(fill)};
        host->SendAt(Seconds(1), InetSocketAddress(chain.serverPrimary, 4000), payload);
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        REQUIRE(chain.nats[0]->GetStats()->outbound == 1, "the NAT translated it");
        REQUIRE(server->received.size() == 1, "the server's UDP accepted its checksum");
        NS_TEST_EXPECT_MSG_EQ((server->received[0].bytes == payload), true, "the payload");
        NS_TEST_EXPECT_MSG_EQ(server->received[0].from.GetIpv4(), chain.publicAddress,
                              "from the public address");
    }
};

/* ---- TCP through a NAT pair ---- */

class LispNatTcpTestCase : public LispNatTestCase
{
  public:
    LispNatTcpTestCase()
        : LispNatTestCase("a TCP transfer through symmetric behind carrier-grade, checksums "
                          "checked by ns-3's TCP")
    {
    }

  private:
    void DoRun() override
    {
        Begin();
        LispNatChainHelper helper;
        LispNatChain chain = helper.Build({"carrier-grade", "symmetric"});
        LispNatHelper::AssignStreams(chain.natRouters, 3);
        std::vector<NatEvents> events(2);
        events[0].Connect(chain.nats[0]);
        events[1].Connect(chain.nats[1]);
        const uint32_t bytes = 200000;
        PacketSinkHelper sink("ns3::TcpSocketFactory",
                              InetSocketAddress(Ipv4Address::GetAny(), 8080));
        ApplicationContainer sinks = sink.Install(chain.server);
        BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(chain.serverPrimary, 8080));
        bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
        ApplicationContainer senders = bulk.Install(chain.hosts.Get(0));
        senders.Start(Seconds(1));
        Simulator::Stop(Seconds(20));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(DynamicCast<PacketSink>(sinks.Get(0))->GetTotalRx(), bytes,
                              "every byte arrived (a bad TCP checksum would stall it)");
        for (size_t i = 0; i < 2; i++) {
            REQUIRE(events[i].created.size() == 1, "one TCP mapping per NAT");
            NS_TEST_EXPECT_MSG_EQ(unsigned(events[i].created[0].u.nat.proto), 6u, "TCP");
            NS_TEST_EXPECT_MSG_EQ(events[i].drops.size(), 0u, "nothing dropped");
        }
        const lisp_nat_stats *outer = chain.nats[0]->GetStats();
        NS_TEST_EXPECT_MSG_GT(outer->outbound, 100u, "data segments translated outbound");
        NS_TEST_EXPECT_MSG_GT(outer->inbound, 50u, "acknowledgements translated inbound");
    }
};

class LispNatTestSuite : public TestSuite
{
  public:
    LispNatTestSuite() : TestSuite("lisp-nat", Type::SYSTEM)
    {
        AddTestCase(new LispNatPresetTestCase("full-cone", "EIM", "EIF", "full cone"));
        AddTestCase(new LispNatPresetTestCase("restricted-cone", "EIM", "ADF", "restricted cone"));
        AddTestCase(new LispNatPresetTestCase("port-restricted-cone", "EIM", "APDF",
                                              "port-restricted cone"));
        AddTestCase(new LispNatPresetTestCase("symmetric", "APDM", "APDF", "symmetric"));
        AddTestCase(
            new LispNatPresetTestCase("linux-masquerade", "EIM", "APDF", "port-restricted cone"));
        AddTestCase(new LispNatPresetTestCase("carrier-grade", "EIM", "EIF", "full cone"));
        AddTestCase(new LispNatOverrideTestCase);
        AddTestCase(new LispNatExpiryTestCase("sequential"));
        AddTestCase(new LispNatExpiryTestCase("random"));
        AddTestCase(new LispNatHairpinTestCase(true));
        AddTestCase(new LispNatHairpinTestCase(false));
        AddTestCase(new LispNatStackedTestCase("carrier-grade", "restricted-cone", "EIM", "ADF",
                                               "restricted cone"));
        AddTestCase(
            new LispNatStackedTestCase("full-cone", "symmetric", "APDM", "APDF", "symmetric"));
        AddTestCase(new LispNatTcpTestCase);
        AddTestCase(new LispNatZeroChecksumTestCase);
    }
};

LispNatTestSuite g_lispNatTestSuite;

} // namespace
} // namespace ns3
