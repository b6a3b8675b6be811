#!/usr/bin/env python3
"""native/lispd-netns-smoke: lispd as a Map-Server/Map-Resolver in a network namespace.

One namespace (a unique name, removed also on failure) with only its loopback up:
  * lispd -c ms-mr.conf --foreground starts and opens its control socket;
  * a malformed datagram to port 4342 is counted by the engine, not fatal;
  * a second lispd on the same ports exits non-zero and says the port is in use;
  * SIGHUP with a new log level keeps the engine, with a file that does not parse keeps
    everything (and says why), with a new site key makes a new engine;
  * SIGTERM: exit status 0, the final counters logged, the control socket removed;
  * without --foreground: the pidfile names the daemon, which reloads on SIGHUP and stops
    on SIGTERM, removing the pidfile and the control socket.
Then, in the same namespace, lispd as an xTR on a veth pair (its RLOCs from an
rloc-interface, the TUN device and its routes):
  * started before the interface has an address, it waits, then runs with the first one;
  * the TUN is up with the configured MTU and the eid-routes point into it; a ping into
    EID space reaches the engine (a Map-Request is sent);
  * address added / link down / link up / address removed become locator events;
  * SIGHUP with other eid-routes and MTU changes the routes and MTU in place;
  * SIGTERM: exit 0, the TUN device and its routes are gone.
The full two-site topologies are the harness's (native/harness).

usage: lispd_netns_smoke.py LISPD
Exit 77 (skipped, said loudly) when not root or namespaces cannot be made. Standard library only.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77

CONFIG = """# ms+mr for the smoke test
role = "ms+mr"
log-level = "{level}"
control-socket = "{sock}"
registration-ttl = 180
site "site-a" {{
    key-id = 1
    key = "{key}"   # changed to force a new engine
    eid-prefix = {{ "10.1.0.0/24" }}
}}
delegate "10.3.0.0/16" {{
    map-server = "127.0.0.2"
}}
"""


def skip(why):
    print(f"SKIP: {why}", file=sys.stderr)
    sys.exit(SKIP)


def wait_for(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def log_text(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def run(ns, lispd, tmp):
    sock = os.path.join(tmp, "lispd.sock")
    conf = os.path.join(tmp, "ms-mr.conf")
    log = os.path.join(tmp, "lispd.log")

    def write_config(level="info", key="secret-1", text=None):
        with open(conf, "w", encoding="utf-8") as f:
            f.write(text if text is not None else CONFIG.format(level=level, sock=sock, key=key))

    def wait_log(needle, seconds=5):
        wait_for(lambda: needle in log_text(log), seconds, f"'{needle}' in the log")

    write_config()
    nsexec = ["ip", "netns", "exec", ns]
    with open(log, "w", encoding="utf-8") as out:
        daemon = subprocess.Popen(nsexec + [lispd, "-c", conf, "--foreground"], stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: os.path.exists(sock), 5, "the control socket")
        wait_log("running")
        assert oct(os.stat(sock).st_mode & 0o777) == "0o600", "control socket is not mode 0600"

        # A second daemon on the same ports: refused, with the reason.
        second = subprocess.run(nsexec + [lispd, "-c", conf, "--foreground", "-s",
                                          os.path.join(tmp, "second.sock")],
                                capture_output=True, text=True, timeout=10)
        assert second.returncode != 0, "a second lispd on the same ports did not fail"
        assert "UDP port 4342 (IPv4) is already in use" in second.stderr, second.stderr
        assert daemon.poll() is None, "the first lispd died"

        # Reloads.
        write_config(level="debug")
        daemon.send_signal(signal.SIGHUP)
        wait_log("reload: the engine keeps running")
        write_config(text="role = \"ms+mr\"\nsite \"x\" {\n  bogus = 1\n}\n")
        daemon.send_signal(signal.SIGHUP)
        wait_log("reload failed, the running configuration stays")
        assert ":3: no such option 'bogus'" in log_text(log), "the reload error has no line"
        assert daemon.poll() is None, "a bad reload killed lispd"
        write_config(level="debug", key="secret-2")
        daemon.send_signal(signal.SIGHUP)
        wait_log("reload: new ms+mr engine")
        assert os.path.exists(sock), "the control socket went away on reload"

        # To the engine that runs now: a datagram that is no LISP message: dropped and counted, the daemon lives on.
        subprocess.run(nsexec + [sys.executable, "-c",
                                 "import socket; s = socket.socket(socket.AF_INET, "
                                 "socket.SOCK_DGRAM); s.sendto(b'\\x10\\x00junk', "
                                 "('127.0.0.1', 4342))"], check=True)


        time.sleep(0.2)
        assert daemon.poll() is None, "a malformed datagram killed lispd"
        daemon.send_signal(signal.SIGTERM)
        status = daemon.wait(timeout=10)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    text = log_text(log)
    assert status == 0, f"lispd exited {status}:\n{text}"
    assert "map-server.drop.malformed=1" in text, f"the junk datagram was not counted:\n{text}"
    assert not os.path.exists(sock), "the control socket was not removed"
    print(text)

    # Daemonized: the parent exits 0 once everything is open, the pidfile names the
    # daemon, which still reloads and stops on signals (its own signalfd after the fork).
    pidfile = os.path.join(tmp, "lispd.pid")
    started = subprocess.run(nsexec + [lispd, "-c", conf, "--pidfile", pidfile],
                             capture_output=True, text=True, timeout=10)
    assert started.returncode == 0, f"daemonizing lispd exited {started.returncode}: {started.stderr}"
    wait_for(lambda: os.path.exists(pidfile) and os.path.getsize(pidfile) > 0, 5, "the pidfile")
    with open(pidfile, encoding="utf-8") as f:
        pid = int(f.read())
    try:
        os.kill(pid, signal.SIGHUP)
        time.sleep(0.2)
        assert os.path.exists(f"/proc/{pid}"), "the daemon died on SIGHUP"
        os.kill(pid, signal.SIGTERM)
        wait_for(lambda: not os.path.exists(f"/proc/{pid}"), 10, "the daemon to exit on SIGTERM")
    finally:
        if os.path.exists(f"/proc/{pid}"):
            os.kill(pid, signal.SIGKILL)
    assert not os.path.exists(pidfile), "the daemon left its pidfile"
    assert not os.path.exists(sock), "the daemon left its control socket"


XTR_CONFIG = """# xTR for the smoke test
role = "xtr"
control-socket = "{sock}"
tun {{
    name = "{tun}"
    mtu = {mtu}
    eid-routes = {{ {routes} }}
}}
eid-prefix "10.1.0.0/24" {{ }}
rloc-interface "{ifname}" {{
    weight = 50
}}
map-resolver = {{ "192.0.2.100" }}
map-server "192.0.2.100" {{ key = "k" }}
"""


def ip(ns, *args):
    out = subprocess.run(["ip", "-n", ns] + list(args), capture_output=True, text=True)
    if out.returncode != 0:
        raise AssertionError(f"ip {' '.join(args)}: {out.stderr.strip()}")
    return out.stdout


def run_xtr(ns, lispd, tmp):
    sock = os.path.join(tmp, "xtr.sock")
    conf = os.path.join(tmp, "xtr.conf")
    log = os.path.join(tmp, "xtr.log")
    tun, ifname = "lsmoke0", "lsm0"

    def write_config(mtu, routes):
        with open(conf, "w", encoding="utf-8") as f:
            f.write(XTR_CONFIG.format(sock=sock, tun=tun, mtu=mtu, ifname=ifname,
                                      routes=", ".join(f'"{r}"' for r in routes)))

    def wait_log(needle, seconds=5):
        wait_for(lambda: needle in log_text(log), seconds, f"'{needle}' in the xTR log")

    def routes():
        return ip(ns, "route", "show", "dev", tun) + ip(ns, "-6", "route", "show", "dev", tun)

    ip(ns, "link", "add", ifname, "type", "veth", "peer", "name", "lsm1")
    ip(ns, "link", "set", ifname, "up")
    ip(ns, "link", "set", "lsm1", "up")
    write_config(1400, ["10.0.0.0/8", "2001:db8:100::/40"])
    nsexec = ["ip", "netns", "exec", ns]
    with open(log, "w", encoding="utf-8") as out:
        daemon = subprocess.Popen(nsexec + [lispd, "-c", conf, "--foreground"], stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        wait_log("no address on the rloc-interfaces yet")
        link = ip(ns, "link", "show", tun)
        assert "mtu 1400" in link and ",UP" in link, link
        r = routes()
        assert "10.0.0.0/8" in r and "2001:db8:100::/40" in r, r
        ip(ns, "addr", "add", "192.0.2.10/24", "dev", ifname)
        wait_log("an RLOC is there: the xtr engine runs")
        subprocess.run(nsexec + ["ping", "-c", "1", "-W", "1", "10.2.0.1"], capture_output=True)
        ip(ns, "addr", "add", "2001:db8::10/64", "dev", ifname, "nodad")
        wait_log("locator added 2001:db8::10")
        ip(ns, "link", "set", "lsm1", "down")  # our end loses carrier
        wait_log("locator down 192.0.2.10")
        ip(ns, "link", "set", "lsm1", "up")
        wait_log("locator up 192.0.2.10")
        ip(ns, "addr", "del", "2001:db8::10/64", "dev", ifname)
        wait_log("locator removed 2001:db8::10")

        write_config(1300, ["10.0.0.0/9"])
        daemon.send_signal(signal.SIGHUP)
        wait_log("reload: the engine keeps running")
        wait_log("route 2001:db8:100::/40 removed")
        r = routes()
        assert "10.0.0.0/9" in r and "10.0.0.0/8" not in r and "2001:db8" not in r, r
        assert "mtu 1300" in ip(ns, "link", "show", tun)

        daemon.send_signal(signal.SIGTERM)
        status = daemon.wait(timeout=10)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    text = log_text(log)
    assert status == 0, f"the xTR exited {status}:\n{text}"
    assert "xtr.map_requests_sent=" in text, f"the ping never reached the engine:\n{text}"
    links = subprocess.run(["ip", "-n", ns, "link", "show", tun], capture_output=True, text=True)
    assert links.returncode != 0, f"{tun} is still there after SIGTERM"
    print(text)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    lispd = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0:
        skip("not root: network namespaces cannot be created")
    ns = f"lispd-smoke-{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", ns], capture_output=True, text=True)
    if made.returncode != 0:
        skip(f"cannot create a network namespace: {made.stderr.strip()}")
    try:
        subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
        with tempfile.TemporaryDirectory(prefix="lispd-smoke-") as tmp:
            run(ns, lispd, tmp)
            run_xtr(ns, lispd, tmp)
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False)
    print("lispd netns smoke: 2 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
