/*
 * bench_ns3_overhead.cc - what the LISP overlay costs an ns-3 simulation: the same UDP flow
 * between two hosts across the same 9-router chain, once with plain IP routing and once
 * through LISP (xTRs on the two end routers, warm map-caches); the CPU time of the
 * simulation, per variant, and their ratio (goal: LISP <= 1.15 x plain).
 *
 *   hostA --- R0 --- R1 --- R2 --- R3 --- R4 --- R5 --- R6 --- R7 --- R8 --- hostB
 *   10.1.0.2                              |                               10.2.0.2
 *                                        ms   (MS/MR; an idle node in the plain variant)
 *
 * Both variants build the same nodes, links, addresses and applications; they differ only
 * in the following.
 *   plain  every router has static routes to every subnet, the host LANs included.
 *   lisp   R0 and R8 are xTRs (site 10.1.0.0/16 behind R0, 10.2.0.0/16 behind R8; RLOCs
 *          172.20.0.1 and 172.20.7.2), ms runs the Map-Server/Map-Resolver; the routers
 *          route the underlay only, the xTRs route 10.0.0.0/8 into their LISP tunnel.
 * The LispTopologyHelper is not used: it hangs site s off core router s, so it cannot put
 * the two sites at the ends of a 9-router chain. The links (point-to-point, 1 Gb/s; host
 * links 100 us, router links 1 ms) get ns-3's default queue discs from Ipv4AddressHelper,
 * as in any ns-3 script; --no-qdisc removes them (a leaner baseline, so a higher ratio).
 *
 * One run, in two Simulator::Run phases:
 *   warm-up   0 .. 1 s: the xTRs register (t = 0); at 0.5 s one UDP packet goes A -> B and
 *             one B -> A (port 10), which in the LISP variant resolves both map-caches
 *             (miss policy "queue", so the packets are delivered too). Not measured.
 *   measured  1 .. end: hostA sends --packets UDP packets of 512 bytes (UDP payload, as
 *             UdpClient counts it) to hostB port 9, one every --interval us, 1.1 s on; the
 *             phase ends 0.1 s after the last is sent. Only this Simulator::Run is timed,
 *             with CLOCK_PROCESS_CPUTIME_ID (ns-3 is single-threaded).
 * Each run builds a fresh topology and ends with Simulator::Destroy. Runs alternate
 * plain / LISP in ABBA order (plain, lisp, lisp, plain, ...) so that drift in the
 * machine's speed hits both alike; the figures are medians over the runs of each variant,
 * and the median (with the quartiles) of the ratios of consecutive plain/LISP pairs. On a
 * shared machine many short pairs estimate the ratio better than a few long runs: each
 * pair sees one moment's machine, and the median discards the pairs a burst of other
 * load hit.
 * Every run aborts unless hostB received every packet (and the warm-up packets arrived),
 * and, for LISP, unless R0 encapsulated and R8 decapsulated every one of them without a
 * Map-Request during the measured phase, so the two variants carry the same traffic.
 *
 *   bench_ns3_overhead [--quick] [--runs N] [--packets N] [--interval US] [--no-qdisc]
 *                      [--only plain|lisp] [--out FILE]
 *     --quick     6 runs (3 per variant) of 5,000 packets (about 5 s)
 *     --runs      runs per variant (default 15; about 45 s in all)
 *     --packets   packets of the measured flow (default 20,000)
 *     --interval  microseconds between two packets (default 20: 50,000 packets/s)
 *     --no-qdisc  no queue discs on the links
 *     --only      run one variant only and print its runs (for profilers); no table
 *     --out       append the table to FILE as markdown
 *
 * A benchmark, not a test: it asserts delivery, never speed.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/lisp-helper.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint32_t ROUTERS = 9;
constexpr uint32_t MS_ROUTER = 4; // the MS/MR hangs off this router
constexpr uint32_t PACKET_SIZE = 512;
constexpr uint16_t FLOW_PORT = 9;
constexpr uint16_t WARMUP_PORT = 10;
const Time WARMUP_SEND = Seconds(0.5);
const Time WARMUP_END = Seconds(1.0);
const Time FLOW_START = Seconds(1.1);
const Time DRAIN = Seconds(0.1);

struct Options {
    uint32_t runs = 15;
    uint32_t packets = 20000;
    uint32_t intervalUs = 20;
    bool qdisc = true;
    int only = -1; // -1: both variants; 0: plain only; 1: LISP only (for profilers)
};

struct RunResult {
    double cpu;       // seconds of CPU in the measured Simulator::Run
    uint64_t events;  // simulator events in the measured phase
    uint32_t packets; // delivered in the measured phase
};

double CpuSeconds()
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

[[noreturn]] void Fail(const std::string &what)
{
    std::cerr << "bench_ns3_overhead: " << what << "\n";
    std::abort();
}

/* A point-to-point link between two nodes, numbered in `net`/`mask` (a: .1, b: .2). */
struct Link {
    uint32_t ifA;
    uint32_t ifB;
    Ipv4Address addrA;
    Ipv4Address addrB;
    Ipv4Address net;
    Ipv4Mask mask;
};

Link Connect(PointToPointHelper &p2p, Ptr<Node> a, Ptr<Node> b, const char *net, const char *mask,
             bool qdisc)
{
    NetDeviceContainer devices = p2p.Install(a, b);
    Ipv4AddressHelper addresses;
    addresses.SetBase(net, mask);
    Ipv4InterfaceContainer ifaces = addresses.Assign(devices);
    if (!qdisc) {
        TrafficControlHelper tc;
        tc.Uninstall(devices);
    }
    return {ifaces.Get(0).second, ifaces.Get(1).second, ifaces.GetAddress(0),
            ifaces.GetAddress(1),  Ipv4Address(net),      Ipv4Mask(mask)};
}

RunResult RunOnce(bool lisp, const Options &opt)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);

    NodeContainer routers;
    routers.Create(ROUTERS);
    Ptr<Node> hostA = CreateObject<Node>();
    Ptr<Node> hostB = CreateObject<Node>();
    Ptr<Node> ms = CreateObject<Node>();
    NodeContainer all(routers);
    all.Add(hostA);
    all.Add(hostB);
    all.Add(ms);

    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.SetRoutingHelper(Ipv4StaticRoutingHelper()); // routes below, and nothing else
    stack.Install(all);

    PointToPointHelper hostLinks;
    hostLinks.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    hostLinks.SetChannelAttribute("Delay", StringValue("100us"));
    PointToPointHelper coreLinks;
    coreLinks.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    coreLinks.SetChannelAttribute("Delay", StringValue("1ms"));

    // chain[k] joins router k (.1) and router k+1 (.2): 172.20.k.0/30.
    std::vector<Link> chain;
    for (uint32_t k = 0; k + 1 < ROUTERS; k++) {
        const std::string net = "172.20." + std::to_string(k) + ".0";
        chain.push_back(Connect(coreLinks, routers.Get(k), routers.Get(k + 1), net.c_str(),
                                "255.255.255.252", opt.qdisc));
    }
    const Link lanA = Connect(hostLinks, routers.Get(0), hostA, "10.1.0.0", "255.255.255.0",
                              opt.qdisc); // R0 10.1.0.1, hostA 10.1.0.2
    const Link lanB = Connect(hostLinks, routers.Get(ROUTERS - 1), hostB, "10.2.0.0",
                              "255.255.255.0", opt.qdisc); // R8 10.2.0.1, hostB 10.2.0.2
    const Link msLink = Connect(coreLinks, routers.Get(MS_ROUTER), ms, "172.30.0.0",
                                "255.255.255.252", opt.qdisc); // R4 .1, ms .2

    // Static routes along the chain. Each subnet sits at a router position (a chain link
    // between k and k+1 counts as both); a router reaches it left or right.
    struct Subnet {
        Ipv4Address net;
        Ipv4Mask mask;
        uint32_t lo;
        uint32_t hi; // attached to routers lo..hi
        bool eid;
    };
    std::vector<Subnet> subnets;
    for (uint32_t k = 0; k < chain.size(); k++) {
        subnets.push_back({chain[k].net, chain[k].mask, k, k + 1, false});
    }
    subnets.push_back({lanA.net, lanA.mask, 0, 0, true});
    subnets.push_back({lanB.net, lanB.mask, ROUTERS - 1, ROUTERS - 1, true});
    subnets.push_back({msLink.net, msLink.mask, MS_ROUTER, MS_ROUTER, false});
    Ipv4StaticRoutingHelper staticRouting;
    for (uint32_t i = 0; i < ROUTERS; i++) {
        Ptr<Ipv4StaticRouting> rt =
            staticRouting.GetStaticRouting(routers.Get(i)->GetObject<Ipv4>());
        for (const Subnet &s : subnets) {
            if (s.lo <= i && i <= s.hi) {
                continue; // connected
            }
            if (lisp && s.eid) {
                continue; // EID space is not routed in the core, nor between the xTRs
            }
            if (s.hi < i) { // left, via router i-1 over chain[i-1]
                rt->AddNetworkRouteTo(s.net, s.mask, chain[i - 1].addrA, chain[i - 1].ifB);
            } else { // right, via router i+1 over chain[i]
                rt->AddNetworkRouteTo(s.net, s.mask, chain[i].addrB, chain[i].ifA);
            }
        }
    }
    staticRouting.GetStaticRouting(hostA->GetObject<Ipv4>())
        ->SetDefaultRoute(lanA.addrA, lanA.ifB);
    staticRouting.GetStaticRouting(hostB->GetObject<Ipv4>())
        ->SetDefaultRoute(lanB.addrA, lanB.ifB);
    staticRouting.GetStaticRouting(ms->GetObject<Ipv4>())
        ->SetDefaultRoute(msLink.addrA, msLink.ifB);

    // LISP: MS/MR on ms, xTRs on R0 and R8.
    Ptr<LispXtr> xtrA;
    Ptr<LispXtr> xtrB;
    if (lisp) {
        const std::string key = "lisp-site-key";
        LispMapServerHelper msHelper;
        ApplicationContainer msApps = msHelper.Install(ms);
        Ptr<LispMapServer> server = DynamicCast<LispMapServer>(msApps.Get(0));
        const Ipv4Address msAddr = msLink.addrB;
        LispXtrHelper xtrHelper;
        xtrHelper.SetAttribute("MissPolicy", EnumValue(LispXtr::MISS_QUEUE));
        ApplicationContainer xtrApps =
            xtrHelper.Install(NodeContainer(routers.Get(0), routers.Get(ROUTERS - 1)));
        xtrA = DynamicCast<LispXtr>(xtrApps.Get(0));
        xtrB = DynamicCast<LispXtr>(xtrApps.Get(1));
        const Ipv4Mask sitePrefix("255.255.0.0");
        const struct {
            Ptr<LispXtr> xtr;
            const char *prefix;
            Ipv4Address rloc;
        } sites[2] = {{xtrA, "10.1.0.0", chain.front().addrA},
                      {xtrB, "10.2.0.0", chain.back().addrB}};
        for (uint32_t s = 0; s < 2; s++) {
            const uint32_t id = server->AddSite("site-" + std::to_string(s),
                                                LISP_KEY_ID_HMAC_SHA256_128, key);
            server->AddSitePrefix(id, Ipv4Address(sites[s].prefix), sitePrefix);
            sites[s].xtr->AddEidPrefix(Ipv4Address(sites[s].prefix), sitePrefix);
            sites[s].xtr->AddRloc(sites[s].rloc);
            sites[s].xtr->AddMapResolver(msAddr);
            sites[s].xtr->AddMapServer(msAddr, LISP_KEY_ID_HMAC_SHA256_128, key);
            sites[s].xtr->AddRemoteEidSpace(Ipv4Address("10.0.0.0"), Ipv4Mask("255.0.0.0"));
        }
        msApps.Start(Seconds(0));
        xtrApps.Start(Seconds(0));
        NodeContainer lispNodes(routers.Get(0), routers.Get(ROUTERS - 1), ms);
        LispAppHelper::AssignStreams(lispNodes, 0);
    }

    // Traffic. Warm-up: one packet each way; the flow: hostA -> hostB.
    UdpServerHelper flowServer(FLOW_PORT);
    ApplicationContainer flowSink = flowServer.Install(hostB);
    UdpServerHelper warmServer(WARMUP_PORT);
    ApplicationContainer warmSinks = warmServer.Install(NodeContainer(hostA, hostB));
    flowSink.Start(Seconds(0));
    warmSinks.Start(Seconds(0));
    for (const auto &[from, to] : {std::pair{hostA, lanB.addrB}, std::pair{hostB, lanA.addrB}}) {
        UdpClientHelper warm(to, WARMUP_PORT);
        warm.SetAttribute("MaxPackets", UintegerValue(1));
        warm.SetAttribute("PacketSize", UintegerValue(PACKET_SIZE));
        ApplicationContainer c = warm.Install(from);
        c.Start(WARMUP_SEND);
    }
    UdpClientHelper flow(lanB.addrB, FLOW_PORT);
    flow.SetAttribute("MaxPackets", UintegerValue(opt.packets));
    flow.SetAttribute("Interval", TimeValue(MicroSeconds(opt.intervalUs)));
    flow.SetAttribute("PacketSize", UintegerValue(PACKET_SIZE));
    ApplicationContainer flowSource = flow.Install(hostA);
    flowSource.Start(FLOW_START);

    // Phase 1: warm-up, not measured.
    Simulator::Stop(WARMUP_END);
    Simulator::Run();
    for (uint32_t i = 0; i < warmSinks.GetN(); i++) {
        if (DynamicCast<UdpServer>(warmSinks.Get(i))->GetReceived() != 1) {
            Fail(std::string(lisp ? "lisp" : "plain") + ": a warm-up packet was lost");
        }
    }
    lisp_xtr_stats beforeA{};
    if (lisp) {
        if (!xtrA->IsRegistered() || !xtrB->IsRegistered() || xtrA->GetMapCacheSize() != 1 ||
            xtrB->GetMapCacheSize() != 1) {
            Fail("lisp: xTRs not registered or map-caches not warm after the warm-up");
        }
        beforeA = xtrA->GetStats();
    }

    // Phase 2: the flow, measured.
    const Time end = FLOW_START + MicroSeconds(uint64_t{opt.intervalUs} * opt.packets) + DRAIN;
    Simulator::Stop(end - Simulator::Now());
    const uint64_t events0 = Simulator::GetEventCount();
    const double cpu0 = CpuSeconds();
    Simulator::Run();
    const double cpu = CpuSeconds() - cpu0;
    const uint64_t events = Simulator::GetEventCount() - events0;

    Ptr<UdpServer> sink = DynamicCast<UdpServer>(flowSink.Get(0));
    const uint32_t received = static_cast<uint32_t>(sink->GetReceived());
    if (received != opt.packets || sink->GetLost() != 0) {
        Fail(std::string(lisp ? "lisp" : "plain") + ": " + std::to_string(received) + " of " +
             std::to_string(opt.packets) + " packets delivered");
    }
    if (lisp) {
        const lisp_xtr_stats a = xtrA->GetStats();
        const lisp_xtr_stats b = xtrB->GetStats();
        if (a.encapsulated - beforeA.encapsulated != opt.packets ||
            a.map_requests_sent != beforeA.map_requests_sent ||
            b.decapsulated < uint64_t{opt.packets} + 1) {
            Fail("lisp: the flow did not go through the overlay with warm map-caches");
        }
    }
    Simulator::Destroy();
    return {cpu, events, received};
}

/* The q-quantile of v (0.5: the median), interpolating between neighbours. */
double Quantile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    const double at = q * static_cast<double>(v.size() - 1);
    const size_t below = static_cast<size_t>(at);
    const size_t above = below + 1 < v.size() ? below + 1 : below;
    return v[below] + (v[above] - v[below]) * (at - static_cast<double>(below));
}

double Median(const std::vector<double> &v)
{
    return Quantile(v, 0.5);
}

[[noreturn]] void Usage(const char *argv0)
{
    std::cerr << "usage: " << argv0
              << " [--quick] [--runs N] [--packets N] [--interval US] [--no-qdisc]"
                 " [--only plain|lisp] [--out FILE]\n";
    std::exit(2);
}

uint32_t Number(int argc, char **argv, int &i)
{
    if (i + 1 >= argc) {
        Usage(argv[0]);
    }
    char *end = nullptr;
    const unsigned long v = std::strtoul(argv[++i], &end, 10);
    if (*end || v == 0 || v > 100000000ul) {
        Usage(argv[0]);
    }
    return static_cast<uint32_t>(v);
}

} // namespace

int main(int argc, char **argv)
{
    Options opt;
    const char *outPath = nullptr;
    for (int i = 1; i < argc; i++) {
        if (!std::strcmp(argv[i], "--quick")) {
            opt.runs = 3;
            opt.packets = 5000;
        } else if (!std::strcmp(argv[i], "--runs")) {
            opt.runs = Number(argc, argv, i);
        } else if (!std::strcmp(argv[i], "--packets")) {
            opt.packets = Number(argc, argv, i);
        } else if (!std::strcmp(argv[i], "--interval")) {
            opt.intervalUs = Number(argc, argv, i);
        } else if (!std::strcmp(argv[i], "--no-qdisc")) {
            opt.qdisc = false;
        } else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) {
            const std::string v = argv[++i];
            if (v != "plain" && v != "lisp") {
                Usage(argv[0]);
            }
            opt.only = v == "lisp";
        } else if (!std::strcmp(argv[i], "--out") && i + 1 < argc) {
            outPath = argv[++i];
        } else {
            Usage(argv[0]);
        }
    }

    std::vector<double> cpu[2];   // [0] plain, [1] lisp
    std::vector<double> pairs;    // lisp / plain of each consecutive pair
    uint64_t events[2] = {0, 0};
    for (uint32_t r = 0; r < opt.runs; r++) {
        const bool lispFirst = r % 2 == 1; // ABBA: plain lisp, lisp plain, ...
        double pair[2] = {0, 0};
        for (int k = 0; k < 2; k++) {
            const bool lisp = (k == 0) == lispFirst;
            if (opt.only >= 0 && lisp != (opt.only == 1)) {
                continue;
            }
            const RunResult res = RunOnce(lisp, opt);
            cpu[lisp].push_back(res.cpu);
            events[lisp] = res.events;
            pair[lisp] = res.cpu;
            std::fprintf(stderr, "run %u %-5s %.3f s CPU, %lu events\n", r, lisp ? "lisp" : "plain",
                         res.cpu, static_cast<unsigned long>(res.events));
        }
        if (opt.only < 0) {
            pairs.push_back(pair[1] / pair[0]);
        }
    }
    if (opt.only >= 0) {
        return 0; // one variant: the per-run lines above are the result
    }

    const double med[2] = {Median(cpu[0]), Median(cpu[1])};
    const double ratio = med[1] / med[0];
    const double pairRatio = Median(pairs);
    char rows[2][200];
    for (int v = 0; v < 2; v++) {
        std::snprintf(rows[v], sizeof rows[v], "| %s | %.3f | %.3f .. %.3f | %.0f | %.0f |",
                      v ? "LISP (xTRs at R0 and R8)" : "plain IP", med[v],
                      *std::min_element(cpu[v].begin(), cpu[v].end()),
                      *std::max_element(cpu[v].begin(), cpu[v].end()), opt.packets / med[v],
                      static_cast<double>(events[v]) / opt.packets);
    }
    char title[300];
    std::snprintf(title, sizeof title,
                  "ns-3 overhead: %u UDP packets of %u B across a %u-router chain, %u runs per "
                  "variant (ABBA), %s",
                  opt.packets, PACKET_SIZE, ROUTERS, opt.runs,
                  opt.qdisc ? "default queue discs" : "no queue discs");
    const char *header = "| variant | median CPU s | min .. max | packets per CPU s | events "
                         "per packet |\n|---|---:|---:|---:|---:|\n";
    char summary[300];
    std::snprintf(summary, sizeof summary,
                  "Ratio LISP / plain of the median CPU times: %.3f; median of the per-pair "
                  "ratios: **%.3f** (quartiles %.3f .. %.3f; goal <= 1.15).",
                  ratio, pairRatio, Quantile(pairs, 0.25), Quantile(pairs, 0.75));

    std::printf("%s\n%s%s\n%s\n%s\n", title, header, rows[0], rows[1], summary);
    if (outPath) {
        FILE *out = std::fopen(outPath, "a");
        if (!out) {
            std::perror(outPath);
            return 1;
        }
        std::fprintf(out, "\n### %s\n\n%s%s\n%s\n\n%s\n", title, header, rows[0], rows[1],
                     summary);
        std::fclose(out);
    }
    return 0;
}
