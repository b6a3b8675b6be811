/*
 * lisp-nat-behaviour.cc - what an RFC 5780 probe finds out about each NAT preset.
 *
 *   host 10.0.0.2 ==lan== NAT --2ms-- router --2ms-- STUN server 203.0.113.2 and .3
 *                    (10.0.0.1 | 198.51.100.1)             (ports 3478 and 3479)
 *
 * For each preset of the NAT engine (or the one --preset names) the program builds the
 * topology, runs the STUN behaviour-discovery client (LispStunClient) on the host against
 * the two-address server (LispStunServer), and prints one row: the behaviours the preset
 * configures, the mapping and filtering behaviour the probe measured and the RFC 3489 class
 * it gives, and how many of three pings from the host to the server were answered (ICMP
 * echo through the NAT). With --inner=PRESET a second NAT sits between the host and the first one
 * (a home NAT behind a carrier-grade NAT): the probe then measures the pair.
 *
 * With --pcap it writes pcaps on both sides of every NAT into --pcapDir
 * (lisp-nat-<preset>-nat<i>-inside.pcap / -outside.pcap), with real IPv4, UDP and ICMP checksums:
 *
 *   tshark -r lisp-nat-symmetric-nat1-outside.pcap -Y stun
 *
 * Run: lisp-nat-behaviour --help
 */
#include "ns3/core-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/internet-module.h"
#include "ns3/lisp-nat-chain-helper.h"
#include "ns3/lisp-nat-helper.h"
#include "ns3/lisp-ns3-compat.h"
#include "ns3/lisp-stun-client.h"
#include "ns3/lisp_nat.h"
#include "ns3/network-module.h"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

const char *const MAPPING[] = {"EIM", "ADM", "APDM"};
const char *const FILTERING[] = {"EIF", "ADF", "APDF"};
const char *const PORTS[] = {"preserve", "sequential", "random"};
const uint32_t PINGS = 3; // ICMP echo requests from the host to the server, after the probe
uint32_t g_pingReplies = 0;

#if LISP_NS3_HAS_PING
void PingRtt(uint16_t seq, Time rtt) // Ping's Rtt trace (ns-3.38 on)
{
    (void)seq;
#else
void PingRtt(Time rtt) // V4Ping's
{
#endif
    (void)rtt;
    g_pingReplies++;
}

/* The behaviours a preset configures, from the engine's own table. */
std::string Configured(const std::string &preset)
{
    lisp_nat_config cfg;
    lisp_nat_config_default(&cfg);
    if (lisp_nat_preset(&cfg, preset.c_str()) != LISP_OK || cfg.mapping > 2 || cfg.filtering > 2 ||
        cfg.port_policy > 2) {
        return "?";
    }
    return std::string(MAPPING[cfg.mapping]) + "/" + FILTERING[cfg.filtering] + "/" +
           PORTS[cfg.port_policy];
}

LispStunClient::Result RunProbe(const std::vector<std::string> &presets, Time timeout,
                                const std::string &pcapPrefix)
{
    LispNatChainHelper helper;
    LispNatChain chain = helper.Build(presets);
    if (!pcapPrefix.empty()) {
        LispNatChainHelper::EnablePcap(chain, pcapPrefix);
    }
    LispNatHelper::AssignStreams(chain.natRouters, 1);

    Ptr<LispStunClient> client = CreateObject<LispStunClient>();
    client->SetAttribute("ServerAddress", Ipv4AddressValue(chain.serverPrimary));
    client->SetAttribute("ResponseTimeout", TimeValue(timeout));
    client->AssignStreams(100);
    chain.hosts.Get(0)->AddApplication(client);
    client->SetStartTime(Seconds(1));

    // ICMP echo through the NAT(s) once the probe is done (it takes under 15 s).
#if LISP_NS3_HAS_PING
    PingHelper pinger(chain.serverPrimary);
    pinger.SetAttribute("VerboseMode", EnumValue(Ping::SILENT));
#else
    V4PingHelper pinger(chain.serverPrimary);
#endif
    pinger.SetAttribute("Interval", TimeValue(Seconds(1)));
    ApplicationContainer ping = pinger.Install(chain.hosts.Get(0));
    ping.Start(Seconds(20));
    ping.Stop(Seconds(20 + PINGS - 0.5));
    ping.Get(0)->TraceConnectWithoutContext("Rtt", MakeCallback(&PingRtt));
    g_pingReplies = 0;

    Simulator::Stop(Seconds(30));
    Simulator::Run();
    LispStunClient::Result result = client->GetResult();
    Simulator::Destroy();
    return result;
}

} // namespace

int main(int argc, char *argv[])
{
    std::string preset = "all";
    std::string inner;
    bool pcap = false;
    std::string pcapDir = ".";
    Time timeout = Seconds(1);

    CommandLine cmd(__FILE__);
    cmd.Usage("Probes each NAT preset with an RFC 5780 STUN client and prints its measured "
              "mapping and filtering behaviour and RFC 3489 class.");
    cmd.AddValue("preset", "The NAT's preset, or \"all\" for one run per preset", preset);
    cmd.AddValue("inner", "A second NAT with this preset between the host and the first", inner);
    cmd.AddValue("responseTimeout",
                 "The probe's wait for an answer (LispStunClient::ResponseTimeout)", timeout);
    cmd.AddValue("pcap", "Write pcaps on both sides of every NAT", pcap);
    cmd.AddValue("pcapDir", "Directory of the pcaps (created when missing)", pcapDir);
    cmd.Parse(argc, argv);

    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true)); // real checksums, for the pcaps
    if (pcap) {
        std::filesystem::create_directories(pcapDir);
    }

    std::vector<std::string> presets;
    for (size_t i = 0; preset == "all" && lisp_nat_preset_at(i); i++) {
        presets.emplace_back(lisp_nat_preset_at(i));
    }
    if (preset != "all") {
        presets.push_back(preset);
    }

    // One row per preset: its name ("outer+inner" for a pair) and configured behaviours.
    std::vector<std::pair<std::string, std::string>> rows;
    size_t nameWidth = 8;
    size_t configuredWidth = 12;
    for (const std::string &p : presets) {
        rows.emplace_back(inner.empty() ? p : p + "+" + inner,
                          inner.empty() ? Configured(p)
                                        : Configured(p) + " + " + Configured(inner));
        nameWidth = std::max(nameWidth, rows.back().first.size() + 2);
        configuredWidth = std::max(configuredWidth, rows.back().second.size() + 2);
    }

    std::cout << std::left << std::setw(nameWidth) << "preset" << std::setw(configuredWidth)
              << "configured" << std::setw(9) << "mapping" << std::setw(11) << "filtering"
              << std::setw(22) << "RFC 3489"
              << "pings\n";
    int failures = 0;
    for (size_t i = 0; i < presets.size(); i++) {
        std::vector<std::string> chain{presets[i]};
        if (!inner.empty()) {
            chain.push_back(inner);
        }
        const LispStunClient::Result r =
            RunProbe(chain, timeout, pcap ? pcapDir + "/lisp-nat-" + rows[i].first : "");
        std::cout << std::setw(nameWidth) << rows[i].first << std::setw(configuredWidth)
                  << rows[i].second << std::setw(9) << r.MappingName() << std::setw(11)
                  << r.FilteringName() << std::setw(22) << r.Rfc3489Name() << g_pingReplies << "/"
                  << PINGS;
        if (!r.complete) {
            std::cout << " (" << r.error << ")";
            failures++;
        }
        if (g_pingReplies != PINGS) {
            failures++;
        }
        std::cout << "\n";
    }
    return failures ? 1 : 0;
}
