#!/usr/bin/env python3
"""make native-demo: the two-sites topology with lispd in network namespaces, brought up,
pinged across, shown (`lispctl show map-cache` of each xTR, the MS/MR's sites) and torn
down; the run (configurations, daemon logs, one pcap per link) stays in --out.

usage: demo.py --lispd PATH --lispctl PATH --out DIR
Needs root (network namespaces); exits 77 with the reason otherwise.
"""

import argparse
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lispharness import netns, scenarios, traffic, wire  # noqa: E402


def show(daemon, what):
    try:
        return daemon.show_text(what).rstrip()
    except netns.HarnessError as e:
        return "(%s)" % str(e).strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lispd", required=True)
    parser.add_argument("--lispctl", required=True)
    parser.add_argument("--out", required=True, help="directory of the run (emptied first)")
    args = parser.parse_args()
    netns.skip_unless_namespaces("native-demo")
    shutil.rmtree(args.out, ignore_errors=True)
    tools = scenarios.Tools(args.lispd, args.lispctl)
    with netns.Run("native-demo", keep_dir=args.out) as run:
        print("Bringing up two LISP sites, a routed core and an MS/MR in namespaces %s-*"
              % run.prefix)
        scenario = scenarios.TwoSites(run, tools).up()
        missing = scenario.wait_registered([0, 1])
        print("Registrations: %s" % ("both xTRs registered (Map-Notify received)"
                                     if not missing else "NOT registered: %s" % missing))
        nodes = scenario.topo.nodes
        for src, dst, address in (("host0-0", "host1-0", "10.2.0.2"),
                                  ("host1-0", "host0-0", "10.1.0.2")):
            sent, received = traffic.ping(nodes[src], address, 5)
            print("ping %s -> %s (%s): %d sent, %d replies" % (src, dst, address, sent,
                                                                received))
        for name in ("xtr0", "xtr1"):
            print("\n$ lispctl -s %s show map-cache   (%s)" % (scenario.daemons[name].socket,
                                                              name))
            print(show(scenario.daemons[name], "map-cache"))
        print("\n$ lispctl -s %s show sites   (ms-mr)" % scenario.daemons["ms-mr"].socket)
        print(show(scenario.daemons["ms-mr"], "sites"))
        problems = scenario.stop()
        result = wire.dissect(scenario.topo.captures.pcaps(), run.dir)
        problems += result.failures
    print("\nTorn down. %d frames captured on %d links (%d LISP control and %d LISP data "
          "frames)%s" % (result.frames, len(scenario.topo.links), len(result.messages),
                         len(result.data), "" if problems else "; tshark finds every frame clean"))
    for problem in problems:
        print("  problem: %s" % problem)
    pcap_dir = os.path.join(args.out, "pcap")
    print("pcaps:   %s/ (README.txt says which link each file is)" % pcap_dir)
    print("logs:    %s/*.log, configurations %s/*.conf" % (args.out, args.out))
    print("open:    wireshark -X lua_script:wireshark/lisp-ports.lua "
          "-o udp.try_heuristic_first:TRUE %s/core0-xtr0.pcap" % pcap_dir)
    return 1 if problems or missing else 0


if __name__ == "__main__":
    sys.exit(main())
