#!/usr/bin/env python3
"""control/lispctl: lispctl against the control socket of real engines.

Runs control_test_server (an xTR registered with a Map-Server, a populated map-cache; see
control_world.h) and checks lispctl's exit codes (0 ok, 1 the daemon's error, 2 no daemon
or no answer), that the status line is not printed, and that every --json answer is one
JSON document with the expected content.

usage: test_lispctl.py LISPCTL CONTROL_TEST_SERVER
Only the Python standard library is used.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

LISPCTL, SERVER = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def lispctl(*args, sock=None):
    cmd = [LISPCTL] + (["-s", sock] if sock else []) + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=30)


class Server:
    """control_test_server on a socket in dir, for role; ends when the test closes stdin."""

    def __init__(self, dir, role):
        self.sock = os.path.join(dir, role.replace("+", "-") + ".sock")
        self.proc = subprocess.Popen([SERVER, self.sock, role], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if line.strip() != "ready":
            self.stop()
            raise SystemExit(f"control_test_server {role} did not start")

    def ok(self, *args):
        r = lispctl(*args, sock=self.sock)
        check(r.returncode == 0, f"{args}: exit {r.returncode}, stderr {r.stderr!r}")
        check(not r.stdout.startswith("ok"), f"{args}: the status line was printed")
        return r.stdout

    def json(self, *args):
        out = self.ok(*args)
        try:
            return json.loads(out)
        except ValueError as e:
            failures.append(f"{args}: not JSON ({e}): {out!r}")
            print("FAIL:", failures[-1])
            return {}

    def error(self, *args, contains=""):
        r = lispctl(*args, sock=self.sock)
        check(r.returncode == 1, f"{args}: exit {r.returncode}, want 1")
        check(r.stdout == "", f"{args}: printed {r.stdout!r} on an error")
        check(r.stderr.startswith("lispctl: ") and contains in r.stderr,
              f"{args}: stderr {r.stderr!r} lacks {contains!r}")

    def stop(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        check(self.proc.returncode == 0, f"control_test_server exit {self.proc.returncode}")
        check(not os.path.exists(self.sock), "the socket file outlived the server")


def test_xtr(dir):
    s = Server(dir, "xtr")
    try:
        text = s.ok("show", "map-cache")
        check("[0] 10.2.0.0/16  expires in 10m0s" in text, f"map-cache text: {text!r}")
        mc = s.json("--json", "show", "map-cache")
        check(mc.get("count") == 2, f"map-cache count: {mc}")
        entries = mc.get("entries", [{}, {}])
        check([e.get("prefix") for e in entries] == ["10.2.0.0/16", "10.3.0.0/16"],
              f"map-cache prefixes: {entries}")
        check([l["address"] for l in entries[0].get("locators", [])]
              == ["198.51.100.1", "198.51.100.2"], f"locators: {entries[0]}")
        check(entries[1].get("negative") is True
              and entries[1].get("action") == "natively-forward", f"negative: {entries[1]}")
        reg = s.json("show", "registrations", "--json")  # --json last works too
        check(reg.get("registered") is True
              and reg["map_servers"][0]["state"] == "registered", f"registrations: {reg}")
        loc = s.json("--json", "show", "locators")
        check(loc.get("lsb") == 1 and [l["state"] for l in loc["locators"]] == ["up", "down"],
              f"locators: {loc}")
        stats = s.json("--json", "show", "stats")
        check(stats.get("role") == "xtr" and stats.get("xtr", {}).get("map_replies_received") == 2,
              f"stats: {stats}")
        check("show map-cache" in s.json("--json", "help").get("commands", []), "help --json")
        check("clear map-cache" in s.ok("help"), "help text")
        s.error("show", "sites", contains="show sites: the role xtr has no Map-Server")
        s.error("frobnicate", contains="unknown command 'frobnicate'")
        s.error("log", "level", "loud", contains="not one of")
        check("log level debug" in s.ok("log", "level", "debug"), "log level")
        check("2 entries dropped" in s.ok("clear", "map-cache"), "clear map-cache")
        check(s.json("--json", "show", "map-cache").get("count") == 0, "map-cache after clear")
    finally:
        s.stop()


def test_ms(dir, role):
    s = Server(dir, role)
    try:
        reg = s.json("--json", "show", "registrations")
        regs = reg.get("registrations", [{}])
        check(reg.get("count") == 1 and regs[0].get("prefix") == "10.1.0.0/16"
              and regs[0].get("site") == "site-a", f"{role} registrations: {reg}")
        check(regs[0].get("xtrs", [{}])[0].get("rloc") == "192.0.2.1:4342", f"xtrs: {regs[0]}")
        sites = s.json("--json", "show", "sites").get("sites", [])
        check([x["name"] for x in sites] == ["site-a", "site-b"], f"{role} sites: {sites}")
        check([p["registered"] for p in sites[1]["prefixes"]] == [False, False], f"{sites}")
        stats = s.json("--json", "show", "stats")
        want = ["map-server", "map-resolver"] if role == "ms+mr" else ["map-server"]
        check([k for k in stats if k != "role"] == want, f"{role} stats groups: {list(stats)}")
        check("site site-b  key-id 2  proxy-reply  0 registrations" in s.ok("show", "sites"),
              "sites text")
        s.error("show", "map-cache", contains="has no tunnel router")
    finally:
        s.stop()


def test_unreachable(dir):
    missing = os.path.join(dir, "nobody.sock")
    r = lispctl("show", "stats", sock=missing)
    check(r.returncode == 2, f"no daemon: exit {r.returncode}")
    check(missing in r.stderr and "-s" in r.stderr, f"no daemon: stderr {r.stderr!r}")

    # A daemon that accepts and never answers: lispctl gives up after -t.
    path = os.path.join(dir, "silent.sock")
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.bind(path)
    silent.listen(4)
    t0 = time.monotonic()
    r = subprocess.run([LISPCTL, "-s", path, "-t", "1", "show", "stats"], capture_output=True,
                       text=True, timeout=30)
    took = time.monotonic() - t0
    check(r.returncode == 2 and "no answer" in r.stderr, f"silent: {r.returncode} {r.stderr!r}")
    check(took < 10, f"silent daemon held lispctl {took:.1f} s")
    silent.close()

    # A daemon whose queue of connections is full (stuck): connect itself times out.
    path = os.path.join(dir, "stuck.sock")
    stuck = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stuck.bind(path)
    stuck.listen(0)
    queued = []
    for _ in range(4):
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.setblocking(False)
        try:
            c.connect(path)
        except BlockingIOError:
            c.close()
            break
        queued.append(c)
    r = subprocess.run([LISPCTL, "-s", path, "-t", "1", "show", "stats"], capture_output=True,
                       text=True, timeout=30)
    check(r.returncode == 2 and "accepts no connection" in r.stderr,
          f"stuck: {r.returncode} {r.stderr!r}")
    for c in queued:
        c.close()
    stuck.close()

    r = lispctl("show", "x" * 600, sock=missing)
    check(r.returncode == 2 and "longer than" in r.stderr, f"long: {r.returncode} {r.stderr!r}")

    # Something that is not lispd on the socket.
    path = os.path.join(dir, "other.sock")
    other = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    other.bind(path)
    other.listen(4)

    def answer_once():
        conn, _ = other.accept()
        conn.recv(512)
        conn.sendall(b"HELLO\n")
        conn.close()

    thread = threading.Thread(target=answer_once)
    thread.start()
    r = lispctl("show", "stats", sock=path)
    thread.join(timeout=10)
    other.close()
    check(r.returncode == 2 and "not lispd" in r.stderr, f"other: {r.returncode} {r.stderr!r}")

    r = subprocess.run([LISPCTL, "--help"], capture_output=True, text=True, timeout=30)
    check(r.returncode == 0 and "show map-cache" in r.stdout and "-s SOCKET" in r.stdout,
          f"--help: {r.returncode}")
    r = subprocess.run([LISPCTL], capture_output=True, text=True, timeout=30)
    check(r.returncode == 2 and "usage" in r.stderr, f"no command: {r.returncode}")


def main():
    dir = tempfile.mkdtemp(prefix="lispctl-test-")
    try:
        test_xtr(dir)
        test_ms(dir, "ms+mr")
        test_ms(dir, "ms")
        test_unreachable(dir)
    finally:
        shutil.rmtree(dir, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("lispctl: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
