"""Network-namespace topologies for one harness run: namespaces, veth links, addresses,
routes, sysctls, processes started inside namespaces, and a teardown that always runs.

A Run owns everything it creates and names it with one prefix unique to the run,
"lh<pid><4 letters>" (namespaces "<prefix>-<node>"; interfaces live only inside our
namespaces, so their names need no prefix). Run.close() removes it all: it runs from
`with Run(...)`, from atexit, and on SIGINT/SIGTERM/SIGHUP (turned into an exception so
that every finally block runs). A run killed with SIGKILL leaves its namespaces behind;
the next Run removes them (remove_stale_runs: namespaces of our prefix whose process is
gone, with the processes still inside them and their run directories). Children get
PR_SET_PDEATHSIG, so they die with the harness even when it cannot clean up.

Only the Python standard library is used.
"""

import atexit
import ctypes
import os
import random
import re
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time

PREFIX = "lh"
# lh<pid><4 lowercase letters>-<node>: the pid tells whether the run is still alive.
STALE_NAME = re.compile(r"^%s(\d+)([a-z]{4})-[a-z0-9-]+$" % PREFIX)
RUN_DIR_NAME = re.compile(r"^lispharness-%s(\d+)([a-z]{4})-" % PREFIX)
SKIP = 77  # ctest SKIP_RETURN_CODE
CAP_NET_ADMIN = 12
CAP_SYS_ADMIN = 21
PR_SET_PDEATHSIG = 1


class HarnessError(RuntimeError):
    """A command of the harness failed (not a failed check of the scenario)."""


class Interrupted(BaseException):
    """SIGINT/SIGTERM/SIGHUP during a run: unwinds through every finally block."""


def _die_with_parent():
    """preexec_fn of every child: SIGTERM when the harness dies, even by SIGKILL."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def run_cmd(argv, check=True, timeout=30, input_text=None):
    """Run argv; its CompletedProcess (text). Raises HarnessError when check and it fails."""
    try:
        proc = subprocess.run(argv, input=input_text, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True,
                              timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise HarnessError("%s: %s" % (" ".join(argv), e)) from e
    if check and proc.returncode != 0:
        raise HarnessError("%s failed (exit %d): %s" % (" ".join(argv), proc.returncode,
                                                        proc.stderr.strip()))
    return proc


def _effective_caps():
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16)
    return 0


def why_no_namespaces():
    """None when this process can build namespace topologies, else the reason (a skip)."""
    caps = _effective_caps()
    for bit, name in ((CAP_NET_ADMIN, "CAP_NET_ADMIN"), (CAP_SYS_ADMIN, "CAP_SYS_ADMIN")):
        if not caps & (1 << bit):
            return "no %s (euid %d): network namespaces need root" % (name, os.geteuid())
    if not os.path.exists("/dev/net/tun"):
        return "no /dev/net/tun: lispd cannot create its TUN device"
    if not shutil.which("ip"):
        return "no ip command (iproute2)"
    probe = "%s%d%s-probe" % (PREFIX, os.getpid(), "".join(random.choices(
        string.ascii_lowercase, k=4)))
    proc = run_cmd(["ip", "netns", "add", probe], check=False)
    if proc.returncode != 0:
        return "ip netns add failed: %s" % proc.stderr.strip()
    run_cmd(["ip", "netns", "del", probe], check=False)
    return None


def skip_unless_namespaces(test):
    """Exit 77 with the reason when namespaces cannot be created; never silently."""
    reason = why_no_namespaces()
    if reason:
        print("%s: SKIPPED, namespace tests cannot run here: %s" % (test, reason))
        sys.exit(SKIP)


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _kill_pids(pids, grace=2.0):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        alive = [p for p in pids if _pid_alive(p)]
        for pid in alive:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while alive and time.monotonic() < deadline:
            alive = [p for p in alive if _pid_alive(p)]
            time.sleep(0.05)
        if not alive:
            return


def _namespace_pids(ns):
    proc = run_cmd(["ip", "netns", "pids", ns], check=False)
    return [int(p) for p in proc.stdout.split() if p.isdigit()]


def list_namespaces():
    proc = run_cmd(["ip", "netns", "list"], check=False)
    return [line.split()[0] for line in proc.stdout.splitlines() if line.strip()]


def remove_stale_runs(log=print):
    """Remove namespaces and run directories of harness runs whose process is gone."""
    removed = 0
    for ns in list_namespaces():
        m = STALE_NAME.match(ns)
        if not m or _pid_alive(int(m.group(1))):
            continue
        _kill_pids(_namespace_pids(ns))
        run_cmd(["ip", "netns", "del", ns], check=False)
        removed += 1
    tmp = tempfile.gettempdir()
    for entry in os.listdir(tmp):
        m = RUN_DIR_NAME.match(entry)
        if m and not _pid_alive(int(m.group(1))):
            shutil.rmtree(os.path.join(tmp, entry), ignore_errors=True)
    if removed:
        log("lispharness: removed %d namespaces left by dead runs" % removed)
    return removed


class Node:
    """One namespace: a host, a router or a LISP node."""

    def __init__(self, run, name):
        self.run = run
        self.name = name
        self.ns = "%s-%s" % (run.prefix, name)
        self.interfaces = []

    def cmd(self, argv):
        """argv prefixed to run inside this namespace."""
        return ["ip", "netns", "exec", self.ns] + list(argv)

    def run_cmd(self, argv, **kwargs):
        return run_cmd(self.cmd(argv), **kwargs)

    def ip(self, *args):
        return run_cmd(["ip", "-n", self.ns] + list(args))

    def sysctl(self, key, value):
        self.run_cmd(["sysctl", "-q", "-w", "%s=%s" % (key, value)])

    def add_address(self, ifname, cidr):
        self.ip("addr", "add", cidr, "dev", ifname)

    def add_route(self, prefix, via=None, dev=None):
        argv = ["route", "add", prefix]
        if via:
            argv += ["via", via]
        if dev:
            argv += ["dev", dev]
        self.ip(*argv)

    def router(self):
        """Forward IPv4 and accept packets whose source routes elsewhere (rp_filter off):
        an xTR receives from its TUN packets sourced in remote sites."""
        self.sysctl("net.ipv4.ip_forward", 1)
        for scope in ["all", "default"] + self.interfaces:
            self.sysctl("net.ipv4.conf.%s.rp_filter" % scope, 0)

    def start(self, argv, name, env=None):
        """Start argv in this namespace; stdout and stderr go to <run dir>/<name>.log."""
        return self.run.start(self, argv, name, env)


class Process:
    def __init__(self, popen, name, log_path):
        self.popen = popen
        self.name = name
        self.log_path = log_path

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self, sig=signal.SIGTERM, timeout=5.0):
        """Signal the process and wait; SIGKILL after timeout. Its exit status."""
        if self.popen.poll() is None:
            try:
                self.popen.send_signal(sig)
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        return self.popen.returncode


class Run:
    """One harness run: its namespaces, processes and run directory (see module doc)."""

    def __init__(self, label, keep_dir=None, log=print):
        self.log = log
        self.prefix = "%s%d%s" % (PREFIX, os.getpid(),
                                  "".join(random.choices(string.ascii_lowercase, k=4)))
        remove_stale_runs(log)
        if keep_dir:
            os.makedirs(keep_dir, exist_ok=True)
            self.dir = os.path.abspath(keep_dir)
            self.keep = True
        else:
            label = re.sub(r"[^a-z0-9]+", "-", label.lower())
            self.dir = tempfile.mkdtemp(prefix="lispharness-%s-%s-" % (self.prefix, label))
            self.keep = False
        self.nodes = {}
        self.processes = []
        self.closed = False
        self._old_handlers = {}
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            self._old_handlers[sig] = signal.signal(sig, self._on_signal)
        atexit.register(self.close)

    def _on_signal(self, signum, _frame):
        raise Interrupted("signal %d" % signum)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def node(self, name):
        """A new namespace with lo up, IPv6 off (no ND/MLD noise in the captures)."""
        if name in self.nodes:
            raise HarnessError("node %s exists" % name)
        node = Node(self, name)
        run_cmd(["ip", "netns", "add", node.ns])
        self.nodes[name] = node
        node.ip("link", "set", "lo", "up")
        for scope in ("all", "default"):
            node.sysctl("net.ipv6.conf.%s.disable_ipv6" % scope, 1)
        return node

    def link(self, a, a_if, b, b_if, a_cidr=None, b_cidr=None):
        """A veth pair a:a_if <-> b:b_if, created directly inside the two namespaces, with
        TX checksum offload off on both ends (so captures carry the real checksums)."""
        run_cmd(["ip", "-n", a.ns, "link", "add", a_if, "type", "veth", "peer", "name", b_if,
                 "netns", b.ns])
        for node, ifname, cidr in ((a, a_if, a_cidr), (b, b_if, b_cidr)):
            node.interfaces.append(ifname)
            node.run_cmd(["ethtool", "-K", ifname, "tx", "off"])
            if cidr:
                node.add_address(ifname, cidr)
            node.ip("link", "set", ifname, "up")

    def start(self, node, argv, name, env=None):
        log_path = self.path("%s.log" % name)
        with open(log_path, "w", encoding="utf-8") as log:
            popen = subprocess.Popen(node.cmd(argv), stdin=subprocess.DEVNULL, stdout=log,
                                     stderr=subprocess.STDOUT, env=env,
                                     preexec_fn=_die_with_parent, start_new_session=True)
        proc = Process(popen, name, log_path)
        self.processes.append(proc)
        return proc

    def close(self):
        """Stop every process, delete every namespace, remove the run directory unless it
        is kept. Idempotent; runs also after a failure or a signal."""
        if self.closed:
            return
        self.closed = True
        for sig in self._old_handlers:
            signal.signal(sig, signal.SIG_IGN)  # no second interrupt during teardown
        try:
            for proc in reversed(self.processes):
                proc.stop()
            for node in self.nodes.values():
                _kill_pids(_namespace_pids(node.ns))
                run_cmd(["ip", "netns", "del", node.ns], check=False)
            left = [ns for ns in list_namespaces() if ns.startswith(self.prefix + "-")]
            for ns in left:
                run_cmd(["ip", "netns", "del", ns], check=False)
            if not self.keep:
                shutil.rmtree(self.dir, ignore_errors=True)
        finally:
            for sig, handler in self._old_handlers.items():
                signal.signal(sig, handler)
            atexit.unregister(self.close)


def wait_for(predicate, timeout, interval=0.1):
    """Poll predicate until it returns a true value (returned) or timeout (None)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


__all__ = ["Run", "Node", "Process", "HarnessError", "Interrupted", "SKIP", "run_cmd",
           "skip_unless_namespaces", "why_no_namespaces", "remove_stale_runs", "wait_for"]
