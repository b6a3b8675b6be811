"""The namespace topologies, with the address plan of the ns-3 examples so that a native
run and a simulated one name the same roles with the same addresses (sequence.py):

two_sites() mirrors examples/lisp-two-sites.cc (LispTopologyHelper, 2 sites, 2 cores):

  host0-0 --- xtr0 ------ core0 ------ core1 ------ xtr1 --- host1-0
  10.1.0.2  .1  172.16.1.2 .1  |  172.20.0.1/.2  .1 172.16.2.2   .1  10.2.0.2
                             ms-mr 172.30.0.2 (core0 .1)

pxtr() mirrors examples/lisp-pxtr.cc (1 site, a PxTR and a non-LISP host off core1):

  host0-0 --- xtr0 ------ core0 ------ core1 ------ pxtr 172.24.0.2 (core1 .1)
                            |            |
                          ms-mr        nonlisp0 198.51.100.2 (core1 .1)

Links are /30 (underlay) and /24 (LANs) as in ns-3; EID-prefixes are the /16s of the
sites. Differences that are the OS's, not the scenario's: the site LAN is a veth, not a
CSMA segment, and the EID side of an xTR is lispd's TUN device (remote EID space routed
into it). Underlay: the xTRs route 172.16.0.0/12 (every RLOC, the MS/MR, the PxTR) through
their core router instead of a default route, because the PxTR scenario routes 0.0.0.0/0
into the xTR's TUN (toward the PETR). Every interface of every node is captured once (on
the first node of its link).

Only the Python standard library is used.
"""

import os

from .capture import Captures

UNDERLAY = "172.16.0.0/12"  # every RLOC, the MS/MR and the PxTR: 172.16-31.x.x
SITE_KEY_ID = 2  # LispSitesHelperBase: HMAC-SHA-256-128, key "lisp-site-key"
SITE_KEY = "lisp-site-key"
PETR_NETWORK = "198.51.100.0/24"


class Topology:
    """Nodes of a run, the address plan (address -> role) and the captures."""

    def __init__(self, run, pcap_dir, capture=True):
        self.run = run
        self.capture = capture  # False: no tcpdump (benchmarks)
        self.nodes = {}
        self.roles = {}
        self.links = []  # (node a, interface a, node b, interface b)
        self.captures = Captures(pcap_dir)

    def node(self, name, router=False):
        node = self.run.node(name)
        self.nodes[name] = node
        node.is_router = router
        return node

    def link(self, a, b, network, a_host, b_host, plen):
        """A link named after the peers (in a the interface is called b.name, and so on),
        with network.a_host/plen on a and network.b_host/plen on b."""
        base = network.rsplit(".", 1)[0]
        a_addr, b_addr = "%s.%d" % (base, a_host), "%s.%d" % (base, b_host)
        self.run.link(a, b.name, b, a.name, "%s/%d" % (a_addr, plen), "%s/%d" % (b_addr, plen))
        self.roles[a_addr], self.roles[b_addr] = a.name, b.name
        self.links.append((a, b.name, b, a.name))
        return a_addr, b_addr

    def finish(self):
        """Forwarding and rp_filter on the routers, then a capture on every link (unless
        the topology was made without captures)."""
        for node in self.nodes.values():
            if node.is_router:
                node.router()
        for a, a_if, _b, _b_if in self.links if self.capture else ():
            self.captures.add(a, a_if)

    def nodes_of_capture(self):
        """Capture file name -> the role names of the two nodes of its link."""
        return {"%s-%s.pcap" % (a.name, a_if): {a.name, b.name}
                for a, a_if, b, _ in self.links}

    def write_manifest(self):
        """A README next to the pcaps: which link each file captured."""
        with open(os.path.join(self.captures.directory, "README.txt"), "w",
                  encoding="utf-8") as f:
            f.write("One pcap per link, captured on the first node of the link:\n")
            for a, a_if, b, b_if in self.links:
                f.write("  %s-%s.pcap  %s <-> %s\n" % (a.name, a_if, a.name, b.name))
            f.write("Addresses: %s\n" % ", ".join("%s %s" % (addr, role) for addr, role
                                                  in sorted(self.roles.items())))
            f.write("Open: wireshark -X lua_script:wireshark/lisp-ports.lua "
                    "-o udp.try_heuristic_first:TRUE FILE.pcap\n")


def _core(topo):
    """core0 -- core1 and the MS/MR off core0, as in both ns-3 examples."""
    core0, core1 = topo.node("core0", router=True), topo.node("core1", router=True)
    ms = topo.node("ms-mr")
    topo.link(core0, core1, "172.20.0.0", 1, 2, 30)
    topo.link(core0, ms, "172.30.0.0", 1, 2, 30)
    ms.add_route(UNDERLAY, via="172.30.0.1")
    return core0, core1, ms


def _site(topo, index, core, core_net_host=1):
    """xtr<index> off the given core router, with host<index>-0 on its LAN."""
    xtr = topo.node("xtr%d" % index, router=True)
    host = topo.node("host%d-0" % index)
    topo.link(core, xtr, "172.16.%d.0" % (index + 1), core_net_host, 2, 30)
    topo.link(xtr, host, "10.%d.0.0" % (index + 1), 1, 2, 24)
    xtr.add_route(UNDERLAY, via="172.16.%d.1" % (index + 1))
    host.add_route("default", via="10.%d.0.1" % (index + 1))
    return xtr, host


def two_sites(run, pcap_dir, capture=True):
    topo = Topology(run, pcap_dir, capture)
    core0, core1, _ms = _core(topo)
    _site(topo, 0, core0)
    _site(topo, 1, core1)
    core0.add_route("172.16.2.0/30", via="172.20.0.2")
    core1.add_route("172.16.1.0/30", via="172.20.0.1")
    core1.add_route("172.30.0.0/30", via="172.20.0.1")
    topo.finish()
    return topo


def pxtr(run, pcap_dir):
    topo = Topology(run, pcap_dir)
    core0, core1, ms = _core(topo)
    _site(topo, 0, core0)
    proxy = topo.node("pxtr", router=True)
    nonlisp = topo.node("nonlisp0")
    topo.link(core1, proxy, "172.24.0.0", 1, 2, 30)
    topo.link(core1, nonlisp, "198.51.100.0", 1, 2, 24)
    # The core attracts the EID space to the PITR; the non-LISP network is routed
    # everywhere in the underlay but on the xTR (which reaches it through its PETR).
    core0.add_route("10.0.0.0/8", via="172.20.0.2")
    core1.add_route("10.0.0.0/8", via="172.24.0.2")
    core0.add_route(PETR_NETWORK, via="172.20.0.2")
    core0.add_route("172.24.0.0/30", via="172.20.0.2")
    core1.add_route("172.16.1.0/30", via="172.20.0.1")
    core1.add_route("172.30.0.0/30", via="172.20.0.1")
    ms.add_route(PETR_NETWORK, via="172.30.0.1")
    proxy.add_route(UNDERLAY, via="172.24.0.1")
    proxy.add_route(PETR_NETWORK, via="172.24.0.1")
    nonlisp.add_route("default", via="198.51.100.1")
    topo.finish()
    return topo
