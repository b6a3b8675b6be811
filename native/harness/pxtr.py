#!/usr/bin/env python3
"""native/pxtr: a LISP site, a proxy xTR (PITR + PETR, RFC 6832) and a non-LISP host,
with lispd in network namespaces (the plan of examples/lisp-pxtr.cc).

Checks:
  * xtr0 registers (the MS/MR's `lispctl show sites`);
  * LISP -> non-LISP: a UDP flow host0-0 -> nonlisp0 of FLOW datagrams arrives FLOW
    times (xtr0 resolves 198.51.100.2, gets a negative Map-Reply with natively-forward and
    no locator, encapsulates to its PETR, the PxTR decapsulates and forwards natively);
  * non-LISP -> LISP: a UDP flow nonlisp0 -> host0-0 arrives FLOW times (the core routes
    10.0.0.0/8 to the PITR, which resolves 10.1.0.2 with the p bit and encapsulates);
  * ping host0-0 -> nonlisp0: PINGS replies (out through the PETR, back through the PITR);
  * every frame of every pcap is clean under tshark; the pcaps hold the PITR's Map-Request
    (p bit, ITR-RLOC pxtr) forwarded to xtr0 and xtr0's Map-Reply to the PxTR, the
    negative Map-Reply to xtr0, LISP data both ways between xtr0 and the PxTR, no LISP on
    the non-LISP host's link and no unencapsulated packet for the site on xtr0's link;
  * every lispd exits 0 on SIGTERM.

usage: pxtr.py --lispd PATH --lispctl PATH [--keep DIR]
Exit status: 0 passed, 1 failed, 77 no namespaces here (reason printed).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lispharness import scenarios, testing, traffic, wire  # noqa: E402
from lispharness.testing import expect  # noqa: E402

TEST = "native/pxtr"
FLOW = 20
PINGS = 5
XTR, PXTR, MS = "172.16.1.2", scenarios.PROXY_RLOC, scenarios.MS_ADDRESS
HOST, NONLISP = "10.1.0.2", "198.51.100.2"
NATIVELY_FORWARD = "1"


def check_control(messages, failures):
    def find(kind, src, dst, eids=None):
        return [m for m in messages if m.is_(kind) and m.src == src and m.dst == dst
                and (eids is None or m.eids == eids)]

    pitr = find("ECM/Map-Request", PXTR, MS, ["10.1.0.2/32"])
    if expect(failures, pitr, "no ECM'd Map-Request for 10.1.0.2 from the PITR"):
        expect(failures, "p" in pitr[0].flags and pitr[0].itr_rlocs == [PXTR]
               and not pitr[0].source_eid,
               "PITR's Map-Request: flags %s ITR-RLOCs %s source EID %s (expected p, pxtr, "
               "none)" % (pitr[0].flags, pitr[0].itr_rlocs, pitr[0].source_eid))
    expect(failures, find("ECM/Map-Request", MS, XTR, ["10.1.0.2/32"]),
           "the MS/MR did not forward the PITR's Map-Request to xtr0")
    replies = find("Map-Reply", XTR, PXTR)
    expect(failures, replies and replies[0].eids == ["10.1.0.0/16"]
           and replies[0].locators == [XTR],
           "xtr0's Map-Reply to the PITR: %s" % replies)
    expect(failures, find("ECM/Map-Request", XTR, MS, ["198.51.100.2/32"]),
           "no Map-Request for 198.51.100.2 from xtr0")
    negative = [m for m in find("Map-Reply", MS, XTR) if m.locator_counts == [0]]
    expect(failures, negative and negative[0].actions == [NATIVELY_FORWARD],
           "no negative Map-Reply (natively-forward, no locator) to xtr0: %s"
           % find("Map-Reply", MS, XTR))


def check_data(result, failures):
    link = [f for f in result.data if f.capture == "core0-xtr0.pcap"]
    to_petr = [f for f in link if (f.src, f.dst) == (XTR, PXTR) and f.dport == 4341]
    from_pitr = [f for f in link if (f.src, f.dst) == (PXTR, XTR) and f.dport == 4341]
    expect(failures, len(to_petr) == FLOW + PINGS,
           "%d LISP data packets xtr0 -> PETR, expected %d" % (len(to_petr), FLOW + PINGS))
    expect(failures, len(from_pitr) == FLOW + PINGS,
           "%d LISP data packets PITR -> xtr0, expected %d" % (len(from_pitr), FLOW + PINGS))
    expect(failures, not [f for f in result.data if f.capture == "core1-nonlisp0.pcap"],
           "LISP data on the non-LISP host's link")
    expect(failures, not [m for m in result.messages if m.capture == "core1-nonlisp0.pcap"],
           "LISP control messages on the non-LISP host's link")
    leaked = [p for p in result.plain if p[0] == "core0-xtr0.pcap" and
              (p[2] == HOST or p[1] == HOST)]
    expect(failures, not leaked, "site traffic not encapsulated on xtr0's link: %s"
           % leaked[:3])
    native = [p for p in result.plain if p[0] == "core1-nonlisp0.pcap" and
              {p[1], p[2]} == {HOST, NONLISP}]
    expect(failures, len(native) == 2 * FLOW + 2 * PINGS,
           "%d native packets between host0-0 and nonlisp0 on nonlisp0's link, expected %d"
           % (len(native), 2 * FLOW + 2 * PINGS))


def body(args, run, failures):
    scenario = scenarios.Pxtr(run, scenarios.Tools.from_args(args)).up()
    waiting = scenario.wait_registered([0])
    expect(failures, not waiting, "no Map-Notify (show stats) at %s" % waiting)
    testing.lispctl_check(failures, lambda: expect(
        failures, not scenario.unregistered_sites([0]),
        "the MS/MR's show sites: not registered: %s" % scenario.unregistered_sites([0])))
    host, nonlisp = scenario.topo.nodes["host0-0"], scenario.topo.nodes["nonlisp0"]
    sent, received, _ = traffic.udp_flow(host, nonlisp, NONLISP, 4001, FLOW, interval=0.05)
    expect(failures, received == FLOW, "UDP host0-0 -> nonlisp0 (through the PETR): %d sent, "
           "%d received" % (sent, received))
    sent, received, _ = traffic.udp_flow(nonlisp, host, HOST, 4000, FLOW, interval=0.05)
    expect(failures, received == FLOW, "UDP nonlisp0 -> host0-0 (through the PITR): %d sent, "
           "%d received" % (sent, received))
    sent, received = traffic.ping(host, NONLISP, PINGS)
    expect(failures, received == PINGS, "ping host0-0 -> nonlisp0: %d sent, %d replies"
           % (sent, received))
    failures += scenario.stop()
    result = wire.dissect(scenario.topo.captures.pcaps(), run.dir)
    failures += result.failures
    check_control(result.messages, failures)
    check_data(result, failures)
    return ("registered; UDP %d/%d each way, ping %d/%d through the PxTR; %d frames on %d "
            "links clean (%d LISP control, %d LISP data)"
            % (FLOW, FLOW, PINGS, PINGS, result.frames, len(scenario.topo.links),
               len(result.messages), len(result.data)))


if __name__ == "__main__":
    testing.run(TEST, __doc__.splitlines()[0], body, scenarios.Tools.add_arguments)
