"""tcpdump on every link of a run: one pcap per interface, stopped cleanly.

tcpdump runs inside the namespace of the interface with -U (each packet written as it
comes, so a pcap is complete up to the moment tcpdump stops) and -Z root (Debian's tcpdump
otherwise drops to user tcpdump, which cannot write into the run directory). start()
returns once tcpdump says it is listening, so no packet of the scenario is missed; stop()
sends SIGINT, waits, and reads tcpdump's own "captured / dropped by kernel" counts.

Only the Python standard library is used.
"""

import os
import re
import signal

from .netns import HarnessError, wait_for

LISTENING = "listening on"
COUNTS = re.compile(r"(\d+) packets? captured.*?(\d+) packets? dropped by kernel", re.S)


class Capture:
    def __init__(self, node, ifname, path):
        self.node = node
        self.ifname = ifname
        self.path = path
        self.proc = None
        self.captured = None
        self.dropped = None

    def start(self, timeout=5.0):
        name = "tcpdump-" + os.path.splitext(os.path.basename(self.path))[0]
        self.proc = self.node.start(["tcpdump", "-n", "-i", self.ifname, "-U", "-s", "0",
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
            self.captured, self.dropped = int(m.group(1)), int(m.group(2))


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
        for capture in self.captures:
            capture.stop()
            if capture.dropped:
                problems.append("%s: tcpdump dropped %d packets"
                                % (os.path.basename(capture.path), capture.dropped))
        return problems

    def pcaps(self):
        return [c.path for c in self.captures]
