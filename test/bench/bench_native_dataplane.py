#!/usr/bin/env python3
"""bench_native_dataplane: packets/s of a UDP flow through a native lispd xTR pair, against
the same flow routed by the kernel on the same namespace path.

The path is the two-sites topology of the namespace harness (native/harness/lispharness,
examples/lisp-two-sites.cc's address plan):

  host0-0 --- xtr0 --- core0 --- core1 --- xtr1 --- host1-0      (ms-mr off core0)

once with lispd on xtr0 and xtr1 (role xtr, registered with the MS/MR, the map-cache
filled by a ping before the flow; log level info, no captures), once without any lispd and
plain kernel routes for the two sites on every router. lisp-test-udpflow sends one UDP
flow host0-0 -> host1-0 for --seconds at the highest rate its socket takes (sendmmsg, 64
datagrams per call) and counts it at host1-0 (recvmmsg): the figure is the rate at the
receiver, (received - 1) / (time from the first datagram to the last). Sizes are whole
inner IP packets (64 and 1400 bytes: 20 bytes IPv4, 8 UDP, the rest payload); the lispd
path adds 36 bytes of outer IPv4, UDP and LISP headers on the core links.

Both paths are up at once (two harness runs) and the flows alternate between them
(kernel, lispd, kernel, lispd, ...), so that the two see the same moments of a shared
machine. Each figure is the median of --repeat runs (3; 1 with --quick, which also sends
for 2 s instead of 10), the ratio also as the median of the pairs' ratios. A benchmark, not a test: it asserts nothing about speed; it prints a table
and appends it to --out as markdown. Without root or network namespaces it says why,
writes that into --out, and exits 0 (make bench runs on).

usage: bench_native_dataplane.py --lispd LISPD --lispctl LISPCTL --udpflow LISP_TEST_UDPFLOW
                                 [--quick] [--out FILE] [--seconds S] [--repeat N]
Only the Python standard library is used.
"""

import argparse
import json
import os
import platform
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "native", "harness"))
from lispharness import netns, scenarios, topologies, traffic  # noqa: E402

SIZES = (64, 1400)
PORT = 9000
SINK = "10.2.0.2"
IP_UDP = 28  # IPv4 + UDP header bytes inside the measured packet size


def kernel_routes(topo):
    """The two sites' prefixes routed hop by hop (what lispd's overlay replaces)."""
    n = topo.nodes
    n["xtr0"].add_route("10.2.0.0/16", via="172.16.1.1")
    n["core0"].add_route("10.2.0.0/16", via="172.20.0.2")
    n["core1"].add_route("10.2.0.0/16", via="172.16.2.2")
    n["xtr1"].add_route("10.1.0.0/16", via="172.16.2.1")
    n["core1"].add_route("10.1.0.0/16", via="172.20.0.1")
    n["core0"].add_route("10.1.0.0/16", via="172.16.1.2")


def flow(opts, sender, receiver, size, seconds, rate=0):
    """One measured flow; (sender JSON, sink JSON)."""
    sink = receiver.start([opts.udpflow, "sink", "--bind", SINK, "--port", str(PORT),
                           "--idle", "1", "--max-time", str(seconds + 15)],
                          "udpflow-sink-%d" % size)
    if not netns.wait_for(lambda: "ready" in sink.log() or sink.popen.poll() is not None, 5.0) \
            or "ready" not in sink.log():
        raise netns.HarnessError("the sink did not start: %s" % sink.log())
    sent = sender.run_cmd([opts.udpflow, "send", "--dst", SINK, "--port", str(PORT), "--size",
                           str(size - IP_UDP), "--seconds", str(seconds)]
                          + (["--rate", str(rate)] if rate else []),
                          timeout=seconds + 30)
    sink.popen.wait(seconds + 30)
    return (traffic.last_json(sent.stdout, "lisp-test-udpflow send"),
            traffic.last_json(sink.log(), "lisp-test-udpflow sink"))


def setup(opts, run, path):
    """The path ("kernel" or "lispd") up, the map-cache filled; (sender, receiver, scenario
    or None)."""
    if path == "lispd":
        scen = scenarios.TwoSites(run, opts.tools, log_level="info", capture=False).up()
        waiting = scen.wait_registered([0, 1])
        if waiting:
            raise netns.HarnessError("not registered: %s" % ", ".join(waiting))
        topo = scen.topo
    else:
        scen = None
        topo = topologies.two_sites(run, run.path("pcap"), capture=False)
        kernel_routes(topo)
    host0, host1 = topo.nodes["host0-0"], topo.nodes["host1-0"]
    _, got = traffic.ping(host0, SINK, 3, interval=0.2, deadline=10)  # fills the map-cache
    if got < 1:
        raise netns.HarnessError("%s path: no ping reply from %s" % (path, SINK))
    return host0, host1, scen


def measure(opts, paths):
    """paths: {"kernel": setup(), "lispd": setup()}. The flows alternate between the two
    paths (kernel, lispd, kernel, lispd, ...), so that both see the same moments of a
    shared machine; {path: {size: [(sent pps, received pps, loss %)...]}}."""
    results = {path: {size: [] for size in SIZES} for path in paths}
    for size in SIZES:
        for _ in range(opts.repeat):
            for path, (host0, host1, _) in paths.items():
                sent, got = flow(opts, host0, host1, size, opts.seconds)
                loss = 100.0 * (1 - got["received"] / sent["sent"]) if sent["sent"] else 0.0
                results[path][size].append((sent["pps"], got["pps"], loss))
                print("  %-6s %5d B: sent %9.0f/s received %9.0f/s (%.1f%% lost)"
                      % (path, size, sent["pps"], got["pps"], loss), flush=True)
    scen = paths["lispd"][2]
    for name in ("xtr0", "xtr1"):
        print("  %s: %s" % (name, json.dumps(scen.daemons[name].show("stats").get("xtr", {}),
                                             sort_keys=True)), flush=True)
    problems = scen.stop()
    if problems:
        raise netns.HarnessError("; ".join(problems))
    return results


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%s, %d cores, Linux %s" % (model, os.cpu_count() or 0, platform.release())


def write(opts, text):
    if opts.out:
        with open(opts.out, "a", encoding="utf-8") as f:
            f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lispd", required=True)
    ap.add_argument("--lispctl", required=True)
    ap.add_argument("--udpflow", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--seconds", type=float)
    ap.add_argument("--repeat", type=int)
    opts = ap.parse_args()
    opts.seconds = opts.seconds or (2.0 if opts.quick else 10.0)
    opts.repeat = opts.repeat or (1 if opts.quick else 3)
    title = "\n### Native data plane: lispd xTR pair against kernel forwarding\n\n"
    reason = netns.why_no_namespaces()
    if reason:
        print("bench_native_dataplane: skipped, %s" % reason)
        write(opts, title + "Skipped: %s\n" % reason)
        return 0
    opts.tools = scenarios.Tools(opts.lispd, opts.lispctl)
    print("bench_native_dataplane: %d x %.0f s per size and path, alternating"
          % (opts.repeat, opts.seconds), flush=True)
    with netns.Run("bench-dataplane-kernel") as kernel_run, \
            netns.Run("bench-dataplane-lispd") as lispd_run:
        results = measure(opts, {"kernel": setup(opts, kernel_run, "kernel"),
                                 "lispd": setup(opts, lispd_run, "lispd")})
    rows = []
    for size in SIZES:
        kernel = statistics.median(r[1] for r in results["kernel"][size])
        lispd = statistics.median(r[1] for r in results["lispd"][size])
        offered = statistics.median(r[0] for r in results["lispd"][size])
        loss = statistics.median(r[2] for r in results["lispd"][size])
        pairs = statistics.median(ld[1] / k[1] for k, ld in zip(results["kernel"][size],
                                                                results["lispd"][size]) if k[1])
        rows.append((size, kernel, lispd, lispd / kernel if kernel else 0.0, pairs, offered, loss))
        print("%5d B: kernel %9.0f pps, lispd %9.0f pps, ratio %.2f (median of the pairs %.2f; "
              "lispd path offered %.0f/s, %.1f%% lost)" % rows[-1], flush=True)
    write(opts, title + "%s; UDP flow host0-0 -> host1-0, %.0f s per run, median of %d, the "
          "two paths alternating; lisp-test-udpflow at full rate.\n\n| packet | kernel pps | "
          "lispd pps | lispd / kernel | median of the pairs' ratios | offered pps (lispd path) "
          "| lost (lispd path) |\n|---|---|---|---|---|---|---|\n"
          % (machine(), opts.seconds, opts.repeat))
    write(opts, "".join("| %d B | %.0f | %.0f | %.2f | %.2f | %.0f | %.1f%% |\n" % r
                        for r in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
