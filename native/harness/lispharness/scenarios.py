"""The LISP scenarios on the namespace topologies: which lispd runs where, with which
configuration, in which order; shared by the tests, the sim-vs-wire comparison and
`make native-demo`.

Configurations mirror the ns-3 examples (LispTopologyHelper): one site per xTR with the
EID-prefix 10.(s+1).0.0/16, instance-ID 0, key-id 2 (HMAC-SHA-256-128) with the key
"lisp-site-key", the xTR's RLOC on its core link (priority 1, weight 100), the MS/MR as
Map-Server and Map-Resolver, Map-Registers every 60 s with the M bit. The miss policy is
"queue" (the ns-3 examples take --missPolicy; the tests run both sides with queue).

Only the Python standard library is used.
"""

import os

from . import lispd, topologies
from .netns import HarnessError, wait_for

MS_ADDRESS = "172.30.0.2"
PROXY_RLOC = "172.24.0.2"


class Tools:
    """Paths of the programs under test."""

    def __init__(self, lispd_path, lispctl_path):
        for path in (lispd_path, lispctl_path):
            if not path or not os.access(path, os.X_OK):
                raise HarnessError("not an executable: %s (build it first)" % path)
        self.lispd = os.path.abspath(lispd_path)
        self.lispctl = os.path.abspath(lispctl_path)

    @staticmethod
    def add_arguments(parser):
        parser.add_argument("--lispd", required=True, help="the lispd executable")
        parser.add_argument("--lispctl", required=True, help="the lispctl executable")
        parser.add_argument("--keep", help="keep the run (configs, logs, pcaps) in this directory")

    @classmethod
    def from_args(cls, args):
        return cls(args.lispd, args.lispctl)


def site_prefix(index):
    return "10.%d.0.0/16" % (index + 1)


def rloc(index):
    return "172.16.%d.2" % (index + 1)


class Scenario:
    """A topology with lispd daemons; stop() stops the captures before the daemons, so
    that the pcaps hold the scenario and not the shutdown."""

    def __init__(self, run, tools, miss_policy="queue", log_level="debug", capture=True):
        self.run = run
        self.tools = tools
        self.miss_policy = miss_policy
        self.log_level = log_level  # "info" for benchmarks: debug logs every packet
        self.capture = capture      # False: no tcpdump (benchmarks)
        self.pcap_dir = run.path("pcap")
        self.daemons = {}
        self.topo = None

    def daemon(self, name, config_text):
        d = lispd.Lispd(self.tools, self.topo.nodes[name], config_text).start()
        self.daemons[name] = d
        return d

    def ms_mr(self, sites):
        return self.daemon("ms-mr", lispd.ms_mr_config(
            self.run.path("ms-mr.sock"),
            [("site-%d" % s, topologies.SITE_KEY_ID, topologies.SITE_KEY, [site_prefix(s)])
             for s in sites], log_level=self.log_level))

    def xtr(self, index, tun_routes, proxy_etrs=()):
        name = "xtr%d" % index
        core = "core%d" % index  # xtr<i> hangs off core<i> in both topologies
        return self.daemon(name, lispd.xtr_config(
            "xtr", self.run.path("%s.sock" % name), [(site_prefix(index), 0)], core,
            [MS_ADDRESS], tun_routes,
            map_servers=[(MS_ADDRESS, topologies.SITE_KEY_ID, topologies.SITE_KEY)],
            proxy_etrs=proxy_etrs, miss_policy=self.miss_policy, log_level=self.log_level))

    def wait_registered(self, indexes, timeout=10.0):
        """Until every listed xTR counts a Map-Notify (`lispctl show stats`: the MS/MR
        accepted its Map-Register, and the xTR verified the answer's HMAC); the names of
        the xTRs still waiting (empty when all made it)."""
        def waiting():
            return [s for s in indexes
                    if stat(self.daemons["xtr%d" % s], "xtr", "map_notifies_received") < 1]
        wait_for(lambda: not waiting(), timeout)
        return ["xtr%d" % s for s in waiting()]

    def unregistered_sites(self, indexes):
        """The sites whose prefix the MS/MR's `lispctl show sites` does not show as
        registered."""
        doc = self.daemons["ms-mr"].show("sites")
        return ["site-%d (%s)" % (s, site_prefix(s)) for s in indexes
                if not any(o.get("registered") is True
                           for o in lispd.objects_with(doc, site_prefix(s)))]

    def stop(self):
        """Stop the captures, then every daemon (SIGTERM); problems as a list."""
        problems = self.topo.captures.stop() if self.topo else []
        for name, d in reversed(list(self.daemons.items())):
            status = d.stop()
            if status != 0:
                problems.append("lispd on %s exited with status %s on SIGTERM:\n%s"
                                % (name, status, d.proc.log()[-2000:]))
        if self.topo:
            self.topo.write_manifest()
        return problems


def stat(daemon, group, counter):
    """One counter of `lispctl --json show stats` (-1 when the group has no such counter)."""
    return daemon.show("stats").get(group, {}).get(counter, -1)


class TwoSites(Scenario):
    """examples/lisp-two-sites.cc natively."""

    def up(self):
        self.topo = topologies.two_sites(self.run, self.pcap_dir, self.capture)
        self.ms_mr([0, 1])
        for index in (0, 1):
            self.xtr(index, ["10.0.0.0/8"])
        return self


class Pxtr(Scenario):
    """examples/lisp-pxtr.cc natively: xtr0 routes every non-local destination into its
    TUN and names the PxTR as its PETR; the PxTR is PITR (the core routes 10.0.0.0/8 to
    it) and PETR."""

    def up(self):
        self.topo = topologies.pxtr(self.run, self.pcap_dir)
        self.ms_mr([0])
        self.xtr(0, ["10.0.0.0/8", "0.0.0.0/0"], proxy_etrs=[PROXY_RLOC])
        self.daemon("pxtr", lispd.xtr_config(
            "pxtr", self.run.path("pxtr.sock"), [], "core1", [MS_ADDRESS], ["10.0.0.0/8"],
            miss_policy=self.miss_policy))
        return self
