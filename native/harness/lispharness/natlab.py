"""A NAT between a client and a server, for classifying and stressing NATs:

  client ---------- nat ---------- server
  10.0.0.2     in0 .1  out0 192.0.2.1     192.0.2.10, 192.0.2.11 (STUN: 3478 and 3479)

The nat namespace runs either lispd's NAT (role nat, any preset of the engine) or the
kernel's own NAT (nftables masquerade and friends, LINUX_NATS). The server runs coturn's
turnserver on both addresses, which answers the two independent classifiers: Debian's
`stun` client (RFC 3489 classification, CHANGE-REQUEST) and coturn's
`turnutils_natdiscovery -m -f` (RFC 5780 mapping and filtering behaviour discovery).

The nat is a router with rp_filter off; accept_local on the inside interface lets the
kernel route packets that lispd hairpinned (their source is the public address, a local
one), and redirects are off (a hairpinned packet leaves the interface it came in on).

Only the Python standard library is used.
"""

import re

from . import lispd
from .netns import HarnessError, run_cmd, wait_for

CLIENT = "10.0.0.2"
NAT_INSIDE = "10.0.0.1"
PUBLIC = "192.0.2.1"
SERVERS = ("192.0.2.10", "192.0.2.11")
STUN_PORT = 3478
INSIDE_IF, OUTSIDE_IF = "in0", "out0"

# The kernel's NATs the classifiers are checked against (docs/native.md, "Tests", has the
# table of what each one is).
LINUX_NATS = {
    # endpoint-independent mapping, port kept, address-and-port-dependent filtering
    "masquerade": 'oifname "%s" masquerade' % OUTSIDE_IF,
    # a new port per destination: symmetric
    "masquerade-fully-random": 'oifname "%s" masquerade fully-random' % OUTSIDE_IF,
    # full cone: every inbound packet to the public address goes to the client
    "snat-dnat": None,
}


def nat_config(socket, preset, extra=""):
    """lispd's configuration of the NAT namespace for a preset of the engine."""
    return ("role = \"nat\"\n"
            "log-level = \"info\"\n"
            "control-socket = %s\n"
            "inside-interface = \"%s\"\n"
            "outside-interface = \"%s\"\n"
            "public-addresses = { \"%s\" }\n"
            "preset = \"%s\"\n%s"
            % (lispd.quote(socket), INSIDE_IF, OUTSIDE_IF, PUBLIC, preset, extra))


def linux_ruleset(name):
    """The nftables ruleset of one of LINUX_NATS."""
    if name not in LINUX_NATS:
        raise HarnessError("no Linux NAT called %s" % name)
    if LINUX_NATS[name] is None:  # snat + dnat
        return ("table ip lab_nat {\n"
                "  chain pre { type nat hook prerouting priority dstnat;\n"
                "    iifname \"%s\" ip daddr %s dnat to %s; }\n"
                "  chain post { type nat hook postrouting priority srcnat;\n"
                "    oifname \"%s\" snat to %s; }\n"
                "}\n" % (OUTSIDE_IF, PUBLIC, CLIENT, OUTSIDE_IF, PUBLIC))
    return ("table ip lab_nat {\n"
            "  chain post { type nat hook postrouting priority srcnat; %s; }\n"
            "}\n" % LINUX_NATS[name])


class NatLab:
    """The three namespaces of one run and what runs in them."""

    def __init__(self, run, tools=None):
        self.run = run
        self.tools = tools
        self.client = run.node("client")
        self.nat = run.node("nat")
        self.server = run.node("server")
        run.link(self.client, "nat", self.nat, INSIDE_IF, CLIENT + "/24", NAT_INSIDE + "/24")
        run.link(self.nat, OUTSIDE_IF, self.server, "nat", PUBLIC + "/24", SERVERS[0] + "/24")
        self.server.add_address("nat", SERVERS[1] + "/24")
        self.client.add_route("default", via=NAT_INSIDE)
        self.nat.router()
        self.nat.sysctl("net.ipv4.conf.%s.accept_local" % INSIDE_IF, 1)
        for scope in ("all", "default", INSIDE_IF):
            self.nat.sysctl("net.ipv4.conf.%s.send_redirects" % scope, 0)
        self.daemon = None
        self.linux = None
        self.turn = None

    # ---- the NAT ----

    def start_lispd(self, preset, extra=""):
        """lispd's NAT with an engine preset (and more configuration lines)."""
        self.stop_nat()
        socket = self.run.path("nat.sock")
        self.daemon = lispd.Lispd(self.tools, self.nat, nat_config(socket, preset, extra))
        self.daemon.start()
        return self.daemon

    def start_linux(self, name):
        """The kernel's NAT: one of LINUX_NATS."""
        self.stop_nat()
        self.nat.run_cmd(["nft", "-f", "-"], input_text=linux_ruleset(name))
        self.linux = name

    def stop_nat(self):
        """Stop whichever NAT runs and forget its state (conntrack entries, mappings): the
        next NAT starts from an empty table. lispd's exit status, or None."""
        status = None
        if self.daemon:
            status = self.daemon.stop()
            self.daemon = None
        if self.linux:
            self.nat.run_cmd(["nft", "delete", "table", "ip", "lab_nat"])
            self.linux = None
        # conntrack -F exits 1 when the table is empty or conntrack is not loaded here
        self.nat.run_cmd(["conntrack", "-F"], check=False)
        return status

    # ---- the STUN server and the classifiers ----

    def start_turnserver(self):
        """coturn on both server addresses (primary port 3478, alternate 3479): RFC 5780
        OTHER-ADDRESS and RFC 3489 CHANGE-REQUEST need the two."""
        argv = ["turnserver", "-n", "--no-cli", "--no-tls", "--no-dtls", "--simple-log",
                "--log-file", "stdout", "--userdb", self.run.path("turndb"),
                "--pidfile", self.run.path("turnserver.pid"), "--listening-port",
                str(STUN_PORT)]
        for addr in SERVERS:
            argv += ["-L", addr]
        self.turn = self.server.start(argv, "turnserver")

        def listening():
            out = self.server.run_cmd(["ss", "-Hlun"], check=False).stdout
            return all("%s:%d" % (a, p) in out for a in SERVERS
                       for p in (STUN_PORT, STUN_PORT + 1))
        if not wait_for(listening, 10):
            raise HarnessError("turnserver does not listen on %s:%d/%d:\n%s"
                               % (" and ".join(SERVERS), STUN_PORT, STUN_PORT + 1,
                                  self.turn.log()))

    def natdiscovery(self):
        """turnutils_natdiscovery -m -f: (mapping verdict, filtering verdict, output);
        a verdict is the text after "NAT with " (or "No NAT..."), None when missing."""
        proc = self.client.run_cmd(["turnutils_natdiscovery", "-m", "-f", SERVERS[0]],
                                   check=False, timeout=60)
        out = proc.stdout + proc.stderr
        mapping = re.search(r"^(NAT with .* Mapping!|No NAT!.*)$", out, re.M)
        filtering = re.search(r"^(NAT with .* Filtering!)$", out, re.M)
        return (mapping.group(1) if mapping else None,
                filtering.group(1) if filtering else None, out)

    def stun(self):
        """Debian's stun client: (the "Primary: ..." classification, exit status, output).
        Its exit status encodes the same classification (bits documented in
        docs/native.md)."""
        proc = self.client.run_cmd(["stun", SERVERS[0]], check=False, timeout=60)
        out = proc.stdout + proc.stderr
        line = re.search(r"^Primary: (.*?)\s*$", out, re.M)
        return (line.group(1) if line else None), proc.returncode, out

    def close(self):
        """Stop the NAT and the STUN server; lispd's exit status (None: none ran)."""
        status = self.stop_nat()
        if self.turn:
            self.turn.stop()
            self.turn = None
        return status


def vmrss_kib(pid):
    """VmRSS of a process in KiB (from /proc), or None when it is gone."""
    try:
        with open("/proc/%d/status" % pid, encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def tool_missing(names):
    """The first of names that is not on PATH, or None."""
    for name in names:
        if run_cmd(["sh", "-c", "command -v %s" % name], check=False).returncode != 0:
            return name
    return None
