#!/usr/bin/env python3
"""native/nat-flood: lispd's NAT survives a bounded flood of random and malformed IPv4
packets from both sides (lispharness/flood.py: valid UDP/TCP/ICMP with random addresses
and ports, truncated L4 headers, ICMP errors quoting garbage, fragments, options, unknown
protocols, random bytes) with nothing leaked:

  * lispd keeps running through every round;
  * the table stays bounded: `lispctl show nat` never lists more than max-mappings (64)
    mappings, and the engine counted refused new flows (table_full) and malformed
    packets;
  * VmRSS after the flood rounds stays within RSS_SLACK_KIB of what it was after a warm-up
    round (which touched the receive buffers once);
  * every flood mapping expires (timeouts of 2 s) and the table is empty again;
  * afterwards the NAT still translates: a ping from the client to the server gets its
    replies, through one new ICMP mapping, and a TCP connection to the server works, the
    server seeing the public address as its peer;
  * a reload (SIGHUP) that moves the NAT to other queues replaces the rules and keeps the
    engine (its counters go on from where they were), and pings still get through;
  * lispd exits 0 on SIGTERM and its queue rules are gone.

usage: nat_flood.py --lispd PATH --lispctl PATH [--packets N] [--keep DIR]
Exit status: 0 passed, 1 failed, 77 no namespaces here (reason printed).
"""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lispharness import natlab, scenarios, testing  # noqa: E402
from lispharness.netns import HarnessError, wait_for  # noqa: E402
from lispharness.testing import expect  # noqa: E402

TEST = "native/nat-flood"
MAX_MAPPINGS = 64
ROUNDS = 3
RSS_SLACK_KIB = 1024
FLOOD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lispharness", "flood.py")
CONFIG = ("max-mappings = %d\n"
          "timeouts {\n  udp = 2\n  tcp-established = 2\n  tcp-transitory = 2\n  icmp = 2\n}\n"
          % MAX_MAPPINGS)


def mac(node, ifname):
    return node.run_cmd(["cat", "/sys/class/net/%s/address" % ifname]).stdout.strip()


def flood(lab, count, seed):
    """count packets from the client (toward the server side and the public address) and
    count from the server (toward the public address and the inside)."""
    nat_in, nat_out = mac(lab.nat, natlab.INSIDE_IF), mac(lab.nat, natlab.OUTSIDE_IF)
    for node, ifname, neighbour, src, dst in (
            (lab.client, "nat", nat_in, "10.0.0", "192.0.2"),
            (lab.server, "nat", nat_out, "192.0.2", natlab.PUBLIC),
            (lab.server, "nat", nat_out, "198.51.100", "10.0.0")):
        n = count if dst != "10.0.0" else count // 10
        out = node.run_cmd([sys.executable, FLOOD, "--ifname", ifname, "--mac", neighbour,
                            "--count", str(n), "--seed", str(seed), "--src-net", src,
                            "--dst-net", dst], timeout=120).stdout
        if not out.startswith("sent "):
            raise HarnessError("flood from %s: %s" % (node.name, out))


# A TCP server that answers its first client with the address it sees, and that client.
TCP_SERVER = ("import socket\n"
              "s = socket.create_server((%r, 8080))\n"
              "c, peer = s.accept()\n"
              "c.sendall(peer[0].encode())\n"
              "c.close()\n" % natlab.SERVERS[0])
TCP_CLIENT = ("import socket\n"
              "c = socket.create_connection((%r, 8080), timeout=5)\n"
              "print(c.recv(64).decode())\n" % natlab.SERVERS[0])


def tcp_peer(lab):
    """The address the server sees for a TCP connection from the client."""
    server = lab.server.start([sys.executable, "-c", TCP_SERVER], "tcp-server")
    wait_for(lambda: "%s:8080" % natlab.SERVERS[0] in lab.server.run_cmd(
        ["ss", "-Hltn"], check=False).stdout, 5)
    out = lab.client.run_cmd([sys.executable, "-c", TCP_CLIENT], check=False).stdout.strip()
    server.stop()
    return out


def reload_queues(lab, daemon, failures):
    created = daemon.show("nat")["counters"]["mappings_created"]
    with open(daemon.config, "a", encoding="utf-8") as f:
        f.write("queue = 6\n")
    daemon.proc.popen.send_signal(signal.SIGHUP)

    def moved():
        rules = lab.nat.run_cmd(["iptables-save", "-t", "raw"], check=False).stdout
        rules += lab.nat.run_cmd(["nft", "list", "ruleset"], check=False).stdout
        return ("queue-num 6" in rules or "queue num 6" in rules) and "LISPD_NAT_0" not in rules
    expect(failures, wait_for(moved, 10), "after the reload, the rules do not feed queue 6")
    after = daemon.show("nat")["counters"]["mappings_created"]
    expect(failures, after >= created,
           "the reload made a new engine (mappings_created %d -> %d)" % (created, after))
    ping = lab.client.run_cmd(["ping", "-c", "2", "-i", "0.2", "-W", "1", natlab.SERVERS[0]],
                              check=False)
    expect(failures, ping.returncode == 0, "no ping through the NAT after the reload:\n%s"
           % ping.stdout)


def body(args, run, failures):
    tools = scenarios.Tools.from_args(args)
    lab = natlab.NatLab(run, tools)
    lab.nat.add_route("default", via=natlab.SERVERS[0])
    daemon = lab.start_lispd("symmetric", CONFIG)
    pid = daemon.proc.popen.pid
    flood(lab, 2000, 0)  # warm-up: receive buffers and the table's arrays touched once
    time.sleep(0.5)
    rss0 = natlab.vmrss_kib(pid)
    rss = []
    for r in range(1, ROUNDS + 1):
        flood(lab, args.packets, r)
        time.sleep(0.5)
        if not expect(failures, daemon.proc.popen.poll() is None,
                      "lispd died in flood round %d (exit %s)" % (r, daemon.proc.popen.poll())):
            return None
        nat = daemon.show("nat")
        expect(failures, nat["mapping_count"] <= MAX_MAPPINGS,
               "round %d: %d mappings, more than max-mappings %d"
               % (r, nat["mapping_count"], MAX_MAPPINGS))
        rss.append(natlab.vmrss_kib(pid))
    counters = daemon.show("nat")["counters"]
    print("counters after the flood: %s" % ", ".join(
        "%s=%d" % (k, v) for k, v in sorted(counters.items()) if v))
    print("VmRSS: %d KiB after the warm-up, %s KiB after each round" % (rss0, rss))
    expect(failures, counters.get("table_full", 0) > 0,
           "the table never filled up: table_full is 0 (is the flood reaching lispd?)")
    expect(failures, counters.get("drop.malformed", 0) > 0,
           "no malformed packet counted: drop.malformed is 0")
    expect(failures, max(rss) - rss0 <= RSS_SLACK_KIB,
           "VmRSS grew from %d KiB to %d KiB (more than %d KiB)" % (rss0, max(rss),
                                                                    RSS_SLACK_KIB))
    emptied = wait_for(lambda: daemon.show("nat")["mapping_count"] == 0, 10, 0.5)
    expect(failures, emptied, "flood mappings did not expire: %d left"
           % daemon.show("nat")["mapping_count"])
    ping = lab.client.run_cmd(["ping", "-c", "3", "-i", "0.2", "-W", "1", natlab.SERVERS[0]],
                              check=False)
    expect(failures, ping.returncode == 0, "no ping through the NAT after the flood:\n%s"
           % ping.stdout)
    mappings = daemon.show("nat")["mappings"]
    expect(failures, len(mappings) == 1 and mappings[0]["proto"] == "icmp"
           and mappings[0]["external"].startswith(natlab.PUBLIC + ":"),
           "after the ping, mappings %s (expected one ICMP mapping on %s)"
           % (mappings, natlab.PUBLIC))
    peer = tcp_peer(lab)
    expect(failures, peer == natlab.PUBLIC,
           "a TCP connection through the NAT: the server saw %r, expected %s"
           % (peer, natlab.PUBLIC))
    reload_queues(lab, daemon, failures)
    status = lab.stop_nat()
    expect(failures, status == 0, "lispd exited %s on SIGTERM" % status)
    rules = lab.nat.run_cmd(["iptables-save", "-t", "raw"], check=False).stdout
    expect(failures, "LISPD_NAT" not in rules, "queue rules left behind:\n%s" % rules)
    lab.close()
    return ("%d rounds of %d packets a side: at most %d mappings, VmRSS %d -> %d KiB, "
            "still translating" % (ROUNDS, args.packets, MAX_MAPPINGS, rss0, max(rss)))


def add_arguments(parser):
    scenarios.Tools.add_arguments(parser)
    parser.add_argument("--packets", type=int, default=20000,
                        help="packets per side and round (default 20000)")


if __name__ == "__main__":
    testing.run(TEST, __doc__.splitlines()[0], body, add_arguments)
