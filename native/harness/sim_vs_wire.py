#!/usr/bin/env python3
"""native/sim-vs-wire: the ns-3 example lisp-two-sites and the same scenario with lispd in
namespaces put the same LISP control messages on the wire.

Runs build/examples/lisp-two-sites --pcap --missPolicy=queue (10 s simulated) and the
native two-sites topology (lispharness/topologies.py, the same address plan) with the
example's traffic on the example's schedule, counted from the moment the daemons are up:
UDP echo host0-0 -> host1-0 port 9, 5 requests of 200 bytes, one a second from 1 s; ping
host1-0 -> host0-0, 8 echo requests one a second from 1.5 s; the end at 10 s. Both runs'
pcaps are dissected with tshark (wireshark/lisp-ports.lua) into the sequence of LISP
control messages (lispharness/sequence.py: type, flags, record count, EID-prefixes,
locator counts, TTLs and actions, addresses as role names; nonces and times ignored; one
copy per message, from its sender's link; grouped by sender -> receiver channel). Any
difference fails, and the two sequences are printed side by side.

Intentional normalisations (sequence.py): the interleaving of independent channels (both
xTRs register "at t = 0" in ns-3, a few milliseconds apart natively), and the roles: ns-3's
addresses come from the example's own summary line, the native ones from the topology.
Everything else of the native pcaps is also checked frame by frame, as in native/two-sites.

usage: sim_vs_wire.py --lispd PATH --lispctl PATH --ns3-example PATH|none [--keep DIR]
Exit status: 0 same sequences, 1 different (or a run failed), 77 skipped: no ns-3 example
(an engine-only build) or no namespaces here; the reason is printed.
"""

import glob
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lispharness import netns, scenarios, sequence, testing, traffic, wire  # noqa: E402
from lispharness.testing import expect  # noqa: E402

TEST = "native/sim-vs-wire"
# "  host0-0 10.1.0.2 behind xtr0 (RLOC 172.16.1.2), host1-0 ... , MS/MR 172.30.0.2"
SUMMARY = re.compile(r"host0-0 (\S+) behind xtr0 \(RLOC (\S+)\), host1-0 (\S+) behind xtr1 "
                     r"\(RLOC (\S+)\), MS/MR (\S+)")
ECHO_PORT, ECHO_COUNT, ECHO_SIZE = 9, 5, 200
PING_COUNT = 8
SCENARIO_END = 10.0


def add_arguments(parser):
    scenarios.Tools.add_arguments(parser)
    parser.add_argument("--ns3-example", required=True,
                        help="build/examples/lisp-two-sites, or 'none' in an engine-only build")


def skip_without_example(args):
    example = args.ns3_example
    if example == "none" or not os.access(example, os.X_OK):
        print("%s: SKIPPED, no ns-3 example to compare with (%s): this is an engine-only "
              "build (LISP_WITH_NS3=OFF); the full build (build/, with ns-3) runs this "
              "comparison" % (TEST, example))
        sys.exit(netns.SKIP)


def ns3_sequence(args, run):
    directory = run.path("ns3")
    proc = subprocess.run([args.ns3_example, "--pcap", "--pcapDir=" + directory,
                           "--missPolicy=queue", "--simTime=%g" % SCENARIO_END],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=120, check=False)
    if proc.returncode != 0:
        raise netns.HarnessError("%s failed (exit %d):\n%s" % (args.ns3_example,
                                                               proc.returncode, proc.stderr))
    m = SUMMARY.search(proc.stdout)
    if not m:
        raise netns.HarnessError("no address summary in the example's output:\n" + proc.stdout)
    roles = dict(zip(m.groups(), ("host0-0", "xtr0", "host1-0", "xtr1", "ms-mr")))
    pcaps = sorted(glob.glob(os.path.join(directory, "*.pcap")))
    nodes = {}
    for pcap in pcaps:  # lisp-<node>-<device>.pcap
        name = re.match(r"lisp-(.+)-\d+\.pcap$", os.path.basename(pcap))
        nodes[os.path.basename(pcap)] = {name.group(1)} if name else set()
    result = wire.dissect(pcaps, directory)
    return sequence.control_sequence(result.messages, roles, nodes), result


def native_sequence(args, run, failures):
    scenario = scenarios.TwoSites(run, scenarios.Tools.from_args(args)).up()
    t0 = time.monotonic()
    nodes = scenario.topo.nodes
    sink = traffic.UdpSink(nodes["host1-0"], ECHO_PORT, echo=True, idle=3.0,
                           max_time=SCENARIO_END)

    def at(offset):
        time.sleep(max(0.0, t0 + offset - time.monotonic()))

    at(1.0)
    echo = nodes["host0-0"].start([sys.executable, traffic.UDP_FLOW, "send", "--dst", "10.2.0.2",
                                   "--port", str(ECHO_PORT), "--count", str(ECHO_COUNT),
                                   "--interval", "1", "--size", str(ECHO_SIZE), "--echo"],
                                  "udp-echo-client")
    at(1.5)
    sent, received = traffic.ping(nodes["host1-0"], "10.1.0.2", PING_COUNT, interval=1.0)
    at(SCENARIO_END)
    echo.popen.wait(10)
    echoed = traffic.last_json(echo.log(), "UDP echo client")
    sink.result()
    expect(failures, echoed["echoed"] == ECHO_COUNT,
           "native UDP echo: %s (expected %d echoed)" % (echoed, ECHO_COUNT))
    expect(failures, received == PING_COUNT, "native ping host1-0 -> host0-0: %d sent, %d "
           "replies" % (sent, received))
    failures += scenario.stop()
    result = wire.dissect(scenario.topo.captures.pcaps(), run.dir)
    failures += result.failures
    return sequence.control_sequence(result.messages, scenario.topo.roles,
                                     scenario.topo.nodes_of_capture()), result


def body(args, run, failures):
    simulated, _ = ns3_sequence(args, run)
    native, _ = native_sequence(args, run, failures)
    table = sequence.side_by_side(simulated, native, "ns-3 (lisp-two-sites --pcap)",
                                  "native (lispd in namespaces)")
    if simulated != native or not simulated:
        failures.append("the LISP control messages differ (or none were seen):\n" + table)
        return None
    return "%d control messages, the same in both:\n%s" % (len(native), table)


if __name__ == "__main__":
    testing.run(TEST, __doc__.splitlines()[0], body, add_arguments, skip_without_example)
