#!/usr/bin/env python3
"""native/two-sites: two LISP sites, a routed core and an MS/MR, with lispd in network
namespaces (the plan of examples/lisp-two-sites.cc; lispharness/topologies.py).

Checks:
  * both xTRs register: the MS/MR's `lispctl show sites` lists both EID-prefixes;
  * ping host0-0 -> host1-0 across the overlay: PINGS sent, PINGS replies;
  * a UDP flow host0-0 -> host1-0 of FLOW datagrams arrives FLOW times, each once;
  * `lispctl show map-cache` on xtr0 holds host1-0's prefix (and xtr1's host0-0's);
  * every frame of every link's pcap is clean under tshark (no malformed frame, no expert
    info >= warning, no LISP dissector complaint, every IPv4/UDP/ICMP checksum good);
  * the pcaps hold each xTR's Map-Register (M bit, key-id 2, 32-byte authentication, its
    prefix and RLOC) and the MS/MR's Map-Notify back; xtr0's ECM'd Map-Request for
    10.2.0.2 (ITR-RLOC xtr0), the MS/MR forwarding it to xtr1, xtr1's Map-Reply with
    10.2.0.0/16 and its RLOC; LISP data to port 4341 without the I bit (instance-ID 0),
    exactly PINGS + FLOW packets xtr0 -> xtr1 and PINGS back, carrying exactly the hosts'
    ICMP echoes and UDP datagrams;
  * every lispd exits 0 on SIGTERM.

usage: two_sites.py --lispd PATH --lispctl PATH [--keep DIR]
Exit status: 0 passed, 1 failed, 77 no namespaces here (reason printed).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lispharness import scenarios, testing, traffic, wire  # noqa: E402
from lispharness.lispd import json_strings, objects_with  # noqa: E402
from lispharness.testing import expect  # noqa: E402

TEST = "native/two-sites"
PINGS = 5
FLOW = 100
ROLES = {"172.16.1.2": "xtr0", "172.16.2.2": "xtr1", "172.30.0.2": "ms-mr"}


def check_registrations(messages, failures):
    for index in (0, 1):
        xtr, prefix, rloc = "xtr%d" % index, scenarios.site_prefix(index), scenarios.rloc(index)
        regs = [m for m in messages if m.is_("Map-Register") and m.src == rloc]
        if expect(failures, regs, "no Map-Register from %s" % xtr):
            m = regs[0]
            failures += ["%s's Map-Register: %s" % (xtr, p)
                         for p in wire.check_map_register(m, 2)]
            expect(failures, "M" in m.flags, "%s's Map-Register without the M bit" % xtr)
            expect(failures, m.eids == [prefix] and m.locators == [rloc],
                   "%s's Map-Register: records %s locators %s, expected %s at %s"
                   % (xtr, m.eids, m.locators, prefix, rloc))
        notifies = [m for m in messages if m.is_("Map-Notify") and m.dst == rloc]
        if expect(failures, notifies, "no Map-Notify to %s" % xtr):
            failures += ["Map-Notify to %s: %s" % (xtr, p)
                         for p in wire.check_map_register(notifies[0], 2)]
            expect(failures, notifies[0].eids == [prefix],
                   "Map-Notify to %s for %s" % (xtr, notifies[0].eids))


def check_resolution(messages, failures):
    requests = [m for m in messages if m.is_("ECM/Map-Request") and m.src == "172.16.1.2"
                and m.dst == scenarios.MS_ADDRESS]
    if expect(failures, requests, "no ECM'd Map-Request from xtr0 to the MS/MR"):
        m = requests[0]
        expect(failures, m.eids == ["10.2.0.2/32"] and m.itr_rlocs == ["172.16.1.2"],
               "xtr0's Map-Request: EID %s ITR-RLOCs %s" % (m.eids, m.itr_rlocs))
    expect(failures, any(m.is_("ECM/Map-Request") and m.src == scenarios.MS_ADDRESS
                         and m.dst == "172.16.2.2" and m.eids == ["10.2.0.2/32"]
                         for m in messages),
           "the MS/MR did not forward xtr0's Map-Request to xtr1")
    replies = [m for m in messages if m.is_("Map-Reply") and m.src == "172.16.2.2"
               and m.dst == "172.16.1.2"]
    if expect(failures, replies, "no Map-Reply from xtr1 to xtr0"):
        m = replies[0]
        expect(failures, m.eids == ["10.2.0.0/16"] and m.locators == ["172.16.2.2"]
               and m.locator_counts == [1],
               "xtr1's Map-Reply: records %s locators %s" % (m.eids, m.locators))


def check_data(frames, failures):
    # Count each packet once: on the capture of xtr0's core link.
    link = [f for f in frames if f.capture == "core0-xtr0.pcap"]
    forward = [f for f in link if (f.src, f.dst) == ("172.16.1.2", "172.16.2.2")]
    back = [f for f in link if (f.src, f.dst) == ("172.16.2.2", "172.16.1.2")]
    expect(failures, len(forward) == PINGS + FLOW,
           "%d LISP data packets xtr0 -> xtr1, expected %d (pings + UDP flow)"
           % (len(forward), PINGS + FLOW))
    expect(failures, len(back) == PINGS,
           "%d LISP data packets xtr1 -> xtr0, expected %d (ping replies)" % (len(back), PINGS))
    inner = sorted((f.inner, f.payload) for f in forward + back)
    expected = sorted([(("10.1.0.2", "10.2.0.2"), "icmp")] * PINGS +
                      [(("10.1.0.2", "10.2.0.2"), "udp")] * FLOW +
                      [(("10.2.0.2", "10.1.0.2"), "icmp")] * PINGS)
    expect(failures, inner == expected,
           "the encapsulated packets are not the pings and the UDP flow between the hosts: "
           "%s" % sorted(set(inner)))
    wrong = [f for f in frames if f.i_bit or f.iid not in (None, 0)]
    expect(failures, not wrong, "%d LISP data packets carry an instance-ID, configured 0"
           % len(wrong))
    expect(failures, all(f.dport == 4341 for f in forward + back),
           "LISP data not to port 4341")


def check_map_cache(daemon, prefix, rloc, failures):
    """The xTR's map-cache maps prefix to rloc (lispctl --json show map-cache)."""
    cache = daemon.show("map-cache")
    entries = list(objects_with(cache, prefix))
    expect(failures, any(e.get("negative") is not True and rloc in set(json_strings(e))
                         for e in entries),
           "%s's map-cache has no %s -> %s: %s" % (daemon.node.name, prefix, rloc, cache))


def body(args, run, failures):
    scenario = scenarios.TwoSites(run, scenarios.Tools.from_args(args)).up()
    waiting = scenario.wait_registered([0, 1])
    expect(failures, not waiting, "no Map-Notify (show stats) at %s" % waiting)
    testing.lispctl_check(failures, lambda: expect(
        failures, not scenario.unregistered_sites([0, 1]),
        "the MS/MR's show sites: not registered: %s" % scenario.unregistered_sites([0, 1])))
    host0, host1 = scenario.topo.nodes["host0-0"], scenario.topo.nodes["host1-0"]
    sent, received = traffic.ping(host0, "10.2.0.2", PINGS)
    expect(failures, (sent, received) == (PINGS, PINGS),
           "ping host0-0 -> host1-0: %d sent, %d replies" % (sent, received))
    sent, received, sequence = traffic.udp_flow(host0, host1, "10.2.0.2", 9000, FLOW)
    expect(failures, received == FLOW and sorted(sequence) == list(range(FLOW)),
           "UDP flow host0-0 -> host1-0: %d sent, %d received" % (sent, received))
    for xtr, peer in (("xtr0", 1), ("xtr1", 0)):
        testing.lispctl_check(failures, lambda: check_map_cache(
            scenario.daemons[xtr], scenarios.site_prefix(peer), scenarios.rloc(peer),
            failures))
    map_cache_text = []
    testing.lispctl_check(failures, lambda: map_cache_text.append(
        scenario.daemons["xtr0"].show_text("map-cache")))
    failures += scenario.stop()
    result = wire.dissect(scenario.topo.captures.pcaps(), run.dir)
    failures += result.failures
    check_registrations(result.messages, failures)
    check_resolution(result.messages, failures)
    check_data(result.data, failures)
    return ("registered, ping %d/%d, UDP %d/%d; %d frames on %d links clean (%d LISP control, "
            "%d LISP data); xtr0's map-cache:\n%s"
            % (PINGS, PINGS, FLOW, FLOW, result.frames, len(scenario.topo.links),
               len(result.messages), len(result.data), "".join(map_cache_text).rstrip()))


if __name__ == "__main__":
    testing.run(TEST, __doc__.splitlines()[0], body, scenarios.Tools.add_arguments)
