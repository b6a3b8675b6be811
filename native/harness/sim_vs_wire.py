#!/usr/bin/env python3
"""native/sim-vs-wire, native/sim-vs-wire-pxtr: an ns-3 example and the same scenario with
lispd in namespaces put the same LISP control messages on the wire.

Runs the ns-3 example (build/examples/lisp-two-sites or lisp-pxtr, --pcap
--missPolicy=queue, 10 s simulated) and the native topology of the same name
(lispharness/topologies.py, the same address plan) with the example's traffic on the
example's schedule, counted from the moment the daemons are up:

  two-sites  UDP echo host0-0 -> host1-0 port 9, 5 requests of 200 bytes one a second from
             1 s; ping host1-0 -> host0-0, 8 echo requests one a second from 1.5 s.
  pxtr       UDP nonlisp0 -> host0-0 port 4000 from 1 s and host0-0 -> nonlisp0 port 4001
             from 1.5 s, 5 datagrams of 200 bytes one a second each.

Both runs' pcaps are dissected with tshark (wireshark/lisp-ports.lua) into the sequence of
LISP control messages (lispharness/sequence.py: type, flags, record count, EID-prefixes,
locator count, action and TTL per record, locators and ITR-RLOCs as role names, key-id
and authentication length; nonces and times ignored; one copy per message, from its
sender's link; grouped by sender -> receiver channel). Any difference fails, and the two
sequences are printed side by side.

Intentional normalisations (sequence.py): the interleaving of independent channels (ns-3
starts every node at t = 0, natively the daemons start a few milliseconds apart), and the
roles: ns-3's addresses come from the example's own summary line, the native ones from the
topology. The native pcaps are also checked frame by frame, as in native/two-sites.

usage: sim_vs_wire.py --scenario two-sites|pxtr --lispd PATH --lispctl PATH
                      --ns3-example PATH|none [--keep DIR]
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

SCENARIO_END = 10.0
SIZE = 200


def test_name(argv):
    return "native/sim-vs-wire-pxtr" if "pxtr" in argv else "native/sim-vs-wire"


TEST = test_name(sys.argv)


class TwoSites:
    scenario = scenarios.TwoSites
    # "  host0-0 10.1.0.2 behind xtr0 (RLOC 172.16.1.2), host1-0 ... , MS/MR 172.30.0.2"
    summary = re.compile(r"host0-0 (\S+) behind xtr0 \(RLOC (\S+)\), host1-0 (\S+) behind "
                         r"xtr1 \(RLOC (\S+)\), MS/MR (\S+)")
    roles = ("host0-0", "xtr0", "host1-0", "xtr1", "ms-mr")

    @staticmethod
    def traffic(nodes, at, failures):
        sink = traffic.UdpSink(nodes["host1-0"], 9, echo=True, idle=3.0, max_time=SCENARIO_END)
        at(1.0)
        echo = start_sender(nodes["host0-0"], "10.2.0.2", 9, "udp-echo-client", echo=True)
        at(1.5)
        sent, received = traffic.ping(nodes["host1-0"], "10.1.0.2", 8, interval=1.0)
        at(SCENARIO_END)
        echo.popen.wait(10)
        echoed = traffic.last_json(echo.log(), "UDP echo client")["echoed"]
        sink.result()
        expect(failures, echoed == 5, "native UDP echo: %d of 5 echoed" % echoed)
        expect(failures, received == 8, "native ping host1-0 -> host0-0: %d sent, %d replies"
               % (sent, received))


class Pxtr:
    scenario = scenarios.Pxtr
    # "  host0-0 10.1.0.2 behind xtr0 (RLOC 172.16.1.2), nonlisp0 198.51.100.2 (not LISP),
    #  pxtr PITR + PETR (RLOC 172.24.0.2), MS/MR 172.30.0.2"
    summary = re.compile(r"host0-0 (\S+) behind xtr0 \(RLOC (\S+)\), nonlisp0 (\S+) \(not "
                         r"LISP\), pxtr PITR \+ PETR \(RLOC (\S+)\), MS/MR (\S+)")
    roles = ("host0-0", "xtr0", "nonlisp0", "pxtr", "ms-mr")

    @staticmethod
    def traffic(nodes, at, failures):
        sinks = [traffic.UdpSink(nodes["host0-0"], 4000, idle=3.0, max_time=SCENARIO_END),
                 traffic.UdpSink(nodes["nonlisp0"], 4001, idle=3.0, max_time=SCENARIO_END)]
        at(1.0)
        start_sender(nodes["nonlisp0"], "10.1.0.2", 4000, "udp-to-host0-0")
        at(1.5)
        start_sender(nodes["host0-0"], "198.51.100.2", 4001, "udp-to-nonlisp0")
        at(SCENARIO_END)
        for sink, what in zip(sinks, ("nonlisp0 -> host0-0", "host0-0 -> nonlisp0")):
            received = sink.result()["received"]
            expect(failures, received == 5, "native UDP %s: %d of 5 received" % (what, received))


SCENARIOS = {"two-sites": TwoSites, "pxtr": Pxtr}


def start_sender(node, destination, port, name, echo=False):
    """5 datagrams of SIZE bytes, one a second (the examples' UdpClient/UdpEchoClient)."""
    argv = [sys.executable, traffic.UDP_FLOW, "send", "--dst", destination, "--port",
            str(port), "--count", "5", "--interval", "1", "--size", str(SIZE)]
    return node.start(argv + (["--echo"] if echo else []), name)


def add_arguments(parser):
    scenarios.Tools.add_arguments(parser)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="two-sites")
    parser.add_argument("--ns3-example", required=True,
                        help="build/examples/lisp-<scenario>, or 'none' in an engine-only "
                             "build")


def skip_without_example(args):
    example = args.ns3_example
    if example == "none" or not os.access(example, os.X_OK):
        print("%s: SKIPPED, no ns-3 example to compare with (%s): this is an engine-only "
              "build (LISP_WITH_NS3=OFF); the full build (build/, with ns-3) runs this "
              "comparison" % (TEST, example))
        sys.exit(netns.SKIP)


def ns3_sequence(args, spec, run):
    directory = run.path("ns3")
    proc = subprocess.run([args.ns3_example, "--pcap", "--pcapDir=" + directory,
                           "--missPolicy=queue", "--simTime=%g" % SCENARIO_END],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=120, check=False)
    if proc.returncode != 0:
        raise netns.HarnessError("%s failed (exit %d):\n%s" % (args.ns3_example,
                                                               proc.returncode, proc.stderr))
    m = spec.summary.search(proc.stdout)
    if not m:
        raise netns.HarnessError("no address summary in the example's output:\n" + proc.stdout)
    roles = dict(zip(m.groups(), spec.roles))
    pcaps = sorted(glob.glob(os.path.join(directory, "*.pcap")))
    nodes = {}
    for pcap in pcaps:  # lisp-<node>-<device>.pcap
        name = re.match(r"lisp-(.+)-\d+\.pcap$", os.path.basename(pcap))
        nodes[os.path.basename(pcap)] = {name.group(1)} if name else set()
    result = wire.dissect(pcaps, directory)
    return sequence.control_sequence(result.messages, roles, nodes)


def native_sequence(args, spec, run, failures):
    scenario = spec.scenario(run, scenarios.Tools.from_args(args)).up()
    t0 = time.monotonic()

    def at(offset):
        time.sleep(max(0.0, t0 + offset - time.monotonic()))

    spec.traffic(scenario.topo.nodes, at, failures)
    failures += scenario.stop()
    result = wire.dissect(scenario.topo.captures.pcaps(), run.dir)
    failures += result.failures
    return sequence.control_sequence(result.messages, scenario.topo.roles,
                                     scenario.topo.nodes_of_capture())


def body(args, run, failures):
    spec = SCENARIOS[args.scenario]
    simulated = ns3_sequence(args, spec, run)
    native = native_sequence(args, spec, run, failures)
    table = sequence.side_by_side(simulated, native, "ns-3 (%s --pcap)"
                                  % os.path.basename(args.ns3_example),
                                  "native (lispd in namespaces)")
    if simulated != native or not simulated:
        failures.append("the LISP control messages differ (or none were seen):\n" + table)
        return None
    return "%d control messages, the same in both:\n%s" % (len(native), table)


if __name__ == "__main__":
    testing.run(TEST, __doc__.splitlines()[0], body, add_arguments, skip_without_example)
