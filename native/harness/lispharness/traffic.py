"""Kernel-routed traffic between namespaces, counted: ping and a UDP flow (udp_flow.py).

Only the Python standard library is used.
"""

import json
import os
import re
import sys

from .netns import HarnessError, wait_for

UDP_FLOW = os.path.join(os.path.dirname(os.path.abspath(__file__)), "udp_flow.py")
PING_SUMMARY = re.compile(r"(\d+) packets transmitted, (\d+) received")


def ping(node, destination, count, interval=0.2, deadline=None):
    """ping from node; (transmitted, received) from ping's summary."""
    argv = ["ping", "-n", "-q", "-c", str(count), "-i", str(interval)]
    if deadline:
        argv += ["-w", str(deadline)]
    proc = node.run_cmd(argv + [destination], check=False,
                        timeout=(deadline or count * interval + 10) + 5)
    m = PING_SUMMARY.search(proc.stdout)
    if not m:
        raise HarnessError("ping %s from %s: no summary:\n%s%s" % (destination, node.name,
                                                                   proc.stdout, proc.stderr))
    return int(m.group(1)), int(m.group(2))


class UdpSink:
    """A udp_flow.py sink in a namespace, started and ready (bound)."""

    def __init__(self, node, port, echo=False, idle=3.0, max_time=60.0, name=None):
        argv = [sys.executable, UDP_FLOW, "sink", "--port", str(port), "--idle", str(idle),
                "--max-time", str(max_time)]
        if echo:
            argv.append("--echo")
        self.proc = node.start(argv, name or "udp-sink-%s-%d" % (node.name, port))
        if not wait_for(lambda: "ready" in self.proc.log() or
                        self.proc.popen.poll() is not None, 5.0) \
                or "ready" not in self.proc.log():
            raise HarnessError("UDP sink on %s did not start: %s" % (node.name, self.proc.log()))

    def result(self, timeout=70.0):
        """Wait for the sink to finish; {"received": N, "sequence": [...]}."""
        self.proc.popen.wait(timeout)
        return last_json(self.proc.log(), "UDP sink")


def udp_send(node, destination, port, count, interval=0.01, size=200, echo=False):
    """Send a counted flow from node; {"sent": N, "echoed": E}."""
    argv = [sys.executable, UDP_FLOW, "send", "--dst", destination, "--port", str(port),
            "--count", str(count), "--interval", str(interval), "--size", str(size)]
    if echo:
        argv.append("--echo")
    proc = node.run_cmd(argv, timeout=count * interval + 30)
    return last_json(proc.stdout, "UDP sender")


def udp_flow(sender, receiver, destination, port, count, interval=0.01, size=200):
    """A one-way flow of count datagrams; (sent, received, sequence at the receiver)."""
    sink = UdpSink(receiver, port, idle=2.0, max_time=count * interval + 5.0)
    sent = udp_send(sender, destination, port, count, interval, size)["sent"]
    got = sink.result()
    return sent, got["received"], got["sequence"]


def last_json(text, what):
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise HarnessError("%s printed no result:\n%s" % (what, text))
