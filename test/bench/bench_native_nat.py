#!/usr/bin/env python3
"""bench_native_nat: packets/s of one UDP flow through lispd's NAT against the kernel's
nftables masquerade, on the same veth path (native/harness/lispharness/natlab.py):

  client 10.0.0.2 --veth-- nat (lispd nat, or nft masquerade) --veth-- server 192.0.2.10

iperf3 sends 64-byte UDP datagrams as fast as it can (-u -b 0, 4 MiB socket buffers) from
the client to the server for a few seconds; the figure is the datagrams the server
received per second. The two NATs alternate in ABBA rounds (lispd, masquerade, masquerade,
lispd), each run with a fresh NAT, and each round gives one ratio; the table has the
medians. lispd runs the port-restricted-cone preset (the behaviour of
masquerade); its CPU time (user + system, from /proc/PID/stat) over the datagrams it
translated is the daemon's CPU per packet. The ratio lispd / masquerade is the
headline. The kernel's NAT work is softirq time that no process is charged for, so no CPU
per packet is given for masquerade. On a machine where the sender saturates before
either NAT does, the ratio approaches 1: the table says which side was the limit by
reporting the sender's rate too.

A benchmark, not a test: it asserts nothing about speed; it prints a table and appends it
to --out as markdown. Needs root and network namespaces (without them it says so and
exits 0, so `make bench` goes on) and iperf3.

usage: bench_native_nat.py --lispd PATH --lispctl PATH [--quick] [--out FILE]
Only the Python standard library is used.
"""

import argparse
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "native", "harness"))
from lispharness import natlab, netns, scenarios  # noqa: E402

PAYLOAD = 64


def cpu_seconds(pid):
    """utime + stime of a process, in seconds."""
    with open("/proc/%d/stat" % pid, encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def iperf(lab, seconds):
    """One iperf3 UDP flood: (sent/s, received/s)."""
    proc = lab.client.run_cmd(["iperf3", "-c", natlab.SERVERS[0], "-u", "-b", "0", "-l",
                               str(PAYLOAD), "-w", "4M", "-t", str(seconds), "-J"],
                              check=False, timeout=seconds + 30)
    try:
        end = json.loads(proc.stdout)["end"]["sum"]
    except (ValueError, KeyError) as e:
        raise netns.HarnessError("iperf3: %s\n%s%s" % (e, proc.stdout, proc.stderr)) from e
    sent = end["packets"]
    received = sent - end["lost_packets"]
    return sent / end["seconds"], received / end["seconds"]


def one_run(lab, mode, seconds):
    """One flood through one NAT: (sent/s, received/s, lispd CPU µs per packet or None)."""
    if mode == "lispd":
        daemon = lab.start_lispd("port-restricted-cone")
        pid = daemon.proc.popen.pid
        cpu0 = cpu_seconds(pid)
    else:
        lab.start_linux("masquerade")
    sent, received = iperf(lab, seconds)
    cpu_us = None
    if mode == "lispd":
        packets = sum(daemon.show("nat")["counters"][k] for k in ("outbound", "inbound"))
        cpu_us = (cpu_seconds(pid) - cpu0) * 1e6 / packets if packets else None
    lab.stop_nat()
    print("  %-10s sent %9.0f/s  received %9.0f/s%s" % (
        mode, sent, received, "  lispd %.2f us CPU/packet" % cpu_us if cpu_us else ""),
        flush=True)
    return sent, received, cpu_us


def measure(lab, pairs, seconds):
    """pairs rounds of lispd, masquerade, masquerade, lispd (ABBA: a drift of the shared
    machine slower than one round cancels in the round's ratio). Runs per mode and the
    ratio of received/s of each round."""
    runs = {"lispd": [], "masquerade": []}
    ratios = []
    for _ in range(pairs):
        got = {"lispd": [], "masquerade": []}
        for mode in ("lispd", "masquerade", "masquerade", "lispd"):
            got[mode].append(one_run(lab, mode, seconds))
        ratios.append(sum(r[1] for r in got["lispd"]) / sum(r[1] for r in got["masquerade"]))
        for mode in got:
            runs[mode] += got[mode]
    return runs, ratios


def median_of(runs, index):
    values = [r[index] for r in runs if r[index] is not None]
    return statistics.median(values) if values else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lispd", required=True)
    ap.add_argument("--lispctl", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out")
    opts = ap.parse_args()
    why = netns.why_no_namespaces()
    missing = natlab.tool_missing(["iperf3", "nft"])
    if why or missing:
        print("bench_native_nat: skipped (%s)" % (why or "%s is not installed" % missing))
        return 0
    seconds = 1 if opts.quick else 4
    pairs = 1 if opts.quick else 3
    load = os.getloadavg()[0]
    tools = scenarios.Tools(opts.lispd, opts.lispctl)
    with netns.Run("bench-native-nat") as run:
        lab = natlab.NatLab(run, tools)
        lab.server.start(["iperf3", "-s", "-B", natlab.SERVERS[0]], "iperf3")
        if not netns.wait_for(lambda: "%s:5201" % natlab.SERVERS[0] in lab.server.run_cmd(
                ["ss", "-Hltn"], check=False).stdout, 10):
            raise SystemExit("bench_native_nat: iperf3 -s did not start")
        runs, ratios = measure(lab, pairs, seconds)
        lab.close()
    ratio = statistics.median(ratios)
    print("lispd nat / nft masquerade: %.2f (received datagrams/s; rounds %s; load average "
          "%.1f before)" % (ratio, ", ".join("%.2f" % r for r in ratios), load))
    if opts.out:
        with open(opts.out, "a", encoding="utf-8") as f:
            f.write("\n### Native NAT daemon: one UDP flow (iperf3 -u -b 0 -l %d, %d s a run, "
                    "%d ABBA rounds, medians; load average %.1f on %d CPUs before)\n\n"
                    "| NAT | sent/s | received/s | CPU per packet |\n|---|---|---|---|\n"
                    % (PAYLOAD, seconds, pairs, load, os.cpu_count()))
            for mode, name in (("lispd", "lispd nat (port-restricted-cone, NFQUEUE)"),
                               ("masquerade", "nftables masquerade")):
                cpu = median_of(runs[mode], 2)
                f.write("| %s | %.0f | %.0f | %s |\n" % (
                    name, median_of(runs[mode], 0), median_of(runs[mode], 1),
                    "%.2f us (lispd)" % cpu if cpu else "softirq (not measured)"))
            f.write("\nratio lispd / masquerade (received/s): %.2f (rounds: %s)\n"
                    % (ratio, ", ".join("%.2f" % r for r in ratios)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
