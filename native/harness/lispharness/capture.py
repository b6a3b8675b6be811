"""tcpdump on every link of a run: one pcap per interface, stopped cleanly.

tcpdump runs inside the namespace of the interface with --immediate-mode (packets reach
tcpdump as they come, not in blocks the kernel hands over every few hundred ms), -U (each
packet written as it comes, so a pcap is complete up to the moment tcpdump stops) and -Z root (Debian's tcpdump
otherwise drops to user tcpdump, which cannot write into the run directory). start()
returns once tcpdump says it is listening, so no packet of the scenario is missed; stop()
waits a moment for the last packets to be read, sends SIGINT, waits, and reads tcpdump's
own counts: a capture that wrote fewer packets than its filter took in, or that the kernel
dropped packets from, is incomplete, and that is reported.

Only the Python standard library is used.
"""

import os
import re
import signal
import time

from .netns import HarnessError, wait_for

LISTENING = "listening on"
COUNTS = re.compile(r"(\d+) packets? captured.*?(\d+) packets? received by filter.*?"
                    r"(\d+) packets? dropped by kernel", re.S)
SETTLE = 0.3  # seconds between the end of a scenario and stopping the captures


class Capture:
    def __init__(self, node, ifname, path):
        self.node = node
        self.ifname = ifname
        self.path = path
        self.proc = None
        self.captured = None
        self.filtered = None
        self.dropped = None

    def start(self, timeout=5.0):
        name = "tcpdump-" + os.path.splitext(os.path.basename(self.path))[0]
        self.proc = self.node.start(["tcpdump", "-n", "-i", self.ifname, "--immediate-mode", "-U", "-s", "0",
                                     "-Z", "root", "-w", self.path], name)
        if not wait_for(lambda: LISTENING in self.proc.log() or self.proc.popen.poll() is not None,
                        timeout) or LISTENING not in self.proc.log():
            raise HarnessError("tcpdump on %s:%s did not start: %s"
                               % (self.node.name, self.ifname, self.proc.log().strip()))

    def stop(self):
        if self.proc is None:
            return
        self.proc.stop(signal.SIGINT)
        m = COUNTS.search(self.proc.log())
        if m:
            self.captured, self.filtered, self.dropped = (int(g) for g in m.groups())


class Captures:
    """Every capture of a run; pcaps named <node>-<interface>.pcap in one directory."""

    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self.captures = []

    def add(self, node, ifname):
        capture = Capture(node, ifname, os.path.join(self.directory,
                                                     "%s-%s.pcap" % (node.name, ifname)))
        capture.start()
        self.captures.append(capture)
        return capture

    def stop(self):
        """Stop every tcpdump; a list of problems (a capture that dropped packets)."""
        problems = []
        time.sleep(SETTLE)
        for capture in self.captures:
            capture.stop()
            name = os.path.basename(capture.path)
            if capture.captured is None:
                problems.append("%s: no packet counts from tcpdump: %s"
                                % (name, capture.proc.log().strip()))
            elif capture.dropped or capture.captured != capture.filtered:
                problems.append("%s: incomplete, tcpdump wrote %d of %d packets (%d dropped by "
                                "the kernel)" % (name, capture.captured, capture.filtered,
                                                 capture.dropped))
        return problems

    def pcaps(self):
        return [c.path for c in self.captures]
