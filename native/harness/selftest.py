#!/usr/bin/env python3
"""native/harness-selftest: the harness itself, without lispd.

Builds the two-sites topology and routes the EID LANs in plain IP (no LISP), then checks:
  * ping host0-0 -> host1-0 gets every reply, a UDP flow of N datagrams arrives N times,
    in order, and a UDP echo flow comes back N times;
  * every link was captured, tcpdump dropped nothing, and every frame of every pcap is
    clean under tshark (no malformed frame, no warning, every IPv4/UDP/ICMP checksum good:
    TX offload is off on every veth);
  * teardown removes every namespace of the run, and the run directory;
  * a run killed by SIGTERM in the middle cleans up after itself, and the namespaces of a
    run killed by SIGKILL are removed (with the process left inside) by the next run.

Exit status: 0 passed, 1 a check failed, 77 namespaces cannot be created here (the reason
is printed). Only the Python standard library is used.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lispharness import netns, topologies, traffic, wire  # noqa: E402

TEST = "native/harness-selftest"
COUNT = 50


def plain_routing(topo):
    """The EID LANs routed natively (what LISP does in the other tests)."""
    n = topo.nodes
    for index in (0, 1):
        n["xtr%d" % index].add_route("10.0.0.0/8", via="172.16.%d.1" % (index + 1))
    n["core0"].add_route("10.1.0.0/24", via="172.16.1.2")
    n["core0"].add_route("10.2.0.0/24", via="172.20.0.2")
    n["core1"].add_route("10.2.0.0/24", via="172.16.2.2")
    n["core1"].add_route("10.1.0.0/24", via="172.20.0.1")


def traffic_checks(topo, failures):
    host0, host1 = topo.nodes["host0-0"], topo.nodes["host1-0"]
    sent, received = traffic.ping(host0, "10.2.0.2", 5)
    if (sent, received) != (5, 5):
        failures.append("ping host0-0 -> host1-0: %d sent, %d received" % (sent, received))
    sent, received, sequence = traffic.udp_flow(host0, host1, "10.2.0.2", 9000, COUNT)
    if received != sent or sequence != list(range(COUNT)):
        failures.append("UDP flow: %d sent, %d received, sequence %s" % (sent, received,
                                                                        sequence[:20]))
    sink = traffic.UdpSink(host1, 7, echo=True, idle=2.0)
    echo = traffic.udp_send(host0, "10.2.0.2", 7, 10, interval=0.05, echo=True)
    sink.result()
    if echo["echoed"] != 10:
        failures.append("UDP echo: %s" % echo)


def capture_checks(topo, run, failures):
    failures += topo.captures.stop()
    result = wire.dissect(topo.captures.pcaps(), run.dir)
    failures += result.failures
    if len(topo.captures.pcaps()) != len(topo.links):
        failures.append("%d captures for %d links" % (len(topo.captures.pcaps()),
                                                      len(topo.links)))
    return result.frames


def our_namespaces(prefix):
    return [ns for ns in netns.list_namespaces() if ns.startswith(prefix)]


def interrupted_run_cleans_up(failures):
    """A child run gets SIGTERM while its topology is up: it must remove it all."""
    code = ("import sys, time; sys.path.insert(0, %r)\n"
            "from lispharness import netns, topologies\n"
            "run = netns.Run('interrupted')\n"
            "try:\n"
            "    topologies.two_sites(run, run.path('pcap'))\n"
            "    print(run.prefix, run.dir, flush=True)\n"
            "    time.sleep(60)\n"
            "except netns.Interrupted:\n"
            "    sys.exit(1)\n" % os.path.dirname(os.path.abspath(__file__)))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                             universal_newlines=True)
    prefix, directory = child.stdout.readline().split()
    if len(our_namespaces(prefix)) != 7:
        failures.append("interrupted run: %d namespaces up, expected 7"
                        % len(our_namespaces(prefix)))
    child.send_signal(signal.SIGTERM)
    child.wait(30)
    if our_namespaces(prefix) or os.path.exists(directory):
        failures.append("SIGTERM'd run left %s %s" % (our_namespaces(prefix),
                                                      directory if os.path.exists(directory)
                                                      else ""))


def killed_run_is_removed_later(failures):
    """Namespaces (with a process inside) of a run that died by SIGKILL go at the next
    Run; namespaces of live runs and foreign names stay."""
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = "lh%dzzzz-host" % dead.pid
    alive = "lh%dzzzz-host" % os.getpid()
    foreign = "lhx%d-host" % os.getpid()
    for ns in (stale, alive, foreign):
        netns.run_cmd(["ip", "netns", "add", ns])
    sleeper = subprocess.Popen(["ip", "netns", "exec", stale, "sleep", "60"])
    stale_dir = tempfile.mkdtemp(prefix="lispharness-lh%dzzzz-" % dead.pid)
    try:
        time.sleep(0.2)
        with netns.Run("stale-check", log=lambda _msg: None):
            pass
        left = netns.list_namespaces()
        if stale in left or os.path.exists(stale_dir):
            failures.append("the stale run's namespace or directory was not removed")
        if sleeper.wait(10) is None:
            failures.append("the process in the stale namespace survived")
        for ns in (alive, foreign):
            if ns not in left:
                failures.append("namespace %s of a live run / another tool was removed" % ns)
    finally:
        for ns in (stale, alive, foreign):
            netns.run_cmd(["ip", "netns", "del", ns], check=False)
        if sleeper.poll() is None:
            sleeper.kill()


def main():
    netns.skip_unless_namespaces(TEST)
    failures = []
    with netns.Run("selftest") as run:
        topo = topologies.two_sites(run, run.path("pcap"))
        plain_routing(topo)
        traffic_checks(topo, failures)
        frames = capture_checks(topo, run, failures)
        prefix, directory = run.prefix, run.dir
    if our_namespaces(prefix) or os.path.exists(directory):
        failures.append("teardown left %s" % our_namespaces(prefix))
    interrupted_run_cleans_up(failures)
    killed_run_is_removed_later(failures)
    for failure in failures:
        print("%s: FAIL %s" % (TEST, failure))
    if failures:
        return 1
    print("%s: ping 5/5, UDP %d/%d in order, echo 10/10; %d frames on %d links clean; "
          "teardown, SIGTERM and stale-run cleanup leave nothing" % (TEST, COUNT, COUNT, frames,
                                                                     len(topo.links)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
