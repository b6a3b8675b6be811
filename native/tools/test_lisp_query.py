#!/usr/bin/env python3
"""native/lisp-query: lisp-query against real engines over real UDP sockets on loopback.

lisp-test-msmr hosts the ms+mr engines (a Map-Server and a co-located Map-Resolver) on a
free port of 127.0.0.1; lisp-query talks to it with -p. Checked:

  * usage errors exit 2, --help and --version exit 0;
  * register with key-id 1 and key-id 2 gets a verified Map-Notify with the interoperable
    authentication length (20 and 32 bytes); a wrong key gets none (exit 1);
  * request for a registered EID prints the locators (text and --json); for a configured
    but unregistered EID and for one outside every prefix, a negative reply and its action;
  * no reply (a socket that never answers): exit 1 after -c attempts;
  * --flood: every Map-Request and Map-Register (over an --eid-range) answered;
  * info against a responder written here (Info-Reply bytes by hand, HMAC with Python's
    hmac): the translated address and port, MS port, private address and RTRs printed; the
    Info-Request's HMAC verified here; a wrong key rejects the reply (exit 1);
  * --pcap: what the tool sent and received, with the server on port 4342 of a loopback
    address of its own, dissected by tshark with wireshark/lisp-ports.lua: no malformed
    frame, no expert warning, no LISP complaint, good UDP checksums, and the intended
    lisp.type / lisp.keyid / lisp.authlen / prefix / locator / NAT-traversal fields
    (skipped with a message when tshark is missing).

usage: test_lisp_query.py LISP_QUERY LISP_TEST_MSMR LISP_PORTS_LUA
Exit status 0 passed, 1 failed. Only the Python standard library is used.
"""

import hashlib
import hmac
import json
import os
import random
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test",
                                "wireshark"))
import tshark_run  # noqa: E402  (the repository's tshark helper)
from tshark_run import LISP_COMPLAINTS, SEVERITY_WARN  # noqa: E402

SITES = ["a,1,key-a,10.1.0.0/16,proxy", "b,2,key-b,10.2.0.0/16,proxy", "c,1,key-c,10.3.0.0/16"]
FAILURES = []


def check(condition, what, detail=""):
    if condition:
        print("ok   " + what)
    else:
        print("FAIL " + what + ("\n     " + detail.replace("\n", "\n     ") if detail else ""))
        FAILURES.append(what)


class Host:
    """lisp-test-msmr on bind:port (port 0: a free one), stopped with SIGTERM."""

    def __init__(self, program, bind="127.0.0.1", port=0):
        args = [program, "--bind", bind, "--port", str(port)]
        for site in SITES:
            args += ["--site", site]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     universal_newlines=True)
        line = self.proc.stdout.readline().split()
        if len(line) != 2 or line[0] != "port":
            self.proc.kill()
            raise RuntimeError("lisp-test-msmr did not start: " + self.proc.stderr.read())
        self.port = int(line[1])

    def stop(self):
        self.proc.terminate()
        out, _ = self.proc.communicate(timeout=10)
        return dict(line.split() for line in out.splitlines() if len(line.split()) == 2)


def run(tool, *args, timeout=60):
    proc = subprocess.run([tool] + [str(a) for a in args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=timeout,
                          check=False)
    return proc.returncode, proc.stdout, proc.stderr


def test_usage(tool):
    for args in ([], ["frobnicate"], ["request", "-m", "127.0.0.1"],
                 ["request", "10.1.1.1"], ["request", "10.1.1.1", "-m", "127.0.0.1", "-k", "x"],
                 ["request", "10.1.1.1/33", "-m", "127.0.0.1"],
                 ["request", "10.1.1.1", "-m", "127.0.0.1", "-p", "70000"],
                 ["request", "10.1.1.1", "-m", "127.0.0.1", "--rate", "5"],
                 ["register", "-m", "127.0.0.1", "--eid", "10.1.0.0/16", "--rloc", "192.0.2.1"],
                 ["register", "-m", "127.0.0.1", "-k", "k", "--key-id", "3", "--eid",
                  "10.1.0.0/16", "--rloc", "192.0.2.1"],
                 ["register", "-m", "127.0.0.1", "-k", "k", "--eid", "10.1.0.0/16", "--rloc",
                  "192.0.2.1,1"],
                 ["info", "-m", "127.0.0.1", "--key-id", "2"]):
        rc, out, err = run(tool, *args)
        check(rc == 2 and "usage" in (err + out), "usage error exits 2: %s" % " ".join(args),
              "rc %d\n%s%s" % (rc, out, err))
    rc, out, _ = run(tool, "--help")
    check(rc == 0 and "SYNOPSIS" in out and "--want-notify" in out, "--help")
    rc, out, _ = run(tool, "--version")
    check(rc == 0 and out.startswith("lisp-query "), "--version")


def test_register(tool, port):
    for key_id, key, eid, length in ((1, "key-a", "10.1.0.0/16", 20),
                                     (2, "key-b", "10.2.0.0/16", 32)):
        rc, out, err = run(tool, "register", "-m", "127.0.0.1", "-p", port, "-k", key,
                           "--key-id", key_id, "--eid", eid, "--rloc", "192.0.2.1,1,100",
                           "--rloc", "192.0.2.2,2,50", "--want-notify", "--json")
        ok = rc == 0
        if ok:
            r = json.loads(out)
            ok = (r["notify"] and r["verified"] and r["auth_len"] == length
                  and r["notify_auth_len"] == length and r["records"] == 1)
        check(ok, "register key-id %d: verified Map-Notify, %d-byte auth" % (key_id, length),
              "rc %d\n%s%s" % (rc, out, err))
    rc, out, err = run(tool, "register", "-m", "127.0.0.1", "-p", port, "-k", "key-b",
                       "--key-id", 2, "--eid", "10.2.0.0/16", "--rloc", "2001:db8::1",
                       "--want-notify")
    check(rc == 0 and "key-id 2, HMAC-SHA-256-128, 32-byte" in out,
          "register text output names key-id and length", out + err)
    rc, out, err = run(tool, "register", "-m", "127.0.0.1", "-p", port, "-k", "wrong",
                       "--eid", "10.1.0.0/16", "--rloc", "192.0.2.1", "--want-notify",
                       "-c", 2, "-t", 0.3)
    check(rc == 1 and "No verified Map-Notify after 2 attempts" in out,
          "register with a wrong key: no Map-Notify, exit 1", "rc %d\n%s%s" % (rc, out, err))


def test_request(tool, port):
    rc, out, err = run(tool, "request", "10.1.1.1", "-m", "127.0.0.1", "-p", port)
    lines = out.splitlines()
    check(rc == 0 and "Received Map-Reply from 127.0.0.1:%d with rtt" % port in out
          and "10.1.0.0/16, record ttl: 1440, not authoritative, action: no-action" in lines
          and any(l.split()[:4] == ["192.0.2.1", "up", "1/100", "255/0"] for l in lines if l)
          and any(l.split()[:4] == ["192.0.2.2", "up", "2/50", "255/0"] for l in lines if l),
          "request for a registered EID prints its locators", "rc %d\n%s%s" % (rc, out, err))
    rc, out, err = run(tool, "request", "10.1.77.1", "-m", "127.0.0.1", "-p", port, "--json")
    ok = rc == 0
    if ok:
        r = json.loads(out)
        rec = r["records"][0]
        ok = (r["reply"] and r["rtt_ms"] >= 0 and rec["eid_prefix"] == "10.1.0.0/16"
              and [(l["address"], l["priority"], l["weight"], l["mpriority"], l["mweight"],
                    l["reachable"]) for l in rec["locators"]]
              == [("192.0.2.1", 1, 100, 255, 0, True), ("192.0.2.2", 2, 50, 255, 0, True)])
    check(ok, "request --json: record and locators", "rc %d\n%s%s" % (rc, out, err))
    rc, out, err = run(tool, "request", "10.3.1.1", "-m", "127.0.0.1", "-p", port)
    check(rc == 0 and "10.3.0.0/16, record ttl: 1, authoritative, negative, action: "
          "natively-forward" in out, "request for a configured, unregistered EID: negative",
          out + err)
    rc, out, err = run(tool, "request", "11.0.0.1", "-m", "127.0.0.1", "-p", port, "--json")
    ok = rc == 0
    if ok:
        rec = json.loads(out)["records"][0]
        ok = (rec["eid_prefix"] == "11.0.0.0/8" and rec["action"] == "natively-forward"
              and rec["locators"] == [] and rec["ttl"] == 15 and rec["authoritative"])
    check(ok, "request outside every prefix: negative, natively-forward", out + err)
    rc, out, err = run(tool, "request", "2001:db8::1/64", "-m", "127.0.0.1", "-p", port)
    check(rc == 0 and "negative, action: natively-forward" in out,
          "request for an IPv6 EID over IPv4", out + err)


def test_timeout(tool):
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))
    try:
        rc, out, err = run(tool, "request", "10.1.1.1", "-m", "127.0.0.1", "-p",
                           silent.getsockname()[1], "-c", 2, "-t", 0.2)
        check(rc == 1 and "No Map-Reply after 2 attempts" in out,
              "request without an answer: exit 1 after -c attempts", out + err)
        got = 0
        silent.settimeout(0.1)
        try:
            while True:
                silent.recv(2048)
                got += 1
        except socket.timeout:
            pass
        check(got == 2, "one ECM per attempt (%d)" % got)
    finally:
        silent.close()


def test_flood(tool, port):
    rc, out, err = run(tool, "request", "10.1.1.1", "-m", "127.0.0.1", "-p", port, "--flood",
                       500, "--eid-range", "10.1.0.0/16", "--json")
    ok = rc == 0
    if ok:
        r = json.loads(out)
        ok = r["sent"] == 500 and r["received"] == 500 and r["reply_rate"] > 0
    check(ok, "request --flood 500: every Map-Request answered", out + err)
    rc, out, err = run(tool, "register", "-m", "127.0.0.1", "-p", port, "-k", "key-a",
                       "--eid", "10.1.0.0/16", "--rloc", "192.0.2.1", "--want-notify",
                       "--flood", 300, "--rate", 20000, "--eid-range", "10.1.128.0/24")
    check(rc == 0 and "sent: 300 Map-Registers" in out and "received: 300 Map-Notifies" in out,
          "register --flood 300 --rate: every Map-Register notified", out + err)


INFO_KEY = b"info-key"


def info_reply(request, key):
    """An Info-Reply to request (bytes by hand): key-id 1, 20-byte HMAC with key."""
    nonce = request[4:12]
    natt = struct.pack("!HH", 4342, 61000)              # MS port, ETR port
    natt += struct.pack("!H4s", 1, socket.inet_aton("198.51.100.77"))   # global ETR
    natt += struct.pack("!H4s", 1, socket.inet_aton("203.0.113.10"))    # MS
    natt += struct.pack("!H4s", 1, socket.inet_aton("10.0.0.2"))        # private ETR
    natt += struct.pack("!H4s", 1, socket.inet_aton("192.0.2.201"))     # RTR 1
    natt += struct.pack("!H4s", 1, socket.inet_aton("192.0.2.202"))     # RTR 2
    lcaf = struct.pack("!HBBBBH", 16387, 0, 0, 7, 0, len(natt)) + natt
    body = struct.pack("!I", 1440) + b"\x00" + b"\x00" + struct.pack("!H", 0) + lcaf
    msg = bytearray(struct.pack("!I", 0x78000000) + nonce + struct.pack("!HH", 1, 20)
                    + bytes(20) + body)
    msg[16:36] = hmac.new(key, bytes(msg), hashlib.sha1).digest()
    return bytes(msg)


class InfoResponder(threading.Thread):
    """Answers Info-Requests on addr with info_reply; keeps what it received."""

    def __init__(self, addr):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(addr)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received = []
        self.running = True

    def run(self):
        while self.running:
            try:
                data, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            self.received.append(data)
            if data[0] >> 4 == 7 and not data[0] & 0x08:
                self.sock.sendto(info_reply(data, INFO_KEY), peer)

    def stop(self):
        self.running = False
        self.join()
        self.sock.close()


def test_info(tool):
    responder = InfoResponder(("127.0.0.1", 0))
    responder.start()
    try:
        rc, out, err = run(tool, "info", "-m", "127.0.0.1", "-p", responder.port, "-k",
                           INFO_KEY.decode(), "--eid", "10.1.0.0/16", "--hostname", "xtr-1")
        lines = [l.split(":", 1) for l in out.splitlines() if ":" in l]
        fields = {k.strip(): v.strip() for k, v in lines}
        check(rc == 0 and "key-id 1 verified" in out
              and fields.get("Global ETR RLOC") == "198.51.100.77"
              and fields.get("Global ETR port") == "61000" and fields.get("MS port") == "4342"
              and fields.get("MS RLOC") == "203.0.113.10"
              and fields.get("Private ETR RLOC") == "10.0.0.2"
              and fields.get("RTRs") == "192.0.2.201 192.0.2.202",
              "info: the Info-Reply's NAT-traversal fields", "rc %d\n%s%s" % (rc, out, err))
        req = responder.received[-1] if responder.received else b""
        ok = len(req) > 36 and req[12:16] == b"\x00\x01\x00\x14"
        if ok:
            zeroed = req[:16] + bytes(20) + req[36:]
            ok = hmac.new(INFO_KEY, zeroed, hashlib.sha1).digest() == req[16:36]
            ok = ok and req.endswith(struct.pack("!H", 17) + b"xtr-1\x00")
        check(ok, "info: the Info-Request is signed (key-id 1, 20 bytes) and names the host",
              req.hex())
        rc, out, err = run(tool, "info", "-m", "127.0.0.1", "-p", responder.port, "-k",
                           "wrong", "-c", 1, "-t", 0.5, "--json")
        check(rc == 1 and json.loads(out)["auth_failures"] == 1,
              "info: a reply that does not verify is rejected", out + err)
        rc, out, err = run(tool, "info", "-m", "127.0.0.1", "-p", responder.port, "--json")
        ok = rc == 0
        if ok:
            r = json.loads(out)
            ok = (r["auth"].startswith("key-id 1 not verified") and r["global_etr_port"] == 61000
                  and r["rtrs"] == ["192.0.2.201", "192.0.2.202"])
        check(ok, "info --json without a key", out + err)
    finally:
        responder.stop()


def tshark_frames(tshark, lua, pcap, fields):
    extra = ["frame.protocols", "_ws.malformed", "_ws.expert.severity", "_ws.expert.message",
             "udp.checksum.status", "data.len"] + LISP_COMPLAINTS
    frames = tshark_run.dissect(tshark, lua, pcap, fields + extra)
    for i, f in enumerate(frames, 1):
        problems = [k for k in ["_ws.malformed", "data.len"] + LISP_COMPLAINTS if k in f]
        problems += ["expert %s" % m for s, m in zip(f.get("_ws.expert.severity", []),
                                                     f.get("_ws.expert.message", []))
                     if int(s) >= SEVERITY_WARN]
        sums = f.get("udp.checksum.status", [])  # an ECM has the inner UDP checksum too
        problems += ["udp checksum %s" % sums] if not sums or set(sums) != {"1"} else []
        check(not problems, "%s frame %d dissects cleanly" % (os.path.basename(pcap), i),
              " ".join(problems))
    return frames


def test_pcap(tool, msmr, lua):
    tshark = shutil.which("tshark")
    if not tshark:
        print("skip pcap checks: tshark is not installed")
        return
    work = tempfile.mkdtemp(prefix="lisp-query-test-")
    host = None
    try:
        # The server on port 4342 of a loopback address of this run's own, so that the
        # dispatcher (either port 4342) dissects every datagram as LISP.
        for _ in range(20):
            addr = "127.%d.%d.1" % (random.randint(1, 254), random.randint(1, 254))
            try:
                host = Host(msmr, addr, 4342)
                break
            except RuntimeError:
                continue
        if host is None:
            check(False, "a loopback address with port 4342 free")
            return
        reg, req, info = (os.path.join(work, n) for n in ("register.pcap", "request.pcap",
                                                           "info.pcap"))
        rc, out, err = run(tool, "register", "-m", addr, "-k", "key-b", "--key-id", 2, "--eid",
                           "10.2.0.0/16", "--rloc", "192.0.2.1,1,100", "--want-notify",
                           "--proxy-reply", "--pcap", reg)
        check(rc == 0, "register --pcap", out + err)
        rc, out, err = run(tool, "request", "10.2.3.4", "-m", addr, "--pcap", req)
        check(rc == 0, "request --pcap", out + err)
        responder = InfoResponder((addr.rsplit(".", 1)[0] + ".2", 4342))
        responder.start()
        try:
            rc, out, err = run(tool, "info", "-m", responder.sock.getsockname()[0], "-k",
                               INFO_KEY.decode(), "--pcap", info)
            check(rc == 0, "info --pcap", out + err)
        finally:
            responder.stop()

        f = tshark_frames(tshark, lua, reg, ["lisp.type", "lisp.keyid", "lisp.authlen",
                                             "lisp.mapping.eid.ipv4", "lisp.loc.locator",
                                             "lisp.nonce"])
        check(len(f) == 2 and f[0].get("lisp.type") == ["3"] and f[1].get("lisp.type") == ["4"]
              and all(x.get("lisp.keyid") == ["0x0002"] and x.get("lisp.authlen") == ["32"]
                      for x in f)
              and f[0].get("lisp.mapping.eid.ipv4") == ["10.2.0.0"]
              and f[0].get("lisp.nonce") == f[1].get("lisp.nonce"),
              "register.pcap: Map-Register and Map-Notify, key-id 2, 32-byte auth", repr(f))
        f = tshark_frames(tshark, lua, req, ["lisp.type", "lisp.mreq.record.prefix.ipv4",
                                             "lisp.mreq.itr_rloc_ipv4", "udp.srcport", "ip.src",
                                             "udp.dstport", "lisp.mapping.eid.ipv4",
                                             "lisp.loc.locator"])
        check(len(f) == 2 and f[0].get("lisp.type") == ["8", "1"]
              and f[0].get("lisp.mreq.record.prefix.ipv4") == ["10.2.3.4"]
              and f[0].get("lisp.mreq.itr_rloc_ipv4") == f[0].get("ip.src", [])[:1]
              and len(f[0].get("udp.srcport", [])) == 2
              and len(set(f[0]["udp.srcport"])) == 1
              and f[0].get("udp.dstport") == ["4342", "4342"]
              and f[1].get("lisp.type") == ["2"]
              and f[1].get("udp.dstport") == f[0].get("udp.srcport", [""])[:1]
              and f[1].get("lisp.mapping.eid.ipv4") == ["10.2.0.0"],
              "request.pcap: ECM'd Map-Request (inner source port = outer), Map-Reply back",
              repr(f))
        f = tshark_frames(tshark, lua, info, ["lisp.type", "lisp.info.r", "lisp.keyid",
                                              "lisp.authlen", "lisp.lcaf.natt.msport",
                                              "lisp.lcaf.natt.etrport",
                                              "lisp.lcaf.natt.rloc.ipv4"])
        check(len(f) == 2 and f[0].get("lisp.type") == ["7"] and f[1].get("lisp.type") == ["7"]
              and f[0].get("lisp.info.r") == ["0"] and f[1].get("lisp.info.r") == ["1"]
              and f[0].get("lisp.keyid") == ["0x0001"] and f[0].get("lisp.authlen") == ["20"]
              and f[1].get("lisp.lcaf.natt.etrport") == ["61000"]
              and f[1].get("lisp.lcaf.natt.rloc.ipv4") == ["198.51.100.77", "203.0.113.10",
                                                           "10.0.0.2", "192.0.2.201",
                                                           "192.0.2.202"],
              "info.pcap: Info-Request (key-id 1, 20 bytes) and Info-Reply", repr(f))
    finally:
        if host:
            host.stop()
        shutil.rmtree(work, ignore_errors=True)


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    tool, msmr, lua = sys.argv[1:]
    test_usage(tool)
    test_timeout(tool)
    test_info(tool)
    host = Host(msmr)
    try:
        test_register(tool, host.port)
        test_request(tool, host.port)
        test_flood(tool, host.port)
    finally:
        stats = host.stop()
    check(int(stats.get("map-server.drop.auth-failed", 0)) >= 1,
          "the host counted the wrong key as an authentication failure", repr(stats))
    test_pcap(tool, msmr, lua)
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
