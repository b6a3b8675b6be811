/*
 * bench_scale.cc - what many xTRs registering to one Map-Server/Map-Resolver cost an ns-3
 * simulation: CPU time to build and to run, and memory per xTR, for 1,000, 10,000 and
 * 100,000 xTRs (goals: 100,000 in one process on a 24 GB machine; CPU per registration
 * flat within 1.5x from 1k to 100k; an idle xTR adds at most 16 KB).
 *
 * Topology: LispTreeTopologyHelper (fanout 64, no hosts, the xTRs starting evenly over the
 * first 10 s). Each size runs three registration periods (RegisterInterval 60 s, so 180 s
 * simulated): every xTR registers at its start and twice more, 3 N registrations. The run
 * is timed in two parts: the first period (the applications start, creating the engines,
 * and register once) and the two others (2 N refreshes, nothing else).
 *
 * Each measurement is a separate process, so that its peak RSS is its own: the program runs
 * itself with --one N --lisp 0|1, once without the LISP applications (the same nodes,
 * links, addresses and routes: the baseline) and once with them. A child reports
 *   build CPU  CPU time of building the topology (helper Build and AssignStreams);
 *   run CPU    CPU time of Simulator::Run (the LISP applications start inside it, so it
 *              includes creating the engines, the Map-Server's with N sites), in all and
 *              for the two refresh periods alone;
 *   peak RSS   getrusage ru_maxrss at the end;
 *   per node   (peak RSS - RSS before building) / N: all the simulation's memory (routers,
 *              MS/MR and event queue included) divided by the xTRs;
 *   registrations accepted at the MS (lisp_ms_stats.records_accepted) and xTRs registered.
 * CPU times are CLOCK_PROCESS_CPUTIME_ID (ns-3 is single-threaded); a child exits without
 * Simulator::Destroy, whose teardown is not measured.
 *
 *   bench_scale [--quick] [--sizes N[,N...]] [--fanout N] [--out FILE]
 *   bench_scale --one N --lisp 0|1 [--fanout N]   one measurement; prints one RESULT line
 *     --quick   1,000 and 10,000 xTRs only
 *     --sizes   these sizes instead (each 1 to 262,144)
 *     --fanout  children per router (2 to 96; default 64). 1,000 xTRs make a tree of two
 *               router levels at 64, three at 10: the depth of the 10,000 and 100,000
 *               trees, so that CPU per registration compares equal path lengths
 *     --out     append the table to FILE as markdown
 *
 * A benchmark, not a test: it exits with 1 when a size did not register every xTR three
 * times, and never asserts speed or memory.
 */
#include "ns3/core-module.h"
#include "ns3/lisp-tree-topology-helper.h"

#include <sys/resource.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace ns3;

namespace
{

const uint32_t DEFAULT_FANOUT = 64;
const Time START_WINDOW = Seconds(10);
const Time REGISTER_INTERVAL = Seconds(60);
const uint32_t PERIODS = 3;
const double KIB = 1024;
const double MIB = 1024 * 1024;

/* What one child process measured. */
struct Measurement {
    uint32_t xtrs = 0;
    uint32_t routers = 0;
    double buildCpu = 0;     // s
    double runCpu = 0;       // s, the three periods
    double refreshCpu = 0;   // s, periods 2 and 3
    uint64_t rssBefore = 0;  // bytes, before building
    uint64_t peakRss = 0;    // bytes
    uint64_t accepted = 0;   // lisp_ms_stats.records_accepted
    uint64_t registered = 0; // xTRs Map-Notified at the end
};

double CpuSeconds()
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/* VmRSS of this process, bytes. */
uint64_t CurrentRss()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.compare(0, 6, "VmRSS:") == 0) {
            return std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
        }
    }
    return 0;
}

uint64_t PeakRss()
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<uint64_t>(usage.ru_maxrss) * 1024; // Linux: kilobytes
}

/* One measurement in this process: build, run PERIODS periods, print the RESULT line. */
[[noreturn]] void MeasureOne(uint32_t xtrs, bool lisp, uint32_t fanout)
{
    Measurement m;
    m.xtrs = xtrs;
    m.rssBefore = CurrentRss();
    const double cpu0 = CpuSeconds();
    LispTreeTopologyHelper tree;
    tree.SetSites(xtrs);
    tree.SetHostsPerSite(0);
    tree.SetFanout(fanout);
    tree.SetStartWindow(START_WINDOW);
    tree.SetLispApps(lisp);
    tree.XtrHelper().SetAttribute("RegisterInterval", TimeValue(REGISTER_INTERVAL));
    tree.Build();
    tree.AssignStreams(0);
    const double cpu1 = CpuSeconds();
    m.buildCpu = cpu1 - cpu0;
    m.routers = tree.GetRouterCount();

    Simulator::Stop(REGISTER_INTERVAL);
    Simulator::Run();
    const double cpu2 = CpuSeconds();
    Simulator::Stop(REGISTER_INTERVAL * (PERIODS - 1));
    Simulator::Run();
    const double cpu3 = CpuSeconds();
    m.runCpu = cpu3 - cpu1;
    m.refreshCpu = cpu3 - cpu2;
    m.peakRss = PeakRss();
    if (lisp) {
        m.accepted = tree.GetMapServer()->GetMapServerStats().records_accepted;
        for (uint32_t s = 0; s < xtrs; s++) {
            m.registered += tree.GetXtr(s)->IsRegistered();
        }
    }
    std::printf("RESULT %u %u %.6f %.6f %.6f %lu %lu %lu %lu\n", m.xtrs, m.routers, m.buildCpu,
                m.runCpu, m.refreshCpu, static_cast<unsigned long>(m.rssBefore),
                static_cast<unsigned long>(m.peakRss), static_cast<unsigned long>(m.accepted),
                static_cast<unsigned long>(m.registered));
    std::fflush(stdout);
    std::_Exit(0); // tearing down 100,000 nodes is not measured, so not waited for either
}

/* Run this program with --one in a child process and read its RESULT line. */
Measurement Spawn(uint32_t xtrs, bool lisp, uint32_t fanout)
{
    char exe[PATH_MAX];
    const ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) {
        std::perror("readlink /proc/self/exe");
        std::exit(1);
    }
    exe[len] = '\0';
    const std::string command = "'" + std::string(exe) + "' --one " + std::to_string(xtrs) +
                                " --lisp " + (lisp ? "1" : "0") +
                                " --fanout " + std::to_string(fanout);
    FILE *child = popen(command.c_str(), "r");
    Measurement m;
    bool found = false;
    char line[512];
    while (child && std::fgets(line, sizeof line, child)) {
        Measurement r;
        unsigned long v[4];
        if (std::sscanf(line, "RESULT %u %u %lf %lf %lf %lu %lu %lu %lu", &r.xtrs, &r.routers,
                        &r.buildCpu, &r.runCpu, &r.refreshCpu, &v[0], &v[1], &v[2], &v[3]) == 9) {
            r.rssBefore = v[0];
            r.peakRss = v[1];
            r.accepted = v[2];
            r.registered = v[3];
            m = r;
            found = true;
        }
    }
    if (!child || pclose(child) != 0 || !found) {
        std::cerr << "bench_scale: " << command << " failed\n";
        std::exit(1);
    }
    return m;
}

[[noreturn]] void Usage(const char *argv0)
{
    std::cerr << "usage: " << argv0
              << " [--quick] [--sizes N[,N...]] [--fanout N] [--out FILE]\n"
                 "       "
              << argv0 << " --one N --lisp 0|1 [--fanout N]\n";
    std::exit(2);
}

uint32_t Size(const char *argv0, const std::string &text)
{
    char *end = nullptr;
    const unsigned long v = std::strtoul(text.c_str(), &end, 10);
    if (text.empty() || *end || v < 1 || v > (1ul << 18)) {
        Usage(argv0);
    }
    return static_cast<uint32_t>(v);
}

double PerXtr(const Measurement &m)
{
    return static_cast<double>(m.peakRss - m.rssBefore) / m.xtrs;
}

} // namespace

int main(int argc, char **argv)
{
    std::vector<uint32_t> sizes = {1000, 10000, 100000};
    const char *outPath = nullptr;
    int one = 0;
    int lisp = -1;
    uint32_t fanout = DEFAULT_FANOUT;
    for (int i = 1; i < argc; i++) {
        const std::string arg = argv[i];
        if (arg == "--quick") {
            sizes = {1000, 10000};
        } else if (arg == "--sizes" && i + 1 < argc) {
            sizes.clear();
            std::istringstream list(argv[++i]);
            for (std::string item; std::getline(list, item, ',');) {
                sizes.push_back(Size(argv[0], item));
            }
        } else if (arg == "--fanout" && i + 1 < argc) {
            fanout = Size(argv[0], argv[++i]);
            if (fanout < 2 || fanout > 96) {
                Usage(argv[0]);
            }
        } else if (arg == "--out" && i + 1 < argc) {
            outPath = argv[++i];
        } else if (arg == "--one" && i + 1 < argc) {
            one = static_cast<int>(Size(argv[0], argv[++i]));
        } else if (arg == "--lisp" && i + 1 < argc) {
            const std::string v = argv[++i];
            if (v != "0" && v != "1") {
                Usage(argv[0]);
            }
            lisp = v == "1";
        } else {
            Usage(argv[0]);
        }
    }
    if (one || lisp >= 0) {
        if (!one || lisp < 0) {
            Usage(argv[0]);
        }
        MeasureOne(static_cast<uint32_t>(one), lisp == 1, fanout);
    }

    std::string rows;
    bool complete = true;
    for (uint32_t n : sizes) {
        const Measurement base = Spawn(n, false, fanout);
        const Measurement with = Spawn(n, true, fanout);
        const uint64_t expected = uint64_t{n} * PERIODS;
        complete = complete && with.accepted == expected && with.registered == n;
        const double accepted = static_cast<double>(with.accepted);
        char row[600];
        std::snprintf(
            row, sizeof row,
            "| %u | %u | %.2f / %.2f | %.2f / %.2f | %.2f | %.0f | %.0f | %.0f / %.0f | "
            "%.1f / %.1f | %.1f | %lu of %lu |\n",
            n, with.routers, base.buildCpu, with.buildCpu, base.runCpu, with.runCpu,
            with.refreshCpu, accepted ? with.runCpu / accepted * 1e6 : 0.0,
            with.refreshCpu / (uint64_t{n} * (PERIODS - 1)) * 1e6,
            static_cast<double>(base.peakRss) / MIB, static_cast<double>(with.peakRss) / MIB,
            PerXtr(base) / KIB, PerXtr(with) / KIB, (PerXtr(with) - PerXtr(base)) / KIB,
            static_cast<unsigned long>(with.accepted), static_cast<unsigned long>(expected));
        std::cerr << "bench_scale: " << row;
        rows += row;
    }

    char title[300];
    std::snprintf(title, sizeof title,
                  "Scale: N xTRs registering to one MS/MR through a tree of routers (fanout %u), "
                  "%u registration periods of %.0f s",
                  fanout, PERIODS, REGISTER_INTERVAL.GetSeconds());
    const char *header =
        "a / b: without / with the LISP applications (separate processes). Refreshes: the "
        "CPU time of periods 2 and 3 alone, whose only work is 2 N refresh registrations.\n\n"
        "| xTRs | routers | build CPU s | run CPU s | refreshes CPU s | CPU us per "
        "registration | CPU us per refresh | peak RSS MiB | KiB per xTR node | LISP KiB per "
        "xTR | registrations accepted |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    std::printf("%s\n\n%s%s", title, header, rows.c_str());
    if (outPath) {
        FILE *out = std::fopen(outPath, "a");
        if (!out) {
            std::perror(outPath);
            return 1;
        }
        std::fprintf(out, "\n### %s\n\n%s%s", title, header, rows.c_str());
        std::fclose(out);
    }
    if (!complete) {
        std::cerr << "bench_scale: not every xTR registered " << PERIODS << " times\n";
        return 1;
    }
    return 0;
}
